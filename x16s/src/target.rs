//! Difficulty targets in Bitcoin's compact form ("nBits") and the proof-of-work check.

use core::fmt;

/// Why a compact target is not a valid proof-of-work target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompactTargetError {
    /// The sign bit (0x00800000) is set with a non-zero mantissa.
    Negative {
        /// The compact value as given.
        bits: u32,
    },
    /// The target does not fit in 256 bits.
    Overflow {
        /// The compact value as given.
        bits: u32,
    },
    /// The target is zero, which no hash can meet.
    Zero {
        /// The compact value as given.
        bits: u32,
    },
}

impl fmt::Display for CompactTargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Negative { bits } => write!(f, "compact target {bits:#010x} is negative"),
            Self::Overflow { bits } => write!(f, "compact target {bits:#010x} overflows 256 bits"),
            Self::Zero { bits } => write!(f, "compact target {bits:#010x} is zero"),
        }
    }
}

impl core::error::Error for CompactTargetError {}

/// A 256-bit proof-of-work target, stored little-endian like a hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target([u8; 32]);

impl Target {
    /// Decodes Bitcoin's compact form: the top byte is a size in bytes, the low 23
    /// bits a mantissa, bit 23 a sign. Negative, overflowing and zero targets are
    /// errors, as Bitcoin's proof-of-work check rejects them.
    pub fn from_compact(bits: u32) -> Result<Self, CompactTargetError> {
        let size = (bits >> 24) as usize;
        let mantissa = bits & 0x007f_ffff;
        if bits & 0x0080_0000 != 0 && mantissa != 0 {
            return Err(CompactTargetError::Negative { bits });
        }
        let mut target = [0u8; 32];
        for (i, byte) in mantissa.to_le_bytes()[..3].iter().enumerate() {
            // Byte i of the mantissa lands at byte (size - 3 + i) of the target.
            match (size + i).checked_sub(3) {
                Some(position) if position < 32 => target[position] = *byte,
                Some(_) if *byte != 0 => return Err(CompactTargetError::Overflow { bits }),
                _ => {}
            }
        }
        if target == [0; 32] {
            return Err(CompactTargetError::Zero { bits });
        }
        Ok(Self(target))
    }

    /// Whether `hash`, read as a little-endian 256-bit number, is at or under this target.
    pub fn is_met_by(&self, hash: &[u8; 32]) -> bool {
        hash.iter().rev().cmp(self.0.iter().rev()) != core::cmp::Ordering::Greater
    }

    /// The target as 32 little-endian bytes.
    pub fn to_le_bytes(self) -> [u8; 32] {
        self.0
    }

    /// A target from 32 little-endian bytes (as a retarget computes it).
    pub fn from_le_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Bitcoin's compact form: the inverse of [`Target::from_compact`] up to the
    /// mantissa's precision (bits below the top 23 significant bits are dropped).
    pub fn to_compact(&self) -> u32 {
        let size = self
            .0
            .iter()
            .rposition(|&b| b != 0)
            .map_or(0, |top| top + 1);
        let byte = |i: usize| (size + i).checked_sub(3).map_or(0, |at| self.0[at]);
        let mut mantissa = u32::from_le_bytes([byte(0), byte(1), byte(2), 0]);
        let mut size = size as u32;
        // The mantissa's top bit is a sign: a set top bit moves into one more byte.
        if mantissa & 0x0080_0000 != 0 {
            mantissa >>= 8;
            size += 1;
        }
        (size << 24) | mantissa
    }
}

/// Whether an X16S `hash` meets the compact target `bits`.
pub fn meets_target(hash: &[u8; 32], bits: u32) -> Result<bool, CompactTargetError> {
    Ok(Target::from_compact(bits)?.is_met_by(hash))
}

#[cfg(test)]
mod tests {
    use super::{CompactTargetError, Target, meets_target};

    #[test]
    fn compact_round_trips() {
        for bits in [
            0x1d00_ffff,
            0x1e0f_ffff,
            0x207f_ffff,
            0x2003_ffff,
            0x0312_3456,
            0x0112_0000,
            0x0201_2300,
        ] {
            let target = Target::from_compact(bits).expect("valid");
            let again = Target::from_le_bytes(target.to_le_bytes()).to_compact();
            assert_eq!(
                Target::from_compact(again),
                Ok(target),
                "{bits:#010x} -> {again:#010x}"
            );
        }
        // Canonical forms come back unchanged.
        assert_eq!(
            Target::from_compact(0x1d00_ffff)
                .expect("valid")
                .to_compact(),
            0x1d00_ffff
        );
        // A mantissa whose top bit would read as a sign gains a byte.
        let mut bytes = [0u8; 32];
        bytes[2] = 0x80;
        assert_eq!(Target::from_le_bytes(bytes).to_compact(), 0x0400_8000);
    }

    fn target_with(position: usize, bytes: &[u8]) -> [u8; 32] {
        let mut target = [0u8; 32];
        target[position..position + bytes.len()].copy_from_slice(bytes);
        target
    }

    #[test]
    fn decodes_the_genesis_bits() {
        // 0x1e00ffff: 0x00ffff × 256^(0x1e - 3).
        let target = Target::from_compact(0x1e00_ffff).unwrap();
        assert_eq!(target.to_le_bytes(), target_with(27, &[0xff, 0xff]));
    }

    #[test]
    fn decodes_small_sizes_by_shifting_right() {
        assert_eq!(
            Target::from_compact(0x0212_3456).unwrap().to_le_bytes(),
            target_with(0, &[0x34, 0x12])
        );
        assert_eq!(
            Target::from_compact(0x0112_3456).unwrap().to_le_bytes(),
            target_with(0, &[0x12])
        );
    }

    #[test]
    fn rejects_negative_overflowing_and_zero_targets() {
        assert_eq!(
            Target::from_compact(0x0480_0001),
            Err(CompactTargetError::Negative { bits: 0x0480_0001 })
        );
        assert_eq!(
            Target::from_compact(0x2301_0000),
            Err(CompactTargetError::Overflow { bits: 0x2301_0000 })
        );
        assert_eq!(
            Target::from_compact(0x2200_0100),
            Err(CompactTargetError::Overflow { bits: 0x2200_0100 })
        );
        assert_eq!(
            Target::from_compact(0x2100_ffff).unwrap().to_le_bytes(),
            target_with(30, &[0xff, 0xff])
        );
        assert_eq!(
            Target::from_compact(0x0180_0000),
            Err(CompactTargetError::Zero { bits: 0x0180_0000 })
        );
        assert_eq!(
            Target::from_compact(0x0100_00ff),
            Err(CompactTargetError::Zero { bits: 0x0100_00ff })
        );
    }

    #[test]
    fn a_hash_equal_to_the_target_meets_it() {
        let target = target_with(27, &[0xff, 0xff]);
        assert_eq!(meets_target(&target, 0x1e00_ffff), Ok(true));
        let mut above = target;
        above[0] = 1;
        assert_eq!(meets_target(&above, 0x1e00_ffff), Ok(false));
        let mut below = target;
        below[28] = 0xfe;
        below[0] = 0xff;
        assert_eq!(meets_target(&below, 0x1e00_ffff), Ok(true));
    }
}

//! The 80-byte mining header, laid out like a Bitcoin block header with the Merkle
//! root replaced by the miner's commitment. Integers are little-endian.
//!
//! | bytes  | field |
//! | ------ | ----- |
//! | 0..4   | version |
//! | 4..36  | previous solution hash (sets the X16S function order) |
//! | 36..68 | commitment = SHA-256(chain id ‖ 0x00 ‖ miner address) |
//! | 68..72 | time, seconds since the Unix epoch |
//! | 72..76 | target bits, compact form |
//! | 76..80 | nonce |
//!
//! The commitment binds a solution to one miner on one chain: a header seen in the
//! mempool is worthless to anyone else, and to any other chain.

use sha2::{Digest, Sha256};

/// The header version this contract accepts.
pub const HEADER_VERSION: u32 = 1;

/// A decoded header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub prev_hash: [u8; 32],
    pub commitment: [u8; 32],
    pub time: u32,
    pub bits: u32,
    pub nonce: u32,
}

impl Header {
    /// Splits 80 bytes into fields.
    pub fn decode(bytes: &[u8; x16s::HEADER_LEN]) -> Self {
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let hash = |at: usize| -> [u8; 32] { bytes[at..at + 32].try_into().expect("32 bytes") };
        Self {
            version: word(0),
            prev_hash: hash(4),
            commitment: hash(36),
            time: word(68),
            bits: word(72),
            nonce: word(76),
        }
    }

    /// The 80 bytes a miner hashes.
    pub fn encode(&self) -> [u8; x16s::HEADER_LEN] {
        let mut bytes = [0u8; x16s::HEADER_LEN];
        bytes[0..4].copy_from_slice(&self.version.to_le_bytes());
        bytes[4..36].copy_from_slice(&self.prev_hash);
        bytes[36..68].copy_from_slice(&self.commitment);
        bytes[68..72].copy_from_slice(&self.time.to_le_bytes());
        bytes[72..76].copy_from_slice(&self.bits.to_le_bytes());
        bytes[76..80].copy_from_slice(&self.nonce.to_le_bytes());
        bytes
    }
}

/// The commitment of `miner` (a bech32 address) on chain `chain_id`.
pub fn commitment(chain_id: &str, miner: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(chain_id.as_bytes());
    hasher.update([0]);
    hasher.update(miner.as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode_are_inverse() {
        let header = Header {
            version: HEADER_VERSION,
            prev_hash: [7; 32],
            commitment: commitment("gpunion-local", "wasm1miner"),
            time: 1_764_000_000,
            bits: 0x1e0f_ffff,
            nonce: 0xdead_beef,
        };
        let bytes = header.encode();
        assert_eq!(&bytes[4..36], &[7; 32]);
        assert_eq!(&bytes[76..80], &0xdead_beef_u32.to_le_bytes());
        assert_eq!(Header::decode(&bytes), header);
    }

    #[test]
    fn commitments_differ_by_miner_and_chain() {
        let a = commitment("gpunion-1", "wasm1a");
        assert_ne!(a, commitment("gpunion-1", "wasm1b"));
        assert_ne!(a, commitment("gpunion-2", "wasm1a"));
    }
}

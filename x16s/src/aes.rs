//! The AES pieces that SHAvite-3, ECHO and Fugue share: the S-box and GF(2^8)
//! multiplication (FIPS-197), one keyless AES round (SubBytes, ShiftRows, MixColumns)
//! on tables for the portable code, and the bytewise doubling the SSE code of ECHO and
//! Fugue uses. A round's state is four columns, each a little-endian `u32` (the byte
//! order of the AES state in memory), so the result equals `aesenc` with a zero round
//! key.

/// The AES S-box (FIPS-197 §5.1.1), computed at compile time from its definition:
/// inversion in GF(2^8) followed by the affine map.
pub(crate) const SBOX: [u8; 256] = {
    let mut sbox = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        let inverse = gf_pow(x as u8, 254);
        let mut s = inverse ^ 0x63;
        let mut shift = 1;
        while shift < 5 {
            s ^= inverse.rotate_left(shift);
            shift += 1;
        }
        sbox[x] = s;
        x += 1;
    }
    sbox
};

/// Multiplication in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1
/// (FIPS-197 §4.2).
pub(crate) const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        a = (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 };
        b >>= 1;
    }
    product
}

const fn gf_pow(x: u8, mut exponent: u32) -> u8 {
    let (mut result, mut base) = (1u8, x);
    while exponent != 0 {
        if exponent & 1 != 0 {
            result = gf_mul(result, base);
        }
        base = gf_mul(base, base);
        exponent >>= 1;
    }
    result
}

/// `TABLES[i][x]`: the column contributed by S-box output of byte `x` standing in row `i`.
const TABLES: [[u32; 256]; 4] = {
    let mut tables = [[0u32; 256]; 4];
    let mut x = 0;
    while x < 256 {
        let s = SBOX[x] as u32;
        let column =
            gf_mul(2, s as u8) as u32 | s << 8 | s << 16 | (gf_mul(3, s as u8) as u32) << 24;
        let mut row = 0;
        while row < 4 {
            tables[row][x] = column.rotate_left(8 * row as u32);
            row += 1;
        }
        x += 1;
    }
    tables
};

/// One AES round (SubBytes, ShiftRows, MixColumns) with an all-zero round key: four
/// table look-ups per column.
#[inline(always)]
pub(crate) fn round(x: [u32; 4]) -> [u32; 4] {
    core::array::from_fn(|j| {
        TABLES[0][(x[j] & 0xff) as usize]
            ^ TABLES[1][((x[(j + 1) & 3] >> 8) & 0xff) as usize]
            ^ TABLES[2][((x[(j + 2) & 3] >> 16) & 0xff) as usize]
            ^ TABLES[3][(x[(j + 3) & 3] >> 24) as usize]
    })
}

/// Bytewise multiplication by 2 in GF(2^8) (FIPS-197 §4.2.1) of sixteen bytes.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "sse2")]
pub(crate) fn double(x: core::arch::x86_64::__m128i) -> core::arch::x86_64::__m128i {
    use core::arch::x86_64::{
        _mm_add_epi8, _mm_and_si128, _mm_cmplt_epi8, _mm_set1_epi8, _mm_setzero_si128,
        _mm_xor_si128,
    };
    let carries = _mm_and_si128(_mm_cmplt_epi8(x, _mm_setzero_si128()), _mm_set1_epi8(0x1b));
    _mm_xor_si128(_mm_add_epi8(x, x), carries)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sbox_matches_fips_197() {
        assert_eq!(super::SBOX[0x00], 0x63);
        assert_eq!(super::SBOX[0x53], 0xed);
        assert_eq!(super::SBOX[0xff], 0x16);
    }

    /// FIPS-197 appendix B, round 1: the state after SubBytes, ShiftRows and MixColumns.
    #[test]
    fn table_round_matches_fips_197() {
        let input = [
            0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b, 0x9a, 0xc6, 0x8d, 0x2a, 0xe9, 0xf8,
            0x48, 0x08,
        ];
        let expected = [
            0x04, 0x66, 0x81, 0xe5, 0xe0, 0xcb, 0x19, 0x9a, 0x48, 0xf8, 0xd3, 0x7a, 0x28, 0x06,
            0x26, 0x4c,
        ];
        let columns = |b: [u8; 16]| -> [u32; 4] {
            core::array::from_fn(|i| u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().unwrap()))
        };
        assert_eq!(super::round(columns(input)), columns(expected));
    }
}

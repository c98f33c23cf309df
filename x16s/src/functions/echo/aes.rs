//! The AES round function (FIPS-197) as used by ECHO, plus the S-box shared with Fugue.
//!
//! Tables are computed at compile time from the field definition rather than transcribed.

/// Multiplication by `x` in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1
/// (FIPS-197 §4.2.1).
pub(in crate::functions) const fn xtime(a: u8) -> u8 {
    (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 }
}

/// Multiplication in GF(2^8) (FIPS-197 §4.2).
pub(in crate::functions) const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    product
}

/// The AES S-box (FIPS-197 §5.1.1): multiplicative inverse followed by the affine map.
pub(in crate::functions) const SBOX: [u8; 256] = {
    let mut sbox = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        // a^254 is the inverse of a in GF(2^8) (and maps 0 to 0).
        let mut inv = 1u8;
        let mut i = 0;
        while i < 254 {
            inv = gf_mul(inv, x as u8);
            i += 1;
        }
        let b = inv;
        sbox[x] =
            b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4) ^ 0x63;
        x += 1;
    }
    sbox
};

/// T-tables: `T[r][x]` is SubBytes of `x` at row `r` times the MixColumns column
/// `(2, 1, 1, 3)` rotated to row `r`, packed little-endian (byte `i` is row `i`).
const T: [[u32; 256]; 4] = {
    let mut t = [[0u32; 256]; 4];
    let mut x = 0;
    while x < 256 {
        let s = SBOX[x];
        let col = u32::from_le_bytes([xtime(s), s, s, xtime(s) ^ s]);
        let mut r = 0;
        while r < 4 {
            t[r][x] = col.rotate_left(8 * r as u32);
            r += 1;
        }
        x += 1;
    }
    t
};

/// One AES round (SubBytes, ShiftRows, MixColumns, AddRoundKey) on a state of four
/// little-endian column words.
#[inline(always)]
pub(super) fn round(x: [u32; 4], key: [u32; 4]) -> [u32; 4] {
    let byte = |w: u32, r: usize| (w >> (8 * r)) as u8 as usize;
    core::array::from_fn(|c| {
        T[0][byte(x[c], 0)]
            ^ T[1][byte(x[(c + 1) % 4], 1)]
            ^ T[2][byte(x[(c + 2) % 4], 2)]
            ^ T[3][byte(x[(c + 3) % 4], 3)]
            ^ key[c]
    })
}

//! One keyless AES round (SubBytes, ShiftRows, MixColumns), the building block of
//! SHAvite-3 and ECHO. The state is four columns, each a little-endian `u32` (the
//! byte order of the AES state in memory), so the result equals `aesenc` with a
//! zero round key.

/// The AES S-box, computed at compile time from its definition: inversion in
/// GF(2^8) followed by the affine map.
const SBOX: [u8; 256] = {
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

const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
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

/// One AES round with an all-zero round key.
#[inline(always)]
pub(crate) fn round(x: [u32; 4]) -> [u32; 4] {
    core::array::from_fn(|j| {
        TABLES[0][(x[j] & 0xff) as usize]
            ^ TABLES[1][((x[(j + 1) & 3] >> 8) & 0xff) as usize]
            ^ TABLES[2][((x[(j + 2) & 3] >> 16) & 0xff) as usize]
            ^ TABLES[3][(x[(j + 3) & 3] >> 24) as usize]
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn sbox_matches_fips_197() {
        assert_eq!(super::SBOX[0x00], 0x63);
        assert_eq!(super::SBOX[0x53], 0xed);
        assert_eq!(super::SBOX[0xff], 0x16);
    }
}

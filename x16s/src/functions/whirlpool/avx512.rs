//! Whirlpool on AVX-512 VBMI and GFNI: the 8 × 8 byte state (row `i`, column `j` at
//! byte `8i + j`, the order of the message block) is one 512-bit register, each row
//! one 64-bit lane. A round is
//!
//! - γ, the S-box: two 128-entry `vpermi2b` look-ups, chosen by each byte's top bit;
//! - π, each column `j` rotated down by `j` rows: one `vpermb`;
//! - θ, the rows times the circulant C = cir(1, 1, 4, 1, 8, 5, 2, 9): row `i` of the
//!   result is Σ_t c_t · (row `i` rotated by `t` bytes), the products by 2, 4 and 8
//!   in Whirlpool's field (x^8 + x^4 + x^3 + x^2 + 1) being GF(2)-linear maps of each
//!   byte (`gf2p8affineqb`);
//! - σ, the round key added.
//!
//! The key schedule runs the same rounds on the chaining value, beside the state.

use core::arch::x86_64::{
    __m512i, _mm512_gf2p8affine_epi64_epi8, _mm512_loadu_si512, _mm512_mask_blend_epi8,
    _mm512_movepi8_mask, _mm512_permutex2var_epi8, _mm512_permutexvar_epi8, _mm512_rol_epi64,
    _mm512_set1_epi64, _mm512_storeu_si512, _mm512_xor_si512,
};

/// Bytes in a block.
const BLOCK: usize = 64;
/// Rounds of the block cipher W.
const ROUNDS: usize = 10;

/// Whirlpool on AVX-512F, BW, VBMI and GFNI.
///
/// # Safety
/// The CPU must have them ([`crate::cpu::has_avx512vbmi_gfni`]).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,gfni")]
pub(super) unsafe fn digest(data: &[u8]) -> [u8; 64] {
    let mut h = zero();
    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        h = compress(h, load(block));
    }
    // Padding: a 1 bit, zeros up to 32 bytes before a block's end, then the length in
    // bits as a 256-bit big-endian number.
    let mut last = [0u8; BLOCK];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    if rest.len() >= BLOCK - 32 {
        h = compress(h, load(&last));
        last = [0u8; BLOCK];
    }
    let bits = (data.len() as u128).wrapping_mul(8);
    last[BLOCK - 16..].copy_from_slice(&bits.to_be_bytes());
    h = compress(h, load(&last));
    let mut out = [0u8; 64];
    // SAFETY: 64 bytes are writable; the features are enabled here.
    unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), h) };
    out
}

// SAFETY (for every intrinsic below): these functions are `#[inline(always)]` and only
// reached from `digest`, whose target features its caller has detected. No closures
// hold intrinsics: a closure would not be inlined, and its intrinsics would become calls.

#[inline(always)]
fn load(bytes: &[u8; BLOCK]) -> __m512i {
    // SAFETY: 64 bytes are readable; see above for the features.
    unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn zero() -> __m512i {
    load(&[0; BLOCK])
}

#[inline(always)]
fn xor(a: __m512i, b: __m512i) -> __m512i {
    // SAFETY: see above.
    unsafe { _mm512_xor_si512(a, b) }
}

/// The compression function: W with key `h` on block `m`, fed forward (Miyaguchi–Preneel).
#[inline(always)]
fn compress(h: __m512i, m: __m512i) -> __m512i {
    let mut key = h;
    let mut state = xor(m, h);
    for constant in &ROUND_CONSTANTS {
        key = round(key, load(constant));
        state = round(state, key);
    }
    xor(xor(state, h), m)
}

/// The round function ρ[k] = σ[k] ∘ θ ∘ π ∘ γ.
#[inline(always)]
fn round(x: __m512i, key: __m512i) -> __m512i {
    let tables: [__m512i; 4] = [
        load(SBOX[..64].try_into().expect("64 bytes")),
        load(SBOX[64..128].try_into().expect("64 bytes")),
        load(SBOX[128..192].try_into().expect("64 bytes")),
        load(SBOX[192..].try_into().expect("64 bytes")),
    ];
    // SAFETY: see above.
    unsafe {
        // γ: entries 0..128 and 128..256, chosen by bit 7.
        let low = _mm512_permutex2var_epi8(tables[0], x, tables[1]);
        let high = _mm512_permutex2var_epi8(tables[2], x, tables[3]);
        let s = _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high);
        // π.
        let a = _mm512_permutexvar_epi8(load(&PI), s);
        // θ: rotating a row left by 8t bits moves byte j - t to byte j.
        let r1 = _mm512_rol_epi64::<8>(a);
        let r2 = _mm512_rol_epi64::<16>(a);
        let r3 = _mm512_rol_epi64::<24>(a);
        let r4 = _mm512_rol_epi64::<32>(a);
        let r5 = _mm512_rol_epi64::<40>(a);
        let r6 = _mm512_rol_epi64::<48>(a);
        let r7 = _mm512_rol_epi64::<56>(a);
        // c = (1, 1, 4, 1, 8, 5, 2, 9): 5 = 4 + 1 and 9 = 8 + 1.
        let ones = xor(xor(a, r1), xor(xor(r3, r5), r7));
        let products = xor(
            multiply(r6, TIMES[1]),
            xor(
                multiply(xor(r2, r5), TIMES[2]),
                multiply(xor(r4, r7), TIMES[3]),
            ),
        );
        xor(xor(ones, products), key)
    }
}

/// Each byte of `x` times the constant whose matrix is `matrix` (see [`TIMES`]).
#[inline(always)]
fn multiply(x: __m512i, matrix: u64) -> __m512i {
    // SAFETY: see above.
    unsafe { _mm512_gf2p8affine_epi64_epi8::<0>(x, _mm512_set1_epi64(matrix as i64)) }
}

/// Multiplication by 2 in Whirlpool's field GF(2^8) = GF(2)[x] / (x^8 + x^4 + x^3 + x^2 + 1).
const fn double(x: u8) -> u8 {
    (x << 1) ^ if x & 0x80 != 0 { 0x1d } else { 0 }
}

/// `TIMES[k]`: the `gf2p8affineqb` matrix of multiplication by 2^k: byte `7 - i` of
/// the matrix is the row giving output bit `i`, whose bit `b` is bit `i` of 2^k · 2^b.
const TIMES: [u64; 4] = {
    let mut matrices = [0u64; 4];
    let mut k = 0;
    while k < 4 {
        let mut matrix = 0u64;
        let mut b = 0;
        while b < 8 {
            // 2^k · 2^b.
            let mut product = 1u8 << b;
            let mut d = 0;
            while d < k {
                product = double(product);
                d += 1;
            }
            let mut i = 0;
            while i < 8 {
                if product >> i & 1 != 0 {
                    matrix |= 1 << (8 * (7 - i) + b);
                }
                i += 1;
            }
            b += 1;
        }
        matrices[k] = matrix;
        k += 1;
    }
    matrices
};

/// The S-box, from its mini-boxes E, E^-1 and R (Whirlpool specification §5): with
/// u = E[high nibble], l = E^-1[low nibble] and r = R[u ^ l], the output is
/// E[u ^ r] then E^-1[l ^ r].
const SBOX: [u8; 256] = {
    const E: [u8; 16] = [1, 11, 9, 12, 13, 6, 15, 3, 14, 8, 7, 4, 10, 2, 5, 0];
    const R: [u8; 16] = [7, 12, 11, 13, 14, 4, 9, 15, 6, 3, 8, 10, 2, 5, 1, 0];
    let mut inverse = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        inverse[E[i] as usize] = i as u8;
        i += 1;
    }
    let mut sbox = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        let u = E[x >> 4];
        let l = inverse[x & 15];
        let r = R[(u ^ l) as usize];
        sbox[x] = E[(u ^ r) as usize] << 4 | inverse[(l ^ r) as usize];
        x += 1;
    }
    sbox
};

/// `vpermb` indices of π: byte `8i + j` takes byte `8((i - j) mod 8) + j`.
const PI: [u8; 64] = {
    let mut index = [0u8; 64];
    let mut p = 0;
    while p < 64 {
        let (i, j) = (p / 8, p % 8);
        index[p] = (8 * ((i + 8 - j) % 8) + j) as u8;
        p += 1;
    }
    index
};

/// The round constants: row 0 of round `r` (from 1) is S-box entries 8(r - 1)..8r.
const ROUND_CONSTANTS: [[u8; BLOCK]; ROUNDS] = {
    let mut constants = [[0u8; BLOCK]; ROUNDS];
    let mut r = 0;
    while r < ROUNDS {
        let mut j = 0;
        while j < 8 {
            constants[r][j] = SBOX[8 * r + j];
            j += 1;
        }
        r += 1;
    }
    constants
};

#[cfg(test)]
mod tests {
    /// The S-box begins as the specification's table, 18 23 c6 e8 87 b8 01 4f.
    #[test]
    fn sbox_matches_specification() {
        assert_eq!(
            super::SBOX[..8],
            [0x18, 0x23, 0xc6, 0xe8, 0x87, 0xb8, 0x01, 0x4f]
        );
    }

    /// The AVX-512 path against the portable one, where this processor has it.
    #[test]
    fn matches_portable() {
        if !crate::cpu::has_avx512vbmi_gfni() {
            return;
        }
        let data: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for len in 0..=data.len() {
            // SAFETY: just detected.
            let fast = unsafe { super::digest(&data[..len]) };
            assert_eq!(fast, super::super::portable(&data[..len]), "{len} bytes");
        }
    }
}

//! Fugue-512 with SMIX on AES-NI and SSSE3: `aesenclast` provides the S-box, and the
//! super-mix is evaluated on the whole 4 × 4 byte matrix at once.
//!
//! With S the S-boxed matrix (row r, column j) and M1 = (1, 1, 7, 4) the first column of
//! the circulant M (spec §2.3.1), the super-mix output is
//!
//!   out[r][k] = U[r][(k + r) % 4] ^ M1[k] · V[r],
//!   U[r] = S[r] + S[r-1] + 7 S[r-2] + 4 S[r-3]   (rows mod 4: M on every column),
//!   V[r] = Σ_(j ≠ r) S[r][j]                       (the off-diagonal part of N),
//!
//! and the permutation of U is the one of AES ShiftRows. Registers hold the columns as
//! they are stored, big-endian words in little-endian lanes: row r of column j is byte
//! [`at`]`(r, j)`; the byte permutations below are built from that.

use core::arch::x86_64::{
    __m128i, _mm_aesenclast_si128, _mm_and_si128, _mm_cvtsi128_si32, _mm_gf2p8mul_epi8,
    _mm_or_si128, _mm_set_epi8, _mm_set_epi32, _mm_set1_epi8, _mm_setzero_si128, _mm_shuffle_epi8,
    _mm_shuffle_epi32, _mm_xor_si128,
};
use core::marker::PhantomData;

use super::{COLUMNS, Mix};

/// Fugue-512 on AES-NI and SSSE3 (and GFNI where present); only for use after
/// [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn digest(data: &[u8]) -> [u8; 64] {
    if crate::cpu::has_gfni() {
        // SAFETY: GFNI, AES-NI and SSSE3 have just been detected.
        return unsafe { digest_gfni(data) };
    }
    // SAFETY: `fugue512` calls this only once AES-NI and SSSE3 have been detected.
    unsafe { digest_aes_ni(data) }
}

#[target_feature(enable = "aes,ssse3")]
fn digest_aes_ni(data: &[u8]) -> [u8; 64] {
    super::digest::<AesNi<Doublings>>(data)
}

#[target_feature(enable = "aes,ssse3,gfni")]
fn digest_gfni(data: &[u8]) -> [u8; 64] {
    super::digest::<AesNi<Gfni>>(data)
}

/// A way to multiply sixteen bytes by a constant in GF(2^8).
trait Multiply {
    fn mul(x: __m128i, c: u8) -> __m128i;
}

/// Doublings and XORs on SSE2.
struct Doublings;

impl Multiply for Doublings {
    #[inline(always)]
    fn mul(mut x: __m128i, mut c: u8) -> __m128i {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe {
            let mut product = _mm_setzero_si128();
            while c != 0 {
                if c & 1 != 0 {
                    product = _mm_xor_si128(product, x);
                }
                x = crate::aes::double(x);
                c >>= 1;
            }
            product
        }
    }
}

/// GFNI's `gf2p8mulb` (the AES field); only inlined into `digest_gfni`.
struct Gfni;

impl Multiply for Gfni {
    #[inline(always)]
    fn mul(x: __m128i, c: u8) -> __m128i {
        // SAFETY: only used by `digest_gfni`, which requires GFNI.
        unsafe { _mm_gf2p8mul_epi8(x, _mm_set1_epi8(c as i8)) }
    }
}

/// SMIX on AES-NI, with products by `F`; only instantiated inside `digest_aes_ni` and
/// `digest_gfni`.
struct AesNi<F>(PhantomData<F>);

impl<F: Multiply> Mix for AesNi<F> {
    #[inline(always)]
    fn smix(s: &mut [u32; COLUMNS], cols: [usize; 4]) {
        let [c0, c1, c2, c3] = cols.map(|c| s[c] as i32);
        // SAFETY: SSE2 is baseline on x86-64.
        let out = super_mix::<F>(unsafe { _mm_set_epi32(c3, c2, c1, c0) });
        for (k, &c) in cols.iter().enumerate() {
            s[c] = out[k];
        }
    }
}

/// Register byte holding row `r` of column `j`.
const fn at(r: usize, j: usize) -> usize {
    4 * j + 3 - r
}

/// `pshufb` masks (output byte p takes input byte `mask[p]`), by kind.
const INVERSE_SHIFT_ROWS: usize = 0;
const FUGUE_SHIFT: usize = 1;
/// Rows r of each column taking row r - d, for d = 1, 2, 3.
const ROWS_DOWN: usize = 2;

const MASKS: [[i8; 16]; 5] = {
    let mut masks = [[0i8; 16]; 5];
    let mut p = 0;
    while p < 16 {
        // AES ShiftRows (in `aesenclast`) makes byte 4j + i take byte 4((j + i) % 4) + i.
        let (j, i) = (p / 4, p % 4);
        masks[INVERSE_SHIFT_ROWS][p] = (4 * ((j + 4 - i) % 4) + i) as i8;
        // Row r of output column k takes row r of column k + r.
        let r = 3 - i;
        masks[FUGUE_SHIFT][p] = at(r, (j + r) % 4) as i8;
        let mut d = 1;
        while d < 4 {
            masks[ROWS_DOWN + d - 1][p] = at((r + 4 - d) % 4, j) as i8;
            d += 1;
        }
        p += 1;
    }
    masks
};

#[inline(always)]
fn mask(kind: usize) -> __m128i {
    let m = MASKS[kind];
    // SAFETY: SSE2 is enabled on every x86-64 target.
    unsafe {
        _mm_set_epi8(
            m[15], m[14], m[13], m[12], m[11], m[10], m[9], m[8], m[7], m[6], m[5], m[4], m[3],
            m[2], m[1], m[0],
        )
    }
}

/// S-box then super-mix of the matrix `x`; returns the four columns.
#[inline(always)]
fn super_mix<F: Multiply>(x: __m128i) -> [u32; 4] {
    // SAFETY: `super_mix` is only inlined into `digest_aes_ni` and `digest_gfni`, which
    // require AES-NI and SSSE3. (Inlined, without target features of its own, so that
    // `F` can use those of its caller.)
    unsafe {
        // `aesenclast` is SubBytes then AES ShiftRows; undoing the latter beforehand leaves
        // S = SubBytes(x).
        let s = _mm_aesenclast_si128(
            _mm_shuffle_epi8(x, mask(INVERSE_SHIFT_ROWS)),
            _mm_setzero_si128(),
        );
        let rows_down = |d: usize| mask(ROWS_DOWN + d - 1);
        let s2 = _mm_shuffle_epi8(s, rows_down(2));
        let s3 = _mm_shuffle_epi8(s, rows_down(3));
        let four_s3 = F::mul(s3, 4);
        let seven_s2 = F::mul(s2, 7);
        let u = _mm_xor_si128(
            _mm_xor_si128(s, _mm_shuffle_epi8(s, rows_down(1))),
            _mm_xor_si128(seven_s2, four_s3),
        );

        // V: each row's sum over all columns, minus (xor) its diagonal byte, in every column.
        let diagonal = _mm_set_epi32(
            0x0000_00ff,
            0x0000_ff00,
            0x00ff_0000,
            0xff00_0000_u32 as i32,
        );
        let row_sums = xor_columns(s);
        let v = _mm_xor_si128(row_sums, xor_columns(_mm_and_si128(s, diagonal)));
        // M1[k] · V in column k: (V, V, 7V, 4V).
        let (v4, v7) = (F::mul(v, 4), F::mul(v, 7));
        let column = |k: usize| {
            let mut mask = [0i32; 4];
            mask[k] = -1;
            _mm_set_epi32(mask[3], mask[2], mask[1], mask[0])
        };
        let t2 = _mm_or_si128(
            _mm_and_si128(v, _mm_or_si128(column(0), column(1))),
            _mm_or_si128(_mm_and_si128(v7, column(2)), _mm_and_si128(v4, column(3))),
        );

        let out = _mm_xor_si128(_mm_shuffle_epi8(u, mask(FUGUE_SHIFT)), t2);
        [
            _mm_cvtsi128_si32(out),
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b01>(out)),
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b10>(out)),
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b11>(out)),
        ]
        .map(|w| w as u32)
    }
}

/// The XOR of the four columns, in every column.
#[inline]
#[target_feature(enable = "sse2")]
fn xor_columns(x: __m128i) -> __m128i {
    let pairs = _mm_xor_si128(x, _mm_shuffle_epi32::<0b01_00_11_10>(x));
    _mm_xor_si128(pairs, _mm_shuffle_epi32::<0b10_11_00_01>(pairs))
}

#[cfg(test)]
mod tests {
    /// Both SMIX paths against the tables (the dispatched one is tested in the parent
    /// module), where this processor has them, for every tail length and both
    /// final-round phases.
    #[test]
    fn both_paths_match_tables() {
        let data: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for len in 0..=data.len() {
            let expected = super::super::digest::<super::super::Tables>(&data[..len]);
            if crate::cpu::has_aes_ni() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_aes_ni(&data[..len]) }, expected);
            }
            if crate::cpu::has_aes_ni() && crate::cpu::has_gfni() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_gfni(&data[..len]) }, expected);
            }
        }
    }
}

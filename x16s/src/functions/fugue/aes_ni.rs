//! Fugue-512 on AES-NI and SSSE3: `aesenclast` provides the S-box, and the super-mix
//! is evaluated on the whole 4 × 4 byte matrix at once. Through the message rounds and
//! G's first phase the state stays in registers, three columns in each of twelve, so
//! that rotating by three columns only renames them.
//!
//! With S the S-boxed matrix (row r, column j) and M1 = (1, 1, 7, 4) the first column of
//! the circulant M (spec §2.3.1), the super-mix output is
//!
//!   out[r][k] = U[r][(k + r) % 4] ^ M1[k] · V[r],
//!   U[r] = S[r] + S[r-1] + 7 S[r-2] + 4 S[r-3]   (rows mod 4: M on every column),
//!   V[r] = Σ_(j ≠ r) S[r][j]                       (the off-diagonal part of N).
//!
//! `aesenclast` returns A = ShiftRows(S), and every byte permutation of S above is
//! applied to A directly, composed with the inverse of ShiftRows (which keeps each row's
//! sum). Registers hold the columns as they are stored, big-endian words in
//! little-endian lanes: row r of column j is byte [`at`]`(r, j)`.

use core::arch::x86_64::{
    __m128i, _mm_aesenclast_si128, _mm_and_si128, _mm_castps_si128, _mm_castsi128_ps,
    _mm_cvtsi32_si128, _mm_gf2p8mul_epi8, _mm_loadu_si128, _mm_or_si128, _mm_set_epi32,
    _mm_setzero_si128, _mm_shuffle_epi8, _mm_shuffle_epi32, _mm_shuffle_ps, _mm_slli_si128,
    _mm_srli_si128, _mm_storeu_si128, _mm_xor_si128,
};
use core::marker::PhantomData;

use super::{COLUMNS, IV, Mix, Rounds, offset};

/// Fugue-512 on AES-NI and SSSE3 (and GFNI with AVX where present); only for use after
/// [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn digest(data: &[u8]) -> [u8; 64] {
    if crate::cpu::has_gfni_avx() {
        // SAFETY: GFNI, AVX, AES-NI and SSSE3 have just been detected.
        return unsafe { digest_gfni(data) };
    }
    // SAFETY: `fugue512` calls this only once AES-NI and SSSE3 have been detected.
    unsafe { digest_aes_ni(data) }
}

#[target_feature(enable = "aes,ssse3")]
fn digest_aes_ni(data: &[u8]) -> [u8; 64] {
    super::digest::<Registers<Doublings>, AesNi<Doublings>>(data)
}

#[target_feature(enable = "aes,ssse3,gfni,avx")]
fn digest_gfni(data: &[u8]) -> [u8; 64] {
    super::digest::<Registers<Gfni>, AesNi<Gfni>>(data)
}

// SAFETY (for every intrinsic below): the code is `#[inline(always)]` and only reached
// from `digest_aes_ni` and `digest_gfni`, whose features (AES-NI, SSSE3, and GFNI with AVX
// for `Gfni`) `digest` has detected. No closures hold intrinsics: a closure would not be
// inlined, and its intrinsics would become calls.

/// A way to multiply sixteen bytes, each by its own constant, in GF(2^8).
trait Multiply {
    fn mul(x: __m128i, c: [u8; 16]) -> __m128i;
}

/// Doublings and XORs on SSE2.
struct Doublings;

impl Multiply for Doublings {
    #[inline(always)]
    fn mul(mut x: __m128i, c: [u8; 16]) -> __m128i {
        let mut product = zero();
        let mut bit = 0;
        // Every constant here is below 8.
        while bit < 3 {
            let mut mask = [0u8; 16];
            let mut i = 0;
            while i < 16 {
                mask[i] = if c[i] >> bit & 1 != 0 { 0xff } else { 0 };
                i += 1;
            }
            // SAFETY: see above.
            product = unsafe { _mm_xor_si128(product, _mm_and_si128(x, vector(mask))) };
            // SAFETY: see above.
            x = unsafe { crate::aes::double(x) };
            bit += 1;
        }
        product
    }
}

/// GFNI's `gf2p8mulb` (the AES field); only inlined into `digest_gfni`.
struct Gfni;

impl Multiply for Gfni {
    #[inline(always)]
    fn mul(x: __m128i, c: [u8; 16]) -> __m128i {
        // SAFETY: only used by `digest_gfni`, which requires GFNI.
        unsafe { _mm_gf2p8mul_epi8(x, vector(c)) }
    }
}

#[inline(always)]
fn vector<T: Copy>(bytes: [T; 16]) -> __m128i {
    // SAFETY: sixteen bytes are readable; SSE2 is baseline on x86-64.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn zero() -> __m128i {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe { _mm_setzero_si128() }
}

#[inline(always)]
fn xor(a: __m128i, b: __m128i) -> __m128i {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe { _mm_xor_si128(a, b) }
}

#[inline(always)]
fn shuffle(x: __m128i, mask: [u8; 16]) -> __m128i {
    // SAFETY: see above.
    unsafe { _mm_shuffle_epi8(x, vector(mask)) }
}

/// SMIX on AES-NI for the columns in memory (G's second phase), with products by `F`.
struct AesNi<F>(PhantomData<F>);

impl<F: Multiply> Mix for AesNi<F> {
    #[inline(always)]
    fn smix(s: &mut [u32; COLUMNS], cols: [usize; 4]) {
        let [c0, c1, c2, c3] = cols.map(|c| s[c] as i32);
        // SAFETY: SSE2 is baseline on x86-64.
        let out = super_mix::<F>(unsafe { _mm_set_epi32(c3, c2, c1, c0) });
        let mut words = [0u32; 4];
        // SAFETY: sixteen bytes are writable.
        unsafe { _mm_storeu_si128(words.as_mut_ptr().cast(), out) };
        for (k, &c) in cols.iter().enumerate() {
            s[c] = words[k];
        }
    }
}

/// Register byte holding row `r` of column `j`.
const fn at(r: usize, j: usize) -> usize {
    4 * j + 3 - r
}

/// The byte that AES's inverse ShiftRows moves to byte `p` (ShiftRows makes byte
/// 4j + i take byte 4((j + i) % 4) + i).
const fn inverse_shift_rows(p: usize) -> usize {
    let (j, i) = (p / 4, p % 4);
    4 * ((j + 4 - i) % 4) + i
}

/// The byte that row r of output column k takes: row r of column k + r.
const fn fugue_shift(p: usize) -> usize {
    let (j, r) = (p / 4, 3 - p % 4);
    at(r, (j + r) % 4)
}

/// The byte that row r of each column takes: row r - d.
const fn rows_down(d: usize, p: usize) -> usize {
    let (j, r) = (p / 4, 3 - p % 4);
    at((r + 4 - d) % 4, j)
}

/// `pshufb` masks taking the U terms from A: `U_TERMS[d]` is the Fugue shift of row
/// `d` down of S = inverse ShiftRows(A).
const U_TERMS: [[u8; 16]; 4] = {
    let mut masks = [[0u8; 16]; 4];
    let mut d = 0;
    while d < 4 {
        let mut p = 0;
        while p < 16 {
            masks[d][p] = inverse_shift_rows(rows_down(d, fugue_shift(p))) as u8;
            p += 1;
        }
        d += 1;
    }
    masks
};

/// `pshufb` mask giving every byte of row r the diagonal byte S[r][r], from A.
const DIAGONAL: [u8; 16] = {
    let mut mask = [0u8; 16];
    let mut p = 0;
    while p < 16 {
        let r = 3 - p % 4;
        mask[p] = inverse_shift_rows(at(r, r)) as u8;
        p += 1;
    }
    mask
};

/// M1[k] in every byte of column k.
const COLUMN_FACTORS: [u8; 16] = {
    let mut factors = [0u8; 16];
    let mut p = 0;
    while p < 16 {
        factors[p] = [1, 1, 7, 4][p / 4];
        p += 1;
    }
    factors
};

/// S-box then super-mix of the matrix `x`.
#[inline(always)]
fn super_mix<F: Multiply>(x: __m128i) -> __m128i {
    // SAFETY: see above.
    let a = unsafe { _mm_aesenclast_si128(x, _mm_setzero_si128()) };
    // Row sums are the same in A and S; xor out the diagonal for V.
    let v = xor(xor_columns(a), shuffle(a, DIAGONAL));
    let u = xor(shuffle(a, U_TERMS[0]), shuffle(a, U_TERMS[1]));
    let u = xor(
        u,
        xor(
            F::mul(shuffle(a, U_TERMS[2]), [7; 16]),
            F::mul(shuffle(a, U_TERMS[3]), [4; 16]),
        ),
    );
    xor(u, F::mul(v, COLUMN_FACTORS))
}

/// The XOR of the four columns, in every column.
#[inline(always)]
fn xor_columns(x: __m128i) -> __m128i {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe {
        let pairs = _mm_xor_si128(x, _mm_shuffle_epi32::<0b01_00_11_10>(x));
        _mm_xor_si128(pairs, _mm_shuffle_epi32::<0b10_11_00_01>(pairs))
    }
}

/// The state in twelve registers: logical columns 3k, 3k + 1, 3k + 2 in lanes 0..3 of
/// register [`triple`]`(W, shift, k)`, lane 3 zero.
struct Registers<F> {
    triples: [__m128i; 12],
    multiply: PhantomData<F>,
}

/// Register of logical triple `k`, `shift` columns into the rounds of input word `word`
/// modulo 3 (the column layout of [`offset`], three columns to a register).
const fn triple(word: usize, shift: usize, k: usize) -> usize {
    (offset(word, shift) / 3 + k) % 12
}

/// Lanes 0, 1, 2 (`KEEP[0]`) or 1, 2 (`KEEP[1]`) kept, the others cleared.
const KEEP: [[u32; 4]; 2] = [[!0, !0, !0, 0], [0, !0, !0, 0]];

/// `pshufb` mask moving lane 0 to lane 1 and clearing the rest.
const LANE_0_TO_1: [u8; 16] = [
    0x80, 0x80, 0x80, 0x80, 0, 1, 2, 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
];

#[inline(always)]
fn keep(x: __m128i, lanes: usize) -> __m128i {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe { _mm_and_si128(x, _mm_loadu_si128(KEEP[lanes].as_ptr().cast())) }
}

impl<F: Multiply> Registers<F> {
    /// ROR3, CMIX and SMIX, `SHIFT` columns into the rounds of word `W` modulo 3;
    /// returns the SMIX output.
    #[inline(always)]
    fn step<const W: usize, const SHIFT: usize>(&mut self) -> __m128i {
        let [k0, k1, k2, k6] = [0, 1, 2, 6].map(|k| triple(W, SHIFT, k));
        let (t1, t2) = (self.triples[k1], self.triples[k2]);
        // SAFETY: see above.
        unsafe {
            // CMIX: columns 4, 5, 6 into 0, 1, 2 and 18, 19, 20.
            let cmix = _mm_castps_si128(_mm_shuffle_ps::<0b11_00_10_01>(
                _mm_castsi128_ps(t1),
                _mm_castsi128_ps(t2),
            ));
            self.triples[k6] = xor(self.triples[k6], cmix);
            // SMIX on columns 0..4.
            let x = _mm_or_si128(xor(self.triples[k0], cmix), _mm_slli_si128::<12>(t1));
            self.smix(x, k0, k1)
        }
    }

    /// [`Registers::step`] right after another step that returned `y`: columns 3..7
    /// are then `y`, so CMIX and the SMIX input come from `y` in two instructions.
    #[inline(always)]
    fn step_after<const W: usize, const SHIFT: usize>(&mut self, y: __m128i) -> __m128i {
        let [k0, k1, k6] = [0, 1, 6].map(|k| triple(W, SHIFT, k));
        // SAFETY: see above.
        unsafe {
            // CMIX: columns 4, 5, 6 (y1, y2, y3) into 0, 1, 2 and 18, 19, 20.
            self.triples[k6] = xor(self.triples[k6], _mm_srli_si128::<4>(y));
            // SMIX on columns 0..4: (y1, y2, y3) added to columns 0..3 (lane 3 zero),
            // and column 3 is y0.
            let x = xor(self.triples[k0], _mm_shuffle_epi32::<0b00_11_10_01>(y));
            self.smix(x, k0, k1)
        }
    }

    /// SMIX of `x`, columns 0..4 at registers `k0` (three) and `k1` (one); returns them.
    #[inline(always)]
    fn smix(&mut self, x: __m128i, k0: usize, k1: usize) -> __m128i {
        let y = super_mix::<F>(x);
        self.triples[k0] = keep(y, 0);
        // SAFETY: see above.
        self.triples[k1] =
            unsafe { _mm_or_si128(keep(self.triples[k1], 1), _mm_srli_si128::<12>(y)) };
        y
    }
}

impl<F: Multiply> Rounds for Registers<F> {
    #[inline(always)]
    fn start() -> Self {
        let mut columns = [0u32; 4 * 12];
        for (k, chunk) in columns.chunks_exact_mut(4).enumerate() {
            for (i, column) in chunk[..3].iter_mut().enumerate() {
                *column = (3 * k + i)
                    .checked_sub(COLUMNS - IV.len())
                    .map_or(0, |i| IV[i]);
            }
        }
        let mut triples = [zero(); 12];
        for (triple, chunk) in triples.iter_mut().zip(columns.chunks_exact(4)) {
            // SAFETY: sixteen bytes are readable; SSE2 is baseline on x86-64.
            *triple = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
        }
        Self {
            triples,
            multiply: PhantomData,
        }
    }

    #[inline(always)]
    fn absorb<const W: usize>(&mut self, word: u32) {
        let at = |k| triple(W, 0, k);
        let t = &mut self.triples;
        // SAFETY: see above.
        unsafe {
            // TIX: S22 ^= S0, S0 = word, S8 ^= word, S1 ^= S24, S4 ^= S27, S7 ^= S30.
            t[at(7)] = xor(t[at(7)], shuffle(t[at(0)], LANE_0_TO_1));
            let word = _mm_cvtsi32_si128(word as i32);
            t[at(0)] = _mm_or_si128(keep(t[at(0)], 1), word);
            t[at(2)] = xor(t[at(2)], _mm_slli_si128::<8>(word));
            t[at(0)] = xor(t[at(0)], shuffle(t[at(8)], LANE_0_TO_1));
            t[at(1)] = xor(t[at(1)], shuffle(t[at(9)], LANE_0_TO_1));
            t[at(2)] = xor(t[at(2)], shuffle(t[at(10)], LANE_0_TO_1));
        }
        self.mix4::<W>();
    }

    #[inline(always)]
    fn mix4<const W: usize>(&mut self) {
        let y = self.step::<W, 3>();
        let y = self.step_after::<W, 6>(y);
        let y = self.step_after::<W, 9>(y);
        self.step_after::<W, 12>(y);
    }

    #[inline(always)]
    fn columns(&self) -> [u32; COLUMNS] {
        let mut columns = [0u32; COLUMNS];
        for (chunk, &triple) in columns.chunks_exact_mut(3).zip(&self.triples) {
            let mut lanes = [0u32; 4];
            // SAFETY: sixteen bytes are writable; SSE2 is baseline on x86-64.
            unsafe { _mm_storeu_si128(lanes.as_mut_ptr().cast(), triple) };
            chunk.copy_from_slice(&lanes[..3]);
        }
        columns
    }
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
            let expected = super::super::digest::<
                super::super::Columns<super::super::Tables>,
                super::super::Tables,
            >(&data[..len]);
            if crate::cpu::has_aes_ni() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_aes_ni(&data[..len]) }, expected);
            }
            if crate::cpu::has_aes_ni() && crate::cpu::has_gfni_avx() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_gfni(&data[..len]) }, expected);
            }
        }
    }
}

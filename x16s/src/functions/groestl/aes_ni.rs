//! Grøstl-512 on AES-NI and SSSE3, in the row layout of Gueron et al.'s AES-NI
//! Grøstl: each of the eight rows of the 8 × 16 byte state is one register, so that
//! SubBytes is `aesenclast` (whose AES ShiftRows is undone by the `pshufb` of
//! ShiftBytes), and MixBytes combines whole rows. Where VAES and GFNI are present, the
//! compression function runs P and Q side by side in 256-bit registers.

use core::arch::x86_64::{
    __m128i, __m256i, _mm_aesenclast_si128, _mm_loadu_si128, _mm_set1_epi8, _mm_setzero_si128,
    _mm_shuffle_epi8, _mm_storeu_si128, _mm_xor_si128, _mm256_aesenclast_epi128,
    _mm256_castsi256_si128, _mm256_extracti128_si256, _mm256_gf2p8mul_epi8, _mm256_set_m128i,
    _mm256_set1_epi8, _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_xor_si256,
};

/// Bytes in a message block (and in the state) of Grøstl-512.
const BLOCK: usize = 128;
/// Rounds of P1024 and Q1024.
const ROUNDS: u8 = 14;

/// The state: row `i` holds bytes `i, 8 + i, 16 + i, …` of the block (spec §3.3).
type Rows = [__m128i; 8];

/// Grøstl-512 on AES-NI and SSSE3 (and VAES with GFNI where present); only for use
/// after [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn digest(data: &[u8]) -> [u8; 64] {
    if crate::cpu::has_vaes_gfni() {
        // SAFETY: VAES, GFNI, AVX2, AES-NI and SSSE3 have just been detected.
        return unsafe { digest_vaes(data) };
    }
    // SAFETY: `groestl512` calls this only once AES-NI and SSSE3 have been detected.
    unsafe { digest_aes_ni(data) }
}

#[target_feature(enable = "aes,ssse3")]
fn digest_aes_ni(data: &[u8]) -> [u8; 64] {
    digest_with::<AesNi>(data)
}

#[target_feature(enable = "aes,ssse3,avx2,vaes,gfni")]
fn digest_vaes(data: &[u8]) -> [u8; 64] {
    digest_with::<Vaes>(data)
}

/// Grøstl-512 with the given compression function.
#[inline(always)]
fn digest_with<C: Compress>(data: &[u8]) -> [u8; 64] {
    // Initial value: the output size in bits, as the last (big-endian) bytes.
    let mut iv = [0u8; BLOCK];
    iv[BLOCK - 2..].copy_from_slice(&512u16.to_be_bytes());
    let mut h = rows(&iv);

    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        C::compress(&mut h, block);
    }
    // Padding (spec §3.4): a one bit, zeros, and the number of blocks as 64 bits.
    let mut tail = [0u8; 2 * BLOCK];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() + 9 <= BLOCK {
        BLOCK
    } else {
        2 * BLOCK
    };
    let count = (blocks.len() + tail_len / BLOCK) as u64;
    tail[tail_len - 8..tail_len].copy_from_slice(&count.to_be_bytes());
    for block in tail[..tail_len].as_chunks::<BLOCK>().0 {
        C::compress(&mut h, block);
    }

    // Output transformation: the last 512 bits of P(h) ⊕ h.
    let mut x = permute::<__m128i, P>(h);
    for (x, h) in x.iter_mut().zip(h) {
        *x = x.xor(h);
    }
    let bytes = bytes(&x);
    let mut out = [0u8; 64];
    out.copy_from_slice(&bytes[BLOCK - 64..]);
    out
}

/// A compression function f(h, m) = P(h ⊕ m) ⊕ Q(m) ⊕ h.
trait Compress {
    fn compress(h: &mut Rows, block: &[u8; BLOCK]);
}

/// P, then Q, on 128-bit rows; only inlined into `digest_aes_ni`.
struct AesNi;

impl Compress for AesNi {
    #[inline(always)]
    fn compress(h: &mut Rows, block: &[u8; BLOCK]) {
        let m = rows(block);
        let mut hm = m;
        for (hm, h) in hm.iter_mut().zip(*h) {
            *hm = hm.xor(h);
        }
        let p = permute::<__m128i, P>(hm);
        let q = permute::<__m128i, Q>(m);
        for ((h, p), q) in h.iter_mut().zip(p).zip(q) {
            *h = h.xor(p.xor(q));
        }
    }
}

/// P and Q side by side on 256-bit rows; only inlined into `digest_vaes`.
struct Vaes;

impl Compress for Vaes {
    #[inline(always)]
    fn compress(h: &mut Rows, block: &[u8; BLOCK]) {
        let m = rows(block);
        // SAFETY (both blocks): `Vaes` is only used by `digest_vaes`, which requires
        // AVX2. (Loops, not closures, as in `mix_bytes`.)
        let mut both = [unsafe { _mm256_setzero_si256() }; 8];
        for ((both, h), m) in both.iter_mut().zip(*h).zip(m) {
            *both = unsafe { _mm256_set_m128i(m, h.xor(m)) };
        }
        let both = permute::<__m256i, PQ>(both);
        for (h, pq) in h.iter_mut().zip(both) {
            let (p, q) = unsafe {
                (
                    _mm256_castsi256_si128(pq),
                    _mm256_extracti128_si256::<1>(pq),
                )
            };
            *h = h.xor(p.xor(q));
        }
    }
}

/// The state of a block, byte `8j + i` at row `i`, column `j`.
#[inline(always)]
fn rows(block: &[u8; BLOCK]) -> Rows {
    let mut rows = [[0u8; 16]; 8];
    for (j, column) in block.chunks_exact(8).enumerate() {
        for (row, &byte) in rows.iter_mut().zip(column) {
            row[j] = byte;
        }
    }
    // SAFETY: each row is 16 readable bytes; unaligned loads.
    rows.map(|row| unsafe { _mm_loadu_si128(row.as_ptr().cast()) })
}

/// The bytes of a state (the inverse of [`rows`]).
#[inline(always)]
fn bytes(state: &Rows) -> [u8; BLOCK] {
    let mut rows = [[0u8; 16]; 8];
    for (row, &register) in rows.iter_mut().zip(state) {
        // SAFETY: each row is 16 writable bytes; unaligned stores.
        unsafe { _mm_storeu_si128(row.as_mut_ptr().cast(), register) };
    }
    core::array::from_fn(|b| rows[b % 8][b / 8])
}

/// A register of state rows: one row of one permutation (`__m128i`), or the same row
/// of P and of Q side by side (`__m256i`, VAES and GFNI).
trait Row: Copy {
    fn xor(self, other: Self) -> Self;
    /// Bytewise multiplication by 2 in GF(2^8).
    fn double(self) -> Self;
    /// SubBytes, then in each 128-bit lane the byte shuffle `mask`.
    fn sub_bytes_shuffle(self, mask: Self) -> Self;
}

impl Row for __m128i {
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { _mm_xor_si128(self, other) }
    }

    #[inline(always)]
    fn double(self) -> Self {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { crate::aes::double(self) }
    }

    #[inline(always)]
    fn sub_bytes_shuffle(self, mask: Self) -> Self {
        // SAFETY: 128-bit rows are only used inside `digest_aes_ni` and `digest_vaes`,
        // which require AES-NI and SSSE3.
        unsafe { _mm_shuffle_epi8(_mm_aesenclast_si128(self, _mm_setzero_si128()), mask) }
    }
}

// SAFETY (all methods): 256-bit rows are only used inside `digest_vaes`, which requires
// AVX2, VAES and GFNI.
impl Row for __m256i {
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        unsafe { _mm256_xor_si256(self, other) }
    }

    #[inline(always)]
    fn double(self) -> Self {
        unsafe { _mm256_gf2p8mul_epi8(self, _mm256_set1_epi8(2)) }
    }

    #[inline(always)]
    fn sub_bytes_shuffle(self, mask: Self) -> Self {
        unsafe { _mm256_shuffle_epi8(_mm256_aesenclast_epi128(self, _mm256_setzero_si256()), mask) }
    }
}

/// A permutation on rows of type `R`: its ShiftBytes masks and round constants.
trait Permutation<R: Row> {
    /// The `pshufb` mask of each row (see [`SHIFT_MASKS`]).
    fn masks() -> [R; 8];
    /// AddRoundConstant for round `r`.
    fn add_round_constant(state: &mut [R; 8], r: u8);
}

/// P1024.
struct P;
/// Q1024.
struct Q;
/// P1024 in the low halves of 256-bit rows beside Q1024 in the high halves.
struct PQ;

/// ShiftBytes of P1024 and of Q1024: row `i` moves left by `SHIFTS[i]` columns.
const P_SHIFTS: [usize; 8] = [0, 1, 2, 3, 4, 5, 6, 11];
const Q_SHIFTS: [usize; 8] = [1, 3, 5, 11, 0, 2, 4, 6];

/// The mask of [`SHIFT_MASKS`] for shift `s`, in a register.
#[inline(always)]
fn shift_mask(s: usize) -> __m128i {
    // SAFETY: 16 readable bytes; SSE2 is baseline on x86-64.
    unsafe { _mm_loadu_si128(SHIFT_MASKS[s].as_ptr().cast()) }
}

/// `(j << 4) ^ r` in column `j`: the row-specific round constant of round `r`.
#[inline(always)]
fn column_constants(r: u8) -> __m128i {
    let c: [u8; 16] = core::array::from_fn(|j| (j as u8) << 4 ^ r);
    // SAFETY: 16 readable bytes; SSE2 is baseline on x86-64.
    unsafe { _mm_loadu_si128(c.as_ptr().cast()) }
}

/// All bits set, the constant that Q adds to every byte.
#[inline(always)]
fn ones() -> __m128i {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe { _mm_set1_epi8(-1) }
}

impl Permutation<__m128i> for P {
    #[inline(always)]
    fn masks() -> [__m128i; 8] {
        P_SHIFTS.map(shift_mask)
    }

    #[inline(always)]
    fn add_round_constant(state: &mut Rows, r: u8) {
        state[0] = state[0].xor(column_constants(r));
    }
}

impl Permutation<__m128i> for Q {
    #[inline(always)]
    fn masks() -> [__m128i; 8] {
        Q_SHIFTS.map(shift_mask)
    }

    #[inline(always)]
    fn add_round_constant(state: &mut Rows, r: u8) {
        for row in state.iter_mut() {
            *row = row.xor(ones());
        }
        state[7] = state[7].xor(column_constants(r));
    }
}

// SAFETY (all methods): `PQ` only runs inside `digest_vaes`, which requires AVX2.
impl Permutation<__m256i> for PQ {
    #[inline(always)]
    fn masks() -> [__m256i; 8] {
        let mut masks = [unsafe { _mm256_setzero_si256() }; 8];
        for ((mask, p), q) in masks.iter_mut().zip(P_SHIFTS).zip(Q_SHIFTS) {
            *mask = unsafe { _mm256_set_m128i(shift_mask(q), shift_mask(p)) };
        }
        masks
    }

    #[inline(always)]
    fn add_round_constant(state: &mut [__m256i; 8], r: u8) {
        let (column, zero) = (column_constants(r), ones().xor(ones()));
        for (i, row) in state.iter_mut().enumerate() {
            let p = if i == 0 { column } else { zero };
            let q = if i == 7 { ones().xor(column) } else { ones() };
            *row = row.xor(unsafe { _mm256_set_m128i(q, p) });
        }
    }
}

/// `pshufb` masks, by shift `s`: byte `j` of the result takes the byte that AES
/// ShiftRows moved from position `(j + s) % 16`, so that after `aesenclast` the mask
/// both undoes ShiftRows and rotates the row left by `s`.
const SHIFT_MASKS: [[u8; 16]; 16] = {
    let mut masks = [[0u8; 16]; 16];
    let mut s = 0;
    while s < 16 {
        let mut j = 0;
        while j < 16 {
            let q = (j + s) % 16;
            // AES ShiftRows puts byte 4c + r at 4((c + 4 - r) % 4) + r.
            let (c, r) = (q / 4, q % 4);
            masks[s][j] = (4 * ((c + 4 - r) % 4) + r) as u8;
            j += 1;
        }
        s += 1;
    }
    masks
};

/// The permutation `T` (14 rounds) on rows of type `R`.
#[inline(always)]
fn permute<R: Row, T: Permutation<R>>(mut state: [R; 8]) -> [R; 8] {
    let masks = T::masks();
    for r in 0..ROUNDS {
        T::add_round_constant(&mut state, r);
        // SubBytes and ShiftBytes.
        for (row, mask) in state.iter_mut().zip(masks) {
            *row = row.sub_bytes_shuffle(mask);
        }
        mix_bytes(&mut state);
    }
    state
}

/// MixBytes: row `i` becomes Σ_k c_k · row `(i + k) % 8` with the circulant's first row
/// c = (2, 2, 3, 4, 5, 3, 5, 7), computed as X1 ⊕ 2 (X2 ⊕ 2 X4), where X_b sums the
/// rows `i + k` whose c_k has bit b set: X1 over k = 2, 4, 5, 6, 7, X2 over 0, 1, 2, 5, 7
/// and X4 over 3, 4, 6, 7. Sums of neighbouring rows t_j = a_j ⊕ a_(j+1) are shared:
/// X4 = t_(i+3) ⊕ t_(i+6), X1 = u ⊕ t_(i+4) and X2 = u ⊕ t_i ⊕ t_(i+5) with
/// u = a_(i+2) ⊕ t_(i+6).
#[inline(always)]
fn mix_bytes<R: Row>(state: &mut [R; 8]) {
    // Loops, not closures: a closure would not inherit the caller's target features,
    // and the intrinsics in it would stay function calls.
    let a = *state;
    let mut t = a;
    for j in 0..8 {
        t[j] = a[j].xor(a[(j + 1) % 8]);
    }
    for (i, row) in state.iter_mut().enumerate() {
        let t = |k: usize| t[(i + k) % 8];
        let u = a[(i + 2) % 8].xor(t(6));
        let x1 = u.xor(t(4));
        let x2 = u.xor(t(0)).xor(t(5));
        let x4 = t(3).xor(t(6));
        *row = x1.xor(x2.xor(x4.double()).double());
    }
}

#[cfg(test)]
mod tests {
    /// Both compression functions against the portable Grøstl (the dispatched one is
    /// tested in the parent module), where this processor has them.
    #[test]
    fn both_compressions_match_portable() {
        let data: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for len in 0..=data.len() {
            let expected = super::super::portable(&data[..len]);
            if crate::cpu::has_aes_ni() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_aes_ni(&data[..len]) }, expected);
            }
            if crate::cpu::has_vaes_gfni() {
                // SAFETY: just detected.
                assert_eq!(unsafe { super::digest_vaes(&data[..len]) }, expected);
            }
        }
    }
}

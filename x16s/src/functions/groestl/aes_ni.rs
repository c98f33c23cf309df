//! Grøstl-512 on AES-NI and SSSE3, in the row layout of Gueron et al.'s AES-NI
//! Grøstl: each of the eight rows of the 8 × 16 byte state is one register, so that
//! SubBytes is `aesenclast` (whose AES ShiftRows is undone by the `pshufb` of
//! ShiftBytes), and MixBytes combines whole rows.

use core::arch::x86_64::{
    __m128i, _mm_aesenclast_si128, _mm_loadu_si128, _mm_set1_epi8, _mm_setzero_si128,
    _mm_shuffle_epi8, _mm_storeu_si128, _mm_xor_si128,
};

use crate::aes::double;

/// Bytes in a message block (and in the state) of Grøstl-512.
const BLOCK: usize = 128;
/// Rounds of P1024 and Q1024.
const ROUNDS: u8 = 14;

/// The state: row `i` holds bytes `i, 8 + i, 16 + i, …` of the block (spec §3.3).
type Rows = [__m128i; 8];

/// Grøstl-512 on AES-NI and SSSE3; only for use after [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn digest(data: &[u8]) -> [u8; 64] {
    // SAFETY: `groestl512` calls this only once AES-NI and SSSE3 have been detected.
    unsafe { digest_aes_ni(data) }
}

#[target_feature(enable = "aes,ssse3")]
fn digest_aes_ni(data: &[u8]) -> [u8; 64] {
    // Initial value: the output size in bits, as the last (big-endian) bytes.
    let mut iv = [0u8; BLOCK];
    iv[BLOCK - 2..].copy_from_slice(&512u16.to_be_bytes());
    let mut h = rows(&iv);

    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        compress(&mut h, block);
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
        compress(&mut h, block);
    }

    // Output transformation: the last 512 bits of P(h) ⊕ h.
    let p = permute::<P>(h);
    let bytes = bytes(&core::array::from_fn(|i| _mm_xor_si128(p[i], h[i])));
    let mut out = [0u8; 64];
    out.copy_from_slice(&bytes[BLOCK - 64..]);
    out
}

/// The compression function f(h, m) = P(h ⊕ m) ⊕ Q(m) ⊕ h.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn compress(h: &mut Rows, block: &[u8; BLOCK]) {
    let m = rows(block);
    let p = permute::<P>(core::array::from_fn(|i| _mm_xor_si128(h[i], m[i])));
    let q = permute::<Q>(m);
    for ((h, p), q) in h.iter_mut().zip(p).zip(q) {
        *h = _mm_xor_si128(*h, _mm_xor_si128(p, q));
    }
}

/// The state of a block, byte `8j + i` at row `i`, column `j`.
#[inline]
#[target_feature(enable = "sse2")]
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
#[inline]
#[target_feature(enable = "sse2")]
fn bytes(state: &Rows) -> [u8; BLOCK] {
    let mut rows = [[0u8; 16]; 8];
    for (row, &register) in rows.iter_mut().zip(state) {
        // SAFETY: each row is 16 writable bytes; unaligned stores.
        unsafe { _mm_storeu_si128(row.as_mut_ptr().cast(), register) };
    }
    core::array::from_fn(|b| rows[b % 8][b / 8])
}

/// One of the two permutations: its constants and row shifts.
trait Permutation {
    /// ShiftBytes: row `i` moves left by `SHIFTS[i]` columns.
    const SHIFTS: [usize; 8];
    /// AddRoundConstant for round `r`.
    fn add_round_constant(state: &mut Rows, r: u8);
}

/// P1024.
struct P;
/// Q1024.
struct Q;

/// `(j << 4)` in column `j`: the column-dependent part of the round constants.
#[inline(always)]
fn column_constants(r: u8) -> __m128i {
    let c: [u8; 16] = core::array::from_fn(|j| (j as u8) << 4 ^ r);
    // SAFETY: 16 readable bytes; SSE2 is baseline on x86-64.
    unsafe { _mm_loadu_si128(c.as_ptr().cast()) }
}

impl Permutation for P {
    const SHIFTS: [usize; 8] = [0, 1, 2, 3, 4, 5, 6, 11];

    #[inline(always)]
    fn add_round_constant(state: &mut Rows, r: u8) {
        // SAFETY: SSE2 is baseline on x86-64.
        state[0] = unsafe { _mm_xor_si128(state[0], column_constants(r)) };
    }
}

impl Permutation for Q {
    const SHIFTS: [usize; 8] = [1, 3, 5, 11, 0, 2, 4, 6];

    #[inline(always)]
    fn add_round_constant(state: &mut Rows, r: u8) {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe {
            let ones = _mm_set1_epi8(-1);
            for row in state.iter_mut() {
                *row = _mm_xor_si128(*row, ones);
            }
            state[7] = _mm_xor_si128(state[7], column_constants(r));
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

/// The permutation `T` (P1024 or Q1024): 14 rounds.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn permute<T: Permutation>(mut state: Rows) -> Rows {
    let masks: [__m128i; 8] = core::array::from_fn(|i| {
        // SAFETY: each mask is 16 readable bytes.
        unsafe { _mm_loadu_si128(SHIFT_MASKS[T::SHIFTS[i]].as_ptr().cast()) }
    });
    for r in 0..ROUNDS {
        T::add_round_constant(&mut state, r);
        // SubBytes and ShiftBytes.
        for (row, mask) in state.iter_mut().zip(masks) {
            *row = _mm_shuffle_epi8(_mm_aesenclast_si128(*row, _mm_setzero_si128()), mask);
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
#[inline]
#[target_feature(enable = "sse2")]
fn mix_bytes(state: &mut Rows) {
    let a = *state;
    let t: Rows = core::array::from_fn(|j| _mm_xor_si128(a[j], a[(j + 1) % 8]));
    *state = core::array::from_fn(|i| {
        let t = |k: usize| t[(i + k) % 8];
        let u = _mm_xor_si128(a[(i + 2) % 8], t(6));
        let x1 = _mm_xor_si128(u, t(4));
        let x2 = _mm_xor_si128(_mm_xor_si128(u, t(0)), t(5));
        let x4 = _mm_xor_si128(t(3), t(6));
        _mm_xor_si128(x1, double(_mm_xor_si128(x2, double(x4))))
    });
}

//! SIMD-512 (Leurent, Bouillaguet, Fouque: "SIMD Is a Message Digest", v1.1), as in
//! sphlib.

mod expansion;

use crate::lanes::Lanes;

/// Message block size in bytes.
const BLOCK: usize = 128;

/// Initial chaining value of SIMD-512 (spec appendix, IV for n = 512): rows A, B, C, D.
const IV: [u32; 32] = [
    0x0ba16b95, 0x72f999ad, 0x9fecc2ae, 0xba3264fc, 0x5e894929, 0x8e9f30e5, 0x2f1daa37, 0xf0f2c558,
    0xac506643, 0xa90635a5, 0xe25b878b, 0xaab7878f, 0x88817f7a, 0x0a02892b, 0x559a7550, 0x598f657e,
    0x7eef60a1, 0x6b70e3e8, 0x9c1714d1, 0xb958e2a8, 0xab02675e, 0xed1c014f, 0xcd8d65bb, 0xfdb7a257,
    0x09254899, 0xd699c7bc, 0x9019b6dc, 0x2b9022e4, 0x8fa14956, 0x21bf9bd3, 0xb94d0943, 0x6ffddc22,
];

/// Rotation amounts π0..π3 of the four rounds (spec §2.4.2).
const ROTATIONS: [[u32; 4]; 4] = [
    [3, 23, 17, 27],
    [28, 19, 22, 7],
    [29, 9, 15, 5],
    [4, 13, 10, 25],
];

/// The step permutations p^(k) of SIMD-512 (spec §2.4.1): lane `n` is fed from lane
/// `n ^ PERMUTATION_XOR[k]`; step `i` of round `r` uses k = (i + r) mod 7.
const PERMUTATION_XOR: [usize; 7] = [1, 6, 2, 3, 5, 7, 4];

/// Eight 32-bit lanes of one state row.
type Row = [u32; 8];

/// The A, B, C, D rows of the SIMD-512 state.
#[derive(Clone, Copy)]
struct State {
    a: Lanes,
    b: Lanes,
    c: Lanes,
    d: Lanes,
}

/// SIMD-512 digest of `data` (SIMD v1.1 with the round-2 tweak, as in sphlib's
/// `sph_simd512` and the X16R family).
///
/// On x86-64 processors with AVX2 the same code is compiled for AVX2 (detected at run
/// time), which LLVM vectorizes on wider registers, or for AVX-512 where present
/// (512-bit registers, three-input logic and rotations in one instruction).
pub fn simd512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512vl() {
        // SAFETY: the CPU has AVX-512F and AVX-512VL, checked just above.
        return unsafe { simd512_avx512(data) };
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { simd512_avx2(data) };
    }
    digest(data)
}

/// [`digest`] compiled for AVX2 (the compression function is inlined into it, so
/// that it is compiled for AVX2 too).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn simd512_avx2(data: &[u8]) -> [u8; 64] {
    digest(data)
}

/// [`digest`] compiled for AVX-512F and AVX-512VL.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512vl")]
unsafe fn simd512_avx512(data: &[u8]) -> [u8; 64] {
    digest(data)
}

/// SIMD-512 of `data`: the portable code.
#[inline(always)]
fn digest(data: &[u8]) -> [u8; 64] {
    let mut chain = IV;
    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        compress(&mut chain, block, false);
    }
    // Padding (spec §2.5): the last partial block is zero-filled; a final block holds
    // the message length in bits, little-endian, and uses the final expansion offsets.
    if !rest.is_empty() {
        let mut last = [0u8; BLOCK];
        last[..rest.len()].copy_from_slice(rest);
        compress(&mut chain, &last, false);
    }
    let mut length = [0u8; BLOCK];
    length[..8].copy_from_slice(&(data.len() as u64).wrapping_mul(8).to_le_bytes());
    compress(&mut chain, &length, true);

    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(&chain) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// The compression function (spec §2.4): four rounds of eight steps keyed by the
/// expanded message, then four feed-forward steps keyed by the chaining value.
#[inline(always)]
fn compress(chain: &mut [u32; 32], block: &[u8; BLOCK], last: bool) {
    let words = expansion::expand(block, last);
    let rows: [Row; 4] = core::array::from_fn(|r| {
        core::array::from_fn(|n| {
            let at = 4 * (8 * r + n);
            chain[8 * r + n]
                ^ u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
        })
    });
    let [a, b, c, d] = rows.map(Lanes::from_array);
    let mut state = State { a, b, c, d };

    let rounds = words.as_chunks::<8>().0;
    round::<0>(&mut state, &rounds[0]);
    round::<1>(&mut state, &rounds[1]);
    round::<2>(&mut state, &rounds[2]);
    round::<3>(&mut state, &rounds[3]);

    // Feed-forward (spec §2.4.3): four IF steps with the chaining value rows as
    // message words.
    let feed = chain.as_chunks::<8>().0;
    step_of::<4, 0>(&mut state, &feed[0], if_);
    step_of::<4, 1>(&mut state, &feed[1], if_);
    step_of::<4, 2>(&mut state, &feed[2], if_);
    step_of::<4, 3>(&mut state, &feed[3], if_);

    let rows = [state.a, state.b, state.c, state.d].map(Lanes::to_array);
    chain.copy_from_slice(rows.as_flattened());
}

/// Round `R` (spec §2.4.2): eight steps, IF in the first four and MAJ in the others.
#[inline(always)]
fn round<const R: usize>(state: &mut State, words: &[Row; 8]) {
    step_of::<R, 0>(state, &words[0], if_);
    step_of::<R, 1>(state, &words[1], if_);
    step_of::<R, 2>(state, &words[2], if_);
    step_of::<R, 3>(state, &words[3], if_);
    step_of::<R, 4>(state, &words[4], maj);
    step_of::<R, 5>(state, &words[5], maj);
    step_of::<R, 6>(state, &words[6], maj);
    step_of::<R, 7>(state, &words[7], maj);
}

/// Step `I` of round `R` (round 4 being the feed-forward, which keeps the rotations of
/// round 3): rotations (π_I, π_(I+1)) and permutation p^((I + R) mod 7). Const
/// parameters make these constants, so the eight lanes vectorize.
#[inline(always)]
fn step_of<const R: usize, const I: usize>(
    state: &mut State,
    w: &Row,
    phi: fn(Lanes, Lanes, Lanes) -> Lanes,
) {
    let pi = ROTATIONS[if R < 4 { R } else { 3 }];
    let (r, s, xor) = (pi[I % 4], pi[(I + 1) % 4], PERMUTATION_XOR[(I + R) % 7]);
    let State { a, b, c, d } = *state;
    let rotated = a.rotate_left(r);
    let t = (d + Lanes::from_array(*w) + phi(a, b, c)).rotate_left(s);
    *state = State {
        a: t + rotated.permute(xor),
        b: rotated,
        c: b,
        d: c,
    };
}

/// IF (spec §2.4.1), the bitwise choice of the first four steps of each round.
#[inline(always)]
fn if_(x: Lanes, y: Lanes, z: Lanes) -> Lanes {
    ((y ^ z) & x) ^ z
}

/// MAJ (spec §2.4.1), the bitwise majority of the last four steps of each round.
#[inline(always)]
fn maj(x: Lanes, y: Lanes, z: Lanes) -> Lanes {
    (x & y) | ((x | y) & z)
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(super::digest, super::simd512);
    }

    /// Each compiled variant this processor can run, against the portable code.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn variants_match_portable() {
        if crate::cpu::has_avx2() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(super::digest, |data| unsafe {
                super::simd512_avx2(data)
            });
        }
        if crate::cpu::has_avx512vl() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(super::digest, |data| unsafe {
                super::simd512_avx512(data)
            });
        }
    }
}

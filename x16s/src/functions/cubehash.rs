//! CubeHash16/32-512 (the "rev2" parameters: 16 rounds per 32-byte block, 160 rounds
//! of initialization and finalization), as sphlib's `sph_cubehash512`.

#[cfg(target_arch = "x86_64")]
mod avx512;

const ROUNDS_PER_BLOCK: usize = 16;
const BLOCK: usize = 32;

/// The 1024-bit state as two halves: words `x[0jklm]` and `x[1jklm]`.
#[derive(Clone, Copy)]
struct State {
    low: [u32; 16],
    high: [u32; 16],
}

impl State {
    /// One CubeHash round. Written on whole halves so the compiler can vectorize it.
    #[inline(always)]
    const fn round(&mut self) {
        self.half_round(7, 8, 2);
        self.half_round(11, 4, 1);
    }

    /// Add, rotate by `rotation`, swap low words `stride_low` apart, xor, swap high
    /// words `stride_high` apart.
    #[inline(always)]
    const fn half_round(&mut self, rotation: u32, stride_low: usize, stride_high: usize) {
        let mut i = 0;
        while i < 16 {
            self.high[i] = self.high[i].wrapping_add(self.low[i]);
            self.low[i] = self.low[i].rotate_left(rotation);
            i += 1;
        }
        self.low = swap_pairs(self.low, stride_low);
        let mut i = 0;
        while i < 16 {
            self.low[i] ^= self.high[i];
            i += 1;
        }
        self.high = swap_pairs(self.high, stride_high);
    }

    #[inline(always)]
    const fn rounds(&mut self, count: usize) {
        let mut r = 0;
        while r < count {
            self.round();
            r += 1;
        }
    }
}

/// Exchanges every word whose index has bit `stride` clear with the word `stride` above it.
#[inline(always)]
const fn swap_pairs(words: [u32; 16], stride: usize) -> [u32; 16] {
    let mut out = [0u32; 16];
    let mut i = 0;
    while i < 16 {
        out[i] = words[i ^ stride];
        i += 1;
    }
    out
}

/// The state after initialization with h = 512 bits, b = 32 bytes, r = 16 rounds.
const INITIAL: State = {
    let mut state = State {
        low: [0; 16],
        high: [0; 16],
    };
    state.low[0] = 512 / 8;
    state.low[1] = BLOCK as u32;
    state.low[2] = ROUNDS_PER_BLOCK as u32;
    state.rounds(10 * ROUNDS_PER_BLOCK);
    state
};

/// A way to run rounds on the state, so that the padding is written once.
trait Rounds {
    fn rounds(state: &mut State, count: usize);
}

/// [`State::rounds`], the portable code.
struct Portable;

impl Rounds for Portable {
    #[inline(always)]
    fn rounds(state: &mut State, count: usize) {
        state.rounds(count);
    }
}

#[inline(always)]
fn absorb<R: Rounds>(state: &mut State, block: &[u8]) {
    for (word, bytes) in state.low[..8].iter_mut().zip(block.chunks_exact(4)) {
        *word ^= u32::from_le_bytes(bytes.try_into().unwrap());
    }
    R::rounds(state, ROUNDS_PER_BLOCK);
}

/// CubeHash16/32-512 of `data`, as sphlib's `sph_cubehash512`.
///
/// On x86-64 the rounds run in AVX-512VL registers, or are the portable code compiled
/// for AVX2, where present (detected at run time).
pub fn cubehash512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512vl() {
        // SAFETY: the CPU has AVX-512F and AVX-512VL, checked just above.
        return unsafe { avx512::digest(data) };
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { cubehash512_avx2(data) };
    }
    digest::<Portable>(data)
}

/// [`digest`] compiled for AVX2, which vectorizes the rounds on whole state halves.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn cubehash512_avx2(data: &[u8]) -> [u8; 64] {
    digest::<Portable>(data)
}

#[inline(always)]
fn digest<R: Rounds>(data: &[u8]) -> [u8; 64] {
    let mut state = INITIAL;
    let mut blocks = data.chunks_exact(BLOCK);
    for block in &mut blocks {
        absorb::<R>(&mut state, block);
    }
    let tail = blocks.remainder();
    let mut last = [0u8; BLOCK];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    absorb::<R>(&mut state, &last);
    state.high[15] ^= 1;
    R::rounds(&mut state, 10 * ROUNDS_PER_BLOCK);
    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(&state.low) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            super::digest::<super::Portable>,
            super::cubehash512,
        );
    }

    /// Each compiled variant this processor can run, against the portable code.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn variants_match_portable() {
        let portable = super::digest::<super::Portable>;
        if crate::cpu::has_avx2() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(portable, |data| unsafe {
                super::cubehash512_avx2(data)
            });
        }
        if crate::cpu::has_avx512vl() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(portable, |data| unsafe {
                super::avx512::digest(data)
            });
        }
    }
}

//! CubeHash's rounds on AVX-512VL: each half of the state in two 256-bit registers
//! (words 0..8 and 8..16), so that of the four word exchanges, the one of words 8 apart
//! is a renaming, those of words 2 and 1 apart are in-lane shuffles, and only the one
//! of words 4 apart crosses lanes; every rotation is one instruction.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi32, _mm256_loadu_si256, _mm256_permute4x64_epi64, _mm256_rol_epi32,
    _mm256_shuffle_epi32, _mm256_storeu_si256, _mm256_xor_si256,
};

use super::{Rounds, State};

/// CubeHash16/32-512 on AVX-512F and AVX-512VL.
///
/// # Safety
/// The CPU must have them ([`crate::cpu::has_avx512vl`]).
#[target_feature(enable = "avx2,avx512f,avx512vl")]
pub(super) unsafe fn digest(data: &[u8]) -> [u8; 64] {
    super::digest::<Registers>(data)
}

/// The rounds in registers; only inlined into [`digest`].
struct Registers;

// SAFETY (for every intrinsic below): the code is `#[inline(always)]` and only
// reached from `digest`, whose target features its caller has detected. No closures
// hold intrinsics: a closure would not be inlined, and its intrinsics would become calls.

#[inline(always)]
fn load(words: &[u32]) -> __m256i {
    assert!(words.len() >= 8);
    // SAFETY: eight words are readable; see above for the features.
    unsafe { _mm256_loadu_si256(words.as_ptr().cast()) }
}

#[inline(always)]
fn store(x: __m256i, words: &mut [u32]) {
    assert!(words.len() >= 8);
    // SAFETY: eight words are writable; see above for the features.
    unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), x) }
}

impl Rounds for Registers {
    #[inline(always)]
    fn rounds(state: &mut State, count: usize) {
        let (mut l0, mut l1) = (load(&state.low[..8]), load(&state.low[8..]));
        let (mut h0, mut h1) = (load(&state.high[..8]), load(&state.high[8..]));
        // SAFETY: see above.
        unsafe {
            for _ in 0..count {
                // The steps of `State::round`, as `half_round(7, 8, 2)` and
                // `half_round(11, 4, 1)`.
                h0 = _mm256_add_epi32(h0, l0);
                h1 = _mm256_add_epi32(h1, l1);
                (l0, l1) = (_mm256_rol_epi32::<7>(l1), _mm256_rol_epi32::<7>(l0));
                l0 = _mm256_xor_si256(l0, h0);
                l1 = _mm256_xor_si256(l1, h1);
                h0 = _mm256_shuffle_epi32::<0b01_00_11_10>(h0);
                h1 = _mm256_shuffle_epi32::<0b01_00_11_10>(h1);

                h0 = _mm256_add_epi32(h0, l0);
                h1 = _mm256_add_epi32(h1, l1);
                l0 = _mm256_permute4x64_epi64::<0b01_00_11_10>(_mm256_rol_epi32::<11>(l0));
                l1 = _mm256_permute4x64_epi64::<0b01_00_11_10>(_mm256_rol_epi32::<11>(l1));
                l0 = _mm256_xor_si256(l0, h0);
                l1 = _mm256_xor_si256(l1, h1);
                h0 = _mm256_shuffle_epi32::<0b10_11_00_01>(h0);
                h1 = _mm256_shuffle_epi32::<0b10_11_00_01>(h1);
            }
        }
        store(l0, &mut state.low[..8]);
        store(l1, &mut state.low[8..]);
        store(h0, &mut state.high[..8]);
        store(h1, &mut state.high[8..]);
    }
}

//! The five Luffa sub-permutations side by side: register `k` holds word `k` of all
//! five 256-bit words (lanes 5..8 unused), so each step is a few AVX2 instructions
//! instead of five times as many scalar ones. Same results as the portable code.
//!
//! Everything here is `#[inline(always)]` into the callers of [`SideBySide`], which
//! are compiled for AVX2, or for AVX-512VL, where LLVM turns the same intrinsics into
//! three-input logic and one-instruction rotations.
//!
//! SAFETY (for every intrinsic below): only reached through [`SideBySide`], whose
//! callers have detected AVX2 and enabled it.

use core::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_loadu_si256, _mm256_or_si256, _mm256_set1_epi32,
    _mm256_setr_epi32, _mm256_slli_epi32, _mm256_sllv_epi32, _mm256_srli_epi32, _mm256_srlv_epi32,
    _mm256_storeu_si256, _mm256_xor_si256,
};

use super::{Permutations, STEP_CONSTANTS, STEPS, State};

/// Step constants by step, as rows of lanes, for words 0 and 4.
const LANE_CONSTANTS: [[[u32; 8]; STEPS]; 2] = {
    let mut constants = [[[0u32; 8]; STEPS]; 2];
    let mut word = 0;
    while word < 2 {
        let mut r = 0;
        while r < STEPS {
            let mut j = 0;
            while j < 5 {
                constants[word][r][j] = STEP_CONSTANTS[j][word][r];
                j += 1;
            }
            r += 1;
        }
        word += 1;
    }
    constants
};

/// Only used, inlined, in functions compiled for AVX2 (or more), after
/// [`crate::cpu::has_avx2`] said yes.
pub(super) struct SideBySide;

impl Permutations for SideBySide {
    #[inline(always)]
    fn permute(v: &mut State) {
        permute(v);
    }
}

#[inline(always)]
fn load(lanes: &[u32; 8]) -> __m256i {
    // SAFETY: reads 32 bytes from a 32-byte array; unaligned loads are allowed; AVX2
    // is enabled (see the top of the module).
    unsafe { _mm256_loadu_si256(lanes.as_ptr().cast()) }
}

#[inline(always)]
fn store(x: __m256i) -> [u32; 8] {
    let mut lanes = [0u32; 8];
    // SAFETY: writes 32 bytes to a 32-byte array; unaligned stores are allowed.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), x) };
    lanes
}

/// Rotation of every lane left by `LEFT` (`RIGHT` = 32 - `LEFT`).
#[inline(always)]
fn rotate<const LEFT: i32, const RIGHT: i32>(x: __m256i) -> __m256i {
    // SAFETY: see the top of the module.
    unsafe { _mm256_or_si256(_mm256_slli_epi32::<LEFT>(x), _mm256_srli_epi32::<RIGHT>(x)) }
}

#[inline(always)]
fn not(x: __m256i) -> __m256i {
    // SAFETY: see the top of the module.
    unsafe { _mm256_xor_si256(x, _mm256_set1_epi32(-1)) }
}

/// The bitsliced 4-bit S-box on four registers.
#[inline(always)]
fn sub_crumb(a0: &mut __m256i, a1: &mut __m256i, a2: &mut __m256i, a3: &mut __m256i) {
    // SAFETY: see the top of the module.
    unsafe {
        let t = *a0;
        *a0 = _mm256_or_si256(*a0, *a1);
        *a2 = _mm256_xor_si256(*a2, *a3);
        *a1 = not(*a1);
        *a0 = _mm256_xor_si256(*a0, *a3);
        *a3 = _mm256_and_si256(*a3, t);
        *a1 = _mm256_xor_si256(*a1, *a3);
        *a3 = _mm256_xor_si256(*a3, *a2);
        *a2 = _mm256_and_si256(*a2, *a0);
        *a0 = not(*a0);
        *a2 = _mm256_xor_si256(*a2, *a1);
        *a1 = _mm256_or_si256(*a1, *a3);
        let t = _mm256_xor_si256(t, *a1);
        *a3 = _mm256_xor_si256(*a3, *a2);
        *a2 = _mm256_and_si256(*a2, *a1);
        *a1 = _mm256_xor_si256(*a1, *a0);
        *a0 = t;
    }
}

#[inline(always)]
fn mix_word(u: &mut __m256i, v: &mut __m256i) {
    // SAFETY: see the top of the module.
    unsafe {
        *v = _mm256_xor_si256(*v, *u);
        *u = _mm256_xor_si256(rotate::<2, 30>(*u), *v);
        *v = _mm256_xor_si256(rotate::<14, 18>(*v), *u);
        *u = _mm256_xor_si256(rotate::<10, 22>(*u), *v);
        *v = rotate::<1, 31>(*v);
    }
}

#[inline(always)]
fn permute(v: &mut State) {
    // SAFETY: see the top of the module.
    unsafe {
        let mut a: [__m256i; 8] = core::array::from_fn(|k| {
            load(&core::array::from_fn(|j| if j < 5 { v[j][k] } else { 0 }))
        });
        // The tweak: words 4..8 of word j rotate left by j.
        let left = _mm256_setr_epi32(0, 1, 2, 3, 4, 0, 0, 0);
        let right = _mm256_setr_epi32(32, 31, 30, 29, 28, 32, 32, 32);
        for x in &mut a[4..] {
            *x = _mm256_or_si256(_mm256_sllv_epi32(*x, left), _mm256_srlv_epi32(*x, right));
        }
        let [a0, a1, a2, a3, a4, a5, a6, a7] = &mut a;
        let [constants0, constants4] = &LANE_CONSTANTS;
        for (c0, c4) in constants0.iter().zip(constants4) {
            sub_crumb(a0, a1, a2, a3);
            sub_crumb(a5, a6, a7, a4);
            mix_word(a0, a4);
            mix_word(a1, a5);
            mix_word(a2, a6);
            mix_word(a3, a7);
            *a0 = _mm256_xor_si256(*a0, load(c0));
            *a4 = _mm256_xor_si256(*a4, load(c4));
        }
        let rows = a.map(store);
        for (j, w) in v.iter_mut().enumerate() {
            *w = core::array::from_fn(|k| rows[k][j]);
        }
    }
}

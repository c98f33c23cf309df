//! SIMD-512 message expansion (spec §2.3): a number-theoretic transform of the message
//! over F_257, then the inner codes that pack pairs of its outputs into 32-bit words.

/// The field modulus.
const P: i32 = 257;
/// The 256th root of unity of the transform (spec §2.3.1: α = 41 for SIMD-512).
const ALPHA: i32 = 41;
/// Points of the transform; the 128 message bytes are its low coefficients.
const N: usize = 256;
/// Length of each of the two half-size transforms the full one is split into.
const HALF: usize = N / 2;

const fn pow_mod(base: i32, exp: usize) -> i32 {
    let mut result = 1;
    let mut i = 0;
    while i < exp {
        result = result * base % P;
        i += 1;
    }
    result
}

/// Twiddles of the size-128 transform with root α², laid out by stage: the stage that
/// joins halves of length `h` reads `TWIDDLES[h..2h]`, i.e. (α^(128/h))^u for u < h.
const TWIDDLES: [i32; HALF] = {
    let mut t = [0; HALF];
    let mut h = 1;
    while h < HALF {
        let mut u = 0;
        while u < h {
            t[h + u] = pow_mod(ALPHA, (HALF / h) * u);
            u += 1;
        }
        h *= 2;
    }
    t
};

/// α^j: the twist that turns the odd-indexed outputs into a size-128 transform.
const TWIST: [i32; HALF] = {
    let mut t = [0; HALF];
    let mut j = 0;
    while j < HALF {
        t[j] = pow_mod(ALPHA, j);
        j += 1;
    }
    t
};

/// Bit reversal of 7-bit indices, the input order of the in-place transform.
const BIT_REVERSE: [u8; HALF] = {
    let mut r = [0u8; HALF];
    let mut i = 0;
    while i < HALF {
        r[i] = (i as u8).reverse_bits() >> 1;
        i += 1;
    }
    r
};

/// Constants added to the transform (spec §2.3.1): the transform of X^255 for message
/// blocks, and of X^255 + X^253 for the final block. Since α^255 = 163, entry `i` is
/// 163^i, plus 163^(3i) for the final block.
const OFFSETS: [[i32; N]; 2] = {
    let mut t = [[0; N]; 2];
    let mut i = 0;
    while i < N {
        t[0][i] = pow_mod(163, i);
        t[1][i] = (t[0][i] + pow_mod(163, 3 * i)) % P;
        i += 1;
    }
    t
};

/// A representative of `x` mod 257 of much smaller magnitude (256 ≡ -1).
#[inline(always)]
fn fold(x: i32) -> i32 {
    (x & 0xff) - (x >> 8)
}

/// In-place size-128 transform with root α² of bit-reverse-ordered input: values stay
/// small (|x| < 1024) and congruent mod 257, never reduced fully.
#[inline(always)]
fn transform(a: &mut [i32; HALF]) {
    let mut h = 1;
    while h < HALF {
        let twiddles = &TWIDDLES[h..2 * h];
        for block in a.chunks_exact_mut(2 * h) {
            let (lo, hi) = block.split_at_mut(h);
            for ((x, y), &w) in lo.iter_mut().zip(hi.iter_mut()).zip(twiddles) {
                let t = fold(*y * w);
                (*x, *y) = (fold(*x + t), fold(*x - t));
            }
        }
        h *= 2;
    }
}

/// The expanded message y_0..y_255 (spec §2.3.1), each in -128..=128.
pub(super) fn expand(block: &[u8; 128], last: bool) -> [i32; N] {
    let mut even = [0i32; HALF];
    let mut odd = [0i32; HALF];
    for (j, &byte) in block.iter().enumerate() {
        let at = usize::from(BIT_REVERSE[j]);
        even[at] = i32::from(byte);
        odd[at] = fold(i32::from(byte) * TWIST[j]);
    }
    transform(&mut even);
    transform(&mut odd);

    let offsets = &OFFSETS[usize::from(last)];
    let mut y = [0i32; N];
    for (k, pair) in y.chunks_exact_mut(2).enumerate() {
        for (value, (out, offset)) in [even[k], odd[k]]
            .into_iter()
            .zip(pair.iter_mut().zip(&offsets[2 * k..]))
        {
            let r = (value + offset).rem_euclid(P);
            *out = if r > 128 { r - P } else { r };
        }
    }
    y
}

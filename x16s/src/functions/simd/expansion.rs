//! SIMD-512 message expansion (spec §2.3): a number-theoretic transform of the message
//! over F_257, then the inner codes that pack pairs of its outputs into 32-bit words.

/// The field modulus.
const P: i32 = 257;
/// The 256th root of unity of the transform (spec §2.3.1: α = 41 for SIMD-512).
const ALPHA: i32 = 41;
/// Points of the transform; the 128 message bytes are its low coefficients.
const N: usize = 256;

const fn pow_mod(base: i32, exp: usize) -> i32 {
    let mut result = 1;
    let mut i = 0;
    while i < exp {
        result = result * base % P;
        i += 1;
    }
    result
}

/// α^j for j < 256.
const POWERS: [i32; N] = {
    let mut t = [0; N];
    let mut j = 0;
    while j < N {
        t[j] = pow_mod(ALPHA, j);
        j += 1;
    }
    t
};

/// Twiddles laid out by stage: the stage joining halves of length `h` reads
/// `TWIDDLES[h..2h]`, that is α^((128 / h) u) for u < h.
const TWIDDLES: [i32; N] = {
    let mut t = [0; N];
    let mut h = 1;
    while h < N {
        let mut u = 0;
        while u < h {
            t[h + u] = POWERS[(N / 2 / h) * u];
            u += 1;
        }
        h *= 2;
    }
    t
};

/// Columns of the transposed layout of the last three stages: element `8c + r` of the
/// transform is kept in row `r`, column `c`.
const COLUMNS: usize = N / 8;

/// Where the transform leaves y_i (before the offsets) in the row-major transposed
/// layout: decimation in frequency puts y_i at index bitrev8(i) = 8c + r.
const fn position(i: usize) -> usize {
    let natural = (i as u8).reverse_bits() as usize;
    (natural % 8) * COLUMNS + natural / 8
}

/// Which 16-output group of the expanded message feeds step `i` of round `r` (the
/// message-word permutation of spec §2.3.3).
const WORD_GROUPS: [[usize; 8]; 4] = [
    [4, 6, 0, 2, 7, 5, 3, 1],
    [15, 11, 12, 8, 9, 13, 10, 14],
    [1, 2, 7, 4, 6, 5, 0, 3],
    [6, 0, 1, 7, 3, 5, 4, 2],
];

/// Inner-code pairs (spec §2.3.2): lane `k` of step `i` of round `r` packs y_lo and y_hi
/// with lo, hi = 16g + 2k and 16g + 2k + 1 (rounds 0, 1), 16g + 2k and that + 128
/// (round 2), 16g + 2k + 1 and that + 128 (round 3), g being the step's word group.
/// Stored as positions in the transposed layout.
const SOURCES: [[[[u8; 2]; 8]; 8]; 4] = {
    let mut t = [[[[0u8; 2]; 8]; 8]; 4];
    let mut r = 0;
    while r < 4 {
        let mut i = 0;
        while i < 8 {
            let mut k = 0;
            while k < 8 {
                let base = 16 * WORD_GROUPS[r][i] + 2 * k;
                let (lo, hi) = match r {
                    0 | 1 => (base, base + 1),
                    2 => (base, base + 128),
                    _ => (base + 1, base + 129),
                };
                t[r][i][k] = [position(lo) as u8, position(hi) as u8];
                k += 1;
            }
            i += 1;
        }
        r += 1;
    }
    t
};

/// Constants added to the transform (spec §2.3.1): the transform of X^255 for message
/// blocks, and of X^255 + X^253 for the final block. Since α^255 = 163, entry `i` is
/// 163^i, plus 163^(3i) for the final block.
/// Kept in the transposed layout of the transform's output.
const OFFSETS: [[i32; N]; 2] = {
    let mut t = [[0; N]; 2];
    let mut i = 0;
    while i < N {
        t[0][position(i)] = pow_mod(163, i);
        t[1][position(i)] = (pow_mod(163, i) + pow_mod(163, 3 * i)) % P;
        i += 1;
    }
    t
};

/// A representative of `x` mod 257 of magnitude at most |x| / 256 + 256 (as 256 ≡ -1).
#[inline(always)]
fn fold(x: i32) -> i32 {
    (x & 0xff).wrapping_sub(x >> 8)
}

/// The representative of `x` mod 257 in -128..=128, for |x| < 2^17.
#[inline(always)]
fn centered(x: i32) -> i32 {
    let r = fold(fold(fold(x))); // in -512..=767, then -2..=257, then -1..=256
    if r > 128 { r.wrapping_sub(P) } else { r }
}

/// The 32 steps' message words W (spec §2.3): the transform y of the block, then the
/// inner codes, in round-major step order.
#[inline(always)]
pub(super) fn expand(block: &[u8; 128], last: bool) -> [[u32; 8]; 32] {
    let y = transform(block, last);
    let y = y.as_flattened();
    let mut words = [[0u32; 8]; 32];
    let steps = words.as_chunks_mut::<8>().0;
    for ((round, sources), factor) in steps.iter_mut().zip(&SOURCES).zip([185, 185, 233, 233]) {
        for (word, lanes) in round.iter_mut().zip(sources) {
            for (w, &[lo, hi]) in word.iter_mut().zip(lanes) {
                let lo = y[usize::from(lo)].wrapping_mul(factor);
                let hi = y[usize::from(hi)].wrapping_mul(factor);
                *w = (lo as u32 & 0xffff).wrapping_add((hi as u32) << 16);
            }
        }
    }
    words
}

/// The expanded message y_0..y_255 (spec §2.3.1), each in -128..=128, at [`position`]s
/// of the transposed layout (rows of the last stages, flattened):
/// the 256-point transform of the zero-extended block by decimation in frequency, plus
/// the offsets. Sums are left unreduced and products folded, so a value after stage k
/// (of 8) stays below 2^k · 511 < 2^16 in magnitude and a product below 2^25: the
/// (wrapping) arithmetic never actually wraps.
#[inline(always)]
fn transform(block: &[u8; 128], last: bool) -> [[i32; COLUMNS]; 8] {
    // The first stage pairs x_j with the zero x_(j+128): (x_j, x_j α^j).
    let mut a = [0i32; N];
    let (low, high) = a.split_at_mut(N / 2);
    for (((lo, hi), &x), &w) in low.iter_mut().zip(high).zip(block).zip(&POWERS) {
        *lo = i32::from(x);
        *hi = fold(i32::from(x).wrapping_mul(w));
    }
    // Stages joining halves of 64 down to 8 elements, on contiguous runs.
    let mut h = N / 4;
    while h >= 8 {
        let twiddles = &TWIDDLES[h..2 * h];
        for block in a.chunks_exact_mut(2 * h) {
            let (lo, hi) = block.split_at_mut(h);
            for ((x, y), &w) in lo.iter_mut().zip(hi).zip(twiddles) {
                butterfly(x, y, w);
            }
        }
        h /= 2;
    }
    // The last three stages work within runs of 8: transposed, they join whole rows.
    let mut rows = [[0i32; COLUMNS]; 8];
    for (c, run) in a.as_chunks::<8>().0.iter().enumerate() {
        for (row, &v) in rows.iter_mut().zip(run) {
            row[c] = v;
        }
    }
    for h in [4, 2, 1] {
        for (u, w) in TWIDDLES[h..2 * h].iter().enumerate() {
            for r in (u..8).step_by(2 * h) {
                let [lo, hi] = rows.get_disjoint_mut([r, r + h]).expect("distinct rows");
                for (x, y) in lo.iter_mut().zip(hi) {
                    butterfly(x, y, *w);
                }
            }
        }
    }

    let offsets = &OFFSETS[usize::from(last)];
    for (v, &offset) in rows.as_flattened_mut().iter_mut().zip(offsets) {
        *v = centered(v.wrapping_add(offset));
    }
    rows
}

/// The decimation-in-frequency butterfly (x, y) ← (x + y, (x − y) w), the product
/// folded.
#[inline(always)]
fn butterfly(x: &mut i32, y: &mut i32, w: i32) {
    let (s, d) = (x.wrapping_add(*y), x.wrapping_sub(*y));
    *x = s;
    *y = fold(d.wrapping_mul(w));
}

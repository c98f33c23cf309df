//! Hamsi-512's compression function on AVX-512F + VL, one row of the 4 × 8 state in
//! each 256-bit register, all of it in registers for the whole permutation.
//!
//! A round is a chain of dependent steps, so this path is written for latency:
//!
//! - the S-box is four functions of four bits, each computed as two three-input
//!   truth tables (`vpternlogd`) selected by the fourth input: two steps deep;
//! - the L on the diagonals runs on rows rotated by their index (`vpermd`);
//! - the L on the four cross quadruples runs on two sets of four registers, each
//!   gathered from two rows by one two-table permute (`vpermt2d`) per register. Every
//!   lane of a set holds the quadruple that owns that lane in one of its two rows, at
//!   the role (a, b, c, d) that the lane's word plays, so the results blend straight
//!   back into the rows.

use core::arch::x86_64::{
    __m256i, _mm256_loadu_si256, _mm256_mask_blend_epi32, _mm256_permutevar8x32_epi32,
    _mm256_permutex2var_epi32, _mm256_rol_epi32, _mm256_slli_epi32, _mm256_storeu_si256,
    _mm256_ternarylogic_epi32, _mm256_xor_si256,
};
use core::ops::BitXor;

use super::{CONCATENATION, CROSS, Compress, Word};

/// Hamsi-512 on AVX-512F and AVX-512VL.
///
/// # Safety
/// The CPU must have AVX-512F and AVX-512VL ([`crate::cpu::has_avx512vl`]).
#[target_feature(enable = "avx512f,avx512vl")]
pub(super) unsafe fn digest(data: &[u8]) -> [u8; 64] {
    super::digest::<Avx512>(data)
}

/// The compression function in registers; only inlined into [`digest`].
struct Avx512;

/// One row of the state (or, in the cross step, one role of a set of quadruples).
#[derive(Clone, Copy)]
struct Row(__m256i);

// SAFETY (for every intrinsic below): these functions are `#[inline(always)]` and only
// reached from `digest`, whose target features (AVX-512F, AVX-512VL, and with them
// AVX2) its caller has detected. (No closures on the way: a closure would not be
// inlined, and the intrinsics in it would become calls.)

/// `ROTATIONS[k]`: the lanes that [`Row::rotate_lanes`] by `k` takes.
const ROTATIONS: [[u32; 8]; 8] = {
    let mut index = [[0u32; 8]; 8];
    let mut k = 0;
    while k < 8 {
        let mut i = 0;
        while i < 8 {
            index[k][i] = ((i + k) % 8) as u32;
            i += 1;
        }
        k += 1;
    }
    index
};

impl Row {
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        assert!(words.len() >= 8);
        // SAFETY: eight words are readable; see above for the features.
        Self(unsafe { _mm256_loadu_si256(words.as_ptr().cast()) })
    }

    #[inline(always)]
    fn constant(words: [u32; 8]) -> Self {
        Self::load(&words)
    }

    #[inline(always)]
    fn store(self, words: &mut [u32]) {
        assert!(words.len() >= 8);
        // SAFETY: eight words are writable; see above for the features.
        unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), self.0) }
    }

    /// Lane `i` takes lane `(i + k) % 8`.
    #[inline(always)]
    fn rotate_lanes(self, k: usize) -> Self {
        let index = Self::constant(ROTATIONS[k]);
        // SAFETY: see above.
        Self(unsafe { _mm256_permutevar8x32_epi32(self.0, index.0) })
    }

    /// Lane `i` takes lane `index[i]` of `(self, other)` seen as sixteen lanes.
    #[inline(always)]
    fn select(self, other: Self, index: Self) -> Self {
        // SAFETY: see above.
        Self(unsafe { _mm256_permutex2var_epi32(self.0, index.0, other.0) })
    }

    /// The lanes of `other` where `mask` has a bit, those of `self` elsewhere.
    #[inline(always)]
    fn blend(self, other: Self, mask: u8) -> Self {
        // SAFETY: see above.
        Self(unsafe { _mm256_mask_blend_epi32(mask, self.0, other.0) })
    }

    /// The function of three bits with truth table `TABLE` (bit `4a + 2b + c`), per bit.
    #[inline(always)]
    fn logic<const TABLE: i32>(a: Self, b: Self, c: Self) -> Self {
        // SAFETY: see above.
        Self(unsafe { _mm256_ternarylogic_epi32::<TABLE>(a.0, b.0, c.0) })
    }
}

impl BitXor for Row {
    type Output = Self;
    #[inline(always)]
    fn bitxor(self, other: Self) -> Self {
        // SAFETY: see above.
        Self(unsafe { _mm256_xor_si256(self.0, other.0) })
    }
}

impl Word for Row {
    #[inline(always)]
    fn rotate_left(self, n: u32) -> Self {
        // SAFETY: see above. The rotations of L are constants once inlined.
        Self(unsafe {
            match n {
                1 => _mm256_rol_epi32::<1>(self.0),
                3 => _mm256_rol_epi32::<3>(self.0),
                5 => _mm256_rol_epi32::<5>(self.0),
                7 => _mm256_rol_epi32::<7>(self.0),
                13 => _mm256_rol_epi32::<13>(self.0),
                22 => _mm256_rol_epi32::<22>(self.0),
                _ => unreachable!("L rotates by 1, 3, 5, 7, 13 and 22"),
            }
        })
    }

    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        // SAFETY: see above.
        Self(unsafe {
            match n {
                3 => _mm256_slli_epi32::<3>(self.0),
                7 => _mm256_slli_epi32::<7>(self.0),
                _ => unreachable!("L shifts by 3 and 7"),
            }
        })
    }
}

/// Truth tables of the S-box's four outputs with the fourth input `d` clear and set,
/// as functions of `(a, b, c)`; tested against [`super::sbox`].
const SBOX_D_CLEAR: [i32; 4] = [0xc6, 0x9e, 0xb4, 0xe9];
const SBOX_D_SET: [i32; 4] = [0x39, 0xa4, 0x4d, 0x25];
/// `d ? x : y` as a truth table of `(d, x, y)`.
const SELECT: i32 = 0xca;

/// The S-box (the same function as [`super::sbox`]), two steps deep.
#[inline(always)]
fn sbox([a, b, c, d]: [Row; 4]) -> [Row; 4] {
    #[inline(always)]
    fn output<const CLEAR: i32, const SET: i32>([a, b, c, d]: [Row; 4]) -> Row {
        let (clear, set) = (Row::logic::<CLEAR>(a, b, c), Row::logic::<SET>(a, b, c));
        Row::logic::<SELECT>(d, set, clear)
    }
    let x = [a, b, c, d];
    [
        output::<{ SBOX_D_CLEAR[0] }, { SBOX_D_SET[0] }>(x),
        output::<{ SBOX_D_CLEAR[1] }, { SBOX_D_SET[1] }>(x),
        output::<{ SBOX_D_CLEAR[2] }, { SBOX_D_SET[2] }>(x),
        output::<{ SBOX_D_CLEAR[3] }, { SBOX_D_SET[3] }>(x),
    ]
}

/// The rows (0, 1) or (2, 3) whose cross quadruples a set holds.
const SETS: [[usize; 2]; 2] = [[0, 1], [2, 3]];

/// For set `s` and role `k` (a, b, c, d), the lanes of the two rows (row `r` rotated by
/// `r` lanes, as the diagonal L leaves it) that [`Row::select`] gathers: lane `i` takes
/// word `k` of the quadruple that owns lane `i` of one of the set's rows.
const GATHER: [[[u32; 8]; 4]; 2] = {
    let mut gather = [[[0u32; 8]; 4]; 2];
    let mut s = 0;
    while s < 2 {
        let mut k = 0;
        while k < 4 {
            let mut lane = 0;
            while lane < 8 {
                let quadruple = owner(SETS[s], lane);
                let word = quadruple[k];
                let (row, column) = (word / 8, word % 8);
                let rotated = (column + 8 - row) % 8;
                let second = if row == SETS[s][1] { 8 } else { 0 };
                gather[s][k][lane] = (second + rotated) as u32;
                lane += 1;
            }
            k += 1;
        }
        s += 1;
    }
    gather
};

/// The quadruple that owns lane `lane` of one of `rows`; the two rows of a set own
/// complementary lanes, and role `k` always sits in lanes `2k` and `2k + 1`, which
/// [`cross`] relies on (both checked at compile time).
const fn owner(rows: [usize; 2], lane: usize) -> [usize; 4] {
    let mut found = [usize::MAX; 4];
    let mut q = 0;
    while q < 4 {
        let mut k = 0;
        while k < 4 {
            let word = CROSS[q][k];
            if (word / 8 == rows[0] || word / 8 == rows[1]) && word % 8 == lane {
                assert!(found[0] == usize::MAX, "two quadruples own a lane");
                assert!(k == lane / 2, "role k must sit in lanes 2k and 2k + 1");
                found = CROSS[q];
            }
            k += 1;
        }
        q += 1;
    }
    assert!(found[0] != usize::MAX, "a lane owned by no quadruple");
    found
}

/// `ROW_MASKS[r]`: the lanes of row `r` that belong to a cross quadruple.
const ROW_MASKS: [u8; 4] = {
    let mut masks = [0u8; 4];
    let mut q = 0;
    while q < 4 {
        let mut k = 0;
        while k < 4 {
            masks[CROSS[q][k] / 8] |= 1 << (CROSS[q][k] % 8);
            k += 1;
        }
        q += 1;
    }
    masks
};

/// One set's cross quadruples: gathered from its two rows (as the diagonal L leaves
/// them), mixed by L and merged back into one register of the rows' lanes.
#[inline(always)]
fn cross(first: Row, second: Row, gather: &[[u32; 8]; 4]) -> Row {
    let [a, b, c, d] = super::linear([
        first.select(second, Row::constant(gather[0])),
        first.select(second, Row::constant(gather[1])),
        first.select(second, Row::constant(gather[2])),
        first.select(second, Row::constant(gather[3])),
    ]);
    // Lanes 2k and 2k + 1 from role k.
    a.blend(b, 0b0000_1100)
        .blend(c.blend(d, 0b1100_0000), 0b1111_0000)
}

/// One round (the same as [`super::round`]).
#[inline(always)]
fn round([r0, r1, r2, r3]: [Row; 4], alpha: &[Row; 4], rc: u32) -> [Row; 4] {
    let counter = Row::constant([0, rc, 0, 0, 0, 0, 0, 0]);
    let a = Row::logic::<0x96>(r0, alpha[0], counter);
    let [a, b, c, d] = sbox([a, r1 ^ alpha[1], r2 ^ alpha[2], r3 ^ alpha[3]]);
    let [r0, r1, r2, r3] =
        super::linear([a, b.rotate_lanes(1), c.rotate_lanes(2), d.rotate_lanes(3)]);
    let x = cross(r0, r1, &GATHER[0]);
    let y = cross(r2, r3, &GATHER[1]);
    [
        r0.blend(x, ROW_MASKS[0]),
        r1.rotate_lanes(7).blend(x, ROW_MASKS[1]),
        r2.rotate_lanes(6).blend(y, ROW_MASKS[2]),
        r3.rotate_lanes(5).blend(y, ROW_MASKS[3]),
    ]
}

/// For rows (0, 1) from `(m0..m7, h0..h7)` and rows (2, 3) from `(m8..mF, h8..hF)`: the
/// lanes that [`Row::select`] takes, from [`CONCATENATION`].
const CONCATENATE: [[u32; 8]; 2] = {
    let mut index = [[0u32; 8]; 2];
    let mut lane = 0;
    while lane < 16 {
        let i = CONCATENATION[lane];
        // Message words 0..8 (or 8..16) first, chaining words after them.
        let source = if i < 16 { i % 8 } else { 8 + (i - 16) % 8 };
        index[lane / 8][lane % 8] = source as u32;
        lane += 1;
    }
    // Rows 2 and 3 take the same lanes from the upper halves.
    let mut r = 0;
    while r < 16 {
        let i = CONCATENATION[16 + r];
        let source = if i < 16 { i - 8 } else { 8 + (i - 24) };
        assert!(source == index[r / 8][r % 8] as usize);
        r += 1;
    }
    index
};

impl Compress for Avx512 {
    #[inline(always)]
    fn compress(h: &mut [u32; 16], m: &[u32; 16], alpha: &[u32; 32], rounds: u32) {
        let (m0, m1) = (Row::load(&m[..8]), Row::load(&m[8..]));
        let (h0, h1) = (Row::load(&h[..8]), Row::load(&h[8..]));
        let (first, second) = (Row::constant(CONCATENATE[0]), Row::constant(CONCATENATE[1]));
        let mut rows = [
            m0.select(h0, first),
            m0.select(h0, second),
            m1.select(h1, first),
            m1.select(h1, second),
        ];
        let alpha = [
            Row::load(&alpha[..8]),
            Row::load(&alpha[8..16]),
            Row::load(&alpha[16..24]),
            Row::load(&alpha[24..]),
        ];
        for rc in 0..rounds {
            rows = round(rows, &alpha, rc);
        }
        // Truncation keeps rows 0 and 2 (spec §2.2).
        (h0 ^ rows[0]).store(&mut h[..8]);
        (h1 ^ rows[2]).store(&mut h[8..]);
    }
}

#[cfg(test)]
mod tests {
    /// The S-box's truth tables are those of the portable S-box.
    #[test]
    fn sbox_tables_match_portable() {
        let outputs = |d: u8| super::super::sbox::<u8>([0xf0, 0xcc, 0xaa, d]).map(i32::from);
        assert_eq!(outputs(0x00), super::SBOX_D_CLEAR);
        assert_eq!(outputs(0xff), super::SBOX_D_SET);
    }

    /// The AVX-512 path against the portable one, where this processor has it.
    #[test]
    fn matches_portable() {
        if !crate::cpu::has_avx512vl() {
            return;
        }
        let data: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for len in 0..=data.len() {
            let expected = super::super::digest::<super::super::Portable>(&data[..len]);
            // SAFETY: just detected.
            assert_eq!(unsafe { super::digest(&data[..len]) }, expected);
        }
    }
}

//! Hamsi-512 (Küçük, "The Hash Function Hamsi", SHA-3 round 2), as in sphlib.

#[cfg(target_arch = "x86_64")]
mod avx512;
mod expansion;

use core::ops::{BitAnd, BitOr, BitXor, Not};

use crate::lanes::Lanes;

/// Initial chaining value (spec §2.3): the big-endian words of this address string.
const IV: [u32; 16] = {
    let text = b"steelpark Arenberg 10, bus 2446, B-3001 Leuven-Heverlee, Belgium";
    let mut iv = [0u32; 16];
    let mut i = 0;
    while i < 16 {
        iv[i] = u32::from_be_bytes([
            text[4 * i],
            text[4 * i + 1],
            text[4 * i + 2],
            text[4 * i + 3],
        ]);
        i += 1;
    }
    iv
};

/// Round constants of the permutation P (spec §2.1.2, "alpha" for Hamsi-512).
const ALPHA_P: [u32; 32] = [
    0xff00f0f0, 0xccccaaaa, 0xf0f0cccc, 0xff00aaaa, 0xccccaaaa, 0xf0f0ff00, 0xaaaacccc, 0xf0f0ff00,
    0xf0f0cccc, 0xaaaaff00, 0xccccff00, 0xaaaaf0f0, 0xaaaaf0f0, 0xff00cccc, 0xccccf0f0, 0xff00aaaa,
    0xccccaaaa, 0xff00f0f0, 0xff00aaaa, 0xf0f0cccc, 0xf0f0ff00, 0xccccaaaa, 0xf0f0ff00, 0xaaaacccc,
    0xaaaaff00, 0xf0f0cccc, 0xaaaaf0f0, 0xccccff00, 0xff00cccc, 0xaaaaf0f0, 0xff00aaaa, 0xccccf0f0,
];

/// Round constants of the final permutation P_f (spec §2.1.2).
const ALPHA_PF: [u32; 32] = [
    0xcaf9639c, 0x0ff0f9c0, 0x639c0ff0, 0xcaf9f9c0, 0x0ff0f9c0, 0x639ccaf9, 0xf9c00ff0, 0x639ccaf9,
    0x639c0ff0, 0xf9c0caf9, 0x0ff0caf9, 0xf9c0639c, 0xf9c0639c, 0xcaf90ff0, 0x0ff0639c, 0xcaf9f9c0,
    0x0ff0f9c0, 0xcaf9639c, 0xcaf9f9c0, 0x639c0ff0, 0x639ccaf9, 0x0ff0f9c0, 0x639ccaf9, 0xf9c00ff0,
    0xf9c0caf9, 0x639c0ff0, 0xf9c0639c, 0x0ff0caf9, 0xcaf90ff0, 0xf9c0639c, 0xcaf9f9c0, 0x0ff0639c,
];

/// Rounds of P (message blocks) and of P_f (the final length block), spec §2.2.
const ROUNDS_P: u32 = 6;
const ROUNDS_PF: u32 = 12;

/// Where each word of the permutation's input comes from (spec §2.2, Hamsi-512): word
/// `k` of the state is word `CONCATENATION[k]` of the expanded message `m0..mF`
/// followed by the chaining value `h0..hF`.
const CONCATENATION: [usize; 32] = [
    0, 1, 16, 17, 2, 3, 18, 19, 20, 21, 4, 5, 22, 23, 6, 7, 8, 9, 24, 25, 10, 11, 26, 27, 28, 29,
    12, 13, 30, 31, 14, 15,
];

/// The quadruples of state words `(a, b, c, d)` that the diffusion layer's second L
/// mixes (spec §2.1.2), after the one on the diagonals.
const CROSS: [[usize; 4]; 4] = [
    [0x00, 0x02, 0x05, 0x07],
    [0x10, 0x13, 0x15, 0x16],
    [0x09, 0x0b, 0x0c, 0x0e],
    [0x19, 0x1a, 0x1c, 0x1f],
];

/// Hamsi-512 digest of `data` (as in sphlib's `sph_hamsi512` and the X16R family).
///
/// On x86-64 processors with AVX-512F and AVX-512VL the permutation runs on them
/// (detected at run time); everywhere else, and as the reference, on rows of eight
/// 32-bit lanes.
pub fn hamsi512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512vl() {
        // SAFETY: AVX-512F and AVX-512VL have just been detected.
        return unsafe { avx512::digest(data) };
    }
    digest::<Portable>(data)
}

/// A way to compute the compression function (spec §2.2): concatenate the expanded
/// message `m` and the chaining value `h`, apply `rounds` rounds with constants
/// `alpha`, truncate and feed forward into `h`.
trait Compress {
    fn compress(h: &mut [u32; 16], m: &[u32; 16], alpha: &[u32; 32], rounds: u32);
}

/// Hamsi-512 with the given compression function.
#[inline(always)]
fn digest<C: Compress>(data: &[u8]) -> [u8; 64] {
    let mut h = IV;
    let (blocks, rest) = data.as_chunks::<8>();
    for block in blocks {
        C::compress(&mut h, &expansion::expand(block), &ALPHA_P, ROUNDS_P);
    }
    // Padding (spec §2.4): a 1 bit, zeros to a whole block, then a block holding the
    // 64-bit big-endian message length, compressed with the final permutation.
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    C::compress(&mut h, &expansion::expand(&last), &ALPHA_P, ROUNDS_P);
    let bits = (data.len() as u64).wrapping_mul(8);
    let length = expansion::expand(&bits.to_be_bytes());
    C::compress(&mut h, &length, &ALPHA_PF, ROUNDS_PF);

    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The compression function on [`Lanes`], the rows of the 4 × 8 state.
struct Portable;

impl Compress for Portable {
    #[inline(always)]
    fn compress(h: &mut [u32; 16], m: &[u32; 16], alpha: &[u32; 32], rounds: u32) {
        let s = CONCATENATION.map(|i| if i < 16 { m[i] } else { h[i - 16] });
        let mut rows = to_rows(&s);
        let alpha = to_rows(alpha);
        for rc in 0..rounds {
            round(&mut rows, &alpha, rc);
        }
        // Truncation keeps rows 0 and 2 of the 4 × 8 state (spec §2.2).
        let kept = [rows[0].to_array(), rows[2].to_array()];
        for (w, s) in h.iter_mut().zip(kept.as_flattened()) {
            *w ^= s;
        }
    }
}

/// The 4 × 8 state (or constants) as rows of lanes.
#[inline(always)]
fn to_rows(words: &[u32; 32]) -> [Lanes; 4] {
    let rows = words.as_chunks::<8>().0;
    core::array::from_fn(|r| Lanes::from_array(rows[r]))
}

/// One round (spec §2.1.2): constant addition, then the substitution layer on the
/// columns (s_i, s_(i+8), s_(i+16), s_(i+24)) and the L of the diffusion layer on the
/// diagonals (s_i, s_(8+(i+1)%8), s_(16+(i+2)%8), s_(24+(i+3)%8)), both as lanes of the
/// rows; then L on four cross quadruples, on words.
#[inline(always)]
fn round(rows: &mut [Lanes; 4], alpha: &[Lanes; 4], rc: u32) {
    let [a, b, c, d] = core::array::from_fn(|r| rows[r] ^ alpha[r]);
    let a = a ^ Lanes::from_array([0, rc, 0, 0, 0, 0, 0, 0]);
    let [a, b, c, d] = sbox([a, b, c, d]);
    let [a, b, c, d] = linear([a, b.rotate_lanes(1), c.rotate_lanes(2), d.rotate_lanes(3)]);
    let rotated_back = [a, b.rotate_lanes(7), c.rotate_lanes(6), d.rotate_lanes(5)];
    let mut words = rotated_back.map(Lanes::to_array);
    let s = words.as_flattened_mut();
    for [a, b, c, d] in CROSS {
        [s[a], s[b], s[c], s[d]] = linear([s[a], s[b], s[c], s[d]]);
    }
    *rows = words.map(Lanes::from_array);
}

/// The Serpent S-box S0 in bitsliced form over four words (spec §2.1.2, substitution).
#[inline(always)]
fn sbox<W>([mut a, mut b, mut c, mut d]: [W; 4]) -> [W; 4]
where
    W: Copy + BitAnd<Output = W> + BitOr<Output = W> + BitXor<Output = W> + Not<Output = W>,
{
    let mut t = a;
    a = a & c;
    a = a ^ d;
    c = c ^ b;
    c = c ^ a;
    d = d | t;
    d = d ^ b;
    t = t ^ c;
    b = d;
    d = d | t;
    d = d ^ a;
    a = a & b;
    t = t ^ a;
    b = b ^ d;
    b = b ^ t;
    [c, d, b, !t]
}

/// A 32-bit word, or eight of them as lanes: what the linear transformation needs.
trait Word: Copy + BitXor<Output = Self> {
    fn rotate_left(self, n: u32) -> Self;
    fn shl(self, n: u32) -> Self;
}

impl Word for u32 {
    #[inline(always)]
    fn rotate_left(self, n: u32) -> Self {
        u32::rotate_left(self, n)
    }
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        self << n
    }
}

impl Word for Lanes {
    #[inline(always)]
    fn rotate_left(self, n: u32) -> Self {
        Lanes::rotate_left(self, n)
    }
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        Lanes::shl(self, n)
    }
}

/// The Serpent linear transformation L (spec §2.1.2, diffusion).
#[inline(always)]
fn linear<W: Word>([mut a, mut b, mut c, mut d]: [W; 4]) -> [W; 4] {
    a = a.rotate_left(13);
    c = c.rotate_left(3);
    b = b ^ a ^ c;
    d = d ^ c ^ a.shl(3);
    b = b.rotate_left(1);
    d = d.rotate_left(7);
    a = a ^ b ^ d;
    c = c ^ d ^ b.shl(7);
    a = a.rotate_left(5);
    c = c.rotate_left(22);
    [a, b, c, d]
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            super::digest::<super::Portable>,
            super::hamsi512,
        );
    }
}

//! Luffa-512 (Luffa v2, five 256-bit sub-permutations), as sphlib's `sph_luffa512`.

#[cfg(target_arch = "x86_64")]
mod avx2;

const BLOCK: usize = 32;
const STEPS: usize = 8;

/// The chaining value: five 256-bit words of eight big-endian 32-bit words each.
type State = [[u32; 8]; 5];

const IV: State = [
    [
        0x6d251e69, 0x44b051e0, 0x4eaa6fb4, 0xdbf78465, 0x6e292011, 0x90152df4, 0xee058139,
        0xdef610bb,
    ],
    [
        0xc3b44b95, 0xd9d2f256, 0x70eee9a0, 0xde099fa3, 0x5d9b0557, 0x8fc944b3, 0xcf1ccf0e,
        0x746cd581,
    ],
    [
        0xf7efc89d, 0x5dba5781, 0x04016ce5, 0xad659c05, 0x0306194f, 0x666d1836, 0x24aa230a,
        0x8b264ae7,
    ],
    [
        0x858075d5, 0x36d79cce, 0xe571f7d7, 0x204b1f67, 0x35870c6a, 0x57e9e923, 0x14bcb808,
        0x7cde72ce,
    ],
    [
        0x6c68e9be, 0x5ec41e22, 0xc825b7c7, 0xaffb4363, 0xf5df3999, 0x0fc688f1, 0xb07224cc,
        0x03e86cea,
    ],
];

/// Step constants of each sub-permutation: `[j][0][r]` is added to word 0 and
/// `[j][1][r]` to word 4 at step `r`.
const STEP_CONSTANTS: [[[u32; STEPS]; 2]; 5] = [
    [
        [
            0x303994a6, 0xc0e65299, 0x6cc33a12, 0xdc56983e, 0x1e00108f, 0x7800423d, 0x8f5b7882,
            0x96e1db12,
        ],
        [
            0xe0337818, 0x441ba90d, 0x7f34d442, 0x9389217f, 0xe5a8bce6, 0x5274baf4, 0x26889ba7,
            0x9a226e9d,
        ],
    ],
    [
        [
            0xb6de10ed, 0x70f47aae, 0x0707a3d4, 0x1c1e8f51, 0x707a3d45, 0xaeb28562, 0xbaca1589,
            0x40a46f3e,
        ],
        [
            0x01685f3d, 0x05a17cf4, 0xbd09caca, 0xf4272b28, 0x144ae5cc, 0xfaa7ae2b, 0x2e48f1c1,
            0xb923c704,
        ],
    ],
    [
        [
            0xfc20d9d2, 0x34552e25, 0x7ad8818f, 0x8438764a, 0xbb6de032, 0xedb780c8, 0xd9847356,
            0xa2c78434,
        ],
        [
            0xe25e72c1, 0xe623bb72, 0x5c58a4a4, 0x1e38e2e7, 0x78e38b9d, 0x27586719, 0x36eda57f,
            0x703aace7,
        ],
    ],
    [
        [
            0xb213afa5, 0xc84ebe95, 0x4e608a22, 0x56d858fe, 0x343b138f, 0xd0ec4e3d, 0x2ceb4882,
            0xb3ad2208,
        ],
        [
            0xe028c9bf, 0x44756f91, 0x7e8fce32, 0x956548be, 0xfe191be2, 0x3cb226e5, 0x5944a28e,
            0xa1c4c355,
        ],
    ],
    [
        [
            0xf0d2e9e3, 0xac11d7fa, 0x1bcb66f2, 0x6f2d9bc9, 0x78602649, 0x8edae952, 0x3b6ba548,
            0xedae9520,
        ],
        [
            0x5090d577, 0x2d1925ab, 0xb46496ac, 0xd1925ab0, 0x29131ab6, 0x0fc053c3, 0x3f014f0c,
            0xfc053c31,
        ],
    ],
];

/// Multiplication by 2 in Luffa's GF(2^256) (word 7 is the most significant).
#[inline(always)]
fn times2(x: [u32; 8]) -> [u32; 8] {
    let top = x[7];
    [
        top,
        x[0] ^ top,
        x[1],
        x[2] ^ top,
        x[3] ^ top,
        x[4],
        x[5],
        x[6],
    ]
}

#[inline(always)]
fn xor(a: [u32; 8], b: [u32; 8]) -> [u32; 8] {
    core::array::from_fn(|i| a[i] ^ b[i])
}

/// The message injection MI of Luffa with five words.
#[inline(always)]
fn inject(v: &mut State, message: [u32; 8]) {
    let sum = times2(v.iter().fold([0; 8], |acc, &w| xor(acc, w)));
    for w in v.iter_mut() {
        *w = xor(*w, sum);
    }
    let b = xor(times2(v[0]), v[1]);
    for j in 1..4 {
        v[j] = xor(times2(v[j]), v[j + 1]);
    }
    v[4] = xor(times2(v[4]), v[0]);
    v[0] = xor(times2(b), v[4]);
    for j in (2..5).rev() {
        v[j] = xor(times2(v[j]), v[j - 1]);
    }
    v[1] = xor(times2(v[1]), b);
    let mut m = message;
    for w in v.iter_mut() {
        *w = xor(*w, m);
        m = times2(m);
    }
}

/// The 4-bit S-box applied bitsliced to four words.
#[inline(always)]
fn sub_crumb(a0: &mut u32, a1: &mut u32, a2: &mut u32, a3: &mut u32) {
    let t = *a0;
    *a0 |= *a1;
    *a2 ^= *a3;
    *a1 = !*a1;
    *a0 ^= *a3;
    *a3 &= t;
    *a1 ^= *a3;
    *a3 ^= *a2;
    *a2 &= *a0;
    *a0 = !*a0;
    *a2 ^= *a1;
    *a1 |= *a3;
    let t = t ^ *a1;
    *a3 ^= *a2;
    *a2 &= *a1;
    *a1 ^= *a0;
    *a0 = t;
}

#[inline(always)]
fn mix_word(u: &mut u32, v: &mut u32) {
    *v ^= *u;
    *u = u.rotate_left(2) ^ *v;
    *v = v.rotate_left(14) ^ *u;
    *u = u.rotate_left(10) ^ *v;
    *v = v.rotate_left(1);
}

/// The sub-permutation Q_j (tweak included) on one 256-bit word.
fn permute(w: &mut [u32; 8], j: usize) {
    for x in &mut w[4..] {
        *x = x.rotate_left(j as u32);
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = w;
    let [constants0, constants4] = &STEP_CONSTANTS[j];
    for (c0, c4) in constants0.iter().zip(constants4) {
        sub_crumb(a0, a1, a2, a3);
        sub_crumb(a5, a6, a7, a4);
        mix_word(a0, a4);
        mix_word(a1, a5);
        mix_word(a2, a6);
        mix_word(a3, a7);
        *a0 ^= c0;
        *a4 ^= c4;
    }
}

/// A way to run the five sub-permutations, so that the hash is written once and
/// compiled for each way.
trait Permutations {
    /// Q_0..Q_4 (tweaks included), each on its own 256-bit word.
    fn permute(v: &mut State);
}

/// The portable way: one sub-permutation after the other.
struct OneByOne;

impl Permutations for OneByOne {
    #[inline(always)]
    fn permute(v: &mut State) {
        for (j, w) in v.iter_mut().enumerate() {
            permute(w, j);
        }
    }
}

/// One round: message injection, then the five sub-permutations.
#[inline(always)]
fn round<P: Permutations>(v: &mut State, block: &[u8]) {
    inject(
        v,
        core::array::from_fn(|i| u32::from_be_bytes(block[4 * i..4 * i + 4].try_into().unwrap())),
    );
    P::permute(v);
}

/// The 256 output bits of a blank round: the xor of the five words.
fn output(v: &State) -> [u32; 8] {
    v.iter().fold([0; 8], |acc, &w| xor(acc, w))
}

/// Luffa-512 of `data`, as sphlib's `sph_luffa512`.
pub fn luffa512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512vl() {
        // SAFETY: the CPU has AVX-512F and AVX-512VL, checked just above.
        return unsafe { luffa512_avx512(data) };
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { luffa512_avx2(data) };
    }
    digest::<OneByOne>(data)
}

/// [`digest`] with the sub-permutations side by side in AVX2 registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn luffa512_avx2(data: &[u8]) -> [u8; 64] {
    digest::<avx2::SideBySide>(data)
}

/// [`luffa512_avx2`] compiled for AVX-512VL, which turns its logic and rotations into
/// fewer instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512vl")]
unsafe fn luffa512_avx512(data: &[u8]) -> [u8; 64] {
    digest::<avx2::SideBySide>(data)
}

#[inline(always)]
fn digest<P: Permutations>(data: &[u8]) -> [u8; 64] {
    let mut v = IV;
    let mut blocks = data.chunks_exact(BLOCK);
    for block in &mut blocks {
        round::<P>(&mut v, block);
    }
    let tail = blocks.remainder();
    let mut last = [0u8; BLOCK];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    round::<P>(&mut v, &last);
    let mut out = [0u8; 64];
    for half in out.chunks_exact_mut(32) {
        round::<P>(&mut v, &[0; BLOCK]);
        for (chunk, word) in half.chunks_exact_mut(4).zip(output(&v)) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            super::digest::<super::OneByOne>,
            super::luffa512,
        );
    }

    /// Each compiled variant this processor can run, against the portable code.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn variants_match_portable() {
        let portable = super::digest::<super::OneByOne>;
        if crate::cpu::has_avx2() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(portable, |data| unsafe {
                super::luffa512_avx2(data)
            });
        }
        if crate::cpu::has_avx512vl() {
            // SAFETY: just detected.
            super::super::assert_portable_matches_dispatched(portable, |data| unsafe {
                super::luffa512_avx512(data)
            });
        }
    }
}

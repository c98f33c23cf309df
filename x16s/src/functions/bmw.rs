//! BLUE MIDNIGHT WISH 512 (BMW-512), round-2 tweaked version as in sphlib.

use core::num::Wrapping;

/// Initial chaining value: the bytes 0x80..=0xff as little-endian words.
const IV: [u64; 16] = {
    let mut iv = [0u64; 16];
    let mut i = 0;
    while i < 16 {
        let base = 0x80 + 8 * i as u64;
        iv[i] = ((base) << 56)
            | ((base + 1) << 48)
            | ((base + 2) << 40)
            | ((base + 3) << 32)
            | ((base + 4) << 24)
            | ((base + 5) << 16)
            | ((base + 6) << 8)
            | (base + 7);
        i += 1;
    }
    iv
};

/// Chaining value of the final compression: 0xaaaaaaaaaaaaaaa0 + i.
const FINAL: [u64; 16] = {
    let mut h = [0u64; 16];
    let mut i = 0;
    while i < 16 {
        h[i] = 0xaaaa_aaaa_aaaa_aaa0 + i as u64;
        i += 1;
    }
    h
};

const BLOCK: usize = 128;

#[inline(always)]
fn s0(x: u64) -> u64 {
    (x >> 1) ^ (x << 3) ^ x.rotate_left(4) ^ x.rotate_left(37)
}
#[inline(always)]
fn s1(x: u64) -> u64 {
    (x >> 1) ^ (x << 2) ^ x.rotate_left(13) ^ x.rotate_left(43)
}
#[inline(always)]
fn s2(x: u64) -> u64 {
    (x >> 2) ^ (x << 1) ^ x.rotate_left(19) ^ x.rotate_left(53)
}
#[inline(always)]
fn s3(x: u64) -> u64 {
    (x >> 2) ^ (x << 2) ^ x.rotate_left(28) ^ x.rotate_left(59)
}
#[inline(always)]
fn s4(x: u64) -> u64 {
    (x >> 1) ^ x
}
#[inline(always)]
fn s5(x: u64) -> u64 {
    (x >> 2) ^ x
}

/// The function `s_i` (0..=5), chosen by a number that is constant once unrolled.
#[inline(always)]
fn s(i: usize, x: u64) -> u64 {
    match i {
        0 => s0(x),
        1 => s1(x),
        2 => s2(x),
        3 => s3(x),
        4 => s4(x),
        _ => s5(x),
    }
}

/// The message- and chaining-dependent term added to Q_{j+16} in both expansions.
#[inline(always)]
fn add_element(m: &[u64; 16], h: &[u64; 16], j: usize) -> u64 {
    let rot = |k: usize| m[k & 15].rotate_left(((k & 15) + 1) as u32);
    let k = (j as u64 + 16).wrapping_mul(0x0555_5555_5555_5555);
    (rot(j)
        .wrapping_add(rot(j + 3))
        .wrapping_sub(rot(j + 10))
        .wrapping_add(k))
        ^ h[(j + 7) & 15]
}

/// Q_j = s_(j mod 5)(W_j) + H_(j+1), the end of f0.
#[inline(always)]
fn f0_word<const J: usize>(q: &mut [u64; 32], w: &[Wrapping<u64>; 16], h: &[u64; 16]) {
    q[J] = s(J % 5, w[J].0).wrapping_add(h[(J + 1) & 15]);
}

/// Q_i for i in 16..32, f1: two rounds of expand1, then expand2.
#[inline(always)]
fn expand<const I: usize>(q: &mut [u64; 32], m: &[u64; 16], h: &[u64; 16]) {
    const EXPAND2_ROTATIONS: [u32; 7] = [5, 11, 27, 32, 37, 43, 53];
    let mut sum = add_element(m, h, I - 16);
    if I < 18 {
        for (k, &qk) in q[I - 16..I].iter().enumerate() {
            sum = sum.wrapping_add(s((k + 1) % 4, qk));
        }
        q[I] = sum;
    } else {
        for (k, &qk) in q[I - 16..I - 2].iter().enumerate() {
            let term = if k % 2 == 0 {
                qk
            } else {
                qk.rotate_left(EXPAND2_ROTATIONS[k / 2])
            };
            sum = sum.wrapping_add(term);
        }
        q[I] = sum.wrapping_add(s4(q[I - 2])).wrapping_add(s5(q[I - 1]));
    }
}

/// The compression function: new chaining value from message block `m` and chaining value `h`.
fn compress(m: &[u64; 16], h: &[u64; 16]) -> [u64; 16] {
    // f0: W_j, sums and differences of five words of M ^ H, as the specification lists them.
    let t: [Wrapping<u64>; 16] = core::array::from_fn(|i| Wrapping(m[i] ^ h[i]));
    let w = [
        t[5] - t[7] + t[10] + t[13] + t[14],
        t[6] - t[8] + t[11] + t[14] - t[15],
        t[0] + t[7] + t[9] - t[12] + t[15],
        t[0] - t[1] + t[8] - t[10] + t[13],
        t[1] + t[2] + t[9] - t[11] - t[14],
        t[3] - t[2] + t[10] - t[12] + t[15],
        t[4] - t[0] - t[3] - t[11] + t[13],
        t[1] - t[4] - t[5] - t[12] - t[14],
        t[2] - t[5] - t[6] + t[13] - t[15],
        t[0] - t[3] + t[6] - t[7] + t[14],
        t[8] - t[1] - t[4] - t[7] + t[15],
        t[8] - t[0] - t[2] - t[5] + t[9],
        t[1] + t[3] - t[6] - t[9] + t[10],
        t[2] + t[4] + t[7] + t[10] + t[11],
        t[3] - t[5] + t[8] - t[11] - t[12],
        t[12] - t[4] - t[6] - t[9] + t[13],
    ];
    let mut q = [0u64; 32];
    // Unrolled, so that every index, function and rotation is known at compile time.
    super::unroll!(f0_word(&mut q, &w, h); 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    super::unroll!(expand(&mut q, m, h); 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    fold(m, &q)
}

/// f2: folds the expanded words `q` and the message into the new chaining value.
fn fold(m: &[u64; 16], q: &[u64; 32]) -> [u64; 16] {
    let xl = q[16..24].iter().fold(0, |a, &x| a ^ x);
    let xh = q[24..32].iter().fold(xl, |a, &x| a ^ x);
    // (shift of xh, shift of q[16 + j]) for j in 0..8; positive: left, negative: right.
    const SHIFTS: [(i32, i32); 8] = [
        (5, -5),
        (-7, 8),
        (-5, 5),
        (-1, 5),
        (-3, 0),
        (6, -6),
        (-4, 6),
        (-11, 2),
    ];
    // shift of xl for j in 8..16.
    const XL_SHIFTS: [i32; 8] = [8, -6, 6, 4, -3, -4, -7, -2];
    let shift = |x: u64, s: i32| if s >= 0 { x << s } else { x >> -s };
    let mut d = [0u64; 16];
    for j in 0..8 {
        let (sxh, sq) = SHIFTS[j];
        d[j] = (shift(xh, sxh) ^ shift(q[16 + j], sq) ^ m[j]).wrapping_add(xl ^ q[24 + j] ^ q[j]);
    }
    for j in 8..16 {
        let prev = q[if j == 8 { 23 } else { 16 + j - 9 }];
        d[j] = d[(j - 4) & 7]
            .rotate_left(j as u32 + 1)
            .wrapping_add(xh ^ q[16 + j] ^ m[j])
            .wrapping_add(shift(xl, XL_SHIFTS[j - 8]) ^ prev ^ q[j]);
    }
    d
}

fn words(block: &[u8]) -> [u64; 16] {
    core::array::from_fn(|i| u64::from_le_bytes(block[8 * i..8 * i + 8].try_into().unwrap()))
}

/// BMW-512 of `data`, as sphlib's `sph_bmw512`.
pub fn bmw512(data: &[u8]) -> [u8; 64] {
    let mut h = IV;
    let mut blocks = data.chunks_exact(BLOCK);
    for block in &mut blocks {
        h = compress(&words(block), &h);
    }
    let tail = blocks.remainder();
    let mut buf = [0u8; BLOCK];
    buf[..tail.len()].copy_from_slice(tail);
    buf[tail.len()] = 0x80;
    if tail.len() + 1 > BLOCK - 8 {
        h = compress(&words(&buf), &h);
        buf = [0u8; BLOCK];
    }
    buf[BLOCK - 8..].copy_from_slice(&((data.len() as u64) << 3).to_le_bytes());
    h = compress(&words(&buf), &h);
    let h = compress(&h, &FINAL);
    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(8).zip(&h[8..]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

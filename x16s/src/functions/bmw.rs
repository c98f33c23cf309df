//! BLUE MIDNIGHT WISH 512 (BMW-512), round-2 tweaked version as in sphlib.

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

fn s0(x: u64) -> u64 {
    (x >> 1) ^ (x << 3) ^ x.rotate_left(4) ^ x.rotate_left(37)
}
fn s1(x: u64) -> u64 {
    (x >> 1) ^ (x << 2) ^ x.rotate_left(13) ^ x.rotate_left(43)
}
fn s2(x: u64) -> u64 {
    (x >> 2) ^ (x << 1) ^ x.rotate_left(19) ^ x.rotate_left(53)
}
fn s3(x: u64) -> u64 {
    (x >> 2) ^ (x << 2) ^ x.rotate_left(28) ^ x.rotate_left(59)
}
fn s4(x: u64) -> u64 {
    (x >> 1) ^ x
}
fn s5(x: u64) -> u64 {
    (x >> 2) ^ x
}

/// The index sets and signs of the W_j sums of f0: `W_j = ±(M^H)_a ± ... `.
/// Each entry is (index, subtract?) for the 5 terms; the first term is always added.
const W_TERMS: [[(usize, bool); 5]; 16] = [
    [(5, false), (7, true), (10, false), (13, false), (14, false)],
    [(6, false), (8, true), (11, false), (14, false), (15, true)],
    [(0, false), (7, false), (9, false), (12, true), (15, false)],
    [(0, false), (1, true), (8, false), (10, true), (13, false)],
    [(1, false), (2, false), (9, false), (11, true), (14, true)],
    [(3, false), (2, true), (10, false), (12, true), (15, false)],
    [(4, false), (0, true), (3, true), (11, true), (13, false)],
    [(1, false), (4, true), (5, true), (12, true), (14, true)],
    [(2, false), (5, true), (6, true), (13, false), (15, true)],
    [(0, false), (3, true), (6, false), (7, true), (14, false)],
    [(8, false), (1, true), (4, true), (7, true), (15, false)],
    [(8, false), (0, true), (2, true), (5, true), (9, false)],
    [(1, false), (3, false), (6, true), (9, true), (10, false)],
    [(2, false), (4, false), (7, false), (10, false), (11, false)],
    [(3, false), (5, true), (8, false), (11, true), (12, true)],
    [(12, false), (4, true), (6, true), (9, true), (13, false)],
];

/// The message- and chaining-dependent term added to Q_{j+16} in both expansions.
fn add_element(m: &[u64; 16], h: &[u64; 16], j: usize) -> u64 {
    let rot = |k: usize| m[k & 15].rotate_left(((k & 15) + 1) as u32);
    let k = (j as u64 + 16).wrapping_mul(0x0555_5555_5555_5555);
    (rot(j)
        .wrapping_add(rot(j + 3))
        .wrapping_sub(rot(j + 10))
        .wrapping_add(k))
        ^ h[(j + 7) & 15]
}

/// The compression function: new chaining value from message block `m` and chaining value `h`.
fn compress(m: &[u64; 16], h: &[u64; 16]) -> [u64; 16] {
    let mut q = [0u64; 32];
    let f0_sbox = [s0, s1, s2, s3, s4];
    for (j, terms) in W_TERMS.iter().enumerate() {
        let t = |i: usize| m[terms[i].0] ^ h[terms[i].0];
        let w = terms[1..]
            .iter()
            .enumerate()
            .fold(t(0), |acc, (i, &(_, sub))| {
                if sub {
                    acc.wrapping_sub(t(i + 1))
                } else {
                    acc.wrapping_add(t(i + 1))
                }
            });
        q[j] = f0_sbox[j % 5](w).wrapping_add(h[(j + 1) & 15]);
    }
    let expand1_sbox = [s1, s2, s3, s0];
    for i in 16..18 {
        let mut sum = add_element(m, h, i - 16);
        for (k, &qk) in q[i - 16..i].iter().enumerate() {
            sum = sum.wrapping_add(expand1_sbox[k % 4](qk));
        }
        q[i] = sum;
    }
    const EXPAND2_ROTATIONS: [u32; 7] = [5, 11, 27, 32, 37, 43, 53];
    for i in 18..32 {
        let mut sum = add_element(m, h, i - 16);
        for (k, &qk) in q[i - 16..i - 2].iter().enumerate() {
            let term = if k % 2 == 0 {
                qk
            } else {
                qk.rotate_left(EXPAND2_ROTATIONS[k / 2])
            };
            sum = sum.wrapping_add(term);
        }
        q[i] = sum.wrapping_add(s4(q[i - 2])).wrapping_add(s5(q[i - 1]));
    }
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

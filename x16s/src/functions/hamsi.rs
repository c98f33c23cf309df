//! Hamsi-512 (Küçük, "The Hash Function Hamsi", SHA-3 round 2), as in sphlib.

mod expansion;

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

/// Hamsi-512 digest of `data` (as in sphlib's `sph_hamsi512` and the X16R family).
pub fn hamsi512(data: &[u8]) -> [u8; 64] {
    let mut h = IV;
    let (blocks, rest) = data.as_chunks::<8>();
    for block in blocks {
        compress(&mut h, block, &ALPHA_P, ROUNDS_P);
    }
    // Padding (spec §2.4): a 1 bit, zeros to a whole block, then a block holding the
    // 64-bit big-endian message length, compressed with the final permutation.
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    compress(&mut h, &last, &ALPHA_P, ROUNDS_P);
    let bits = (data.len() as u64).wrapping_mul(8);
    compress(&mut h, &bits.to_be_bytes(), &ALPHA_PF, ROUNDS_PF);

    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The compression function (spec §2.2): concatenate the expanded message and the
/// chaining value, permute, truncate and feed forward.
#[inline(always)]
fn compress(h: &mut [u32; 16], block: &[u8; 8], alpha: &[u32; 32], rounds: u32) {
    let m = expansion::expand(block);
    // Concatenation order of message and chaining words (spec §2.2, Hamsi-512).
    let mut s = [
        m[0], m[1], h[0], h[1], m[2], m[3], h[2], h[3], h[4], h[5], m[4], m[5], h[6], h[7], m[6],
        m[7], m[8], m[9], h[8], h[9], m[10], m[11], h[10], h[11], h[12], h[13], m[12], m[13],
        h[14], h[15], m[14], m[15],
    ];
    for rc in 0..rounds {
        round(&mut s, alpha, rc);
    }
    // Truncation keeps rows 0 and 2 of the 4 × 8 state (spec §2.2).
    for (i, w) in h.iter_mut().enumerate() {
        *w ^= s[i + 8 * (i / 8)];
    }
}

/// One round: constant addition, substitution layer, diffusion layer (spec §2.1.2).
/// The state is four rows of eight words; S-box columns and L diagonals are lanes.
#[inline(always)]
fn round(s: &mut [u32; 32], alpha: &[u32; 32], rc: u32) {
    for (w, a) in s.iter_mut().zip(alpha) {
        *w ^= a;
    }
    s[1] ^= rc;
    let [r0, r1, r2, r3] = *s.as_chunks::<8>().0 else {
        unreachable!("32 words are four rows")
    };
    // Substitution on each column (s_i, s_(i+8), s_(i+16), s_(i+24)).
    let mut rows = [[0u32; 8]; 4];
    for i in 0..8 {
        let column = sbox([r0[i], r1[i], r2[i], r3[i]]);
        for (row, v) in rows.iter_mut().zip(column) {
            row[i] = v;
        }
    }
    // Diffusion, first L on the diagonals (s_i, s_(8+(i+1)%8), s_(16+(i+2)%8),
    // s_(24+(i+3)%8)): row k is read rotated by k lanes.
    let rotated: [[u32; 8]; 4] =
        core::array::from_fn(|k| core::array::from_fn(|i| rows[k][(i + k) % 8]));
    let mut diagonals = [[0u32; 8]; 4];
    for i in 0..8 {
        let quad = linear([rotated[0][i], rotated[1][i], rotated[2][i], rotated[3][i]]);
        for (row, v) in diagonals.iter_mut().zip(quad) {
            row[i] = v;
        }
    }
    for (k, row) in s.as_chunks_mut::<8>().0.iter_mut().enumerate() {
        *row = core::array::from_fn(|i| diagonals[k][(i + 8 - k) % 8]);
    }
    // Then L on four cross quadruples.
    for [a, b, c, d] in [
        [0x00, 0x02, 0x05, 0x07],
        [0x10, 0x13, 0x15, 0x16],
        [0x09, 0x0b, 0x0c, 0x0e],
        [0x19, 0x1a, 0x1c, 0x1f],
    ] {
        [s[a], s[b], s[c], s[d]] = linear([s[a], s[b], s[c], s[d]]);
    }
}

/// The Serpent S-box S0 in bitsliced form over four words (spec §2.1.2, substitution).
#[inline(always)]
fn sbox([mut a, mut b, mut c, mut d]: [u32; 4]) -> [u32; 4] {
    let mut t = a;
    a &= c;
    a ^= d;
    c ^= b;
    c ^= a;
    d |= t;
    d ^= b;
    t ^= c;
    b = d;
    d |= t;
    d ^= a;
    a &= b;
    t ^= a;
    b ^= d;
    b ^= t;
    [c, d, b, !t]
}

/// The Serpent linear transformation L (spec §2.1.2, diffusion).
#[inline(always)]
fn linear([mut a, mut b, mut c, mut d]: [u32; 4]) -> [u32; 4] {
    a = a.rotate_left(13);
    c = c.rotate_left(3);
    b ^= a ^ c;
    d ^= c ^ (a << 3);
    b = b.rotate_left(1);
    d = d.rotate_left(7);
    a ^= b ^ d;
    c ^= d ^ (b << 7);
    a = a.rotate_left(5);
    c = c.rotate_left(22);
    [a, b, c, d]
}

//! SIMD-512 (Leurent, Bouillaguet, Fouque: "SIMD Is a Message Digest", v1.1), as in
//! sphlib.

mod expansion;

/// Message block size in bytes.
const BLOCK: usize = 128;

/// Initial chaining value of SIMD-512 (spec appendix, IV for n = 512): rows A, B, C, D.
const IV: [u32; 32] = [
    0x0ba16b95, 0x72f999ad, 0x9fecc2ae, 0xba3264fc, 0x5e894929, 0x8e9f30e5, 0x2f1daa37, 0xf0f2c558,
    0xac506643, 0xa90635a5, 0xe25b878b, 0xaab7878f, 0x88817f7a, 0x0a02892b, 0x559a7550, 0x598f657e,
    0x7eef60a1, 0x6b70e3e8, 0x9c1714d1, 0xb958e2a8, 0xab02675e, 0xed1c014f, 0xcd8d65bb, 0xfdb7a257,
    0x09254899, 0xd699c7bc, 0x9019b6dc, 0x2b9022e4, 0x8fa14956, 0x21bf9bd3, 0xb94d0943, 0x6ffddc22,
];

/// Rotation amounts π0..π3 of the four rounds (spec §2.4.2).
const ROTATIONS: [[u32; 4]; 4] = [
    [3, 23, 17, 27],
    [28, 19, 22, 7],
    [29, 9, 15, 5],
    [4, 13, 10, 25],
];

/// The step permutations p^(k) of SIMD-512 (spec §2.4.1): lane `n` is fed from lane
/// `n ^ PERMUTATION_XOR[k]`; step `i` of round `r` uses k = (i + r) mod 7.
const PERMUTATION_XOR: [usize; 7] = [1, 6, 2, 3, 5, 7, 4];

/// Which 16-output group of the expanded message feeds step `i` of round `r` (the
/// message-word permutation of spec §2.3.3).
const WORD_GROUPS: [[usize; 8]; 4] = [
    [4, 6, 0, 2, 7, 5, 3, 1],
    [15, 11, 12, 8, 9, 13, 10, 14],
    [1, 2, 7, 4, 6, 5, 0, 3],
    [6, 0, 1, 7, 3, 5, 4, 2],
];

/// Eight 32-bit lanes of one state row.
type Row = [u32; 8];

/// The A, B, C, D rows of the SIMD-512 state.
#[derive(Clone, Copy)]
struct State {
    a: Row,
    b: Row,
    c: Row,
    d: Row,
}

/// SIMD-512 digest of `data` (SIMD v1.1 with the round-2 tweak, as in sphlib's
/// `sph_simd512` and the X16R family).
pub fn simd512(data: &[u8]) -> [u8; 64] {
    let mut chain = IV;
    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        compress(&mut chain, block, false);
    }
    // Padding (spec §2.5): the last partial block is zero-filled; a final block holds
    // the message length in bits, little-endian, and uses the final expansion offsets.
    if !rest.is_empty() {
        let mut last = [0u8; BLOCK];
        last[..rest.len()].copy_from_slice(rest);
        compress(&mut chain, &last, false);
    }
    let mut length = [0u8; BLOCK];
    length[..8].copy_from_slice(&(data.len() as u64).wrapping_mul(8).to_le_bytes());
    compress(&mut chain, &length, true);

    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(&chain) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// The compression function (spec §2.4): four rounds of eight steps keyed by the
/// expanded message, then four feed-forward steps keyed by the chaining value.
fn compress(chain: &mut [u32; 32], block: &[u8; BLOCK], last: bool) {
    let y = expansion::expand(block, last);
    let rows: [Row; 4] = core::array::from_fn(|r| {
        core::array::from_fn(|n| {
            let at = 4 * (8 * r + n);
            chain[8 * r + n]
                ^ u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
        })
    });
    let mut state = State {
        a: rows[0],
        b: rows[1],
        c: rows[2],
        d: rows[3],
    };

    for (round, &[p0, p1, p2, p3]) in ROTATIONS.iter().enumerate() {
        let shifts = [(p0, p1), (p1, p2), (p2, p3), (p3, p0)];
        for (i, &group) in WORD_GROUPS[round].iter().enumerate() {
            let w = message_words(&y, round, group);
            let (r, s) = shifts[i % 4];
            let xor = PERMUTATION_XOR[(i + round) % 7];
            if i < 4 {
                step(&mut state, &w, if_, r, s, xor);
            } else {
                step(&mut state, &w, maj, r, s, xor);
            }
        }
    }

    // Feed-forward (spec §2.4.3): the chaining value rows as message words.
    let feed = [(4, 13, 4), (13, 10, 5), (10, 25, 6), (25, 4, 0)];
    for (row, (r, s, k)) in chain.as_chunks::<8>().0.iter().zip(feed) {
        step(&mut state, row, if_, r, s, PERMUTATION_XOR[k]);
    }

    let rows = [state.a, state.b, state.c, state.d];
    chain.copy_from_slice(rows.as_flattened());
}

/// The eight message words of a step (spec §2.3.2, inner codes): pairs of expanded
/// values times 185 (rounds 0, 1) or 233 (rounds 2, 3), low halves then high halves.
#[inline(always)]
fn message_words(y: &[i32; 256], round: usize, group: usize) -> Row {
    let (base, second, factor) = match round {
        0 | 1 => (16 * group, 1, 185),
        2 => (16 * group, 128, 233),
        _ => (16 * group + 1, 128, 233),
    };
    core::array::from_fn(|k| {
        let lo = y[base + 2 * k] * factor;
        let hi = y[base + 2 * k + second] * factor;
        (lo as u32 & 0xffff).wrapping_add((hi as u32) << 16)
    })
}

/// IF (spec §2.4.1), the bitwise choice of the first four steps of each round.
#[inline(always)]
fn if_(x: u32, y: u32, z: u32) -> u32 {
    ((y ^ z) & x) ^ z
}

/// MAJ (spec §2.4.1), the bitwise majority of the last four steps of each round.
#[inline(always)]
fn maj(x: u32, y: u32, z: u32) -> u32 {
    (x & y) | ((x | y) & z)
}

/// One step (spec §2.4.1) on all eight lanes: D + w + φ(A, B, C), rotated by `s` and
/// added to a permuted lane of A rotated by `r`; then the rows shift down.
#[inline(always)]
fn step(state: &mut State, w: &Row, phi: fn(u32, u32, u32) -> u32, r: u32, s: u32, xor: usize) {
    let rotated: Row = state.a.map(|a| a.rotate_left(r));
    let mut a = [0u32; 8];
    for (n, out) in a.iter_mut().enumerate() {
        let t = state.d[n]
            .wrapping_add(w[n])
            .wrapping_add(phi(state.a[n], state.b[n], state.c[n]));
        *out = t.rotate_left(s).wrapping_add(rotated[n ^ xor]);
    }
    *state = State {
        a,
        b: rotated,
        c: state.b,
        d: state.c,
    };
}

//! Skein-512-512 (version 1.3: Threefish-512 in UBI chaining), as sphlib's
//! `sph_skein512`.

const BLOCK: usize = 64;

/// The chaining value after the configuration block for a 512-bit output.
const IV: [u64; 8] = [
    0x4903_ADFF_749C_51CE,
    0x0D95_DE39_9746_DF03,
    0x8FD1_9341_27C7_9BCE,
    0x9A25_5629_FF35_2CB1,
    0x5DB6_2599_DF6C_A7B0,
    0xEABE_394C_A9D5_C3F4,
    0x9911_12C7_1A75_B523,
    0xAE18_A40B_660F_CC33,
];

/// Key schedule parity constant.
const C240: u64 = 0x1BD1_1BDA_A9FC_1A22;

/// Rotation constants of the eight rounds of a key-schedule period pair.
const ROTATIONS: [[u32; 4]; 8] = [
    [46, 36, 19, 37],
    [33, 27, 14, 42],
    [17, 49, 36, 39],
    [44, 9, 54, 56],
    [39, 30, 34, 24],
    [13, 50, 10, 17],
    [25, 29, 39, 43],
    [8, 35, 56, 22],
];

/// The word pairs mixed in each of four consecutive rounds: the word permutation
/// of Threefish-512 applied by renaming instead of moving words (it has order 4).
const PAIRS: [[(usize, usize); 4]; 4] = [
    [(0, 1), (2, 3), (4, 5), (6, 7)],
    [(2, 1), (4, 7), (6, 5), (0, 3)],
    [(4, 1), (6, 3), (0, 5), (2, 7)],
    [(6, 1), (0, 7), (2, 5), (4, 3)],
];

/// Block types of the UBI tweak.
const TYPE_MESSAGE: u64 = 48;
const TYPE_OUTPUT: u64 = 63;

/// The UBI tweak: bytes processed so far, block type, first and final flags.
fn tweak(position: u64, block_type: u64, first: bool, last: bool) -> [u64; 2] {
    [
        position,
        block_type << 56 | u64::from(first) << 62 | u64::from(last) << 63,
    ]
}

/// Adds subkey `s` (key words `s..s + 8`, tweak words, the counter `s`).
#[inline(always)]
fn inject(v: &mut [u64; 8], key: &[u64; 27], t: &[u64; 5], s: usize) {
    for (i, word) in v.iter_mut().enumerate() {
        *word = word.wrapping_add(key[s + i]);
    }
    v[5] = v[5].wrapping_add(t[s % 3]);
    v[6] = v[6].wrapping_add(t[s % 3 + 1]);
    v[7] = v[7].wrapping_add(s as u64);
}

/// Eight rounds, with subkeys `S` and `S + 1` injected after the fourth and eighth.
#[inline(always)]
fn eight_rounds<const S: usize>(v: &mut [u64; 8], key: &[u64; 27], t: &[u64; 5]) {
    for (half, rotations) in ROTATIONS.chunks_exact(4).enumerate() {
        for (pairs, rotation) in PAIRS.iter().zip(rotations) {
            for (&(a, b), &r) in pairs.iter().zip(rotation) {
                v[a] = v[a].wrapping_add(v[b]);
                v[b] = v[b].rotate_left(r) ^ v[a];
            }
        }
        inject(v, key, t, S + half);
    }
}

/// Threefish-512 encryption of `block` under key `k` and tweak `t`, xored with the
/// block (one UBI step): the new chaining value.
#[inline(always)]
fn ubi(k: &[u64; 8], t: [u64; 2], block: &[u8]) -> [u64; 8] {
    let m: [u64; 8] =
        core::array::from_fn(|i| u64::from_le_bytes(block[8 * i..8 * i + 8].try_into().unwrap()));
    // The key and tweak words repeated, so that subkey s starts at index s.
    let parity = k.iter().fold(C240, |a, &w| a ^ w);
    let key: [u64; 27] = core::array::from_fn(|i| if i % 9 == 8 { parity } else { k[i % 9] });
    let t: [u64; 5] = core::array::from_fn(|i| [t[0], t[1], t[0] ^ t[1]][i % 3]);
    let mut v = m;
    inject(&mut v, &key, &t, 0);
    // Unrolled, so that every subkey index is known at compile time.
    super::unroll!(eight_rounds(&mut v, &key, &t); 1, 3, 5, 7, 9, 11, 13, 15, 17);
    core::array::from_fn(|i| v[i] ^ m[i])
}

/// Skein-512-512 of `data`, as sphlib's `sph_skein512`.
pub fn skein512(data: &[u8]) -> [u8; 64] {
    let mut h = IV;
    // The last block (full or padded with zeros) carries the final flag; an empty
    // message is one block of zeros.
    let last_start = data.len().saturating_sub(1) / BLOCK * BLOCK;
    for (n, block) in data[..last_start].chunks_exact(BLOCK).enumerate() {
        h = ubi(
            &h,
            tweak(((n + 1) * BLOCK) as u64, TYPE_MESSAGE, n == 0, false),
            block,
        );
    }
    let mut last = [0u8; BLOCK];
    last[..data.len() - last_start].copy_from_slice(&data[last_start..]);
    h = ubi(
        &h,
        tweak(data.len() as u64, TYPE_MESSAGE, last_start == 0, true),
        &last,
    );
    h = ubi(&h, tweak(8, TYPE_OUTPUT, true, true), &[0; BLOCK]);
    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(8).zip(&h) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

//! BLAKE-512 (the SHA-3 finalist, 16 rounds), as sphlib's `sph_blake512`.

/// The initial chaining value (SHA-512's).
const IV: [u64; 8] = [
    0x6A09_E667_F3BC_C908,
    0xBB67_AE85_84CA_A73B,
    0x3C6E_F372_FE94_F82B,
    0xA54F_F53A_5F1D_36F1,
    0x510E_527F_ADE6_82D1,
    0x9B05_688C_2B3E_6C1F,
    0x1F83_D9AB_FB41_BD6B,
    0x5BE0_CD19_137E_2179,
];

/// The first digits of pi, BLAKE-512's round constants.
const PI: [u64; 16] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
    0x4528_21E6_38D0_1377,
    0xBE54_66CF_34E9_0C6C,
    0xC0AC_29B7_C97C_50DD,
    0x3F84_D5B5_B547_0917,
    0x9216_D5D9_8979_FB1B,
    0xD131_0BA6_98DF_B5AC,
    0x2FFD_72DB_D01A_DFB7,
    0xB8E1_AFED_6A26_7E96,
    0xBA7C_9045_F12C_7F99,
    0x24A1_9947_B391_6CF7,
    0x0801_F2E2_858E_FC16,
    0x6369_20D8_7157_4E69,
];

/// The message permutations of the ten distinct rounds.
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const BLOCK: usize = 128;

/// The quarter-round G on columns/diagonals `(a, b, c, d)` with message pair index `i`.
#[inline(always)]
fn g(
    v: &mut [u64; 16],
    m: &[u64; 16],
    s: &[usize; 16],
    (a, b, c, d): (usize, usize, usize, usize),
    i: usize,
) {
    let (x, y) = (s[2 * i], s[2 * i + 1]);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[x] ^ PI[y]);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(25);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[y] ^ PI[x]);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(11);
}

/// Round `R`, its number known at compile time (so are its message indices).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn round<const R: usize>(v: &mut [u64; 16], m: &[u64; 16]) {
    round_at(v, m, R);
}

/// Round `r`: G on the four columns, then on the four diagonals.
#[inline(always)]
fn round_at(v: &mut [u64; 16], m: &[u64; 16], r: usize) {
    let s = &SIGMA[r % 10];
    g(v, m, s, (0, 4, 8, 12), 0);
    g(v, m, s, (1, 5, 9, 13), 1);
    g(v, m, s, (2, 6, 10, 14), 2);
    g(v, m, s, (3, 7, 11, 15), 3);
    g(v, m, s, (0, 5, 10, 15), 4);
    g(v, m, s, (1, 6, 11, 12), 5);
    g(v, m, s, (2, 7, 8, 13), 6);
    g(v, m, s, (3, 4, 9, 14), 7);
}

/// Compresses one block into `h`; `counter` is the number of message bits up to and
/// including this block (0 for a block holding only padding). The salt is zero.
fn compress(h: &mut [u64; 8], block: &[u8; BLOCK], counter: u64) {
    let m: [u64; 16] =
        core::array::from_fn(|i| u64::from_be_bytes(block[8 * i..8 * i + 8].try_into().unwrap()));
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&PI[..8]);
    v[12] ^= counter;
    v[13] ^= counter;
    // Unrolled, so that every message index and constant is known at compile time.
    #[cfg(not(target_arch = "wasm32"))]
    super::unroll!(round(&mut v, &m); 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // In wasm a loop: unrolled, the 16 rounds make one function of 123 locals, over
    // the 100 that CosmWasm's validator allows (the mining contract runs this code).
    #[cfg(target_arch = "wasm32")]
    for r in 0..16 {
        round_at(&mut v, &m, r);
    }
    for (i, word) in h.iter_mut().enumerate() {
        *word ^= v[i] ^ v[i + 8];
    }
}

/// BLAKE-512 of `data`, as sphlib's `sph_blake512`.
pub fn blake512(data: &[u8]) -> [u8; 64] {
    let bits = (data.len() as u64) << 3;
    let mut h = IV;
    let mut blocks = data.chunks_exact(BLOCK);
    let mut counter = 0u64;
    for block in &mut blocks {
        counter += (BLOCK as u64) << 3;
        compress(&mut h, block.try_into().unwrap(), counter);
    }
    let tail = blocks.remainder();
    let mut buf = [0u8; BLOCK];
    buf[..tail.len()].copy_from_slice(tail);
    buf[tail.len()] = 0x80;
    let tail_counter = if tail.is_empty() { 0 } else { bits };
    if tail.len() > BLOCK - 17 {
        compress(&mut h, &buf, tail_counter);
        buf = [0u8; BLOCK];
        buf[BLOCK - 17] = 0x01;
        buf[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut h, &buf, 0);
    } else {
        buf[BLOCK - 17] |= 0x01;
        buf[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut h, &buf, tail_counter);
    }
    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(8).zip(&h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

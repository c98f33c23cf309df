//! SHAvite-3-512 (second-round tweaked version, following the specification's AES
//! byte order), as sphlib's `sph_shavite512`.

use crate::aes::round;

#[cfg(target_arch = "x86_64")]
mod aes_ni;

const BLOCK: usize = 128;
const ROUNDS: usize = 14;
/// 32-bit words of round keys: 14 rounds × 2 Feistel functions × 4 AES rounds × 4 words.
const KEY_WORDS: usize = ROUNDS * 2 * 16;

const IV: [u32; 16] = [
    0x72FCCDD8, 0x79CA4727, 0x128A077B, 0x40D55AEC, 0xD1901A06, 0x430AE307, 0xB29F5CD1, 0xDF07FBFC,
    0x8E45D73D, 0x681AB538, 0xBDE86578, 0xDD577E47, 0xE275EADE, 0x502D9FCD, 0xB9357178, 0x022A4B9A,
];

/// Where the 128-bit bit counter enters the key schedule: at word offset `at`, the
/// counter words in order `words`, the last one complemented.
const COUNTER_INJECTIONS: [(usize, [usize; 4]); 4] = [
    (32, [0, 1, 2, 3]),
    (164, [3, 2, 1, 0]),
    (316, [2, 3, 0, 1]),
    (440, [1, 0, 3, 2]),
];

/// The message expansion: 448 round-key words from the block and the bit counter.
#[inline(always)]
fn expand_keys(block: &[u8], counter: [u32; 4]) -> [u32; KEY_WORDS] {
    let mut rk = [0u32; KEY_WORDS];
    for (word, bytes) in rk[..32].iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_le_bytes(bytes.try_into().unwrap());
    }
    let mut u = 32;
    loop {
        // Nonlinear part: 8 groups of 4 words through an AES round.
        for _ in 0..8 {
            let x = round([rk[u - 31], rk[u - 30], rk[u - 29], rk[u - 32]]);
            for i in 0..4 {
                rk[u + i] = x[i] ^ rk[u - 4 + i];
            }
            if let Some((_, order)) = COUNTER_INJECTIONS.iter().find(|(at, _)| *at == u) {
                for i in 0..4 {
                    rk[u + i] ^= counter[order[i]];
                }
                rk[u + 3] ^= u32::MAX;
            }
            u += 4;
        }
        if u == KEY_WORDS {
            return rk;
        }
        // Linear part: 32 words.
        for _ in 0..32 {
            rk[u] = rk[u - 32] ^ rk[u - 7];
            u += 1;
        }
    }
}

/// The compression function C_512 (Davies-Meyer over a 14-round Feistel cipher).
#[inline(always)]
fn compress(h: &mut [u32; 16], block: &[u8], counter: [u32; 4]) {
    let rk = expand_keys(block, counter);
    let mut keys = rk.chunks_exact(16);
    let mut p: [[u32; 4]; 4] = core::array::from_fn(|i| h[4 * i..4 * i + 4].try_into().unwrap());
    for _ in 0..ROUNDS {
        for (left, right) in [(0, 1), (2, 3)] {
            let k = keys.next().unwrap();
            let mut x = p[right];
            for aes_round in 0..4 {
                for i in 0..4 {
                    x[i] ^= k[4 * aes_round + i];
                }
                x = round(x);
            }
            for i in 0..4 {
                p[left][i] ^= x[i];
            }
        }
        p.rotate_right(1);
    }
    for (i, word) in h.iter_mut().enumerate() {
        *word ^= p[i / 4][i % 4];
    }
}

/// The 128-bit bit counter as four little-endian 32-bit words.
fn counter_words(bits: u64) -> [u32; 4] {
    [bits as u32, (bits >> 32) as u32, 0, 0]
}

/// SHAvite-3-512 of `data`, as sphlib's `sph_shavite512`.
///
/// On x86-64 processors with AES-NI and SSSE3 the compression function runs on them
/// (detected at run time); everywhere else, and as the reference, on AES tables.
pub fn shavite512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_aes_ni() {
        return digest(data, aes_ni::compress);
    }
    digest(data, compress)
}

/// SHAvite-3-512 with the given compression function.
#[inline(always)]
fn digest(data: &[u8], compress: fn(&mut [u32; 16], &[u8], [u32; 4])) -> [u8; 64] {
    let bits = (data.len() as u64) << 3;
    let mut h = IV;
    let mut blocks = data.chunks_exact(BLOCK);
    let mut processed = 0u64;
    for block in &mut blocks {
        processed += (BLOCK as u64) << 3;
        compress(&mut h, block, counter_words(processed));
    }
    let tail = blocks.remainder();
    let mut buf = [0u8; BLOCK];
    buf[..tail.len()].copy_from_slice(tail);
    buf[tail.len()] = 0x80;
    let mut last_counter = if tail.is_empty() { 0 } else { bits };
    // 110 bytes of message and padding, 16 of counter, 2 of digest size.
    if tail.len() >= 110 {
        compress(&mut h, &buf, counter_words(bits));
        buf = [0u8; BLOCK];
        last_counter = 0;
    }
    buf[110..118].copy_from_slice(&bits.to_le_bytes());
    buf[126..].copy_from_slice(&512u16.to_le_bytes());
    compress(&mut h, &buf, counter_words(last_counter));
    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(&h) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            |data| super::digest(data, super::compress),
            super::shavite512,
        );
    }
}

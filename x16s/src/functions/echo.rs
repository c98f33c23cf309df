//! ECHO-512 (Benadjila et al., SHA-3 round 2 "ECHO" specification), as in sphlib.

#[cfg(target_arch = "x86_64")]
mod aes_ni;

/// Message block size in bytes for ECHO-512 (the "BIG" variant: 1024-bit blocks).
const BLOCK: usize = 128;
/// Bytes at the end of the last block holding the output size (16 bits) and the
/// 128-bit message bit counter (spec §2.4 padding).
const TRAILER: usize = 18;
/// 128-bit words in the chaining value of ECHO-512.
const CHAIN_WORDS: usize = 8;
/// Rounds of BIG.SubWords/ShiftRows/MixColumns for ECHO-512 (spec §2.2).
const ROUNDS: usize = 10;

/// A 128-bit ECHO word as four little-endian 32-bit AES columns.
type Word = [u32; 4];

/// A compression function: chaining value, message block, block counter.
type Compress = fn(&mut [Word; CHAIN_WORDS], &[u8; BLOCK], u128);

/// ECHO-512 digest of `data` (the SHA-3 round-2 "ECHO" tweak with salt zero, as in
/// sphlib's `sph_echo512` and the X16R family).
///
/// On x86-64 processors with AES-NI the AES rounds use it (detected at run time);
/// everywhere else, and as the reference, a table-based portable implementation.
pub fn echo512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_aes_ni() {
        return digest(data, aes_ni::compress);
    }
    digest(data, compress)
}

/// ECHO-512 over the given compression function.
#[inline(always)]
fn digest(data: &[u8], compress: Compress) -> [u8; 64] {
    // Initial chaining value: each word holds the output length in bits (spec §2.3).
    let mut chain: [Word; CHAIN_WORDS] = [[512, 0, 0, 0]; CHAIN_WORDS];
    let mut bits: u128 = 0;

    let (blocks, rest) = data.as_chunks::<BLOCK>();
    for block in blocks {
        bits = bits.wrapping_add(8 * BLOCK as u128);
        compress(&mut chain, block, bits);
    }

    bits = bits.wrapping_add(8 * rest.len() as u128);
    // A block that carries no message bits is compressed with a counter of zero (§2.4).
    let mut counter = if rest.is_empty() { 0 } else { bits };
    let mut last = [0u8; BLOCK];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    if rest.len() + 1 > BLOCK - TRAILER {
        compress(&mut chain, &last, counter);
        last = [0; BLOCK];
        counter = 0;
    }
    last[BLOCK - TRAILER..BLOCK - 16].copy_from_slice(&512u16.to_le_bytes());
    last[BLOCK - 16..].copy_from_slice(&bits.to_le_bytes());
    compress(&mut chain, &last, counter);

    let mut out = [0u8; 64];
    for (chunk, word) in out.chunks_exact_mut(4).zip(chain.as_flattened()) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// The ECHO-512 compression function (spec §2.2): state = chaining value followed by
/// the message block, ten BIG rounds, then the BIG.Final feed-forward.
fn compress(chain: &mut [Word; CHAIN_WORDS], block: &[u8; BLOCK], counter: u128) {
    let mut message = [[0u32; 4]; CHAIN_WORDS];
    for (word, bytes) in message.iter_mut().zip(block.chunks_exact(16)) {
        for (w, b) in word.iter_mut().zip(bytes.chunks_exact(4)) {
            *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
    }
    let mut state = [[0u32; 4]; 16];
    state[..CHAIN_WORDS].copy_from_slice(chain);
    state[CHAIN_WORDS..].copy_from_slice(&message);

    let mut key = counter;
    for _ in 0..ROUNDS {
        sub_words(&mut state, &mut key);
        shift_rows(&mut state);
        mix_columns(&mut state);
    }

    for (i, c) in chain.iter_mut().enumerate() {
        for (lane, v) in c.iter_mut().enumerate() {
            *v ^= message[i][lane] ^ state[i][lane] ^ state[i + CHAIN_WORDS][lane];
        }
    }
}

/// BIG.SubWords: two AES rounds on each word, the first keyed by the running counter
/// and the second by the (zero) salt.
#[inline(always)]
fn sub_words(state: &mut [Word; 16], key: &mut u128) {
    for word in state.iter_mut() {
        let k = *key;
        let k = [
            k as u32,
            (k >> 32) as u32,
            (k >> 64) as u32,
            (k >> 96) as u32,
        ];
        let mut keyed = crate::aes::round(*word);
        for (w, k) in keyed.iter_mut().zip(k) {
            *w ^= k;
        }
        *word = crate::aes::round(keyed);
        *key = key.wrapping_add(1);
    }
}

/// BIG.ShiftRows: word (column c, row r) takes the word at column c + r.
#[inline(always)]
fn shift_rows(state: &mut [Word; 16]) {
    let old = *state;
    for (i, word) in state.iter_mut().enumerate() {
        let (col, row) = (i / 4, i % 4);
        *word = old[(col + row) % 4 * 4 + row];
    }
}

/// BIG.MixColumns: the AES MixColumns matrix applied byte-wise to each column of four
/// 128-bit words, computed on four bytes at a time.
#[inline(always)]
fn mix_columns(state: &mut [Word; 16]) {
    /// Bytewise multiplication by 2 in GF(2^8), packed.
    fn double(x: u32) -> u32 {
        (((x & 0x8080_8080) >> 7) * 0x1b) ^ ((x & 0x7f7f_7f7f) << 1)
    }
    for column in state.as_chunks_mut::<4>().0 {
        let [a, b, c, d] = *column;
        for (lane, (((a, b), c), d)) in a.into_iter().zip(b).zip(c).zip(d).enumerate() {
            let (ab, bc, cd) = (a ^ b, b ^ c, c ^ d);
            let (ab2, bc2, cd2) = (double(ab), double(bc), double(cd));
            column[0][lane] = ab2 ^ bc ^ d;
            column[1][lane] = bc2 ^ a ^ cd;
            column[2][lane] = cd2 ^ ab ^ d;
            column[3][lane] = ab2 ^ bc2 ^ cd2 ^ ab ^ c;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(
            |data| super::digest(data, super::compress),
            super::echo512,
        );
    }
}

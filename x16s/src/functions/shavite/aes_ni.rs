//! SHAvite-3-512's compression function on AES-NI, every 128-bit word of the state and
//! of the round keys in a register: the message expansion and the Feistel rounds are
//! those of the portable `expand_keys` and `compress`, with each AES round's key
//! addition folded into the `aesenc` before it.

use core::arch::x86_64::{
    __m128i, _mm_aesenc_si128, _mm_alignr_epi8, _mm_loadu_si128, _mm_setzero_si128,
    _mm_shuffle_epi32, _mm_storeu_si128, _mm_xor_si128,
};

use super::{COUNTER_INJECTIONS, KEY_WORDS, ROUNDS};

/// Round keys as 128-bit words.
const KEY_VECTORS: usize = KEY_WORDS / 4;

/// The compression function on AES-NI and SSSE3; only for use after
/// [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn compress(h: &mut [u32; 16], block: &[u8], counter: [u32; 4]) {
    // SAFETY: `shavite512` passes this function on only once AES-NI and SSSE3 have
    // been detected.
    unsafe { compress_aes_ni(h, block, counter) }
}

#[target_feature(enable = "aes,ssse3")]
fn compress_aes_ni(h: &mut [u32; 16], block: &[u8], counter: [u32; 4]) {
    let rk = expand_keys(block, counter);
    let load = |words: &[u32]| -> __m128i {
        assert!(words.len() >= 4);
        // SAFETY: four words are readable.
        unsafe { _mm_loadu_si128(words.as_ptr().cast()) }
    };
    let [mut a, mut b, mut c, mut d] = [
        load(&h[..4]),
        load(&h[4..8]),
        load(&h[8..12]),
        load(&h[12..]),
    ];
    let zero = _mm_setzero_si128();
    // Four AES rounds, each keyed by the next round key's addition (the last by zero).
    let feistel = |x: __m128i, k: &[__m128i]| {
        let x = _mm_aesenc_si128(_mm_xor_si128(x, k[0]), k[1]);
        let x = _mm_aesenc_si128(x, k[2]);
        let x = _mm_aesenc_si128(x, k[3]);
        _mm_aesenc_si128(x, zero)
    };
    for keys in rk.chunks_exact(8).take(ROUNDS) {
        a = _mm_xor_si128(a, feistel(b, &keys[..4]));
        c = _mm_xor_si128(c, feistel(d, &keys[4..]));
        // The state rotates right by one word.
        [a, b, c, d] = [d, a, b, c];
    }
    for (i, x) in [a, b, c, d].into_iter().enumerate() {
        let mut p = [0u32; 4];
        // SAFETY: sixteen bytes are writable.
        unsafe { _mm_storeu_si128(p.as_mut_ptr().cast(), x) };
        for (word, p) in h[4 * i..4 * i + 4].iter_mut().zip(p) {
            *word ^= p;
        }
    }
}

/// The message expansion (as the portable `expand_keys`), four words at a time.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn expand_keys(block: &[u8], counter: [u32; 4]) -> [__m128i; KEY_VECTORS] {
    let mut rk = [_mm_setzero_si128(); KEY_VECTORS];
    for (k, bytes) in rk[..8].iter_mut().zip(block.chunks_exact(16)) {
        // SAFETY: sixteen bytes are readable.
        *k = unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) };
    }
    // The counter words to add where they are injected, the last one complemented.
    let injections = COUNTER_INJECTIONS.map(|(at, order)| {
        let mut words = order.map(|i| counter[i]);
        words[3] ^= u32::MAX;
        // SAFETY: sixteen bytes are readable.
        (at / 4, unsafe { _mm_loadu_si128(words.as_ptr().cast()) })
    });
    let zero = _mm_setzero_si128();
    let mut v = 8;
    loop {
        // Nonlinear part: words u - 31, u - 30, u - 29, u - 32 through an AES round.
        for _ in 0..8 {
            let x = _mm_aesenc_si128(_mm_shuffle_epi32::<0b00_11_10_01>(rk[v - 8]), zero);
            rk[v] = _mm_xor_si128(x, rk[v - 1]);
            for &(at, words) in &injections {
                if at == v {
                    rk[v] = _mm_xor_si128(rk[v], words);
                }
            }
            v += 1;
        }
        if v == KEY_VECTORS {
            return rk;
        }
        // Linear part: word u is word u - 32 plus word u - 7.
        for _ in 0..8 {
            rk[v] = _mm_xor_si128(rk[v - 8], _mm_alignr_epi8::<4>(rk[v - 1], rk[v - 2]));
            v += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    /// Against the portable compression function, where this processor has AES-NI.
    #[test]
    fn matches_portable() {
        if !crate::cpu::has_aes_ni() {
            return;
        }
        let block: [u8; super::super::BLOCK] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for counter in [
            [0, 0, 0, 0],
            [1024, 0, 0, 0],
            [0x89ab_cdef, 0x0123_4567, 5, 7],
        ] {
            let mut expected = super::super::IV;
            super::super::compress(&mut expected, &block, counter);
            let mut fast = super::super::IV;
            super::compress(&mut fast, &block, counter);
            assert_eq!(fast, expected);
        }
    }
}

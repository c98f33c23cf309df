//! The ECHO-512 compression function on AES-NI: one `aesenc` per AES round and
//! BIG.MixColumns on whole 128-bit words. Same results as the portable `compress`.

use core::arch::x86_64::{
    __m128i, _mm_aesenc_si128, _mm_cvtsi128_si32, _mm_set_epi32, _mm_set_epi64x, _mm_setzero_si128,
    _mm_shuffle_epi32, _mm_xor_si128,
};

use super::{BLOCK, CHAIN_WORDS, ROUNDS, Word};
use crate::aes::double;

/// The compression function on AES-NI; only for use after
/// [`crate::cpu::has_aes_ni`] said yes.
pub(super) fn compress(chain: &mut [Word; CHAIN_WORDS], block: &[u8; BLOCK], counter: u128) {
    // SAFETY: `echo512` passes this function on only once AES-NI (and SSE2, baseline
    // on x86-64) has been detected.
    unsafe { compress_aes_ni(chain, block, counter) }
}

#[target_feature(enable = "aes")]
fn compress_aes_ni(chain: &mut [Word; CHAIN_WORDS], block: &[u8; BLOCK], counter: u128) {
    let message: [__m128i; CHAIN_WORDS] = core::array::from_fn(|i| {
        let lo = u64::from_le_bytes(block[16 * i..16 * i + 8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(block[16 * i + 8..16 * i + 16].try_into().expect("8 bytes"));
        _mm_set_epi64x(hi as i64, lo as i64)
    });
    let mut state: [__m128i; 16] = core::array::from_fn(|i| match i {
        0..CHAIN_WORDS => {
            let [w0, w1, w2, w3] = chain[i].map(|w| w as i32);
            _mm_set_epi32(w3, w2, w1, w0)
        }
        _ => message[i - CHAIN_WORDS],
    });

    let zero = _mm_setzero_si128();
    let mut key = counter;
    for _ in 0..ROUNDS {
        // BIG.SubWords: two AES rounds per word, keyed by the counter then the salt.
        for word in state.iter_mut() {
            let k = _mm_set_epi64x((key >> 64) as i64, key as i64);
            *word = _mm_aesenc_si128(_mm_aesenc_si128(*word, k), zero);
            key = key.wrapping_add(1);
        }
        // BIG.ShiftRows: word (column c, row r) takes the word at column c + r.
        let old = state;
        for (i, word) in state.iter_mut().enumerate() {
            *word = old[(i / 4 + i % 4) % 4 * 4 + i % 4];
        }
        // BIG.MixColumns on each column of four words, sixteen bytes at a time.
        for column in state.as_chunks_mut::<4>().0 {
            let [a, b, c, d] = *column;
            let (ab, bc, cd) = (
                _mm_xor_si128(a, b),
                _mm_xor_si128(b, c),
                _mm_xor_si128(c, d),
            );
            let (ab2, bc2, cd2) = (double(ab), double(bc), double(cd));
            column[0] = _mm_xor_si128(_mm_xor_si128(ab2, bc), d);
            column[1] = _mm_xor_si128(_mm_xor_si128(bc2, a), cd);
            column[2] = _mm_xor_si128(_mm_xor_si128(cd2, ab), d);
            column[3] = _mm_xor_si128(
                _mm_xor_si128(_mm_xor_si128(ab2, bc2), _mm_xor_si128(cd2, ab)),
                c,
            );
        }
    }

    for (i, c) in chain.iter_mut().enumerate() {
        let v = _mm_xor_si128(_mm_xor_si128(message[i], state[i]), state[i + CHAIN_WORDS]);
        let x = _mm_xor_si128(
            v,
            _mm_set_epi32(c[3] as i32, c[2] as i32, c[1] as i32, c[0] as i32),
        );
        *c = [
            _mm_cvtsi128_si32(x) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b01>(x)) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b10>(x)) as u32,
            _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b11>(x)) as u32,
        ];
    }
}

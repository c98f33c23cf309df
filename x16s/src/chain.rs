//! The X16S chain: the function order derived from the previous block hash, and the
//! 16 functions applied one after the other.

use crate::functions::FUNCTIONS;

/// Length of a block header in bytes.
pub const HEADER_LEN: usize = 80;

/// Where the previous block hash sits in a header.
const PREVIOUS_HASH: core::ops::Range<usize> = 4..36;

/// The order in which X16S applies its 16 functions, as indices into [`FUNCTIONS`].
///
/// X16S (unlike X16R, which uses the digits directly) starts from the list
/// `0, 1, ..., 15` and, for each of the 16 nibbles that end the displayed previous
/// hash (the first 8 bytes of `prev` read from byte 7 down to byte 0, high nibble
/// first), moves the entry at that position to the front. The result is always a
/// permutation, so every function runs exactly once.
pub fn order(prev: &[u8; 32]) -> [u8; 16] {
    let mut order: [u8; 16] = core::array::from_fn(|i| i as u8);
    for i in 0..16 {
        let byte = prev[(15 - i) / 2];
        let position = usize::from(if i % 2 == 0 { byte >> 4 } else { byte & 0x0f });
        order[..=position].rotate_right(1);
    }
    order
}

/// The X16S hash of an 80-byte block header: the 16 functions in [`order`] of the
/// header's previous hash (bytes 4..36), each hashing the previous 64-byte digest
/// (the first hashes the header), truncated to the first 32 bytes of the last digest.
pub fn hash(header: &[u8; HEADER_LEN]) -> [u8; 32] {
    let prev = header[PREVIOUS_HASH]
        .try_into()
        .expect("the previous hash range is 32 bytes");
    let mut functions = order(prev)
        .into_iter()
        .map(|index| FUNCTIONS[usize::from(index)].digest);
    let first = functions.next().expect("an order has 16 entries");
    let digest = functions.fold(first(header), |digest, function| function(&digest));
    let mut out = [0u8; 32];
    out.copy_from_slice(&digest[..32]);
    out
}

#[cfg(test)]
mod tests {
    use super::order;

    #[test]
    fn zero_previous_hash_keeps_index_order() {
        assert_eq!(order(&[0; 32]), core::array::from_fn(|i| i as u8));
    }

    #[test]
    fn order_is_a_permutation() {
        let prev: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(0x9d) ^ 0x5a);
        let mut seen = [false; 16];
        for index in order(&prev) {
            seen[usize::from(index)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}

//! The snapshot's Merkle tree (the shared [`crate::merkle`] tree), shared by the
//! snapshot CLI (which builds it) and the contract (which checks proofs against its
//! root).
//!
//! - leaf = SHA-256(0x00 ‖ P2PKH payload (21 bytes) ‖ amount in ugut, 16 bytes big-endian)
//! - node = SHA-256(0x01 ‖ min(a, b) ‖ max(a, b))

use sha2::{Digest, Sha256};

pub use crate::merkle::{Hash, MerkleTree, root_from_proof};

use super::address::AddressPayload;

/// The leaf of one snapshot entry.
pub fn leaf(payload: &AddressPayload, amount: u128) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(payload);
    hasher.update(amount.to_be_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u8) -> Vec<Hash> {
        (0..n).map(|i| leaf(&[i; 21], u128::from(i) + 1)).collect()
    }

    #[test]
    fn a_proof_does_not_fit_another_leaf_or_amount() {
        let leaves = leaves(5);
        let tree = MerkleTree::new(leaves.clone()).expect("non-empty");
        let proof = tree.proof(2).expect("in range");
        assert_ne!(root_from_proof(leaves[3], &proof), tree.root());
        assert_ne!(root_from_proof(leaf(&[2; 21], 4), &proof), tree.root());
    }
}

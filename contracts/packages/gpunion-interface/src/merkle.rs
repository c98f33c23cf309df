//! A binary SHA-256 Merkle tree over 32-byte leaves, shared by the token swap's snapshot
//! (its leaves: `token_swap::merkle::leaf`) and deterministic jobs' dispatch traces
//! (`trace`). Whoever builds leaves prefixes them with a byte other than 0x01 (the swap:
//! 0x00, traces: 0x02), so a leaf is never taken for a node (second-preimage attack).
//!
//! - node = SHA-256(0x01 ‖ min(a, b) ‖ max(a, b))
//!
//! Hashing sorted pairs means a proof is only the list of siblings, with no left/right
//! flags; so a proof shows a leaf is in the tree, not where: a leaf that must sit at a
//! position commits to it itself (`trace::leaf`). A level with an odd number of nodes
//! promotes its last node unchanged.

use sha2::{Digest, Sha256};

/// A node or leaf hash.
pub type Hash = [u8; 32];

/// The parent of two nodes, independent of their order.
pub fn node(a: &Hash, b: &Hash) -> Hash {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(low);
    hasher.update(high);
    hasher.finalize().into()
}

/// Folds a leaf with its proof; the result equals the root iff the proof is valid.
pub fn root_from_proof(leaf: Hash, proof: &[Hash]) -> Hash {
    proof.iter().fold(leaf, |acc, sibling| node(&acc, sibling))
}

/// A whole tree, kept level by level (leaves first) to hand out proofs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Builds the tree over `leaves` in the given order. `None` when there are no leaves.
    pub fn new(leaves: Vec<Hash>) -> Option<Self> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = vec![leaves];
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let parents = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => node(a, b),
                    [lone] => *lone,
                    _ => unreachable!("chunks(2) yields one or two nodes"),
                })
                .collect();
            levels.push(parents);
        }
        Some(Self { levels })
    }

    /// The root hash.
    pub fn root(&self) -> Hash {
        self.levels[self.levels.len() - 1][0]
    }

    /// The siblings from leaf `index` up to the root; `None` if out of range.
    pub fn proof(&self, mut index: usize) -> Option<Vec<Hash>> {
        if index >= self.levels[0].len() {
            return None;
        }
        let mut proof = Vec::new();
        for level in &self.levels[..self.levels.len() - 1] {
            if let Some(sibling) = level.get(index ^ 1) {
                proof.push(*sibling);
            }
            index /= 2;
        }
        Some(proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u8) -> Vec<Hash> {
        (0..n).map(|i| Sha256::digest([0x00, i]).into()).collect()
    }

    #[test]
    fn every_proof_of_every_tree_size_leads_to_the_root() {
        for n in 1..=17 {
            let leaves = leaves(n);
            let tree = MerkleTree::new(leaves.clone()).expect("non-empty");
            for (i, leaf) in leaves.iter().enumerate() {
                let proof = tree.proof(i).expect("in range");
                assert_eq!(root_from_proof(*leaf, &proof), tree.root(), "n={n} i={i}");
            }
            assert_eq!(tree.proof(leaves.len()), None);
        }
    }

    #[test]
    fn a_proof_does_not_fit_another_leaf() {
        let leaves = leaves(5);
        let tree = MerkleTree::new(leaves.clone()).expect("non-empty");
        let proof = tree.proof(2).expect("in range");
        assert_ne!(root_from_proof(leaves[3], &proof), tree.root());
        assert_eq!(MerkleTree::new(Vec::new()), None);
    }
}

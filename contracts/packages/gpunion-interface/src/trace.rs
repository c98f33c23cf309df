//! A deterministic WGSL job's dispatch trace: the state of its read-write storage
//! buffers after every dispatch, and the root that commits to it.
//!
//! - state after dispatch `i` = [`crate::job::output_hash`] over the job's
//!   `StorageReadWrite` buffers in manifest order (the only buffers a dispatch can change);
//! - leaf `i` = SHA-256(0x02 ‖ `i` as u64 little-endian ‖ state `i`): a leaf commits to
//!   its position, since [`crate::merkle`] proofs do not;
//! - root = SHA-256(0x03 ‖ count as u64 little-endian ‖ Merkle root of the leaves): a
//!   root commits to the number of dispatches, so a shorter trace is a different one.
//!
//! The provider publishes the trace ([`TRACE_FILE`] in its result folder, on IPFS) and
//! posts the root on chain with the result; a checker re-runs the job and posts its own
//! root. When two roots differ, a referee finds the first dispatch where the traces
//! differ ([`Trace::first_difference`]), runs the job only that far, and proves each
//! side's state there with a [`TraceProof`] the market checks against the side's root.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::HexBinary;
use sha2::{Digest, Sha256};

pub use crate::merkle::Hash;
use crate::merkle::{MerkleTree, root_from_proof};

/// The trace's file in a deterministic job's result folder (JSON, a [`Trace`]).
pub const TRACE_FILE: &str = "trace.json";

/// The most siblings a proof may carry: a tree of 2^64 leaves has 64 levels.
pub const MAX_PROOF_LEN: usize = 64;

/// A trace as published: the state after each dispatch, in order.
#[cw_serde]
pub struct Trace {
    /// State `i` is the hash of the read-write storage buffers after dispatch `i`.
    pub states: Vec<HexBinary>,
}

/// Why a trace or a proof is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TraceError {
    /// A state, sibling or root is not 32 bytes.
    #[error("{what} is {len} bytes, not 32")]
    HashLength { what: &'static str, len: usize },
    /// The proof has more siblings than any tree needs.
    #[error("the proof has {len} siblings, at most {MAX_PROOF_LEN} are possible")]
    ProofTooLong { len: usize },
    /// The proof shows a state at `index` for a trace of `count` states, or proves
    /// absence for an index the trace has.
    #[error("index {index} does not fit a trace of {count} dispatches as proven")]
    Index { index: u64, count: u64 },
    /// The proof does not lead to the root it is checked against.
    #[error("the proof does not lead to the trace's root")]
    Mismatch,
}

/// The leaf of state `state` after dispatch `index`.
pub fn leaf(index: u64, state: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x02]);
    hasher.update(index.to_le_bytes());
    hasher.update(state);
    hasher.finalize().into()
}

/// The root of a trace of `count` leaves whose Merkle root is `tree_root`.
fn commit(count: u64, tree_root: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x03]);
    hasher.update(count.to_le_bytes());
    hasher.update(tree_root);
    hasher.finalize().into()
}

/// A 32-byte hash (a root, state or sibling) from `bytes`, or an error naming `what`
/// is not one.
pub fn hash(what: &'static str, bytes: &[u8]) -> Result<Hash, TraceError> {
    bytes.try_into().map_err(|_| TraceError::HashLength {
        what,
        len: bytes.len(),
    })
}

impl Trace {
    /// The trace of `states`, in dispatch order.
    pub fn new(states: impl IntoIterator<Item = Hash>) -> Self {
        Self {
            states: states
                .into_iter()
                .map(|s| HexBinary::from(s.to_vec()))
                .collect(),
        }
    }

    /// The states as hashes; an error names the first that is not 32 bytes.
    pub fn hashes(&self) -> Result<Vec<Hash>, TraceError> {
        self.states.iter().map(|s| hash("a state", s)).collect()
    }

    /// The Merkle tree of the leaves and the root committing to it.
    fn tree(&self) -> Result<(Option<MerkleTree>, Hash), TraceError> {
        let states = self.hashes()?;
        let leaves = (0u64..).zip(&states).map(|(i, s)| leaf(i, s)).collect();
        let tree = MerkleTree::new(leaves);
        let tree_root = tree.as_ref().map_or([0; 32], MerkleTree::root);
        Ok((tree, commit(self.states.len() as u64, &tree_root)))
    }

    /// The root the market compares ([`crate::market::LeaseResult::trace_root`]).
    pub fn root(&self) -> Result<Hash, TraceError> {
        Ok(self.tree()?.1)
    }

    /// [`Self::root`] as the market's messages carry it.
    pub fn root_binary(&self) -> Result<HexBinary, TraceError> {
        Ok(HexBinary::from(self.root()?.to_vec()))
    }

    /// A proof of this trace's state at `index`, or of its having none there.
    pub fn proof(&self, index: u64) -> Result<TraceProof, TraceError> {
        let (tree, _) = self.tree()?;
        let count = self.states.len() as u64;
        let siblings = match (&tree, usize::try_from(index)) {
            (Some(tree), Ok(i)) if index < count => tree.proof(i).unwrap_or_default(),
            (tree, _) => vec![tree.as_ref().map_or([0; 32], MerkleTree::root)],
        };
        Ok(TraceProof {
            count,
            state: (index < count).then(|| self.states[index as usize].clone()),
            siblings: siblings
                .into_iter()
                .map(|s| HexBinary::from(s.to_vec()))
                .collect(),
        })
    }

    /// The first dispatch where this trace and `other` differ (a state that differs, or
    /// one trace ending before the other); `None` if they are equal.
    pub fn first_difference(&self, other: &Trace) -> Option<u64> {
        let common = self.states.len().min(other.states.len());
        let differs = (0..common).find(|&i| self.states[i] != other.states[i]);
        match differs {
            Some(i) => Some(i as u64),
            None if self.states.len() != other.states.len() => Some(common as u64),
            None => None,
        }
    }
}

/// A trace's state at one index, or its having none there, provable against its root
/// alone: what a referee shows the market of each side of a dispute.
#[cw_serde]
pub struct TraceProof {
    /// How many dispatches the trace has.
    pub count: u64,
    /// The state at the index; `None` when the index is at or past `count`.
    pub state: Option<HexBinary>,
    /// With a state: the Merkle siblings from its leaf up. Without: the Merkle root of
    /// the leaves alone (one hash), to show `count` is the trace's.
    pub siblings: Vec<HexBinary>,
}

impl TraceProof {
    /// The state this proof shows at `index` under `root` (`None`: the trace has no
    /// dispatch `index`), or why it does not hold.
    pub fn verify(&self, root: &[u8], index: u64) -> Result<Option<Hash>, TraceError> {
        let root = hash("the root", root)?;
        if self.siblings.len() > MAX_PROOF_LEN {
            return Err(TraceError::ProofTooLong {
                len: self.siblings.len(),
            });
        }
        let siblings = self
            .siblings
            .iter()
            .map(|s| hash("a sibling", s))
            .collect::<Result<Vec<_>, _>>()?;
        let index_error = TraceError::Index {
            index,
            count: self.count,
        };
        let (tree_root, state) = match &self.state {
            Some(state) => {
                if index >= self.count {
                    return Err(index_error);
                }
                let state = hash("the state", state)?;
                (root_from_proof(leaf(index, &state), &siblings), Some(state))
            }
            None => match siblings.as_slice() {
                [tree_root] if index >= self.count => (*tree_root, None),
                [_] => return Err(index_error),
                _ => return Err(TraceError::Mismatch),
            },
        };
        if commit(self.count, &tree_root) != root {
            return Err(TraceError::Mismatch);
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(states: &[u8]) -> Trace {
        Trace::new(states.iter().map(|&s| [s; 32]))
    }

    #[test]
    fn every_state_of_every_trace_length_is_proven_at_its_index() {
        for n in 1..=9u8 {
            let states: Vec<u8> = (0..n).collect();
            let t = trace(&states);
            let root = t.root().unwrap();
            for i in 0..u64::from(n) {
                let proof = t.proof(i).unwrap();
                assert_eq!(
                    proof.verify(&root, i),
                    Ok(Some([i as u8; 32])),
                    "n={n} i={i}"
                );
            }
            let past = t.proof(u64::from(n)).unwrap();
            assert_eq!(past.verify(&root, u64::from(n)), Ok(None));
            assert_eq!(past.verify(&root, u64::from(n) + 5), Ok(None));
        }
    }

    #[test]
    fn a_proof_is_bound_to_its_index_its_root_and_its_count() {
        let t = trace(&[1, 2, 3, 4, 5]);
        let root = t.root().unwrap();
        let proof = t.proof(2).unwrap();
        // The same state shown at another index, or against another trace's root.
        assert_eq!(proof.verify(&root, 3), Err(TraceError::Mismatch));
        let other = trace(&[1, 2, 3, 4, 6]).root().unwrap();
        assert_eq!(proof.verify(&other, 2), Err(TraceError::Mismatch));
        // A forged state.
        let mut forged = proof.clone();
        forged.state = Some(HexBinary::from(vec![9; 32]));
        assert_eq!(forged.verify(&root, 2), Err(TraceError::Mismatch));
        // Claiming the trace is shorter than it is, to hide a dispatch.
        let mut short = t.proof(5).unwrap();
        short.count = 2;
        assert_eq!(short.verify(&root, 3), Err(TraceError::Mismatch));
        // Claiming absence at an index the proven count covers.
        let absent = t.proof(7).unwrap();
        assert_eq!(
            absent.verify(&root, 4),
            Err(TraceError::Index { index: 4, count: 5 })
        );
        // A state at an index past the count.
        let mut past = proof;
        past.count = 2;
        assert_eq!(
            past.verify(&root, 2),
            Err(TraceError::Index { index: 2, count: 2 })
        );
    }

    #[test]
    fn bad_hash_lengths_and_long_proofs_are_refused() {
        let t = trace(&[1, 2]);
        let root = t.root().unwrap();
        let proof = t.proof(0).unwrap();
        assert_eq!(
            proof.verify(&root[..31], 0),
            Err(TraceError::HashLength {
                what: "the root",
                len: 31
            })
        );
        let mut long = proof.clone();
        long.siblings = vec![HexBinary::from(vec![0; 32]); MAX_PROOF_LEN + 1];
        assert_eq!(
            long.verify(&root, 0),
            Err(TraceError::ProofTooLong {
                len: MAX_PROOF_LEN + 1
            })
        );
        let bad = Trace {
            states: vec![HexBinary::from(vec![0; 3])],
        };
        assert_eq!(
            bad.root(),
            Err(TraceError::HashLength {
                what: "a state",
                len: 3
            })
        );
    }

    #[test]
    fn the_first_difference_is_a_changed_state_or_the_shorter_end() {
        let a = trace(&[1, 2, 3, 4]);
        assert_eq!(a.first_difference(&a), None);
        assert_eq!(a.first_difference(&trace(&[1, 2, 9, 4])), Some(2));
        assert_eq!(a.first_difference(&trace(&[1, 2])), Some(2));
        assert_eq!(trace(&[1, 2]).first_difference(&a), Some(2));
        assert_ne!(a.root().unwrap(), trace(&[1, 2, 3]).root().unwrap());
    }
}

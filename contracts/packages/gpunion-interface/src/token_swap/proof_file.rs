//! A holder's claim data as the snapshot CLI writes it (`proofs/<address>.json`) and the
//! `gpunion swap claim` command reads it: the old address, its snapshot amount and the
//! Merkle proof of that pair. Amounts are decimal strings and hashes hex, the contract's
//! own JSON forms.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{HexBinary, Uint128};

use super::merkle::Hash;

/// One holder's claim data.
#[cw_serde]
pub struct ProofFile {
    /// Canonical Base58Check P2PKH address on the old chain.
    pub old_address: String,
    /// The snapshot amount, ugut.
    pub amount: Uint128,
    /// Sibling hashes from the leaf to the root.
    pub proof: Vec<HexBinary>,
}

/// A proof hash that is not 32 bytes long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("proof hash {index} is {len} bytes, not 32")]
pub struct BadProofHash {
    pub index: usize,
    pub len: usize,
}

impl ProofFile {
    /// The claim data of `old_address` holding `amount` ugut, proven by `proof`.
    pub fn new(old_address: String, amount: u128, proof: &[Hash]) -> Self {
        Self {
            old_address,
            amount: Uint128::new(amount),
            proof: proof
                .iter()
                .map(|h| HexBinary::from(h.as_slice()))
                .collect(),
        }
    }

    /// The proof as hashes, each checked to be 32 bytes.
    pub fn hashes(&self) -> Result<Vec<Hash>, BadProofHash> {
        self.proof
            .iter()
            .enumerate()
            .map(|(index, h)| {
                h.to_array().map_err(|_| BadProofHash {
                    index,
                    len: h.len(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_format_is_decimal_amount_and_hex_hashes() {
        let file = ProofFile::new("Pabc".into(), 4_000_000, &[[0xab; 32]]);
        let json = serde_json::to_value(&file).unwrap();
        assert_eq!(json["amount"], "4000000");
        assert_eq!(json["proof"][0], "ab".repeat(32));
        let back: ProofFile = serde_json::from_value(json).unwrap();
        assert_eq!(back.hashes(), Ok(vec![[0xab; 32]]));
    }

    #[test]
    fn a_short_hash_is_refused() {
        let file = ProofFile {
            old_address: "Pabc".into(),
            amount: Uint128::new(1),
            proof: vec![HexBinary::from(vec![1, 2, 3])],
        };
        assert_eq!(file.hashes(), Err(BadProofHash { index: 0, len: 3 }));
    }
}

//! The token swap: claims of distribution-chain balances from a Merkle snapshot.

use cosmwasm_std::{Binary, HexBinary, Uint128};
use gpunion_interface::token_swap::{ClaimResponse, Config, ExecuteMsg, QueryMsg, StatsResponse};

use crate::contracts::Contract;
use crate::error::Result;
use crate::tx::{Signer, TxOutcome};

/// One claim as the snapshot CLI hands it to a holder of an old address.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Base58 P2PKH address on the old chain.
    pub old_address: String,
    /// Snapshot amount in ugut.
    pub amount: u128,
    /// Sibling hashes from leaf to root.
    pub proof: Vec<[u8; 32]>,
    /// 65-byte `signmessage` signature by the old key of
    /// [`gpunion_interface::token_swap::claim_message`] (chain id, swap contract,
    /// `recipient`).
    pub signature: Vec<u8>,
    /// The bech32 address receiving the GUT.
    pub recipient: String,
}

/// The token-swap contract at one address.
#[derive(Debug, Clone)]
pub struct TokenSwap {
    contract: Contract,
}

impl TokenSwap {
    /// The swap reached through `contract` (see [`crate::Chain`]).
    pub fn new(contract: Contract) -> Self {
        Self { contract }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// The swap's parameters.
    pub async fn config(&self) -> Result<Config> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// Whether `old_address` has claimed.
    pub async fn claim_of(&self, old_address: &str) -> Result<ClaimResponse> {
        self.contract
            .query_unverified(&QueryMsg::Claim {
                old_address: old_address.to_string(),
            })
            .await
    }

    /// Totals claimed and returned.
    pub async fn stats(&self) -> Result<StatsResponse> {
        self.contract.query_unverified(&QueryMsg::Stats {}).await
    }

    /// Submits a claim (anyone may send it; the GUT goes to `claim.recipient`).
    pub async fn claim(&self, signer: &Signer, claim: &Claim) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Claim {
                    old_address: claim.old_address.clone(),
                    amount: Uint128::new(claim.amount),
                    proof: claim
                        .proof
                        .iter()
                        .map(|h| HexBinary::from(h.as_slice()))
                        .collect(),
                    signature: Binary::from(claim.signature.clone()),
                    recipient: claim.recipient.clone(),
                },
            )
            .await
    }
}

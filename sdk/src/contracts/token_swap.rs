//! The token swap: claims of distribution-chain balances from a Merkle snapshot.

use cosmwasm_std::{Binary, HexBinary, Uint128};
use gpunion_interface::token_swap::address::canonical_p2pkh;
use gpunion_interface::token_swap::{
    ClaimResponse, Config, ExecuteMsg, QueryMsg, Stats, StatsResponse, storage,
};

use crate::contracts::Contract;
use crate::error::Result;
use crate::light::StateAt;
use crate::storage::map_key;
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

/// What the swap's configuration is called in errors.
const CONFIG: &str = "swap config";

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

    /// The swap's parameters, proven against a verified header.
    pub async fn config(&self) -> Result<Config> {
        let state = self.contract.state(CONFIG).await?;
        self.config_at(&state).await
    }

    /// [`TokenSwap::config`] as the node answers a smart query: **not verified**.
    pub async fn config_unverified(&self) -> Result<Config> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// Whether `old_address` has claimed, and what, proven (the address is put in the
    /// canonical form the contract keys claims by; one that does not decode has never
    /// claimed).
    pub async fn claim_of(&self, old_address: &str) -> Result<ClaimResponse> {
        let what = format!("swap claim of {old_address}");
        let state = self.contract.state(&what).await?;
        let config = self.config_at(&state).await?;
        let Ok(canonical) = canonical_p2pkh(old_address, config.address_version) else {
            return Ok(ClaimResponse { claim: None });
        };
        let key = map_key(storage::CLAIMS, &[canonical.as_bytes()]);
        let claim = self.contract.load_at(&state, &key, &what).await?;
        Ok(ClaimResponse { claim })
    }

    /// [`TokenSwap::claim_of`] as the node answers a smart query: **not verified**.
    pub async fn claim_of_unverified(&self, old_address: &str) -> Result<ClaimResponse> {
        self.contract
            .query_unverified(&QueryMsg::Claim {
                old_address: old_address.to_string(),
            })
            .await
    }

    /// Totals claimed, unclaimed and returned, proven: the stored totals and the
    /// allocation at one height, combined by the contract's own rule
    /// ([`Stats::response`]).
    pub async fn stats(&self) -> Result<StatsResponse> {
        let what = "swap stats";
        let state = self.contract.state(what).await?;
        let config = self.config_at(&state).await?;
        let stats: Stats = self.contract.item_at(&state, storage::STATS, what).await?;
        Ok(stats.response(config.total_allocation))
    }

    /// [`TokenSwap::stats`] as the node answers a smart query: **not verified**.
    pub async fn stats_unverified(&self) -> Result<StatsResponse> {
        self.contract.query_unverified(&QueryMsg::Stats {}).await
    }

    /// The stored configuration in `state`, proven.
    async fn config_at(&self, state: &StateAt) -> Result<Config> {
        self.contract.item_at(state, storage::CONFIG, CONFIG).await
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

//! The endorsement contract: ratings, endorsements, reputation, recommendations.

use gpunion_interface::endorsement::{
    Attribute, ConfigResponse, Endorsement as EndorsementRecord, Endorser, ExecuteMsg, QueryMsg,
    Rating, ReceiveMsg, RecommendRequest, RecommendResponse, Reputation,
};

use crate::contracts::Contract;
use crate::contracts::gut::Gut;
use crate::error::Result;
use crate::tx::{Signer, TxOutcome};

/// The endorsement contract at one address.
#[derive(Debug, Clone)]
pub struct Endorsement {
    contract: Contract,
}

impl Endorsement {
    /// The contract reached through `contract` (see [`crate::Chain`]).
    pub fn new(contract: Contract) -> Self {
        Self { contract }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// Parameters and linked contracts.
    pub async fn config(&self) -> Result<ConfigResponse> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// A provider's reputation now.
    pub async fn reputation(&self, provider: &str) -> Result<Reputation> {
        self.contract
            .query_unverified(&QueryMsg::Reputation {
                provider: provider.to_string(),
            })
            .await
    }

    /// The rating of a lease, if any.
    pub async fn rating(&self, lease_id: u64) -> Result<Option<Rating>> {
        self.contract
            .query_unverified(&QueryMsg::Rating { lease_id })
            .await
    }

    /// A provider's ratings, newest first.
    pub async fn ratings(
        &self,
        provider: &str,
        start_before: Option<u64>,
        limit: Option<u32>,
    ) -> Result<Vec<Rating>> {
        self.contract
            .query_unverified(&QueryMsg::Ratings {
                provider: provider.to_string(),
                start_before,
                limit,
            })
            .await
    }

    /// An endorser's record.
    pub async fn endorser(&self, address: &str) -> Result<Option<Endorser>> {
        self.contract
            .query_unverified(&QueryMsg::Endorser {
                address: address.to_string(),
            })
            .await
    }

    /// Attestations of a provider.
    pub async fn endorsements(
        &self,
        provider: &str,
        limit: Option<u32>,
    ) -> Result<Vec<EndorsementRecord>> {
        self.contract
            .query_unverified(&QueryMsg::Endorsements {
                provider: provider.to_string(),
                start_after: None,
                limit,
            })
            .await
    }

    /// Providers ranked for a customer.
    pub async fn recommend(&self, request: RecommendRequest) -> Result<RecommendResponse> {
        self.contract
            .query_unverified(&QueryMsg::Recommend(request))
            .await
    }

    /// Customer of a finished lease: rates its provider (1..=5) once.
    pub async fn rate(
        &self,
        signer: &Signer,
        lease_id: u64,
        score: u8,
        comment_cid: Option<String>,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Rate {
                    lease_id,
                    score,
                    comment_cid,
                },
            )
            .await
    }

    /// Bonds `stake` ugut as an endorser.
    pub async fn bond_endorser(
        &self,
        signer: &Signer,
        gut: &Gut,
        stake: u128,
    ) -> Result<TxOutcome> {
        gut.send(
            signer,
            self.contract.address(),
            stake,
            &ReceiveMsg::BondEndorser {},
        )
        .await
    }

    /// Endorser: attests one attribute of a provider.
    pub async fn endorse(
        &self,
        signer: &Signer,
        provider: &str,
        attribute: Attribute,
        claim: &str,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Endorse {
                    provider: provider.to_string(),
                    attribute,
                    claim: claim.to_string(),
                },
            )
            .await
    }

    /// Endorser: withdraws its attestation of one attribute of a provider.
    pub async fn revoke(
        &self,
        signer: &Signer,
        provider: &str,
        attribute: Attribute,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Revoke {
                    provider: provider.to_string(),
                    attribute,
                },
            )
            .await
    }

    /// Endorser: starts unbonding its whole stake.
    pub async fn unbond(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract.execute(signer, &ExecuteMsg::Unbond {}).await
    }

    /// Endorser after unbonding: takes the stake back.
    pub async fn claim_stake(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::ClaimStake {})
            .await
    }

    /// Puts a provider into the recommendation index (anyone).
    pub async fn index_provider(&self, signer: &Signer, provider: &str) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::IndexProvider {
                    provider: provider.to_string(),
                },
            )
            .await
    }
}

//! The endorsement contract: ratings, endorsements, reputation, recommendations.

use cosmwasm_std::{Addr, Uint128};
use gpunion_interface::endorsement::reputation::RatingAggregate;
use gpunion_interface::endorsement::{
    Attribute, Config, ConfigResponse, Endorsement as EndorsementRecord, Endorser, ExecuteMsg,
    QueryMsg, Rating, ReceiveMsg, RecommendRequest, RecommendResponse, Reputation, storage,
};
use gpunion_interface::market::{Config as MarketConfig, Provider, storage as market_storage};
use gpunion_interface::mining::hashrate::{HashrateProof, miner_of};
use gpunion_interface::mining::{Config as MiningConfig, MinerStats, storage as mining_storage};

use crate::contracts::Contract;
use crate::contracts::gut::Gut;
use crate::error::Result;
use crate::keys::parse_address;
use crate::light::StateAt;
use crate::storage::map_key;
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

    /// Parameters and linked contracts, proven against a verified header.
    pub async fn config(&self) -> Result<ConfigResponse> {
        let what = "endorsement config";
        let state = self.contract.state(what).await?;
        Ok(self.config_at(&state, what).await?.into())
    }

    /// [`Endorsement::config`] as the node answers a smart query: **not verified**.
    pub async fn config_unverified(&self) -> Result<ConfigResponse> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// The stored configuration in `state`, proven.
    async fn config_at(&self, state: &StateAt, what: &str) -> Result<Config> {
        self.contract.item_at(state, storage::CONFIG, what).await
    }

    /// A provider's reputation at the block time of a verified state, computed by the
    /// contract's own formula ([`Reputation::compute`]) from records proven at one
    /// height: its rating aggregate, the endorsers attesting it (every attestation,
    /// proven complete), their bonds, and the market's record of it (reliability; the
    /// market named in the contract's stored configuration).
    pub async fn reputation(&self, provider: &str) -> Result<Reputation> {
        parse_address(provider, None)?;
        let what = format!("reputation of {provider}");
        let state = self.contract.state(&what).await?;
        let config = self.config_at(&state, &what).await?;
        let aggregate: Option<RatingAggregate> = self
            .contract
            .load_at(
                &state,
                &map_key(storage::AGGREGATES, &[provider.as_bytes()]),
                &what,
            )
            .await?;
        let endorsing_stake = self.endorsing_stake(&state, provider, &what).await?;
        let market = self.contract.sibling(config.market.as_str());
        let record = market
            .load_at::<Provider>(
                &state,
                &map_key(market_storage::PROVIDERS, &[provider.as_bytes()]),
                &what,
            )
            .await?;
        let reliability_permille = record
            .as_ref()
            .map_or(0, |record| record.stats.reliability_permille());
        let now = self.contract.block_time(&state, &what).await?;
        let hashrate = match &record {
            Some(record) => hashrate_proof(&state, &market, record, now, &what).await?,
            None => None,
        };
        Ok(Reputation::compute(
            &config.params,
            aggregate.as_ref(),
            reliability_permille,
            endorsing_stake,
            hashrate,
            now,
        ))
    }

    /// The stake lent to `provider` in `state`: [`Endorser::lent_stake`] of each distinct
    /// endorser of its attestations (at most 20 of them, proven complete).
    async fn endorsing_stake(
        &self,
        state: &StateAt,
        provider: &str,
        what: &str,
    ) -> Result<Uint128> {
        // (provider, attribute, endorser) keys: provider and attribute length-prefixed.
        let prefix = map_key(storage::ENDORSEMENTS, &[provider.as_bytes(), &[]]);
        let attestations: Vec<(Vec<u8>, EndorsementRecord)> = self
            .contract
            .entries_at(state, &prefix, None, usize::MAX, what)
            .await?;
        let mut endorsers: Vec<String> = attestations
            .into_iter()
            .map(|(_, attestation)| attestation.endorser.to_string())
            .collect();
        endorsers.sort();
        endorsers.dedup();
        let mut total = Uint128::zero();
        for endorser in endorsers {
            let key = map_key(storage::ENDORSERS, &[endorser.as_bytes()]);
            if let Some(record) = self.contract.load_at::<Endorser>(state, &key, what).await? {
                total += record.lent_stake();
            }
        }
        Ok(total)
    }

    /// [`Endorsement::reputation`] as the node answers a smart query: **not verified**.
    pub async fn reputation_unverified(&self, provider: &str) -> Result<Reputation> {
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

/// What the mining contract the market names proves about `provider`'s claimed
/// hashrate in `state` at its block time `now`, as the market's `Provider` query
/// answers: `None` while the market names none. Read from proven records: the market's
/// configuration, the mining contract's and the vouching miner's record.
async fn hashrate_proof(
    state: &StateAt,
    market: &Contract,
    provider: &Provider,
    now: u64,
    what: &str,
) -> Result<Option<HashrateProof>> {
    let market_config: MarketConfig = market.item_at(state, market_storage::CONFIG, what).await?;
    let Some(mining_address) = market_config.mining else {
        return Ok(None);
    };
    let mining = market.sibling(mining_address.as_str());
    let config: MiningConfig = mining.item_at(state, mining_storage::CONFIG, what).await?;
    let miner = miner_of(provider);
    let stats: Option<MinerStats> = mining
        .load_at(
            state,
            &map_key(mining_storage::MINERS, &[miner.as_bytes()]),
            what,
        )
        .await?;
    let windows = stats.map(|stats| stats.windows).unwrap_or_default();
    let proven = config
        .hashrate
        .proven(Addr::unchecked(miner), &windows, now);
    Ok(Some(HashrateProof::new(
        provider.attributes.x16s_hashrate,
        proven,
    )))
}

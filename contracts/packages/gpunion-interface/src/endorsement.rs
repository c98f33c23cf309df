//! The endorsement contract's messages and records: ratings, endorsements, reputation and
//! recommendations. The reputation formula is documented in `contracts/endorsement/README.md`.

pub mod reputation;

use cosmwasm_schema::{QueryResponses, cw_serde};
use cosmwasm_std::{Addr, Decimal, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::mining::hashrate::HashrateProof;

/// The contract's configuration as stored.
#[cw_serde]
pub struct Config {
    pub owner: Addr,
    pub gut_token: Addr,
    pub market: Addr,
    pub treasury: Addr,
    pub params: EndorsementParams,
}

/// Where the endorsement contract keeps the records reputation is computed from
/// (cw-storage-plus namespaces): what a client asks the node to prove in a verified read.
pub mod storage {
    /// `Item<`[`super::Config`]`>`.
    pub const CONFIG: &str = "config";
    /// `Map<&Addr, `[`super::reputation::RatingAggregate`]`>`, by provider.
    pub const AGGREGATES: &str = "aggregates";
    /// `Map<&Addr, `[`super::Endorser`]`>`.
    pub const ENDORSERS: &str = "endorsers";
    /// `Map<(&Addr, u8, &Addr), `[`super::Endorsement`]`>`: attestations that count, by
    /// (provider, attribute, endorser).
    pub const ENDORSEMENTS: &str = "endorsements";
}

#[cw_serde]
pub struct EndorsementParams {
    /// Smallest stake an endorser bonds, in ugut.
    pub min_endorser_stake: Uint128,
    /// How long an unbonding endorser's stake stays slashable, and how long a revoked or
    /// lapsed attestation stays slashable after it stopped counting (the longer of this
    /// and the value when it was made).
    pub unbonding_seconds: u64,
    /// Ratings lose half their weight every this many seconds.
    pub rating_half_life_seconds: u64,
    /// Weight of the prior (mean 3 stars) in the Bayesian average, in ugut of lease value.
    pub prior_weight: Uint128,
    /// Paid lease value above this counts as this much in a rating's weight.
    pub max_rating_weight: Uint128,
    /// Endorsing stake at which the endorsement part of reputation is full.
    pub full_endorsement_stake: Uint128,
}

#[cw_serde]
pub struct InstantiateMsg {
    pub owner: Option<String>,
    pub gut_token: String,
    pub market: String,
    /// Receives slashed endorser stake.
    pub treasury: String,
    pub params: EndorsementParams,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// GUT sent with a [`ReceiveMsg`] hook (endorser stake).
    Receive(Cw20ReceiveMsg),
    /// The customer of a finished lease rates its provider once.
    Rate {
        lease_id: u64,
        /// 1 to 5 stars.
        score: u8,
        comment_cid: Option<String>,
    },
    /// Endorser: attest a provider attribute.
    Endorse {
        provider: String,
        attribute: Attribute,
        /// The value attested, e.g. the GPU model.
        claim: String,
    },
    /// Endorser: withdraw an attestation. It stops counting at once and stays slashable
    /// for the unbonding period; the stake cannot be claimed before that ends.
    Revoke {
        provider: String,
        attribute: Attribute,
    },
    /// Endorser: start unbonding; its attestations stop counting.
    Unbond {},
    /// Endorser after unbonding: receive the stake back.
    ClaimStake {},
    /// Owner: an attestation was shown false; slash the endorser and remove it. Revoked
    /// and lapsed attestations too, within their slash window.
    Slash {
        endorser: String,
        provider: String,
        attribute: Attribute,
        fraction: Decimal,
    },
    /// Anyone (and the market on every registration, update, leave and return from
    /// Disconnect): (re)index a provider for recommendations from its market record. A
    /// Disconnect provider is dropped from the index; attestations of values it no longer
    /// declares lapse.
    IndexProvider { provider: String },
    /// Owner: change parameters.
    UpdateParams { params: EndorsementParams },
}

#[cw_serde]
pub enum ReceiveMsg {
    /// Bond (or add to) the sender's endorser stake.
    BondEndorser {},
}

/// Provider attributes an endorser may attest.
#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord)]
pub enum Attribute {
    GpuModel,
    GpuCount,
    Memory,
    Region,
    Hashrate,
}

impl Attribute {
    /// Every attribute, in key order.
    pub const ALL: [Attribute; 5] = [
        Attribute::GpuModel,
        Attribute::GpuCount,
        Attribute::Memory,
        Attribute::Region,
        Attribute::Hashrate,
    ];

    pub fn key(self) -> u8 {
        self as u8
    }
}

#[cw_serde]
pub struct Rating {
    pub lease_id: u64,
    pub customer: Addr,
    pub provider: Addr,
    pub score: u8,
    pub comment_cid: Option<String>,
    /// Lease value counted, capped by `max_rating_weight`: for a closed lease what the
    /// provider was paid for it (gross), so one closed before any service weighs nothing;
    /// for an expired lease its deposit.
    pub weight: Uint128,
    pub rated_at: u64,
}

#[cw_serde]
pub struct Endorser {
    pub address: Addr,
    pub stake: Uint128,
    pub unbonding_until: Option<u64>,
    /// Attestations that count.
    pub endorsements: u32,
    /// Distinct providers those attest: each is lent stake / providers.
    pub providers: u32,
    /// The stake cannot be claimed before this: the end of the slash window of its last
    /// revoked or lapsed attestation.
    pub slashable_until: u64,
    pub slashed: Uint128,
}

#[cw_serde]
pub struct Endorsement {
    pub endorser: Addr,
    pub provider: Addr,
    pub attribute: Attribute,
    pub claim: String,
    pub endorsed_at: u64,
    /// The unbonding period when it was made: after a revoke or lapse it stays slashable
    /// for at least this long, whatever the owner sets later.
    pub slash_window_seconds: u64,
}

/// Reputation and its parts, each in [0, 1] as a Decimal.
#[cw_serde]
pub struct Reputation {
    /// Bayesian average of decayed, value-weighted ratings, in stars (1..5).
    pub rating_average: Decimal,
    /// (average − 1) / 4.
    pub rating_part: Decimal,
    /// Reliability from the market (completed leases: half the booked time served).
    pub reliability_part: Decimal,
    /// Endorsing stake / full stake, capped at 1.
    pub endorsement_part: Decimal,
    /// How much of the claimed X16S hashrate the mining record proves: min(1, proven /
    /// claimed); 0 without a proof.
    #[serde(default)]
    pub hardware_part: Decimal,
    /// 0.5 × rating + 0.2 × reliability + 0.15 × endorsement + 0.15 × hardware.
    pub score: Decimal,
    pub ratings: u64,
    /// Stake lent by the endorsers attesting the provider: each bonded endorser's stake
    /// divided by the number of providers it attests.
    pub endorsing_stake: Uint128,
    /// The claimed hashrate next to the proven one; `None` while the market knows no
    /// mining contract.
    #[serde(default)]
    pub hashrate: Option<HashrateProof>,
}

#[cw_serde]
pub struct ConfigResponse {
    pub owner: Addr,
    pub gut_token: Addr,
    pub market: Addr,
    pub treasury: Addr,
    pub params: EndorsementParams,
}

impl From<Config> for ConfigResponse {
    fn from(config: Config) -> Self {
        ConfigResponse {
            owner: config.owner,
            gut_token: config.gut_token,
            market: config.market,
            treasury: config.treasury,
            params: config.params,
        }
    }
}

/// What the customer needs.
#[cw_serde]
pub struct RecommendRequest {
    pub country: String,
    pub geohash: String,
    pub gpu_model: Option<String>,
    pub min_memory_mib: Option<u64>,
    pub min_gpu_count: Option<u32>,
    pub max_price_per_hour: Uint128,
    pub limit: Option<u32>,
    /// Only providers whose proven X16S hashrate backs at least this share of the
    /// claimed one, per mille (0..=1000); a provider without a proof backs none.
    #[serde(default)]
    pub min_hashrate_ratio_permille: Option<u64>,
}

#[cw_serde]
pub struct Recommendation {
    pub provider: Addr,
    pub price_per_hour: Uint128,
    pub distance_km: u64,
    pub reputation: Decimal,
    /// 1 / (1 + distance / 500 km).
    pub proximity: Decimal,
    /// 1 − price / cap.
    pub price_score: Decimal,
    /// 0.5 × reputation + 0.3 × proximity + 0.2 × price_score.
    pub score: Decimal,
    /// The claimed hashrate next to the proven one (as in [`Reputation`]).
    #[serde(default)]
    pub hashrate: Option<HashrateProof>,
}

#[cw_serde]
pub struct RecommendResponse {
    pub recommendations: Vec<Recommendation>,
    /// Index entries read (at most `MAX_SCAN`); Disconnect and paused providers among
    /// them are skipped on the market's raw record, and at most `MAX_CANDIDATES` live ones
    /// are queried and ranked.
    pub candidates_read: u32,
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// A provider's reputation now, with its parts.
    #[returns(Reputation)]
    Reputation { provider: String },
    /// The rating of a lease, if any.
    #[returns(Option<Rating>)]
    Rating { lease_id: u64 },
    /// A provider's ratings, newest lease first.
    #[returns(Vec<Rating>)]
    Ratings {
        provider: String,
        start_before: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(Option<Endorser>)]
    Endorser { address: String },
    /// Attestations of a provider.
    #[returns(Vec<Endorsement>)]
    Endorsements {
        provider: String,
        start_after: Option<(Attribute, String)>,
        limit: Option<u32>,
    },
    /// Providers ranked for a customer; reads a bounded number of index entries.
    #[returns(RecommendResponse)]
    Recommend(RecommendRequest),
}

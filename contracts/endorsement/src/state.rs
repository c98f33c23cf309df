//! Stored records and the reputation index.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};
pub use gpunion_interface::endorsement::Config;
pub use gpunion_interface::endorsement::reputation::RatingAggregate;
use gpunion_interface::endorsement::{Endorsement, Endorser, Rating, storage};

/// An attestation that no longer counts (revoked, or lapsed when the provider changed
/// the value), slashable until `slashable_until`.
#[cw_serde]
pub struct Retired {
    pub endorsement: Endorsement,
    pub slashable_until: u64,
}

/// Where a provider sits in the recommendation index.
#[cw_serde]
pub struct IndexEntry {
    pub country: String,
    /// Reputation × 10^6 when last indexed.
    pub score_key: u64,
}

pub const CONFIG: Item<Config> = Item::new(storage::CONFIG);
pub const RATINGS: Map<u64, Rating> = Map::new("ratings");
pub const RATINGS_BY_PROVIDER: Map<(&Addr, u64), ()> = Map::new("ratings_by_provider");
pub const AGGREGATES: Map<&Addr, RatingAggregate> = Map::new(storage::AGGREGATES);
pub const ENDORSERS: Map<&Addr, Endorser> = Map::new(storage::ENDORSERS);
/// Attestations keyed by (provider, attribute, endorser).
pub const ENDORSEMENTS: Map<(&Addr, u8, &Addr), Endorsement> = Map::new(storage::ENDORSEMENTS);
pub const ENDORSEMENT_COUNT: Map<&Addr, u32> = Map::new("endorsement_count");
/// Revoked and lapsed attestations, keyed like `ENDORSEMENTS`, while they may be slashed.
pub const RETIRED: Map<(&Addr, u8, &Addr), Retired> = Map::new("retired");
pub const INDEX_ENTRIES: Map<&Addr, IndexEntry> = Map::new("index_entries");
/// Providers by (country, score_key, address): walked in descending score.
pub const BY_COUNTRY: Map<(&str, u64, &Addr), ()> = Map::new("by_country");
/// Providers by (score_key, address) across all countries.
pub const BY_SCORE: Map<(u64, &Addr), ()> = Map::new("by_score");

/// Most attestations one provider may hold, so summing them stays bounded.
pub const MAX_ENDORSEMENTS_PER_PROVIDER: u32 = 20;

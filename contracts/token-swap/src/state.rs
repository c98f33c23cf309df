use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;
use cw_storage_plus::{Item, Map};
pub use gpunion_interface::token_swap::{ClaimRecord, Config};

/// Running totals.
#[cw_serde]
#[derive(Default)]
pub struct Stats {
    pub claimed: Uint128,
    pub claims: u64,
    pub returned: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
/// Paid claims, keyed by the old address in canonical Base58Check.
pub const CLAIMS: Map<&str, ClaimRecord> = Map::new("claims");
pub const STATS: Item<Stats> = Item::new("stats");

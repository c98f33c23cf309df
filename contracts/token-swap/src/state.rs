use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};

/// The swap's parameters.
#[cw_serde]
pub struct Config {
    pub owner: Addr,
    pub merkle_root: HexBinary,
    pub total_allocation: Uint128,
    pub message_magic: String,
    pub address_version: u8,
    pub snapshot_height: u64,
    pub claim_deadline: Timestamp,
    /// Set once by `Connect`.
    pub token: Option<Addr>,
    /// Set once by `Connect`.
    pub mining_pool: Option<Addr>,
}

/// One paid claim.
#[cw_serde]
pub struct ClaimRecord {
    pub recipient: Addr,
    pub amount: Uint128,
    pub height: u64,
}

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

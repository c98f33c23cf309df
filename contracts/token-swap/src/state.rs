use cw_storage_plus::{Item, Map};
use gpunion_interface::token_swap::storage;
pub use gpunion_interface::token_swap::{ClaimRecord, Config, Stats};

pub const CONFIG: Item<Config> = Item::new(storage::CONFIG);
/// Paid claims, keyed by the old address in canonical Base58Check.
pub const CLAIMS: Map<&str, ClaimRecord> = Map::new(storage::CLAIMS);
pub const STATS: Item<Stats> = Item::new(storage::STATS);

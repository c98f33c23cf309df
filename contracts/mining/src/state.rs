//! Stored records (declared in `gpunion-interface`, where clients read them) and where
//! they live.

use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};
use gpunion_interface::mining::storage;
pub use gpunion_interface::mining::{Challenge, Config, Emission, MinerStats};

pub const CONFIG: Item<Config> = Item::new(storage::CONFIG);
pub const CHALLENGE: Item<Challenge> = Item::new(storage::CHALLENGE);
pub const EMISSION: Item<Emission> = Item::new(storage::EMISSION);
pub const MINERS: Map<&Addr, MinerStats> = Map::new(storage::MINERS);

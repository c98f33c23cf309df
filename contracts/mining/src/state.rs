use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw_storage_plus::{Item, Map};

/// Fixed parameters.
#[cw_serde]
pub struct Config {
    /// GUT; this contract must be its minter for solutions to pay.
    pub token: Addr,
    /// The token-swap contract, which may return unclaimed GUT to the pool.
    pub token_swap: Option<Addr>,
    /// The easiest target ever allowed, compact.
    pub pow_limit_bits: u32,
    /// Wanted seconds between solutions.
    pub target_spacing: u64,
    /// Solutions between retargets.
    pub retarget_interval: u64,
    /// Largest factor of one retarget step.
    pub max_adjustment: u64,
    /// A header's time must be within this many seconds of block time.
    pub time_window: u64,
    /// Reward of the first era, in ugut.
    pub initial_reward: Uint128,
    /// Solutions per halving era.
    pub halving_interval: u64,
}

/// The puzzle of the moment.
#[cw_serde]
pub struct Challenge {
    /// Solutions accepted so far.
    pub height: u64,
    /// X16S hash of the last solution (or the genesis value): the next header's bytes 4..36.
    pub prev_hash: HexBinary,
    /// The current target, compact.
    pub bits: u32,
    /// Block time (seconds) at which the current retarget epoch began.
    pub epoch_start: u64,
}

/// Emission so far and its ceiling.
#[cw_serde]
pub struct Emission {
    pub minted: Uint128,
    /// What may ever be minted: the token's cap minus its supply at instantiation, plus
    /// what the token swap returned.
    pub cap: Uint128,
    /// Unclaimed swap GUT returned (burned, and added to the cap).
    pub returned: Uint128,
}

/// A miner's record: a lower bound on its hashrate that nobody can fake.
#[cw_serde]
pub struct MinerStats {
    pub solutions: u64,
    pub minted: Uint128,
    /// Sum over solutions of 2^256 / (target + 1): the expected hashes behind them.
    pub work: Uint256,
    pub first_solution_time: u64,
    pub last_solution_time: u64,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const CHALLENGE: Item<Challenge> = Item::new("challenge");
pub const EMISSION: Item<Emission> = Item::new("emission");
pub const MINERS: Map<&Addr, MinerStats> = Map::new("miners");

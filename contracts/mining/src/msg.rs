use cosmwasm_schema::{QueryResponses, cw_serde};
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::state::{Config, MinerStats};

/// Parameters of the emission. GUT must already exist; hand its minter over to this
/// contract (`UpdateMinter`) before the first solution.
#[cw_serde]
pub struct InstantiateMsg {
    pub token: String,
    pub token_swap: Option<String>,
    /// Starting target, compact (e.g. 0x1e0fffff).
    pub initial_bits: u32,
    /// Easiest target ever allowed, compact; at least as easy as `initial_bits`.
    pub pow_limit_bits: u32,
    /// Wanted seconds between solutions (1..=86400).
    pub target_spacing: u64,
    /// Solutions between retargets (1..=100000).
    pub retarget_interval: u64,
    /// Largest factor of one retarget step (2..=16).
    pub max_adjustment: u64,
    /// Allowed distance of a header's time from block time, seconds (1..=7200).
    pub time_window: u64,
    /// Reward of the first era, in ugut (non-zero).
    pub initial_reward: Uint128,
    /// Solutions per halving era (non-zero).
    pub halving_interval: u64,
    /// Previous hash of the first challenge; by default SHA-256 of the chain id and
    /// this contract's address.
    pub genesis_prev_hash: Option<HexBinary>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Submits an 80-byte header solving the current challenge; the sender is the
    /// miner the header commits to, and receives the reward.
    Submit { header: HexBinary },
    /// CW20 hook: the token swap returns unclaimed GUT to the minable pool.
    Receive(Cw20ReceiveMsg),
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The fixed parameters.
    #[returns(Config)]
    Config {},
    /// What the next solution must solve, and what it pays.
    #[returns(ChallengeResponse)]
    Challenge {},
    /// The 32 bytes a miner puts at header bytes 36..68.
    #[returns(HexBinary)]
    Commitment { miner: String },
    /// One miner's record, if it ever solved.
    #[returns(Option<MinerStats>)]
    Miner { address: String },
    /// Miners by address, paginated (at most 100 per page).
    #[returns(MinersResponse)]
    Miners {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Emitted so far, the cap and the schedule.
    #[returns(EmissionResponse)]
    Emission {},
    /// When and how the next retarget happens.
    #[returns(NextRetargetResponse)]
    NextRetarget {},
}

/// Answer to [`QueryMsg::Challenge`].
#[cw_serde]
pub struct ChallengeResponse {
    pub chain_id: String,
    pub header_version: u32,
    /// Solutions accepted so far (the next solution's 0-based height).
    pub height: u64,
    /// Header bytes 4..36.
    pub prev_hash: HexBinary,
    /// Header bytes 72..76 (little-endian u32 there).
    pub bits: u32,
    /// The target as a big-endian 256-bit number; a hash read little-endian must be ≤ it.
    pub target: HexBinary,
    /// What the next solution pays, in ugut.
    pub reward: Uint128,
    pub time_window: u64,
}

/// Answer to [`QueryMsg::Miners`].
#[cw_serde]
pub struct MinersResponse {
    pub miners: Vec<MinerEntry>,
}

/// One row of [`MinersResponse`].
#[cw_serde]
pub struct MinerEntry {
    pub address: Addr,
    pub stats: MinerStats,
}

/// Answer to [`QueryMsg::Emission`].
#[cw_serde]
pub struct EmissionResponse {
    pub minted: Uint128,
    pub cap: Uint128,
    pub remaining: Uint128,
    pub returned: Uint128,
    pub current_reward: Uint128,
    pub next_halving_height: u64,
}

/// Answer to [`QueryMsg::NextRetarget`].
#[cw_serde]
pub struct NextRetargetResponse {
    /// The height after which the target changes.
    pub at_height: u64,
    pub epoch_start: u64,
    /// Seconds the epoch's solutions are meant to take.
    pub expected_seconds: u64,
}

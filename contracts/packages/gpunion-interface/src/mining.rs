//! The mining contract's messages and records: X16S proof-of-work emission of GUT.
//!
//! A solution is an 80-byte [`header::Header`] whose X16S hash is at or under the
//! current target; the contract mints the reward to the miner the header commits to.

pub mod hashrate;
pub mod header;

use cosmwasm_schema::{QueryResponses, cw_serde};
use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;

use hashrate::{WindowSchedule, WindowWork};

/// Where the mining contract keeps its records (cw-storage-plus namespaces): what a
/// client asks the node to prove in a verified read.
pub mod storage {
    /// `Item<Config>`.
    pub const CONFIG: &str = "config";
    /// `Item<Challenge>`.
    pub const CHALLENGE: &str = "challenge";
    /// `Item<Emission>`.
    pub const EMISSION: &str = "emission";
    /// `Map<&Addr, MinerStats>`.
    pub const MINERS: &str = "miners";
}

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
    /// The windows proven hashrates are read over ([`hashrate`]); 24 windows of an hour
    /// if absent.
    #[serde(default)]
    pub hashrate: Option<WindowSchedule>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Submits an 80-byte header solving the current challenge; the sender is the
    /// miner the header commits to, and receives the reward.
    Submit { header: HexBinary },
    /// CW20 hook: the token swap returns unclaimed GUT to the minable pool.
    Receive(Cw20ReceiveMsg),
}

/// The CW20 `Send` hook with which the token swap returns GUT to the mining pool.
#[cw_serde]
pub enum MiningPoolHookMsg {
    /// These GUT were allocated to the token swap and not claimed before its deadline:
    /// the mining contract burns them and adds them back to its emission cap.
    ReturnToPool {},
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
    /// The 32 bytes a miner puts in its header's commitment field.
    #[returns(HexBinary)]
    Commitment { miner: String },
    /// One miner's record, if it ever solved.
    #[returns(Option<MinerStats>)]
    Miner { address: String },
    /// A miner's proven hashrate over the recent complete windows; zero for an address
    /// that never solved ([`hashrate`]).
    #[returns(hashrate::ProvenHashrate)]
    Hashrate { address: String },
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
    /// The header's previous hash.
    pub prev_hash: HexBinary,
    /// The header's target bits (compact form).
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

/// Fixed parameters (stored at [`storage::CONFIG`], answered by [`QueryMsg::Config`]).
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
    /// The windows proven hashrates are read over (a contract stored before they
    /// existed: the default, 24 windows of an hour).
    #[serde(default)]
    pub hashrate: WindowSchedule,
}

/// The puzzle of the moment (stored at [`storage::CHALLENGE`]).
#[cw_serde]
pub struct Challenge {
    /// Solutions accepted so far.
    pub height: u64,
    /// X16S hash of the last solution (or the genesis value): the next header's
    /// previous hash.
    pub prev_hash: HexBinary,
    /// The current target, compact.
    pub bits: u32,
    /// Block time (seconds) at which the current retarget epoch began.
    pub epoch_start: u64,
}

/// Emission so far and its ceiling (stored at [`storage::EMISSION`]).
#[cw_serde]
pub struct Emission {
    pub minted: Uint128,
    /// What may ever be minted: the token's cap minus its supply at instantiation, plus
    /// what the token swap returned.
    pub cap: Uint128,
    /// Unclaimed swap GUT returned (burned, and added to the cap).
    pub returned: Uint128,
}

/// A miner's record: its lifetime sums and its work in recent windows, from which its
/// proven hashrate is read (stored in [`storage::MINERS`]).
#[cw_serde]
pub struct MinerStats {
    pub solutions: u64,
    pub minted: Uint128,
    /// Sum over solutions of 2^256 / (target + 1): the expected hashes behind them.
    pub work: Uint256,
    pub first_solution_time: u64,
    pub last_solution_time: u64,
    /// Work in the current window of block time and the complete ones a proof counts,
    /// oldest first ([`hashrate`]; empty in a record from before windows existed).
    #[serde(default)]
    pub windows: Vec<WindowWork>,
}

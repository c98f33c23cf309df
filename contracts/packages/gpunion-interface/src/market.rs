//! The market contract's messages and records.
//!
//! Times are UNIX seconds of block time; amounts are `ugut`. Checked results (a second
//! provider re-running a deterministic job) are [`check`].

pub mod check;

use cosmwasm_schema::{QueryResponses, cw_serde};
use cosmwasm_std::{Addr, Decimal, HexBinary, OverflowError, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::mining::hashrate::HashrateProof;
use check::Verdict;

/// Seconds in an hour: prices are per hour, time is billed per second.
pub const SECONDS_PER_HOUR: u64 = 3600;

/// What `seconds` of one GPU cost at `price_per_hour`, rounded up to the next ugut: the
/// deposit a lease (or an extension) of that length needs. The market charges it and
/// clients compute it with this one function; it fails only if price × seconds
/// overflows.
pub fn lease_cost(price_per_hour: Uint128, seconds: u64) -> Result<Uint128, OverflowError> {
    let total = price_per_hour.checked_mul(Uint128::from(seconds))?;
    Ok(Uint128::new(
        total.u128().div_ceil(u128::from(SECONDS_PER_HOUR)),
    ))
}

/// Parameters the owner may change, within [`ParamBounds`].
#[cw_serde]
pub struct MarketParams {
    /// Smallest GUT stake a provider registers with, in ugut.
    pub min_stake: Uint128,
    /// A provider is Disconnect once both this many seconds and
    /// `heartbeat_grace_blocks` blocks have passed since its last heartbeat.
    pub heartbeat_grace_seconds: u64,
    /// Blocks that must pass, besides the grace in seconds, before a silent provider is
    /// Disconnect: a halted chain makes no blocks, so time it stood still is not counted
    /// against providers, and when blocks resume they have this many to heartbeat.
    pub heartbeat_grace_blocks: u64,
    /// A lease not accepted within this many seconds of its start lapses (refundable).
    pub accept_window_seconds: u64,
    /// How long a leaving provider's stake stays held after `Leave` before it can be
    /// claimed. A leaving provider has no open leases, so nothing slashes it meanwhile.
    pub unbonding_seconds: u64,
    /// Share of the provider's stake paid to the customer when a lease expires with
    /// service due and not given (a lease's own, from when it was opened).
    pub slash_fraction: Decimal,
    /// Share of every provider payout sent to the treasury (a lease's own, from when it
    /// was opened).
    pub protocol_fee: Decimal,
    /// Longest lease (and extension target) in seconds.
    pub max_lease_seconds: u64,
    /// What a customer pays for a check of a lease's result (the checker's pay).
    #[serde(default = "MarketParams::default_check_fee")]
    pub check_fee: Uint128,
    /// How long a checker or referee has to answer once drawn.
    #[serde(default = "MarketParams::default_check_window")]
    pub check_window_seconds: u64,
}

impl MarketParams {
    /// A market instantiated before checks existed charges 1 GUT a check.
    pub fn default_check_fee() -> Uint128 {
        Uint128::new(1_000_000)
    }

    /// ... and gives an assignee an hour.
    pub fn default_check_window() -> u64 {
        3_600
    }

    /// The terms a lease opened now keeps until it ends.
    pub fn lease_terms(&self) -> LeaseTerms {
        LeaseTerms {
            protocol_fee: self.protocol_fee,
            slash_fraction: self.slash_fraction,
            heartbeat_grace: self.heartbeat_grace(),
        }
    }

    /// The heartbeat grace for the provider's status (Disconnect or not) now.
    pub fn heartbeat_grace(&self) -> HeartbeatGrace {
        HeartbeatGrace {
            seconds: self.heartbeat_grace_seconds,
            blocks: self.heartbeat_grace_blocks,
        }
    }
}

/// How long a provider may stay silent: a heartbeat has lapsed only once both this many
/// seconds and this many blocks have passed since it. Counting blocks too means a chain
/// halt (time passes, no blocks) is not counted against providers.
#[cw_serde]
#[derive(Copy, Eq)]
pub struct HeartbeatGrace {
    pub seconds: u64,
    pub blocks: u64,
}

impl HeartbeatGrace {
    /// The stricter of two graces in each part: whatever lapses under either lapses
    /// under this one.
    pub fn strictest(self, other: HeartbeatGrace) -> HeartbeatGrace {
        HeartbeatGrace {
            seconds: self.seconds.min(other.seconds),
            blocks: self.blocks.min(other.blocks),
        }
    }
}

/// A block's time (UNIX seconds) and height: where liveness is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainTime {
    pub seconds: u64,
    pub height: u64,
}

/// What a lease keeps from the parameters in force when it was opened, whatever the
/// owner changes later.
#[cw_serde]
#[derive(Copy)]
pub struct LeaseTerms {
    /// Share of each payout that goes to the treasury.
    pub protocol_fee: Decimal,
    /// Share of the provider's stake paid to the customer if the lease expires with
    /// service due and not given.
    pub slash_fraction: Decimal,
    /// The lease is expirable once its provider has been silent for this long.
    pub heartbeat_grace: HeartbeatGrace,
}

/// Limits on [`MarketParams`]; the owner cannot go outside them.
pub struct ParamBounds;

impl ParamBounds {
    pub const HEARTBEAT_GRACE: (u64, u64) = (30, 86_400);
    pub const HEARTBEAT_GRACE_BLOCKS: (u64, u64) = (1, 100_000);
    pub const ACCEPT_WINDOW: (u64, u64) = (60, 7 * 86_400);
    pub const UNBONDING: (u64, u64) = (0, 60 * 86_400);
    pub const MAX_LEASE: (u64, u64) = (3_600, 366 * 86_400);
    pub const CHECK_WINDOW: (u64, u64) = (60, 7 * 86_400);
    /// Protocol fee at most 10%.
    pub const MAX_PROTOCOL_FEE_PERMILLE: u64 = 100;
}

#[cw_serde]
pub struct InstantiateMsg {
    /// May change parameters; defaults to the sender.
    pub owner: Option<String>,
    /// The GUT CW20 contract; the only token accepted.
    pub gut_token: String,
    /// Receives the protocol fee.
    pub treasury: String,
    pub params: MarketParams,
}

/// What a provider declares about its machine. Self-reported: endorsers attest it, and
/// the mining contract's per-miner statistics bound the hashrate from below.
#[cw_serde]
pub struct ProviderAttributes {
    /// e.g. "NVIDIA RTX 4090".
    pub gpu_model: String,
    /// GPUs offered, each a lease slot (1..=16).
    pub gpu_count: u32,
    /// Memory per GPU in MiB.
    pub memory_mib: u64,
    /// What wgpu reports for the adapter.
    pub compute: ComputeCapability,
    /// Measured X16S hashrate in hashes per second.
    pub x16s_hashrate: Uint128,
    pub region: Region,
    /// Price of one GPU for one hour, in ugut.
    pub price_per_hour: Uint128,
    /// libp2p peer id of the provider's node.
    pub peer_id: String,
    /// Multiaddrs the node listens on (or is relayed through).
    pub multiaddrs: Vec<String>,
    /// The account whose statistics in the mining contract (difficulty-weighted X16S
    /// solutions) vouch for this machine's hashrate; the provider's own if absent.
    /// Another account must have consented first (`ConsentMiningLink`).
    pub mining_address: Option<String>,
    /// The workload kinds the node runs: a lease of another kind cannot be opened with
    /// it. A record from before this field runs WGSL bundles only.
    #[serde(default = "WorkloadKind::wgsl_only")]
    pub workloads: Vec<WorkloadKind>,
}

/// A summary of wgpu's adapter features and limits.
#[cw_serde]
pub struct ComputeCapability {
    /// The backend ("vulkan", "metal", "dx12").
    pub backend: String,
    /// wgpu feature names, e.g. "SHADER_INT64".
    pub features: Vec<String>,
    pub max_compute_invocations_per_workgroup: u32,
    pub max_compute_workgroup_storage_size: u32,
    pub max_storage_buffer_binding_size: u64,
    pub max_buffer_size: u64,
}

/// Where a provider is: a country code and a geohash for distance.
#[cw_serde]
pub struct Region {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// 1 to 12 geohash characters; longer is more precise.
    pub geohash: String,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// GUT sent with a [`ReceiveMsg`] hook: registration stake, lease deposits.
    Receive(Cw20ReceiveMsg),
    /// Provider: replace the declared attributes (GPU count only without open leases).
    UpdateProvider { attributes: ProviderAttributes },
    /// Provider: take no new leases until resumed.
    Pause {},
    /// Provider: take leases again.
    Resume {},
    /// Provider: prove liveness; time is credited to leases only up to the last heartbeat.
    /// A provider whose heartbeat lapsed under the strictest grace of its Active leases
    /// must have them expired first, so time while disconnected is never credited.
    Heartbeat {},
    /// Provider without open leases: start unbonding the stake.
    Leave {},
    /// Provider after unbonding: receive the stake back and remove the record.
    ClaimStake {},
    /// Provider: accept a pending lease before its accept deadline.
    AcceptLease { lease_id: u64 },
    /// Provider: decline a pending lease; the customer is refunded in full.
    RejectLease { lease_id: u64 },
    /// Anyone: refund a lease its provider did not accept by the deadline.
    ReclaimLapsed { lease_id: u64 },
    /// Provider: receive what the lease has earned so far (price × heartbeat-covered time).
    Withdraw { lease_id: u64 },
    /// Provider: post the result of an accepted lease.
    PostResult { lease_id: u64, result: LeaseResult },
    /// Customer or provider: settle what was earned and refund the rest; once the lease
    /// is expirable, it settles exactly as `ExpireLease`.
    CloseLease { lease_id: u64 },
    /// Anyone, once the provider's heartbeat lapsed under the lease's grace: settle up to
    /// the last heartbeat and refund the rest; if service was due and not given, slash the
    /// lease's share of the provider's stake to the customer (state Expired), otherwise
    /// settle as a close.
    ExpireLease { lease_id: u64 },
    /// Owner: change parameters within [`ParamBounds`].
    UpdateParams { params: MarketParams },
    /// Owner: propose a new owner; ownership moves when it accepts (a new proposal
    /// replaces the last).
    TransferOwnership { new_owner: String },
    /// The proposed owner: take ownership over.
    AcceptOwnership {},
    /// A miner: consent to `provider` naming this account as its `mining_address`, the
    /// mining record that vouches for its hashrate. One provider at a time: consenting
    /// to another unlinks the last.
    ConsentMiningLink { provider: String },
    /// Owner: change the treasury that receives the protocol fee.
    UpdateTreasury { treasury: String },
    /// Provider: be drawn as a checker or referee of other providers' results (it
    /// must run WGSL bundles). Its stake answers for its answers.
    JoinCheckPool {},
    /// Provider: be drawn no more (checks already assigned still bind it).
    LeaveCheckPool {},
    /// The drawn checker: its trace's root for the lease's job, and where the trace is.
    PostCheck {
        lease_id: u64,
        root: HexBinary,
        trace_cid: String,
    },
    /// The drawn referee of a disputed check: who was right.
    PostVerdict { lease_id: u64, verdict: Verdict },
    /// Anyone, once the assignee's deadline has passed: drop it from the pool and draw
    /// another (or end the check Void, its fee back to the customer).
    TimeoutCheck { lease_id: u64 },
    /// The customer, while the check still waits for the result: its fee back.
    CancelCheck { lease_id: u64 },
    /// Owner: the contract (the endorsement contract) whose recommendation index the
    /// market keeps current: it is sent `IndexProvider` on every registration, update,
    /// leave and return from Disconnect. `None` sends nothing.
    SetIndexer { indexer: Option<String> },
    /// Owner: the mining contract whose records prove providers' hashrates (asked for
    /// each provider the market describes). `None` proves nothing.
    SetMining { mining: Option<String> },
}

/// The hook of a GUT `Send` to the market.
#[cw_serde]
pub enum ReceiveMsg {
    /// Register as a provider with the sent amount as stake.
    Register { attributes: ProviderAttributes },
    /// Add the sent amount to the sender's provider stake.
    TopUpStake {},
    /// Open a lease with the sent amount as deposit; any excess over the cost is returned.
    OpenLease(OpenLease),
    /// Lengthen a lease; the sent amount pays for the extra time.
    ExtendLease { lease_id: u64, extra_seconds: u64 },
    /// Customer: have the lease's result checked; the sent amount pays the market's
    /// `check_fee` (any excess is returned).
    RequestCheck { lease_id: u64 },
}

#[cw_serde]
pub struct OpenLease {
    pub provider: String,
    /// A GPU slot of the provider; the first free one if absent.
    pub slot: Option<u32>,
    /// Start time; now if absent. A future start books the slot (provider Reserved).
    pub start: Option<u64>,
    pub duration_seconds: u64,
    pub workload: Workload,
    /// The most the customer pays per hour; the provider's current price must not exceed it.
    pub max_price_per_hour: Uint128,
    /// Have the result checked: the sent amount pays the `check_fee` too.
    #[serde(default)]
    pub check: bool,
}

/// What runs on the GPU.
#[cw_serde]
pub struct Workload {
    /// IPFS CID of the job bundle or image layout.
    pub cid: String,
    pub kind: WorkloadKind,
}

#[cw_serde]
pub enum WorkloadKind {
    /// A WGSL job bundle run by wgpu.
    WgslBundle,
    /// An OCI image layout run by runc.
    OciImage,
}

impl WorkloadKind {
    /// How many kinds there are (the most a provider can list).
    pub const COUNT: usize = 2;

    /// What a provider record without `workloads` runs.
    pub fn wgsl_only() -> Vec<WorkloadKind> {
        vec![WorkloadKind::WgslBundle]
    }
}

/// A lease's result: the CID, the hash of the output buffers, and for a deterministic
/// job the root of its dispatch trace, which a check compares.
#[cw_serde]
pub struct LeaseResult {
    pub cid: String,
    pub output_hash: Option<HexBinary>,
    /// [`crate::trace::Trace::root`] of the job's trace (deterministic jobs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_root: Option<HexBinary>,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum ProviderStatus {
    /// Registered and heartbeating, no lease running.
    Idle,
    /// A lease is running on one of its GPUs.
    Sharing,
    /// An accepted lease starts later; the GPU may mine until then.
    Reserved,
    /// Heartbeats stopped for longer than the grace period, or the provider is leaving.
    Disconnect,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum LeaseState {
    /// Waiting for the provider to accept.
    Pending,
    /// Accepted; running between `start` and `end`.
    Active,
    /// Closed by customer or provider (or cancelled before acceptance).
    Closed,
    /// Expired because the provider stopped heartbeating with service due; stake slashed.
    Expired,
    /// Not accepted by the deadline; refunded.
    Lapsed,
    /// Declined by the provider; refunded.
    Rejected,
}

impl LeaseState {
    /// Final states hold no escrow and accept no further action.
    pub fn is_final(self) -> bool {
        !matches!(self, LeaseState::Pending | LeaseState::Active)
    }
}

/// A provider as stored.
#[cw_serde]
pub struct Provider {
    pub address: Addr,
    pub attributes: ProviderAttributes,
    /// Bonded stake in ugut: slashed by expiries, held until claimed after leaving.
    pub stake: Uint128,
    pub registered_at: u64,
    pub last_heartbeat: u64,
    /// Block height of the last heartbeat (liveness counts blocks as well as time).
    pub last_heartbeat_height: u64,
    pub paused: bool,
    /// Set by `Leave`: the stake can be claimed from this time.
    pub unbonding_until: Option<u64>,
    /// Leases Pending or Active.
    pub open_leases: u32,
    /// Leases Active (accepted, not yet settled).
    pub active_leases: u32,
    /// The strictest heartbeat grace among the leases accepted since the provider last
    /// had none Active: a heartbeat lapsed under it may be lapsed under one of them, so
    /// the provider must have them expired before heartbeating again.
    pub active_grace: Option<HeartbeatGrace>,
    pub stats: ProviderStats,
    /// Whether it may be drawn as a checker or referee.
    #[serde(default)]
    pub in_check_pool: bool,
    /// Checks not yet ended that may still slash or pay it (of its own leases, or drawn
    /// to answer): it cannot leave or claim its stake while any is open.
    #[serde(default)]
    pub open_checks: u32,
}

impl Provider {
    /// Whether the last heartbeat has lapsed at `now` under `grace`: both its seconds
    /// and its blocks have passed.
    pub fn heartbeat_lapsed(&self, grace: HeartbeatGrace, now: ChainTime) -> bool {
        now.seconds > self.last_heartbeat.saturating_add(grace.seconds)
            && now.height > self.last_heartbeat_height.saturating_add(grace.blocks)
    }

    /// Whether the provider is Disconnect at `now`: leaving, or its heartbeat lapsed.
    pub fn is_disconnected(&self, grace: HeartbeatGrace, now: ChainTime) -> bool {
        self.unbonding_until.is_some() || self.heartbeat_lapsed(grace, now)
    }
}

/// Counters reputation reads: how reliably the provider served.
#[cw_serde]
#[derive(Default)]
pub struct ProviderStats {
    /// Accepted leases closed with at least half their booked time served.
    pub completed_leases: u64,
    /// Leases expired for missing heartbeats.
    pub expired_leases: u64,
    /// Pending leases the provider let lapse.
    pub lapsed_leases: u64,
    pub heartbeats: u64,
    /// Total stake slashed, in ugut.
    pub slashed: Uint128,
    /// Total earned (gross of fee), in ugut.
    pub earned: Uint128,
    /// Results that stood a check (passed, or upheld by a referee).
    #[serde(default)]
    pub checked_results: u64,
    /// Results a referee found wrong.
    #[serde(default)]
    pub refuted_results: u64,
}

impl ProviderStats {
    /// Reliability in per mille: (completed + 1) / (completed + expired + lapsed +
    /// refuted + 2), a Laplace-smoothed share of leases served, so a new provider starts
    /// at 500; a result a referee found wrong counts as a failure.
    pub fn reliability_permille(&self) -> u64 {
        let good = self.completed_leases + 1;
        let all = self.completed_leases
            + self.expired_leases
            + self.lapsed_leases
            + self.refuted_results
            + 2;
        good * 1000 / all
    }
}

/// A lease as stored.
#[cw_serde]
pub struct Lease {
    pub id: u64,
    pub customer: Addr,
    pub provider: Addr,
    pub slot: u32,
    pub workload: Workload,
    pub price_per_hour: Uint128,
    pub opened_at: u64,
    /// The booked window [start, end).
    pub start: u64,
    pub end: u64,
    pub accept_deadline: u64,
    pub accepted_at: Option<u64>,
    pub state: LeaseState,
    /// Fee, slash and heartbeat grace from the parameters when it was opened.
    pub terms: LeaseTerms,
    /// Everything the customer paid in (net of any excess returned at once).
    pub deposit: Uint128,
    /// Paid out for service, gross of the protocol fee.
    pub paid_to_provider: Uint128,
    pub refunded: Uint128,
    pub result: Option<LeaseResult>,
    pub closed_at: Option<u64>,
}

impl Lease {
    /// Escrow still held for this lease.
    pub fn held(&self) -> Uint128 {
        self.deposit - self.paid_to_provider - self.refunded
    }

    /// Earned (gross) by this lease at `now`: price × time from the later of start and
    /// acceptance to the earliest of now, end and the provider's last heartbeat, rounded
    /// down and capped by the deposit. Time not covered by a heartbeat earns nothing.
    pub fn earned(&self, last_heartbeat: u64, now: u64) -> Uint128 {
        let Some(accepted_at) = self.accepted_at else {
            return Uint128::zero();
        };
        let from = self.start.max(accepted_at);
        let until = now.min(self.end).min(last_heartbeat);
        if until <= from {
            return Uint128::zero();
        }
        let served = Uint128::from(until - from);
        let amount = self
            .price_per_hour
            .full_mul(served)
            .checked_div(SECONDS_PER_HOUR.into())
            .ok()
            .and_then(|v| Uint128::try_from(v).ok())
            .unwrap_or(Uint128::MAX);
        amount.min(self.deposit)
    }

    /// Whether anyone may refund this lease at `now` with `ReclaimLapsed`: it is still
    /// Pending and its accept deadline has passed.
    pub fn is_reclaimable(&self, now: u64) -> bool {
        self.state == LeaseState::Pending && now > self.accept_deadline
    }

    /// Whether anyone may settle this lease at `now` with `ExpireLease`: it is Active
    /// and `provider` (its provider's record) has let its heartbeat lapse under the
    /// lease's own grace. Once true it stays true until the lease is settled: time and
    /// blocks only grow, and the provider cannot heartbeat while a lease is expirable.
    pub fn is_expirable(&self, provider: &Provider, now: ChainTime) -> bool {
        self.state == LeaseState::Active
            && provider.heartbeat_lapsed(self.terms.heartbeat_grace, now)
    }
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Owner, token, treasury and parameters.
    #[returns(ConfigResponse)]
    Config {},
    /// One provider with its computed status.
    #[returns(Option<ProviderResponse>)]
    Provider { address: String },
    /// Providers in address order matching `filter`. At most `MAX_SCAN` records are read per
    /// call whatever the filter; continue from `next_start_after` until it is `None`.
    /// `limit: Some(0)` reads nothing and returns an empty page.
    #[returns(ProvidersResponse)]
    Providers {
        filter: Option<ProviderFilter>,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// One lease, with what it has earned and what could be withdrawn now.
    #[returns(Option<LeaseResponse>)]
    Lease { id: u64 },
    /// A customer's leases in id order.
    #[returns(LeasesResponse)]
    LeasesByCustomer {
        customer: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// A provider's leases in id order.
    #[returns(LeasesResponse)]
    LeasesByProvider {
        provider: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// What the market holds: escrow of open leases and provider stakes.
    #[returns(EscrowTotals)]
    EscrowTotals {},
    /// A lease's check.
    #[returns(Option<check::Check>)]
    Check { lease_id: u64 },
    /// The open checks `address` must answer now (as checker or referee), in lease
    /// order, with what it needs to run them.
    #[returns(check::ChecksResponse)]
    ChecksAssigned {
        address: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// How many providers can be drawn.
    #[returns(check::CheckPoolResponse)]
    CheckPool {},
}

/// The market's configuration as stored.
#[cw_serde]
pub struct Config {
    pub owner: Addr,
    /// Proposed by the owner; becomes owner when it accepts.
    pub pending_owner: Option<Addr>,
    /// Sent `IndexProvider` on provider changes (the endorsement contract).
    pub indexer: Option<Addr>,
    /// Proves providers' hashrates (`SetMining`; absent in a record from before it).
    #[serde(default)]
    pub mining: Option<Addr>,
    pub gut_token: Addr,
    pub treasury: Addr,
    pub params: MarketParams,
}

impl Config {
    /// The answer to [`QueryMsg::Config`], with the id the next lease gets.
    pub fn response(self, next_lease_id: u64) -> ConfigResponse {
        ConfigResponse {
            owner: self.owner,
            gut_token: self.gut_token,
            treasury: self.treasury,
            pending_owner: self.pending_owner,
            indexer: self.indexer,
            mining: self.mining,
            params: self.params,
            next_lease_id,
        }
    }
}

#[cw_serde]
pub struct ConfigResponse {
    pub owner: Addr,
    pub gut_token: Addr,
    pub treasury: Addr,
    /// Proposed by `TransferOwnership`, until it accepts.
    pub pending_owner: Option<Addr>,
    /// Kept current on provider changes (`SetIndexer`).
    pub indexer: Option<Addr>,
    /// Proves providers' hashrates (`SetMining`).
    #[serde(default)]
    pub mining: Option<Addr>,
    pub params: MarketParams,
    pub next_lease_id: u64,
}

#[cw_serde]
#[derive(Default)]
pub struct ProviderFilter {
    pub status: Option<ProviderStatus>,
    /// Exact model name, compared case-insensitively.
    pub gpu_model: Option<String>,
    pub min_memory_mib: Option<u64>,
    pub country: Option<String>,
    pub max_price_per_hour: Option<Uint128>,
    /// Only providers that run this workload kind.
    #[serde(default)]
    pub workload: Option<WorkloadKind>,
}

#[cw_serde]
pub struct ProviderResponse {
    pub provider: Provider,
    pub status: ProviderStatus,
    /// Reliability in per mille: (completed + 1) / (completed + expired + lapsed + 2),
    /// where a lease counts as completed only with half its booked time served.
    pub reliability_permille: u64,
    /// The claimed X16S hashrate next to what the mining contract's record of its
    /// `mining_address` (or itself) proves; `None` while the market knows no mining
    /// contract.
    #[serde(default)]
    pub hashrate: Option<HashrateProof>,
}

#[cw_serde]
pub struct ProvidersResponse {
    pub providers: Vec<ProviderResponse>,
    /// Where to continue scanning; `None` when the end was reached.
    pub next_start_after: Option<String>,
}

#[cw_serde]
pub struct LeaseResponse {
    pub lease: Lease,
    /// Earned so far (gross), price × time covered by heartbeats, capped by the deposit.
    pub earned: Uint128,
    /// Earned minus already paid: what `Withdraw` would pay now (gross).
    pub withdrawable: Uint128,
}

impl LeaseResponse {
    /// `lease` with what it earned: an open one [`Lease::earned`] at block time `now`
    /// under its provider's `last_heartbeat`; a final one what it paid, with nothing left
    /// to withdraw (`last_heartbeat` and `now` are then not read: a caller need not look
    /// them up). The market's `Lease` query and the SDK's verified read both answer with
    /// this.
    pub fn at(lease: Lease, last_heartbeat: u64, now: u64) -> Self {
        let (earned, withdrawable) = if lease.state.is_final() {
            (lease.paid_to_provider, Uint128::zero())
        } else {
            let earned = lease.earned(last_heartbeat, now);
            (earned, earned - lease.paid_to_provider)
        };
        Self {
            lease,
            earned,
            withdrawable,
        }
    }
}

/// Default page size of the list queries.
pub const DEFAULT_PAGE: u32 = 10;
/// Largest page size of the list queries.
pub const MAX_PAGE: u32 = 30;

/// How many records a list query asked for `limit` answers with.
pub fn page(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE) as usize
}

#[cw_serde]
pub struct LeasesResponse {
    pub leases: Vec<Lease>,
}

/// The market's GUT balance always equals `escrowed + stakes + checks`; `escrowed`
/// includes what leases have earned and providers have not withdrawn yet.
#[cw_serde]
#[derive(Default)]
pub struct EscrowTotals {
    /// Held for open leases (unearned deposit plus earned-not-withdrawn).
    pub escrowed: Uint128,
    /// Provider stakes, including leaving ones.
    pub stakes: Uint128,
    /// Fees of checks not yet ended.
    #[serde(default)]
    pub checks: Uint128,
}

/// Where the market keeps its records (cw-storage-plus namespaces): what a client asks
/// the node to prove in a verified read.
pub mod storage {
    /// `Item<Config>`.
    pub const CONFIG: &str = "config";
    /// `Map<&Addr, Provider>`.
    pub const PROVIDERS: &str = "providers";
    /// `Map<u64, Lease>`.
    pub const LEASES: &str = "leases";
    /// `Item<u64>`: the id the next lease gets.
    pub const NEXT_LEASE_ID: &str = "next_lease_id";
    /// `Map<(&Addr, u64), ()>`: lease ids by customer.
    pub const LEASES_BY_CUSTOMER: &str = "by_customer";
    /// `Map<(&Addr, u64), ()>`: lease ids by provider.
    pub const LEASES_BY_PROVIDER: &str = "by_provider";
    /// `Map<(&Addr, u32, u64), Booking>`: bookings of open leases by (provider, slot,
    /// start).
    pub const BOOKINGS: &str = "bookings";
    /// `Map<(&Addr, u32, u64), u64>`: accepted bookings, (provider, slot, start) → end.
    pub const ACCEPTED: &str = "accepted";
    /// `Item<EscrowTotals>`.
    pub const TOTALS: &str = "totals";
    /// `Map<&Addr, Addr>`: miner → the provider it consented to vouch for.
    pub const MINING_LINKS: &str = "mining_links";
    /// `Map<u64, Check>`: checks by lease id.
    pub const CHECKS: &str = "checks";
    /// `Map<(&Addr, u64), ()>`: open checks by who must answer now, and lease id.
    pub const CHECKS_BY_ASSIGNEE: &str = "checks_by_assignee";
    /// `Map<u32, Addr>`: the check pool, densely numbered from 0.
    pub const CHECK_POOL: &str = "check_pool";
    /// `Map<&Addr, u32>`: each pool member's number.
    pub const CHECK_POOL_INDEX: &str = "check_pool_index";
    /// `Item<u32>`: how many are in the pool (absent: none).
    pub const CHECK_POOL_SIZE: &str = "check_pool_size";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Provider records stored before `workloads` existed still load, as WGSL-only.
    #[test]
    fn a_record_without_workloads_runs_wgsl_bundles_only() {
        let json = r#"{"gpu_model":"m","gpu_count":1,"memory_mib":1,
            "compute":{"backend":"vulkan","features":[],"max_compute_invocations_per_workgroup":1,
            "max_compute_workgroup_storage_size":1,"max_storage_buffer_binding_size":1,"max_buffer_size":1},
            "x16s_hashrate":"0","region":{"country":"DE","geohash":"u33d"},"price_per_hour":"1",
            "peer_id":"p","multiaddrs":[],"mining_address":null}"#;
        let attributes: ProviderAttributes = cosmwasm_std::from_json(json).unwrap();
        assert_eq!(attributes.workloads, vec![WorkloadKind::WgslBundle]);
    }

    #[test]
    fn lease_cost_rounds_up_to_the_next_ugut() {
        assert_eq!(lease_cost(Uint128::new(3_600), 1), Ok(Uint128::new(1)));
        assert_eq!(lease_cost(Uint128::new(1), 1), Ok(Uint128::new(1)));
        assert_eq!(
            lease_cost(Uint128::new(7_200_001), 1_800),
            Ok(Uint128::new(3_600_001))
        );
    }

    #[test]
    fn lease_cost_is_exact_on_whole_ugut() {
        assert_eq!(
            lease_cost(Uint128::new(3_600_000), 600),
            Ok(Uint128::new(600_000))
        );
        assert_eq!(
            lease_cost(Uint128::new(3_600_000), SECONDS_PER_HOUR),
            Ok(Uint128::new(3_600_000))
        );
        assert_eq!(lease_cost(Uint128::new(3_600_000), 0), Ok(Uint128::zero()));
    }

    #[test]
    fn lease_cost_overflow_is_an_error() {
        assert!(lease_cost(Uint128::MAX, 2).is_err());
        assert_eq!(
            lease_cost(Uint128::MAX, 1),
            Ok(Uint128::new(u128::MAX.div_ceil(3_600)))
        );
    }
}

use cosmwasm_std::{Addr, OverflowError, StdError, Uint128};
use gpunion_interface::market::check::CheckState;
use gpunion_interface::market::{LeaseState, WorkloadKind};
use gpunion_interface::stake::StakeError;
use gpunion_interface::trace::TraceError;
use gpunion_interface::validate::InputError;
use thiserror::Error;

/// Everything the market rejects, with the data that explains it.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    #[error("invalid input: {0}")]
    Input(#[from] InputError),

    #[error("only the owner may do this")]
    NotOwner,

    #[error("only the proposed owner may accept ownership")]
    NotPendingOwner,

    #[error("{address} does not answer as a mining contract")]
    NotMiningContract { address: String },

    #[error("only GUT ({expected}) is accepted, got a hook from {got}")]
    WrongToken { expected: Addr, got: Addr },

    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },

    #[error("{what} must be greater than zero")]
    ZeroDuration { what: &'static str },

    #[error(transparent)]
    InvalidAddress(#[from] gpunion_interface::address::InvalidAddress),

    #[error("parameter {name} = {value} is outside [{min}, {max}]")]
    ParamOutOfBounds {
        name: &'static str,
        value: String,
        min: String,
        max: String,
    },

    #[error("stake of {sent} ugut is below the minimum of {min} ugut")]
    StakeTooLow { sent: Uint128, min: Uint128 },

    #[error("{address} is already a provider")]
    AlreadyRegistered { address: Addr },

    #[error("{address} is not a provider")]
    ProviderNotFound { address: String },

    #[error("provider {address} is not taking leases: {reason}")]
    ProviderUnavailable { address: Addr, reason: &'static str },

    #[error("provider {address} has {open} open leases")]
    HasOpenLeases { address: Addr, open: u32 },

    #[error("provider {address} is not leaving")]
    NotLeaving { address: Addr },

    #[error("stake unbonds at {until}, it is {now}")]
    StillUnbonding { until: u64, now: u64 },

    #[error("provider {address} is already leaving")]
    AlreadyLeaving { address: Addr },

    #[error("lease {id} not found")]
    LeaseNotFound { id: u64 },

    #[error("only the {role} of lease {id} may do this")]
    NotLeaseParty { id: u64, role: &'static str },

    #[error("lease {id} is {state:?}, this needs {expected}")]
    WrongLeaseState {
        id: u64,
        state: LeaseState,
        expected: &'static str,
    },

    #[error("a provider cannot lease its own GPUs")]
    SelfLease,

    #[error("start {start} is in the past (now {now})")]
    StartInPast { start: u64, now: u64 },

    #[error("{what} of {seconds} s is over the limit of {max} s")]
    DurationTooLong {
        what: &'static str,
        seconds: u64,
        max: u64,
    },

    #[error("provider price {price} ugut/h is above the cap of {cap} ugut/h")]
    PriceAboveCap { price: Uint128, cap: Uint128 },

    #[error("provider {provider} does not run {kind:?} workloads")]
    WorkloadNotOffered { provider: Addr, kind: WorkloadKind },

    #[error("deposit of {sent} ugut does not cover the cost of {cost} ugut")]
    InsufficientDeposit { sent: Uint128, cost: Uint128 },

    #[error("slot {slot} does not exist (provider has {count} GPUs)")]
    NoSuchSlot { slot: u32, count: u32 },

    #[error("no free GPU slot of {provider} for [{start}, {end})")]
    SlotTaken {
        provider: Addr,
        start: u64,
        end: u64,
    },

    #[error("lease {id} accept deadline {deadline} has passed (now {now})")]
    AcceptDeadlinePassed { id: u64, deadline: u64, now: u64 },

    #[error("lease {id} can be reclaimed after {deadline} (now {now})")]
    AcceptDeadlineNotReached { id: u64, deadline: u64, now: u64 },

    #[error("lease {id} has ended ({end}, now {now})")]
    LeaseEnded { id: u64, end: u64, now: u64 },

    #[error("nothing to withdraw from lease {id}")]
    NothingToWithdraw { id: u64 },

    #[error("lease {id} already has a result")]
    ResultAlreadyPosted { id: u64 },

    #[error("provider {address} is not Disconnect (last heartbeat {last_heartbeat}, now {now})")]
    ProviderNotDisconnected {
        address: Addr,
        last_heartbeat: u64,
        now: u64,
    },

    #[error("the provider was Disconnect with {active} Active leases: expire them first")]
    ExpireLeasesFirst { active: u32 },

    #[error("the GPU count cannot change while {open} leases are open")]
    GpuCountLocked { open: u32 },

    #[error("miner {miner} has not consented to vouch for provider {provider}")]
    MiningLinkNotConsented { miner: Addr, provider: Addr },

    #[error("provider {address} has {open} checks open: they may still pay or slash it")]
    HasOpenChecks { address: Addr, open: u32 },

    #[error("{address} is already in the check pool")]
    AlreadyInCheckPool { address: Addr },

    #[error("{address} is not in the check pool")]
    NotInCheckPool { address: Addr },

    #[error("lease {id} already has a check")]
    CheckAlreadyRequested { id: u64 },

    #[error("lease {id} has no check")]
    CheckNotFound { id: u64 },

    #[error("lease {id} cannot be checked: {reason}")]
    NotCheckable { id: u64, reason: &'static str },

    #[error("the check of lease {id} is {state:?}, this needs {expected}")]
    WrongCheckState {
        id: u64,
        state: CheckState,
        expected: &'static str,
    },

    #[error("only the drawn {role} of lease {id}'s check may answer it")]
    NotAssigned { id: u64, role: &'static str },

    #[error("the check of lease {id} had to be answered by {deadline} (now {now})")]
    CheckDeadlinePassed { id: u64, deadline: u64, now: u64 },

    #[error("the check of lease {id} may be timed out after {deadline} (now {now})")]
    CheckDeadlineNotReached { id: u64, deadline: u64, now: u64 },

    #[error("the {side} trace: {error}")]
    BadTraceProof {
        side: &'static str,
        error: TraceError,
    },

    #[error("the traces agree at dispatch {index}: a verdict must be where they differ")]
    VerdictWhereTracesAgree { index: u64 },
}

// A refused GUT `Receive` and a parameter out of range fail with the variants above.
gpunion_interface::impl_from_receive_error!(ContractError);
gpunion_interface::impl_from_out_of_bounds!(ContractError);

/// A provider's stake unbonds when it leaves.
impl From<StakeError> for ContractError {
    fn from(err: StakeError) -> Self {
        match err {
            StakeError::Unbonding { address, .. } => Self::AlreadyLeaving { address },
            StakeError::NotUnbonding { address } => Self::NotLeaving { address },
            StakeError::StillUnbonding { until, now } => Self::StillUnbonding { until, now },
            StakeError::Overflow(err) => Self::Overflow(err),
        }
    }
}

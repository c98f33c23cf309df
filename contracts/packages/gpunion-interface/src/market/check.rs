//! Checked results: a second provider re-runs a deterministic lease's job and compares
//! its dispatch trace's root with the provider's ([`crate::trace`]); when they differ, a
//! third settles the dispute, and whoever was wrong is slashed.
//!
//! A check's life ([`CheckState`]):
//!
//! ```text
//! Requested ──result with a trace root──▶ Checking ──same root──▶ Passed
//!     │                                      │
//!     │ no root / customer cancels           │ other root
//!     ▼                                      ▼
//!   Void ◀──no one left to assign──── Disputed ──verdict──▶ Upheld | Refuted | Inconclusive
//! ```
//!
//! Checkers and referees are drawn from the market's check pool, never the lease's
//! provider or customer, nor (for a referee) the checker; one that lets its deadline pass
//! is dropped from the pool and the check is drawn again, at most
//! [`MAX_ASSIGNMENTS`] times in all.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, Uint128};

use crate::trace::TraceProof;

/// How many assignees (checkers and referees together) a check draws at most: after
/// that many, a timeout makes it [`CheckState::Void`].
pub const MAX_ASSIGNMENTS: usize = 4;

/// A lease's check as stored (one per lease).
#[cw_serde]
pub struct Check {
    pub lease_id: u64,
    /// Paid by the customer, held until the check ends.
    pub fee: Uint128,
    /// How long each assignee has to answer (the market's `check_window_seconds` when
    /// the check was requested).
    pub window_seconds: u64,
    pub requested_at: u64,
    /// Where assignees are drawn from, fixed when requested (so neither the provider,
    /// choosing when to post its result, nor the checker, choosing its answer, can pick
    /// the draw).
    pub seed: HexBinary,
    pub state: CheckState,
    /// Who must answer now (the checker while Checking, the referee while Disputed).
    pub assignee: Option<Assignment>,
    /// The provider that re-ran the job.
    pub checker: Option<Addr>,
    /// What it found.
    pub answer: Option<CheckAnswer>,
    /// The provider that settled the dispute.
    pub referee: Option<Addr>,
    pub verdict: Option<Verdict>,
    /// Every provider drawn so far (those that let their deadline pass are never drawn
    /// again for this check).
    pub drawn: Vec<Addr>,
    pub settled_at: Option<u64>,
}

/// Someone who must answer, and by when.
#[cw_serde]
pub struct Assignment {
    pub address: Addr,
    /// Block time (UNIX seconds) after which anyone may `TimeoutCheck`.
    pub deadline: u64,
}

/// Where a check is.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum CheckState {
    /// Waiting for the lease's result.
    Requested,
    /// A checker re-runs the job.
    Checking,
    /// The checker's root differs from the provider's; a referee decides.
    Disputed,
    /// The checker found the provider's root: the checker is paid.
    Passed,
    /// The referee sided with the provider: the checker is slashed to the provider.
    Upheld,
    /// The referee sided with the checker: the provider is slashed, the customer
    /// refunded.
    Refuted,
    /// The referee agreed with neither (the job is not deterministic after all): the
    /// referee is paid, nobody slashed.
    Inconclusive,
    /// Nothing to check (no trace root), nobody left to draw, or cancelled while
    /// Requested: the fee goes back to the customer.
    Void,
}

impl CheckState {
    /// Whether the check has ended (its fee paid out).
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            CheckState::Requested | CheckState::Checking | CheckState::Disputed
        )
    }

    /// Whether the lease's result stood a check: passed or upheld.
    pub fn confirms_result(self) -> bool {
        matches!(self, CheckState::Passed | CheckState::Upheld)
    }
}

/// A checker's answer: its trace's root, and where its trace is.
#[cw_serde]
pub struct CheckAnswer {
    pub root: HexBinary,
    /// IPFS CID of its [`crate::trace::Trace`] (JSON).
    pub trace_cid: String,
}

/// A referee's verdict.
#[cw_serde]
pub enum Verdict {
    /// It ran the whole job: its trace's root (needs no one's trace, so it settles a
    /// dispute even where a side's trace cannot be fetched).
    Root { root: HexBinary },
    /// It ran the job up to dispatch `index`, where the two traces differ: its state
    /// there, and each side's state there proven against the side's root.
    Dispatch {
        index: u64,
        state: HexBinary,
        provider: TraceProof,
        checker: TraceProof,
    },
}

/// Who a verdict sides with.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum Side {
    Provider,
    Checker,
    Neither,
}

/// One check of the pool's assignments, as `ChecksAssigned` lists them.
#[cw_serde]
pub struct AssignedCheck {
    pub check: Check,
    /// The lease's workload CID and its provider's result, what the assignee needs.
    pub workload_cid: String,
    pub result_cid: Option<String>,
    pub provider_root: Option<HexBinary>,
}

#[cw_serde]
pub struct ChecksResponse {
    pub checks: Vec<AssignedCheck>,
}

/// The check pool: how many providers are in it.
#[cw_serde]
pub struct CheckPoolResponse {
    pub size: u32,
}

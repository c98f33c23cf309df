//! The provider's dashboard, the node's side: an HTTP API on the metrics address
//! (loopback) that the web app's node pages read and steer.
//!
//! - [`board`]: what the serve loop shows (state, GPU, jobs, earnings, mining,
//!   heartbeats), read by `GET /api/status` together with the live mining counters.
//! - [`errors`]: the node's last warnings, caught from its logs.
//! - [`payouts`]: what the provider was paid since the node started, whoever signed.
//! - [`access`]: who may ask: loopback peers, a loopback `Host` (no DNS rebinding), the
//!   web app's origin only, and the token from the node's config for actions.
//! - [`server`]: the routes; actions go to the serve loop as [`ActionRequest`]s, since
//!   the loop owns the miner and the chain agent.

pub mod access;
pub mod board;
pub mod errors;
pub mod payouts;
pub mod server;

use cosmwasm_std::Uint128;
use serde_json::Value;
use tokio::sync::oneshot;

/// What the dashboard asks the node to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Stop mining (within one batch) until resumed; leases are still served.
    PauseMining,
    /// Mine again while no job runs.
    ResumeMining,
    /// Change the price of one GPU-hour on the market (signed by the node's key).
    SetPrice(Uint128),
    /// Withdraw what every Active lease has earned so far.
    Withdraw,
}

/// An action and where its answer goes.
#[derive(Debug)]
pub struct ActionRequest {
    pub action: Action,
    pub reply: oneshot::Sender<Result<Value, ActionError>>,
}

/// Why an action was not done.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ActionError {
    /// The request itself is wrong (a malformed price).
    #[error("{0}")]
    BadInput(String),
    /// The chain (or the node's way to it) refused or failed.
    #[error("the chain refused: {0}")]
    Chain(String),
    /// The node is shutting down.
    #[error("the node is shutting down")]
    Stopped,
}

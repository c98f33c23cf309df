//! The mining contract: GUT's minter, emitting the minable 95% to whoever finds X16S
//! proof of work.
//!
//! A solution is an 80-byte header (`gpunion_interface::mining::header`) whose X16S hash is at or under the
//! current target. The contract verifies it with the `x16s` crate compiled into the
//! contract, mints the block reward to the miner, makes the solution's hash the next
//! previous hash (which changes the X16S function order), and retargets every N
//! solutions toward a target interval with a bounded step (see [`difficulty`]).
//! Rewards halve on a schedule and never exceed the emission cap (see [`emission`]).

pub mod contract;
pub mod difficulty;
pub mod emission;
pub mod error;
pub mod msg;
pub mod state;

pub use crate::error::ContractError;

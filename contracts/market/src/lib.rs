//! GPUnion's market: providers stake GUT and offer GPUs; customers lease a GPU slot for
//! a deposit held in escrow; providers are paid per second of heartbeat-covered service.
//! See README.md for the messages and the rules.

mod check;
mod config;
pub mod contract;
pub mod error;
mod hashrate;
mod index;
mod lease;
pub mod msg;
mod provider;
mod query;
pub mod state;

pub use crate::error::ContractError;

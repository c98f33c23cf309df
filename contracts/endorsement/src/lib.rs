//! GPUnion's endorsement contract: customers rate providers after finished leases,
//! staked endorsers attest provider attributes, and both feed a reputation score that
//! ranks providers in a bounded recommendation query. See README.md for the formula.

mod config;
pub mod contract;
mod endorse;
pub mod error;
mod market_query;
pub mod msg;
mod rating;
mod recommend;
pub mod reputation;
pub mod state;

pub use crate::error::ContractError;

//! GUT, the GPUnion token: a CW20 token on `cw20-base`.
//!
//! GUT does not re-implement CW20. It wraps cw20-base's instantiate, execute and
//! query, and adds only the rules of GUT's supply (see [`supply`]):
//! - fixed name, symbol and 6 decimals;
//! - a total-supply cap of 1,002,000,000 GUT, enforced by cw20-base's minter cap;
//! - 5% premined to the treasury at instantiation;
//! - an optional initial balance for the token-swap contract, taken out of the
//!   minable 95%;
//! - the minter may be handed over (to the mining contract) but never removed;
//! - zero amounts are rejected (cw20-base 2.0 accepts them).

pub mod contract;
pub mod error;
pub mod msg;
pub mod supply;

pub use crate::error::ContractError;

//! Account addresses given as strings in messages.

use cosmwasm_std::{Addr, Api};

/// A string the chain does not accept as an address.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("invalid address {address:?}: {reason}")]
pub struct InvalidAddress {
    /// The input, cut to 128 characters so an error never carries a huge string.
    pub address: String,
    /// Why the chain rejected it.
    pub reason: String,
}

/// Validates `address` with the chain's rules (bech32, prefix, normalized case).
pub fn validate(api: &dyn Api, address: &str) -> Result<Addr, InvalidAddress> {
    api.addr_validate(address).map_err(|err| InvalidAddress {
        address: address.chars().take(128).collect(),
        reason: err.to_string(),
    })
}

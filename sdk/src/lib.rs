#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod chain;
pub mod contracts;
pub mod deployment;
pub mod error;
pub mod events;
pub mod flows;
pub mod job;
pub mod keeper;
pub mod keys;
pub mod keystore;
pub mod lease_link;
pub mod light;
pub mod miner;
pub mod rpc;
pub mod storage;
pub mod tx;

pub use chain::Chain;
pub use deployment::{Deployment, TestAccounts};
pub use error::{Error, Result};
pub use keys::Wallet;
pub use light::{LightClient, LightOptions, TrustAnchor, Verified};
pub use rpc::Rpc;
pub use tx::{GasPrice, Signer, TxOutcome, TxSettings};

/// The contracts' messages and records (from `gpunion-interface`), re-exported for
/// callers.
pub mod msg {
    pub use gpunion_interface::{endorsement, gut, job, market, mining, token_swap};
}

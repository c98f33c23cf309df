//! The native library of GPUnion's Python and Kotlin bindings: a thin uniffi layer over
//! `gpunion-sdk`. It only converts: SDK types to records, enums and objects the
//! generated code turns into dataclasses and data classes, the SDK's [`Error`] to one
//! exception hierarchy, the SDK's futures to `async` functions (Python's asyncio,
//! Kotlin's `suspend`). Whatever a binding needs that the SDK lacks goes into the SDK.
//!
//! The objects follow the SDK: a [`Wallet`] (keys), a [`Client`] (one chain and its
//! deployment), an [`Account`] (a wallet signing on that chain, the SDK's `Signer`),
//! and the flows an account runs: [`Customer`], [`Provider`], [`Miner`].
//!
//! [`Error`]: gpunion_sdk::Error

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod account;
mod client;
mod customer;
mod error;
mod job;
mod keys;
mod market;
mod miner;
mod provider;

pub use account::Account;
pub use client::{Client, TestAccount, VerifiedAmount};
pub use customer::{Customer, OpenedLease};
pub use error::GpunionError;
pub use job::{JobListener, JobOrder, JobProgress, JobSummary};
pub use keys::Wallet;
pub use market::{
    LeaseInfo, LeaseState, ProviderAttributes, ProviderFilter, ProviderInfo, ProviderStatus,
    RecommendRequest, Recommendation, Reputation, TxOutcome, Workload, WorkloadKind,
};
pub use miner::{Challenge, Miner, Solution};
pub use provider::Provider;

uniffi::setup_scaffolding!("gpunion");

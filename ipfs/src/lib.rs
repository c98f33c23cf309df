#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod add;
mod cid;
mod client;
mod error;
mod fetch;

pub use cid::Cid;
pub use client::{DEFAULT_API, Kubo, Stat};
pub use error::IpfsError;
pub use fetch::FetchLimits;

#![doc = include_str!("../README.md")]
#![no_std]
#![warn(missing_docs)]

mod aes;
mod chain;
#[cfg(target_arch = "x86_64")]
mod cpu;
pub mod functions;
mod lanes;
mod target;

pub use chain::{HEADER_LEN, hash, order};
pub use functions::{FUNCTIONS, HashFunction};
pub use target::{CompactTargetError, Target, meets_target};

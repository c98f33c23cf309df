//! The token swap: balances of the old distribution chain, snapshotted at a height
//! into a Merkle tree, are claimed on GPUnion's chain as GUT.
//!
//! A claim carries the old address, its amount, a Merkle proof and a signature by the
//! old address's key over the new (bech32) address, in the Bitcoin-family signed-message
//! format, so an old wallet's `signmessage` produces it. The contract recovers the public
//! key, derives the old P2PKH address, checks the proof and pays the new address once.

pub mod contract;
pub mod error;
pub mod msg;
pub mod state;

pub use crate::error::ContractError;

//! Every message, record and rule that crosses between GPUnion's crates: the contracts,
//! the SDK, the provider node (`gpu-node`) and the tools. Each lives here once; nothing
//! outside the contracts depends on a contract crate.
//!
//! - [`address`]: address validation with one typed error for every contract;
//! - [`gut`]: GUT's instantiate message, supply figures and the CW20 messages it answers;
//! - [`token`]: the CW20 messages the contracts send to GUT;
//! - [`market`]: the market's messages and records (providers, leases, escrow);
//! - [`endorsement`]: ratings, endorsements, reputation and recommendations;
//! - [`mining`]: the mining contract's messages and records, and the mining
//!   [`mining::header`] with its one codec;
//! - [`token_swap`]: the token swap's messages and records, the snapshot's Merkle tree,
//!   old-chain addresses and signed messages;
//! - [`validate`]: the input rules both contracts (and clients) apply: CIDs, regions,
//!   geohashes, peer ids and string limits;
//! - [`geo`]: geohash decoding and an integer distance, for the recommendation query;
//! - [`job`]: WGSL compute jobs: the bundle's manifest and its checks, the allowance,
//!   the result report and the output hash (loading a bundle from disk with naga:
//!   `job::bundle`, feature `bundle`);
//! - [`trace`]: a deterministic job's dispatch trace (the state after every dispatch)
//!   and its root, which checks and disputes compare ([`market::check`]);
//! - [`merkle`]: the binary Merkle tree under the swap's snapshot and the traces.
//!
//! Each contract module with records a client reads with proofs has a `storage` module
//! naming the cw-storage-plus namespaces they are stored under: the contract declares
//! its `Item`s and `Map`s with them, the SDK's verified reads ask for the same keys.

pub mod address;
pub mod bounds;
pub mod endorsement;
pub mod geo;
pub mod gut;
pub mod job;
pub mod lease_link;
pub mod market;
pub mod merkle;
pub mod mining;
pub mod receive;
pub mod stake;
pub mod token;
pub mod token_swap;
pub mod trace;
pub mod validate;

//! The provider daemon: configuration and keys, the market's leases served end to end
//! (accept, fetch the workload from IPFS, run it isolated or in a container, post the
//! result, settle), mining between leases, durable state, metrics.

pub mod attributes;
pub mod config;
pub mod containers;
pub mod identity;
pub mod job;
pub mod link;
pub mod metrics;
pub mod mining;
pub mod p2p;
pub mod serve;
pub mod state;

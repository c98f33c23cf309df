//! GPUnion's provider daemon: the X16S miner, which runs the 16 functions as WGSL
//! compute shaders (in `shaders/x16s/`) on whatever adapter wgpu finds; the WGSL job
//! executor, which runs customers' job bundles (`shaders/jobs/`) in child processes;
//! and the provider that serves the market's leases with them.

pub mod executor;
pub mod gpu;
pub mod miner;
pub mod provider;

//! GPUnion's provider daemon. So far: the X16S miner, which runs the 16 functions as
//! WGSL compute shaders (in `shaders/x16s/`) on whatever adapter wgpu finds, and the
//! WGSL job executor, which runs customers' job bundles (`shaders/jobs/`) in child
//! processes.

pub mod executor;
pub mod gpu;
pub mod miner;

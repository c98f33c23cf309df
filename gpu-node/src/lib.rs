//! GPUnion's provider daemon. So far: the X16S miner, which runs the 16 functions as
//! WGSL compute shaders (in `shaders/x16s/`) on whatever adapter wgpu finds.

pub mod gpu;
pub mod miner;

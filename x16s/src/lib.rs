//! X16S, the proof-of-work hash that emits GUT.
//!
//! Sixteen 512-bit hash functions (the sphlib variants used by X16R-family coins)
//! chained in an order that a move-to-front shuffle derives from the previous
//! block hash. `no_std`: the mining contract runs it in wasm.
#![no_std]

mod aes;
pub mod functions;

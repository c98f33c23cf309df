//! A cw-multi-test chain with GUT, the market and the endorsement contract, and the
//! actions and assertions their tests share. Kept out of wasm builds (tests only).

mod suite;

pub use suite::{
    CID_A, CID_B, GUT, Suite, SuiteBuilder, attributes, default_endorsement_params, default_params,
    endorsement_err, invalid_address, market_err, workload,
};

//! One cw-multi-test chain for every GPUnion contract, and the actions, queries and
//! assertions their tests share. A tool, kept out of wasm builds: the contracts' tests
//! depend on it, never the contracts.
//!
//! [`SuiteBuilder`] deploys GUT, the market, the endorsement contract and a CW20
//! [`receiver`] stand-in; `with_token_swap` adds the token swap over a [`Snapshot`],
//! `with_mining` the mining contract (which then mints GUT). The [`Suite`]'s methods are
//! grouped by contract: `get_*` query, `assert_*` check, the rest act; an action whose
//! failure a test inspects returns that contract's typed error (or an `anyhow` error and
//! [`market_err`] / [`endorsement_err`] for the market and the endorsement contract).

mod checks;
mod endorsement;
mod gut;
mod market;
mod mining;
pub mod receiver;
mod suite;
mod token_swap;

pub use checks::{dispatch_verdict, honest_trace, lie_from, root};
pub use endorsement::{default_endorsement_params, endorsement_err};
pub use gut::GUT;
pub use market::{CID_A, CID_B, attributes, default_params, market_err, workload};
pub use mining::{EASIEST_BITS, EASY_BITS, default_mining_msg, fail, solve};
pub use suite::{BLOCK_SECONDS, Suite, SuiteBuilder, contract_err, invalid_address};
pub use token_swap::{Holder, MAGIC, OldWallet, SWAP_WINDOW, Snapshot, VERSION};

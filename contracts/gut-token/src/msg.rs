//! GUT's messages live in `gpunion-interface`; re-exported here in the usual place.
//! Queries are dispatched through cw20-base's `QueryMsg`, which parses every CW20
//! standard `Cw20QueryMsg` that clients send, with the same JSON (pinned by a test).

pub use cw20_base::msg::QueryMsg;
pub use gpunion_interface::gut::{ExecuteMsg, InstantiateMsg, Marketing, TokenSwapAllocation};

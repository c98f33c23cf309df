//! The token swap's messages live in `gpunion-interface`; re-exported here in the usual
//! place.

pub use gpunion_interface::token_swap::{
    ClaimResponse, ExecuteMsg, InstantiateMsg, QueryMsg, StatsResponse,
};

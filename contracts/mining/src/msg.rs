//! The mining contract's messages live in `gpunion-interface`; re-exported here in the
//! usual place.

pub use gpunion_interface::mining::{
    ChallengeResponse, EmissionResponse, ExecuteMsg, InstantiateMsg, MinerEntry, MinersResponse,
    MiningPoolHookMsg, NextRetargetResponse, QueryMsg,
};

//! The endorsement contract's messages live in `gpunion-interface`; re-exported here.

pub use gpunion_interface::endorsement::{
    Attribute, ConfigResponse, Endorsement, EndorsementParams, Endorser, ExecuteMsg,
    InstantiateMsg, QueryMsg, Rating, ReceiveMsg, RecommendRequest, RecommendResponse,
    Recommendation, Reputation,
};

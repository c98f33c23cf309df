//! The market's messages live in `gpunion-interface` so the SDK and the endorsement
//! contract share them; re-exported here in the usual place.

pub use gpunion_interface::market::{
    ConfigResponse, EscrowTotals, ExecuteMsg, InstantiateMsg, LeaseResponse, LeasesResponse,
    MarketParams, OpenLease, ProviderFilter, ProviderResponse, ProvidersResponse, QueryMsg,
    ReceiveMsg,
};

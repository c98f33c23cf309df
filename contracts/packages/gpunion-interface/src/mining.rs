//! Messages other contracts send to the mining contract.

use cosmwasm_schema::cw_serde;

/// The CW20 `Send` hook with which the token swap returns GUT to the mining pool.
#[cw_serde]
pub enum MiningPoolHookMsg {
    /// These GUT were allocated to the token swap and not claimed before its deadline:
    /// the mining contract burns them and adds them back to its emission cap.
    ReturnToPool {},
}

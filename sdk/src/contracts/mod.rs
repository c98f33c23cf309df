//! Typed clients of GPUnion's contracts, speaking the contracts' own message types.

pub mod endorsement;
pub mod gut;
pub mod market;
pub mod mining;
pub mod token_swap;

use cosmrs::Any;
use cosmrs::cosmwasm::MsgExecuteContract;
use cosmrs::tx::Msg;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::keys::parse_address;

/// A `MsgExecuteContract` from `sender` to `contract` carrying `msg` as JSON.
pub fn execute_msg<M: Serialize>(sender: &str, contract: &str, msg: &M) -> Result<Any> {
    MsgExecuteContract {
        sender: parse_address(sender, None)?,
        contract: parse_address(contract, None)?,
        msg: serde_json::to_vec(msg)
            .map_err(|e| Error::bad_input(format!("execute message: {e}")))?,
        funds: vec![],
    }
    .to_any()
    .map_err(|e| Error::bad_input(format!("execute message: {e}")))
}

//! Messages to GUT (a CW20 token) that the contracts send.

use cosmwasm_std::{Addr, CosmosMsg, StdResult, Uint128, WasmMsg, to_json_binary};
use cw20::Cw20ExecuteMsg;

/// A message that executes `msg` on the CW20 token at `token`.
pub fn execute(token: &Addr, msg: &Cw20ExecuteMsg) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

/// A transfer of `amount` to `to`; `None` for zero, which GUT rejects.
pub fn transfer(token: &Addr, to: &Addr, amount: Uint128) -> Option<CosmosMsg> {
    if amount.is_zero() {
        return None;
    }
    let msg = Cw20ExecuteMsg::Transfer {
        recipient: to.to_string(),
        amount,
    };
    execute(token, &msg).ok()
}

//! A contract that takes any CW20 `Send` and reports it: the stand-in for a receiving
//! contract in GUT's tests and for the mining pool in the token swap's.

use cosmwasm_std::{
    Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError, StdResult, to_json_binary,
};
use cw_multi_test::{Contract, ContractWrapper};
use cw20::Cw20ReceiveMsg;

/// The hook the receiver refuses, failing the `Send` that carried it.
pub const REJECT: &[u8] = b"reject";

/// What a CW20 token sends to a receiving contract.
#[cosmwasm_schema::cw_serde]
enum ReceiverMsg {
    Receive(Cw20ReceiveMsg),
}

/// Reports the token (`token`), the sender (`received_from`), the amount
/// (`received_amount`) and the hook in base64 (`received_msg`); refuses [`REJECT`].
fn receive(_: DepsMut, _: Env, info: MessageInfo, msg: ReceiverMsg) -> StdResult<Response> {
    let ReceiverMsg::Receive(msg) = msg;
    if msg.msg.as_slice() == REJECT {
        return Err(StdError::generic_err("receiver rejects this payment"));
    }
    Ok(Response::new()
        .add_attribute("token", info.sender)
        .add_attribute("received_from", msg.sender)
        .add_attribute("received_amount", msg.amount)
        .add_attribute("received_msg", msg.msg.to_base64()))
}

fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn query(_: Deps, _: Env, _: Empty) -> StdResult<Binary> {
    to_json_binary(&Empty {})
}

pub(crate) fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(receive, instantiate, query))
}

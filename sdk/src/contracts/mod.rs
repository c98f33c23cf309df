//! Typed clients of GPUnion's contracts, speaking the contracts' own message types.

pub mod endorsement;
pub mod gut;
pub mod market;
pub mod mining;
pub mod token_swap;

use cosmrs::Any;
use cosmrs::cosmwasm::{MsgExecuteContract, MsgInstantiateContract, MsgStoreCode};
use cosmrs::tx::Msg;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::keys::parse_address;
use crate::rpc::Rpc;
use crate::tx::{Signer, TxOutcome};

/// One contract instance: its address and the RPC it is reached through. Each typed
/// client wraps one and adds the contract's own messages.
#[derive(Debug, Clone)]
pub struct Contract {
    rpc: Rpc,
    address: String,
}

impl Contract {
    /// The contract at `address`, reached through `rpc`.
    pub fn new(rpc: Rpc, address: impl Into<String>) -> Self {
        Self {
            rpc,
            address: address.into(),
        }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// A smart query (answered by the node, not verified).
    pub async fn query<Q: Serialize, R: DeserializeOwned>(&self, msg: &Q) -> Result<R> {
        self.rpc.smart_query(&self.address, msg).await
    }

    /// Executes `msg` on the contract, signed by `signer`, and waits for inclusion.
    pub async fn execute<M: Serialize>(&self, signer: &Signer, msg: &M) -> Result<TxOutcome> {
        let msg = execute_msg(signer.address(), &self.address, msg)?;
        signer.send(vec![msg], "").await
    }
}

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

/// Stores wasm code on chain; returns its code id.
pub async fn store_code(signer: &Signer, wasm: Vec<u8>) -> Result<(u64, TxOutcome)> {
    let msg = MsgStoreCode {
        sender: parse_address(signer.address(), None)?,
        wasm_byte_code: wasm,
        instantiate_permission: None,
    }
    .to_any()
    .map_err(|e| Error::bad_input(format!("store code: {e}")))?;
    let tx = signer.send(vec![msg], "").await?;
    let code_id = tx
        .attribute("store_code", "code_id")
        .ok_or_else(|| Error::decode("store_code events", "no code_id"))?
        .parse()
        .map_err(|e| Error::decode("code_id", e))?;
    Ok((code_id, tx))
}

/// Instantiates `code_id` with `msg`; returns the new contract's address.
pub async fn instantiate<M: Serialize>(
    signer: &Signer,
    code_id: u64,
    msg: &M,
    label: &str,
    admin: Option<&str>,
) -> Result<(String, TxOutcome)> {
    let msg = MsgInstantiateContract {
        sender: parse_address(signer.address(), None)?,
        admin: admin.map(|a| parse_address(a, None)).transpose()?,
        code_id,
        label: Some(label.to_string()),
        msg: serde_json::to_vec(msg)
            .map_err(|e| Error::bad_input(format!("instantiate message: {e}")))?,
        funds: vec![],
    }
    .to_any()
    .map_err(|e| Error::bad_input(format!("instantiate: {e}")))?;
    let tx = signer.send(vec![msg], "").await?;
    let address = tx
        .attribute("instantiate", "_contract_address")
        .ok_or_else(|| Error::decode("instantiate events", "no _contract_address"))?
        .to_string();
    Ok((address, tx))
}

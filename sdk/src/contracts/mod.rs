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
use crate::light::{LightClient, StateAt, Verified};
use crate::rpc::Rpc;
use crate::storage::{WASM_STORE, contract_store_key, item_key};
use crate::tx::{Signer, TxOutcome};

/// One contract instance: its address, the RPC it is reached through, and the light
/// client that proves its state. Each typed client wraps one and adds the contract's own
/// messages.
#[derive(Debug, Clone)]
pub struct Contract {
    rpc: Rpc,
    address: String,
    light: Option<LightClient>,
}

impl Contract {
    /// The contract at `address`, reached through `rpc`, without a light client: its
    /// verified reads fail with [`Error::NoTrustAnchor`] until one is given
    /// ([`Contract::with_light_client`]).
    pub fn new(rpc: Rpc, address: impl Into<String>) -> Self {
        Self {
            rpc,
            address: address.into(),
            light: None,
        }
    }

    /// The same contract, its state proven by `light`.
    pub fn with_light_client(mut self, light: LightClient) -> Self {
        self.light = Some(light);
        self
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// A smart query, answered by the node and **not verified**: the node can forge it.
    pub async fn query_unverified<Q: Serialize, R: DeserializeOwned>(&self, msg: &Q) -> Result<R> {
        self.rpc.smart_query(&self.address, msg).await
    }

    /// A smart query against the state at `height`, **not verified**: the contract's own
    /// answer, to compare with a verified read of that height.
    pub async fn query_unverified_at<Q: Serialize, R: DeserializeOwned>(
        &self,
        msg: &Q,
        height: u64,
    ) -> Result<R> {
        self.rpc
            .smart_query_at(&self.address, msg, Some(height))
            .await
    }

    /// The contract's raw storage at `key` (a cw-storage-plus key, see
    /// [`crate::storage`]), proven against a verified header; `None`: proven absent.
    /// `what` names the value in errors.
    pub async fn read_verified(&self, key: &[u8], what: &str) -> Result<Verified<Option<Vec<u8>>>> {
        let key = contract_store_key(&self.address, key)?;
        self.light(what)?.read(WASM_STORE, &key, what).await
    }

    /// [`Contract::read_verified`] decoded from the JSON the contract stores.
    pub async fn load_verified<T: DeserializeOwned>(
        &self,
        key: &[u8],
        what: &str,
    ) -> Result<Verified<Option<T>>> {
        let state = self.state(what).await?;
        let value = self.load_at(&state, key, what).await?;
        Ok(state.verified(value))
    }

    /// A verified state of the chain, to read several keys (of this contract or of
    /// another on the same light client) at one height.
    pub async fn state(&self, what: &str) -> Result<StateAt> {
        self.light(what)?.state().await
    }

    /// The stored JSON at `key` in `state`, proven and decoded; `None`: proven absent.
    pub async fn load_at<T: DeserializeOwned>(
        &self,
        state: &StateAt,
        key: &[u8],
        what: &str,
    ) -> Result<Option<T>> {
        let full = contract_store_key(&self.address, key)?;
        self.light(what)?
            .read_at(state, WASM_STORE, &full, what)
            .await?
            .map(|bytes| decode_json(&bytes, what))
            .transpose()
    }

    /// The cw-storage-plus `Item` called `namespace` in `state`, proven and decoded. The
    /// contract keeps it from instantiation on, so a proven absence means the address is
    /// not the contract it was taken for: an [`Error::Decode`] naming `what`.
    pub async fn item_at<T: DeserializeOwned>(
        &self,
        state: &StateAt,
        namespace: &str,
        what: &str,
    ) -> Result<T> {
        self.load_at(state, &item_key(namespace), what)
            .await?
            .ok_or_else(|| Error::decode(what, "proven absent: not the contract it was taken for"))
    }

    /// [`Contract::item_at`] in a fresh verified state.
    pub async fn item<T: DeserializeOwned>(&self, namespace: &str, what: &str) -> Result<T> {
        let state = self.state(what).await?;
        self.item_at(&state, namespace, what).await
    }

    /// Up to `limit` entries of this contract's storage under `prefix` (a cw-storage-plus
    /// map prefix) in `state`, after the entry whose key is `prefix ‖ after` if given, in
    /// key order, proven complete. Each comes as the rest of its key after `prefix` and
    /// its decoded value.
    pub async fn entries_at<T: DeserializeOwned>(
        &self,
        state: &StateAt,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
        what: &str,
    ) -> Result<Vec<(Vec<u8>, T)>> {
        let full_prefix = contract_store_key(&self.address, prefix)?;
        let mut from = full_prefix.clone();
        if let Some(after) = after {
            from.extend_from_slice(after);
            from.push(0);
        }
        self.light(what)?
            .entries(state, WASM_STORE, &full_prefix, from, limit, what)
            .await?
            .into_iter()
            .map(|(key, value)| {
                Ok((
                    key[full_prefix.len()..].to_vec(),
                    decode_json(&value, what)?,
                ))
            })
            .collect()
    }

    /// The time of the block at `state`'s height: the `env.block.time` a contract's
    /// query at that height computes with.
    pub async fn block_time(&self, state: &StateAt, what: &str) -> Result<u64> {
        let time = self.light(what)?.block_time(state).await?;
        u64::try_from(time.unix_timestamp()).map_err(|e| Error::decode("block time", e))
    }

    /// Another contract on the same chain, reached and proven the same way.
    pub fn sibling(&self, address: impl Into<String>) -> Contract {
        Contract {
            rpc: self.rpc.clone(),
            address: address.into(),
            light: self.light.clone(),
        }
    }

    /// The light client, or [`Error::NoTrustAnchor`] for a verified read of `what`.
    fn light(&self, what: &str) -> Result<&LightClient> {
        self.light.as_ref().ok_or_else(|| Error::NoTrustAnchor {
            what: what.to_string(),
        })
    }

    /// Executes `msg` on the contract, signed by `signer`, and waits for inclusion.
    pub async fn execute<M: Serialize>(&self, signer: &Signer, msg: &M) -> Result<TxOutcome> {
        self.execute_with_memo(signer, msg, "").await
    }

    /// Like [`Contract::execute`], with a transaction memo (a reason for the record).
    pub async fn execute_with_memo<M: Serialize>(
        &self,
        signer: &Signer,
        msg: &M,
        memo: &str,
    ) -> Result<TxOutcome> {
        let msg = execute_msg(signer.address(), &self.address, msg)?;
        signer.send(vec![msg], memo).await
    }
}

/// `bytes`, the JSON a contract stores, decoded as `T`.
fn decode_json<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::decode(what, e))
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

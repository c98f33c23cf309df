//! The light client against a real local chain, honest and lying. Like `e2e.rs` these
//! need the chain the testnet harness starts, so they are `#[ignore]`d in plain
//! `cargo test`; `make e2e` runs them under `testnet/e2e` with `--ignored`.
//!
//! The lying node ([`lying_node`]) is a JSON-RPC proxy on 127.0.0.1 in front of the real
//! one that changes chosen answers (a proven value, proof bytes, a header's app hash, a
//! signature). [`money`]: every read money depends on, against the contracts' own answers
//! and against a lying node.

#[path = "../common/mod.rs"]
mod common;
mod lying_node;
mod money;
#[path = "../common/provider_attributes.rs"]
mod provider_attributes;

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::{accounts, deployment, rpc_url};
use gpunion_sdk::light::TrustThreshold;
use gpunion_sdk::{Chain, Deployment, Error, LightClient, LightOptions, Rpc};
use lying_node::{Tamper, lying_node};
use serde_json::Value;

/// Light options from the deployment's anchor, trust kept in `store`, and every read
/// asking for the newest header (so each read goes through the node's headers).
fn options(d: &Deployment, store: &Path) -> LightOptions {
    let mut options = LightOptions::new(d.trust.clone().expect("deployment has a trust anchor"))
        .with_store_dir(Some(store.to_path_buf()));
    options.max_header_age = std::time::Duration::ZERO;
    options
}

/// The chain reached through `url`, verifying with trust in `store`.
fn chain_via(url: &str, store: &Path) -> Chain {
    let d = deployment();
    let options = options(&d, store);
    let rpc = Rpc::new(&[url]).expect("rpc");
    Chain::with_rpc(d, rpc)
        .expect("chain")
        .with_light_options(options)
}

fn honest_chain(store: &Path) -> Chain {
    chain_via(&rpc_url(&deployment()), store)
}

fn fresh_address() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let mut bytes = [0x5a; 20];
    bytes[..16].copy_from_slice(&nanos.to_be_bytes());
    cosmrs::AccountId::new(&deployment().prefix(), &bytes)
        .expect("address")
        .to_string()
}

/// Whether a `commit` request asks for a header above the anchor (the newest when no
/// height is given): the anchor itself is served honestly, so that the lie is in a
/// header the client must verify.
fn above_anchor(params: &Value) -> bool {
    params["height"]
        .as_str()
        .and_then(|h| h.parse::<u64>().ok())
        .is_none_or(|h| h > 1)
}

fn flip_base64(field: &mut Value) {
    let mut bytes = BASE64
        .decode(field.as_str().unwrap_or_default())
        .unwrap_or_default();
    if let Some(last) = bytes.last_mut() {
        *last ^= 0x01;
    }
    *field = Value::String(BASE64.encode(bytes));
}

fn temp_store() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_honest_node_is_believed() {
    let store = temp_store();
    let chain = honest_chain(store.path());
    let accounts = accounts();
    let treasury = chain.signer(
        chain
            .wallet(&accounts.get("treasury").expect("treasury").mnemonic)
            .expect("wallet"),
    );
    let gut = chain.gut().expect("gut");
    let to = fresh_address();

    // Never held GUT: a proven absence, which is a verified zero.
    assert_eq!(gut.balance(&to).await.unwrap(), 0);
    let light = chain.light_client().expect("light client");
    let anchor_height = deployment().trust.expect("anchor").height;
    assert!(light.trusted_height().await.unwrap() > anchor_height);

    let tx = gut.transfer(&treasury, &to, 4_242).await.unwrap();
    // Reads see the caller's own write: state at or after the transaction's block.
    let verified = gut.balance_verified(&to).await.unwrap();
    assert!(
        verified.height >= tx.height,
        "{verified:?} before {}",
        tx.height
    );
    assert_eq!(verified.value, 4_242);
    assert_eq!(gut.balance_unverified(&to).await.unwrap(), 4_242);
    assert_eq!(
        gut.balance(treasury.address()).await.unwrap(),
        gut.balance_unverified(treasury.address()).await.unwrap()
    );

    // The other records money depends on, against the contracts' own answers.
    let mining = chain.mining().expect("mining");
    let challenge = mining.challenge().await.unwrap();
    let described = mining.challenge_unverified().await.unwrap();
    assert_eq!(
        (challenge.height, challenge.prev_hash, challenge.bits),
        (described.height, described.prev_hash, described.bits)
    );
    let market = chain.market().expect("market");
    assert_eq!(market.provider(&to).await.unwrap(), None);
    assert_eq!(market.lease(u64::MAX).await.unwrap(), None);
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_tampered_value_or_proof_is_rejected() {
    let node = rpc_url(&deployment());
    let owner = deployment()
        .accounts
        .get("treasury")
        .expect("treasury")
        .clone();
    let honest_store = temp_store();
    let honest = honest_chain(honest_store.path())
        .gut()
        .unwrap()
        .balance(&owner)
        .await
        .unwrap();

    // The node claims a larger balance than the chain holds.
    let forged = honest + 1_000_000;
    let value: Arc<Tamper> = Arc::new(move |method, _, result| {
        if method == "abci_query" {
            let json = format!("\"{forged}\"");
            result["response"]["value"] = Value::String(BASE64.encode(json));
        }
    });
    let store = temp_store();
    let lying = chain_via(&lying_node(node.clone(), value).await, store.path());
    match lying.gut().unwrap().balance(&owner).await {
        Err(Error::ProofRejected { what, reason, .. }) => {
            assert!(what.contains(&owner), "{what}");
            println!("forged value rejected: {reason}");
        }
        other => panic!("a forged balance must be rejected, got {other:?}"),
    }

    // The value is honest but a byte of one proof is changed: op 0 proves the key in
    // the wasm store, op 1 the store's root under the app hash.
    for op in [0, 1] {
        let proof: Arc<Tamper> = Arc::new(move |method, _, result| {
            if method == "abci_query"
                && let Some(tampered) = result["response"]["proofOps"]["ops"].get_mut(op)
            {
                flip_base64(&mut tampered["data"]);
            }
        });
        let store = temp_store();
        let lying = chain_via(&lying_node(node.clone(), proof).await, store.path());
        let err = lying.gut().unwrap().balance(&owner).await.unwrap_err();
        assert!(
            matches!(err, Error::ProofRejected { .. }),
            "proof op {op}: {err:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_tampered_header_is_rejected() {
    let node = rpc_url(&deployment());
    let owner = deployment()
        .accounts
        .get("treasury")
        .expect("treasury")
        .clone();

    // A header whose app hash is changed (what a node would do to make forged state
    // verify): it no longer matches the hash the validators signed.
    let app_hash: Arc<Tamper> = Arc::new(|method, params, result| {
        if method == "commit" && above_anchor(params) {
            let header = &mut result["signed_header"]["header"];
            let hash = header["app_hash"].as_str().unwrap_or_default();
            // Another first hex digit: a different hash of the same shape.
            let forged = match hash.split_at_checked(1) {
                Some(("0", rest)) => format!("1{rest}"),
                Some((_, rest)) => format!("0{rest}"),
                None => "00".repeat(32),
            };
            header["app_hash"] = Value::String(forged);
        }
    });
    let store = temp_store();
    let lying = chain_via(&lying_node(node.clone(), app_hash).await, store.path());
    match lying.gut().unwrap().balance(&owner).await {
        Err(Error::HeaderRejected { height, reason }) => {
            assert!(height > 1);
            println!("header with a forged app hash rejected at {height}: {reason}");
        }
        other => panic!("a forged header must be rejected, got {other:?}"),
    }

    // A header whose signature is changed.
    let signature: Arc<Tamper> = Arc::new(|method, params, result| {
        if method == "commit"
            && above_anchor(params)
            && let Some(sig) = result["signed_header"]["commit"]["signatures"].get_mut(0)
        {
            flip_base64(&mut sig["signature"]);
        }
    });
    let store = temp_store();
    let lying = chain_via(&lying_node(node, signature).await, store.path());
    let light = lying.light_client().expect("light client").clone();
    let err = light.update().await.unwrap_err();
    assert!(matches!(err, Error::HeaderRejected { .. }), "{err:?}");
    // Nothing forged was trusted: the client still stands on the anchor.
    assert_eq!(light.trusted_height().await.unwrap(), 1);
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_restart_resumes_from_stored_trust() {
    let d = deployment();
    let store = temp_store();
    let rpc = Rpc::new(&[rpc_url(&d)]).unwrap();
    let first = LightClient::new(rpc.clone(), &d.chain_id, options(&d, store.path()));
    let trusted = first.update().await.unwrap().height().value();
    assert!(trusted > 1);
    drop(first);

    // A new client on the same store starts where the first stopped, not at the anchor.
    let second = LightClient::new(rpc.clone(), &d.chain_id, options(&d, store.path()));
    assert_eq!(second.trusted_height().await.unwrap(), trusted);
    assert!(second.update().await.unwrap().height().value() >= trusted);

    // A client with the store of another anchor (another chain) does not believe it.
    let mut elsewhere = options(&d, store.path());
    elsewhere.anchor.height = 2;
    elsewhere.anchor.hash = rpc.block(2).await.unwrap().header.hash();
    let third = LightClient::new(rpc, &d.chain_id, elsewhere);
    assert_eq!(third.trusted_height().await.unwrap(), 2);
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_bisection_reaches_what_no_skip_can() {
    let d = deployment();
    let rpc = Rpc::new(&[rpc_url(&d)]).unwrap();
    // A threshold no commit can exceed (power signed must be *more* than all of it):
    // every skip lacks trust, so reaching the target takes bisection down to adjacent
    // headers, which are checked against their own validators instead.
    let mut options = LightOptions::new(d.trust.clone().expect("anchor")).with_store_dir(None);
    options.trust_threshold = TrustThreshold::new(1, 1).unwrap();
    let light = LightClient::new(rpc.clone(), &d.chain_id, options);
    let anchor = light.trusted_height().await.unwrap();
    let target = anchor + 20;
    assert!(rpc.latest_height().await.unwrap() >= target);
    let reached = light.verify_to(target).await.unwrap();
    assert_eq!(reached.height().value(), target);
    assert_eq!(
        reached.signed_header.header.hash(),
        rpc.block(target).await.unwrap().header.hash()
    );
}

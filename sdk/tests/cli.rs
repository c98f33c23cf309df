//! The `gpunion` command line against the local chain (`testnet/e2e`), as a script uses
//! it: every market action the contracts offer, with `--json`, fresh funded keys given
//! through `--mnemonic-env`, and bad inputs refused with a typed error and exit status 1.

mod common;

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{accounts, deployment, repo, rpc_url};
use gpunion_sdk::keystore::generate_mnemonic;
use gpunion_sdk::{Chain, Signer, tx};
use serde_json::{Value, json};

/// A key of its own, funded with gas and `gut` ugut; its mnemonic travels in an
/// environment variable, as a script would hand it over.
struct Party {
    mnemonic: String,
    address: String,
}

async fn party(chain: &Chain, gut: u128) -> Party {
    let mnemonic = generate_mnemonic().unwrap();
    let address = chain.wallet(&mnemonic).unwrap().address().to_string();
    let test_signer = |name: &str| -> Signer {
        chain.signer(
            chain
                .wallet(&accounts().get(name).unwrap().mnemonic)
                .unwrap(),
        )
    };
    let faucet = test_signer("faucet");
    let denom = chain.settings().gas_price.denom.clone();
    let gas = tx::bank_send_msg(faucet.address(), &address, 50_000_000, &denom).unwrap();
    faucet.send(vec![gas], "cli e2e funding").await.unwrap();
    let treasury = test_signer("treasury");
    chain
        .gut()
        .unwrap()
        .transfer(&treasury, &address, gut)
        .await
        .unwrap();
    Party { mnemonic, address }
}

/// Runs `gpunion --json ARGS` as `who`: the JSON it printed, or its error message.
fn gpunion(who: &Party, args: &[&str]) -> Result<Value, String> {
    let deployment = std::env::var("GPUNION_DEPLOYMENT")
        .unwrap_or_else(|_| repo().join("testnet/deployment.json").display().to_string());
    let output = Command::new(env!("CARGO_BIN_EXE_gpunion"))
        .args([
            "--json",
            "--mnemonic-env",
            "CLI_E2E_MNEMONIC",
            "--deployment",
        ])
        .arg(deployment)
        .args(["--rpc", &rpc_url(&common::deployment())])
        .args(args)
        .env("CLI_E2E_MNEMONIC", &who.mnemonic)
        .output()
        .expect("gpunion runs");
    if output.status.success() {
        serde_json::from_slice(&output.stdout).map_err(|e| {
            format!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    } else {
        assert_eq!(output.status.code(), Some(1), "a refused command exits 1");
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn ok(who: &Party, args: &[&str]) -> Value {
    gpunion(who, args).unwrap_or_else(|e| panic!("gpunion {args:?}: {e}"))
}

/// Runs a transaction command and waits until the state after it can be proven: a
/// verified read proves against the app hash of the next block, so a script that
/// reads right after a transaction may still see the state before it.
fn tx(who: &Party, args: &[&str]) -> Value {
    let result = ok(who, args);
    let included = result["height"].as_u64().expect("a transaction's height");
    while ok(who, &["status"])["height"].as_u64().unwrap() <= included + 1 {
        std::thread::sleep(Duration::from_millis(300));
    }
    result
}

/// `gpunion lease show ID`: the stored lease (beside it stand what it earned and what is
/// withdrawable).
fn shown_lease(who: &Party, id: u64) -> Value {
    let shown = ok(who, &["lease", "show", &id.to_string()]);
    assert!(
        shown["earned"].is_string() && shown["withdrawable"].is_string(),
        "{shown}"
    );
    shown["lease"].clone()
}

fn refused(who: &Party, args: &[&str], because: &str) {
    match gpunion(who, args) {
        Ok(value) => panic!("gpunion {args:?} was accepted: {value}"),
        Err(message) => assert!(
            message.contains(because),
            "gpunion {args:?} failed without saying {because:?}: {message}"
        ),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn gut_balance(who: &Party) -> u128 {
    ok(who, &["gut", "balance"])["ugut"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_cli_does_every_market_action() {
    let chain = Chain::new(deployment()).unwrap();
    let provider = party(&chain, 2_000_000_000).await;
    let silent = party(&chain, 1_100_000_000).await;
    let customer = party(&chain, 10_000_000).await;
    let endorser = party(&chain, 600_000_000).await;

    // The provider registers from a file, pauses, resumes and tops up its stake.
    let dir = tempfile::tempdir().unwrap();
    let attributes = dir.path().join("attributes.json");
    let mut declared = json!({
        "gpu_model": "NVIDIA H200", "gpu_count": 1, "memory_mib": 143_771,
        "compute": {"backend": "vulkan", "features": ["SHADER_INT64"],
                    "max_compute_invocations_per_workgroup": 1024,
                    "max_compute_workgroup_storage_size": 49_152,
                    "max_storage_buffer_binding_size": 2_147_483_648_u64,
                    "max_buffer_size": 4_294_967_296_u64},
        "x16s_hashrate": "58000000", "mining_address": null,
        "region": {"country": "DE", "geohash": "u33dc0"},
        "price_per_hour": "3600",
        "peer_id": "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN",
        "multiaddrs": ["/ip4/127.0.0.1/tcp/4001"]
    });
    std::fs::write(&attributes, declared.to_string()).unwrap();
    let attributes = attributes.to_str().unwrap();
    let p = provider.address.as_str();
    let register = |who: &Party| {
        let args = [
            "provider",
            "register",
            "--stake",
            "1000000000",
            "--attributes",
        ];
        tx(who, &[&args[..], &[attributes]].concat())
    };
    register(&provider);
    tx(&provider, &["provider", "pause"]);
    assert_eq!(ok(&provider, &["provider", "show"])["paused"], true);
    tx(&provider, &["provider", "resume"]);
    tx(&provider, &["provider", "top-up", "5"]);
    let shown = ok(&provider, &["provider", "show"]);
    assert_eq!(shown["paused"], false);
    assert_eq!(shown["stake"], "1000000005");
    declared["price_per_hour"] = json!("7200");
    std::fs::write(attributes, declared.to_string()).unwrap();
    tx(
        &provider,
        &["provider", "update", "--attributes", attributes],
    );
    let price = &ok(&provider, &["provider", "show"])["attributes"]["price_per_hour"];
    assert_eq!(price, "7200");

    // A booking for later, rejected with a reason: refunded in full. (The provider
    // heartbeats as its node would: 30 s of silence makes it Disconnect here.)
    tx(&provider, &["provider", "heartbeat"]);
    let before = gut_balance(&customer);
    let later = (now() + 1800).to_string();
    let open = |provider: &str, start: Option<&str>| {
        let mut args = vec!["lease", "open", "--provider", provider, "--duration", "600"];
        args.extend([
            "--cid",
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        ]);
        args.extend(["--max-price", "7200"]);
        if let Some(start) = start {
            args.extend(["--start", start]);
        }
        tx(&customer, &args)["lease_id"].as_u64().unwrap()
    };
    let booked = open(p, Some(&later));
    let lease = shown_lease(&customer, booked);
    assert_eq!(lease["state"], "pending");
    assert_eq!(lease["start"].as_u64().unwrap().to_string(), later);
    assert_eq!(
        gut_balance(&customer),
        before - 1200,
        "600 s at 7200 ugut/h"
    );
    tx(
        &provider,
        &[
            "provider",
            "reject",
            &booked.to_string(),
            "--reason",
            "maintenance",
        ],
    );
    assert_eq!(shown_lease(&customer, booked)["state"], "rejected");
    assert_eq!(gut_balance(&customer), before);

    // A lease now, accepted and extended; another booked for later, never accepted.
    let running = open(p, None);
    tx(&provider, &["provider", "accept", &running.to_string()]);
    tx(&provider, &["provider", "heartbeat"]);
    let end = shown_lease(&customer, running)["end"].as_u64().unwrap();
    tx(
        &customer,
        &["lease", "extend", &running.to_string(), "--seconds", "60"],
    );
    let extended = shown_lease(&customer, running);
    assert_eq!(extended["end"].as_u64().unwrap(), end + 60);
    assert_eq!(extended["deposit"], "1320", "660 s at 7200 ugut/h");
    // A provider that registers and then never answers: its lease lapses.
    register(&silent);
    let unanswered = open(&silent.address, None);
    let waiting_since = std::time::Instant::now();

    // Bad inputs: typed errors, exit status 1, nothing spent (the provider has just
    // heartbeated, so its lease is not expirable).
    tx(&provider, &["provider", "heartbeat"]);
    let spendable = gut_balance(&customer);
    refused(
        &customer,
        &["lease", "rate", &running.to_string(), "9"],
        "not 1..=5",
    );
    refused(&customer, &["lease", "expire", &running.to_string()], "");
    refused(
        &customer,
        &["lease", "reclaim", &unanswered.to_string()],
        "",
    );
    refused(
        &customer,
        &["lease", "extend", "999999", "--seconds", "60"],
        "lease 999999",
    );
    assert_eq!(gut_balance(&customer), spendable);

    // The endorser bonds, vouches for the model, and revokes; reputation and the
    // recommendation answer in JSON.
    tx(&endorser, &["endorser", "bond", "500000000"]);
    tx(
        &endorser,
        &["endorser", "endorse", p, "gpu-model", "NVIDIA H200"],
    );
    let endorsements = ok(&endorser, &["endorser", "endorsements", p]);
    assert_eq!(endorsements.as_array().unwrap().len(), 1, "{endorsements}");
    assert!(ok(&endorser, &["endorser", "show"]).is_object());
    let reputation = ok(&customer, &["reputation", p]);
    assert!(reputation.get("score").is_some(), "{reputation}");
    let recommended = ok(
        &customer,
        &[
            "recommend",
            "--country",
            "DE",
            "--geohash",
            "u33d",
            "--max-price",
            "10000",
        ],
    );
    assert!(recommended["recommendations"].is_array(), "{recommended}");
    tx(&endorser, &["endorser", "revoke", p, "gpu-model"]);
    assert_eq!(ok(&endorser, &["endorser", "endorsements", p]), json!([]));

    // Past the accept window (60 s here) and the heartbeat grace (30 s) with no
    // heartbeat: the unanswered lease is reclaimed, the running lease expired.
    let window = Duration::from_secs(65);
    tokio::time::sleep(window.saturating_sub(waiting_since.elapsed())).await;
    let before = gut_balance(&customer);
    tx(&customer, &["lease", "reclaim", &unanswered.to_string()]);
    assert_eq!(shown_lease(&customer, unanswered)["state"], "lapsed");
    assert_eq!(gut_balance(&customer), before + 1200);
    tx(&customer, &["lease", "expire", &running.to_string()]);
    let expired = shown_lease(&customer, running);
    assert_eq!(expired["state"], "expired", "{expired}");
    assert!(
        gut_balance(&customer) > before + 1200,
        "the unserved time is refunded"
    );

    // Scripts get completions too.
    let completions = Command::new(env!("CARGO_BIN_EXE_gpunion"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(completions.status.success());
    assert!(String::from_utf8_lossy(&completions.stdout).contains("gpunion"));
}

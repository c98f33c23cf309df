//! The `gpunion` command line against the local chain (`testnet/e2e`), as a script uses
//! it: every market action the contracts offer, with `--json`, fresh funded keys given
//! through `--mnemonic-env`, and bad inputs refused with a typed error and exit status 1;
//! overdue leases settled by their customer (the SDK) and by `gpunion keeper` with
//! nobody else acting; a token-swap claim from the snapshot's proof file.

mod common;
#[path = "common/old_wallet.rs"]
mod old_wallet;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{accounts, deployment, repo, rpc_url};
use cosmwasm_std::{Binary, Uint128};
use gpunion_sdk::contracts::market::Market;
use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::keeper::{Overdue, Settlement, Settler};
use gpunion_sdk::keystore::generate_mnemonic;
use gpunion_sdk::msg::market::{
    Lease, LeaseState, Provider, ProviderAttributes, Workload, WorkloadKind,
};
use gpunion_sdk::msg::token_swap::proof_file::ProofFile;
use gpunion_sdk::{Chain, Signer, tx};
use old_wallet::OldWallet;
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
    if gut > 0 {
        let treasury = test_signer("treasury");
        chain
            .gut()
            .unwrap()
            .transfer(&treasury, &address, gut)
            .await
            .unwrap();
    }
    Party { mnemonic, address }
}

/// `gpunion --json ARGS` signing as `who`, not started yet.
fn gpunion_command(who: &Party, args: &[&str]) -> Command {
    let deployment = std::env::var("GPUNION_DEPLOYMENT")
        .unwrap_or_else(|_| repo().join("testnet/deployment.json").display().to_string());
    let mut command = Command::new(env!("CARGO_BIN_EXE_gpunion"));
    command
        .args([
            "--json",
            "--mnemonic-env",
            "CLI_E2E_MNEMONIC",
            "--deployment",
        ])
        .arg(deployment)
        .args(["--rpc", &rpc_url(&common::deployment())])
        .args(args)
        .env("CLI_E2E_MNEMONIC", &who.mnemonic);
    command
}

/// Runs `gpunion --json ARGS` as `who`: the JSON it printed, or its error message.
fn gpunion(who: &Party, args: &[&str]) -> Result<Value, String> {
    let output = gpunion_command(who, args).output().expect("gpunion runs");
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
    provable(who, &result);
    result
}

/// Waits until the state after the transaction `included` describes can be proven.
fn provable(who: &Party, included: &Value) {
    let height = included["height"].as_u64().expect("a transaction's height");
    while ok(who, &["status"])["height"].as_u64().unwrap() <= height + 1 {
        std::thread::sleep(Duration::from_millis(300));
    }
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

/// A provider's declared attributes (the market's ProviderAttributes as JSON): one GPU at
/// 3600 ugut/h.
fn declared_attributes() -> Value {
    json!({
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
    })
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
    let mut declared = declared_attributes();
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
    // `lease settle` finds the customer's one overdue lease left and expires it;
    // expiring it again is refused.
    let settled = ok(&customer, &["lease", "settle"]);
    let settled = settled.as_array().unwrap();
    assert_eq!(settled.len(), 1, "{settled:?}");
    assert_eq!(settled[0]["lease_id"], running);
    assert_eq!(settled[0]["action"], "expire_lease");
    provable(&customer, &settled[0]);
    let expired = shown_lease(&customer, running);
    assert_eq!(expired["state"], "expired", "{expired}");
    assert_eq!(expired["refunded"], settled[0]["refund"]);
    refused(&customer, &["lease", "expire", &running.to_string()], "");
    assert!(
        gut_balance(&customer) > before + 1200,
        "the unserved time is refunded"
    );

    // Lists are proven complete: the customer's leases in id order, a page after the
    // first, and one provider's.
    let ids = |listed: Value| -> Vec<u64> {
        listed
            .as_array()
            .unwrap()
            .iter()
            .map(|lease| lease["id"].as_u64().unwrap())
            .collect()
    };
    let mine = ids(ok(&customer, &["lease", "list"]));
    assert_eq!(mine, vec![booked, running, unanswered], "{mine:?}");
    assert_eq!(
        ids(ok(
            &customer,
            &["lease", "list", "--after", &booked.to_string()]
        )),
        vec![running, unanswered]
    );
    assert_eq!(
        ids(ok(
            &customer,
            &["lease", "list", "--provider", &silent.address]
        )),
        vec![unanswered]
    );
    // The market's parameters and what it holds, proven.
    let config = ok(&customer, &["market", "config"]);
    assert!(
        config["next_lease_id"].as_u64().unwrap() > unanswered,
        "{config}"
    );
    let escrow = ok(&customer, &["market", "escrow"]);
    assert!(
        escrow["stakes"].as_str().unwrap().parse::<u128>().unwrap() > 0,
        "{escrow}"
    );

    // Scripts get completions too.
    let completions = Command::new(env!("CARGO_BIN_EXE_gpunion"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(completions.status.success());
    assert!(String::from_utf8_lossy(&completions.stdout).contains("gpunion"));
}

/// A child process killed when the test ends, passing or failing.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn signer_of(chain: &Chain, who: &Party) -> Signer {
    chain.signer(chain.wallet(&who.mnemonic).unwrap())
}

/// What a settled lease paid its provider by the market's rule: the price for the time
/// from acceptance (or start) to the provider's last heartbeat, within the booked
/// window (the settlement came after that heartbeat).
fn served_cost(lease: &Lease, last_heartbeat: u64) -> u128 {
    let from = lease.start.max(lease.accepted_at.expect("accepted"));
    let served = lease.end.min(last_heartbeat).saturating_sub(from);
    (lease.price_per_hour.u128() * u128::from(served) / 3600).min(lease.deposit.u128())
}

async fn open_lease(customer: &Customer, provider: &str) -> u64 {
    let workload = Workload {
        cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".into(),
        kind: WorkloadKind::WgslBundle,
    };
    customer
        .open_lease(provider, 600, workload, 36_000)
        .await
        .unwrap()
        .0
}

/// A lease as the contract has it now.
async fn lease(market: &Market, id: u64) -> Lease {
    market.lease_unverified(id).await.unwrap().unwrap().lease
}

async fn provider_record(market: &Market, address: &str) -> Provider {
    market
        .provider_unverified(address)
        .await
        .unwrap()
        .unwrap()
        .provider
}

/// Checks that the expired lease `id` paid its provider for the time its heartbeats
/// covered, refunded the rest and slashed `stake_before` by the lease's slash fraction;
/// returns (refund, slash).
async fn check_expiry(
    market: &Market,
    id: u64,
    provider: &str,
    stake_before: u128,
) -> (u128, u128) {
    let expired = lease(market, id).await;
    assert_eq!(expired.state, LeaseState::Expired, "{expired:?}");
    let last_heartbeat = provider_record(market, provider).await.last_heartbeat;
    let paid = served_cost(&expired, last_heartbeat);
    assert_eq!(expired.paid_to_provider.u128(), paid, "{expired:?}");
    let refund = expired.deposit.u128() - paid;
    assert_eq!(expired.refunded.u128(), refund);
    let slash = Uint128::new(stake_before)
        .mul_floor(expired.terms.slash_fraction)
        .u128();
    assert!(slash > 0);
    (refund, slash)
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_overdue_leases_are_settled_without_anyone_acting() {
    let chain = Chain::new(deployment()).unwrap();
    let market = chain.market().unwrap();
    let gut = chain.gut().unwrap();
    let stopping = party(&chain, 1_000_000_000).await;
    let silent = party(&chain, 1_000_000_000).await;
    let own = party(&chain, 1_000_000).await;
    let watched = party(&chain, 1_000_000).await;
    let keeper = party(&chain, 0).await;

    // Two providers with two GPUs each: one accepts two leases and then stops
    // heartbeating, as a node that died would; the other never answers at all.
    let mut declared = declared_attributes();
    declared["gpu_count"] = json!(2);
    let attributes: ProviderAttributes = serde_json::from_value(declared).unwrap();
    let provider =
        |who: &Party| ProviderAgent::new(signer_of(&chain, who), market.clone(), gut.clone());
    let (stops, never) = (provider(&stopping), provider(&silent));
    stops
        .register(1_000_000_000, attributes.clone())
        .await
        .unwrap();
    never.register(1_000_000_000, attributes).await.unwrap();
    let customer =
        |who: &Party| Customer::new(signer_of(&chain, who), market.clone(), gut.clone(), None);
    // `own` settles its leases itself through the SDK; `watched` does nothing: the
    // keeper settles them.
    let (own_customer, watched_customer) = (customer(&own), customer(&watched));
    let own_running = open_lease(&own_customer, stops.address()).await;
    let watched_running = open_lease(&watched_customer, stops.address()).await;
    stops.accept(own_running).await.unwrap();
    stops.accept(watched_running).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stops.heartbeat().await.unwrap();
    let own_pending = open_lease(&own_customer, never.address()).await;
    let watched_pending = open_lease(&watched_customer, never.address()).await;
    let own_before = gut.balance(&own.address).await.unwrap();
    let watched_before = gut.balance(&watched.address).await.unwrap();
    let stake_before = provider_record(&market, stops.address()).await.stake.u128();
    let own_running_record = lease(&market, own_running).await;
    // Seconds after a heartbeat (the grace is 30 s and 10 blocks) and a lease's opening
    // (60 s to accept), nothing is overdue: nothing is sent (a refused transaction
    // would be an error here).
    assert!(own_customer.settle_overdue().await.unwrap().is_empty());

    // The customer's own path: checking its open leases until both were settled.
    let mut settled = Vec::new();
    for _ in 0..90 {
        settled.extend(own_customer.settle_overdue().await.unwrap());
        if settled.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    assert_eq!(settled.len(), 2, "{settled:?}");
    let sent = |id: u64, overdue: Overdue| -> (u128, u128) {
        let found = settled.iter().find(|s| s.lease_id == id).expect("settled");
        assert_eq!(found.overdue, overdue);
        match &found.settlement {
            Settlement::Sent {
                refund, slashed, ..
            } => (*refund, *slashed),
            other => panic!("lease {id} settled by someone else: {other:?}"),
        }
    };
    let (refund, slash) = check_expiry(&market, own_running, stops.address(), stake_before).await;
    assert_eq!(sent(own_running, Overdue::ProviderLapsed), (refund, slash));
    let deposit = lease(&market, own_pending).await.deposit.u128();
    assert_eq!(
        sent(own_pending, Overdue::AcceptDeadlinePassed),
        (deposit, 0)
    );
    assert_eq!(lease(&market, own_pending).await.state, LeaseState::Lapsed);
    assert_eq!(
        gut.balance(&own.address).await.unwrap(),
        own_before + refund + slash + deposit
    );
    let stake_now = provider_record(&market, stops.address()).await.stake.u128();
    assert_eq!(stake_now, stake_before - slash);
    // A keeper that read the lease before it was settled is refused by the contract
    // (in simulation: no fee) and counts it as settled by someone else.
    let late = Settler::new(signer_of(&chain, &keeper), market.clone())
        .settle(&own_running_record, Overdue::ProviderLapsed)
        .await
        .unwrap();
    assert!(
        matches!(
            late.settlement,
            Settlement::AlreadySettled {
                state: LeaseState::Expired
            }
        ),
        "{late:?}"
    );

    // Everyone else's: `gpunion keeper` running, the test only watching the chain.
    let log = tempfile::NamedTempFile::new().unwrap();
    let _keeper = Running(
        gpunion_command(&keeper, &["keeper", "--interval", "2"])
            .stdout(Stdio::from(log.reopen().unwrap()))
            .stderr(Stdio::inherit())
            .spawn()
            .expect("gpunion keeper starts"),
    );
    for _ in 0..60 {
        let running = lease(&market, watched_running).await.state;
        let pending = lease(&market, watched_pending).await.state;
        if running.is_final() && pending.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    // The keeper's transactions are not this client's own: verified reads must catch
    // up with the chain's tip to be sure to include them.
    chain.rpc().catch_up().await.unwrap();
    let (refund, slash) = check_expiry(&market, watched_running, stops.address(), stake_now).await;
    let deposit = lease(&market, watched_pending).await.deposit.u128();
    assert_eq!(
        lease(&market, watched_pending).await.state,
        LeaseState::Lapsed
    );
    assert_eq!(
        gut.balance(&watched.address).await.unwrap(),
        watched_before + refund + slash + deposit
    );
    let provider_after = provider_record(&market, stops.address()).await;
    assert_eq!(provider_after.stake.u128(), stake_now - slash);
    assert_eq!(provider_after.stats.expired_leases, 2);

    // The keeper said what it did, one JSON line per lease, once.
    let mut lines = Vec::new();
    for _ in 0..30 {
        lines = std::fs::read_to_string(log.path())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .collect::<Vec<_>>();
        let ids: Vec<u64> = lines
            .iter()
            .filter_map(|l| l["lease_id"].as_u64())
            .collect();
        if ids.contains(&watched_running) && ids.contains(&watched_pending) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let about = |id: u64| -> Vec<&Value> {
        lines
            .iter()
            .filter(|l| l["lease_id"].as_u64() == Some(id))
            .collect()
    };
    let expired = about(watched_running);
    assert_eq!(expired.len(), 1, "{lines:?}");
    assert_eq!(expired[0]["action"], "expire_lease");
    assert_eq!(expired[0]["refund"], refund.to_string());
    assert_eq!(expired[0]["slashed"], slash.to_string());
    let reclaimed = about(watched_pending);
    assert_eq!(reclaimed.len(), 1, "{lines:?}");
    assert_eq!(reclaimed[0]["action"], "reclaim_lapsed");
    assert_eq!(reclaimed[0]["refund"], deposit.to_string());
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_cli_claims_from_the_token_swap() {
    let chain = Chain::new(deployment()).unwrap();
    let snapshot = std::env::var("GPUNION_SWAP_SNAPSHOT")
        .expect("testnet/e2e deploys the swap from a snapshot and names it");
    // The fixture's holder with a known key, and the proof file the snapshot tool wrote.
    let holder = OldWallet::new(0x2a);
    let proof = Path::new(&snapshot)
        .with_file_name("proofs")
        .join(format!("{}.json", holder.address()));
    let file: ProofFile = serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    let proof = proof.to_str().unwrap();
    let recipient = party(&chain, 0).await;

    // The holder signs the text the CLI shows, with the old chain's magic.
    let message = ok(&recipient, &["swap", "message"])["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains(&recipient.address), "{message}");
    let magic = chain
        .token_swap()
        .unwrap()
        .config()
        .await
        .unwrap()
        .message_magic;
    let signature = Binary::from(holder.sign_message(&magic, &message)).to_base64();
    refused(
        &recipient,
        &[
            "swap",
            "claim",
            "--proof",
            proof,
            "--signature",
            "not-a-signature",
        ],
        "neither hex nor base64",
    );

    let claim = ["swap", "claim", "--proof", proof, "--signature", &signature];
    let claimed = tx(&recipient, &claim);
    assert_eq!(claimed["ugut"], file.amount.to_string());
    assert_eq!(gut_balance(&recipient), file.amount.u128());
    let record = ok(&recipient, &["swap", "claimed", &holder.address()]);
    assert!(record["claim"].is_object(), "{record}");
    refused(&recipient, &claim, "already claimed");
    assert_eq!(gut_balance(&recipient), file.amount.u128());
}

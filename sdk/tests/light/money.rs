//! Every read that money depends on, proven: escrow totals, what a lease earned and what
//! its provider could withdraw, the lease lists of a customer and of a provider, bank
//! balances, GUT's token info and minter, reputation, and the market's and the
//! endorsement contract's configurations (the minimum stakes among them). Each is set
//! beside the contract's own smart-query answer at the same height (equal, to the last
//! digit), and each is refused when a lying node forges a value, hides one or breaks a
//! proof. (The token swap's reads are checked the same way in `e2e.rs`, where a swap is
//! deployed.)

use std::sync::Arc;
use std::time::Duration;

use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::keystore::generate_mnemonic;
use gpunion_sdk::msg::endorsement::{Attribute, QueryMsg as EndorsementQuery, Reputation};
use gpunion_sdk::msg::gut::QueryMsg as GutQuery;
use gpunion_sdk::msg::market::{
    EscrowTotals, LeaseResponse, LeasesResponse, QueryMsg as MarketQuery, Workload, WorkloadKind,
};
use gpunion_sdk::{Chain, Error, Signer, tx};
use serde_json::Value;

use super::common::{accounts, deployment, rpc_url};
use super::lying_node::{Tamper, lying_node};
use super::provider_attributes::attributes;
use super::{chain_via, flip_base64, options, temp_store};

/// What the reads are about: a provider with one closed and rated lease and one active
/// lease that has earned, its customer, and an endorser vouching for it.
struct Scene {
    provider: String,
    customer: String,
    closed_lease: u64,
    active_lease: u64,
    /// The block of its last transaction.
    height: u64,
}

/// A fresh key funded with gas and `ugut` GUT.
async fn funded(chain: &Chain, ugut: u128) -> Signer {
    let test_signer = |name: &str| -> Signer {
        chain.signer(
            chain
                .wallet(&accounts().get(name).expect("test account").mnemonic)
                .expect("wallet"),
        )
    };
    let signer = chain.signer(
        chain
            .wallet(&generate_mnemonic().expect("mnemonic"))
            .expect("wallet"),
    );
    let faucet = test_signer("faucet");
    let denom = chain.settings().gas_price.denom.clone();
    let gas = tx::bank_send_msg(faucet.address(), signer.address(), 50_000_000, &denom)
        .expect("bank send");
    faucet.send(vec![gas], "light money funding").await.unwrap();
    if ugut > 0 {
        chain
            .gut()
            .unwrap()
            .transfer(&test_signer("treasury"), signer.address(), ugut)
            .await
            .unwrap();
    }
    signer
}

fn workload() -> Workload {
    Workload {
        cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".into(),
        kind: WorkloadKind::WgslBundle,
    }
}

/// Sets the scene up on the honest chain.
async fn scene(chain: &Chain) -> Scene {
    let (gut, market, endorsement) = (
        chain.gut().unwrap(),
        chain.market().unwrap(),
        chain.endorsement().unwrap(),
    );
    let stake = market.config().await.unwrap().params.min_stake.u128();
    let endorser_stake = endorsement
        .config()
        .await
        .unwrap()
        .params
        .min_endorser_stake
        .u128();
    let price: u128 = 3_600_000; // 1,000 ugut a second
    let provider = ProviderAgent::new(funded(chain, stake).await, market.clone(), gut.clone());
    let customer = Customer::new(
        funded(chain, 10_000_000).await,
        market.clone(),
        gut.clone(),
        Some(endorsement.clone()),
    );
    let endorser = funded(chain, endorser_stake).await;
    provider
        .register(
            stake,
            attributes("NVIDIA L40S", price, ("NL", "u173zq"), None),
        )
        .await
        .unwrap();
    endorsement
        .bond_endorser(&endorser, &gut, endorser_stake)
        .await
        .unwrap();
    endorsement
        .endorse(
            &endorser,
            provider.address(),
            Attribute::GpuModel,
            "NVIDIA L40S",
        )
        .await
        .unwrap();

    // One lease served a little, closed and rated; one active that has earned.
    let mut leases = Vec::new();
    let mut height = 0;
    for _ in 0..2 {
        let (id, _) = customer
            .open_lease(provider.address(), 600, workload(), price)
            .await
            .unwrap();
        provider.accept(id).await.unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
        height = provider.heartbeat().await.unwrap().height;
        leases.push(id);
        if leases.len() == 1 {
            customer.close(id).await.unwrap();
            customer.rate(id, 5, None).await.unwrap();
        }
    }
    Scene {
        provider: provider.address().to_string(),
        customer: customer.address().to_string(),
        closed_lease: leases[0],
        active_lease: leases[1],
        height,
    }
}

/// The chain as seen through `url`, every read at one pinned height at or after
/// `scene`'s last transaction: a header that proves that state is verified once and then
/// reused (for an hour), so that each verified read can be set beside the contract's
/// smart-query answer at the same height. Returns the state height.
async fn pinned(url: &str, store: &std::path::Path, scene: &Scene) -> (Chain, u64) {
    let d = deployment();
    let mut options = options(&d, store);
    options.max_header_age = Duration::from_secs(3600);
    let chain = chain_via(url, store).with_light_options(options);
    let light = chain.light_client().unwrap();
    loop {
        let state = light.update().await.unwrap().height().value() - 1;
        if state >= scene.height {
            return (chain, state);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Every verified read of the scene, named: its value as JSON, or its error.
async fn money_reads(chain: &Chain, scene: &Scene) -> Vec<(&'static str, Result<Value, Error>)> {
    let (gut, market, endorsement) = (
        chain.gut().unwrap(),
        chain.market().unwrap(),
        chain.endorsement().unwrap(),
    );
    let denom = chain.deployment().denom.clone();
    vec![
        ("escrow totals", market.escrow_totals().await.map(json)),
        (
            "active lease",
            market.lease_now(scene.active_lease).await.map(json),
        ),
        (
            "closed lease",
            market.lease_now(scene.closed_lease).await.map(json),
        ),
        (
            "provider's leases",
            market
                .leases_by_provider(&scene.provider, None, None)
                .await
                .map(json),
        ),
        (
            "customer's leases after the first",
            market
                .leases_by_customer(&scene.customer, Some(scene.closed_lease), None)
                .await
                .map(json),
        ),
        (
            "bank balance",
            chain
                .balance(&scene.customer, &denom)
                .await
                .map(|v| json(v.value.to_string())),
        ),
        ("GUT token info", gut.token_info().await.map(json)),
        ("GUT minter", gut.minter().await.map(json)),
        (
            "reputation",
            endorsement.reputation(&scene.provider).await.map(json),
        ),
        ("market config", market.config().await.map(json)),
        ("endorsement config", endorsement.config().await.map(json)),
    ]
}

/// The contracts' own answers at `height` to the same questions, in the same order.
async fn contract_answers(chain: &Chain, scene: &Scene, height: u64) -> Vec<Value> {
    let d = chain.deployment();
    let market = chain.contract(d.contract("market").unwrap());
    let gut = chain.contract(d.contract("gut_token").unwrap());
    let endorsement = chain.contract(d.contract("endorsement").unwrap());
    let lease = |id| MarketQuery::Lease { id };
    let totals: EscrowTotals = market
        .query_unverified_at(&MarketQuery::EscrowTotals {}, height)
        .await
        .unwrap();
    let active: Option<LeaseResponse> = market
        .query_unverified_at(&lease(scene.active_lease), height)
        .await
        .unwrap();
    let closed: Option<LeaseResponse> = market
        .query_unverified_at(&lease(scene.closed_lease), height)
        .await
        .unwrap();
    let by_provider: LeasesResponse = market
        .query_unverified_at(
            &MarketQuery::LeasesByProvider {
                provider: scene.provider.clone(),
                start_after: None,
                limit: None,
            },
            height,
        )
        .await
        .unwrap();
    let by_customer: LeasesResponse = market
        .query_unverified_at(
            &MarketQuery::LeasesByCustomer {
                customer: scene.customer.clone(),
                start_after: Some(scene.closed_lease),
                limit: None,
            },
            height,
        )
        .await
        .unwrap();
    // The bank module's own query (at the newest height: the customer sends nothing
    // after the scene, so it is the same).
    let balance = chain
        .rpc()
        .balance(&scene.customer, &d.denom)
        .await
        .unwrap();
    let info: Value = gut
        .query_unverified_at(&GutQuery::TokenInfo {}, height)
        .await
        .unwrap();
    let minter: Value = gut
        .query_unverified_at(&GutQuery::Minter {}, height)
        .await
        .unwrap();
    let reputation: Reputation = endorsement
        .query_unverified_at(
            &EndorsementQuery::Reputation {
                provider: scene.provider.clone(),
            },
            height,
        )
        .await
        .unwrap();
    let market_config: Value = market
        .query_unverified_at(&MarketQuery::Config {}, height)
        .await
        .unwrap();
    let endorsement_config: Value = endorsement
        .query_unverified_at(&EndorsementQuery::Config {}, height)
        .await
        .unwrap();
    [
        serde_json::to_value(totals),
        serde_json::to_value(active),
        serde_json::to_value(closed),
        serde_json::to_value(by_provider),
        serde_json::to_value(by_customer),
        serde_json::to_value(balance.to_string()),
        Ok(info),
        Ok(minter),
        serde_json::to_value(reputation),
        Ok(market_config),
        Ok(endorsement_config),
    ]
    .into_iter()
    .map(|v| v.unwrap())
    .collect()
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn light_money_reads_equal_the_contracts_answers_and_a_lying_node_is_refused() {
    let node = rpc_url(&deployment());
    let setup_store = temp_store();
    let scene = scene(&chain_via(&node, setup_store.path())).await;

    // Honest: every read verifies, and equals the contract's answer at its height.
    let store = temp_store();
    let (honest, height) = pinned(&node, store.path(), &scene).await;
    let reads = money_reads(&honest, &scene).await;
    let answers = contract_answers(&honest, &scene, height).await;
    for ((what, read), answer) in reads.into_iter().zip(answers) {
        let read = read.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(read, answer, "{what} at height {height}");
    }
    // The scene is what it should be: not a comparison of empty records.
    let active = honest
        .market()
        .unwrap()
        .lease_now(scene.active_lease)
        .await
        .unwrap()
        .expect("the active lease");
    assert!(!active.withdrawable.is_zero(), "{active:?}");
    let reputation = honest
        .endorsement()
        .unwrap()
        .reputation(&scene.provider)
        .await
        .unwrap();
    assert_eq!(reputation.ratings, 1);
    assert!(!reputation.endorsing_stake.is_zero());
    let listed = honest
        .market()
        .unwrap()
        .leases_by_provider(&scene.provider, None, None)
        .await
        .unwrap();
    let ids: Vec<u64> = listed.leases.iter().map(|l| l.id).collect();
    assert_eq!(ids, vec![scene.closed_lease, scene.active_lease]);

    // Lying: a node that forges a value, hides one (answers "not set" for a key that
    // is), or breaks a proof gets every read refused, never believed.
    let proven = |params: &Value| params["prove"].as_bool() == Some(true);
    let lies: Vec<(&str, Arc<Tamper>)> = vec![
        (
            "forged value",
            Arc::new(move |method, params, result| {
                if method == "abci_query" && proven(params) {
                    let value = &mut result["response"]["value"];
                    let mut bytes = base64_decode(value);
                    bytes.push(b' ');
                    *value = Value::String(base64_encode(&bytes));
                }
            }),
        ),
        (
            "hidden value",
            Arc::new(move |method, params, result| {
                if method == "abci_query" && proven(params) {
                    result["response"]["value"] = Value::String(String::new());
                }
            }),
        ),
        (
            "broken proof",
            Arc::new(move |method, params, result| {
                if method == "abci_query"
                    && proven(params)
                    && let Some(op) = result["response"]["proofOps"]["ops"].get_mut(0)
                {
                    flip_base64(&mut op["data"]);
                }
            }),
        ),
    ];
    for (lie, tamper) in lies {
        let store = temp_store();
        let (lying, _) = pinned(
            &lying_node(node.clone(), tamper).await,
            store.path(),
            &scene,
        )
        .await;
        for (what, read) in money_reads(&lying, &scene).await {
            match read {
                Err(Error::ProofRejected { reason, .. }) => {
                    println!("{lie}: {what} refused: {reason}");
                }
                other => panic!("{lie}: {what} must be refused, got {other:?}"),
            }
        }
    }
}

/// A read's value as JSON.
fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("serializable")
}

fn base64_decode(value: &Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap_or_default())
        .unwrap_or_default()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

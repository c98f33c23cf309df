//! End-to-end tests against a real local chain. They need the chain the testnet harness
//! starts, so they are `#[ignore]`d in plain `cargo test`; run them with
//!
//!   testnet/e2e "cargo test -p gpunion-sdk --test e2e -- --ignored --test-threads=1"
//!
//! (what `make e2e` does). The harness sets GPUNION_DEPLOYMENT and RPC_URL and the
//! chain's home and ports, so `testnet/chain stop|start` here act on its chain; it
//! always stops the chain afterwards.

mod common;
#[path = "light/lying_node.rs"]
mod lying_node;
#[path = "common/old_wallet.rs"]
mod old_wallet;
#[path = "common/provider_attributes.rs"]
mod provider_attributes;

use std::time::Duration;

use common::{accounts, deployment, repo, rpc_url};

use futures::StreamExt;
use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::miner::MiningAgent;
use gpunion_sdk::msg::market::{
    LeaseResult, LeaseState, ProviderAttributes, ProviderFilter, ProviderStatus, Workload,
    WorkloadKind,
};
use gpunion_sdk::{Chain, Error, Rpc, Signer, events, tx};

/// The chain, its verified reads at least as new as the chain's tip now: earlier tests
/// wrote through other clients, and a verified read otherwise may be a block behind.
async fn chain() -> Chain {
    let d = deployment();
    let rpc = Rpc::new(&[rpc_url(&d)]).expect("rpc");
    rpc.catch_up().await.expect("latest height");
    Chain::with_rpc(d, rpc).expect("chain")
}

fn signer(chain: &Chain, name: &str) -> Signer {
    let mnemonic = accounts().get(name).expect("account").mnemonic.clone();
    chain.signer(chain.wallet(&mnemonic).expect("wallet"))
}

fn address(name: &str) -> String {
    accounts().get(name).expect("account").address.clone()
}

fn testnet_chain(action: &[&str]) {
    let status = std::process::Command::new(repo().join("testnet/chain"))
        .args(action)
        .status()
        .expect("testnet/chain runs");
    assert!(status.success(), "testnet/chain {action:?} failed");
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_status_blocks_and_queries() {
    let chain = chain().await;
    let status = chain.rpc().status().await.unwrap();
    assert_eq!(
        status.node_info.network.as_str(),
        chain.deployment().chain_id
    );
    assert!(chain.rpc().latest_height().await.unwrap() >= 1);
    let block = chain.rpc().block(1).await.unwrap();
    assert_eq!(block.header.height.value(), 1);

    let treasury = address("treasury");
    let account = chain.rpc().account(&treasury).await.unwrap();
    assert_eq!(account.address, treasury);
    let denom = chain.deployment().denom.clone();
    assert!(chain.rpc().balance(&treasury, &denom).await.unwrap() > 0);

    let gut = chain.gut().unwrap();
    let info = gut.token_info().await.unwrap();
    assert_eq!(info.symbol, "GUT");
    assert_eq!(info.decimals, 6);
    let minter = gut.minter().await.unwrap().expect("a minter");
    assert_eq!(
        minter.minter,
        chain.deployment().contract("mining").unwrap()
    );

    // cw2 keeps the contract's name under the raw key "contract_info".
    let raw = chain
        .rpc()
        .raw_query(gut.address(), b"contract_info")
        .await
        .unwrap()
        .expect("cw2 contract_info");
    let cw2: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert!(cw2["contract"].as_str().unwrap().contains("gut"));
    assert_eq!(
        chain
            .rpc()
            .raw_query(gut.address(), b"no such key")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_gut_transfer_moves_exact_amounts() {
    let chain = chain().await;
    let gut = chain.gut().unwrap();
    let treasury = signer(&chain, "treasury");
    let to = address("provider2");
    let (from_before, to_before) = (
        gut.balance(treasury.address()).await.unwrap(),
        gut.balance(&to).await.unwrap(),
    );
    let tx = gut.transfer(&treasury, &to, 7_654_321).await.unwrap();
    assert!(tx.height > 0);
    assert_eq!(tx.attribute("wasm", "action"), Some("transfer"));
    assert_eq!(gut.balance(&to).await.unwrap(), to_before + 7_654_321);
    assert_eq!(
        gut.balance(treasury.address()).await.unwrap(),
        from_before - 7_654_321
    );
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_errors_are_typed() {
    let chain = chain().await;
    let gut = chain.gut().unwrap();
    // One ugut more than customer1 holds: the contract refuses (caught by simulation).
    let customer = signer(&chain, "customer1");
    let held = gut.balance(customer.address()).await.unwrap();
    match gut
        .transfer(&customer, &address("customer2"), held + 1)
        .await
    {
        Err(Error::Contract { message, .. }) => assert!(
            message.contains("Overflow")
                || message.contains("overflow")
                || message.contains("insufficient"),
            "{message}"
        ),
        other => panic!("expected a contract error, got {other:?}"),
    }
    // More fee tokens than the account has: the bank module refuses.
    let denom = chain.deployment().denom.clone();
    let msg = tx::bank_send_msg(
        customer.address(),
        &address("customer2"),
        u128::from(u64::MAX),
        &denom,
    )
    .unwrap();
    match customer.send(vec![msg], "").await {
        Err(Error::ChainRejected {
            code, codespace, ..
        }) => {
            assert_eq!((code, codespace.as_str()), (5, "sdk"))
        }
        other => panic!("expected insufficient funds, got {other:?}"),
    }
    // A bad address never leaves the SDK.
    assert!(matches!(
        gut.transfer(&customer, "wasm1nope", 1).await,
        Err(Error::BadInput(_))
    ));
    // After the failures the signer still sends (sequence not lost).
    let msg = tx::bank_send_msg(customer.address(), &address("customer2"), 1, &denom).unwrap();
    customer.send(vec![msg], "").await.unwrap();
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_mine_one_solution() {
    let chain = chain().await;
    let mining = chain.mining().unwrap();
    let gut = chain.gut().unwrap();
    let miner_signer = signer(&chain, "miner1");
    let before = gut.balance(miner_signer.address()).await.unwrap();
    let challenge = mining.challenge_unverified().await.unwrap();
    assert_eq!(
        mining.commitment(miner_signer.address()).await.unwrap(),
        gpunion_interface::mining::header::commitment(&challenge.chain_id, miner_signer.address())
    );
    let miner = MiningAgent::new(miner_signer.clone(), mining.clone());
    let solution = miner.mine_one(|_| {}).await.unwrap();
    assert!(x16s::meets_target(&x16s::hash(&solution.header.encode()), challenge.bits).unwrap());
    assert_eq!(
        gut.balance(miner_signer.address()).await.unwrap(),
        before + solution.reward
    );
    assert_eq!(
        mining.challenge().await.unwrap().height,
        solution.height + 1
    );
    assert!(
        mining
            .miner(miner_signer.address())
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_concurrent_transfers_from_one_wallet() {
    let chain = chain().await;
    let gut = chain.gut().unwrap();
    let treasury = signer(&chain, "treasury");
    let to = address("customer2");
    let before = gut.balance(&to).await.unwrap();
    // Another client sends with the same key first: the signer's cached sequence is
    // stale and must be corrected from the chain's wrong-sequence answer.
    treasury.rpc().account(treasury.address()).await.unwrap();
    gut.transfer(&treasury, &to, 1).await.unwrap();
    let other = signer(&chain, "treasury");
    gut.transfer(&other, &to, 1).await.unwrap();

    let sends = (1..=20u128).map(|i| {
        let (gut, treasury, to) = (gut.clone(), treasury.clone(), to.clone());
        tokio::spawn(async move { gut.transfer(&treasury, &to, i).await })
    });
    let mut hashes = std::collections::HashSet::new();
    for send in futures::future::join_all(sends).await {
        hashes.insert(send.unwrap().unwrap().hash);
    }
    assert_eq!(hashes.len(), 20);
    assert_eq!(
        gut.balance(&to).await.unwrap(),
        before + 2 + (1..=20).sum::<u128>()
    );
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_fail_over_to_the_second_endpoint() {
    let d = deployment();
    let live = rpc_url(&d);
    let rpc = Rpc::with_timeout(
        &["http://127.0.0.1:1".to_string(), live.clone()],
        Duration::from_secs(3),
    )
    .unwrap();
    let chain = Chain::with_rpc(d, rpc).unwrap();
    assert!(chain.rpc().latest_height().await.unwrap() >= 1);
    assert_eq!(chain.rpc().healthy_endpoint(), live.trim_end_matches('/'));
    let gut = chain.gut().unwrap();
    let treasury = signer(&chain, "treasury");
    gut.transfer(&treasury, &address("provider1"), 5)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_events_arrive_over_websocket() {
    let chain = chain().await;
    let gut = chain.gut().unwrap();
    let query = format!(
        "wasm._contract_address='{}' AND wasm.action='transfer'",
        gut.address()
    );
    let mut stream = events::subscribe_txs(&rpc_url(chain.deployment()), &query)
        .await
        .unwrap();
    let treasury = signer(&chain, "treasury");
    let to = address("endorser1");
    let tx = gut.transfer(&treasury, &to, 42).await.unwrap();
    let note = tokio::time::timeout(Duration::from_secs(30), stream.next())
        .await
        .expect("an event within 30 s")
        .expect("stream open")
        .unwrap();
    assert_eq!(note.height, tx.height);
    assert!(note.attributes("wasm", "to").any(|v| v == to));
    assert!(note.attributes("wasm", "amount").any(|v| v == "42"));
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_zz_chain_restart_then_the_next_call_succeeds() {
    let chain = chain().await;
    let gut = chain.gut().unwrap();
    let treasury = signer(&chain, "treasury");
    let to = address("relayer");
    gut.transfer(&treasury, &to, 3).await.unwrap();
    let height = chain.rpc().latest_height().await.unwrap();

    testnet_chain(&["stop"]);
    match chain.rpc().latest_height().await {
        Err(Error::Network { .. }) => {}
        other => panic!("expected a network error while stopped, got {other:?}"),
    }
    testnet_chain(&["start"]);
    // Until the restarted node commits a block, its check state has no block time and
    // simulations fail; the next call is made once blocks come again.
    testnet_chain(&["wait", &(height + 2).to_string(), "60"]);

    let before = gut.balance(&to).await.unwrap();
    gut.transfer(&treasury, &to, 4).await.unwrap();
    assert_eq!(gut.balance(&to).await.unwrap(), before + 4);
}

fn attributes(price_per_hour: u128) -> ProviderAttributes {
    provider_attributes::attributes(
        "NVIDIA RTX 4090",
        price_per_hour,
        ("DE", "u33dc0"),
        Some(address("miner1")),
    )
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_market_provider_and_customer_flows() {
    let chain = chain().await;
    let (gut, market, endorsement) = (
        chain.gut().unwrap(),
        chain.market().unwrap(),
        chain.endorsement().unwrap(),
    );
    let treasury = signer(&chain, "treasury");
    let provider = ProviderAgent::new(signer(&chain, "provider1"), market.clone(), gut.clone());
    let customer = Customer::new(
        signer(&chain, "customer1"),
        market.clone(),
        gut.clone(),
        Some(endorsement.clone()),
    );
    let stake = market.config().await.unwrap().params.min_stake.u128();
    let price: u128 = 3_600_000; // 3.6 GUT an hour: 1,000 ugut a second
    // Fund both sides with GUT from the treasury.
    gut.transfer(&treasury, provider.address(), stake)
        .await
        .unwrap();
    gut.transfer(&treasury, customer.address(), 10_000_000)
        .await
        .unwrap();

    // Records that do not exist are `None` (or `NotFound` for an action that needs
    // one), never a contract error to read.
    let stranger = ProviderAgent::new(signer(&chain, "relayer"), market.clone(), gut.clone());
    assert_eq!(stranger.record().await.unwrap(), None);
    assert_eq!(market.lease_unverified(u64::MAX).await.unwrap(), None);
    assert!(matches!(
        provider.withdraw(u64::MAX).await,
        Err(Error::NotFound { .. })
    ));

    if provider.record().await.unwrap().is_none() {
        // miner1's mining record vouches for provider1's hashrate, with its consent.
        market
            .consent_mining_link(&signer(&chain, "miner1"), &address("provider1"))
            .await
            .unwrap();
        let tx = provider.register(stake, attributes(price)).await.unwrap();
        assert_eq!(tx.attribute("wasm", "action"), Some("send"));
    }
    provider.heartbeat().await.unwrap();
    let record = provider.record().await.unwrap().expect("registered");
    assert_eq!(record.status, ProviderStatus::Idle);

    let found = customer
        .find_providers(ProviderFilter {
            country: Some("DE".into()),
            ..ProviderFilter::default()
        })
        .await
        .unwrap();
    assert!(
        found
            .iter()
            .any(|p| p.provider.address.as_str() == provider.address())
    );

    let before = gut.balance(customer.address()).await.unwrap();
    let workload = Workload {
        cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".into(),
        kind: WorkloadKind::WgslBundle,
    };
    let (lease_id, _) = customer
        .open_lease(provider.address(), 600, workload, price)
        .await
        .unwrap();
    assert_eq!(
        gut.balance(customer.address()).await.unwrap(),
        before - 600_000
    );
    assert!(
        provider
            .pending_leases()
            .await
            .unwrap()
            .iter()
            .any(|l| l.id == lease_id)
    );

    provider.accept(lease_id).await.unwrap();
    assert_eq!(
        provider.record().await.unwrap().unwrap().status,
        ProviderStatus::Sharing
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    provider.heartbeat().await.unwrap();
    let withdrawn = provider.withdraw(lease_id).await.unwrap();
    assert!(
        withdrawn.is_some(),
        "heartbeat-covered time earned something"
    );
    provider
        .post_result(
            lease_id,
            LeaseResult {
                cid: "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG".into(),
                output_hash: Some(vec![7; 32].into()),
                trace_root: None,
            },
        )
        .await
        .unwrap();
    customer.close(lease_id).await.unwrap();
    // The verified record is the one the contract describes.
    let lease = market
        .lease(lease_id)
        .await
        .unwrap()
        .expect("lease proven present");
    assert_eq!(
        lease,
        market
            .lease_unverified(lease_id)
            .await
            .unwrap()
            .expect("the market has the lease")
            .lease
    );
    assert_eq!(lease.state, LeaseState::Closed);
    assert_eq!(
        lease.result.unwrap().cid,
        "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
    );
    assert_eq!(lease.paid_to_provider + lease.refunded, lease.deposit);
    assert_eq!(
        gut.balance(customer.address()).await.unwrap(),
        before - lease.paid_to_provider.u128()
    );

    customer.rate(lease_id, 5, None).await.unwrap();
    let rating = endorsement.rating(lease_id).await.unwrap().expect("rated");
    assert_eq!(rating.score, 5);
    assert!(matches!(
        customer.rate(lease_id, 4, None).await,
        Err(Error::Contract { .. })
    ));
    assert!(matches!(
        customer.rate(lease_id, 9, None).await,
        Err(Error::BadInput(_))
    ));

    // The market's GUT balance is exactly its escrow plus stakes.
    let totals = market.escrow_totals().await.unwrap();
    assert_eq!(
        gut.balance(market.address()).await.unwrap(),
        totals.escrowed.u128() + totals.stakes.u128()
    );
}

/// The signed-message magic of the swap this test deploys.
const OLD_MAGIC: &str = "Pigeon Signed Message:\n";

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn e2e_token_swap_claim() {
    use gpunion_interface::token_swap::merkle::{MerkleTree, leaf};
    use gpunion_sdk::contracts::token_swap::{Claim, TokenSwap};
    use gpunion_sdk::contracts::{gut::Gut, instantiate, store_code};
    use gpunion_sdk::msg::gut::{InstantiateMsg as GutInit, TokenSwapAllocation};
    use old_wallet::{OLD_VERSION, OldWallet};

    // The harness deploys without a snapshot (GUT's supply checks assume no swap), so
    // this test sets up its own swap and GUT instance from the stored GUT code.
    let chain = chain().await;
    let deployer = signer(&chain, "deployer");
    let holders = [
        (OldWallet::new(7), 1_500_000u128),
        (OldWallet::new(8), 2_500_000),
    ];
    let tree = MerkleTree::new(
        holders
            .iter()
            .map(|(w, a)| leaf(&w.payload(), *a))
            .collect(),
    )
    .unwrap();
    let total: u128 = holders.iter().map(|(_, a)| a).sum();

    let wasm =
        std::fs::read(repo().join("artifacts/token_swap.wasm")).expect("make contracts built it");
    let (code_id, _) = store_code(&deployer, wasm).await.unwrap();
    let deadline_ns = (chain
        .rpc()
        .status()
        .await
        .unwrap()
        .sync_info
        .latest_block_time
        .unix_timestamp() as u64
        + 86_400)
        * 1_000_000_000;
    let (swap_address, _) = instantiate(
        &deployer,
        code_id,
        &gpunion_interface::token_swap::InstantiateMsg {
            owner: deployer.address().to_string(),
            merkle_root: tree.root().to_vec().into(),
            total_allocation: total.into(),
            message_magic: OLD_MAGIC.into(),
            address_version: OLD_VERSION,
            snapshot_height: 1_000,
            claim_deadline: cosmwasm_std::Timestamp::from_nanos(deadline_ns),
        },
        "gpunion-sdk e2e swap",
        None,
    )
    .await
    .unwrap();
    let gut_code = chain.deployment().contracts["gut_token"].code_id;
    let (gut_address, _) = instantiate(
        &deployer,
        gut_code,
        &GutInit {
            treasury: address("treasury"),
            minter: deployer.address().to_string(),
            token_swap: Some(TokenSwapAllocation {
                address: swap_address.clone(),
                amount: total.into(),
            }),
            marketing: None,
        },
        "gpunion-sdk e2e GUT",
        None,
    )
    .await
    .unwrap();
    let mining = chain.deployment().contract("mining").unwrap().to_string();
    let connect = gpunion_sdk::contracts::execute_msg(
        deployer.address(),
        &swap_address,
        &gpunion_interface::token_swap::ExecuteMsg::Connect {
            token: gut_address.clone(),
            mining_pool: mining,
        },
    )
    .unwrap();
    deployer.send(vec![connect], "").await.unwrap();

    let swap = TokenSwap::new(chain.contract(swap_address.clone()));
    let gut = Gut::new(chain.contract(gut_address));
    let recipient = address("customer2");
    let (wallet, amount) = &holders[1];
    let claim = Claim {
        old_address: wallet.address(),
        amount: *amount,
        proof: tree.proof(1).unwrap(),
        signature: wallet.sign_message(
            OLD_MAGIC,
            &gpunion_interface::token_swap::claim_message(
                &chain.deployment().chain_id,
                &swap_address,
                &recipient,
            ),
        ),
        recipient: recipient.clone(),
    };
    // Anyone may send the claim; the GUT go to the signed recipient.
    let relayer = signer(&chain, "relayer");
    swap.claim(&relayer, &claim).await.unwrap();
    assert_eq!(gut.balance(&recipient).await.unwrap(), *amount);
    assert!(
        swap.claim_of(&wallet.address())
            .await
            .unwrap()
            .claim
            .is_some()
    );
    let stats = swap.stats().await.unwrap();
    assert_eq!((stats.claimed.u128(), stats.claims), (*amount, 1));
    // The proven reads (stats, a paid claim, an unpaid one, the configuration) say what
    // the contract says (nothing is sent in between).
    assert_eq!(stats, swap.stats_unverified().await.unwrap());
    for old in [wallet.address(), holders[0].0.address()] {
        assert_eq!(
            swap.claim_of(&old).await.unwrap(),
            swap.claim_of_unverified(&old).await.unwrap()
        );
    }
    assert_eq!(
        swap.config().await.unwrap(),
        swap.config_unverified().await.unwrap()
    );
    // A node that changes a proven answer gets each of them refused.
    let lie: std::sync::Arc<lying_node::Tamper> = std::sync::Arc::new(|method, params, result| {
        if method == "abci_query" && params["prove"].as_bool() == Some(true) {
            result["response"]["value"] = serde_json::Value::String(String::new());
        }
    });
    let lying = Chain::with_rpc(
        deployment(),
        Rpc::new(&[lying_node::lying_node(rpc_url(&deployment()), lie).await]).unwrap(),
    )
    .unwrap()
    .with_light_options(
        gpunion_sdk::LightOptions::new(deployment().trust.expect("anchor")).with_store_dir(None),
    );
    let lying_swap = TokenSwap::new(lying.contract(swap_address.clone()));
    for refused in [
        lying_swap.stats().await.map(|_| ()),
        lying_swap.claim_of(&wallet.address()).await.map(|_| ()),
        lying_swap.config().await.map(|_| ()),
    ] {
        assert!(
            matches!(refused, Err(Error::ProofRejected { .. })),
            "{refused:?}"
        );
    }
    // A second claim of the same old address is refused by the contract.
    assert!(matches!(
        swap.claim(&relayer, &claim).await,
        Err(Error::Contract { .. })
    ));
}

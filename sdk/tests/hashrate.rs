//! Hardware you can believe, end to end on the local chain: two providers mine the same
//! way, one claims the hashrate it measured, the other ten times its own; after a few
//! windows the endorsement contract ranks the liar below. Needs the chain the testnet
//! harness starts (`#[ignore]`d in plain `cargo test`):
//!
//!   testnet/e2e "cargo test -p gpunion-sdk --test hashrate -- --ignored --test-threads=1"
//!
//! The deployment proves hashrates over three windows of 20 s. Its difficulty (a solution
//! in about 64 hashes, retargeting slowly) makes mining on this chain bound by how fast
//! transactions are included, not by the CPU: the "measured hashrate" an honest provider
//! claims is the one its own mining showed on this chain, read from the mining contract.

mod common;
#[path = "common/provider_attributes.rs"]
mod provider_attributes;

use std::time::{Duration, Instant};

use common::{accounts, deployment, rpc_url};
use cosmwasm_std::Uint128;
use gpunion_sdk::flows::ProviderAgent;
use gpunion_sdk::keystore::generate_mnemonic;
use gpunion_sdk::miner::MiningAgent;
use gpunion_sdk::msg::endorsement::{RecommendRequest, Reputation};
use gpunion_sdk::{Chain, Rpc, Signer, tx};
use provider_attributes::attributes;

/// A country no other e2e test registers providers in, so the two are the
/// recommendation's first candidates.
const COUNTRY: &str = "IS";
const GEOHASH: &str = "ge85";
const PRICE: u128 = 3_600_000;

async fn chain() -> Chain {
    let d = deployment();
    let rpc = Rpc::new(&[rpc_url(&d)]).expect("rpc");
    rpc.catch_up().await.expect("latest height");
    Chain::with_rpc(d, rpc).expect("chain")
}

fn test_signer(chain: &Chain, name: &str) -> Signer {
    let mnemonic = accounts().get(name).expect("account").mnemonic.clone();
    chain.signer(chain.wallet(&mnemonic).expect("wallet"))
}

/// A fresh account with fee tokens from the faucet and `gut` ugut from the treasury.
async fn fresh_account(chain: &Chain, gut: u128) -> Signer {
    let signer = chain.signer(
        chain
            .wallet(&generate_mnemonic().expect("mnemonic"))
            .expect("wallet"),
    );
    let faucet = test_signer(chain, "faucet");
    let denom = chain.settings().gas_price.denom.clone();
    let fees = tx::bank_send_msg(faucet.address(), signer.address(), 50_000_000, &denom)
        .expect("bank send");
    faucet
        .send(vec![fees], "hashrate e2e funding")
        .await
        .unwrap();
    let treasury = test_signer(chain, "treasury");
    chain
        .gut()
        .unwrap()
        .transfer(&treasury, signer.address(), gut)
        .await
        .unwrap();
    signer
}

/// The latest block's time, seconds.
async fn block_time(chain: &Chain) -> u64 {
    let status = chain.rpc().status().await.expect("status");
    u64::try_from(status.sync_info.latest_block_time.unix_timestamp()).expect("after 1970")
}

fn describe(who: &str, reputation: &Reputation) -> String {
    let proof = reputation.hashrate.as_ref().expect("a proof");
    format!(
        "{who}: claimed {} H/s, proven {} H/s, ratio {}‰, hardware part {}, score {}",
        proof.claimed,
        proof.proven,
        proof.ratio_permille,
        reputation.hardware_part,
        reputation.score
    )
}

#[tokio::test]
#[ignore = "needs the local chain: run under testnet/e2e"]
async fn a_provider_claiming_ten_times_its_hashrate_ranks_below_an_honest_one() {
    let started = Instant::now();
    let chain = chain().await;
    let (market, gut, mining) = (
        chain.market().unwrap(),
        chain.gut().unwrap(),
        chain.mining().unwrap(),
    );
    let endorsement = chain.endorsement().unwrap();
    let schedule = mining.config().await.unwrap().hashrate;
    let stake = market.config().await.unwrap().params.min_stake.u128();
    let honest = fresh_account(&chain, stake).await;
    let liar = fresh_account(&chain, stake).await;

    // Both mine alike, taking turns, until the proof's whole period has passed since
    // they started: every window it counts saw both mine.
    let first_window = block_time(&chain).await / schedule.window_seconds + 1;
    let period_end = (first_window + u64::from(schedule.windows)) * schedule.window_seconds;
    let miners = [
        MiningAgent::new(honest.clone(), mining.clone()),
        MiningAgent::new(liar.clone(), mining.clone()),
    ];
    let mut solutions = 0;
    while block_time(&chain).await < period_end {
        for miner in &miners {
            miner.mine_one(|_| {}).await.expect("a solution");
            solutions += 1;
        }
    }
    let honest_rate = mining.hashrate(honest.address()).await.unwrap();
    let liar_rate = mining.hashrate(liar.address()).await.unwrap();
    eprintln!(
        "{solutions} solutions; proven: honest {} H/s ({} solutions), liar {} H/s ({} solutions)",
        honest_rate.hashes_per_second,
        honest_rate.solutions,
        liar_rate.hashes_per_second,
        liar_rate.solutions
    );
    assert!(honest_rate.hashes_per_second > Uint128::zero());
    assert!(liar_rate.hashes_per_second > Uint128::zero());

    // The honest provider claims what it measured; the liar ten times its own.
    let register = |signer: &Signer, claimed: Uint128| {
        let mut claims = attributes("NVIDIA RTX 4090", PRICE, (COUNTRY, GEOHASH), None);
        claims.x16s_hashrate = claimed;
        let agent = ProviderAgent::new(signer.clone(), market.clone(), gut.clone());
        async move { agent.register(stake, claims).await.expect("registers") }
    };
    register(&honest, honest_rate.hashes_per_second).await;
    register(&liar, liar_rate.hashes_per_second * Uint128::new(10)).await;

    let honest_rep = endorsement
        .reputation_unverified(honest.address())
        .await
        .unwrap();
    let liar_rep = endorsement
        .reputation_unverified(liar.address())
        .await
        .unwrap();
    eprintln!("{}", describe("honest", &honest_rep));
    eprintln!("{}", describe("liar", &liar_rep));
    let (hp, lp) = (
        honest_rep.hashrate.clone().unwrap(),
        liar_rep.hashrate.clone().unwrap(),
    );
    assert!(lp.ratio_permille < hp.ratio_permille, "{lp:?} vs {hp:?}");
    assert!(
        lp.ratio_permille <= 200,
        "a tenfold claim is backed by about a tenth"
    );
    assert!(liar_rep.score < honest_rep.score);

    // The verified read computes the same proof from proven records.
    let verified = endorsement.reputation(honest.address()).await.unwrap();
    let verified_proof = verified.hashrate.expect("the SDK reads the proof too");
    assert_eq!(verified_proof.miner.as_str(), honest.address());
    assert_eq!(verified_proof.claimed, hp.claimed);

    // The recommendation ranks the liar below, and a minimum ratio drops it.
    let request = |min_ratio: Option<u64>| RecommendRequest {
        country: COUNTRY.into(),
        geohash: GEOHASH.into(),
        gpu_model: None,
        min_memory_mib: None,
        min_gpu_count: None,
        max_price_per_hour: Uint128::new(2 * PRICE),
        limit: Some(20),
        min_hashrate_ratio_permille: min_ratio,
    };
    let ranked = endorsement.recommend(request(None)).await.unwrap();
    let position = |who: &Signer| {
        ranked
            .recommendations
            .iter()
            .position(|r| r.provider.as_str() == who.address())
            .expect("recommended")
    };
    assert!(position(&honest) < position(&liar), "{ranked:?}");
    let believable = endorsement.recommend(request(Some(500))).await.unwrap();
    assert!(
        believable
            .recommendations
            .iter()
            .all(|r| r.provider.as_str() != liar.address())
    );
    let took = started.elapsed();
    eprintln!("hashrate e2e took {:.0} s", took.as_secs_f64());
    assert!(took < Duration::from_secs(300), "kept short for CI");
}

//! Hardware you can believe: the reputation's hardware part and the recommendation's
//! minimum ratio, from the proven hashrates the market reads from the mining contract.

use cosmwasm_std::{Addr, Decimal, StdResult, Uint128};
use gpunion_interface::endorsement::{QueryMsg, RecommendRequest, RecommendResponse};
use gpunion_interface::mining::InstantiateMsg;
use gpunion_interface::mining::hashrate::WindowSchedule;
use gpunion_testing::{GUT, Suite, SuiteBuilder, attributes, default_mining_msg};

/// Windows of a minute.
const WINDOW: u64 = 60;
/// Solutions each provider finds per window, 64 expected hashes each.
const PER_WINDOW: u32 = 4;
/// Three windows of four solutions: 3 · 4 · 64 / 180 s, rounded down.
const REAL_HASHRATE: u128 = 4;

/// The market knows a mining contract proving over three windows of a minute at a fixed
/// 1-in-64 target.
fn suite() -> Suite {
    SuiteBuilder::default()
        .with_mining(InstantiateMsg {
            retarget_interval: 100_000,
            hashrate: Some(WindowSchedule {
                window_seconds: WINDOW,
                windows: 3,
            }),
            ..default_mining_msg()
        })
        .build()
}

/// A provider in Berlin at 1 GUT/h claiming `claimed` H/s.
fn provider(suite: &mut Suite, name: &str, claimed: u128) -> Addr {
    let mut claims = attributes(1, GUT);
    claims.x16s_hashrate = Uint128::new(claimed);
    suite.add_provider(name, claims)
}

/// `windows` windows in which each of `miners` finds [`PER_WINDOW`] solutions and
/// heartbeats.
fn mine_windows(suite: &mut Suite, miners: &[&Addr], windows: u32) {
    let now = suite.now();
    suite.advance(WINDOW - now % WINDOW);
    for _ in 0..windows {
        for _ in 0..PER_WINDOW {
            for miner in miners {
                suite.mine(miner).expect("valid solution");
            }
        }
        suite.advance(WINDOW);
        for miner in miners {
            suite.heartbeat(miner).expect("heartbeat");
        }
    }
}

fn recommend(suite: &Suite, min_ratio: Option<u64>) -> StdResult<RecommendResponse> {
    suite.query_endorsement(&QueryMsg::Recommend(RecommendRequest {
        country: "DE".into(),
        geohash: "u33db".into(),
        gpu_model: None,
        min_memory_mib: None,
        min_gpu_count: None,
        max_price_per_hour: Uint128::new(2 * GUT),
        limit: None,
        min_hashrate_ratio_permille: min_ratio,
    }))
}

#[test]
fn a_provider_claiming_ten_times_its_hashrate_ranks_below_an_honest_one() {
    let mut suite = suite();
    let honest = provider(&mut suite, "honest", REAL_HASHRATE);
    let liar = provider(&mut suite, "liar", 10 * REAL_HASHRATE);
    // Before any proof the two are alike.
    let (h, l) = (suite.get_reputation(&honest), suite.get_reputation(&liar));
    assert_eq!(
        (h.hardware_part, l.hardware_part),
        (Decimal::zero(), Decimal::zero())
    );
    assert_eq!(h.score, l.score);

    // The same real hashrate, mined over three windows.
    mine_windows(&mut suite, &[&honest, &liar], 3);
    let (h, l) = (suite.get_reputation(&honest), suite.get_reputation(&liar));
    let (hp, lp) = (h.hashrate.expect("proof"), l.hashrate.expect("proof"));
    assert_eq!((hp.proven, hp.claimed), (Uint128::new(4), Uint128::new(4)));
    assert_eq!((lp.proven, lp.claimed), (Uint128::new(4), Uint128::new(40)));
    assert_eq!((hp.ratio_permille, lp.ratio_permille), (1_000, 100));
    assert_eq!(h.hardware_part, Decimal::one());
    assert_eq!(l.hardware_part, Decimal::permille(100));
    // Everything else equal, the liar loses 0.15 · (1 − 0.1).
    assert_eq!(h.score - l.score, Decimal::permille(135));

    let ranked = recommend(&suite, None).unwrap().recommendations;
    let order: Vec<&Addr> = ranked.iter().map(|r| &r.provider).collect();
    assert_eq!(order, vec![&honest, &liar]);
    assert!(ranked[0].score > ranked[1].score);
    assert_eq!(
        ranked[1].hashrate.as_ref().map(|p| p.ratio_permille),
        Some(100)
    );

    // A customer may ask for hardware it can believe.
    let believable = recommend(&suite, Some(500)).unwrap().recommendations;
    assert_eq!(
        believable.iter().map(|r| &r.provider).collect::<Vec<_>>(),
        vec![&honest]
    );
}

#[test]
fn a_proof_fades_when_mining_stops() {
    let mut suite = suite();
    let honest = provider(&mut suite, "honest", REAL_HASHRATE);
    mine_windows(&mut suite, &[&honest], 3);
    assert_eq!(suite.get_reputation(&honest).hardware_part, Decimal::one());
    // Three idle windows later the period holds no solution.
    suite.advance(3 * WINDOW);
    suite.heartbeat(&honest).unwrap();
    let idle = suite.get_reputation(&honest);
    assert_eq!(idle.hardware_part, Decimal::zero());
    assert_eq!(idle.hashrate.map(|p| p.proven), Some(Uint128::zero()));
    assert!(
        recommend(&suite, Some(1))
            .unwrap()
            .recommendations
            .is_empty()
    );
}

#[test]
fn without_a_mining_contract_nothing_is_proven() {
    let mut suite = SuiteBuilder::default().build();
    let honest = provider(&mut suite, "honest", REAL_HASHRATE);
    let reputation = suite.get_reputation(&honest);
    assert_eq!(reputation.hashrate, None);
    assert_eq!(reputation.hardware_part, Decimal::zero());
    assert_eq!(recommend(&suite, None).unwrap().recommendations.len(), 1);
    assert!(
        recommend(&suite, Some(1))
            .unwrap()
            .recommendations
            .is_empty()
    );
}

#[test]
fn a_minimum_ratio_above_one_is_refused() {
    let suite = suite();
    let err = recommend(&suite, Some(1_001)).unwrap_err().to_string();
    assert!(err.contains("min_hashrate_ratio_permille"), "{err}");
    assert!(recommend(&suite, Some(1_000)).is_ok());
}

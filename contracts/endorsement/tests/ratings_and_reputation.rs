//! Ratings, endorsements, slashing, the reputation formula (the README's worked example)
//! and recommendations on a cw-multi-test chain with GUT and the market.

use cosmwasm_std::{Decimal, Uint128};
use endorsement::ContractError;
use gpunion_interface::endorsement::{
    Attribute, Endorsement, Endorser, ExecuteMsg, QueryMsg, Rating, RecommendRequest,
    RecommendResponse,
};
use gpunion_interface::mining::InstantiateMsg;
use gpunion_interface::mining::hashrate::WindowSchedule;
use gpunion_interface::validate::InputError;
use gpunion_testing::{GUT, Suite, SuiteBuilder, attributes, default_mining_msg, endorsement_err};

const PRICE: u128 = 3_600_000;

fn endorse(
    suite: &mut Suite,
    endorser: &cosmwasm_std::Addr,
    provider: &cosmwasm_std::Addr,
    attribute: Attribute,
    claim: &str,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    suite.endorse_execute(
        endorser,
        &ExecuteMsg::Endorse {
            provider: provider.to_string(),
            attribute,
            claim: claim.into(),
        },
    )
}

#[test]
fn only_the_customer_of_a_finished_lease_rates_once() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let stranger = suite.addr("stranger");

    // A running lease cannot be rated yet.
    let request = suite.lease_request(&provider, 3600, PRICE);
    let running = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, running).unwrap();
    assert_eq!(
        endorsement_err(suite.rate(&customer, running, 5).unwrap_err()),
        ContractError::LeaseNotFinished { id: running }
    );
    suite.close(&customer, running).unwrap();

    // A lease cancelled before acceptance was never served.
    let request = suite.lease_request(&provider, 3600, PRICE);
    let cancelled = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.close(&customer, cancelled).unwrap();
    assert_eq!(
        endorsement_err(suite.rate(&customer, cancelled, 1).unwrap_err()),
        ContractError::LeaseNotFinished { id: cancelled }
    );

    let id = suite.served_lease(&customer, &provider, 1800, PRICE);
    assert_eq!(
        endorsement_err(suite.rate(&stranger, id, 5).unwrap_err()),
        ContractError::NotLeaseCustomer { id }
    );
    for score in [0, 6] {
        assert_eq!(
            endorsement_err(suite.rate(&customer, id, score).unwrap_err()),
            ContractError::InvalidScore { score }
        );
    }
    let bad_comment = ExecuteMsg::Rate {
        lease_id: id,
        score: 4,
        comment_cid: Some("not-a-cid".into()),
    };
    assert!(matches!(
        endorsement_err(suite.endorse_execute(&customer, &bad_comment).unwrap_err()),
        ContractError::Input(InputError::Malformed {
            field: "comment cid",
            ..
        })
    ));
    assert_eq!(
        endorsement_err(suite.rate(&customer, 999, 5).unwrap_err()),
        ContractError::LeaseNotFound { id: 999 }
    );

    suite.rate(&customer, id, 5).unwrap();
    assert_eq!(
        endorsement_err(suite.rate(&customer, id, 4).unwrap_err()),
        ContractError::AlreadyRated { id }
    );
    let rating: Option<Rating> = suite
        .query_endorsement(&QueryMsg::Rating { lease_id: id })
        .unwrap();
    let rating = rating.unwrap();
    assert_eq!((rating.score, rating.weight.u128()), (5, PRICE / 2));
    let ratings: Vec<Rating> = suite
        .query_endorsement(&QueryMsg::Ratings {
            provider: provider.to_string(),
            start_before: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(ratings.len(), 1);
    let reputation = suite.get_reputation(&provider);
    assert_eq!(reputation.ratings, 1);
    assert!(reputation.rating_average > Decimal::percent(300));
}

#[test]
fn expired_leases_can_be_rated_and_pull_reputation_down() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    suite.advance(301);
    suite.expire(&customer, id).unwrap();
    let before = suite.get_reputation(&provider);
    suite.rate(&customer, id, 1).unwrap();
    let after = suite.get_reputation(&provider);
    assert!(after.rating_average < Decimal::percent(300));
    assert!(after.score < before.score);
    // Reliability from the market: (0 + 1) / (0 + 1 + 0 + 2).
    assert_eq!(after.reliability_part, Decimal::permille(333));
}

#[test]
fn endorsers_stake_attest_revoke_and_get_slashed() {
    let mut suite = SuiteBuilder::default()
        .with_funds("auditor", 2_000 * GUT)
        .with_funds("novice", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let (auditor, novice) = (suite.addr("auditor"), suite.addr("novice"));

    assert_eq!(
        endorsement_err(
            endorse(
                &mut suite,
                &auditor,
                &provider,
                Attribute::GpuModel,
                "NVIDIA RTX 4090"
            )
            .unwrap_err()
        ),
        ContractError::NotEndorser {
            address: auditor.clone()
        }
    );
    assert_eq!(
        endorsement_err(suite.bond_endorser(&novice, 100 * GUT).unwrap_err()),
        ContractError::StakeTooLow {
            stake: Uint128::new(100 * GUT),
            min: Uint128::new(500 * GUT)
        }
    );
    suite.bond_endorser(&auditor, 2_000 * GUT).unwrap();

    assert_eq!(
        endorsement_err(
            endorse(
                &mut suite,
                &auditor,
                &provider,
                Attribute::GpuModel,
                "NVIDIA H100"
            )
            .unwrap_err()
        ),
        ContractError::ClaimMismatch {
            attribute: Attribute::GpuModel,
            claim: "NVIDIA H100".into(),
            declared: "NVIDIA RTX 4090".into(),
        }
    );
    let nobody = suite.addr("nobody");
    assert_eq!(
        endorsement_err(
            endorse(&mut suite, &auditor, &nobody, Attribute::Region, "DE").unwrap_err()
        ),
        ContractError::ProviderNotFound {
            address: nobody.to_string()
        }
    );
    endorse(
        &mut suite,
        &auditor,
        &provider,
        Attribute::GpuModel,
        "nvidia rtx 4090",
    )
    .unwrap();
    endorse(&mut suite, &auditor, &provider, Attribute::Region, "DE").unwrap();
    assert_eq!(
        endorsement_err(
            endorse(&mut suite, &auditor, &provider, Attribute::Region, "DE").unwrap_err()
        ),
        ContractError::AlreadyEndorsed {
            provider: provider.clone(),
            attribute: Attribute::Region
        }
    );
    // One endorser counts once: 2,000 of 10,000 GUT.
    let reputation = suite.get_reputation(&provider);
    assert_eq!(reputation.endorsing_stake.u128(), 2_000 * GUT);
    assert_eq!(reputation.endorsement_part, Decimal::percent(20));
    let list: Vec<Endorsement> = suite
        .query_endorsement(&QueryMsg::Endorsements {
            provider: provider.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(list.len(), 2);

    suite
        .endorse_execute(
            &auditor,
            &ExecuteMsg::Revoke {
                provider: provider.to_string(),
                attribute: Attribute::GpuModel,
            },
        )
        .unwrap();
    assert_eq!(
        endorsement_err(
            suite
                .endorse_execute(&auditor, &ExecuteMsg::Unbond {})
                .unwrap_err()
        ),
        ContractError::HasEndorsements {
            address: auditor.clone(),
            count: 1
        }
    );

    // The region attestation is shown false: the owner slashes half the stake to the treasury.
    let treasury_before = suite.balance(&suite.treasury.clone());
    let owner = suite.owner.clone();
    suite
        .endorse_execute(
            &owner,
            &ExecuteMsg::Slash {
                endorser: auditor.to_string(),
                provider: provider.to_string(),
                attribute: Attribute::Region,
                fraction: Decimal::percent(50),
            },
        )
        .unwrap();
    assert_eq!(
        suite.balance(&suite.treasury.clone()),
        treasury_before + 1_000 * GUT
    );
    let record: Option<Endorser> = suite
        .query_endorsement(&QueryMsg::Endorser {
            address: auditor.to_string(),
        })
        .unwrap();
    let record = record.unwrap();
    assert_eq!(
        (
            record.stake.u128(),
            record.slashed.u128(),
            record.endorsements
        ),
        (1_000 * GUT, 1_000 * GUT, 0)
    );
    assert_eq!(
        suite.get_reputation(&provider).endorsement_part,
        Decimal::zero()
    );

    // Unbond, wait, claim.
    suite
        .endorse_execute(&auditor, &ExecuteMsg::Unbond {})
        .unwrap();
    assert!(matches!(
        endorsement_err(
            suite
                .endorse_execute(&auditor, &ExecuteMsg::ClaimStake {})
                .unwrap_err()
        ),
        ContractError::StillUnbonding { .. }
    ));
    suite.advance(7 * 86_400);
    suite
        .endorse_execute(&auditor, &ExecuteMsg::ClaimStake {})
        .unwrap();
    assert_eq!(suite.balance(&auditor), 1_000 * GUT);
}

/// The README's worked example, step by step.
#[test]
fn reputation_follows_the_documented_formula() {
    // Proofs over two windows of 60 s at a fixed 1-in-64 target (no retargets).
    let mining = InstantiateMsg {
        retarget_interval: 100_000,
        hashrate: Some(WindowSchedule {
            window_seconds: 60,
            windows: 2,
        }),
        ..default_mining_msg()
    };
    let mut suite = SuiteBuilder::default()
        .with_funds("auditor", 2_000 * GUT)
        .with_mining(mining)
        .build();
    // 100 GUT per hour; claims 10 H/s.
    let mut claims = attributes(1, 100 * GUT);
    claims.x16s_hashrate = Uint128::new(10);
    let provider = suite.add_provider("provider", claims);
    let customer = suite.addr("customer");
    let auditor = suite.addr("auditor");
    let old = suite.served_lease(&customer, &provider, 3600, 100 * GUT); // 100 GUT
    let new = suite.served_lease(&customer, &provider, 7200, 100 * GUT); // 200 GUT
    suite.rate(&customer, old, 2).unwrap();
    suite.advance(180 * 86_400 - 60);
    // 15 solutions of 64 expected hashes in one window, complete a minute later.
    for _ in 0..15 {
        suite.mine(&provider).unwrap();
    }
    suite.advance(60);
    suite.rate(&customer, new, 5).unwrap();
    suite.bond_endorser(&auditor, 2_000 * GUT).unwrap();
    suite.heartbeat(&provider).unwrap();
    endorse(
        &mut suite,
        &auditor,
        &provider,
        Attribute::GpuModel,
        "NVIDIA RTX 4090",
    )
    .unwrap();

    let r = suite.get_reputation(&provider);
    // S = 5·200 + 2·(100·0.25) = 1050 GUT·stars, W = 225 GUT, C = 100 GUT.
    assert_eq!(r.rating_average, Decimal::from_ratio(1350u128, 325u128)); // 4.1538…
    assert_eq!(
        r.rating_part,
        (Decimal::from_ratio(1350u128, 325u128) - Decimal::one()) / Uint128::new(4)
    );
    assert_eq!(r.reliability_part, Decimal::percent(75)); // (2 + 1) / (2 + 2)
    assert_eq!(r.endorsement_part, Decimal::percent(20)); // 2,000 / 10,000
    // 15 · 64 hashes / 120 s = 8 H/s proven of 10 claimed.
    let proof = r
        .hashrate
        .clone()
        .expect("the market knows the mining contract");
    assert_eq!(
        (proof.proven, proof.claimed),
        (Uint128::new(8), Uint128::new(10))
    );
    assert_eq!(proof.ratio_permille, 800);
    assert_eq!(r.hardware_part, Decimal::percent(80));
    // 0.5 · 0.78846 + 0.2 · 0.75 + 0.15 · 0.2 + 0.15 · 0.8 = 0.69423
    assert!(
        r.score > Decimal::from_ratio(6942u128, 10_000u128),
        "{}",
        r.score
    );
    assert!(
        r.score < Decimal::from_ratio(6943u128, 10_000u128),
        "{}",
        r.score
    );

    // Another half-life later the ratings weigh half as much against the prior.
    suite.advance(90 * 86_400);
    let later = suite.get_reputation(&provider);
    assert!(later.rating_average < r.rating_average);
    assert!(later.rating_average > Decimal::percent(300));
}

fn recommend(suite: &Suite, cap: u128, model: Option<&str>) -> RecommendResponse {
    suite
        .query_endorsement(&QueryMsg::Recommend(RecommendRequest {
            country: "DE".into(),
            geohash: "u33db".into(), // Berlin
            gpu_model: model.map(Into::into),
            min_memory_mib: Some(16_000),
            min_gpu_count: None,
            max_price_per_hour: Uint128::new(cap),
            limit: None,
            min_hashrate_ratio_permille: None,
        }))
        .unwrap()
}

#[test]
fn recommendations_rank_by_reputation_distance_and_price() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 1_000 * GUT)
        .build();
    let berlin = suite.add_provider("berlin", attributes(1, 2 * PRICE));
    let mut paris_attrs = attributes(1, PRICE);
    paris_attrs.region.country = "FR".into();
    paris_attrs.region.geohash = "u09tvw".into();
    let paris = suite.add_provider("paris", paris_attrs);
    let mut pricey = attributes(1, 10 * PRICE);
    pricey.region.geohash = "u33dc1".into();
    let expensive = suite.add_provider("expensive", pricey);
    let mut small = attributes(1, PRICE);
    small.memory_mib = 8_192;
    let small = suite.add_provider("small", small);
    let anyone = suite.addr("anyone");
    for provider in [&berlin, &paris, &expensive, &small] {
        suite
            .endorse_execute(
                &anyone,
                &ExecuteMsg::IndexProvider {
                    provider: provider.to_string(),
                },
            )
            .unwrap();
    }
    let unknown = suite.addr("unknown");
    assert_eq!(
        endorsement_err(
            suite
                .endorse_execute(
                    &anyone,
                    &ExecuteMsg::IndexProvider {
                        provider: unknown.to_string()
                    }
                )
                .unwrap_err()
        ),
        ContractError::ProviderNotFound {
            address: unknown.to_string()
        }
    );

    let response = recommend(&suite, 4 * PRICE, None);
    let ranked: Vec<_> = response
        .recommendations
        .iter()
        .map(|r| r.provider.clone())
        .collect();
    // Over the cap and too little memory are filtered; Berlin is close, Paris is cheap.
    assert_eq!(ranked.len(), 2);
    assert!(ranked.contains(&berlin) && ranked.contains(&paris));
    let b = response
        .recommendations
        .iter()
        .find(|r| r.provider == berlin)
        .unwrap();
    let p = response
        .recommendations
        .iter()
        .find(|r| r.provider == paris)
        .unwrap();
    assert!(b.distance_km < 10, "{}", b.distance_km);
    assert!((850..=910).contains(&p.distance_km), "{}", p.distance_km);
    assert_eq!(b.price_score, Decimal::percent(50));
    assert_eq!(p.price_score, Decimal::percent(75));
    assert_eq!(
        b.score,
        Decimal::percent(50) * b.reputation
            + Decimal::percent(30) * b.proximity
            + Decimal::percent(20) * b.price_score
    );
    assert_eq!(
        ranked[0], berlin,
        "proximity outweighs the price difference here"
    );

    // Good ratings move Paris ahead; a disconnected provider drops out.
    let customer = suite.addr("customer");
    for _ in 0..3 {
        let id = suite.served_lease(&customer, &paris, 3600, PRICE);
        suite.rate(&customer, id, 5).unwrap();
    }
    suite.advance(301);
    suite.heartbeat(&paris).unwrap();
    let response = recommend(&suite, 4 * PRICE, Some("nvidia rtx 4090"));
    let ranked: Vec<_> = response
        .recommendations
        .iter()
        .map(|r| r.provider.clone())
        .collect();
    assert_eq!(
        ranked,
        vec![paris.clone()],
        "Berlin went Disconnect while Paris served"
    );
    suite.heartbeat(&berlin).unwrap();
    let response = recommend(&suite, 4 * PRICE, None);
    assert_eq!(response.recommendations[0].provider, berlin);
    assert!(response.recommendations[1].reputation > response.recommendations[0].reputation);
}

#[test]
fn recommendations_read_a_bounded_number_of_candidates() {
    let mut suite = SuiteBuilder::default().build();
    let anyone = suite.addr("anyone");
    for i in 0..40 {
        let provider = suite.add_provider(&format!("p{i}"), attributes(1, PRICE + i));
        suite
            .endorse_execute(
                &anyone,
                &ExecuteMsg::IndexProvider {
                    provider: provider.to_string(),
                },
            )
            .unwrap();
    }
    let response = recommend(&suite, 4 * PRICE, None);
    assert_eq!(response.candidates_read, 30);
    assert_eq!(response.recommendations.len(), 5);
    assert!(
        response
            .recommendations
            .windows(2)
            .all(|w| w[0].score >= w[1].score)
    );
}

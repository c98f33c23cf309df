//! Cheaper paths through ratings, endorsements and recommendations, each closed: a rating
//! weighed by a deposit nobody paid out, an endorser revoking out of a slash, one stake
//! lent in full to many providers, an attestation outliving the value it attested, an
//! index blind to new providers and starved by dead ones.

use cosmwasm_std::{Addr, Decimal, Uint128};
use endorsement::ContractError;
use gpunion_interface::endorsement::{
    Attribute, EndorsementParams, ExecuteMsg, QueryMsg, RecommendRequest, RecommendResponse,
};
use gpunion_interface::market::ExecuteMsg as MarketMsg;
use gpunion_testing::{
    GUT, Suite, SuiteBuilder, attributes, default_endorsement_params, endorsement_err,
};

const PRICE: u128 = 3_600_000;

fn endorse(suite: &mut Suite, endorser: &Addr, provider: &Addr, attribute: Attribute, claim: &str) {
    suite
        .endorse_execute(
            endorser,
            &ExecuteMsg::Endorse {
                provider: provider.to_string(),
                attribute,
                claim: claim.into(),
            },
        )
        .unwrap();
}

/// `endorser` attests `provider`'s GPU model, the suite's "NVIDIA RTX 4090".
fn endorse_model(suite: &mut Suite, endorser: &Addr, provider: &Addr) {
    endorse(
        suite,
        endorser,
        provider,
        Attribute::GpuModel,
        "NVIDIA RTX 4090",
    );
}

fn recommend_in(suite: &Suite, country: &str) -> RecommendResponse {
    suite
        .query_endorsement(&QueryMsg::Recommend(RecommendRequest {
            country: country.into(),
            geohash: "u33db".into(),
            gpu_model: None,
            min_memory_mib: None,
            min_gpu_count: None,
            max_price_per_hour: Uint128::new(4 * PRICE),
            limit: None,
            min_hashrate_ratio_permille: None,
        }))
        .unwrap()
}

fn update_params(suite: &mut Suite, params: EndorsementParams) {
    let owner = suite.owner.clone();
    suite
        .endorse_execute(&owner, &ExecuteMsg::UpdateParams { params })
        .unwrap();
}

#[test]
fn a_rating_weighs_what_the_provider_was_paid() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 1_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, 100 * GUT));
    let customer = suite.addr("customer");
    // A 100 GUT lease accepted and closed at once: nothing paid, nothing to weigh.
    let request = suite.lease_request(&provider, 3600, 100 * GUT);
    let id = suite.open_lease(&customer, 100 * GUT, request).unwrap();
    suite.accept(&provider, id).unwrap();
    suite.close(&customer, id).unwrap();
    suite.rate(&customer, id, 5).unwrap();
    let rating: Option<gpunion_interface::endorsement::Rating> = suite
        .query_endorsement(&QueryMsg::Rating { lease_id: id })
        .unwrap();
    assert_eq!(rating.unwrap().weight, Uint128::zero());
    assert_eq!(
        suite.get_reputation(&provider).rating_average,
        Decimal::percent(300)
    );
}

#[test]
fn a_revoked_attestation_stays_slashable_through_the_unbonding_period() {
    let mut suite = SuiteBuilder::default()
        .with_funds("endorser", 1_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let endorser = suite.addr("endorser");
    let owner = suite.owner.clone();
    suite.bond_endorser(&endorser, 1_000 * GUT).unwrap();
    endorse_model(&mut suite, &endorser, &provider);

    // The owner shortens unbonding; the endorser revokes and unbonds at once.
    let mut params = default_endorsement_params();
    let window = params.unbonding_seconds;
    params.unbonding_seconds = 0;
    update_params(&mut suite, params);
    let revoke = ExecuteMsg::Revoke {
        provider: provider.to_string(),
        attribute: Attribute::GpuModel,
    };
    suite.endorse_execute(&endorser, &revoke).unwrap();
    suite
        .endorse_execute(&endorser, &ExecuteMsg::Unbond {})
        .unwrap();
    let revoked_at = suite.now();
    assert_eq!(
        endorsement_err(
            suite
                .endorse_execute(&endorser, &ExecuteMsg::ClaimStake {})
                .unwrap_err()
        ),
        ContractError::StillUnbonding {
            until: revoked_at + window,
            now: revoked_at,
        }
    );
    // Within the window the false attestation is still slashed.
    suite.advance(window - 10);
    let slash = ExecuteMsg::Slash {
        endorser: endorser.to_string(),
        provider: provider.to_string(),
        attribute: Attribute::GpuModel,
        fraction: Decimal::percent(50),
    };
    suite.endorse_execute(&owner, &slash).unwrap();
    suite.advance(10);
    suite
        .endorse_execute(&endorser, &ExecuteMsg::ClaimStake {})
        .unwrap();
    assert_eq!(suite.balance(&endorser), 500 * GUT);
}

#[test]
fn one_stake_is_split_between_the_providers_it_endorses() {
    let mut suite = SuiteBuilder::default()
        .with_funds("endorser", 1_000 * GUT)
        .build();
    let endorser = suite.addr("endorser");
    suite.bond_endorser(&endorser, 1_000 * GUT).unwrap();
    let providers: Vec<Addr> = (0..10)
        .map(|i| suite.add_provider(&format!("p{i}"), attributes(1, PRICE)))
        .collect();
    for provider in &providers {
        endorse_model(&mut suite, &endorser, provider);
    }
    // Two attributes of one provider still lend that provider one share.
    endorse(
        &mut suite,
        &endorser,
        &providers[0],
        Attribute::Region,
        "DE",
    );
    for provider in &providers {
        assert_eq!(
            suite.get_reputation(provider).endorsing_stake,
            Uint128::new(100 * GUT)
        );
    }
}

#[test]
fn an_attestation_lapses_when_the_attested_value_changes() {
    let mut suite = SuiteBuilder::default()
        .with_funds("endorser", 1_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let endorser = suite.addr("endorser");
    suite.bond_endorser(&endorser, 1_000 * GUT).unwrap();
    endorse_model(&mut suite, &endorser, &provider);
    assert_eq!(
        suite.get_reputation(&provider).endorsing_stake,
        Uint128::new(1_000 * GUT)
    );
    let mut changed = attributes(1, PRICE);
    changed.gpu_model = "NVIDIA RTX 3060".into();
    suite
        .execute(
            &provider,
            &MarketMsg::UpdateProvider {
                attributes: changed,
            },
        )
        .unwrap();
    assert_eq!(
        suite.get_reputation(&provider).endorsing_stake,
        Uint128::zero()
    );
    // Changing back does not revive it: the endorser attested what it saw then.
    suite
        .execute(
            &provider,
            &MarketMsg::UpdateProvider {
                attributes: attributes(1, PRICE),
            },
        )
        .unwrap();
    assert_eq!(
        suite.get_reputation(&provider).endorsing_stake,
        Uint128::zero()
    );
}

#[test]
fn the_index_follows_registration_and_updates() {
    let mut suite = SuiteBuilder::default().build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let found = recommend_in(&suite, "DE");
    assert_eq!(found.recommendations.len(), 1, "indexed on registration");
    let mut moved = attributes(1, PRICE);
    moved.region.country = "FR".into();
    moved.region.geohash = "u09tvw".into();
    suite
        .execute(&provider, &MarketMsg::UpdateProvider { attributes: moved })
        .unwrap();
    // Germany's country walk no longer lists it (found once, in the global walk);
    // France's does (found twice: in France, then in the global walk).
    let de = recommend_in(&suite, "DE");
    assert_eq!((de.recommendations.len(), de.candidates_read), (1, 1));
    let fr = recommend_in(&suite, "FR");
    assert_eq!((fr.recommendations.len(), fr.candidates_read), (1, 2));
}

#[test]
fn dead_providers_do_not_starve_recommendations() {
    let mut suite = SuiteBuilder::default()
        .with_funds("endorser", 1_000 * GUT)
        .build();
    let endorser = suite.addr("endorser");
    suite.bond_endorser(&endorser, 1_000 * GUT).unwrap();
    let live = suite.add_provider("live", attributes(1, PRICE));
    let dead: Vec<Addr> = (0..30)
        .map(|i| suite.add_provider(&format!("dead{i}"), attributes(1, PRICE)))
        .collect();
    // Endorsed, the dead ones outrank the live one in the index.
    for provider in &dead {
        endorse_model(&mut suite, &endorser, provider);
    }
    suite.advance(301);
    suite.heartbeat(&live).unwrap();
    let anyone = suite.addr("anyone");
    suite
        .endorse_execute(
            &anyone,
            &ExecuteMsg::IndexProvider {
                provider: live.to_string(),
            },
        )
        .unwrap();
    let response = recommend_in(&suite, "DE");
    let ranked: Vec<Addr> = response
        .recommendations
        .iter()
        .map(|r| r.provider.clone())
        .collect();
    assert_eq!(ranked, vec![live]);
    // Each walk (Germany, then everywhere) reads the 31 entries; at most 100 are read.
    assert_eq!(response.candidates_read, 62);
}

//! Bad input to the endorsement contract: typed errors, nothing stored.

use cosmwasm_std::Uint128;
use endorsement::ContractError;
use gpunion_interface::endorsement::{
    Attribute, Endorsement, ExecuteMsg, QueryMsg, RecommendRequest, RecommendResponse,
};
use gpunion_interface::validate::InputError;
use gpunion_testing::{GUT, SuiteBuilder, attributes, endorsement_err, invalid_address};

#[test]
fn over_long_claims_and_invalid_addresses_are_rejected() {
    let mut suite = SuiteBuilder::default()
        .with_funds("auditor", 1_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, 3_600_000));
    let auditor = suite.addr("auditor");
    suite.bond_endorser(&auditor, 1_000 * GUT).unwrap();
    let long = ExecuteMsg::Endorse {
        provider: provider.to_string(),
        attribute: Attribute::GpuModel,
        claim: "x".repeat(65),
    };
    assert_eq!(
        endorsement_err(suite.endorse_execute(&auditor, &long).unwrap_err()),
        ContractError::Input(InputError::TooLong {
            field: "claim",
            len: 65,
            max: 64
        })
    );
    let invalid = ExecuteMsg::Endorse {
        provider: "not an address".into(),
        attribute: Attribute::GpuModel,
        claim: "NVIDIA RTX 4090".into(),
    };
    assert_eq!(
        endorsement_err(suite.endorse_execute(&auditor, &invalid).unwrap_err()),
        ContractError::InvalidAddress(invalid_address("not an address"))
    );
    let stored: Vec<Endorsement> = suite
        .query_endorsement(&QueryMsg::Endorsements {
            provider: provider.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert!(stored.is_empty());
}

#[test]
fn recommendation_requests_are_validated() {
    let suite = SuiteBuilder::default().build();
    let request = |country: &str, geohash: &str, cap: u128| {
        suite.query_endorsement::<RecommendResponse>(&QueryMsg::Recommend(RecommendRequest {
            country: country.into(),
            geohash: geohash.into(),
            gpu_model: None,
            min_memory_mib: None,
            min_gpu_count: None,
            max_price_per_hour: Uint128::new(cap),
            limit: None,
            min_hashrate_ratio_permille: None,
        }))
    };
    let message =
        |result: cosmwasm_std::StdResult<RecommendResponse>| result.unwrap_err().to_string();
    assert!(message(request("de", "u33db", 1)).contains("country"));
    assert!(message(request("DE", "u33a", 1)).contains("geohash"));
    assert!(message(request("DE", "u33db", 0)).contains("max_price_per_hour"));
    assert!(
        request("DE", "u33db", 1)
            .unwrap()
            .recommendations
            .is_empty()
    );
}

//! Proven hashrates in the market's provider responses: the mining contract the owner
//! names vouches for each provider's claim with its miner's record.

use cosmwasm_std::Uint128;
use gpunion_interface::market::{ExecuteMsg, ProviderFilter, ProvidersResponse, QueryMsg};
use gpunion_interface::mining::InstantiateMsg;
use gpunion_interface::mining::hashrate::WindowSchedule;
use gpunion_testing::{SuiteBuilder, attributes, default_mining_msg, market_err};
use market::ContractError;

const PRICE: u128 = 3_600_000;

fn windowed_mining() -> InstantiateMsg {
    InstantiateMsg {
        retarget_interval: 100_000,
        hashrate: Some(WindowSchedule {
            window_seconds: 60,
            windows: 1,
        }),
        ..default_mining_msg()
    }
}

#[test]
fn a_provider_response_shows_what_its_consenting_miner_proves() {
    let mut suite = SuiteBuilder::default()
        .with_mining(windowed_mining())
        .build();
    let (rig, big) = (suite.addr("rig"), suite.addr("big"));
    suite
        .execute(
            &rig,
            &ExecuteMsg::ConsentMiningLink {
                provider: big.to_string(),
            },
        )
        .unwrap();
    let mut claims = attributes(1, PRICE);
    claims.x16s_hashrate = Uint128::new(10);
    claims.mining_address = Some(rig.to_string());
    suite.add_provider("big", claims);
    let solo = suite.add_provider("solo", attributes(1, PRICE));

    let now = suite.now();
    suite.advance(60 - now % 60);
    for _ in 0..5 {
        suite.mine(&rig).unwrap();
    }
    suite.advance(60);
    suite.heartbeat(&big).unwrap();
    // 5 · 64 hashes in 60 s: 5 H/s of the 10 claimed.
    let proof = suite.get_provider(&big).hashrate.expect("a proof");
    assert_eq!(proof.miner, rig);
    assert_eq!(
        (proof.proven, proof.claimed),
        (Uint128::new(5), Uint128::new(10))
    );
    assert_eq!(proof.ratio_permille, 500);
    assert_eq!(proof.until - proof.from, 60);
    // A provider that never mined proves nothing of its claim.
    let none = suite.get_provider(&solo).hashrate.expect("a proof");
    assert_eq!(
        (none.miner.clone(), none.proven, none.ratio_permille),
        (solo, Uint128::zero(), 0)
    );
    // The list answers with the same proofs.
    let listed: ProvidersResponse = suite.query(&QueryMsg::Providers {
        filter: Some(ProviderFilter::default()),
        start_after: None,
        limit: None,
    });
    assert!(listed.providers.iter().all(|p| p.hashrate.is_some()));
}

#[test]
fn only_the_owner_names_a_mining_contract_and_it_must_be_one() {
    let mut suite = SuiteBuilder::default().build();
    let provider = suite.add_provider("p", attributes(1, PRICE));
    assert_eq!(suite.get_provider(&provider).hashrate, None);
    let (owner, stranger, gut) = (
        suite.owner.clone(),
        suite.addr("stranger"),
        suite.gut.clone(),
    );
    let set = |mining: &str| ExecuteMsg::SetMining {
        mining: Some(mining.to_string()),
    };
    assert_eq!(
        market_err(suite.execute(&stranger, &set(gut.as_str())).unwrap_err()),
        ContractError::NotOwner
    );
    assert_eq!(
        market_err(suite.execute(&owner, &set(gut.as_str())).unwrap_err()),
        ContractError::NotMiningContract {
            address: gut.to_string()
        }
    );
    assert!(matches!(
        market_err(suite.execute(&owner, &set("not an address")).unwrap_err()),
        ContractError::InvalidAddress(_)
    ));
    suite
        .execute(&owner, &ExecuteMsg::SetMining { mining: None })
        .unwrap();
    assert_eq!(suite.get_provider(&provider).hashrate, None);
}

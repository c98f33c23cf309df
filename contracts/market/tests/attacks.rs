//! Cheaper paths someone might take through the market, each closed: a lease closed at
//! once counted as completed, a disconnected provider closing its own lease, a fully
//! served lease slashed, terms (the market's or the provider's price) changed under
//! open leases, a chain halt turned against providers, a borrowed mining record, and
//! listings that read more than they return.

use cosmwasm_std::{Addr, Decimal};
use gpunion_interface::market::{
    ExecuteMsg, LeaseState, ProviderFilter, ProviderStatus, ProvidersResponse, QueryMsg,
};
use gpunion_testing::{GUT, Suite, SuiteBuilder, attributes, default_params, market_err};
use market::ContractError;

/// 3.6 GUT per hour: 1,000 ugut per second.
const PRICE: u128 = 3_600_000;
const STAKE: u128 = 1_000 * GUT;

/// A suite whose customer (100 GUT) has a lease of `duration` s at [`PRICE`] accepted by
/// a one-GPU provider: (suite, provider, customer, lease id).
fn accepted_lease(duration: u64, deposit: u128) -> (Suite, Addr, Addr, u64) {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, duration, PRICE);
    let id = suite.open_lease(&customer, deposit, request).unwrap();
    suite.accept(&provider, id).unwrap();
    (suite, provider, customer, id)
}

#[test]
fn a_lease_closed_at_once_is_not_a_completed_lease() {
    let (mut suite, provider, customer, id) = accepted_lease(3600, PRICE);
    suite.advance(5);
    suite.heartbeat(&provider).unwrap();
    suite.close(&customer, id).unwrap();
    let stats = suite.get_provider(&provider).provider.stats;
    assert_eq!(
        stats.completed_leases, 0,
        "5 s of a 1 h lease is no track record"
    );

    // Half the booked time served counts.
    let request = suite.lease_request(&provider, 1000, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    suite.advance(250);
    suite.heartbeat(&provider).unwrap();
    suite.advance(250);
    suite.heartbeat(&provider).unwrap();
    suite.close(&provider, id).unwrap();
    let stats = suite.get_provider(&provider).provider.stats;
    assert_eq!(stats.completed_leases, 1);
    suite.assert_escrow_invariant();
}

#[test]
fn a_provider_past_its_grace_closing_its_lease_settles_an_expiry() {
    let (mut suite, provider, customer, id) = accepted_lease(3600, PRICE);
    suite.advance(200);
    suite.heartbeat(&provider).unwrap();
    suite.advance(400);
    // Expirable now; the provider tries to close instead.
    suite.close(&provider, id).unwrap();
    let lease = suite.get_lease(id).lease;
    assert_eq!(lease.state, LeaseState::Expired);
    assert_eq!(lease.paid_to_provider.u128(), 200_000);
    let record = suite.get_provider(&provider).provider;
    assert_eq!(record.stake.u128(), STAKE - STAKE / 10);
    assert_eq!(record.stats.expired_leases, 1);
    assert_eq!(record.stats.completed_leases, 0);
    assert_eq!(suite.balance(&customer), 100 * GUT - 200_000 + STAKE / 10);
    suite.assert_escrow_invariant();
}

#[test]
fn a_fully_served_lease_is_not_slashed_when_the_provider_goes_offline_after_it() {
    let deposit = 500_000;
    let (mut suite, provider, customer, id) = accepted_lease(500, deposit);
    let stranger = suite.addr("stranger");
    suite.advance(250);
    suite.heartbeat(&provider).unwrap();
    suite.advance(250);
    suite.heartbeat(&provider).unwrap();
    // Served to the end, then offline before closing.
    suite.advance(1000);
    suite.expire(&stranger, id).unwrap();
    let lease = suite.get_lease(id).lease;
    assert_eq!(lease.paid_to_provider.u128(), deposit);
    assert_eq!(lease.state, LeaseState::Closed);
    let record = suite.get_provider(&provider).provider;
    assert_eq!(record.stake.u128(), STAKE, "nothing due went unserved");
    assert_eq!(record.stats.expired_leases, 0);
    assert_eq!(record.stats.completed_leases, 1);
    assert_eq!(suite.balance(&customer), 100 * GUT - deposit);
    suite.assert_escrow_invariant();
}

#[test]
fn an_open_lease_keeps_the_terms_it_was_opened_with() {
    let (mut suite, provider, _, id) = accepted_lease(3600, PRICE);
    let owner = suite.owner.clone();

    let mut params = default_params();
    params.protocol_fee = Decimal::percent(10);
    params.slash_fraction = Decimal::percent(100);
    params.heartbeat_grace_seconds = 30;
    suite
        .execute(&owner, &ExecuteMsg::UpdateParams { params })
        .unwrap();

    // Heartbeats 200 s apart: within the lease's 300 s grace, not the new 30 s.
    suite.advance(200);
    suite.heartbeat(&provider).unwrap();
    suite.advance(200);
    let stranger = suite.addr("stranger");
    assert!(matches!(
        market_err(suite.expire(&stranger, id).unwrap_err()),
        ContractError::ProviderNotDisconnected { .. }
    ));
    suite.heartbeat(&provider).unwrap();
    suite.withdraw(&provider, id).unwrap();
    // 400 s at 1,000 ugut/s, the lease's 2% fee.
    assert_eq!(suite.balance(&provider), 400_000 - 8_000);

    suite.advance(400);
    suite.expire(&stranger, id).unwrap();
    let record = suite.get_provider(&provider).provider;
    assert_eq!(
        record.stake.u128(),
        STAKE - STAKE / 10,
        "the lease's 10% slash"
    );
    suite.assert_escrow_invariant();
}

#[test]
fn a_provider_raising_its_price_charges_its_open_leases_nothing_more() {
    // One lease accepted and one still pending when the provider (from its dashboard,
    // say) multiplies its price by 100.
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(2, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let accepted = suite.open_lease(&customer, 3 * PRICE, request).unwrap();
    suite.accept(&provider, accepted).unwrap();
    let request = suite.lease_request(&provider, 600, PRICE);
    let pending = suite.open_lease(&customer, PRICE, request).unwrap();
    suite
        .execute(
            &provider,
            &ExecuteMsg::UpdateProvider {
                attributes: attributes(2, 100 * PRICE),
            },
        )
        .unwrap();
    assert_eq!(
        suite
            .get_provider(&provider)
            .provider
            .attributes
            .price_per_hour
            .u128(),
        100 * PRICE
    );
    suite.accept(&provider, pending).unwrap();
    // An extension is priced as its lease was opened: 1,000 ugut per second.
    suite.extend(&customer, 60_000, accepted, 60).unwrap();
    suite.advance(100);
    suite.heartbeat(&provider).unwrap();
    for id in [accepted, pending] {
        let lease = suite.get_lease(id);
        assert_eq!(lease.lease.price_per_hour.u128(), PRICE, "lease {id}");
        assert_eq!(
            lease.earned.u128(),
            100_000,
            "lease {id}: 100 s at the old price"
        );
    }
    suite.close(&customer, pending).unwrap();
    assert_eq!(
        suite.get_lease(pending).lease.paid_to_provider.u128(),
        100_000
    );
    // A new lease pays the new price only if its customer's cap allows it.
    let capped = suite.lease_request(&provider, 600, PRICE);
    assert_eq!(
        market_err(suite.open_lease(&customer, PRICE, capped).unwrap_err()),
        ContractError::PriceAboveCap {
            price: (100 * PRICE).into(),
            cap: PRICE.into(),
        }
    );
    suite.assert_escrow_invariant();
}

#[test]
fn ownership_moves_only_when_the_new_owner_accepts() {
    let mut suite = SuiteBuilder::default().build();
    let owner = suite.owner.clone();
    let new_owner = suite.addr("new-owner");
    let stranger = suite.addr("stranger");
    suite
        .execute(
            &owner,
            &ExecuteMsg::TransferOwnership {
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    let config: gpunion_interface::market::ConfigResponse = suite.query(&QueryMsg::Config {});
    assert_eq!(config.owner, owner, "proposed, not yet accepted");
    assert_eq!(config.pending_owner, Some(new_owner.clone()));
    assert_eq!(
        market_err(
            suite
                .execute(&stranger, &ExecuteMsg::AcceptOwnership {})
                .unwrap_err()
        ),
        ContractError::NotPendingOwner
    );
    suite
        .execute(&new_owner, &ExecuteMsg::AcceptOwnership {})
        .unwrap();
    let config: gpunion_interface::market::ConfigResponse = suite.query(&QueryMsg::Config {});
    assert_eq!(config.owner, new_owner);
    assert_eq!(config.pending_owner, None);
    assert_eq!(
        market_err(
            suite
                .execute(
                    &owner,
                    &ExecuteMsg::UpdateParams {
                        params: default_params()
                    }
                )
                .unwrap_err()
        ),
        ContractError::NotOwner
    );
}

#[test]
fn a_chain_halt_does_not_disconnect_providers() {
    let (mut suite, provider, _, id) = accepted_lease(7200, PRICE * 2);
    let stranger = suite.addr("stranger");
    suite.advance(100);
    suite.heartbeat(&provider).unwrap();

    // No blocks for an hour, then the chain resumes.
    suite.halt(3600);
    assert_ne!(
        suite.get_provider(&provider).status,
        ProviderStatus::Disconnect
    );
    assert!(matches!(
        market_err(suite.expire(&stranger, id).unwrap_err()),
        ContractError::ProviderNotDisconnected { .. }
    ));
    suite.advance(5);
    suite.heartbeat(&provider).unwrap();
    assert_eq!(suite.get_provider(&provider).provider.stake.u128(), STAKE);

    // A provider that really stops is Disconnect once both the time and the blocks of
    // its grace have passed.
    suite.advance(301);
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Disconnect
    );
    suite.expire(&stranger, id).unwrap();
    assert_eq!(suite.get_lease(id).lease.state, LeaseState::Expired);
    suite.assert_escrow_invariant();
}

#[test]
fn a_mining_record_is_linked_only_with_its_miner_s_consent() {
    let mut suite = SuiteBuilder::default().build();
    let provider = suite.addr("provider");
    let miner = suite.addr("miner");
    suite.fund(&provider, STAKE);
    let mut borrowed = attributes(1, PRICE);
    borrowed.mining_address = Some(miner.to_string());
    assert_eq!(
        market_err(
            suite
                .register(&provider, STAKE, borrowed.clone())
                .unwrap_err()
        ),
        ContractError::MiningLinkNotConsented {
            miner: miner.clone(),
            provider: provider.clone(),
        }
    );
    assert_eq!(suite.balance(&provider), STAKE, "the stake came back");

    suite
        .execute(
            &miner,
            &ExecuteMsg::ConsentMiningLink {
                provider: provider.to_string(),
            },
        )
        .unwrap();
    suite.register(&provider, STAKE, borrowed.clone()).unwrap();
    assert_eq!(
        suite
            .get_provider(&provider)
            .provider
            .attributes
            .mining_address,
        Some(miner.to_string())
    );

    // Another provider cannot point at the same miner by an update either.
    let other = suite.add_provider("other", attributes(1, PRICE));
    assert_eq!(
        market_err(
            suite
                .execute(
                    &other,
                    &ExecuteMsg::UpdateProvider {
                        attributes: borrowed
                    }
                )
                .unwrap_err()
        ),
        ContractError::MiningLinkNotConsented {
            miner: miner.clone(),
            provider: other.clone(),
        }
    );
    // The miner moving its consent unlinks the first provider.
    suite
        .execute(
            &miner,
            &ExecuteMsg::ConsentMiningLink {
                provider: other.to_string(),
            },
        )
        .unwrap();
    assert_eq!(
        suite
            .get_provider(&provider)
            .provider
            .attributes
            .mining_address,
        None
    );
}

#[test]
fn a_zero_limit_lists_no_provider() {
    let mut suite = SuiteBuilder::default().build();
    suite.add_provider("a", attributes(1, PRICE));
    suite.add_provider("b", attributes(1, PRICE));
    let page: ProvidersResponse = suite.query(&QueryMsg::Providers {
        filter: Some(ProviderFilter::default()),
        start_after: None,
        limit: Some(0),
    });
    assert!(page.providers.is_empty(), "{page:?}");
}

#[test]
fn a_failing_indexer_never_blocks_a_provider() {
    let mut suite = SuiteBuilder::default().build();
    let owner = suite.owner.clone();
    // The receiver refuses every message but a CW20 `Receive`: IndexProvider fails.
    let indexer = suite.receiver.clone();
    suite
        .execute(
            &owner,
            &ExecuteMsg::SetIndexer {
                indexer: Some(indexer.to_string()),
            },
        )
        .unwrap();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let mut changed = attributes(1, PRICE);
    changed.region.country = "FR".into();
    suite
        .execute(
            &provider,
            &ExecuteMsg::UpdateProvider {
                attributes: changed,
            },
        )
        .unwrap();
    suite.advance(301);
    suite.heartbeat(&provider).unwrap();
    suite.execute(&provider, &ExecuteMsg::Leave {}).unwrap();
    let record = suite.get_provider(&provider).provider;
    assert_eq!(record.attributes.region.country, "FR");
    assert_eq!(record.stake.u128(), STAKE);
    suite.assert_escrow_invariant();
}

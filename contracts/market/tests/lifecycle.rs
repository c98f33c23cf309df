//! The whole lease lifecycle on a cw-multi-test chain: immediate and future leases,
//! streamed withdrawals, results, extension, expiry with slashing, early close by either
//! side, accept deadline lapse, rejection, leaving, listings and admin.

use cosmwasm_std::{Decimal, Uint128};
use gpunion_interface::market::{
    ExecuteMsg, LeaseState, LeasesResponse, ProviderFilter, ProviderStatus, ProvidersResponse,
    QueryMsg, WorkloadKind,
};
use gpunion_testing::{CID_B, GUT, SuiteBuilder, attributes, default_params, market_err};
use market::ContractError;

/// 3.6 GUT per hour: 1,000 ugut per second.
const PRICE: u128 = 3_600_000;
const STAKE: u128 = 1_000 * GUT;

#[test]
fn immediate_lease_streams_payment_and_refunds_the_unused_deposit() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    assert_eq!(suite.get_provider(&provider).status, ProviderStatus::Idle);

    // 4 GUT sent for a 3.6 GUT hour: the excess comes back at once.
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, 4 * GUT, request).unwrap();
    let lease = suite.get_lease(id).lease;
    assert_eq!(lease.state, LeaseState::Pending);
    assert_eq!(lease.deposit.u128(), PRICE);
    assert_eq!(suite.balance(&customer), 100 * GUT - PRICE);
    assert_eq!(suite.get_provider(&provider).status, ProviderStatus::Idle);
    suite.assert_escrow_invariant();

    suite.accept(&provider, id).unwrap();
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Sharing
    );

    // Heartbeats within the 300 s grace period.
    suite.advance(300);
    suite.heartbeat(&provider).unwrap();
    suite.advance(300);
    suite.heartbeat(&provider).unwrap();
    assert_eq!(suite.get_lease(id).withdrawable.u128(), 600_000);
    suite.withdraw(&provider, id).unwrap();
    // 2% protocol fee to the treasury.
    assert_eq!(suite.balance(&provider), 588_000);
    assert_eq!(
        suite.balance(&suite.treasury.clone()),
        50_100_000 * GUT + 12_000
    );
    assert_eq!(
        market_err(suite.withdraw(&provider, id).unwrap_err()),
        ContractError::NothingToWithdraw { id }
    );
    suite.assert_escrow_invariant();

    // Time after the last heartbeat is not credited.
    suite.advance(300);
    suite.heartbeat(&provider).unwrap();
    suite.advance(100);
    assert_eq!(suite.get_lease(id).earned.u128(), 900_000);
    suite.close(&customer, id).unwrap();

    let lease = suite.get_lease(id).lease;
    assert_eq!(lease.state, LeaseState::Closed);
    assert_eq!(lease.paid_to_provider.u128(), 900_000);
    assert_eq!(lease.refunded.u128(), PRICE - 900_000);
    assert_eq!(suite.balance(&customer), 100 * GUT - 900_000);
    assert_eq!(suite.balance(&provider), 900_000 - 18_000);
    // A closed lease accepts no more settlement.
    assert!(matches!(
        market_err(suite.close(&provider, id).unwrap_err()),
        ContractError::WrongLeaseState { .. }
    ));
    // The result can still be posted, once.
    suite.post_result(&provider, id, CID_B).unwrap();
    assert_eq!(suite.get_lease(id).lease.result.unwrap().cid, CID_B);
    assert_eq!(
        market_err(suite.post_result(&provider, id, CID_B).unwrap_err()),
        ContractError::ResultAlreadyPosted { id }
    );

    let record = suite.get_provider(&provider);
    assert_eq!(record.status, ProviderStatus::Idle);
    // A quarter of the booked hour served: not a completed lease (half is).
    assert_eq!(record.provider.stats.completed_leases, 0);
    assert_eq!(record.provider.stats.earned.u128(), 900_000);
    let totals = suite.get_totals();
    assert_eq!(totals.escrowed, Uint128::zero());
    assert_eq!(totals.stakes.u128(), STAKE);
    suite.assert_escrow_invariant();
}

#[test]
fn future_reservation_books_the_slot_and_runs_at_its_start() {
    let mut suite = SuiteBuilder::default()
        .with_funds("alice", 100 * GUT)
        .with_funds("bob", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let (alice, bob) = (suite.addr("alice"), suite.addr("bob"));
    let t0 = suite.now();

    let mut request = suite.lease_request(&provider, 3600, PRICE);
    request.start = Some(t0 + 7200);
    let reserved = suite.open_lease(&alice, PRICE, request.clone()).unwrap();
    suite.accept(&provider, reserved).unwrap();
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Reserved
    );

    // Overlapping the reservation on the only GPU fails; before and after it fits.
    request.start = Some(t0 + 9000);
    assert_eq!(
        market_err(suite.open_lease(&bob, PRICE, request.clone()).unwrap_err()),
        ContractError::SlotTaken {
            provider: provider.clone(),
            start: t0 + 9000,
            end: t0 + 12_600,
        }
    );
    request.start = Some(t0 + 10_800);
    let after = suite.open_lease(&bob, PRICE, request.clone()).unwrap();
    request.start = None;
    let before = suite.open_lease(&bob, PRICE, request).unwrap();
    assert_eq!(suite.get_lease(before).lease.end, t0 + 3600);
    assert_eq!(suite.get_lease(after).lease.slot, 0);

    // Keep heartbeating until the reservation has run for 10 minutes.
    for _ in 0..26 {
        suite.advance(300);
        suite.heartbeat(&provider).unwrap();
    }
    assert_eq!(suite.now(), t0 + 7800);
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Sharing
    );
    assert_eq!(suite.get_lease(reserved).earned.u128(), 600_000);
    suite.assert_escrow_invariant();
}

#[test]
fn extension_pays_for_more_time_and_respects_the_next_booking() {
    let mut suite = SuiteBuilder::default()
        .with_funds("alice", 100 * GUT)
        .with_funds("bob", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let (alice, bob) = (suite.addr("alice"), suite.addr("bob"));
    let t0 = suite.now();
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&alice, PRICE, request.clone()).unwrap();
    suite.accept(&provider, id).unwrap();
    let mut next = request;
    next.start = Some(t0 + 5400);
    suite.open_lease(&bob, PRICE, next).unwrap();

    assert_eq!(
        market_err(suite.extend(&alice, PRICE / 2 - 1, id, 1800).unwrap_err()),
        ContractError::InsufficientDeposit {
            sent: Uint128::new(PRICE / 2 - 1),
            cost: Uint128::new(PRICE / 2),
        }
    );
    // Up to the next booking it fits, one second more does not.
    suite.extend(&alice, GUT * 2, id, 1800).unwrap();
    let lease = suite.get_lease(id).lease;
    assert_eq!(lease.end, t0 + 5400);
    assert_eq!(lease.deposit.u128(), PRICE + PRICE / 2);
    assert_eq!(suite.balance(&alice), 100 * GUT - PRICE - PRICE / 2);
    assert!(matches!(
        market_err(suite.extend(&alice, GUT, id, 1).unwrap_err()),
        ContractError::SlotTaken { .. }
    ));
    // Only the customer extends.
    assert_eq!(
        market_err(suite.extend(&bob, GUT, id, 60).unwrap_err()),
        ContractError::NotLeaseParty {
            id,
            role: "customer"
        }
    );
    suite.assert_escrow_invariant();
}

#[test]
fn expiry_refunds_the_unserved_time_and_slashes_the_provider() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(2, PRICE));
    let customer = suite.addr("customer");
    let stranger = suite.addr("stranger");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let first = suite.open_lease(&customer, PRICE, request.clone()).unwrap();
    let second = suite.open_lease(&customer, PRICE, request).unwrap();
    assert_ne!(
        suite.get_lease(first).lease.slot,
        suite.get_lease(second).lease.slot
    );
    suite.accept(&provider, first).unwrap();
    suite.accept(&provider, second).unwrap();
    suite.advance(300);
    suite.heartbeat(&provider).unwrap();
    suite.advance(300);
    suite.heartbeat(&provider).unwrap();

    suite.advance(200);
    let last_heartbeat = suite.now() - 200;
    assert_eq!(
        market_err(suite.expire(&stranger, first).unwrap_err()),
        ContractError::ProviderNotDisconnected {
            address: provider.clone(),
            last_heartbeat,
            now: suite.now(),
        }
    );
    suite.advance(400);
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Disconnect
    );
    suite.expire(&stranger, first).unwrap();

    let slash = STAKE / 10;
    let lease = suite.get_lease(first).lease;
    assert_eq!(lease.state, LeaseState::Expired);
    assert_eq!(lease.paid_to_provider.u128(), 600_000);
    assert_eq!(lease.refunded.u128(), PRICE - 600_000);
    assert_eq!(
        suite.balance(&customer),
        100 * GUT - PRICE - 600_000 + slash
    );
    assert_eq!(suite.balance(&provider), 588_000);
    let record = suite.get_provider(&provider).provider;
    assert_eq!(record.stake.u128(), STAKE - slash);
    assert_eq!(record.stats.expired_leases, 1);
    assert_eq!(record.stats.slashed.u128(), slash);
    suite.assert_escrow_invariant();

    // A Disconnect provider cannot heartbeat its way back over an Active lease.
    assert_eq!(
        market_err(suite.heartbeat(&provider).unwrap_err()),
        ContractError::ExpireLeasesFirst { active: 1 }
    );
    suite.expire(&provider, second).unwrap();
    suite.heartbeat(&provider).unwrap();
    assert_eq!(suite.get_provider(&provider).status, ProviderStatus::Idle);
    // Below the minimum stake it takes no new leases until topped up.
    let request = suite.lease_request(&provider, 3600, PRICE);
    assert_eq!(
        market_err(suite.open_lease(&customer, PRICE, request).unwrap_err()),
        ContractError::ProviderUnavailable {
            address: provider.clone(),
            reason: "stake below the minimum",
        }
    );
    suite.assert_escrow_invariant();
}

#[test]
fn provider_may_close_early_and_the_customer_gets_the_rest() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    for _ in 0..4 {
        suite.advance(300);
        suite.heartbeat(&provider).unwrap();
    }
    suite.close(&provider, id).unwrap();
    assert_eq!(suite.balance(&customer), 100 * GUT - 1_200_000);
    assert_eq!(suite.balance(&provider), 1_200_000 - 24_000);
    assert_eq!(suite.get_provider(&provider).status, ProviderStatus::Idle);
    suite.assert_escrow_invariant();
}

#[test]
fn customer_may_cancel_before_acceptance_and_full_term_pays_in_full() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let cancelled = suite.open_lease(&customer, PRICE, request.clone()).unwrap();
    suite.close(&customer, cancelled).unwrap();
    assert_eq!(suite.balance(&customer), 100 * GUT);
    assert_eq!(
        suite
            .get_provider(&provider)
            .provider
            .stats
            .completed_leases,
        0
    );

    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    for _ in 0..13 {
        suite.advance(290);
        suite.heartbeat(&provider).unwrap();
    }
    suite.close(&customer, id).unwrap();
    assert_eq!(suite.get_lease(id).lease.paid_to_provider.u128(), PRICE);
    assert_eq!(suite.balance(&customer), 100 * GUT - PRICE);
    suite.assert_escrow_invariant();
}

#[test]
fn an_unaccepted_lease_lapses_and_anyone_can_refund_it() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let stranger = suite.addr("stranger");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    let deadline = suite.get_lease(id).lease.accept_deadline;
    assert_eq!(deadline, suite.now() + 600);
    assert_eq!(
        market_err(
            suite
                .execute(&stranger, &ExecuteMsg::ReclaimLapsed { lease_id: id })
                .unwrap_err()
        ),
        ContractError::AcceptDeadlineNotReached {
            id,
            deadline,
            now: suite.now()
        }
    );
    suite.advance(601);
    suite.heartbeat(&provider).unwrap();
    assert_eq!(
        market_err(suite.accept(&provider, id).unwrap_err()),
        ContractError::AcceptDeadlinePassed {
            id,
            deadline,
            now: suite.now()
        }
    );
    suite
        .execute(&stranger, &ExecuteMsg::ReclaimLapsed { lease_id: id })
        .unwrap();
    assert_eq!(suite.get_lease(id).lease.state, LeaseState::Lapsed);
    assert_eq!(suite.balance(&customer), 100 * GUT);
    assert_eq!(
        suite.get_provider(&provider).provider.stats.lapsed_leases,
        1
    );
    suite.assert_escrow_invariant();
}

#[test]
fn rejection_refunds_in_full() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite
        .execute(&provider, &ExecuteMsg::RejectLease { lease_id: id })
        .unwrap();
    assert_eq!(suite.get_lease(id).lease.state, LeaseState::Rejected);
    assert_eq!(suite.balance(&customer), 100 * GUT);
    suite.assert_escrow_invariant();
}

#[test]
fn leaving_unbonds_the_stake_after_the_period() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request.clone()).unwrap();
    assert_eq!(
        market_err(suite.execute(&provider, &ExecuteMsg::Leave {}).unwrap_err()),
        ContractError::HasOpenLeases {
            address: provider.clone(),
            open: 1
        }
    );
    suite.close(&customer, id).unwrap();
    suite.execute(&provider, &ExecuteMsg::Leave {}).unwrap();
    assert_eq!(
        suite.get_provider(&provider).status,
        ProviderStatus::Disconnect
    );
    assert!(matches!(
        market_err(suite.open_lease(&customer, PRICE, request).unwrap_err()),
        ContractError::ProviderUnavailable {
            reason: "leaving",
            ..
        }
    ));
    let until = suite.now() + 7 * 86_400;
    suite.advance(86_400);
    assert_eq!(
        market_err(
            suite
                .execute(&provider, &ExecuteMsg::ClaimStake {})
                .unwrap_err()
        ),
        ContractError::StillUnbonding {
            until,
            now: suite.now()
        }
    );
    suite.advance(6 * 86_400);
    suite
        .execute(&provider, &ExecuteMsg::ClaimStake {})
        .unwrap();
    assert_eq!(suite.balance(&provider), STAKE);
    assert_eq!(suite.get_totals().stakes, Uint128::zero());
    suite.assert_escrow_invariant();
}

#[test]
fn paused_providers_take_no_new_leases() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    suite.execute(&provider, &ExecuteMsg::Pause {}).unwrap();
    let request = suite.lease_request(&provider, 3600, PRICE);
    assert!(matches!(
        market_err(
            suite
                .open_lease(&customer, PRICE, request.clone())
                .unwrap_err()
        ),
        ContractError::ProviderUnavailable {
            reason: "paused",
            ..
        }
    ));
    suite.execute(&provider, &ExecuteMsg::Resume {}).unwrap();
    suite.open_lease(&customer, PRICE, request).unwrap();
}

#[test]
fn listings_filter_and_paginate() {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .build();
    let cheap = suite.add_provider("cheap", attributes(1, PRICE));
    let mut a100 = attributes(4, 3 * PRICE);
    a100.gpu_model = "NVIDIA A100".into();
    a100.memory_mib = 81_920;
    a100.region.country = "US".into();
    a100.workloads = vec![WorkloadKind::WgslBundle];
    // Its hashrate is vouched for by another account's mining record, with consent.
    let rig = suite.addr("rig");
    let big = suite.addr("big");
    suite
        .execute(
            &rig,
            &ExecuteMsg::ConsentMiningLink {
                provider: big.to_string(),
            },
        )
        .unwrap();
    a100.mining_address = Some(rig.to_string());
    let big = suite.add_provider("big", a100);
    assert_eq!(
        suite.get_provider(&big).provider.attributes.mining_address,
        Some(rig.to_string())
    );
    let customer = suite.addr("customer");
    let request = suite.lease_request(&cheap, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&cheap, id).unwrap();

    let list = |suite: &gpunion_testing::Suite, filter: ProviderFilter| -> Vec<_> {
        let response: ProvidersResponse = suite.query(&QueryMsg::Providers {
            filter: Some(filter),
            start_after: None,
            limit: None,
        });
        response
            .providers
            .into_iter()
            .map(|p| p.provider.address)
            .collect()
    };
    let by_status = ProviderFilter {
        status: Some(ProviderStatus::Sharing),
        ..Default::default()
    };
    assert_eq!(list(&suite, by_status), vec![cheap.clone()]);
    let by_memory = ProviderFilter {
        min_memory_mib: Some(40_000),
        ..Default::default()
    };
    assert_eq!(list(&suite, by_memory), vec![big.clone()]);
    let by_model = ProviderFilter {
        gpu_model: Some("nvidia a100".into()),
        country: Some("US".into()),
        ..Default::default()
    };
    assert_eq!(list(&suite, by_model), vec![big.clone()]);
    let by_price = ProviderFilter {
        max_price_per_hour: Some(Uint128::new(PRICE)),
        ..Default::default()
    };
    assert_eq!(list(&suite, by_price), vec![cheap.clone()]);
    let by_workload = ProviderFilter {
        workload: Some(WorkloadKind::OciImage),
        ..Default::default()
    };
    assert_eq!(list(&suite, by_workload), vec![cheap.clone()]);

    // Pages of one.
    let first: ProvidersResponse = suite.query(&QueryMsg::Providers {
        filter: None,
        start_after: None,
        limit: Some(1),
    });
    assert_eq!(first.providers.len(), 1);
    let next = first.next_start_after.expect("a second page");
    let second: ProvidersResponse = suite.query(&QueryMsg::Providers {
        filter: None,
        start_after: Some(next),
        limit: Some(1),
    });
    assert_eq!(second.providers.len(), 1);
    assert_eq!(second.next_start_after, None);

    let leases: LeasesResponse = suite.query(&QueryMsg::LeasesByCustomer {
        customer: customer.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(leases.leases.len(), 1);
    let leases: LeasesResponse = suite.query(&QueryMsg::LeasesByProvider {
        provider: big.to_string(),
        start_after: None,
        limit: None,
    });
    assert!(leases.leases.is_empty());
}

#[test]
fn owner_changes_parameters_only_within_bounds() {
    let mut suite = SuiteBuilder::default().build();
    let owner = suite.owner.clone();
    let mut params = default_params();
    params.protocol_fee = Decimal::percent(11);
    assert!(matches!(
        market_err(
            suite
                .execute(&owner, &ExecuteMsg::UpdateParams { params })
                .unwrap_err()
        ),
        ContractError::ParamOutOfBounds {
            name: "protocol_fee",
            ..
        }
    ));
    let mut params = default_params();
    params.heartbeat_grace_seconds = 10;
    assert!(matches!(
        market_err(
            suite
                .execute(&owner, &ExecuteMsg::UpdateParams { params })
                .unwrap_err()
        ),
        ContractError::ParamOutOfBounds {
            name: "heartbeat_grace_seconds",
            ..
        }
    ));
    let mut params = default_params();
    params.protocol_fee = Decimal::percent(5);
    suite
        .execute(
            &owner,
            &ExecuteMsg::UpdateParams {
                params: params.clone(),
            },
        )
        .unwrap();
    let config: gpunion_interface::market::ConfigResponse = suite.query(&QueryMsg::Config {});
    assert_eq!(config.params, params);

    let new_owner = suite.addr("new-owner");
    suite
        .execute(
            &owner,
            &ExecuteMsg::TransferOwnership {
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    suite
        .execute(&new_owner, &ExecuteMsg::AcceptOwnership {})
        .unwrap();
    assert_eq!(
        market_err(
            suite
                .execute(&owner, &ExecuteMsg::UpdateParams { params })
                .unwrap_err()
        ),
        ContractError::NotOwner
    );
}

/// Records that do not exist are `None`, not errors a client would have to read: an
/// unknown lease, an address that never registered, and a provider that left and took
/// its stake back.
#[test]
fn missing_provider_and_lease_answer_none() {
    let mut suite = SuiteBuilder::default().build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let stranger = suite.addr("stranger");
    assert!(suite.find_provider(&provider).is_some());
    assert_eq!(suite.find_provider(&stranger), None);
    assert_eq!(suite.find_lease(42), None);

    suite.execute(&provider, &ExecuteMsg::Leave {}).unwrap();
    suite.advance(default_params().unbonding_seconds);
    suite
        .execute(&provider, &ExecuteMsg::ClaimStake {})
        .unwrap();
    assert_eq!(suite.find_provider(&provider), None);
}

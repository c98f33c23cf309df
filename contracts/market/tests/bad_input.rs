//! Bad input is rejected with a typed error and leaves state unchanged.

use cosmwasm_std::{Uint128, to_json_binary};
use cw_multi_test::Executor;
use cw20::Cw20ReceiveMsg;
use gpunion_interface::market::{
    ConfigResponse, EscrowTotals, ExecuteMsg, LeaseResult, OpenLease, QueryMsg, ReceiveMsg,
    WorkloadKind,
};
use gpunion_interface::validate::InputError;
use gpunion_testing::{GUT, Suite, SuiteBuilder, attributes, invalid_address, market_err};
use market::ContractError;

const PRICE: u128 = 3_600_000;

/// Makes one provider attribute invalid.
type Spoil = Box<dyn Fn(&mut gpunion_interface::market::ProviderAttributes)>;

/// What must not change when a message is rejected.
#[derive(Debug, PartialEq)]
struct Snapshot {
    customer: u128,
    market: u128,
    totals: EscrowTotals,
    next_lease_id: u64,
}

fn snapshot(suite: &Suite) -> Snapshot {
    let config: ConfigResponse = suite.query(&QueryMsg::Config {});
    Snapshot {
        customer: suite.balance(&suite.addr("customer")),
        market: suite.balance(&suite.market),
        totals: suite.get_totals(),
        next_lease_id: config.next_lease_id,
    }
}

fn setup() -> (Suite, cosmwasm_std::Addr) {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 1_000_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    (suite, provider)
}

/// Opens `open` with `deposit` and expects `expected`, with state unchanged.
fn open_fails(suite: &mut Suite, deposit: u128, open: OpenLease, expected: ContractError) {
    let before = snapshot(suite);
    let customer = suite.addr("customer");
    let err = suite.open_lease(&customer, deposit, open).unwrap_err();
    assert_eq!(market_err(err), expected);
    assert_eq!(snapshot(suite), before);
}

/// A container lease with a provider that declared WGSL bundles only is refused
/// before any GUT moves (the node would only reject it).
#[test]
fn a_workload_the_provider_does_not_run_is_refused() {
    let (mut suite, _) = setup();
    let mut wgsl_only = attributes(1, PRICE);
    wgsl_only.workloads = vec![WorkloadKind::WgslBundle];
    let provider = suite.add_provider("wgsl-only", wgsl_only);
    let mut open = suite.lease_request(&provider, 3600, PRICE);
    open.workload.kind = WorkloadKind::OciImage;
    open_fails(
        &mut suite,
        PRICE,
        open,
        ContractError::WorkloadNotOffered {
            provider: provider.clone(),
            kind: WorkloadKind::OciImage,
        },
    );
    let wgsl = suite.lease_request(&provider, 3600, PRICE);
    let customer = suite.addr("customer");
    suite.open_lease(&customer, PRICE, wgsl).unwrap();
}

#[test]
fn lease_requests_with_bad_numbers_are_rejected() {
    let (mut suite, provider) = setup();
    let good = suite.lease_request(&provider, 3600, PRICE);
    let now = suite.now();

    let mut zero = good.clone();
    zero.duration_seconds = 0;
    open_fails(
        &mut suite,
        PRICE,
        zero,
        ContractError::ZeroDuration { what: "duration" },
    );

    let mut past = good.clone();
    past.start = Some(now - 1);
    open_fails(
        &mut suite,
        PRICE,
        past,
        ContractError::StartInPast {
            start: now - 1,
            now,
        },
    );

    let mut far = good.clone();
    far.start = Some(u64::MAX);
    open_fails(
        &mut suite,
        PRICE,
        far,
        ContractError::DurationTooLong {
            what: "time until start",
            seconds: u64::MAX - now,
            max: 30 * 86_400,
        },
    );

    let mut long = good.clone();
    long.duration_seconds = 31 * 86_400;
    open_fails(
        &mut suite,
        PRICE,
        long,
        ContractError::DurationTooLong {
            what: "duration",
            seconds: 31 * 86_400,
            max: 30 * 86_400,
        },
    );

    let mut capped = good.clone();
    capped.max_price_per_hour = Uint128::new(PRICE - 1);
    open_fails(
        &mut suite,
        PRICE,
        capped,
        ContractError::PriceAboveCap {
            price: Uint128::new(PRICE),
            cap: Uint128::new(PRICE - 1),
        },
    );

    open_fails(
        &mut suite,
        PRICE - 1,
        good.clone(),
        ContractError::InsufficientDeposit {
            sent: Uint128::new(PRICE - 1),
            cost: Uint128::new(PRICE),
        },
    );

    let mut slot = good.clone();
    slot.slot = Some(1);
    open_fails(
        &mut suite,
        PRICE,
        slot,
        ContractError::NoSuchSlot { slot: 1, count: 1 },
    );

    let mut unknown = good.clone();
    let nobody = suite.addr("nobody");
    unknown.provider = nobody.to_string();
    open_fails(
        &mut suite,
        PRICE,
        unknown,
        ContractError::ProviderNotFound {
            address: nobody.to_string(),
        },
    );

    let mut invalid = good.clone();
    invalid.provider = "not an address".into();
    open_fails(
        &mut suite,
        PRICE,
        invalid,
        ContractError::InvalidAddress(invalid_address("not an address")),
    );

    let mut self_lease = good;
    self_lease.provider = suite.addr("customer").to_string();
    open_fails(&mut suite, PRICE, self_lease, ContractError::SelfLease);
}

#[test]
fn overflowing_costs_are_rejected() {
    let (mut suite, _) = setup();
    let whale = suite.add_provider("whale", attributes(1, u128::MAX));
    let mut open = suite.lease_request(&whale, 30 * 86_400, u128::MAX);
    open.max_price_per_hour = Uint128::MAX;
    let before = snapshot(&suite);
    let customer = suite.addr("customer");
    let err = market_err(suite.open_lease(&customer, GUT, open).unwrap_err());
    assert!(matches!(err, ContractError::Overflow(_)), "{err:?}");
    assert_eq!(snapshot(&suite), before);
}

#[test]
fn malformed_cids_and_long_strings_are_rejected() {
    let (mut suite, provider) = setup();
    let mut bad_cid = suite.lease_request(&provider, 3600, PRICE);
    bad_cid.workload.cid = "QmNotACid".into();
    open_fails(
        &mut suite,
        PRICE,
        bad_cid,
        ContractError::Input(InputError::Malformed {
            field: "workload cid",
            value: "QmNotACid".into(),
            reason: "shorter than any CID",
        }),
    );
    let mut long_cid = suite.lease_request(&provider, 3600, PRICE);
    long_cid.workload.cid = format!("b{}", "a".repeat(200));
    open_fails(
        &mut suite,
        PRICE,
        long_cid,
        ContractError::Input(InputError::TooLong {
            field: "workload cid",
            len: 201,
            max: 128,
        }),
    );

    // Registration with bad attributes: nothing is registered, the stake stays with its owner.
    let newcomer = suite.addr("newcomer");
    suite.fund(&newcomer, 1_000 * GUT);
    let cases: Vec<(Spoil, ContractError)> = vec![
        (
            Box::new(|a| a.gpu_model = "x".repeat(65)),
            ContractError::Input(InputError::TooLong {
                field: "gpu model",
                len: 65,
                max: 64,
            }),
        ),
        (
            Box::new(|a| a.gpu_model = String::new()),
            ContractError::Input(InputError::Empty { field: "gpu model" }),
        ),
        (
            Box::new(|a| a.gpu_count = 0),
            ContractError::ZeroAmount { what: "gpu_count" },
        ),
        (
            Box::new(|a| a.gpu_count = 17),
            ContractError::Input(InputError::TooMany {
                field: "gpu count",
                count: 17,
                max: 16,
            }),
        ),
        (
            Box::new(|a| a.price_per_hour = Uint128::zero()),
            ContractError::ZeroAmount {
                what: "price_per_hour",
            },
        ),
        (
            Box::new(|a| a.region.country = "de".into()),
            ContractError::Input(InputError::Malformed {
                field: "country",
                value: "de".into(),
                reason: "not two upper-case letters",
            }),
        ),
        (
            Box::new(|a| a.region.geohash = "u33a".into()),
            ContractError::Input(InputError::Malformed {
                field: "geohash",
                value: "u33a".into(),
                reason: "outside the geohash alphabet",
            }),
        ),
        (
            Box::new(|a| a.peer_id = "peer".into()),
            ContractError::Input(InputError::Malformed {
                field: "peer id",
                value: "peer".into(),
                reason: "not a base58 libp2p peer id",
            }),
        ),
        (
            Box::new(|a| a.multiaddrs = vec!["/ip4/1.2.3.4".into(); 9]),
            ContractError::Input(InputError::TooMany {
                field: "multiaddrs",
                count: 9,
                max: 8,
            }),
        ),
        (
            Box::new(|a| a.mining_address = Some("miner".into())),
            ContractError::InvalidAddress(invalid_address("miner")),
        ),
        (
            Box::new(|a| a.compute.features = vec!["F".repeat(65)]),
            ContractError::Input(InputError::TooLong {
                field: "feature",
                len: 65,
                max: 64,
            }),
        ),
        (
            Box::new(|a| a.workloads = vec![]),
            ContractError::ZeroAmount { what: "workloads" },
        ),
        (
            Box::new(|a| a.workloads = vec![WorkloadKind::WgslBundle; 3]),
            ContractError::Input(InputError::TooMany {
                field: "workloads",
                count: 3,
                max: 2,
            }),
        ),
    ];
    for (spoil, expected) in cases {
        let mut attrs = attributes(1, PRICE);
        spoil(&mut attrs);
        let before = snapshot(&suite);
        let err = suite.register(&newcomer, 1_000 * GUT, attrs).unwrap_err();
        assert_eq!(market_err(err), expected);
        assert_eq!(snapshot(&suite), before);
        assert_eq!(suite.balance(&newcomer), 1_000 * GUT);
    }

    // A result with a malformed CID or an oversized output hash.
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    let err = suite
        .execute(
            &provider,
            &ExecuteMsg::PostResult {
                lease_id: id,
                result: LeaseResult {
                    cid: format!("Qm{}", "0".repeat(44)),
                    output_hash: None,
                    trace_root: None,
                },
            },
        )
        .unwrap_err();
    assert!(matches!(
        market_err(err),
        ContractError::Input(InputError::Malformed {
            field: "result cid",
            ..
        })
    ));
    let err = suite
        .execute(
            &provider,
            &ExecuteMsg::PostResult {
                lease_id: id,
                result: LeaseResult {
                    cid: gpunion_testing::CID_B.into(),
                    output_hash: Some(vec![0u8; 65].into()),
                    trace_root: None,
                },
            },
        )
        .unwrap_err();
    assert_eq!(
        market_err(err),
        ContractError::Input(InputError::TooLong {
            field: "output hash",
            len: 65,
            max: 64
        })
    );
    assert_eq!(suite.get_lease(id).lease.result, None);
}

#[test]
fn stakes_unknown_leases_and_zero_amounts_are_checked() {
    let (mut suite, provider) = setup();
    let newcomer = suite.addr("newcomer");
    suite.fund(&newcomer, 1_000 * GUT);
    let err = suite
        .register(&newcomer, 999 * GUT, attributes(1, PRICE))
        .unwrap_err();
    assert_eq!(
        market_err(err),
        ContractError::StakeTooLow {
            sent: Uint128::new(999 * GUT),
            min: Uint128::new(1_000 * GUT),
        }
    );
    suite.fund(&provider, 1_000 * GUT);
    let err = suite
        .register(&provider, 1_000 * GUT, attributes(1, PRICE))
        .unwrap_err();
    assert_eq!(
        market_err(err),
        ContractError::AlreadyRegistered {
            address: provider.clone()
        }
    );

    for msg in [
        ExecuteMsg::AcceptLease { lease_id: 42 },
        ExecuteMsg::CloseLease { lease_id: 42 },
        ExecuteMsg::ExpireLease { lease_id: 42 },
        ExecuteMsg::Withdraw { lease_id: 42 },
        ExecuteMsg::ReclaimLapsed { lease_id: 42 },
    ] {
        assert_eq!(
            market_err(suite.execute(&provider, &msg).unwrap_err()),
            ContractError::LeaseNotFound { id: 42 }
        );
    }

    // A zero-amount hook (GUT itself refuses zero sends; the market checks anyway).
    let before = snapshot(&suite);
    let hook = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: provider.to_string(),
        amount: Uint128::zero(),
        msg: to_json_binary(&ReceiveMsg::TopUpStake {}).unwrap(),
    });
    let err = suite
        .app
        .execute_contract(suite.gut.clone(), suite.market.clone(), &hook, &[])
        .unwrap_err();
    assert_eq!(
        market_err(err),
        ContractError::ZeroAmount {
            what: "amount sent"
        }
    );
    assert_eq!(snapshot(&suite), before);

    // Zero extension.
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    let before = snapshot(&suite);
    assert_eq!(
        market_err(suite.extend(&customer, GUT, id, 0).unwrap_err()),
        ContractError::ZeroDuration {
            what: "extra_seconds"
        }
    );
    assert_eq!(snapshot(&suite), before);
}

//! Property test of checked results: random sequences of leases (checked or not),
//! honest and lying results, check requests, honest and lying checkers, honest
//! referees (the trust the design rests on), timeouts, cancellations, closes,
//! withdrawals, pool changes and silent providers. After every step:
//! - the market holds exactly escrow + stakes + open check fees, as reported and as
//!   summed from every lease, provider and check;
//! - no GUT is made or lost: every account's balance together is what it was;
//! - a verdict never wrongs an honest side: a refuted provider lied, a check upheld
//!   confirmed an honest provider against a lying checker, a passed check compared
//!   equal roots, and only a provider that lied (as provider or checker) is ever
//!   slashed;
//! - each provider's `open_checks` counts exactly the open checks that may still pay or
//!   slash it, and the pool's size its members.

use std::collections::{HashMap, HashSet};

use cosmwasm_std::Addr;
use gpunion_interface::market::check::{CheckState, Verdict};
use gpunion_interface::market::{ExecuteMsg, LeaseState, ReceiveMsg, lease_cost};
use gpunion_interface::trace::Trace;
use gpunion_testing::{
    GUT, Suite, SuiteBuilder, attributes, default_params, dispatch_verdict, honest_trace, lie_from,
    market_err, root,
};
use proptest::prelude::*;
use proptest::sample::Index;

const PROVIDERS: usize = 5;
const CUSTOMERS: usize = 2;
const FUNDS: u128 = 100_000 * GUT;
const PRICE: u128 = 3_600_000;
const DISPATCHES: u8 = 6;

#[derive(Clone, Debug)]
enum Op {
    Open {
        customer: usize,
        provider: usize,
        check: bool,
    },
    /// The provider posts its result: honest, or made up from a dispatch on.
    Post(Index, Option<u8>),
    Request(Index),
    /// Whoever must answer a check does: a checker honestly or not, a referee
    /// honestly, by root or at the first difference.
    Answer(Index, Option<u8>, bool),
    Timeout(Index),
    Cancel(Index),
    Close(Index),
    Withdraw(Index),
    /// Time passes; the providers in the mask heartbeat.
    Advance(u64, u8),
    Pool(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    let lie = prop_oneof![2 => Just(None), 1 => (0..DISPATCHES).prop_map(Some)];
    prop_oneof![
        4 => (0..CUSTOMERS, 0..PROVIDERS, any::<bool>())
            .prop_map(|(customer, provider, check)| Op::Open { customer, provider, check }),
        4 => (any::<Index>(), lie.clone()).prop_map(|(i, l)| Op::Post(i, l)),
        2 => any::<Index>().prop_map(Op::Request),
        8 => (any::<Index>(), lie, any::<bool>()).prop_map(|(i, l, r)| Op::Answer(i, l, r)),
        2 => any::<Index>().prop_map(Op::Timeout),
        1 => any::<Index>().prop_map(Op::Cancel),
        2 => any::<Index>().prop_map(Op::Close),
        2 => any::<Index>().prop_map(Op::Withdraw),
        4 => (prop_oneof![3 => 10u64..300, 1 => 300u64..4000], any::<u8>())
            .prop_map(|(s, mask)| Op::Advance(s, mask)),
        1 => (0..PROVIDERS, any::<bool>()).prop_map(|(p, join)| Op::Pool(p, join)),
    ]
}

struct Model {
    providers: Vec<Addr>,
    customers: Vec<Addr>,
    leases: Vec<u64>,
    /// Each lease's job's honest trace.
    honest: HashMap<u64, Trace>,
    /// The trace each provider posted, and each checker.
    posted: HashMap<u64, Trace>,
    checked: HashMap<u64, Trace>,
    /// Whoever posted a made-up trace, as provider or checker.
    liars: HashSet<Addr>,
    total: u128,
}

fn setup() -> (Suite, Model) {
    let mut builder = SuiteBuilder::default();
    for c in 0..CUSTOMERS {
        builder = builder.with_funds(&format!("customer{c}"), FUNDS);
    }
    let mut suite = builder.build();
    let providers: Vec<Addr> = (0..PROVIDERS)
        .map(|p| {
            let address = suite.add_provider(&format!("provider{p}"), attributes(2, PRICE));
            suite.join_pool(&address).unwrap();
            address
        })
        .collect();
    let customers = (0..CUSTOMERS)
        .map(|c| suite.addr(&format!("customer{c}")))
        .collect();
    let mut model = Model {
        providers,
        customers,
        leases: vec![],
        honest: HashMap::new(),
        posted: HashMap::new(),
        checked: HashMap::new(),
        liars: HashSet::new(),
        total: 0,
    };
    model.total = accounts(&suite, &model)
        .iter()
        .map(|a| suite.balance(a))
        .sum();
    (suite, model)
}

fn accounts(suite: &Suite, model: &Model) -> Vec<Addr> {
    let mut all = model.providers.clone();
    all.extend(model.customers.iter().cloned());
    all.extend([suite.market.clone(), suite.treasury.clone()]);
    all
}

fn lease_at(model: &Model, index: &Index) -> Option<u64> {
    (!model.leases.is_empty()).then(|| model.leases[index.index(model.leases.len())])
}

fn apply(suite: &mut Suite, model: &mut Model, op: &Op) {
    let fee = default_params().check_fee.u128();
    let result = match op {
        Op::Open {
            customer,
            provider,
            check,
        } => {
            let customer = model.customers[*customer].clone();
            let provider = model.providers[*provider].clone();
            let mut request = suite.lease_request(&provider, 3600, PRICE);
            request.check = *check;
            let cost =
                lease_cost(PRICE.into(), 3600).unwrap().u128() + if *check { fee } else { 0 };
            suite.open_lease(&customer, cost, request).and_then(|id| {
                model.leases.push(id);
                model.honest.insert(id, honest_trace(id as u8, DISPATCHES));
                suite.accept(&provider, id).map(|_| ())
            })
        }
        Op::Post(i, lie) => {
            let Some(id) = lease_at(model, i) else { return };
            let honest = &model.honest[&id];
            let trace = lie.map_or_else(|| honest.clone(), |k| lie_from(honest, k.into()));
            let provider = suite.get_lease(id).lease.provider;
            suite.post_traced_result(&provider, id, &trace).map(|_| {
                if lie.is_some() {
                    model.liars.insert(provider);
                }
                model.posted.insert(id, trace);
            })
        }
        Op::Request(i) => {
            let Some(id) = lease_at(model, i) else { return };
            let customer = suite.get_lease(id).lease.customer;
            suite
                .send(&customer, fee, &ReceiveMsg::RequestCheck { lease_id: id })
                .map(|_| ())
        }
        Op::Answer(i, lie, by_root) => {
            let Some(id) = lease_at(model, i) else { return };
            let Some(check) = suite.find_check(id) else {
                return;
            };
            let Some(assignee) = check.assignee.map(|a| a.address) else {
                return;
            };
            let honest = model.honest[&id].clone();
            match check.state {
                CheckState::Checking => {
                    let trace = lie.map_or_else(|| honest.clone(), |k| lie_from(&honest, k.into()));
                    suite.post_check(&assignee, id, &trace).map(|_| {
                        if lie.is_some() {
                            model.liars.insert(assignee);
                        }
                        model.checked.insert(id, trace);
                    })
                }
                _ => {
                    let verdict = if *by_root {
                        Verdict::Root {
                            root: root(&honest),
                        }
                    } else {
                        dispatch_verdict(&model.posted[&id], &model.checked[&id], &honest)
                    };
                    suite.post_verdict(&assignee, id, verdict).map(|_| ())
                }
            }
        }
        Op::Timeout(i) => {
            let Some(id) = lease_at(model, i) else { return };
            let stranger = suite.addr("stranger");
            suite.timeout_check(&stranger, id).map(|_| ())
        }
        Op::Cancel(i) => {
            let Some(id) = lease_at(model, i) else { return };
            let customer = suite.get_lease(id).lease.customer;
            suite.cancel_check(&customer, id).map(|_| ())
        }
        Op::Close(i) => {
            let Some(id) = lease_at(model, i) else { return };
            let customer = suite.get_lease(id).lease.customer;
            suite.close(&customer, id).map(|_| ())
        }
        Op::Withdraw(i) => {
            let Some(id) = lease_at(model, i) else { return };
            let provider = suite.get_lease(id).lease.provider;
            suite.withdraw(&provider, id).map(|_| ())
        }
        Op::Advance(seconds, mask) => {
            suite.advance(*seconds);
            for (p, provider) in model.providers.clone().iter().enumerate() {
                if mask & (1 << p) != 0 {
                    // A provider past its grace with leases cannot: a typed error.
                    if let Err(err) = suite.heartbeat(provider) {
                        let _ = market_err(err);
                    }
                }
            }
            Ok(())
        }
        Op::Pool(p, join) => {
            let provider = model.providers[*p].clone();
            let msg = if *join {
                ExecuteMsg::JoinCheckPool {}
            } else {
                ExecuteMsg::LeaveCheckPool {}
            };
            suite.execute(&provider, &msg).map(|_| ())
        }
    };
    if let Err(err) = result {
        // Panics unless it is a market ContractError.
        let _ = market_err(err);
    }
}

fn check(suite: &Suite, model: &Model) {
    let balance = suite.balance(&suite.market);
    let totals = suite.get_totals();
    assert_eq!(
        balance,
        (totals.escrowed + totals.stakes + totals.checks).u128(),
        "reported totals"
    );
    let all: u128 = accounts(suite, model)
        .iter()
        .map(|a| suite.balance(a))
        .sum();
    assert_eq!(all, model.total, "GUT made or lost");

    let mut held = 0u128;
    let mut fees = 0u128;
    let mut open_checks: HashMap<Addr, u32> = HashMap::new();
    for &id in &model.leases {
        let lease = suite.get_lease(id).lease;
        if !lease.state.is_final() {
            held += lease.held().u128();
        }
        let Some(check) = suite.find_check(id) else {
            continue;
        };
        let provider_lied = model.posted.get(&id) != Some(&model.honest[&id]);
        let checker_lied = model.checked.get(&id) != Some(&model.honest[&id]);
        match check.state {
            // Refuted where the provider went wrong first (its checker may have gone
            // wrong later: it still caught the provider).
            CheckState::Refuted => assert!(provider_lied, "lease {id}: refuted an honest provider"),
            CheckState::Upheld => assert!(
                checker_lied && !provider_lied,
                "lease {id}: overruled an honest checker"
            ),
            CheckState::Passed => {
                assert_eq!(model.posted.get(&id), model.checked.get(&id), "lease {id}")
            }
            _ => {}
        }
        if check.state.is_final() {
            assert!(check.assignee.is_none(), "lease {id}: a final check waits");
            continue;
        }
        fees += check.fee.u128();
        *open_checks.entry(lease.provider.clone()).or_default() += 1;
        if let Some(checker) = &check.checker {
            *open_checks.entry(checker.clone()).or_default() += 1;
        }
        if let Some(assignee) = &check.assignee {
            *open_checks.entry(assignee.address.clone()).or_default() += 1;
        }
        assert_eq!(
            check.assignee.is_some(),
            check.state != CheckState::Requested,
            "lease {id}: {:?} with assignee {:?}",
            check.state,
            check.assignee
        );
        if check.state == CheckState::Requested {
            assert!(lease.result.is_none() && lease.state != LeaseState::Rejected);
        }
    }
    let mut stakes = 0u128;
    let mut members = 0u32;
    for provider in &model.providers {
        let record = suite.get_provider(provider).provider;
        stakes += record.stake.u128();
        // (A lease expired for missed heartbeats slashes too.)
        assert!(
            record.stats.slashed.is_zero()
                || model.liars.contains(provider)
                || record.stats.expired_leases > 0,
            "{provider} slashed without having lied"
        );
        members += u32::from(record.in_check_pool);
        assert_eq!(
            record.open_checks,
            open_checks.get(provider).copied().unwrap_or(0),
            "open checks of {provider}"
        );
    }
    assert_eq!(suite.get_pool_size(), members);
    assert_eq!(totals.checks.u128(), fees);
    assert_eq!(
        balance,
        held + stakes + fees,
        "balance = escrow + stakes + fees"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn checks_keep_every_balance_and_wrong_nobody_honest(ops in prop::collection::vec(op(), 1..64)) {
        let (mut suite, mut model) = setup();
        check(&suite, &model);
        for op in &ops {
            apply(&mut suite, &mut model, op);
            check(&suite, &model);
        }
    }
}

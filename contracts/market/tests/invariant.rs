//! Property test: random sequences of operations by several providers and customers.
//! After every step:
//! - the market's GUT balance equals escrow + stakes + earned-not-withdrawn, both as the
//!   market reports it and as summed from every lease and provider record;
//! - nobody is paid twice: a lease never pays out more than its deposit, a settled lease
//!   never pays again, and every account's balance matches what its leases say;
//! - no lease is served by a Disconnect provider: what a lease has earned never exceeds
//!   its price times the time covered by heartbeats sent while the provider was connected
//!   under the lease's own grace (time and blocks, so a chain halt is not a lapse), and
//!   the reported status agrees with the heartbeat record;
//! - a lease keeps the terms it was opened with while the owner changes the parameters;
//! - a lease ends as Expired (and slashes) only when service was due and not covered,
//!   whether it was expired or closed by either party once expirable.

use std::collections::HashMap;

use cosmwasm_std::{Addr, Decimal};
use cw_multi_test::AppResponse;
use gpunion_interface::market::{
    ExecuteMsg, HeartbeatGrace, LeaseState, LeaseTerms, ProviderStatus, SECONDS_PER_HOUR,
};
use gpunion_testing::{CID_B, GUT, Suite, SuiteBuilder, attributes, default_params, market_err};
use proptest::prelude::*;
use proptest::sample::Index;

const CUSTOMERS: usize = 3;
const FUNDS: u128 = 10_000 * GUT;
/// (GPUs, price per hour): odd prices exercise rounding.
const PROVIDERS: [(u32, u128); 3] = [(1, 3_600_000), (2, 7_200_001), (1, 1_234_567)];

#[derive(Clone, Debug)]
enum Op {
    Open {
        customer: usize,
        provider: usize,
        duration: u64,
        delay: u64,
        overpay: u128,
    },
    Accept(Index),
    Reject(Index),
    Heartbeat(usize),
    Advance(u64),
    /// Time passes while the provider of a lease keeps heartbeating.
    Work(Index, u64),
    Withdraw(Index),
    Close(Index, bool),
    Expire(Index),
    Reclaim(Index),
    Extend(Index, u64),
    PostResult(Index),
    /// The chain halts for this many seconds: one block when it resumes.
    Halt(u64),
    /// The owner changes fee (per mille), slash (percent) and grace (seconds, blocks).
    UpdateTerms(u64, u64, u64, u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..CUSTOMERS, 0..PROVIDERS.len(), 60u64..7200, prop_oneof![3 => Just(0u64), 1 => 1u64..4000], 0u128..1000)
            .prop_map(|(customer, provider, duration, delay, overpay)| Op::Open { customer, provider, duration, delay, overpay }),
        6 => any::<Index>().prop_map(Op::Accept),
        1 => any::<Index>().prop_map(Op::Reject),
        8 => (0..PROVIDERS.len()).prop_map(Op::Heartbeat),
        4 => prop_oneof![3 => 1u64..150, 1 => 150u64..700].prop_map(Op::Advance),
        4 => any::<Index>().prop_map(Op::Withdraw),
        4 => (any::<Index>(), 1u64..300).prop_map(|(i, s)| Op::Work(i, s)),
        2 => (any::<Index>(), any::<bool>()).prop_map(|(i, c)| Op::Close(i, c)),
        2 => any::<Index>().prop_map(Op::Expire),
        1 => any::<Index>().prop_map(Op::Reclaim),
        1 => (any::<Index>(), 1u64..3600).prop_map(|(i, s)| Op::Extend(i, s)),
        1 => any::<Index>().prop_map(Op::PostResult),
        1 => (300u64..5000).prop_map(Op::Halt),
        1 => (0u64..=100, 0u64..=100, 30u64..900, 1u64..200)
            .prop_map(|(fee, slash, seconds, blocks)| Op::UpdateTerms(fee, slash, seconds, blocks)),
    ]
}

/// What the test knows independently of the market.
struct Model {
    providers: Vec<Addr>,
    customers: Vec<Addr>,
    /// Accepted heartbeats per provider as (time, height) (registration counts as one).
    heartbeats: Vec<Vec<(u64, u64)>>,
    leases: Vec<u64>,
    /// The terms in force when each lease was opened.
    terms: HashMap<u64, LeaseTerms>,
    /// The terms leases opened now get.
    current_terms: LeaseTerms,
    slashes_received: HashMap<Addr, u128>,
    /// (paid, refunded) of settled leases, which must never change again.
    settled: HashMap<u64, (u128, u128)>,
    treasury_start: u128,
}

/// Whether a heartbeat at `last` has lapsed at `now` under `grace`: both its seconds and
/// its blocks have passed.
fn lapsed(grace: HeartbeatGrace, last: (u64, u64), now: (u64, u64)) -> bool {
    now.0 > last.0 + grace.seconds && now.1 > last.1 + grace.blocks
}

impl Model {
    /// Seconds of [from, until) covered by heartbeat intervals that did not lapse under
    /// `grace`.
    fn covered(&self, provider: usize, from: u64, until: u64, grace: HeartbeatGrace) -> u64 {
        self.heartbeats[provider]
            .windows(2)
            .filter(|w| !lapsed(grace, w[0], w[1]))
            .map(|w| w[1].0.min(until).saturating_sub(w[0].0.max(from)))
            .sum()
    }
}

/// The `slashed` attribute of a settlement, 0 when there is none.
fn slashed(response: &AppResponse) -> u128 {
    response
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "slashed")
        .map_or(0, |a| a.value.parse().unwrap())
}

/// Mostly a lease in one of the `wanted` states (others only reject), sometimes any lease.
fn pick(suite: &Suite, model: &Model, index: &Index, wanted: &[LeaseState]) -> Option<u64> {
    if model.leases.is_empty() {
        return None;
    }
    let fitting: Vec<u64> = model
        .leases
        .iter()
        .copied()
        .filter(|id| !model.settled.contains_key(id))
        .filter(|id| wanted.contains(&suite.get_lease(*id).lease.state))
        .collect();
    if fitting.is_empty() || index.index(8) == 0 {
        return Some(model.leases[index.index(model.leases.len())]);
    }
    Some(fitting[index.index(fitting.len())])
}

const PENDING: &[LeaseState] = &[LeaseState::Pending];
const ACTIVE: &[LeaseState] = &[LeaseState::Active];
const OPEN: &[LeaseState] = &[LeaseState::Pending, LeaseState::Active];

fn setup() -> (Suite, Model) {
    let mut builder = SuiteBuilder::default();
    for c in 0..CUSTOMERS {
        builder = builder.with_funds(&format!("customer{c}"), FUNDS);
    }
    let mut suite = builder.build();
    let providers: Vec<Addr> = PROVIDERS
        .iter()
        .enumerate()
        .map(|(i, (gpus, price))| {
            suite.add_provider(&format!("provider{i}"), attributes(*gpus, *price))
        })
        .collect();
    let customers = (0..CUSTOMERS)
        .map(|c| suite.addr(&format!("customer{c}")))
        .collect();
    let registered = (suite.now(), suite.app.block_info().height);
    let model = Model {
        heartbeats: vec![vec![registered]; providers.len()],
        providers,
        customers,
        leases: Vec::new(),
        terms: HashMap::new(),
        current_terms: default_params().lease_terms(),
        slashes_received: HashMap::new(),
        settled: HashMap::new(),
        treasury_start: suite.balance(&suite.treasury.clone()),
    };
    (suite, model)
}

/// Runs `op`; a failure must be one of the market's typed errors.
fn apply(suite: &mut Suite, model: &mut Model, op: &Op) {
    let result = match op {
        Op::Open {
            customer,
            provider,
            duration,
            delay,
            overpay,
        } => {
            let customer = model.customers[*customer].clone();
            let (_, price) = PROVIDERS[*provider];
            let mut request = suite.lease_request(&model.providers[*provider], *duration, price);
            if *delay > 0 {
                request.start = Some(suite.now() + delay);
            }
            let cost = (price * *duration as u128).div_ceil(SECONDS_PER_HOUR as u128);
            match suite.open_lease(&customer, cost + overpay, request) {
                Ok(id) => {
                    model.leases.push(id);
                    model.terms.insert(id, model.current_terms);
                    Ok(())
                }
                Err(err) => Err(err),
            }
        }
        Op::Accept(i) | Op::Reject(i) | Op::Withdraw(i) | Op::PostResult(i) => {
            let wanted = match op {
                Op::Accept(_) | Op::Reject(_) => PENDING,
                _ => ACTIVE,
            };
            let Some(id) = pick(suite, model, i, wanted) else {
                return;
            };
            let provider = suite.get_lease(id).lease.provider;
            let msg = match op {
                Op::Accept(_) => ExecuteMsg::AcceptLease { lease_id: id },
                Op::Reject(_) => ExecuteMsg::RejectLease { lease_id: id },
                Op::Withdraw(_) => ExecuteMsg::Withdraw { lease_id: id },
                _ => ExecuteMsg::PostResult {
                    lease_id: id,
                    result: gpunion_interface::market::LeaseResult {
                        cid: CID_B.into(),
                        output_hash: None,
                        trace_root: None,
                    },
                },
            };
            suite.execute(&provider, &msg).map(|_| ())
        }
        Op::Heartbeat(p) => {
            let provider = model.providers[*p].clone();
            let result = suite.heartbeat(&provider).map(|_| ());
            if result.is_ok() {
                model.heartbeats[*p].push(chain_time(suite));
            }
            result
        }
        Op::Advance(seconds) => {
            suite.advance(*seconds);
            Ok(())
        }
        Op::Work(i, seconds) => {
            let Some(id) = pick(suite, model, i, ACTIVE) else {
                return;
            };
            let provider = suite.get_lease(id).lease.provider;
            let p = model.providers.iter().position(|a| *a == provider).unwrap();
            suite.advance(*seconds);
            let result = suite.heartbeat(&provider).map(|_| ());
            if result.is_ok() {
                model.heartbeats[p].push(chain_time(suite));
            }
            result
        }
        Op::Close(i, by_customer) => {
            let Some(id) = pick(suite, model, i, OPEN) else {
                return;
            };
            let lease = suite.get_lease(id).lease;
            let sender = if *by_customer {
                lease.customer.clone()
            } else {
                lease.provider
            };
            // Once expirable, a close by either party settles as an expiry.
            suite.close(&sender, id).map(|response| {
                *model.slashes_received.entry(lease.customer).or_default() += slashed(&response);
            })
        }
        Op::Expire(i) => {
            let Some(id) = pick(suite, model, i, ACTIVE) else {
                return;
            };
            let customer = suite.get_lease(id).lease.customer;
            let stranger = suite.addr("stranger");
            suite.expire(&stranger, id).map(|response| {
                *model.slashes_received.entry(customer).or_default() += slashed(&response);
            })
        }
        Op::Halt(seconds) => {
            suite.halt(*seconds);
            Ok(())
        }
        Op::UpdateTerms(fee, slash, seconds, blocks) => {
            let mut params = default_params();
            params.protocol_fee = Decimal::permille(*fee);
            params.slash_fraction = Decimal::percent(*slash);
            params.heartbeat_grace_seconds = *seconds;
            params.heartbeat_grace_blocks = *blocks;
            let owner = suite.owner.clone();
            let result = suite.execute(
                &owner,
                &ExecuteMsg::UpdateParams {
                    params: params.clone(),
                },
            );
            if result.is_ok() {
                model.current_terms = params.lease_terms();
            }
            result.map(|_| ())
        }
        Op::Reclaim(i) => {
            let Some(id) = pick(suite, model, i, PENDING) else {
                return;
            };
            let stranger = suite.addr("stranger");
            suite
                .execute(&stranger, &ExecuteMsg::ReclaimLapsed { lease_id: id })
                .map(|_| ())
        }
        Op::Extend(i, extra) => {
            let Some(id) = pick(suite, model, i, OPEN) else {
                return;
            };
            let lease = suite.get_lease(id).lease;
            let cost =
                (lease.price_per_hour.u128() * *extra as u128).div_ceil(SECONDS_PER_HOUR as u128);
            suite.extend(&lease.customer, cost, id, *extra).map(|_| ())
        }
    };
    if let Err(err) = result {
        // Panics unless it is a market ContractError.
        let _ = market_err(err);
    }
}

/// The block's (time, height).
fn chain_time(suite: &Suite) -> (u64, u64) {
    (suite.now(), suite.app.block_info().height)
}

fn check(suite: &Suite, model: &mut Model) {
    let now = suite.now();
    let at = chain_time(suite);
    let market_balance = suite.balance(&suite.market);
    let totals = suite.get_totals();
    assert_eq!(
        market_balance,
        (totals.escrowed + totals.stakes).u128(),
        "reported totals"
    );

    let mut held = 0u128;
    let mut earned_not_withdrawn = 0u128;
    let mut paid_total = 0u128;
    let mut spent: HashMap<Addr, u128> = HashMap::new();
    for &id in &model.leases {
        let response = suite.get_lease(id);
        let lease = &response.lease;
        let (deposit, paid, refunded) = (
            lease.deposit.u128(),
            lease.paid_to_provider.u128(),
            lease.refunded.u128(),
        );
        assert!(
            paid + refunded <= deposit,
            "lease {id} pays out more than its deposit"
        );
        paid_total += paid;
        *spent.entry(lease.customer.clone()).or_default() += deposit - refunded;
        if lease.state.is_final() {
            assert_eq!(paid + refunded, deposit, "settled lease {id} keeps escrow");
            let before = model.settled.insert(id, (paid, refunded));
            assert!(
                before.is_none_or(|b| b == (paid, refunded)),
                "settled lease {id} paid again"
            );
        } else {
            held += lease.held().u128();
            earned_not_withdrawn += response.withdrawable.u128();
        }
        assert_eq!(lease.terms, model.terms[&id], "lease {id} keeps its terms");
        let grace = lease.terms.heartbeat_grace;
        // Credited time never exceeds heartbeat-covered, connected time.
        if let Some(accepted_at) = lease.accepted_at {
            let p = model
                .providers
                .iter()
                .position(|a| *a == lease.provider)
                .unwrap();
            let from = lease.start.max(accepted_at);
            let until = lease.closed_at.unwrap_or(now).min(lease.end);
            let covered = model.covered(p, from, until, grace);
            // Slashed only for service due and not covered.
            if lease.state == LeaseState::Expired {
                assert!(
                    covered < until.saturating_sub(from),
                    "lease {id} expired with its due time [{from}, {until}) covered"
                );
            }
            let credited = if lease.state.is_final() {
                paid
            } else {
                response.earned.u128()
            };
            assert!(
                credited * SECONDS_PER_HOUR as u128
                    <= lease.price_per_hour.u128() * covered as u128,
                "lease {id} credited {credited} for {covered} s covered by heartbeats"
            );
        }
        if lease.state == LeaseState::Pending {
            assert!(lease.accepted_at.is_none());
        }
    }
    assert!(earned_not_withdrawn <= held);
    let mut stakes = 0u128;
    for (p, address) in model.providers.iter().enumerate() {
        let record = suite.get_provider(address);
        stakes += record.provider.stake.u128();
        let last = *model.heartbeats[p].last().unwrap();
        let disconnected = lapsed(model.current_terms.heartbeat_grace, last, at);
        assert_eq!(
            record.status == ProviderStatus::Disconnect,
            disconnected,
            "status of provider {p}"
        );
        assert_eq!(
            (
                record.provider.last_heartbeat,
                record.provider.last_heartbeat_height
            ),
            last
        );
    }
    assert_eq!(
        market_balance,
        held + stakes,
        "balance = escrow (incl. earned-not-withdrawn) + stakes"
    );
    assert_eq!(totals.escrowed.u128(), held);

    for customer in &model.customers {
        let expected = FUNDS - spent.get(customer).copied().unwrap_or(0)
            + model.slashes_received.get(customer).copied().unwrap_or(0);
        assert_eq!(suite.balance(customer), expected, "customer balance");
    }
    let providers_and_treasury: u128 = model
        .providers
        .iter()
        .map(|p| suite.balance(p))
        .sum::<u128>()
        + suite.balance(&suite.treasury);
    assert_eq!(
        providers_and_treasury,
        model.treasury_start + paid_total,
        "payouts"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn escrow_invariant_holds_after_every_step(ops in prop::collection::vec(op(), 1..80)) {
        let (mut suite, mut model) = setup();
        check(&suite, &mut model);
        for op in &ops {
            apply(&mut suite, &mut model, op);
            check(&suite, &mut model);
        }
    }
}

//! Checked results: a second provider re-runs a deterministic lease's job; a third
//! settles a mismatch. Honest results pass, a lying provider is caught, slashed and its
//! customer refunded, a lying checker is slashed to the provider it accused, silent
//! assignees are replaced and, when nobody is left, the fee goes back; every bad answer
//! is a typed error that changes nothing.

use cosmwasm_std::{Addr, HexBinary};
use gpunion_interface::market::check::{CheckState, Verdict};
use gpunion_interface::market::{LeaseState, WorkloadKind};
use gpunion_interface::trace::{Trace, TraceError};
use gpunion_testing::{
    GUT, Suite, SuiteBuilder, attributes, default_params, dispatch_verdict, honest_trace, lie_from,
    market_err, root,
};
use market::ContractError;

/// 3.6 GUT per hour: 1,000 ugut per second.
const PRICE: u128 = 3_600_000;
const STAKE: u128 = 1_000 * GUT;
const POOL: [&str; 3] = ["pool0", "pool1", "pool2"];

struct World {
    suite: Suite,
    provider: Addr,
    customer: Addr,
    pool: Vec<Addr>,
}

fn fee() -> u128 {
    default_params().check_fee.u128()
}

/// A provider, a customer, and three other providers in the check pool.
fn world() -> World {
    let mut suite = SuiteBuilder::default().build();
    let provider = suite.add_provider("provider", attributes(4, PRICE));
    let customer = suite.addr("customer");
    let pool: Vec<Addr> = POOL
        .iter()
        .map(|name| {
            let member = suite.add_provider(name, attributes(1, PRICE));
            suite.join_pool(&member).unwrap();
            member
        })
        .collect();
    World {
        suite,
        provider,
        customer,
        pool,
    }
}

impl World {
    /// A checked lease of an hour, 600 s served and withdrawn, then its result posted
    /// with `trace`: the check is Checking.
    fn served(&mut self, trace: &Trace) -> u64 {
        let id = self
            .suite
            .checked_lease(&self.customer, &self.provider, PRICE, 3600);
        assert_eq!(self.suite.get_check(id).state, CheckState::Requested);
        for _ in 0..2 {
            self.suite.advance(300);
            self.heartbeat_all();
        }
        self.suite.withdraw(&self.provider, id).unwrap();
        self.suite
            .post_traced_result(&self.provider, id, trace)
            .unwrap();
        assert_eq!(self.suite.get_check(id).state, CheckState::Checking);
        id
    }

    /// The provider and every pool member heartbeat (a Disconnect member is not drawn).
    fn heartbeat_all(&mut self) {
        self.suite.heartbeat(&self.provider).unwrap();
        for member in self.pool.clone() {
            self.suite.heartbeat(&member).unwrap();
        }
    }

    /// Every account's GUT with the market, which together never change.
    fn everyone(&self) -> Vec<Addr> {
        let mut all = vec![
            self.provider.clone(),
            self.customer.clone(),
            self.suite.market.clone(),
            self.suite.treasury.clone(),
        ];
        all.extend(self.pool.iter().cloned());
        all
    }

    fn total(&self) -> u128 {
        self.everyone().iter().map(|a| self.suite.balance(a)).sum()
    }
}

#[test]
fn an_honest_result_passes_its_check_and_the_checker_is_paid() {
    let mut w = world();
    let honest = honest_trace(1, 10);
    let id = w.served(&honest);
    let checker = w.suite.assignee(id);
    assert!(w.pool.contains(&checker), "drawn from the pool");
    assert_eq!(w.suite.get_assigned(&checker).checks.len(), 1);
    assert_eq!(w.suite.get_totals().checks.u128(), fee());
    let before = w.suite.balance(&checker);

    w.suite.post_check(&checker, id, &honest).unwrap();
    let check = w.suite.get_check(id);
    assert_eq!(check.state, CheckState::Passed);
    assert!(check.state.confirms_result());
    assert_eq!(w.suite.balance(&checker), before + fee());
    assert!(w.suite.get_assigned(&checker).checks.is_empty());
    let provider = w.suite.get_provider(&w.provider).provider;
    assert_eq!(provider.stats.checked_results, 1);
    assert_eq!(provider.open_checks, 0);
    assert_eq!(provider.stake.u128(), STAKE);
    assert_eq!(w.suite.get_totals().checks.u128(), 0);
    w.suite.assert_escrow_invariant();
}

/// The provider made up its trace from dispatch 6 on; the checker ran it honestly; the
/// referee runs only to dispatch 6 and proves both sides' states there.
#[test]
fn a_lying_provider_is_caught_slashed_and_its_customer_refunded() {
    for by_root in [false, true] {
        let mut w = world();
        let honest = honest_trace(2, 10);
        let lie = lie_from(&honest, 6);
        let id = w.served(&lie);
        let total = w.total();
        let checker = w.suite.assignee(id);
        w.suite.post_check(&checker, id, &honest).unwrap();
        let check = w.suite.get_check(id);
        assert_eq!(check.state, CheckState::Disputed);
        let referee = w.suite.assignee(id);
        assert!(referee != checker && referee != w.provider && w.pool.contains(&referee));

        let lease = w.suite.get_lease(id).lease;
        assert_eq!(lease.state, LeaseState::Active);
        let paid = lease.paid_to_provider.u128();
        assert!(paid > 0, "the provider had been paid for the run");
        let held = lease.held().u128();
        let customer_before = w.suite.balance(&w.customer);
        let (checker_before, referee_before) =
            (w.suite.balance(&checker), w.suite.balance(&referee));

        let verdict = if by_root {
            Verdict::Root {
                root: root(&honest),
            }
        } else {
            let verdict = dispatch_verdict(&lie, &honest, &honest);
            assert!(matches!(verdict, Verdict::Dispatch { index: 6, .. }));
            verdict
        };
        w.suite.post_verdict(&referee, id, verdict).unwrap();

        assert_eq!(w.suite.get_check(id).state, CheckState::Refuted);
        let provider = w.suite.get_provider(&w.provider).provider;
        // The stake pays back what the lease paid, then 10% of the rest is slashed.
        let slash = (STAKE - paid) / 10;
        assert_eq!(provider.stake.u128(), STAKE - paid - slash);
        assert_eq!(provider.stats.refuted_results, 1);
        assert_eq!(provider.stats.slashed.u128(), paid + slash);
        assert!(w.suite.get_provider(&w.provider).reliability_permille < 500);
        assert_eq!(provider.open_checks, 0);
        // The referee is paid the fee from the slash; the customer gets everything the
        // lease still held, what it had paid, and the rest of the slash.
        assert_eq!(w.suite.balance(&referee), referee_before + fee());
        assert_eq!(w.suite.balance(&checker), checker_before + fee());
        assert_eq!(
            w.suite.balance(&w.customer),
            customer_before + held + paid + slash - fee()
        );
        let lease = w.suite.get_lease(id).lease;
        assert_eq!(lease.state, LeaseState::Closed, "the lease ends at once");
        assert_eq!(w.total(), total, "no GUT made or lost");
        w.suite.assert_escrow_invariant();
        for member in &w.pool {
            assert_eq!(w.suite.get_provider(member).provider.open_checks, 0);
        }
    }
}

/// A checker that made up its trace is slashed to the provider it accused. A referee
/// that ran the whole job confirms the result (Upheld); one that ran only to the
/// checker's first wrong dispatch shows the checker wrong, not the result right to the
/// end: the checker's slash pays the referee, and a new checker is drawn.
#[test]
fn a_lying_checker_is_overruled_and_slashed_to_the_provider() {
    let slash = STAKE / 10;
    // Whole run: upheld.
    let mut w = world();
    let honest = honest_trace(3, 10);
    let id = w.served(&honest);
    let checker = w.suite.assignee(id);
    let made_up = lie_from(&honest, 2);
    w.suite.post_check(&checker, id, &made_up).unwrap();
    let referee = w.suite.assignee(id);
    let provider_before = w.suite.balance(&w.provider);
    let referee_before = w.suite.balance(&referee);
    w.suite
        .post_verdict(
            &referee,
            id,
            Verdict::Root {
                root: root(&honest),
            },
        )
        .unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Upheld);
    assert_eq!(
        w.suite.get_provider(&checker).provider.stake.u128(),
        STAKE - slash
    );
    assert_eq!(w.suite.balance(&w.provider), provider_before + slash);
    assert_eq!(w.suite.balance(&referee), referee_before + fee());
    let provider = w.suite.get_provider(&w.provider).provider;
    assert_eq!(provider.stats.checked_results, 1);
    assert_eq!(provider.stake.u128(), STAKE);
    w.suite.assert_escrow_invariant();

    // To the first difference: checked again.
    let mut w = world();
    let id = w.served(&honest);
    let checker = w.suite.assignee(id);
    w.suite.post_check(&checker, id, &made_up).unwrap();
    let referee = w.suite.assignee(id);
    let provider_before = w.suite.balance(&w.provider);
    let referee_before = w.suite.balance(&referee);
    w.suite
        .post_verdict(&referee, id, dispatch_verdict(&honest, &made_up, &honest))
        .unwrap();
    let check = w.suite.get_check(id);
    assert_eq!(check.state, CheckState::Checking);
    assert_eq!(check.checker, None);
    let third = w.suite.assignee(id);
    assert!(third != checker && third != referee);
    assert_eq!(w.suite.balance(&referee), referee_before + fee());
    assert_eq!(
        w.suite.balance(&w.provider),
        provider_before + slash - fee()
    );
    let overruled = w.suite.get_provider(&checker).provider;
    assert_eq!(overruled.stake.u128(), STAKE - slash);
    assert_eq!(overruled.open_checks, 0);
    assert_eq!(
        w.suite.get_totals().checks.u128(),
        fee(),
        "the fee is still held"
    );
    w.suite.post_check(&third, id, &honest).unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Passed);
    w.suite.assert_escrow_invariant();
}

#[test]
fn a_verdict_matching_neither_side_is_inconclusive_and_slashes_nobody() {
    let mut w = world();
    let honest = honest_trace(4, 4);
    let id = w.served(&lie_from(&honest, 1));
    let checker = w.suite.assignee(id);
    w.suite
        .post_check(&checker, id, &lie_from(&honest, 2))
        .unwrap();
    let referee = w.suite.assignee(id);
    w.suite
        .post_verdict(
            &referee,
            id,
            Verdict::Root {
                root: root(&honest),
            },
        )
        .unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Inconclusive);
    for address in [&w.provider, &checker] {
        assert_eq!(
            w.suite.get_provider(address).provider.stake.u128(),
            STAKE,
            "{address} not slashed"
        );
    }
    w.suite.assert_escrow_invariant();
}

#[test]
fn silent_assignees_are_dropped_and_replaced_and_the_fee_returns_when_nobody_is_left() {
    let mut w = world();
    let honest = honest_trace(5, 3);
    let id = w.served(&honest);
    // The lease ends; its check goes on.
    w.suite.close(&w.customer, id).unwrap();
    let stranger = w.suite.addr("stranger");
    let first = w.suite.assignee(id);
    // Not before the deadline.
    let err = market_err(w.suite.timeout_check(&stranger, id).unwrap_err());
    assert!(
        matches!(err, ContractError::CheckDeadlineNotReached { .. }),
        "{err}"
    );
    w.suite.advance(default_params().check_window_seconds + 1);
    w.heartbeat_all();
    w.suite.timeout_check(&stranger, id).unwrap();
    let second = w.suite.assignee(id);
    assert_ne!(second, first);
    let silent = w.suite.get_provider(&first).provider;
    assert!(!silent.in_check_pool, "a silent checker is drawn no more");
    assert_eq!(silent.open_checks, 0);
    assert_eq!(w.suite.get_pool_size(), 2);
    // The dropped checker's late answer is refused.
    let err = market_err(w.suite.post_check(&first, id, &honest).unwrap_err());
    assert!(matches!(err, ContractError::NotAssigned { .. }), "{err}");

    // The second answers with a different trace: a dispute, whose referee can only be
    // the third member.
    w.suite
        .post_check(&second, id, &lie_from(&honest, 0))
        .unwrap();
    let referee = w.suite.assignee(id);
    assert!(referee != first && referee != second);
    // The referee says nothing either; no one is left to draw: Void, fee back.
    w.suite.advance(default_params().check_window_seconds + 1);
    w.heartbeat_all();
    let customer_before = w.suite.balance(&w.customer);
    w.suite.timeout_check(&stranger, id).unwrap();
    let check = w.suite.get_check(id);
    assert_eq!(check.state, CheckState::Void);
    assert_eq!(w.suite.balance(&w.customer), customer_before + fee());
    for address in [&w.provider, &second, &referee] {
        assert_eq!(w.suite.get_provider(address).provider.open_checks, 0);
    }
    w.suite.assert_escrow_invariant();
}

#[test]
fn a_check_waits_for_the_result_and_ends_void_without_something_to_compare() {
    let mut w = world();
    // Cancelled by the customer while waiting.
    let id = w.suite.checked_lease(&w.customer, &w.provider, PRICE, 3600);
    let before = w.suite.balance(&w.customer);
    w.suite.cancel_check(&w.customer, id).unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Void);
    assert_eq!(w.suite.balance(&w.customer), before + fee());
    let err = market_err(w.suite.cancel_check(&w.customer, id).unwrap_err());
    assert!(
        matches!(err, ContractError::WrongCheckState { .. }),
        "{err}"
    );

    // A result without a trace root: nothing to compare.
    let id = w.suite.checked_lease(&w.customer, &w.provider, PRICE, 3600);
    let before = w.suite.balance(&w.customer);
    w.suite
        .post_result(&w.provider, id, gpunion_testing::CID_B)
        .unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Void);
    assert_eq!(w.suite.balance(&w.customer), before + fee());

    // A lease the provider rejects never runs.
    let mut request = w.suite.lease_request(&w.provider, 3600, PRICE);
    request.check = true;
    let cost = PRICE + fee();
    w.suite.fund(&w.customer, cost);
    let id = w.suite.open_lease(&w.customer, cost, request).unwrap();
    let before = w.suite.balance(&w.customer);
    w.suite
        .execute(
            &w.provider,
            &gpunion_interface::market::ExecuteMsg::RejectLease { lease_id: id },
        )
        .unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Void);
    assert_eq!(w.suite.balance(&w.customer), before + PRICE + fee());
    assert_eq!(w.suite.get_provider(&w.provider).provider.open_checks, 0);
    w.suite.assert_escrow_invariant();
}

#[test]
fn a_check_requested_after_the_result_is_drawn_at_once() {
    let mut w = world();
    let honest = honest_trace(6, 5);
    let request = w.suite.lease_request(&w.provider, 3600, PRICE);
    w.suite.fund(&w.customer, PRICE);
    let id = w.suite.open_lease(&w.customer, PRICE, request).unwrap();
    w.suite.accept(&w.provider, id).unwrap();
    w.suite
        .post_traced_result(&w.provider, id, &honest)
        .unwrap();
    w.suite.close(&w.customer, id).unwrap();
    w.suite.request_check(&w.customer, id).unwrap();
    let checker = w.suite.assignee(id);
    w.suite.post_check(&checker, id, &honest).unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Passed);
    w.suite.assert_escrow_invariant();
}

/// Who answers, and with what: each wrong answer is a typed error and changes nothing.
#[test]
fn wrong_answers_are_refused_and_change_nothing() {
    let mut w = world();
    let honest = honest_trace(7, 8);
    let lie = lie_from(&honest, 3);
    let id = w.served(&lie);
    let checker = w.suite.assignee(id);
    let other = w.pool.iter().find(|m| **m != checker).unwrap().clone();
    let check = w.suite.get_check(id);
    let totals = w.suite.get_totals();

    let refused = |w: &mut World, sender: &Addr, trace: &Trace| {
        market_err(w.suite.post_check(sender, id, trace).unwrap_err())
    };
    // The provider being checked, and a pool member not drawn.
    for sender in [w.provider.clone(), other.clone(), w.customer.clone()] {
        let err = refused(&mut w, &sender, &honest);
        assert!(matches!(err, ContractError::NotAssigned { .. }), "{err}");
    }
    // A root that is not a hash.
    let err = market_err(
        w.suite
            .execute(
                &checker,
                &gpunion_interface::market::ExecuteMsg::PostCheck {
                    lease_id: id,
                    root: HexBinary::from(vec![1; 31]),
                    trace_cid: gpunion_testing::CID_A.into(),
                },
            )
            .unwrap_err(),
    );
    assert!(matches!(err, ContractError::BadTraceProof { .. }), "{err}");
    assert_eq!(w.suite.get_check(id), check);
    assert_eq!(w.suite.get_totals(), totals);

    w.suite.post_check(&checker, id, &honest).unwrap();
    // Twice.
    let err = refused(&mut w, &checker, &honest);
    assert!(
        matches!(err, ContractError::WrongCheckState { .. }),
        "{err}"
    );

    let referee = w.suite.assignee(id);
    let disputed = w.suite.get_check(id);
    let wrong_verdicts = [
        // A proof of the provider's state made against the wrong trace.
        Verdict::Dispatch {
            index: 3,
            state: honest.states[3].clone(),
            provider: honest.proof(3).unwrap(),
            checker: honest.proof(3).unwrap(),
        },
        // Where the traces agree.
        Verdict::Dispatch {
            index: 1,
            state: honest.states[1].clone(),
            provider: lie.proof(1).unwrap(),
            checker: honest.proof(1).unwrap(),
        },
        // A state at another index than proven.
        Verdict::Dispatch {
            index: 4,
            state: honest.states[3].clone(),
            provider: lie.proof(3).unwrap(),
            checker: honest.proof(3).unwrap(),
        },
    ];
    for verdict in wrong_verdicts {
        let err = market_err(w.suite.post_verdict(&referee, id, verdict).unwrap_err());
        assert!(
            matches!(
                err,
                ContractError::BadTraceProof {
                    error: TraceError::Mismatch,
                    ..
                } | ContractError::VerdictWhereTracesAgree { index: 1 }
            ),
            "{err}"
        );
        assert_eq!(w.suite.get_check(id), disputed);
    }
    // The checker cannot judge its own dispute.
    let err = market_err(
        w.suite
            .post_verdict(&checker, id, dispatch_verdict(&lie, &honest, &honest))
            .unwrap_err(),
    );
    assert!(matches!(err, ContractError::NotAssigned { .. }), "{err}");
    // After the deadline.
    w.suite.advance(default_params().check_window_seconds + 1);
    let err = market_err(
        w.suite
            .post_verdict(&referee, id, dispatch_verdict(&lie, &honest, &honest))
            .unwrap_err(),
    );
    assert!(
        matches!(err, ContractError::CheckDeadlinePassed { .. }),
        "{err}"
    );
    assert_eq!(w.suite.get_check(id), disputed);
    w.suite.assert_escrow_invariant();
}

#[test]
fn bad_requests_are_refused_and_take_nothing() {
    let mut w = world();
    let honest = honest_trace(8, 2);
    let id = w.served(&honest);
    // Twice.
    let before = w.suite.balance(&w.customer);
    let err = market_err(w.suite.request_check(&w.customer, id).unwrap_err());
    assert!(
        matches!(err, ContractError::CheckAlreadyRequested { .. }),
        "{err}"
    );
    // Refused sends leave the sent GUT where it was (the fee was funded by the helper).
    assert_eq!(w.suite.balance(&w.customer), before + fee());
    // By someone else than the customer.
    let request = w.suite.lease_request(&w.provider, 3600, PRICE);
    w.suite.fund(&w.customer, PRICE);
    let plain = w.suite.open_lease(&w.customer, PRICE, request).unwrap();
    w.suite.accept(&w.provider, plain).unwrap();
    let stranger = w.suite.addr("stranger");
    let err = market_err(w.suite.request_check(&stranger, plain).unwrap_err());
    assert!(matches!(err, ContractError::NotLeaseParty { .. }), "{err}");
    // Underpaid.
    let err = market_err(
        w.suite
            .send(
                &w.customer,
                fee() - 1,
                &gpunion_interface::market::ReceiveMsg::RequestCheck { lease_id: plain },
            )
            .unwrap_err(),
    );
    assert!(
        matches!(err, ContractError::InsufficientDeposit { .. }),
        "{err}"
    );
    // A result without a trace root cannot be checked.
    w.suite
        .post_result(&w.provider, plain, gpunion_testing::CID_B)
        .unwrap();
    let err = market_err(w.suite.request_check(&w.customer, plain).unwrap_err());
    assert!(matches!(err, ContractError::NotCheckable { .. }), "{err}");
    // A container lease cannot be checked.
    let mut request = w.suite.lease_request(&w.provider, 3600, PRICE);
    request.workload.kind = WorkloadKind::OciImage;
    request.check = true;
    w.suite.fund(&w.customer, PRICE + fee());
    let err = market_err(
        w.suite
            .open_lease(&w.customer, PRICE + fee(), request)
            .unwrap_err(),
    );
    assert!(matches!(err, ContractError::NotCheckable { .. }), "{err}");
    // Joining the pool twice, or without being a provider.
    let err = market_err(w.suite.join_pool(&w.pool[0]).unwrap_err());
    assert!(
        matches!(err, ContractError::AlreadyInCheckPool { .. }),
        "{err}"
    );
    let err = market_err(w.suite.join_pool(&stranger).unwrap_err());
    assert!(
        matches!(err, ContractError::ProviderNotFound { .. }),
        "{err}"
    );
    w.suite.assert_escrow_invariant();
}

/// A provider whose result is being checked, or a checker whose answer may still be
/// overruled, cannot leave and take its stake before the check ends.
#[test]
fn nobody_a_check_may_slash_can_leave_before_it_ends() {
    let mut w = world();
    let honest = honest_trace(9, 4);
    let id = w.served(&lie_from(&honest, 0));
    let checker = w.suite.assignee(id);
    w.suite.post_check(&checker, id, &honest).unwrap();
    w.suite.close(&w.customer, id).unwrap();
    for party in [w.provider.clone(), checker.clone()] {
        let err = market_err(
            w.suite
                .execute(&party, &gpunion_interface::market::ExecuteMsg::Leave {})
                .unwrap_err(),
        );
        assert!(matches!(err, ContractError::HasOpenChecks { .. }), "{err}");
    }
    let referee = w.suite.assignee(id);
    w.suite
        .post_verdict(
            &referee,
            id,
            Verdict::Root {
                root: root(&honest),
            },
        )
        .unwrap();
    assert_eq!(w.suite.get_check(id).state, CheckState::Refuted);
    // The lease was closed and paid before the verdict: the stake pays it back.
    let paid = w.suite.get_lease(id).lease.paid_to_provider.u128();
    let stake = w.suite.get_provider(&w.provider).provider.stake.u128();
    assert_eq!(stake, STAKE - paid - (STAKE - paid) / 10);
    // Now both may leave.
    for party in [w.provider.clone(), checker] {
        w.suite
            .execute(&party, &gpunion_interface::market::ExecuteMsg::Leave {})
            .unwrap();
    }
    w.suite.assert_escrow_invariant();
}

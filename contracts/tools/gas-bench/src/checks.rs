//! Gas of checked results as the check pool grows: a lease opened with a check, the
//! result that draws its checker, a checker's matching and mismatching answers (the
//! latter draws a referee), the referee's verdicts (at the first difference of two
//! 10-dispatch traces, and by root), a timeout that draws again, and the check
//! queries. Every step runs natively and in the VM, as `run_scale` does.

use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{Addr, Uint128, from_json};
use gpunion_interface::market::check::{Check, ChecksResponse, Verdict};
use gpunion_interface::market::{
    self as market_msg, LeaseResult, OpenLease, Workload, WorkloadKind,
};
use gpunion_interface::trace::Trace;
use gpunion_testing::{default_params, dispatch_verdict, honest_trace, lie_from, root};

use super::{CID, Market, PRICE, STAKE, attributes, env_at, vm_query};

/// Dispatches of the measured job's trace.
const DISPATCHES: u8 = 10;

pub struct CheckRow {
    pub pool: usize,
    pub open_checked: u64,
    pub request: u64,
    pub result_draws: u64,
    pub answer_agrees: u64,
    pub answer_disputes: u64,
    pub verdict_dispatch: u64,
    pub verdict_root: u64,
    pub timeout: u64,
    pub check_query: u64,
    pub assigned_query: u64,
}

/// The market with `pool` providers in the check pool besides the measured provider.
pub fn run(pool: usize, market_wasm: &[u8]) -> CheckRow {
    let api = MockApi::default();
    let gut = api.addr_make("gut");
    let mut market = Market::new(&api, market_wasm);
    let now = market.now.clone();
    let register = |market: &Market, address: &Addr, stake: u128| {
        let msg = market.hook(
            address,
            stake,
            &market_msg::ReceiveMsg::Register {
                attributes: attributes("u33dc0"),
            },
        );
        market.native_execute(&gut, msg);
    };
    for p in 0..pool {
        let member = api.addr_make(&format!("member{p}"));
        register(&market, &member, STAKE);
        market.native_execute(&member, market_msg::ExecuteMsg::JoinCheckPool {});
    }
    // Staked enough to stay above the minimum after the refutation measured below.
    let provider = api.addr_make("provider");
    register(&market, &provider, 10 * STAKE);
    super::copy_storage(&market.native.borrow().storage, &mut market.vm);

    let customer = api.addr_make("customer");
    let fee = default_params().check_fee.u128();
    let honest = honest_trace(1, DISPATCHES);
    let lie = lie_from(&honest, 5);
    let mut next_lease = 1;
    let mut open = |market: &mut Market, check: bool| {
        let request = OpenLease {
            provider: provider.to_string(),
            slot: None,
            start: None,
            duration_seconds: 600,
            workload: Workload {
                cid: CID.into(),
                kind: WorkloadKind::WgslBundle,
            },
            max_price_per_hour: Uint128::new(PRICE),
            check,
        };
        let msg = market.hook(
            &customer,
            PRICE + fee,
            &market_msg::ReceiveMsg::OpenLease(request),
        );
        let gas = market.both(&gut, msg);
        let id = next_lease;
        next_lease += 1;
        market.both(
            &provider,
            market_msg::ExecuteMsg::AcceptLease { lease_id: id },
        );
        (id, gas)
    };
    let post = |market: &mut Market, id: u64, trace: &Trace| {
        market.both(
            &provider,
            market_msg::ExecuteMsg::PostResult {
                lease_id: id,
                result: LeaseResult {
                    cid: CID.into(),
                    output_hash: None,
                    trace_root: Some(root(trace)),
                },
            },
        )
    };
    let assignee = |market: &Market, id: u64| -> Addr {
        let check: Option<Check> = from_json(
            market::contract::query(
                market.native.borrow().as_ref(),
                env_at(market.now.get()),
                market_msg::QueryMsg::Check { lease_id: id },
            )
            .unwrap(),
        )
        .unwrap();
        check.and_then(|c| c.assignee).expect("drawn").address
    };
    let answer = |market: &mut Market, id: u64, trace: &Trace| {
        let checker = assignee(market, id);
        market.both(
            &checker,
            market_msg::ExecuteMsg::PostCheck {
                lease_id: id,
                root: root(trace),
                trace_cid: CID.into(),
            },
        )
    };

    // A lying provider, caught at the first difference.
    let (first, open_checked) = open(&mut market, true);
    let result_draws = post(&mut market, first, &lie);
    let answer_disputes = answer(&mut market, first, &honest);
    let referee = assignee(&market, first);
    let verdict_dispatch = market.both(
        &referee,
        market_msg::ExecuteMsg::PostVerdict {
            lease_id: first,
            verdict: dispatch_verdict(&lie, &honest, &honest),
        },
    );
    // An honest one: a check requested after the result, which passes.
    let (second, _) = open(&mut market, false);
    post(&mut market, second, &honest);
    let request = {
        let msg = market.hook(
            &customer,
            fee,
            &market_msg::ReceiveMsg::RequestCheck { lease_id: second },
        );
        market.both(&gut, msg)
    };
    let env = env_at(now.get());
    let checker = assignee(&market, second);
    let (assigned_query, assigned): (u64, ChecksResponse) = vm_query(
        &mut market.vm,
        &env,
        &market_msg::QueryMsg::ChecksAssigned {
            address: checker.to_string(),
            start_after: None,
            limit: None,
        },
    );
    assert!(!assigned.checks.is_empty());
    let (check_query, _): (u64, Option<Check>) = vm_query(
        &mut market.vm,
        &env,
        &market_msg::QueryMsg::Check { lease_id: second },
    );
    let answer_agrees = answer(&mut market, second, &honest);
    // A dispute settled by a whole re-run.
    let (third, _) = open(&mut market, true);
    post(&mut market, third, &honest);
    answer(&mut market, third, &lie);
    let referee = assignee(&market, third);
    let verdict_root = market.both(
        &referee,
        market_msg::ExecuteMsg::PostVerdict {
            lease_id: third,
            verdict: Verdict::Root {
                root: root(&honest),
            },
        },
    );
    // A silent checker, timed out and replaced.
    let (fourth, _) = open(&mut market, true);
    post(&mut market, fourth, &honest);
    now.set(now.get() + default_params().check_window_seconds + 1);
    // (The block height stays put: nobody's heartbeat lapses, the draw meets live members.)
    let timeout = market.both(
        &customer,
        market_msg::ExecuteMsg::TimeoutCheck { lease_id: fourth },
    );
    CheckRow {
        pool,
        open_checked,
        request,
        result_draws,
        answer_agrees,
        answer_disputes,
        verdict_dispatch,
        verdict_root,
        timeout,
        check_query,
        assigned_query,
    }
}

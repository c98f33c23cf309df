//! Checked results (`gpunion_interface::market::check`): the pool checkers and referees
//! are drawn from, requests, draws, answers, verdicts, timeouts, and who is paid or
//! slashed when a check ends.
//!
//! Money: a check's fee is held (`EscrowTotals::checks`) from the request until the
//! check ends, then paid to exactly one party: the checker (Passed, Refuted), the
//! referee (Upheld, Inconclusive) or back to the customer (Void). Slashes move stake
//! only: a refuted provider's stake pays back what the lease paid it, then the lease's
//! `slash_fraction` of the rest, the referee first (up to the fee), the customer the
//! remainder; an overruled checker's slash goes to the provider it accused.

use cosmwasm_std::{
    Addr, CosmosMsg, DepsMut, Env, HexBinary, MessageInfo, Response, Storage, Uint128,
};
use gpunion_interface::market::check::{
    Assignment, Check, CheckAnswer, CheckState, MAX_ASSIGNMENTS, Side, Verdict,
};
use gpunion_interface::market::{ChainTime, Lease, LeaseState, Provider, WorkloadKind};
use gpunion_interface::stake::Bond;
use gpunion_interface::token::transfer;
use gpunion_interface::trace::{self, Hash};
use gpunion_interface::validate;
use sha2::{Digest, Sha256};

use crate::error::ContractError;
use crate::lease::{finish, load_lease, not_party, settle};
use crate::provider::load_provider;
use crate::state::{
    CHECK_POOL, CHECK_POOL_INDEX, CHECK_POOL_SIZE, CHECKS, CHECKS_BY_ASSIGNEE, CONFIG, Config,
    PROVIDERS, TOTALS, chain_time,
};

/// Pool members looked at per draw, from a pseudo-random start: members that cannot be
/// drawn now (paused, Disconnect, a party of the lease) are skipped, so a pool of dead
/// members costs a draw a bounded amount of gas.
const MAX_DRAW_SCAN: u32 = 32;

/// Which answer a draw is for.
#[derive(Clone, Copy)]
enum Role {
    Checker,
    Referee,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Checker => "checker",
            Role::Referee => "referee",
        }
    }
}

pub fn execute_join_pool(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut provider = load_provider(&deps, &info.sender)?;
    if provider.in_check_pool {
        return Err(ContractError::AlreadyInCheckPool {
            address: info.sender,
        });
    }
    provider.ensure_bonded()?;
    if !provider
        .attributes
        .workloads
        .contains(&WorkloadKind::WgslBundle)
    {
        return Err(ContractError::WorkloadNotOffered {
            provider: info.sender,
            kind: WorkloadKind::WgslBundle,
        });
    }
    let size = CHECK_POOL_SIZE.may_load(deps.storage)?.unwrap_or(0);
    CHECK_POOL.save(deps.storage, size, &info.sender)?;
    CHECK_POOL_INDEX.save(deps.storage, &info.sender, &size)?;
    CHECK_POOL_SIZE.save(deps.storage, &(size + 1))?;
    provider.in_check_pool = true;
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    Ok(Response::new()
        .add_attribute("action", "join_check_pool")
        .add_attribute("provider", info.sender))
}

pub fn execute_leave_pool(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut provider = load_provider(&deps, &info.sender)?;
    if !provider.in_check_pool {
        return Err(ContractError::NotInCheckPool {
            address: info.sender,
        });
    }
    leave_pool(deps.storage, &mut provider)?;
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    Ok(Response::new()
        .add_attribute("action", "leave_check_pool")
        .add_attribute("provider", info.sender))
}

/// Takes `provider` out of the pool (the caller saves it): the last member takes its
/// number, so the pool stays dense and a draw stays one read.
pub(crate) fn leave_pool(
    storage: &mut dyn Storage,
    provider: &mut Provider,
) -> Result<(), ContractError> {
    let index = CHECK_POOL_INDEX.load(storage, &provider.address)?;
    let last = CHECK_POOL_SIZE.load(storage)? - 1;
    if index != last {
        let moved = CHECK_POOL.load(storage, last)?;
        CHECK_POOL.save(storage, index, &moved)?;
        CHECK_POOL_INDEX.save(storage, &moved, &index)?;
    }
    CHECK_POOL.remove(storage, last);
    CHECK_POOL_INDEX.remove(storage, &provider.address);
    CHECK_POOL_SIZE.save(storage, &last)?;
    provider.in_check_pool = false;
    Ok(())
}

/// The customer's `RequestCheck`, paid with `amount` (at least the fee; the rest back).
pub fn execute_request(
    deps: DepsMut,
    env: Env,
    config: &Config,
    sender: Addr,
    amount: Uint128,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let lease = load_lease(deps.storage, lease_id)?;
    if sender != lease.customer {
        return Err(not_party(lease_id, "customer"));
    }
    let fee = config.params.check_fee;
    if amount < fee {
        return Err(ContractError::InsufficientDeposit {
            sent: amount,
            cost: fee,
        });
    }
    let mut msgs = transfer(&config.gut_token, &sender, amount - fee)
        .into_iter()
        .collect::<Vec<_>>();
    msgs.extend(request(deps.storage, &env, config, &lease, fee)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "request_check")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("fee", fee))
}

/// Records a check of `lease` paid with `fee` (already received) and, if the result is
/// there, draws its checker. The messages pay out a check that ended at once.
pub(crate) fn request(
    storage: &mut dyn Storage,
    env: &Env,
    config: &Config,
    lease: &Lease,
    fee: Uint128,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let not_checkable = |reason| ContractError::NotCheckable {
        id: lease.id,
        reason,
    };
    if lease.workload.kind != WorkloadKind::WgslBundle {
        return Err(not_checkable("only WGSL bundles can be deterministic"));
    }
    if lease.state.is_final() && lease.accepted_at.is_none() {
        return Err(not_checkable("it never ran"));
    }
    if let Some(result) = &lease.result
        && result.trace_root.is_none()
    {
        return Err(not_checkable("its result has no trace root"));
    }
    if CHECKS.has(storage, lease.id) {
        return Err(ContractError::CheckAlreadyRequested { id: lease.id });
    }
    let now = env.block.time.seconds();
    let mut seed = Sha256::new();
    seed.update(b"gpunion check");
    seed.update(lease.id.to_le_bytes());
    seed.update(env.block.height.to_le_bytes());
    seed.update(now.to_le_bytes());
    let mut check = Check {
        lease_id: lease.id,
        fee,
        window_seconds: config.params.check_window_seconds,
        requested_at: now,
        seed: HexBinary::from(seed.finalize().to_vec()),
        state: CheckState::Requested,
        assignee: None,
        checker: None,
        answer: None,
        referee: None,
        verdict: None,
        drawn: vec![],
        settled_at: None,
    };
    update_provider(storage, &lease.provider, |p| p.open_checks += 1)?;
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.checks = totals.checks.checked_add(fee)?;
        Ok(totals)
    })?;
    let msgs = if lease.result.is_some() {
        draw_or_void(
            storage,
            chain_time(env),
            config,
            &mut check,
            lease,
            CheckState::Checking,
        )?
    } else {
        vec![]
    };
    CHECKS.save(storage, lease.id, &check)?;
    Ok(msgs)
}

/// The lease's result was posted: a check waiting for it starts (or ends Void if the
/// result has no trace root to compare).
pub(crate) fn on_result(
    storage: &mut dyn Storage,
    env: &Env,
    lease: &Lease,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let Some(mut check) = waiting(storage, lease.id)? else {
        return Ok(vec![]);
    };
    let config = CONFIG.load(storage)?;
    let at = chain_time(env);
    let has_root = lease
        .result
        .as_ref()
        .is_some_and(|r| r.trace_root.is_some());
    let msgs = if has_root {
        draw_or_void(
            storage,
            at,
            &config,
            &mut check,
            lease,
            CheckState::Checking,
        )?
    } else {
        end(
            storage,
            &config,
            &mut check,
            lease,
            CheckState::Void,
            at.seconds,
        )?
    };
    CHECKS.save(storage, lease.id, &check)?;
    Ok(msgs)
}

/// The lease ended without running (rejected, lapsed, cancelled): a check waiting for
/// its result ends Void.
pub(crate) fn on_never_ran(
    storage: &mut dyn Storage,
    lease: &Lease,
    now: u64,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let Some(mut check) = waiting(storage, lease.id)? else {
        return Ok(vec![]);
    };
    let config = CONFIG.load(storage)?;
    let msgs = end(storage, &config, &mut check, lease, CheckState::Void, now)?;
    CHECKS.save(storage, lease.id, &check)?;
    Ok(msgs)
}

/// Draws the next assignee and moves the check to `next` (Checking or Disputed); Void,
/// its fee back to the customer, when nobody can be drawn.
fn draw_or_void(
    storage: &mut dyn Storage,
    at: ChainTime,
    config: &Config,
    check: &mut Check,
    lease: &Lease,
    next: CheckState,
) -> Result<Vec<CosmosMsg>, ContractError> {
    if draw(storage, at, config, check, lease)? {
        check.state = next;
        Ok(vec![])
    } else {
        end(storage, config, check, lease, CheckState::Void, at.seconds)
    }
}

pub fn execute_cancel(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.customer {
        return Err(not_party(lease_id, "customer"));
    }
    let mut check = load_check(deps.storage, lease_id)?;
    ensure_state(&check, CheckState::Requested, "Requested")?;
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let msgs = end(
        deps.storage,
        &config,
        &mut check,
        &lease,
        CheckState::Void,
        now,
    )?;
    CHECKS.save(deps.storage, lease_id, &check)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "cancel_check")
        .add_attribute("lease_id", lease_id.to_string()))
}

pub fn execute_post_check(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
    root: HexBinary,
    trace_cid: String,
) -> Result<Response, ContractError> {
    let at = chain_time(&env);
    let lease = load_lease(deps.storage, lease_id)?;
    let mut check = load_check(deps.storage, lease_id)?;
    ensure_state(&check, CheckState::Checking, "Checking")?;
    take_answer(
        deps.storage,
        &mut check,
        &info.sender,
        Role::Checker,
        at.seconds,
    )?;
    hash("checker", &root)?;
    validate::cid("trace cid", &trace_cid)?;
    let config = CONFIG.load(deps.storage)?;
    check.checker = Some(info.sender);
    let agrees = Some(&root) == provider_root(&lease);
    check.answer = Some(CheckAnswer { root, trace_cid });
    let msgs = if agrees {
        end(
            deps.storage,
            &config,
            &mut check,
            &lease,
            CheckState::Passed,
            at.seconds,
        )?
    } else {
        draw_or_void(
            deps.storage,
            at,
            &config,
            &mut check,
            &lease,
            CheckState::Disputed,
        )?
    };
    CHECKS.save(deps.storage, lease_id, &check)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "post_check")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("state", format!("{:?}", check.state)))
}

pub fn execute_post_verdict(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
    verdict: Verdict,
) -> Result<Response, ContractError> {
    let at = chain_time(&env);
    let now = at.seconds;
    let lease = load_lease(deps.storage, lease_id)?;
    let mut check = load_check(deps.storage, lease_id)?;
    ensure_state(&check, CheckState::Disputed, "Disputed")?;
    take_answer(deps.storage, &mut check, &info.sender, Role::Referee, now)?;
    let side = judge(&check, &lease, &verdict)?;
    update_provider(deps.storage, &info.sender, |p| p.open_checks -= 1)?;
    let config = CONFIG.load(deps.storage)?;
    let partial = matches!(verdict, Verdict::Dispatch { .. });
    check.referee = Some(info.sender.clone());
    check.verdict = Some(verdict);
    let msgs = match side {
        // The checker went wrong first; the provider is right up to there, not
        // shown right to the end: the checker pays the referee and the provider from
        // its stake, and the job is checked again by a new checker.
        Side::Provider if partial => {
            recheck(deps.storage, at, &config, &mut check, &lease, &info.sender)?
        }
        Side::Provider => end(
            deps.storage,
            &config,
            &mut check,
            &lease,
            CheckState::Upheld,
            now,
        )?,
        Side::Checker => end(
            deps.storage,
            &config,
            &mut check,
            &lease,
            CheckState::Refuted,
            now,
        )?,
        Side::Neither => end(
            deps.storage,
            &config,
            &mut check,
            &lease,
            CheckState::Inconclusive,
            now,
        )?,
    };
    CHECKS.save(deps.storage, lease_id, &check)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "post_verdict")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("state", format!("{:?}", check.state)))
}

/// A partial verdict against the checker: its slash pays the referee (up to the fee)
/// and the provider the rest; it is released, and a new checker drawn (Void if none).
fn recheck(
    storage: &mut dyn Storage,
    at: ChainTime,
    config: &Config,
    check: &mut Check,
    lease: &Lease,
    referee: &Addr,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let mut msgs = overrule(storage, config, check, lease, Some((referee, check.fee)))?;
    if let Some(checker) = check.checker.take() {
        update_provider(storage, &checker, |p| p.open_checks -= 1)?;
    }
    check.answer = None;
    check.referee = None;
    msgs.extend(draw_or_void(
        storage,
        at,
        config,
        check,
        lease,
        CheckState::Checking,
    )?);
    Ok(msgs)
}

pub fn execute_timeout(deps: DepsMut, env: Env, lease_id: u64) -> Result<Response, ContractError> {
    let at = chain_time(&env);
    let lease = load_lease(deps.storage, lease_id)?;
    let mut check = load_check(deps.storage, lease_id)?;
    let role = match check.state {
        CheckState::Checking => Role::Checker,
        CheckState::Disputed => Role::Referee,
        state => {
            return Err(ContractError::WrongCheckState {
                id: lease_id,
                state,
                expected: "Checking or Disputed",
            });
        }
    };
    let assignment = check
        .assignee
        .clone()
        .ok_or(ContractError::CheckNotFound { id: lease_id })?;
    if at.seconds <= assignment.deadline {
        return Err(ContractError::CheckDeadlineNotReached {
            id: lease_id,
            deadline: assignment.deadline,
            now: at.seconds,
        });
    }
    unassign(deps.storage, &mut check)?;
    // The silent one answers for nothing more here, and is drawn no more by anyone.
    let mut silent = PROVIDERS.load(deps.storage, &assignment.address)?;
    silent.open_checks -= 1;
    if silent.in_check_pool {
        leave_pool(deps.storage, &mut silent)?;
    }
    PROVIDERS.save(deps.storage, &assignment.address, &silent)?;
    let config = CONFIG.load(deps.storage)?;
    let state = check.state;
    let msgs = draw_or_void(deps.storage, at, &config, &mut check, &lease, state)?;
    CHECKS.save(deps.storage, lease_id, &check)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "timeout_check")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("role", role.name())
        .add_attribute("silent", assignment.address)
        .add_attribute("state", format!("{:?}", check.state)))
}

/// Checks `sender` is the assignee for `role` within its deadline, and clears the
/// assignment.
fn take_answer(
    storage: &mut dyn Storage,
    check: &mut Check,
    sender: &Addr,
    role: Role,
    now: u64,
) -> Result<(), ContractError> {
    let id = check.lease_id;
    let assignment = check
        .assignee
        .as_ref()
        .filter(|a| a.address == *sender)
        .ok_or(ContractError::NotAssigned {
            id,
            role: role.name(),
        })?;
    if now > assignment.deadline {
        return Err(ContractError::CheckDeadlinePassed {
            id,
            deadline: assignment.deadline,
            now,
        });
    }
    unassign(storage, check)
}

fn unassign(storage: &mut dyn Storage, check: &mut Check) -> Result<(), ContractError> {
    if let Some(assignment) = check.assignee.take() {
        CHECKS_BY_ASSIGNEE.remove(storage, (&assignment.address, check.lease_id));
    }
    Ok(())
}

/// Who `verdict` sides with, or why it cannot stand.
fn judge(check: &Check, lease: &Lease, verdict: &Verdict) -> Result<Side, ContractError> {
    let provider_root = provider_root(lease).ok_or(ContractError::NotCheckable {
        id: lease.id,
        reason: "its result has no trace root",
    })?;
    let checker_root = &check
        .answer
        .as_ref()
        .ok_or(ContractError::CheckNotFound { id: lease.id })?
        .root;
    let side = |found: Option<Hash>, provider: Option<Hash>, checker: Option<Hash>| {
        if found == provider {
            Side::Provider
        } else if found == checker {
            Side::Checker
        } else {
            Side::Neither
        }
    };
    match verdict {
        Verdict::Root { root } => {
            let root = hash("referee", root)?;
            Ok(side(
                Some(root),
                Some(hash("provider", provider_root)?),
                Some(hash("checker", checker_root)?),
            ))
        }
        Verdict::Dispatch {
            index,
            state,
            provider,
            checker,
        } => {
            let bad = |side| move |error| ContractError::BadTraceProof { side, error };
            let provider = provider
                .verify(provider_root, *index)
                .map_err(bad("provider"))?;
            let checker = checker
                .verify(checker_root, *index)
                .map_err(bad("checker"))?;
            if provider == checker {
                return Err(ContractError::VerdictWhereTracesAgree { index: *index });
            }
            Ok(side(Some(hash("referee", state)?), provider, checker))
        }
    }
}

/// Draws the next assignee (a checker while none has answered, else a referee): from a
/// pseudo-random start fixed by the check's seed and how many were drawn before, the
/// first pool member that is not a party of the lease, was not drawn before and could
/// serve now. False if there is none within [`MAX_DRAW_SCAN`] members, or the check
/// has drawn [`MAX_ASSIGNMENTS`] already.
fn draw(
    storage: &mut dyn Storage,
    at: ChainTime,
    config: &Config,
    check: &mut Check,
    lease: &Lease,
) -> Result<bool, ContractError> {
    let size = CHECK_POOL_SIZE.may_load(storage)?.unwrap_or(0);
    if size == 0 || check.drawn.len() >= MAX_ASSIGNMENTS {
        return Ok(false);
    }
    let mut hasher = Sha256::new();
    hasher.update(check.seed.as_slice());
    hasher.update((check.drawn.len() as u64).to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let start = u64::from_le_bytes(first) % u64::from(size);
    for k in 0..size.min(MAX_DRAW_SCAN) {
        let index = ((start + u64::from(k)) % u64::from(size)) as u32;
        let address = CHECK_POOL.load(storage, index)?;
        if address == lease.provider || address == lease.customer || check.drawn.contains(&address)
        {
            continue;
        }
        let mut member = PROVIDERS.load(storage, &address)?;
        let can_serve = !member.paused
            && member.unbonding_until.is_none()
            && member.stake >= config.params.min_stake
            && !member.is_disconnected(config.params.heartbeat_grace(), at);
        if !can_serve {
            continue;
        }
        member.open_checks += 1;
        PROVIDERS.save(storage, &address, &member)?;
        CHECKS_BY_ASSIGNEE.save(storage, (&address, check.lease_id), &())?;
        check.drawn.push(address.clone());
        check.assignee = Some(Assignment {
            address,
            deadline: at.seconds + check.window_seconds,
        });
        return Ok(true);
    }
    Ok(false)
}

/// Ends `check` in `state` (final), paying its fee and any slash as the state says.
fn end(
    storage: &mut dyn Storage,
    config: &Config,
    check: &mut Check,
    lease: &Lease,
    state: CheckState,
    now: u64,
) -> Result<Vec<CosmosMsg>, ContractError> {
    debug_assert!(state.is_final());
    unassign(storage, check)?;
    check.state = state;
    check.settled_at = Some(now);
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.checks = totals.checks.checked_sub(check.fee)?;
        Ok(totals)
    })?;
    let token = &config.gut_token;
    let fee_to = match state {
        CheckState::Passed | CheckState::Refuted => check.checker.clone(),
        CheckState::Upheld | CheckState::Inconclusive => check.referee.clone(),
        _ => None,
    }
    .unwrap_or_else(|| lease.customer.clone());
    let mut msgs: Vec<CosmosMsg> = transfer(token, &fee_to, check.fee).into_iter().collect();
    match state {
        CheckState::Refuted => msgs.extend(refute(storage, config, check, lease, now)?),
        CheckState::Upheld => msgs.extend(overrule(storage, config, check, lease, None)?),
        _ => {}
    }
    update_provider(storage, &lease.provider, |p| {
        p.open_checks -= 1;
        if state.confirms_result() {
            p.stats.checked_results += 1;
        }
    })?;
    if let Some(checker) = &check.checker {
        update_provider(storage, checker, |p| p.open_checks -= 1)?;
    }
    Ok(msgs)
}

/// The provider's result was wrong: the lease ends at once with everything it still
/// holds refunded, its stake pays back what the lease paid it, then the lease's slash
/// of the rest: the referee first (up to the fee), the customer the remainder.
fn refute(
    storage: &mut dyn Storage,
    config: &Config,
    check: &Check,
    lease: &Lease,
    now: u64,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let mut lease = lease.clone();
    let mut msgs = vec![];
    if lease.state == LeaseState::Active {
        msgs.extend(settle(storage, config, &mut lease, Uint128::zero())?);
        finish(storage, &mut lease, LeaseState::Closed, now, |_| {})?;
    }
    let mut provider = PROVIDERS.load(storage, &lease.provider)?;
    let clawback = lease.paid_to_provider.min(provider.stake);
    let slash = (provider.stake - clawback).mul_floor(lease.terms.slash_fraction);
    let forfeit = clawback + slash;
    let to_referee = check.fee.min(forfeit);
    if let Some(referee) = &check.referee {
        msgs.extend(transfer(&config.gut_token, referee, to_referee));
    }
    msgs.extend(transfer(
        &config.gut_token,
        &lease.customer,
        forfeit - to_referee,
    ));
    provider.stake -= forfeit;
    provider.stats.slashed += forfeit;
    provider.stats.refuted_results += 1;
    PROVIDERS.save(storage, &lease.provider, &provider)?;
    sub_stakes(storage, forfeit)?;
    Ok(msgs)
}

/// The checker was wrong: the lease's slash of its stake goes to the provider it
/// accused, after `first` (an account and at most what it gets).
fn overrule(
    storage: &mut dyn Storage,
    config: &Config,
    check: &Check,
    lease: &Lease,
    first: Option<(&Addr, Uint128)>,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let Some(address) = &check.checker else {
        return Ok(vec![]);
    };
    let mut checker = PROVIDERS.load(storage, address)?;
    let slash = checker.stake.mul_floor(lease.terms.slash_fraction);
    checker.stake -= slash;
    checker.stats.slashed += slash;
    PROVIDERS.save(storage, address, &checker)?;
    sub_stakes(storage, slash)?;
    let mut msgs = vec![];
    let mut rest = slash;
    if let Some((account, most)) = first {
        let amount = most.min(slash);
        msgs.extend(transfer(&config.gut_token, account, amount));
        rest -= amount;
    }
    msgs.extend(transfer(&config.gut_token, &lease.provider, rest));
    Ok(msgs)
}

fn sub_stakes(storage: &mut dyn Storage, amount: Uint128) -> Result<(), ContractError> {
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.stakes = totals.stakes.checked_sub(amount)?;
        Ok(totals)
    })?;
    Ok(())
}

fn update_provider(
    storage: &mut dyn Storage,
    address: &Addr,
    change: impl FnOnce(&mut Provider),
) -> Result<(), ContractError> {
    let mut provider = PROVIDERS.load(storage, address)?;
    change(&mut provider);
    PROVIDERS.save(storage, address, &provider)?;
    Ok(())
}

fn provider_root(lease: &Lease) -> Option<&HexBinary> {
    lease.result.as_ref()?.trace_root.as_ref()
}

/// A 32-byte root or state, or a typed error naming whose it is.
fn hash(side: &'static str, bytes: &HexBinary) -> Result<Hash, ContractError> {
    trace::hash("a root or state", bytes)
        .map_err(|error| ContractError::BadTraceProof { side, error })
}

/// Lease `id`'s check if it still waits for the result (a cancelled one does not).
fn waiting(storage: &dyn Storage, id: u64) -> Result<Option<Check>, ContractError> {
    Ok(CHECKS
        .may_load(storage, id)?
        .filter(|check| check.state == CheckState::Requested))
}

fn load_check(storage: &dyn Storage, id: u64) -> Result<Check, ContractError> {
    CHECKS
        .may_load(storage, id)?
        .ok_or(ContractError::CheckNotFound { id })
}

fn ensure_state(
    check: &Check,
    state: CheckState,
    expected: &'static str,
) -> Result<(), ContractError> {
    if check.state != state {
        return Err(ContractError::WrongCheckState {
            id: check.lease_id,
            state: check.state,
            expected,
        });
    }
    Ok(())
}

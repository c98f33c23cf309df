//! Lease handlers: open, accept or reject, heartbeat-covered streaming settlement, result,
//! close, expiry with slashing, extension.
//!
//! An accepted lease ends one way whoever ends it ([`conclude`]): as an expiry, with the
//! lease's slash, when its provider's heartbeat has lapsed under the lease's grace with
//! service due and not given; otherwise as a close. So a provider past its grace cannot
//! close its way out of a slash, and one that served the whole window is not slashed for
//! going offline after it.

use cosmwasm_std::{Addr, CosmosMsg, DepsMut, Env, MessageInfo, Response, Storage, Uint128};
use gpunion_interface::address;
use gpunion_interface::market::{
    ChainTime, Lease, LeaseResult, LeaseState, OpenLease, Provider, lease_cost,
};
use gpunion_interface::token::transfer;
use gpunion_interface::trace;
use gpunion_interface::validate::{self, InputError, MAX_OUTPUT_HASH_LEN};

use crate::check;
use crate::error::ContractError;
use crate::state::{
    ACCEPTED, BOOKINGS, Booking, CONFIG, Config, LEASES, LEASES_BY_CUSTOMER, LEASES_BY_PROVIDER,
    NEXT_LEASE_ID, PROVIDERS, TOTALS, chain_time, slot_is_free,
};

pub fn execute_open(
    deps: DepsMut,
    env: Env,
    config: &Config,
    customer: Addr,
    amount: Uint128,
    open: OpenLease,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let max = config.params.max_lease_seconds;
    let provider_addr = address::validate(deps.api, &open.provider)?;
    if provider_addr == customer {
        return Err(ContractError::SelfLease);
    }
    validate::cid("workload cid", &open.workload.cid)?;
    if open.duration_seconds == 0 {
        return Err(ContractError::ZeroDuration { what: "duration" });
    }
    if open.duration_seconds > max {
        return Err(ContractError::DurationTooLong {
            what: "duration",
            seconds: open.duration_seconds,
            max,
        });
    }
    let start = open.start.unwrap_or(now);
    if start < now {
        return Err(ContractError::StartInPast { start, now });
    }
    if start - now > max {
        return Err(ContractError::DurationTooLong {
            what: "time until start",
            seconds: start - now,
            max,
        });
    }
    let end = start + open.duration_seconds;

    let mut provider = PROVIDERS.may_load(deps.storage, &provider_addr)?.ok_or(
        ContractError::ProviderNotFound {
            address: open.provider.clone(),
        },
    )?;
    ensure_available(&provider, config, chain_time(&env))?;
    if !provider.attributes.workloads.contains(&open.workload.kind) {
        return Err(ContractError::WorkloadNotOffered {
            provider: provider_addr,
            kind: open.workload.kind,
        });
    }
    let price = provider.attributes.price_per_hour;
    if price > open.max_price_per_hour {
        return Err(ContractError::PriceAboveCap {
            price,
            cap: open.max_price_per_hour,
        });
    }
    let deposit = lease_cost(price, open.duration_seconds)?;
    let check_fee = if open.check {
        config.params.check_fee
    } else {
        Uint128::zero()
    };
    let cost = deposit.checked_add(check_fee)?;
    if amount < cost {
        return Err(ContractError::InsufficientDeposit { sent: amount, cost });
    }
    let slot = pick_slot(deps.storage, &provider, open.slot, start, end)?;

    let id = NEXT_LEASE_ID.load(deps.storage)?;
    NEXT_LEASE_ID.save(deps.storage, &(id + 1))?;
    let lease = Lease {
        id,
        customer: customer.clone(),
        provider: provider_addr.clone(),
        slot,
        workload: open.workload,
        price_per_hour: price,
        opened_at: now,
        start,
        end,
        accept_deadline: start + config.params.accept_window_seconds,
        accepted_at: None,
        state: LeaseState::Pending,
        terms: config.params.lease_terms(),
        deposit,
        paid_to_provider: Uint128::zero(),
        refunded: Uint128::zero(),
        result: None,
        closed_at: None,
    };
    LEASES.save(deps.storage, id, &lease)?;
    LEASES_BY_CUSTOMER.save(deps.storage, (&customer, id), &())?;
    LEASES_BY_PROVIDER.save(deps.storage, (&provider_addr, id), &())?;
    BOOKINGS.save(
        deps.storage,
        (&provider_addr, slot, start),
        &Booking {
            end,
            lease_id: id,
            accepted: false,
        },
    )?;
    provider.open_leases += 1;
    PROVIDERS.save(deps.storage, &provider_addr, &provider)?;
    add_escrow(deps.storage, deposit)?;
    if open.check {
        check::request(deps.storage, &env, config, &lease, check_fee)?;
    }

    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &customer, amount - cost))
        .add_attribute("action", "open_lease")
        .add_attribute("lease_id", id.to_string())
        .add_attribute("provider", provider_addr)
        .add_attribute("slot", slot.to_string())
        .add_attribute("start", start.to_string())
        .add_attribute("end", end.to_string())
        .add_attribute("deposit", deposit)
        .add_attribute("check_fee", check_fee))
}

#[allow(clippy::too_many_arguments)]
pub fn execute_extend(
    deps: DepsMut,
    env: Env,
    config: &Config,
    sender: Addr,
    amount: Uint128,
    lease_id: u64,
    extra_seconds: u64,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let mut lease = load_lease(deps.storage, lease_id)?;
    if sender != lease.customer {
        return Err(not_party(lease_id, "customer"));
    }
    ensure_open(&lease, "Pending or Active")?;
    if extra_seconds == 0 {
        return Err(ContractError::ZeroDuration {
            what: "extra_seconds",
        });
    }
    if now >= lease.end {
        return Err(ContractError::LeaseEnded {
            id: lease_id,
            end: lease.end,
            now,
        });
    }
    let max = config.params.max_lease_seconds;
    let total = (lease.end - lease.start).saturating_add(extra_seconds);
    if total > max {
        return Err(ContractError::DurationTooLong {
            what: "extended lease",
            seconds: total,
            max,
        });
    }
    let extra_cost = lease_cost(lease.price_per_hour, extra_seconds)?;
    if amount < extra_cost {
        return Err(ContractError::InsufficientDeposit {
            sent: amount,
            cost: extra_cost,
        });
    }
    let new_end = lease.end + extra_seconds;
    if !slot_is_free(
        deps.storage,
        &lease.provider,
        lease.slot,
        lease.end,
        new_end,
        Some(lease_id),
    )? {
        return Err(ContractError::SlotTaken {
            provider: lease.provider,
            start: lease.end,
            end: new_end,
        });
    }
    BOOKINGS.update(
        deps.storage,
        (&lease.provider, lease.slot, lease.start),
        |booking| -> Result<_, ContractError> {
            let mut booking = booking.ok_or(ContractError::LeaseNotFound { id: lease_id })?;
            booking.end = new_end;
            Ok(booking)
        },
    )?;
    if lease.state == LeaseState::Active {
        ACCEPTED.save(
            deps.storage,
            (&lease.provider, lease.slot, lease.start),
            &new_end,
        )?;
    }
    lease.end = new_end;
    lease.deposit = lease.deposit.checked_add(extra_cost)?;
    LEASES.save(deps.storage, lease_id, &lease)?;
    add_escrow(deps.storage, extra_cost)?;
    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &sender, amount - extra_cost))
        .add_attribute("action", "extend_lease")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("end", new_end.to_string())
        .add_attribute("deposit", lease.deposit))
}

pub fn execute_accept(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.provider {
        return Err(not_party(lease_id, "provider"));
    }
    if lease.state != LeaseState::Pending {
        return Err(wrong_state(&lease, "Pending"));
    }
    if now > lease.accept_deadline {
        return Err(ContractError::AcceptDeadlinePassed {
            id: lease_id,
            deadline: lease.accept_deadline,
            now,
        });
    }
    if now >= lease.end {
        return Err(ContractError::LeaseEnded {
            id: lease_id,
            end: lease.end,
            now,
        });
    }
    let mut provider = PROVIDERS.load(deps.storage, &lease.provider)?;
    if provider.is_disconnected(config.params.heartbeat_grace(), chain_time(&env)) {
        return Err(ContractError::ProviderUnavailable {
            address: lease.provider,
            reason: "disconnected",
        });
    }
    provider.active_leases += 1;
    let grace = lease.terms.heartbeat_grace;
    provider.active_grace = Some(
        provider
            .active_grace
            .map_or(grace, |active| active.strictest(grace)),
    );
    PROVIDERS.save(deps.storage, &lease.provider, &provider)?;
    lease.accepted_at = Some(now);
    lease.state = LeaseState::Active;
    LEASES.save(deps.storage, lease_id, &lease)?;
    BOOKINGS.update(
        deps.storage,
        (&lease.provider, lease.slot, lease.start),
        |booking| -> Result<_, ContractError> {
            let mut booking = booking.ok_or(ContractError::LeaseNotFound { id: lease_id })?;
            booking.accepted = true;
            Ok(booking)
        },
    )?;
    ACCEPTED.save(
        deps.storage,
        (&lease.provider, lease.slot, lease.start),
        &lease.end,
    )?;
    Ok(Response::new()
        .add_attribute("action", "accept_lease")
        .add_attribute("lease_id", lease_id.to_string()))
}

pub fn execute_reject(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.provider {
        return Err(not_party(lease_id, "provider"));
    }
    if lease.state != LeaseState::Pending {
        return Err(wrong_state(&lease, "Pending"));
    }
    let now = env.block.time.seconds();
    let mut msgs = settle(deps.storage, &config, &mut lease, Uint128::zero())?;
    finish(deps.storage, &mut lease, LeaseState::Rejected, now, |_| {})?;
    msgs.extend(check::on_never_ran(deps.storage, &lease, now)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "reject_lease")
        .add_attribute("lease_id", lease_id.to_string()))
}

pub fn execute_reclaim_lapsed(
    deps: DepsMut,
    env: Env,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if lease.state != LeaseState::Pending {
        return Err(wrong_state(&lease, "Pending"));
    }
    if !lease.is_reclaimable(now) {
        return Err(ContractError::AcceptDeadlineNotReached {
            id: lease_id,
            deadline: lease.accept_deadline,
            now,
        });
    }
    let mut msgs = settle(deps.storage, &config, &mut lease, Uint128::zero())?;
    finish(deps.storage, &mut lease, LeaseState::Lapsed, now, |p| {
        p.stats.lapsed_leases += 1
    })?;
    msgs.extend(check::on_never_ran(deps.storage, &lease, now)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "reclaim_lapsed")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("refund", lease.refunded))
}

pub fn execute_withdraw(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.provider {
        return Err(not_party(lease_id, "provider"));
    }
    if lease.state != LeaseState::Active {
        return Err(wrong_state(&lease, "Active"));
    }
    let mut provider = PROVIDERS.load(deps.storage, &lease.provider)?;
    let due = lease.earned(provider.last_heartbeat, now) - lease.paid_to_provider;
    if due.is_zero() {
        return Err(ContractError::NothingToWithdraw { id: lease_id });
    }
    let msgs = pay_provider(&config, &mut lease, due)?;
    provider.stats.earned = provider.stats.earned.checked_add(due)?;
    PROVIDERS.save(deps.storage, &lease.provider, &provider)?;
    LEASES.save(deps.storage, lease_id, &lease)?;
    sub_escrow(deps.storage, due)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "withdraw")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("amount", due))
}

pub fn execute_post_result(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
    result: LeaseResult,
) -> Result<Response, ContractError> {
    let mut lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.provider {
        return Err(not_party(lease_id, "provider"));
    }
    let served = matches!(
        lease.state,
        LeaseState::Active | LeaseState::Closed | LeaseState::Expired
    ) && lease.accepted_at.is_some();
    if !served {
        return Err(wrong_state(&lease, "accepted (Active, Closed or Expired)"));
    }
    if lease.result.is_some() {
        return Err(ContractError::ResultAlreadyPosted { id: lease_id });
    }
    validate::cid("result cid", &result.cid)?;
    if let Some(hash) = &result.output_hash
        && hash.len() > MAX_OUTPUT_HASH_LEN
    {
        return Err(InputError::TooLong {
            field: "output hash",
            len: hash.len(),
            max: MAX_OUTPUT_HASH_LEN,
        }
        .into());
    }
    if let Some(root) = &result.trace_root
        && trace::hash("trace root", root).is_err()
    {
        return Err(InputError::Malformed {
            field: "trace root",
            value: root.to_hex(),
            reason: "not a 32-byte hash",
        }
        .into());
    }
    let cid = result.cid.clone();
    lease.result = Some(result);
    LEASES.save(deps.storage, lease_id, &lease)?;
    let msgs = check::on_result(deps.storage, &env, &lease)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "post_result")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("result_cid", cid))
}

pub fn execute_close(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let at = chain_time(&env);
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if info.sender != lease.customer && info.sender != lease.provider {
        return Err(not_party(lease_id, "customer or provider"));
    }
    ensure_open(&lease, "Pending or Active")?;
    let (msgs, ending) = if lease.state == LeaseState::Pending {
        // Cancelled before acceptance: a full refund, nothing counted.
        let mut msgs = settle(deps.storage, &config, &mut lease, Uint128::zero())?;
        finish(
            deps.storage,
            &mut lease,
            LeaseState::Closed,
            at.seconds,
            |_| {},
        )?;
        msgs.extend(check::on_never_ran(deps.storage, &lease, at.seconds)?);
        (msgs, Ending::cancelled())
    } else {
        conclude(deps.storage, &config, &mut lease, at)?
    };
    Ok(ending
        .describe(Response::new().add_messages(msgs), "close_lease", &lease)
        .add_attribute("closed_by", info.sender))
}

pub fn execute_expire(deps: DepsMut, env: Env, lease_id: u64) -> Result<Response, ContractError> {
    let at = chain_time(&env);
    let config = CONFIG.load(deps.storage)?;
    let mut lease = load_lease(deps.storage, lease_id)?;
    if lease.state != LeaseState::Active {
        return Err(wrong_state(&lease, "Active"));
    }
    let provider = PROVIDERS.load(deps.storage, &lease.provider)?;
    if !lease.is_expirable(&provider, at) {
        return Err(ContractError::ProviderNotDisconnected {
            address: lease.provider,
            last_heartbeat: provider.last_heartbeat,
            now: at.seconds,
        });
    }
    let (msgs, ending) = conclude(deps.storage, &config, &mut lease, at)?;
    Ok(ending.describe(Response::new().add_messages(msgs), "expire_lease", &lease))
}

/// How a lease was settled: its final state, what the provider was paid (gross) and what
/// was slashed from its stake to the customer.
struct Ending {
    state: LeaseState,
    paid: Uint128,
    slashed: Uint128,
}

impl Ending {
    fn cancelled() -> Self {
        Ending {
            state: LeaseState::Closed,
            paid: Uint128::zero(),
            slashed: Uint128::zero(),
        }
    }

    fn describe(&self, response: Response, action: &str, lease: &Lease) -> Response {
        response
            .add_attribute("action", action)
            .add_attribute("lease_id", lease.id.to_string())
            .add_attribute("state", format!("{:?}", self.state))
            .add_attribute("paid", self.paid)
            .add_attribute("refund", lease.refunded)
            .add_attribute("slashed", self.slashed)
    }
}

/// An accepted lease's service at `now`: due from `from` (the later of start and
/// acceptance) until `due_until` (the earlier of now and end), covered by heartbeats
/// until `served_until`.
struct Service {
    from: u64,
    served_until: u64,
    due_until: u64,
}

impl Service {
    fn of(lease: &Lease, last_heartbeat: u64, now: u64) -> Self {
        let from = lease
            .accepted_at
            .map_or(lease.start, |at| at.max(lease.start));
        let due_until = now.min(lease.end);
        Service {
            from,
            served_until: last_heartbeat.min(due_until).max(from),
            due_until,
        }
    }

    /// Seconds that were due and not covered by a heartbeat.
    fn undelivered(&self) -> u64 {
        self.due_until.saturating_sub(self.served_until)
    }

    /// Whether the lease counts as completed for reliability: at least half of its
    /// booked window was served. A lease accepted and closed at once is no track record.
    fn completes(&self, lease: &Lease) -> bool {
        2 * (self.served_until - self.from) >= lease.end - lease.start
    }
}

/// Settles an Active lease at `at`, whoever ends it: the provider is paid what it earned
/// and the customer refunded the rest; if the provider's heartbeat has lapsed under the
/// lease's grace and some service that was due was not given, it is an expiry and the
/// lease's `slash_fraction` of the stake goes to the customer; otherwise a close.
fn conclude(
    storage: &mut dyn Storage,
    config: &Config,
    lease: &mut Lease,
    at: ChainTime,
) -> Result<(Vec<CosmosMsg>, Ending), ContractError> {
    let provider = PROVIDERS.load(storage, &lease.provider)?;
    // Served time ends at the last heartbeat: `earned` never counts past it.
    let due = lease.earned(provider.last_heartbeat, at.seconds) - lease.paid_to_provider;
    let service = Service::of(lease, provider.last_heartbeat, at.seconds);
    let mut msgs = settle(storage, config, lease, due)?;
    if lease.is_expirable(&provider, at) && service.undelivered() > 0 {
        let slash = provider.stake.mul_floor(lease.terms.slash_fraction);
        msgs.extend(transfer(&config.gut_token, &lease.customer, slash));
        TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
            totals.stakes = totals.stakes.checked_sub(slash)?;
            Ok(totals)
        })?;
        finish(storage, lease, LeaseState::Expired, at.seconds, |p| {
            p.stake -= slash;
            p.stats.slashed += slash;
            p.stats.expired_leases += 1;
            p.stats.earned += due;
        })?;
        return Ok((
            msgs,
            Ending {
                state: LeaseState::Expired,
                paid: due,
                slashed: slash,
            },
        ));
    }
    let completed = service.completes(lease);
    finish(storage, lease, LeaseState::Closed, at.seconds, |p| {
        if completed {
            p.stats.completed_leases += 1;
        }
        p.stats.earned += due;
    })?;
    Ok((
        msgs,
        Ending {
            state: LeaseState::Closed,
            paid: due,
            slashed: Uint128::zero(),
        },
    ))
}

/// Pays the provider `due` (gross) and refunds everything else still held; the lease
/// holds nothing afterwards.
pub(crate) fn settle(
    storage: &mut dyn Storage,
    config: &Config,
    lease: &mut Lease,
    due: Uint128,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let held = lease.held();
    let mut msgs = pay_provider(config, lease, due)?;
    let refund = held.checked_sub(due)?;
    lease.refunded = lease.refunded.checked_add(refund)?;
    msgs.extend(transfer(&config.gut_token, &lease.customer, refund));
    sub_escrow(storage, held)?;
    Ok(msgs)
}

/// Records `gross` as paid and splits it between the provider and the treasury's fee
/// (the lease's own fee, from when it was opened).
fn pay_provider(
    config: &Config,
    lease: &mut Lease,
    gross: Uint128,
) -> Result<Vec<CosmosMsg>, ContractError> {
    lease.paid_to_provider = lease.paid_to_provider.checked_add(gross)?;
    let fee = gross.mul_floor(lease.terms.protocol_fee);
    let mut msgs: Vec<CosmosMsg> = transfer(&config.gut_token, &lease.provider, gross - fee)
        .into_iter()
        .collect();
    msgs.extend(transfer(&config.gut_token, &config.treasury, fee));
    Ok(msgs)
}

/// Moves a settled lease to its final `state`: frees its booking and updates the provider.
pub(crate) fn finish(
    storage: &mut dyn Storage,
    lease: &mut Lease,
    state: LeaseState,
    now: u64,
    update_provider: impl FnOnce(&mut Provider),
) -> Result<(), ContractError> {
    let was_active = lease.state == LeaseState::Active;
    lease.state = state;
    lease.closed_at = Some(now);
    LEASES.save(storage, lease.id, lease)?;
    BOOKINGS.remove(storage, (&lease.provider, lease.slot, lease.start));
    ACCEPTED.remove(storage, (&lease.provider, lease.slot, lease.start));
    let mut provider = PROVIDERS.load(storage, &lease.provider)?;
    provider.open_leases -= 1;
    if was_active {
        provider.active_leases -= 1;
        if provider.active_leases == 0 {
            provider.active_grace = None;
        }
    }
    update_provider(&mut provider);
    PROVIDERS.save(storage, &lease.provider, &provider)?;
    Ok(())
}

fn ensure_available(
    provider: &Provider,
    config: &Config,
    at: ChainTime,
) -> Result<(), ContractError> {
    let reason = if provider.unbonding_until.is_some() {
        "leaving"
    } else if provider.paused {
        "paused"
    } else if provider.is_disconnected(config.params.heartbeat_grace(), at) {
        "disconnected"
    } else if provider.stake < config.params.min_stake {
        "stake below the minimum"
    } else {
        return Ok(());
    };
    Err(ContractError::ProviderUnavailable {
        address: provider.address.clone(),
        reason,
    })
}

fn pick_slot(
    storage: &dyn Storage,
    provider: &Provider,
    requested: Option<u32>,
    start: u64,
    end: u64,
) -> Result<u32, ContractError> {
    let count = provider.attributes.gpu_count;
    let taken = || ContractError::SlotTaken {
        provider: provider.address.clone(),
        start,
        end,
    };
    match requested {
        Some(slot) if slot >= count => Err(ContractError::NoSuchSlot { slot, count }),
        Some(slot) => {
            if slot_is_free(storage, &provider.address, slot, start, end, None)? {
                Ok(slot)
            } else {
                Err(taken())
            }
        }
        None => {
            for slot in 0..count {
                if slot_is_free(storage, &provider.address, slot, start, end, None)? {
                    return Ok(slot);
                }
            }
            Err(taken())
        }
    }
}

pub(crate) fn load_lease(storage: &dyn Storage, id: u64) -> Result<Lease, ContractError> {
    LEASES
        .may_load(storage, id)?
        .ok_or(ContractError::LeaseNotFound { id })
}

fn ensure_open(lease: &Lease, expected: &'static str) -> Result<(), ContractError> {
    if lease.state.is_final() {
        return Err(wrong_state(lease, expected));
    }
    Ok(())
}

fn wrong_state(lease: &Lease, expected: &'static str) -> ContractError {
    ContractError::WrongLeaseState {
        id: lease.id,
        state: lease.state,
        expected,
    }
}

pub(crate) fn not_party(id: u64, role: &'static str) -> ContractError {
    ContractError::NotLeaseParty { id, role }
}

fn add_escrow(storage: &mut dyn Storage, amount: Uint128) -> Result<(), ContractError> {
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_add(amount)?;
        Ok(totals)
    })?;
    Ok(())
}

fn sub_escrow(storage: &mut dyn Storage, amount: Uint128) -> Result<(), ContractError> {
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_sub(amount)?;
        Ok(totals)
    })?;
    Ok(())
}

//! Ratings: the customer of a finished lease rates its provider once.

use cosmwasm_std::{Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult, Uint128};
use cw_storage_plus::Bound;
use gpunion_interface::endorsement::Rating;
use gpunion_interface::market::LeaseState;
use gpunion_interface::validate;

use crate::error::ContractError;
use crate::state::{AGGREGATES, CONFIG, RATINGS, RATINGS_BY_PROVIDER};
use crate::{market_query, recommend};

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 30;

pub fn execute_rate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    lease_id: u64,
    score: u8,
    comment_cid: Option<String>,
) -> Result<Response, ContractError> {
    if !(1..=5).contains(&score) {
        return Err(ContractError::InvalidScore { score });
    }
    if let Some(cid) = &comment_cid {
        validate::cid("comment cid", cid)?;
    }
    let config = CONFIG.load(deps.storage)?;
    let lease = market_query::lease(deps.as_ref(), &config.market, lease_id)?.lease;
    if lease.customer != info.sender {
        return Err(ContractError::NotLeaseCustomer { id: lease_id });
    }
    let finished = matches!(lease.state, LeaseState::Closed | LeaseState::Expired);
    if !finished || lease.accepted_at.is_none() {
        return Err(ContractError::LeaseNotFinished { id: lease_id });
    }
    if RATINGS.has(deps.storage, lease_id) {
        return Err(ContractError::AlreadyRated { id: lease_id });
    }

    let now = env.block.time.seconds();
    // A closed lease weighs what the provider was actually paid: one accepted and closed
    // at once weighs nothing, so faking ratings (good or bad) costs what they weigh. An
    // expiry is a failure the market saw, which no customer can bring about alone: it
    // weighs its deposit.
    let value = match lease.state {
        LeaseState::Expired => lease.deposit,
        _ => lease.paid_to_provider,
    };
    let weight = value.min(config.params.max_rating_weight);
    let rating = Rating {
        lease_id,
        customer: info.sender,
        provider: lease.provider.clone(),
        score,
        comment_cid,
        weight,
        rated_at: now,
    };
    RATINGS.save(deps.storage, lease_id, &rating)?;
    RATINGS_BY_PROVIDER.save(deps.storage, (&lease.provider, lease_id), &())?;
    let aggregate = AGGREGATES
        .may_load(deps.storage, &lease.provider)?
        .unwrap_or_default();
    let mut aggregate = aggregate.decayed(now, config.params.rating_half_life_seconds);
    aggregate.weighted_stars = aggregate
        .weighted_stars
        .checked_add(weight.checked_mul(Uint128::from(score))?)?;
    aggregate.weight = aggregate.weight.checked_add(weight)?;
    aggregate.count += 1;
    AGGREGATES.save(deps.storage, &lease.provider, &aggregate)?;
    recommend::reindex(deps, &env, &lease.provider)?;
    Ok(Response::new()
        .add_attribute("action", "rate")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("provider", lease.provider)
        .add_attribute("score", score.to_string()))
}

pub fn query_rating(deps: Deps, lease_id: u64) -> StdResult<Option<Rating>> {
    RATINGS.may_load(deps.storage, lease_id)
}

pub fn query_ratings(
    deps: Deps,
    provider: String,
    start_before: Option<u64>,
    limit: Option<u32>,
) -> StdResult<Vec<Rating>> {
    let provider = deps.api.addr_validate(&provider)?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    RATINGS_BY_PROVIDER
        .prefix(&provider)
        .keys(
            deps.storage,
            None,
            start_before.map(Bound::exclusive),
            Order::Descending,
        )
        .take(limit)
        .map(|id| RATINGS.load(deps.storage, id?))
        .collect()
}

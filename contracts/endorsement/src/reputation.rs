//! Reputation from this contract's records and the market's reliability; the formula
//! itself is `gpunion_interface::endorsement::reputation`, shared with the SDK's
//! verified read.

use cosmwasm_std::{Addr, Deps, Order, StdResult, Uint128};
use gpunion_interface::endorsement::{EndorsementParams, Reputation};
use gpunion_interface::market::ProviderResponse;

use crate::state::{AGGREGATES, ENDORSEMENTS, ENDORSERS};

/// Stake lent to `provider`: [`gpunion_interface::endorsement::Endorser::lent_stake`] of
/// each endorser attesting it, counted once (at most `MAX_ENDORSEMENTS_PER_PROVIDER`
/// records are read).
pub fn endorsing_stake(deps: Deps, provider: &Addr) -> StdResult<Uint128> {
    let mut seen: Vec<Addr> = Vec::new();
    let mut total = Uint128::zero();
    for item in ENDORSEMENTS
        .sub_prefix(provider)
        .range(deps.storage, None, None, Order::Ascending)
    {
        let ((_, endorser), _) = item?;
        if seen.contains(&endorser) {
            continue;
        }
        if let Some(record) = ENDORSERS.may_load(deps.storage, &endorser)? {
            total += record.lent_stake();
        }
        seen.push(endorser);
    }
    Ok(total)
}

/// Reputation of `provider` at `now`, given the market's description of it (its
/// reliability and proven hashrate; `None`: the market does not know it, both zero).
pub fn reputation(
    deps: Deps,
    params: &EndorsementParams,
    provider: &Addr,
    market: Option<&ProviderResponse>,
    now: u64,
) -> StdResult<Reputation> {
    let aggregate = AGGREGATES.may_load(deps.storage, provider)?;
    Ok(Reputation::compute(
        params,
        aggregate.as_ref(),
        market.map_or(0, |record| record.reliability_permille),
        endorsing_stake(deps, provider)?,
        market.and_then(|record| record.hashrate.clone()),
        now,
    ))
}

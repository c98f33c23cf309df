//! Reputation from this contract's records and the market's reliability; the formula
//! itself is `gpunion_interface::endorsement::reputation`, shared with the SDK's
//! verified read.

use cosmwasm_std::{Addr, Deps, Order, StdResult, Uint128};
use gpunion_interface::endorsement::{EndorsementParams, Reputation};

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

/// Reputation of `provider` at `now`, given its market reliability in per mille.
pub fn reputation(
    deps: Deps,
    params: &EndorsementParams,
    provider: &Addr,
    reliability_permille: u64,
    now: u64,
) -> StdResult<Reputation> {
    let aggregate = AGGREGATES.may_load(deps.storage, provider)?;
    Ok(Reputation::compute(
        params,
        aggregate.as_ref(),
        reliability_permille,
        endorsing_stake(deps, provider)?,
        now,
    ))
}

//! The reputation formula (README.md has it with a worked example).
//!
//! ```text
//! decay(Δt)   = 2^-(Δt / H), linear between whole half-lives
//! S, W        = Σ w_i·r_i·decay(now − t_i),  Σ w_i·decay(now − t_i)
//!               (w_i = lease deposit, capped at max_rating_weight)
//! average     = (3·C + S) / (C + W)            Bayesian, prior 3 stars of weight C
//! rating      = (average − 1) / 4
//! reliability = (completed + 1) / (completed + expired + lapsed + 2)    from the market
//! endorsement = min(1, endorsing stake / full_endorsement_stake)
//! reputation  = 0.60·rating + 0.25·reliability + 0.15·endorsement
//! ```
//! All in `Decimal` fixed point: no floats in the contract.

use cosmwasm_std::{Addr, Decimal, Deps, Order, StdResult, Uint128};
use gpunion_interface::endorsement::{EndorsementParams, Reputation};

use crate::state::{AGGREGATES, ENDORSEMENTS, ENDORSERS, RatingAggregate};

pub const RATING_WEIGHT: Decimal = Decimal::percent(60);
pub const RELIABILITY_WEIGHT: Decimal = Decimal::percent(25);
pub const ENDORSEMENT_WEIGHT: Decimal = Decimal::percent(15);
/// The prior's mean, in stars.
pub const PRIOR_STARS: u128 = 3;

/// 2^-(elapsed / half_life): exact at whole half-lives, linear in between.
pub fn decay(elapsed: u64, half_life: u64) -> Decimal {
    let halvings = elapsed / half_life;
    if halvings >= 64 {
        return Decimal::zero();
    }
    let whole = Decimal::from_ratio(1u128, 1u128 << halvings);
    let rest = elapsed % half_life;
    // Between 2^-n and 2^-(n+1): 2^-n × (1 − rest / (2H)).
    whole * (Decimal::one() - Decimal::from_ratio(rest, 2 * half_life))
}

/// The aggregate decayed to `now`.
pub fn decayed(aggregate: &RatingAggregate, now: u64, half_life: u64) -> RatingAggregate {
    let factor = decay(now.saturating_sub(aggregate.updated_at), half_life);
    RatingAggregate {
        weighted_stars: aggregate.weighted_stars.mul_floor(factor),
        weight: aggregate.weight.mul_floor(factor),
        updated_at: now,
        count: aggregate.count,
    }
}

/// Bayesian average in stars: (3·C + S) / (C + W).
pub fn rating_average(aggregate: &RatingAggregate, prior_weight: Uint128) -> Decimal {
    let numerator = prior_weight.u128() * PRIOR_STARS + aggregate.weighted_stars.u128();
    let denominator = prior_weight.u128() + aggregate.weight.u128();
    Decimal::from_ratio(numerator, denominator)
}

/// Stake lent to `provider`: for each bonded, not unbonding endorser attesting it (counted
/// once), its stake divided by the number of providers it attests, so one stake lends
/// no more in total than it is (at most `MAX_ENDORSEMENTS_PER_PROVIDER` records are
/// read).
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
        if let Some(record) = ENDORSERS.may_load(deps.storage, &endorser)?
            && record.unbonding_until.is_none()
        {
            total += record
                .stake
                .multiply_ratio(1u128, u128::from(record.providers.max(1)));
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
    let aggregate = AGGREGATES
        .may_load(deps.storage, provider)?
        .unwrap_or_default();
    let aggregate = decayed(&aggregate, now, params.rating_half_life_seconds);
    let rating_average = rating_average(&aggregate, params.prior_weight);
    let rating_part = (rating_average - Decimal::one()) / Uint128::new(4);
    let reliability_part = Decimal::permille(reliability_permille.min(1000));
    let endorsing_stake = endorsing_stake(deps, provider)?;
    let endorsement_part =
        Decimal::from_ratio(endorsing_stake, params.full_endorsement_stake).min(Decimal::one());
    let score = RATING_WEIGHT * rating_part
        + RELIABILITY_WEIGHT * reliability_part
        + ENDORSEMENT_WEIGHT * endorsement_part;
    Ok(Reputation {
        rating_average,
        rating_part,
        reliability_part,
        endorsement_part,
        score,
        ratings: aggregate.count,
        endorsing_stake,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_halves_every_half_life() {
        let h = 90 * 86_400;
        assert_eq!(decay(0, h), Decimal::one());
        assert_eq!(decay(h, h), Decimal::percent(50));
        assert_eq!(decay(2 * h, h), Decimal::percent(25));
        assert_eq!(decay(h / 2, h), Decimal::percent(75));
        assert_eq!(decay(100 * h, h), Decimal::zero());
    }

    #[test]
    fn the_prior_holds_an_unrated_provider_at_three_stars() {
        let none = RatingAggregate::default();
        assert_eq!(
            rating_average(&none, Uint128::new(100)),
            Decimal::percent(300)
        );
        // The README's worked example: two ratings after decay.
        let aggregate = RatingAggregate {
            weighted_stars: Uint128::new(5 * 200 + 2 * 25),
            weight: Uint128::new(225),
            updated_at: 0,
            count: 2,
        };
        // (300 + 1050) / (100 + 225) = 4.1538...
        let average = rating_average(&aggregate, Uint128::new(100));
        assert_eq!(average, Decimal::from_ratio(1350u128, 325u128));
    }
}

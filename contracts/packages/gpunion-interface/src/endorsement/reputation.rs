//! The reputation formula, computed by the endorsement contract's `Reputation` query and
//! by the SDK's verified read from the same stored records (the contract's README has it
//! with a worked example).
//!
//! ```text
//! decay(Δt)   = 2^-(Δt / H), linear between whole half-lives
//! S, W        = Σ w_i·r_i·decay(now − t_i),  Σ w_i·decay(now − t_i)
//!               (w_i = value the provider was paid, capped at max_rating_weight)
//! average     = (3·C + S) / (C + W)            Bayesian, prior 3 stars of weight C
//! rating      = (average − 1) / 4
//! reliability = (completed + 1) / (completed + expired + lapsed + 2)    from the market
//! endorsement = min(1, endorsing stake / full_endorsement_stake)
//! hardware    = min(1, proven X16S hashrate / claimed)    from the market (0 without a proof)
//! reputation  = 0.50·rating + 0.20·reliability + 0.15·endorsement + 0.15·hardware
//! ```
//! All in `Decimal` fixed point: no floats.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Decimal, Uint128};

use super::{EndorsementParams, Endorser, Reputation};
use crate::mining::hashrate::{FULL_BACKING_PERMILLE, HashrateProof};

/// Weight of the rating part.
pub const RATING_WEIGHT: Decimal = Decimal::percent(50);
/// Weight of the reliability part.
pub const RELIABILITY_WEIGHT: Decimal = Decimal::percent(20);
/// Weight of the endorsement part.
pub const ENDORSEMENT_WEIGHT: Decimal = Decimal::percent(15);
/// Weight of the hardware part: a provider that proves none of its claimed hashrate
/// loses at most this much.
pub const HARDWARE_WEIGHT: Decimal = Decimal::percent(15);
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

/// A provider's ratings folded into two decayed sums, as stored: rating i with stars r_i
/// and weight w_i contributes w_i·r_i to `weighted_stars` and w_i to `weight`, both
/// multiplied by the decay since it was given.
#[cw_serde]
#[derive(Default)]
pub struct RatingAggregate {
    pub weighted_stars: Uint128,
    pub weight: Uint128,
    /// Time the sums were last decayed to.
    pub updated_at: u64,
    pub count: u64,
}

impl RatingAggregate {
    /// The sums decayed to `now`.
    pub fn decayed(&self, now: u64, half_life: u64) -> RatingAggregate {
        let factor = decay(now.saturating_sub(self.updated_at), half_life);
        RatingAggregate {
            weighted_stars: self.weighted_stars.mul_floor(factor),
            weight: self.weight.mul_floor(factor),
            updated_at: now,
            count: self.count,
        }
    }

    /// Bayesian average in stars: (3·C + S) / (C + W).
    pub fn average(&self, prior_weight: Uint128) -> Decimal {
        let numerator = prior_weight.u128() * PRIOR_STARS + self.weighted_stars.u128();
        let denominator = prior_weight.u128() + self.weight.u128();
        Decimal::from_ratio(numerator, denominator)
    }
}

impl Endorser {
    /// The stake this endorser lends each provider it attests: nothing while unbonding,
    /// else its stake divided by the number of providers, so one stake lends no more in
    /// total than it is.
    pub fn lent_stake(&self) -> Uint128 {
        if self.unbonding_until.is_some() {
            return Uint128::zero();
        }
        self.stake
            .multiply_ratio(1u128, u128::from(self.providers.max(1)))
    }
}

impl Reputation {
    /// A provider's reputation at `now` from its stored rating aggregate (`None`: never
    /// rated), its market reliability in per mille, the stake its endorsers lend it
    /// (the sum of [`Endorser::lent_stake`] over the distinct endorsers attesting it)
    /// and the proof of its claimed hashrate (`None`: no proof).
    pub fn compute(
        params: &EndorsementParams,
        aggregate: Option<&RatingAggregate>,
        reliability_permille: u64,
        endorsing_stake: Uint128,
        hashrate: Option<HashrateProof>,
        now: u64,
    ) -> Reputation {
        let aggregate = aggregate
            .cloned()
            .unwrap_or_default()
            .decayed(now, params.rating_half_life_seconds);
        let rating_average = aggregate.average(params.prior_weight);
        let rating_part = (rating_average - Decimal::one()) / Uint128::new(4);
        let reliability_part = Decimal::permille(reliability_permille.min(1000));
        let endorsement_part =
            Decimal::from_ratio(endorsing_stake, params.full_endorsement_stake).min(Decimal::one());
        let hardware_part = Decimal::permille(
            hashrate
                .as_ref()
                .map_or(0, |proof| proof.ratio_permille.min(FULL_BACKING_PERMILLE)),
        );
        let score = RATING_WEIGHT * rating_part
            + RELIABILITY_WEIGHT * reliability_part
            + ENDORSEMENT_WEIGHT * endorsement_part
            + HARDWARE_WEIGHT * hardware_part;
        Reputation {
            rating_average,
            rating_part,
            reliability_part,
            endorsement_part,
            hardware_part,
            score,
            ratings: aggregate.count,
            endorsing_stake,
            hashrate,
        }
    }
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
        assert_eq!(none.average(Uint128::new(100)), Decimal::percent(300));
        // The README's worked example: two ratings after decay.
        let aggregate = RatingAggregate {
            weighted_stars: Uint128::new(5 * 200 + 2 * 25),
            weight: Uint128::new(225),
            updated_at: 0,
            count: 2,
        };
        // (300 + 1050) / (100 + 225) = 4.1538...
        assert_eq!(
            aggregate.average(Uint128::new(100)),
            Decimal::from_ratio(1350u128, 325u128)
        );
    }
}

//! The reward schedule: a block reward that halves every `halving_interval` solutions,
//! clipped so that emission never exceeds the cap.

use cosmwasm_std::Uint128;

/// The schedule's reward for the solution at `height` (0-based), before the cap.
pub fn scheduled_reward(initial: Uint128, halving_interval: u64, height: u64) -> Uint128 {
    let halvings = height / halving_interval.max(1);
    if halvings >= 128 {
        Uint128::zero()
    } else {
        initial >> (halvings as u32)
    }
}

/// What the solution at `height` pays, given what was minted and the cap.
pub fn reward(
    initial: Uint128,
    halving_interval: u64,
    height: u64,
    minted: Uint128,
    cap: Uint128,
) -> Uint128 {
    scheduled_reward(initial, halving_interval, height).min(cap.saturating_sub(minted))
}

/// The total the schedule would ever emit without a cap: initial × interval × (2 − 2^-k).
pub fn schedule_total(initial: Uint128, halving_interval: u64) -> Uint128 {
    (0..128u32)
        .map(|h| (initial >> h).saturating_mul(Uint128::from(halving_interval)))
        .fold(Uint128::zero(), Uint128::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewards_halve() {
        let r = |h| scheduled_reward(Uint128::new(100), 2, h).u128();
        assert_eq!(
            [r(0), r(1), r(2), r(3), r(4), r(6)],
            [100, 100, 50, 50, 25, 12]
        );
        assert_eq!(scheduled_reward(Uint128::new(100), 1, 200), Uint128::zero());
    }

    #[test]
    fn the_cap_clips_the_last_reward() {
        let pay = |minted| {
            reward(
                Uint128::new(100),
                10,
                0,
                Uint128::new(minted),
                Uint128::new(250),
            )
            .u128()
        };
        assert_eq!([pay(0), pay(200), pay(250)], [100, 50, 0]);
    }

    #[test]
    fn schedule_total_is_about_twice_the_first_era() {
        assert_eq!(
            schedule_total(Uint128::new(1024), 10).u128(),
            10 * (2048 - 1)
        );
    }
}

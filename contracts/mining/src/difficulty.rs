//! Targets as 256-bit numbers: retargeting and the work a solution proves.

use cosmwasm_std::{Uint256, Uint512};
use x16s::{CompactTargetError, Target};

/// How the target follows the solution rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetargetRule {
    /// Wanted seconds between solutions.
    pub target_spacing: u64,
    /// Solutions between retargets.
    pub interval: u64,
    /// The target moves by at most this factor per retarget, either way.
    pub max_adjustment: u64,
}

/// The target that compact `bits` stands for.
pub fn target_of(bits: u32) -> Result<Uint256, CompactTargetError> {
    Ok(Uint256::from_le_bytes(
        Target::from_compact(bits)?.to_le_bytes(),
    ))
}

/// The compact form of `target` (rounded down to a 23-bit mantissa, as Bitcoin does).
pub fn compact_of(target: Uint256) -> u32 {
    Target::from_le_bytes(target.to_le_bytes()).to_compact()
}

/// The bits of the next epoch, given the current bits and the seconds the last
/// `rule.interval` solutions took. Faster than wanted makes the target smaller
/// (harder), slower makes it larger; never by more than `rule.max_adjustment`, never
/// easier than `pow_limit`.
pub fn retarget(bits: u32, elapsed: u64, rule: RetargetRule, pow_limit: Uint256) -> u32 {
    let old = target_of(bits).map_or(pow_limit, |target| target.min(pow_limit));
    let expected = rule.interval.saturating_mul(rule.target_spacing).max(1);
    let actual = elapsed.clamp(
        (expected / rule.max_adjustment).max(1),
        expected.saturating_mul(rule.max_adjustment),
    );
    let scaled = Uint512::from(old) * Uint512::from(actual) / Uint512::from(expected);
    let new = Uint256::try_from(scaled)
        .unwrap_or(Uint256::MAX)
        .min(pow_limit);
    compact_of(new.max(Uint256::one()))
}

/// The expected number of hashes behind one solution at `target`: 2^256 / (target + 1).
pub fn work(target: Uint256) -> Uint256 {
    let space = Uint512::from(Uint256::MAX) + Uint512::one();
    let work = space / (Uint512::from(target) + Uint512::one());
    Uint256::try_from(work).unwrap_or(Uint256::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: RetargetRule = RetargetRule {
        target_spacing: 60,
        interval: 10,
        max_adjustment: 4,
    };
    const LIMIT_BITS: u32 = 0x207f_ffff;

    fn limit() -> Uint256 {
        target_of(LIMIT_BITS).expect("valid")
    }

    #[test]
    fn on_schedule_keeps_the_target() {
        let bits = 0x1e0f_ffff;
        assert_eq!(retarget(bits, 600, RULE, limit()), bits);
    }

    #[test]
    fn twice_as_fast_halves_the_target() {
        let bits = 0x1e0f_fff0;
        let new = retarget(bits, 300, RULE, limit());
        assert_eq!(
            target_of(new).expect("valid"),
            target_of(bits).expect("valid") / Uint256::from(2u8)
        );
    }

    #[test]
    fn steps_are_bounded_both_ways() {
        let bits = 0x1d0f_ffff;
        let old = target_of(bits).expect("valid");
        let harder = target_of(retarget(bits, 1, RULE, limit())).expect("valid");
        let easier = target_of(retarget(bits, 1_000_000, RULE, limit())).expect("valid");
        // Compact rounding may shave the mantissa's low bits, never more.
        assert!(harder <= old / Uint256::from(4u8) && harder > old / Uint256::from(5u8));
        assert!(easier <= old * Uint256::from(4u8) && easier > old * Uint256::from(3u8));
    }

    #[test]
    fn never_easier_than_the_limit() {
        assert_eq!(retarget(LIMIT_BITS, 1_000_000, RULE, limit()), LIMIT_BITS);
    }

    #[test]
    fn work_is_the_expected_number_of_hashes() {
        // A target of 2^255 - 1 is met by half of all hashes: 2 hashes per solution.
        let half = Uint256::MAX >> 1;
        assert_eq!(work(half), Uint256::from(2u8));
        assert_eq!(work(Uint256::MAX), Uint256::one());
    }
}

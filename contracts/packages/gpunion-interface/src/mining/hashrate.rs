//! Proven hashrate: a miner's work in the recent fixed windows of block time, and what
//! it proves about the hashrate a provider claims.
//!
//! Block time is cut into windows of `window_seconds` (window `k` is block time
//! `[k·w, (k+1)·w)`). Each accepted solution adds its work, 2^256 / (target + 1) (the
//! expected number of hashes behind it), to the window of the block that accepted it:
//! block time, never the header's own time, which the miner picks within
//! `time_window`. The mining contract keeps the current window and the `windows`
//! complete ones before it per miner (older ones are dropped on the miner's next
//! solution), so a record stays bounded and one solution updates it in O(windows).
//!
//! ```text
//! period  = the `windows` complete windows before the current one: [from, until)
//! proven  = Σ work of the solutions accepted in the period / (until − from)   hashes/s
//! ratio   = min(1000, 1000 · proven / claimed) per mille; 0 when nothing is claimed
//! ```
//!
//! `proven` is what the chain saw the miner do: a miner that hashes less (or not at
//! all) in the period proves less, whatever its hardware; luck makes it vary around the
//! miner's real rate by about 1/√(solutions in the period).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128, Uint256};

use crate::market::Provider;

/// Window length the mining contract uses when instantiated without one: an hour.
pub const DEFAULT_WINDOW_SECONDS: u64 = 3_600;
/// Complete windows counted when instantiated without a number: a day of hours.
pub const DEFAULT_WINDOWS: u32 = 24;
/// Allowed window lengths in seconds: 10 s (a test chain) to a day.
pub const WINDOW_SECONDS_BOUNDS: (u64, u64) = (10, 86_400);
/// Allowed numbers of complete windows counted: each record holds one more (the
/// current), so this bounds its size.
pub const WINDOWS_BOUNDS: (u32, u32) = (1, 48);
/// The ratio, in per mille, at which the proof backs the whole claim.
pub const FULL_BACKING_PERMILLE: u64 = 1_000;

/// How block time is cut into windows, and how many complete ones a proof counts.
#[cw_serde]
#[derive(Copy, Eq)]
pub struct WindowSchedule {
    /// Length of one window in seconds ([`WINDOW_SECONDS_BOUNDS`]).
    pub window_seconds: u64,
    /// Complete windows counted ([`WINDOWS_BOUNDS`]).
    pub windows: u32,
}

impl Default for WindowSchedule {
    /// What a mining contract stored before windows existed proves with: 24 windows of
    /// an hour.
    fn default() -> Self {
        Self {
            window_seconds: DEFAULT_WINDOW_SECONDS,
            windows: DEFAULT_WINDOWS,
        }
    }
}

/// The work a miner's solutions add up to in one window.
#[cw_serde]
#[derive(Eq)]
pub struct WindowWork {
    /// Block time at which the window starts (a multiple of `window_seconds`).
    pub start: u64,
    /// Solutions accepted in it.
    pub solutions: u64,
    /// Their summed work: expected hashes (saturating at 2^128 − 1, some 10^33 hashes a
    /// second over a day: kept narrow, as every proof parses it).
    pub work: Uint128,
}

impl WindowSchedule {
    /// Start of the window holding block time `now`.
    pub fn window_start(&self, now: u64) -> u64 {
        now - now % self.window_seconds.max(1)
    }

    /// The period counted at `now`: `[from, until)`, the complete windows before the
    /// current one.
    pub fn period(&self, now: u64) -> (u64, u64) {
        let until = self.window_start(now);
        let span = self.window_seconds.saturating_mul(u64::from(self.windows));
        (until.saturating_sub(span), until)
    }

    /// Adds a solution of `work` accepted at block time `now` to `windows` (oldest
    /// first), and drops the windows that no proof at `now` or later counts.
    pub fn record(&self, windows: &mut Vec<WindowWork>, now: u64, work: Uint256) {
        let work = Uint128::try_from(work).unwrap_or(Uint128::MAX);
        let start = self.window_start(now);
        match windows.last_mut() {
            Some(last) if last.start == start => {
                last.solutions += 1;
                last.work = last.work.saturating_add(work);
            }
            _ => windows.push(WindowWork {
                start,
                solutions: 1,
                work,
            }),
        }
        let (from, _) = self.period(now);
        windows.retain(|window| window.start >= from);
    }

    /// What `windows` (a miner's record; empty for an address that never solved) prove
    /// at `now` for `address`.
    pub fn proven(&self, address: Addr, windows: &[WindowWork], now: u64) -> ProvenHashrate {
        let (from, until) = self.period(now);
        let counted = windows
            .iter()
            .filter(|window| window.start >= from && window.start < until);
        let (work, solutions) = counted.fold((Uint128::zero(), 0), |(work, solutions), window| {
            (
                work.saturating_add(window.work),
                solutions + window.solutions,
            )
        });
        let rate = work
            .checked_div(Uint128::from(until - from))
            .unwrap_or_default();
        ProvenHashrate {
            address,
            window_seconds: self.window_seconds,
            from,
            until,
            work,
            solutions,
            hashes_per_second: rate,
        }
    }
}

/// A miner's proven X16S hashrate now (the mining contract's `Hashrate` query; the
/// windows themselves are in its `Miner` record). An address that never solved, or not
/// in the period, proves zero: every field but the period is zero.
#[cw_serde]
pub struct ProvenHashrate {
    pub address: Addr,
    pub window_seconds: u64,
    /// The period counted, block time `[from, until)`.
    pub from: u64,
    pub until: u64,
    /// Work of the solutions accepted in the period (expected hashes).
    pub work: Uint128,
    pub solutions: u64,
    /// work / (until − from), rounded down.
    pub hashes_per_second: Uint128,
}

/// A provider's claimed hashrate next to what its mining record proves (the market's
/// provider responses, the endorsement contract's reputation and recommendations).
#[cw_serde]
pub struct HashrateProof {
    /// The account whose mining record vouches: the provider's `mining_address`, or
    /// the provider itself.
    pub miner: Addr,
    /// The X16S hashrate the provider declares, hashes/s.
    pub claimed: Uint128,
    /// The miner's proven hashrate, hashes/s.
    pub proven: Uint128,
    /// [`backing_permille`] of the two.
    pub ratio_permille: u64,
    /// The period proven, block time `[from, until)`.
    pub from: u64,
    pub until: u64,
}

impl HashrateProof {
    /// The proof `proven` gives a claim of `claimed` hashes/s.
    pub fn new(claimed: Uint128, proven: ProvenHashrate) -> Self {
        Self {
            ratio_permille: backing_permille(proven.hashes_per_second, claimed),
            miner: proven.address,
            claimed,
            proven: proven.hashes_per_second,
            from: proven.from,
            until: proven.until,
        }
    }
}

/// The account whose mining record vouches for `provider`'s hashrate: its
/// `mining_address` (which consented in the market), else the provider itself.
pub fn miner_of(provider: &Provider) -> String {
    provider
        .attributes
        .mining_address
        .clone()
        .unwrap_or_else(|| provider.address.to_string())
}

/// How much of a claim the proof backs, per mille: 1000 · proven / claimed, rounded
/// down and capped at [`FULL_BACKING_PERMILLE`] (proving more than the claim backs it
/// fully, no more); 0 when nothing is claimed (there is nothing to believe).
pub fn backing_permille(proven: Uint128, claimed: Uint128) -> u64 {
    if claimed.is_zero() {
        return 0;
    }
    let ratio = proven.full_mul(FULL_BACKING_PERMILLE) / Uint256::from(claimed);
    let capped = ratio.min(Uint256::from(FULL_BACKING_PERMILLE));
    Uint128::try_from(capped).map_or(FULL_BACKING_PERMILLE, |r| r.u128() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOURLY: WindowSchedule = WindowSchedule {
        window_seconds: 3_600,
        windows: 3,
    };

    fn miner() -> Addr {
        Addr::unchecked("miner")
    }

    #[test]
    fn solutions_add_up_in_the_window_of_their_block_time() {
        let mut windows = Vec::new();
        HOURLY.record(&mut windows, 7_200, Uint256::from(10u8));
        HOURLY.record(&mut windows, 10_799, Uint256::from(5u8));
        HOURLY.record(&mut windows, 10_800, Uint256::from(1u8));
        assert_eq!(
            windows,
            vec![
                WindowWork {
                    start: 7_200,
                    solutions: 2,
                    work: Uint128::new(15)
                },
                WindowWork {
                    start: 10_800,
                    solutions: 1,
                    work: Uint128::new(1)
                },
            ]
        );
    }

    #[test]
    fn windows_older_than_the_period_are_dropped() {
        let mut windows = Vec::new();
        for hour in 0..10u64 {
            HOURLY.record(&mut windows, hour * 3_600 + 1, Uint256::one());
        }
        // At hour 9: the current window and the three complete ones before it.
        let starts: Vec<u64> = windows.iter().map(|w| w.start).collect();
        assert_eq!(starts, vec![6 * 3_600, 7 * 3_600, 8 * 3_600, 9 * 3_600]);
        // A long silence drops everything but the new window.
        HOURLY.record(&mut windows, 100 * 3_600, Uint256::one());
        assert_eq!(windows.len(), 1);
    }

    #[test]
    fn the_proof_is_the_period_work_over_its_length() {
        let mut windows = Vec::new();
        // 2^20 expected hashes in each of hours 1, 2 and 3, and more in hour 4.
        for hour in 1..=4u64 {
            HOURLY.record(&mut windows, hour * 3_600, Uint256::from(1u32 << 20));
        }
        let proof = HOURLY.proven(miner(), &windows, 4 * 3_600 + 5);
        assert_eq!((proof.from, proof.until), (3_600, 4 * 3_600));
        assert_eq!(proof.work, Uint128::new(3 << 20));
        assert_eq!(proof.solutions, 3);
        // 3 · 2^20 hashes / 10,800 s, rounded down: the current hour is not counted.
        assert_eq!(
            proof.hashes_per_second,
            Uint128::new((3u128 << 20) / 10_800)
        );
        // An hour later the first hour has left the period.
        let later = HOURLY.proven(miner(), &windows, 5 * 3_600);
        assert_eq!(later.work, Uint128::new(3 << 20));
        assert_eq!(later.from, 2 * 3_600);
        let much_later = HOURLY.proven(miner(), &windows, 9 * 3_600);
        assert_eq!(much_later.hashes_per_second, Uint128::zero());
        assert_eq!(much_later.solutions, 0);
    }

    #[test]
    fn an_address_that_never_solved_proves_zero() {
        let proof = HOURLY.proven(miner(), &[], 50_000);
        assert_eq!(proof.hashes_per_second, Uint128::zero());
        assert_eq!((proof.work, proof.solutions), (Uint128::zero(), 0));
        assert_eq!(proof.until - proof.from, 3 * 3_600);
    }

    proptest::proptest! {
        /// Against a model that keeps every solution: the record stays bounded, and the
        /// proof at any later time is the work of the solutions whose block time falls
        /// in the period, over the period's length.
        #[test]
        fn the_ring_proves_what_every_solution_kept_would(
            window_seconds in 10u64..500,
            windows in 1u32..6,
            steps in proptest::collection::vec((0u64..400, 1u64..1_000_000), 1..60),
            later in 0u64..3_000,
        ) {
            let schedule = WindowSchedule { window_seconds, windows };
            let mut ring = Vec::new();
            let mut all: Vec<(u64, u64)> = Vec::new();
            let mut now = 1_700_000_000u64;
            for (gap, work) in steps {
                now += gap;
                schedule.record(&mut ring, now, Uint256::from(work));
                all.push((now, work));
                proptest::prop_assert!(ring.len() <= windows as usize + 1);
            }
            let at = now + later;
            let proof = schedule.proven(miner(), &ring, at);
            let (from, until) = schedule.period(at);
            let expected: u64 = all
                .iter()
                .filter(|(time, _)| *time >= from && *time < until)
                .map(|(_, work)| work)
                .sum();
            proptest::prop_assert_eq!(until - from, window_seconds * u64::from(windows));
            proptest::prop_assert_eq!(proof.work, Uint128::from(expected));
            proptest::prop_assert_eq!(
                proof.hashes_per_second,
                Uint128::from(expected / (until - from))
            );
        }
    }

    #[test]
    fn the_ratio_is_capped_and_zero_without_a_claim() {
        let r = |proven: u128, claimed: u128| backing_permille(proven.into(), claimed.into());
        assert_eq!(r(100, 1_000), 100);
        assert_eq!(r(999, 1_000), 999);
        assert_eq!(r(5_000, 1_000), 1_000);
        assert_eq!(r(5_000, 0), 0);
        assert_eq!(r(0, 1_000), 0);
        assert_eq!(r(u128::MAX, 1), 1_000);
        assert_eq!(r(1, u128::MAX), 0);
    }
}

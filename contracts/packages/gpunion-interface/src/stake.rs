//! Bonded stake: GUT a contract holds for an account (and may slash) until the account
//! has unbonded it for a period and claims it back. Market providers and endorsers bond
//! by the same rule:
//!
//! - stake is added only while bonded, never once unbonding has started;
//! - unbonding starts once and ends a period later;
//! - the stake is claimed only after unbonding has ended.

use cosmwasm_std::{Addr, OverflowError, OverflowOperation, Uint128};

use crate::endorsement::Endorser;
use crate::market::Provider;

/// Why a stake operation is refused.
#[derive(thiserror::Error, Debug, PartialEq)]
pub enum StakeError {
    /// The stake is unbonding: it takes no more GUT and unbonds only once.
    #[error("{address} is unbonding until {until}")]
    Unbonding { address: Addr, until: u64 },

    /// There is nothing to claim: unbonding has not started.
    #[error("{address} is not unbonding")]
    NotUnbonding { address: Addr },

    /// Unbonding has started but not ended.
    #[error("stake unbonds at {until}, it is {now}")]
    StillUnbonding { until: u64, now: u64 },

    #[error(transparent)]
    Overflow(#[from] OverflowError),
}

/// A stored record holding a bonded stake. Implementors give access to their two fields;
/// the rule is in the provided methods.
pub trait Bond {
    /// The account the stake belongs to (what errors name).
    fn holder(&self) -> &Addr;

    /// The stake and, once unbonding has started, the time it ends.
    fn bond(&self) -> (Uint128, Option<u64>);

    /// The same two fields, to change.
    fn bond_mut(&mut self) -> (&mut Uint128, &mut Option<u64>);

    /// Whether unbonding has started.
    fn is_unbonding(&self) -> bool {
        self.bond().1.is_some()
    }

    /// Refuses a stake that is unbonding.
    fn ensure_bonded(&self) -> Result<(), StakeError> {
        match self.bond().1 {
            Some(until) => Err(StakeError::Unbonding {
                address: self.holder().clone(),
                until,
            }),
            None => Ok(()),
        }
    }

    /// Adds `amount` to a bonded stake and returns the new stake.
    fn add_stake(&mut self, amount: Uint128) -> Result<Uint128, StakeError> {
        self.ensure_bonded()?;
        let (stake, _) = self.bond_mut();
        *stake = stake.checked_add(amount)?;
        Ok(*stake)
    }

    /// Starts unbonding at `now` for `period` seconds and returns when it ends.
    fn start_unbonding(&mut self, now: u64, period: u64) -> Result<u64, StakeError> {
        self.ensure_bonded()?;
        let until = now
            .checked_add(period)
            .ok_or(OverflowError::new(OverflowOperation::Add))?;
        *self.bond_mut().1 = Some(until);
        Ok(until)
    }

    /// The stake to pay out at `now`: only once unbonding has ended.
    fn claimable(&self, now: u64) -> Result<Uint128, StakeError> {
        let (stake, until) = self.bond();
        let Some(until) = until else {
            return Err(StakeError::NotUnbonding {
                address: self.holder().clone(),
            });
        };
        if now < until {
            return Err(StakeError::StillUnbonding { until, now });
        }
        Ok(stake)
    }
}

/// Providers and endorsers keep their stake alike: `stake` and `unbonding_until`, owned
/// by `address`.
macro_rules! impl_bond {
    ($($record:ty),+) => {$(
        impl Bond for $record {
            fn holder(&self) -> &Addr {
                &self.address
            }

            fn bond(&self) -> (Uint128, Option<u64>) {
                (self.stake, self.unbonding_until)
            }

            fn bond_mut(&mut self) -> (&mut Uint128, &mut Option<u64>) {
                (&mut self.stake, &mut self.unbonding_until)
            }
        }
    )+};
}

impl_bond!(Provider, Endorser);

#[cfg(test)]
mod tests {
    use super::*;

    fn endorser(stake: u128) -> Endorser {
        Endorser {
            address: Addr::unchecked("alice"),
            stake: Uint128::new(stake),
            unbonding_until: None,
            endorsements: 0,
            providers: 0,
            slashable_until: 0,
            slashed: Uint128::zero(),
        }
    }

    #[test]
    fn stake_is_added_while_bonded() {
        let mut bond = endorser(5);
        assert_eq!(bond.add_stake(Uint128::new(7)), Ok(Uint128::new(12)));
        assert_eq!(bond.stake, Uint128::new(12));
        assert!(!bond.is_unbonding());
        assert_eq!(bond.ensure_bonded(), Ok(()));
    }

    #[test]
    fn an_unbonding_stake_takes_nothing_more_and_unbonds_once() {
        let mut bond = endorser(5);
        assert_eq!(bond.start_unbonding(100, 50), Ok(150));
        assert_eq!(bond.unbonding_until, Some(150));
        let unbonding = || StakeError::Unbonding {
            address: Addr::unchecked("alice"),
            until: 150,
        };
        assert_eq!(bond.ensure_bonded(), Err(unbonding()));
        assert_eq!(bond.add_stake(Uint128::one()), Err(unbonding()));
        assert_eq!(bond.start_unbonding(120, 50), Err(unbonding()));
        assert_eq!(bond.stake, Uint128::new(5));
        assert_eq!(bond.unbonding_until, Some(150));
    }

    #[test]
    fn the_stake_is_claimed_only_after_unbonding() {
        let mut bond = endorser(5);
        assert_eq!(
            bond.claimable(0),
            Err(StakeError::NotUnbonding {
                address: Addr::unchecked("alice")
            })
        );
        bond.start_unbonding(100, 50).unwrap();
        assert_eq!(
            bond.claimable(149),
            Err(StakeError::StillUnbonding {
                until: 150,
                now: 149
            })
        );
        assert_eq!(bond.claimable(150), Ok(Uint128::new(5)));
    }

    #[test]
    fn overflows_are_errors_not_panics() {
        let mut bond = endorser(u128::MAX);
        assert!(matches!(
            bond.add_stake(Uint128::one()),
            Err(StakeError::Overflow(_))
        ));
        assert!(matches!(
            bond.start_unbonding(u64::MAX, 1),
            Err(StakeError::Overflow(_))
        ));
        assert_eq!(bond.unbonding_until, None);
    }
}

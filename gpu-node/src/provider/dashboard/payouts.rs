//! What the provider was paid since the node started, as the chain shows it: every
//! lease's `paid_to_provider` followed from poll to poll, so withdrawals and settlements
//! count whoever signed them (the node, or its owner in Keplr with the same key).

use std::collections::HashMap;

use gpunion_interface::market::Lease;

/// Payouts since the node's first poll.
#[derive(Debug, Default)]
pub struct Payouts {
    /// What each lease had paid when last read.
    seen: HashMap<u64, u128>,
    /// The chain's time at the first poll.
    first_poll: Option<u64>,
    total: u128,
}

impl Payouts {
    /// Takes `lease` as read at chain time `now`. A lease read for the first time counts
    /// from nothing if it was opened since the first poll (even when already settled),
    /// and from what it had paid otherwise (that was before the node started).
    pub fn saw(&mut self, lease: &Lease, now: u64) {
        let paid = lease.paid_to_provider.u128();
        let opened_since = lease.opened_at >= *self.first_poll.get_or_insert(now);
        match self.seen.insert(lease.id, paid) {
            Some(before) => self.total += paid.saturating_sub(before),
            None if opened_since => self.total += paid,
            None => {}
        }
    }

    /// Lease `lease_id` is settled and will not be read again.
    pub fn forget(&mut self, lease_id: u64) {
        self.seen.remove(&lease_id);
    }

    /// Paid since the node started, ugut.
    pub fn total(&self) -> u128 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::test_lease;
    use gpunion_interface::market::LeaseState;

    fn lease(id: u64, opened_at: u64, paid: u128) -> Lease {
        let mut lease = test_lease(LeaseState::Active);
        lease.id = id;
        lease.opened_at = opened_at;
        lease.paid_to_provider = paid.into();
        lease
    }

    #[test]
    fn counts_what_was_paid_since_the_start_whoever_signed() {
        let mut payouts = Payouts::default();
        // Paid 500 before the node started: not counted; then 300 more (a withdrawal
        // signed in Keplr, say).
        payouts.saw(&lease(1, 10, 500), 100);
        assert_eq!(payouts.total(), 0);
        payouts.saw(&lease(1, 10, 800), 103);
        assert_eq!(payouts.total(), 300);
        // Read again unchanged: nothing more.
        payouts.saw(&lease(1, 10, 800), 106);
        assert_eq!(payouts.total(), 300);
        // Opened after the start and already settled when first read: all of it.
        payouts.saw(&lease(2, 104, 250), 109);
        assert_eq!(payouts.total(), 550);
        payouts.forget(2);
        payouts.forget(1);
        assert!(payouts.seen.is_empty());
    }
}

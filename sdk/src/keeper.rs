//! Keepers: leases that their parties left open past the market's rules are settled by
//! whoever notices. A lease still Pending after its accept deadline is refunded with
//! `ReclaimLapsed`; an Active lease whose provider let its heartbeat lapse under the
//! lease's own grace is settled with `ExpireLease` (the customer refunded what was not
//! served and, if service was due and not given, paid a slash of the provider's stake).
//!
//! The customer's own leases are settled by [`crate::flows::Customer::settle_overdue`];
//! [`Keeper`] does it for every lease of the market, one bounded pass at a time.
//!
//! **Trust.** Discovery reads the contract with unverified smart queries. That is
//! enough here: a transaction is sent only when the chain will accept it, and the
//! contract re-checks every condition itself, so a lying node can at most waste a fee
//! (a refused transaction) or withhold a lease from view (another keeper, or the
//! customer, then settles it).
//!
//! **Cheap.** Conditions are checked at the chain's time, taken from the latest block
//! (never the local clock) before the records are read: the transaction lands in a later
//! block, and both conditions only become truer with time. A lease another keeper
//! settles first is refused by the contract; that refusal, confirmed by reading the
//! lease again, counts as done.

use std::collections::{BTreeSet, HashMap};

use gpunion_interface::market::{ChainTime, Lease, LeaseState, Provider};

use crate::contracts::market::Market;
use crate::error::{Error, Result};
use crate::rpc::Rpc;
use crate::tx::{Signer, TxOutcome};

/// Most lease ids a [`Keeper`] pass discovers, so that the first pass over a long
/// history stays bounded too (the next pass goes on from there).
pub const DISCOVER_PER_PASS: u64 = 500;

/// Blocks a [`Keeper`] waits before sending again for a lease whose transaction was
/// broadcast but not seen in a block in time: it may still land, and a second one would
/// only pay a fee to be refused.
pub const RESEND_AFTER_BLOCKS: u64 = 30;

/// Why a lease may be settled by anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overdue {
    /// Pending past its accept deadline: `ReclaimLapsed` refunds the customer in full.
    AcceptDeadlinePassed,
    /// Active with the provider's heartbeat lapsed under the lease's grace:
    /// `ExpireLease` settles it.
    ProviderLapsed,
}

impl Overdue {
    /// Whether `lease` is overdue at `now`, judged by the contract's own rules
    /// ([`Lease::is_reclaimable`], [`Lease::is_expirable`]); `provider` is the lease's
    /// provider's record.
    pub fn of(lease: &Lease, provider: &Provider, now: ChainTime) -> Option<Overdue> {
        if lease.is_reclaimable(now.seconds) {
            Some(Overdue::AcceptDeadlinePassed)
        } else if lease.is_expirable(provider, now) {
            Some(Overdue::ProviderLapsed)
        } else {
            None
        }
    }

    /// The market action that settles it, as the contract names it in its events.
    pub fn action(self) -> &'static str {
        match self {
            Overdue::AcceptDeadlinePassed => "reclaim_lapsed",
            Overdue::ProviderLapsed => "expire_lease",
        }
    }
}

/// How an overdue lease was settled.
#[derive(Debug, Clone)]
pub enum Settlement {
    /// This client's transaction settled it.
    Sent {
        tx: TxOutcome,
        /// GUT returned to the customer from the escrow, ugut.
        refund: u128,
        /// Stake slashed from the provider to the customer, ugut.
        slashed: u128,
    },
    /// Someone else settled it first: the contract refused this client's transaction
    /// and the lease now reads as final.
    AlreadySettled { state: LeaseState },
}

/// One overdue lease and what became of it.
#[derive(Debug, Clone)]
pub struct Settled {
    pub lease_id: u64,
    pub customer: String,
    pub overdue: Overdue,
    pub settlement: Settlement,
}

/// The chain's time at its latest block: where the contract's conditions are checked.
pub async fn chain_time(rpc: &Rpc) -> Result<ChainTime> {
    let status = rpc.status().await?;
    let seconds = u64::try_from(status.sync_info.latest_block_time.unix_timestamp())
        .map_err(|e| Error::decode("latest block time", e))?;
    Ok(ChainTime {
        seconds,
        height: status.sync_info.latest_block_height.value(),
    })
}

/// Sends the transactions that settle overdue leases, for one signer (who pays the fee).
#[derive(Debug, Clone)]
pub struct Settler {
    signer: Signer,
    market: Market,
}

impl Settler {
    /// Settles with `signer`'s transactions on `market`.
    pub fn new(signer: Signer, market: Market) -> Self {
        Self { signer, market }
    }

    /// The chain's time now (see [`chain_time`]).
    pub async fn chain_time(&self) -> Result<ChainTime> {
        chain_time(self.signer.rpc()).await
    }

    /// A provider's record (smart query, unverified: see the module's trust note).
    pub async fn provider(&self, address: &str) -> Result<Provider> {
        Ok(self
            .market
            .provider_unverified(address)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("provider {address}"),
            })?
            .provider)
    }

    /// Settles `lease` if it is overdue at `now` (`provider`: its provider's record);
    /// `None`: it is not, and nothing was sent.
    pub async fn settle_if_overdue(
        &self,
        lease: &Lease,
        provider: &Provider,
        now: ChainTime,
    ) -> Result<Option<Settled>> {
        match Overdue::of(lease, provider, now) {
            Some(overdue) => self.settle(lease, overdue).await.map(Some),
            None => Ok(None),
        }
    }

    /// Sends the action for `overdue` on `lease`. A refusal by the contract after
    /// which the lease reads as final means someone settled it first:
    /// [`Settlement::AlreadySettled`], not an error.
    pub async fn settle(&self, lease: &Lease, overdue: Overdue) -> Result<Settled> {
        let sent = match overdue {
            Overdue::AcceptDeadlinePassed => {
                self.market.reclaim_lapsed(&self.signer, lease.id).await
            }
            Overdue::ProviderLapsed => self.market.expire_lease(&self.signer, lease.id).await,
        };
        let settlement = match sent {
            Ok(tx) => Settlement::Sent {
                refund: amount_attribute(&tx, "refund")?,
                slashed: amount_attribute(&tx, "slashed")?,
                tx,
            },
            Err(refused @ Error::Contract { .. }) => match self.state(lease.id).await? {
                state if state.is_final() => Settlement::AlreadySettled { state },
                _ => return Err(refused),
            },
            Err(other) => return Err(other),
        };
        Ok(Settled {
            lease_id: lease.id,
            customer: lease.customer.to_string(),
            overdue,
            settlement,
        })
    }

    async fn state(&self, lease_id: u64) -> Result<LeaseState> {
        Ok(self
            .market
            .lease_unverified(lease_id)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("lease {lease_id}"),
            })?
            .lease
            .state)
    }
}

/// An amount attribute of the market's settlement event (absent: zero, as `slashed` is
/// for a reclaim).
fn amount_attribute(tx: &TxOutcome, key: &str) -> Result<u128> {
    tx.attribute("wasm", key)
        .map_or(Ok(0), str::parse)
        .map_err(|e| Error::decode(&format!("{key} of tx {}", tx.hash), e))
}

/// What one [`Keeper::pass`] saw and did.
#[derive(Debug, Clone)]
pub struct Pass {
    /// The chain time the conditions were checked at.
    pub at: ChainTime,
    /// Lease ids below this one have been discovered (the market's `next_lease_id`
    /// once caught up).
    pub scanned_to: u64,
    /// Whether discovery reached the market's newest lease.
    pub caught_up: bool,
    /// Leases still open after the pass.
    pub open: usize,
    /// The oldest lease id still open: nothing below it is read again.
    pub low_water_mark: u64,
    /// Leases settled in this pass.
    pub settled: Vec<Settled>,
    /// Leases whose settlement failed (tried again next pass).
    pub failed: Vec<(u64, Error)>,
}

/// What a pass found of one lease.
enum Visit {
    /// Open and not overdue: read again next pass.
    Open,
    /// Final (or never created): never read again.
    Final,
    /// Overdue, and now settled.
    Settled(Settled),
}

/// Settles every overdue lease of the market. It walks lease ids forward once,
/// remembering the non-final ones, and re-reads only those on later passes: a pass
/// reads the leases created since the last one (at most [`DISCOVER_PER_PASS`]) and the
/// open ones, each provider once. It sends at most one transaction per lease and pass,
/// and none while an earlier one may still land ([`RESEND_AFTER_BLOCKS`]).
#[derive(Debug)]
pub struct Keeper {
    settler: Settler,
    market: Market,
    /// The next lease id to discover.
    next_id: u64,
    /// Discovered leases not known to be final.
    open: BTreeSet<u64>,
    /// Leases whose settling transaction timed out unseen, with the height from which
    /// one may be sent again.
    unconfirmed: HashMap<u64, u64>,
}

impl Keeper {
    /// A keeper paying with `signer`, discovering leases from id `from` (the market's
    /// first lease is 1).
    pub fn new(signer: Signer, market: Market, from: u64) -> Self {
        Self {
            settler: Settler::new(signer, market.clone()),
            market,
            next_id: from,
            open: BTreeSet::new(),
            unconfirmed: HashMap::new(),
        }
    }

    /// One pass: discover new leases, settle those overdue at the chain's time. An error
    /// reaching the chain ends the pass early; what was learnt is kept, so the next
    /// pass goes on from there.
    pub async fn pass(&mut self) -> Result<Pass> {
        // The time first: every record read afterwards is at least as new, so a
        // condition that holds at this time also holds in the block the action lands in.
        let at = self.settler.chain_time().await?;
        let newest = self.market.config().await?.next_lease_id;
        let until = newest.min(self.next_id.saturating_add(DISCOVER_PER_PASS));
        self.open.extend(self.next_id..until);
        self.next_id = self.next_id.max(until);

        let mut providers = HashMap::new();
        let (mut settled, mut failed) = (Vec::new(), Vec::new());
        for id in self.open.clone() {
            match self.visit(id, at, &mut providers).await {
                Ok(Visit::Open) => {}
                Ok(Visit::Final) => self.forget(id),
                Ok(Visit::Settled(done)) => {
                    self.forget(id);
                    settled.push(done);
                }
                Err(e) if e.is_network() => return Err(e),
                Err(e) => {
                    if matches!(e, Error::Timeout { .. }) {
                        self.unconfirmed
                            .insert(id, at.height.saturating_add(RESEND_AFTER_BLOCKS));
                    }
                    failed.push((id, e));
                }
            }
        }
        Ok(Pass {
            at,
            scanned_to: self.next_id,
            caught_up: self.next_id >= newest,
            open: self.open.len(),
            low_water_mark: self.low_water_mark(),
            settled,
            failed,
        })
    }

    /// Reads lease `id` and settles it if it is overdue at `at`; `providers` caches the
    /// providers' records for the pass.
    async fn visit(
        &self,
        id: u64,
        at: ChainTime,
        providers: &mut HashMap<String, Provider>,
    ) -> Result<Visit> {
        let Some(lease) = self.market.lease_unverified(id).await? else {
            return Ok(Visit::Final);
        };
        let lease = lease.lease;
        if lease.state.is_final() {
            return Ok(Visit::Final);
        }
        if self
            .unconfirmed
            .get(&id)
            .is_some_and(|&resend_at| at.height < resend_at)
        {
            return Ok(Visit::Open);
        }
        let address = lease.provider.to_string();
        let provider = match providers.get(&address) {
            Some(p) => p,
            None => {
                let record = self.settler.provider(&address).await?;
                providers.entry(address).or_insert(record)
            }
        };
        Ok(
            match self.settler.settle_if_overdue(&lease, provider, at).await? {
                Some(done) => Visit::Settled(done),
                None => Visit::Open,
            },
        )
    }

    fn forget(&mut self, id: u64) {
        self.open.remove(&id);
        self.unconfirmed.remove(&id);
    }

    /// The oldest lease id not known to be final (the next id to discover when none).
    pub fn low_water_mark(&self) -> u64 {
        self.open.first().copied().unwrap_or(self.next_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{Addr, Decimal, Uint128};
    use gpunion_interface::market::{
        HeartbeatGrace, LeaseTerms, ProviderStats, Workload, WorkloadKind,
    };

    const GRACE: HeartbeatGrace = HeartbeatGrace {
        seconds: 30,
        blocks: 10,
    };

    fn lease(state: LeaseState) -> Lease {
        Lease {
            id: 7,
            customer: Addr::unchecked("customer"),
            provider: Addr::unchecked("provider"),
            slot: 0,
            workload: Workload {
                cid: "bafy".into(),
                kind: WorkloadKind::WgslBundle,
            },
            price_per_hour: Uint128::new(3600),
            opened_at: 1_000,
            start: 1_000,
            end: 1_600,
            accept_deadline: 1_060,
            accepted_at: (state == LeaseState::Active).then_some(1_010),
            state,
            terms: LeaseTerms {
                protocol_fee: Decimal::percent(2),
                slash_fraction: Decimal::percent(10),
                heartbeat_grace: GRACE,
            },
            deposit: Uint128::new(600),
            paid_to_provider: Uint128::zero(),
            refunded: Uint128::zero(),
            result: None,
            closed_at: None,
        }
    }

    fn provider(last_heartbeat: u64, last_heartbeat_height: u64) -> Provider {
        serde_json::from_value(serde_json::json!({
            "address": "provider",
            "attributes": {
                "gpu_model": "GPU", "gpu_count": 1, "memory_mib": 1024,
                "compute": {"backend": "vulkan", "features": [],
                            "max_compute_invocations_per_workgroup": 256,
                            "max_compute_workgroup_storage_size": 16_384,
                            "max_storage_buffer_binding_size": 1 << 27,
                            "max_buffer_size": 1 << 28},
                "x16s_hashrate": "0", "mining_address": null,
                "region": {"country": "DE", "geohash": "u33"},
                "price_per_hour": "3600", "peer_id": "", "multiaddrs": []
            },
            "stake": "1000000000", "registered_at": 900,
            "last_heartbeat": last_heartbeat, "last_heartbeat_height": last_heartbeat_height,
            "paused": false, "unbonding_until": null, "open_leases": 1, "active_leases": 1,
            "active_grace": GRACE, "stats": ProviderStats::default()
        }))
        .unwrap()
    }

    fn at(seconds: u64, height: u64) -> ChainTime {
        ChainTime { seconds, height }
    }

    #[test]
    fn a_pending_lease_is_overdue_only_after_its_accept_deadline() {
        let pending = lease(LeaseState::Pending);
        let alive = provider(1_050, 50);
        assert_eq!(Overdue::of(&pending, &alive, at(1_060, 60)), None);
        assert_eq!(
            Overdue::of(&pending, &alive, at(1_061, 61)),
            Some(Overdue::AcceptDeadlinePassed)
        );
    }

    #[test]
    fn an_active_lease_is_overdue_once_both_grace_seconds_and_blocks_passed() {
        let active = lease(LeaseState::Active);
        let silent = provider(1_100, 100);
        assert_eq!(Overdue::of(&active, &silent, at(1_130, 200)), None);
        assert_eq!(Overdue::of(&active, &silent, at(1_200, 110)), None);
        assert_eq!(
            Overdue::of(&active, &silent, at(1_131, 111)),
            Some(Overdue::ProviderLapsed)
        );
        // An Active lease is never reclaimed, whatever its accept deadline.
        assert_eq!(
            Overdue::of(&active, &provider(1_200, 200), at(1_201, 201)),
            None
        );
    }

    #[test]
    fn final_leases_are_never_overdue() {
        let silent = provider(0, 0);
        for state in [
            LeaseState::Closed,
            LeaseState::Expired,
            LeaseState::Lapsed,
            LeaseState::Rejected,
        ] {
            assert_eq!(
                Overdue::of(&lease(state), &silent, at(10_000, 10_000)),
                None
            );
        }
    }
}

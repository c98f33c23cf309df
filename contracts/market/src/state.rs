//! Stored records and the indexes that keep every query and every lease action bounded.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Env, Order, StdResult, Storage};
use cw_storage_plus::{Bound, Item, Map};
pub use gpunion_interface::market::Config;
use gpunion_interface::market::check::Check;
use gpunion_interface::market::{
    ChainTime, EscrowTotals, HeartbeatGrace, Lease, Provider, ProviderStatus, storage,
};

/// A slot's booked window, keyed by (provider, slot, start).
#[cw_serde]
pub struct Booking {
    pub end: u64,
    pub lease_id: u64,
    pub accepted: bool,
}

pub const CONFIG: Item<Config> = Item::new(storage::CONFIG);
pub const PROVIDERS: Map<&Addr, Provider> = Map::new(storage::PROVIDERS);
pub const LEASES: Map<u64, Lease> = Map::new(storage::LEASES);
/// The id the next lease gets.
pub const NEXT_LEASE_ID: Item<u64> = Item::new(storage::NEXT_LEASE_ID);
pub const LEASES_BY_CUSTOMER: Map<(&Addr, u64), ()> = Map::new(storage::LEASES_BY_CUSTOMER);
pub const LEASES_BY_PROVIDER: Map<(&Addr, u64), ()> = Map::new(storage::LEASES_BY_PROVIDER);
/// Bookings of open leases per GPU slot. Windows on a slot never overlap, so they are
/// ordered by start and by end alike: one range read finds a conflict.
pub const BOOKINGS: Map<(&Addr, u32, u64), Booking> = Map::new(storage::BOOKINGS);
/// Accepted bookings only, (provider, slot, start) → end: what status reads, two range
/// reads per GPU whatever the number of pending requests.
pub const ACCEPTED: Map<(&Addr, u32, u64), u64> = Map::new(storage::ACCEPTED);
pub const TOTALS: Item<EscrowTotals> = Item::new(storage::TOTALS);
/// Miner → the one provider it consented may name it as `mining_address`.
pub const MINING_LINKS: Map<&Addr, Addr> = Map::new(storage::MINING_LINKS);
pub const CHECKS: Map<u64, Check> = Map::new(storage::CHECKS);
pub const CHECKS_BY_ASSIGNEE: Map<(&Addr, u64), ()> = Map::new(storage::CHECKS_BY_ASSIGNEE);
pub const CHECK_POOL: Map<u32, Addr> = Map::new(storage::CHECK_POOL);
pub const CHECK_POOL_INDEX: Map<&Addr, u32> = Map::new(storage::CHECK_POOL_INDEX);
pub const CHECK_POOL_SIZE: Item<u32> = Item::new(storage::CHECK_POOL_SIZE);

/// The block's time and height, where liveness is measured.
pub fn chain_time(env: &Env) -> ChainTime {
    ChainTime {
        seconds: env.block.time.seconds(),
        height: env.block.height,
    }
}

/// The provider's status from its record and its slots' accepted bookings: at most two
/// range reads per GPU (16 at most).
pub fn status(
    storage: &dyn Storage,
    provider: &Provider,
    grace: HeartbeatGrace,
    at: ChainTime,
) -> StdResult<ProviderStatus> {
    if provider.is_disconnected(grace, at) {
        return Ok(ProviderStatus::Disconnect);
    }
    let now = at.seconds;
    if provider.open_leases == 0 {
        return Ok(ProviderStatus::Idle);
    }
    let mut reserved = false;
    for slot in 0..provider.attributes.gpu_count {
        let accepted = ACCEPTED.prefix((&provider.address, slot));
        // The accepted booking that started last at or before now.
        let current = accepted
            .range(
                storage,
                None,
                Some(Bound::inclusive(now)),
                Order::Descending,
            )
            .next()
            .transpose()?;
        if let Some((_, end)) = current
            && end > now
        {
            return Ok(ProviderStatus::Sharing);
        }
        reserved = reserved
            || accepted
                .keys(storage, Some(Bound::exclusive(now)), None, Order::Ascending)
                .next()
                .is_some();
    }
    Ok(if reserved {
        ProviderStatus::Reserved
    } else {
        ProviderStatus::Idle
    })
}

/// Whether [start, end) on `slot` is free: the booking that starts last before `end` must
/// end by `start` (bookings on a slot never overlap).
pub fn slot_is_free(
    storage: &dyn Storage,
    provider: &Addr,
    slot: u32,
    start: u64,
    end: u64,
    ignore_lease: Option<u64>,
) -> StdResult<bool> {
    let before_end = BOOKINGS
        .prefix((provider, slot))
        .range(
            storage,
            None,
            Some(Bound::exclusive(end)),
            Order::Descending,
        )
        .take(2);
    for item in before_end {
        let (booking_start, booking) = item?;
        if Some(booking.lease_id) == ignore_lease {
            continue;
        }
        debug_assert!(booking_start < end);
        return Ok(booking.end <= start);
    }
    Ok(true)
}

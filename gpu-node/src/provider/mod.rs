//! The provider daemon: configuration and keys, the market's leases served end to end
//! (accept, fetch the workload from IPFS, run it isolated or in a container, post the
//! result, settle), mining between leases, durable state, metrics, and the dashboard's
//! API.

pub mod attributes;
pub mod checks;
pub mod config;
pub mod containers;
pub mod dashboard;
pub mod identity;
pub mod job;
pub mod link;
pub mod metrics;
pub mod mining;
pub mod p2p;
pub mod serve;
pub mod state;

/// A lease for the provider's unit tests: lease 7 of customer `alice` with provider
/// `prov`, a WGSL bundle, window 100..200, in `state`.
#[cfg(test)]
pub(crate) fn test_lease(
    state: gpunion_interface::market::LeaseState,
) -> gpunion_interface::market::Lease {
    use cosmwasm_std::{Addr, Decimal, Uint128};
    use gpunion_interface::market::{HeartbeatGrace, Lease, LeaseTerms, Workload, WorkloadKind};
    Lease {
        id: 7,
        customer: Addr::unchecked("alice"),
        provider: Addr::unchecked("prov"),
        slot: 0,
        workload: Workload {
            cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".into(),
            kind: WorkloadKind::WgslBundle,
        },
        price_per_hour: Uint128::new(1),
        opened_at: 0,
        start: 100,
        end: 200,
        accept_deadline: 50,
        accepted_at: Some(10),
        state,
        terms: LeaseTerms {
            protocol_fee: Decimal::percent(2),
            slash_fraction: Decimal::percent(10),
            heartbeat_grace: HeartbeatGrace {
                seconds: 30,
                blocks: 10,
            },
        },
        deposit: Uint128::new(1),
        paid_to_provider: Uint128::zero(),
        refunded: Uint128::zero(),
        result: None,
        closed_at: None,
    }
}

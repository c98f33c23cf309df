//! The market's records and enums as the bindings show them: amounts in ugut as `u64`
//! (see [`crate::error::amount`]), addresses as strings, scores as floats. Conversions
//! from and to `gpunion-interface`'s types live here, once.

use cosmwasm_std::{Decimal, Uint128};
use gpunion_interface::{endorsement, market};

use crate::error::{GpunionError, Result, amount};

/// A transaction included in a block.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TxOutcome {
    /// Upper-case hex hash.
    pub hash: String,
    /// The block it is in.
    pub height: u64,
    pub gas_wanted: i64,
    pub gas_used: i64,
}

impl From<gpunion_sdk::TxOutcome> for TxOutcome {
    fn from(tx: gpunion_sdk::TxOutcome) -> Self {
        Self {
            hash: tx.hash,
            height: tx.height,
            gas_wanted: tx.gas_wanted,
            gas_used: tx.gas_used,
        }
    }
}

/// What a provider's node runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WorkloadKind {
    /// A WGSL job bundle run by wgpu.
    WgslBundle,
    /// An OCI image layout run by runc.
    OciImage,
}

impl From<market::WorkloadKind> for WorkloadKind {
    fn from(kind: market::WorkloadKind) -> Self {
        match kind {
            market::WorkloadKind::WgslBundle => Self::WgslBundle,
            market::WorkloadKind::OciImage => Self::OciImage,
        }
    }
}

impl From<WorkloadKind> for market::WorkloadKind {
    fn from(kind: WorkloadKind) -> Self {
        match kind {
            WorkloadKind::WgslBundle => Self::WgslBundle,
            WorkloadKind::OciImage => Self::OciImage,
        }
    }
}

/// A lease's workload: what is in IPFS, and of which kind.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Workload {
    /// IPFS CID of the job bundle or image layout.
    pub cid: String,
    pub kind: WorkloadKind,
}

impl From<Workload> for market::Workload {
    fn from(w: Workload) -> Self {
        Self {
            cid: w.cid,
            kind: w.kind.into(),
        }
    }
}

/// Where a provider stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProviderStatus {
    /// Registered and heartbeating, no lease running.
    Idle,
    /// A lease is running on one of its GPUs.
    Sharing,
    /// An accepted lease starts later.
    Reserved,
    /// Heartbeats stopped past the grace period, or leaving.
    Disconnect,
}

impl From<market::ProviderStatus> for ProviderStatus {
    fn from(status: market::ProviderStatus) -> Self {
        match status {
            market::ProviderStatus::Idle => Self::Idle,
            market::ProviderStatus::Sharing => Self::Sharing,
            market::ProviderStatus::Reserved => Self::Reserved,
            market::ProviderStatus::Disconnect => Self::Disconnect,
        }
    }
}

impl From<ProviderStatus> for market::ProviderStatus {
    fn from(status: ProviderStatus) -> Self {
        match status {
            ProviderStatus::Idle => Self::Idle,
            ProviderStatus::Sharing => Self::Sharing,
            ProviderStatus::Reserved => Self::Reserved,
            ProviderStatus::Disconnect => Self::Disconnect,
        }
    }
}

/// Which providers to list; every field left out matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ProviderFilter {
    #[uniffi(default)]
    pub status: Option<ProviderStatus>,
    /// Exact model name, compared case-insensitively.
    #[uniffi(default)]
    pub gpu_model: Option<String>,
    #[uniffi(default)]
    pub min_memory_mib: Option<u64>,
    /// ISO 3166-1 alpha-2 country code.
    #[uniffi(default)]
    pub country: Option<String>,
    /// ugut per GPU-hour.
    #[uniffi(default)]
    pub max_price_per_hour: Option<u64>,
    /// Only providers that run this kind.
    #[uniffi(default)]
    pub workload: Option<WorkloadKind>,
}

impl From<ProviderFilter> for market::ProviderFilter {
    fn from(f: ProviderFilter) -> Self {
        Self {
            status: f.status.map(Into::into),
            gpu_model: f.gpu_model,
            min_memory_mib: f.min_memory_mib,
            country: f.country,
            max_price_per_hour: f.max_price_per_hour.map(Uint128::from),
            workload: f.workload.map(Into::into),
        }
    }
}

/// What a provider declares when it registers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProviderAttributes {
    /// e.g. "NVIDIA RTX 4090".
    pub gpu_model: String,
    /// GPUs offered, each a lease slot (1..=16).
    pub gpu_count: u32,
    /// Memory per GPU in MiB.
    pub memory_mib: u64,
    /// The wgpu backend ("vulkan", "metal", "dx12").
    pub backend: String,
    /// wgpu feature names, e.g. "SHADER_INT64".
    pub features: Vec<String>,
    pub max_compute_invocations_per_workgroup: u32,
    pub max_compute_workgroup_storage_size: u32,
    pub max_storage_buffer_binding_size: u64,
    pub max_buffer_size: u64,
    /// Measured X16S hashrate, hashes per second.
    pub x16s_hashrate: u64,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// 1 to 12 geohash characters.
    pub geohash: String,
    /// ugut per GPU-hour.
    pub price_per_hour: u64,
    /// libp2p peer id of the provider's node.
    pub peer_id: String,
    /// Multiaddrs the node listens on or is relayed through.
    pub multiaddrs: Vec<String>,
    /// The kinds of workload the node runs.
    pub workloads: Vec<WorkloadKind>,
}

impl From<ProviderAttributes> for market::ProviderAttributes {
    fn from(a: ProviderAttributes) -> Self {
        Self {
            gpu_model: a.gpu_model,
            gpu_count: a.gpu_count,
            memory_mib: a.memory_mib,
            compute: market::ComputeCapability {
                backend: a.backend,
                features: a.features,
                max_compute_invocations_per_workgroup: a.max_compute_invocations_per_workgroup,
                max_compute_workgroup_storage_size: a.max_compute_workgroup_storage_size,
                max_storage_buffer_binding_size: a.max_storage_buffer_binding_size,
                max_buffer_size: a.max_buffer_size,
            },
            x16s_hashrate: a.x16s_hashrate.into(),
            region: market::Region {
                country: a.country,
                geohash: a.geohash,
            },
            price_per_hour: a.price_per_hour.into(),
            peer_id: a.peer_id,
            multiaddrs: a.multiaddrs,
            mining_address: None,
            workloads: a.workloads.into_iter().map(Into::into).collect(),
        }
    }
}

impl TryFrom<market::ProviderAttributes> for ProviderAttributes {
    type Error = GpunionError;

    fn try_from(a: market::ProviderAttributes) -> Result<Self> {
        Ok(Self {
            gpu_model: a.gpu_model,
            gpu_count: a.gpu_count,
            memory_mib: a.memory_mib,
            backend: a.compute.backend,
            features: a.compute.features,
            max_compute_invocations_per_workgroup: a.compute.max_compute_invocations_per_workgroup,
            max_compute_workgroup_storage_size: a.compute.max_compute_workgroup_storage_size,
            max_storage_buffer_binding_size: a.compute.max_storage_buffer_binding_size,
            max_buffer_size: a.compute.max_buffer_size,
            x16s_hashrate: amount(a.x16s_hashrate.u128(), "hashrate")?,
            country: a.region.country,
            geohash: a.region.geohash,
            price_per_hour: amount(a.price_per_hour.u128(), "price per hour")?,
            peer_id: a.peer_id,
            multiaddrs: a.multiaddrs,
            workloads: a.workloads.into_iter().map(Into::into).collect(),
        })
    }
}

/// A registered provider with its status.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ProviderInfo {
    pub address: String,
    pub attributes: ProviderAttributes,
    pub status: ProviderStatus,
    /// Bonded stake, ugut.
    pub stake: u64,
    pub paused: bool,
    /// Unix seconds of the last heartbeat.
    pub last_heartbeat: u64,
    pub open_leases: u32,
    /// Reliability in per mille (completed leases over all settled ones, smoothed).
    pub reliability_permille: u64,
}

impl TryFrom<market::ProviderResponse> for ProviderInfo {
    type Error = GpunionError;

    fn try_from(r: market::ProviderResponse) -> Result<Self> {
        let p = r.provider;
        Ok(Self {
            address: p.address.into_string(),
            attributes: p.attributes.try_into()?,
            status: r.status.into(),
            stake: amount(p.stake.u128(), "stake")?,
            paused: p.paused,
            last_heartbeat: p.last_heartbeat,
            open_leases: p.open_leases,
            reliability_permille: r.reliability_permille,
        })
    }
}

/// Where a lease stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LeaseState {
    /// Waiting for the provider to accept.
    Pending,
    /// Accepted; running between `start` and `end`.
    Active,
    /// Closed by customer or provider.
    Closed,
    /// Expired: the provider stopped heartbeating with service due.
    Expired,
    /// Not accepted by the deadline; refunded.
    Lapsed,
    /// Declined by the provider; refunded.
    Rejected,
}

impl From<market::LeaseState> for LeaseState {
    fn from(state: market::LeaseState) -> Self {
        match state {
            market::LeaseState::Pending => Self::Pending,
            market::LeaseState::Active => Self::Active,
            market::LeaseState::Closed => Self::Closed,
            market::LeaseState::Expired => Self::Expired,
            market::LeaseState::Lapsed => Self::Lapsed,
            market::LeaseState::Rejected => Self::Rejected,
        }
    }
}

/// A lease with what it has earned (a verified read).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LeaseInfo {
    pub id: u64,
    pub customer: String,
    pub provider: String,
    pub state: LeaseState,
    pub workload_cid: String,
    pub workload_kind: WorkloadKind,
    /// ugut per GPU-hour.
    pub price_per_hour: u64,
    /// The booked window, unix seconds.
    pub start: u64,
    pub end: u64,
    /// ugut paid in.
    pub deposit: u64,
    /// ugut paid out for service (gross of the protocol fee).
    pub paid_to_provider: u64,
    /// ugut refunded.
    pub refunded: u64,
    /// ugut earned so far (gross).
    pub earned: u64,
    /// ugut a withdrawal would pay now.
    pub withdrawable: u64,
    /// The result's CID, once the provider posted it.
    pub result_cid: Option<String>,
}

impl TryFrom<market::LeaseResponse> for LeaseInfo {
    type Error = GpunionError;

    fn try_from(r: market::LeaseResponse) -> Result<Self> {
        let l = r.lease;
        Ok(Self {
            id: l.id,
            customer: l.customer.into_string(),
            provider: l.provider.into_string(),
            state: l.state.into(),
            workload_cid: l.workload.cid,
            workload_kind: l.workload.kind.into(),
            price_per_hour: amount(l.price_per_hour.u128(), "price per hour")?,
            start: l.start,
            end: l.end,
            deposit: amount(l.deposit.u128(), "deposit")?,
            paid_to_provider: amount(l.paid_to_provider.u128(), "paid")?,
            refunded: amount(l.refunded.u128(), "refunded")?,
            earned: amount(r.earned.u128(), "earned")?,
            withdrawable: amount(r.withdrawable.u128(), "withdrawable")?,
            result_cid: l.result.map(|r| r.cid),
        })
    }
}

/// What a customer asks the endorsement contract to rank providers for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecommendRequest {
    /// The customer's country (ISO 3166-1 alpha-2) and geohash, for proximity.
    pub country: String,
    pub geohash: String,
    /// ugut per GPU-hour, the most the customer pays.
    pub max_price_per_hour: u64,
    #[uniffi(default)]
    pub gpu_model: Option<String>,
    #[uniffi(default)]
    pub min_memory_mib: Option<u64>,
    #[uniffi(default)]
    pub min_gpu_count: Option<u32>,
    #[uniffi(default)]
    pub limit: Option<u32>,
    /// Only providers whose proven X16S hashrate backs at least this share of their
    /// claim, per mille (0..=1000).
    #[uniffi(default)]
    pub min_hashrate_ratio_permille: Option<u64>,
}

impl From<RecommendRequest> for endorsement::RecommendRequest {
    fn from(r: RecommendRequest) -> Self {
        Self {
            country: r.country,
            geohash: r.geohash,
            gpu_model: r.gpu_model,
            min_memory_mib: r.min_memory_mib,
            min_gpu_count: r.min_gpu_count,
            max_price_per_hour: r.max_price_per_hour.into(),
            limit: r.limit,
            min_hashrate_ratio_permille: r.min_hashrate_ratio_permille,
        }
    }
}

/// A ranked provider.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Recommendation {
    pub provider: String,
    /// ugut per GPU-hour.
    pub price_per_hour: u64,
    pub distance_km: u64,
    /// 0..1 each; `score` = 0.5 reputation + 0.3 proximity + 0.2 price score.
    pub reputation: f64,
    pub proximity: f64,
    pub price_score: f64,
    pub score: f64,
}

impl TryFrom<endorsement::Recommendation> for Recommendation {
    type Error = GpunionError;

    fn try_from(r: endorsement::Recommendation) -> Result<Self> {
        Ok(Self {
            provider: r.provider.into_string(),
            price_per_hour: amount(r.price_per_hour.u128(), "price per hour")?,
            distance_km: r.distance_km,
            reputation: ratio(r.reputation)?,
            proximity: ratio(r.proximity)?,
            price_score: ratio(r.price_score)?,
            score: ratio(r.score)?,
        })
    }
}

/// A provider's reputation and its parts (a verified read).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Reputation {
    /// Bayesian average of the ratings, stars (1..5).
    pub rating_average: f64,
    /// 0..1 each; `score` = 0.6 rating + 0.25 reliability + 0.15 endorsement.
    pub rating_part: f64,
    pub reliability_part: f64,
    pub endorsement_part: f64,
    pub score: f64,
    /// Ratings received.
    pub ratings: u64,
    /// ugut lent by the provider's endorsers.
    pub endorsing_stake: u64,
}

impl TryFrom<endorsement::Reputation> for Reputation {
    type Error = GpunionError;

    fn try_from(r: endorsement::Reputation) -> Result<Self> {
        Ok(Self {
            rating_average: ratio(r.rating_average)?,
            rating_part: ratio(r.rating_part)?,
            reliability_part: ratio(r.reliability_part)?,
            endorsement_part: ratio(r.endorsement_part)?,
            score: ratio(r.score)?,
            ratings: r.ratings,
            endorsing_stake: amount(r.endorsing_stake.u128(), "endorsing stake")?,
        })
    }
}

/// A contract's decimal as a float (for display and ranking; the chain keeps the exact
/// value).
fn ratio(value: Decimal) -> Result<f64> {
    value
        .to_string()
        .parse()
        .map_err(|e: std::num::ParseFloatError| GpunionError::Decode {
            what: format!("decimal {value}"),
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_floats() {
        let half = Decimal::percent(50);
        assert_eq!(ratio(half).unwrap(), 0.5);
    }

    #[test]
    fn filters_and_kinds_round_trip() {
        let filter = market::ProviderFilter::from(ProviderFilter {
            country: Some("DE".into()),
            max_price_per_hour: Some(7),
            workload: Some(WorkloadKind::OciImage),
            ..ProviderFilter::default()
        });
        assert_eq!(filter.max_price_per_hour, Some(Uint128::new(7)));
        assert_eq!(filter.workload, Some(market::WorkloadKind::OciImage));
        for kind in [WorkloadKind::WgslBundle, WorkloadKind::OciImage] {
            assert_eq!(WorkloadKind::from(market::WorkloadKind::from(kind)), kind);
        }
    }
}

//! What `gpu-node register` declares: measured on this machine (the adapter's name,
//! backend, features and limits; the X16S hashrate from a short run), priced and
//! placed from the configuration.

use cosmwasm_std::Uint128;
use gpunion_interface::market::{ComputeCapability, ProviderAttributes, Region, WorkloadKind};

use super::config::ProviderSettings;
use crate::gpu::Gpu;

/// What wgpu reports of the adapter: backend, features, compute limits.
pub fn capability(gpu: &Gpu) -> ComputeCapability {
    let limits = gpu.limits();
    ComputeCapability {
        backend: gpu.backend().to_lowercase(),
        features: gpu.feature_names(),
        max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup,
        max_compute_workgroup_storage_size: limits.max_compute_workgroup_storage_size,
        max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size,
        max_buffer_size: limits.max_buffer_size,
    }
}

/// The attributes of this machine as a provider with one GPU slot, running
/// `workloads`, reached at `multiaddrs` (its lease link).
pub fn measure(
    gpu: &Gpu,
    settings: &ProviderSettings,
    hashrate: f64,
    peer_id: String,
    mining_address: Option<String>,
    workloads: Vec<WorkloadKind>,
    multiaddrs: Vec<String>,
) -> ProviderAttributes {
    ProviderAttributes {
        gpu_model: gpu.name().to_string(),
        gpu_count: 1,
        memory_mib: gpu.memory_mib(),
        compute: capability(gpu),
        x16s_hashrate: Uint128::new(hashrate.max(0.0) as u128),
        region: Region {
            country: settings.country.to_uppercase(),
            geohash: settings.geohash.to_lowercase(),
        },
        price_per_hour: Uint128::from(settings.price_per_hour),
        peer_id,
        multiaddrs,
        mining_address,
        workloads,
    }
}

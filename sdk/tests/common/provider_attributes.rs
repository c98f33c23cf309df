//! A provider's declared attributes, for the tests that register providers
//! (`sdk/tests/e2e.rs`, `sdk/tests/light/money.rs`: included with `#[path]`, as the
//! other test files have no use for it).

use gpunion_sdk::msg::market::{ComputeCapability, ProviderAttributes, Region, WorkloadKind};

/// One Vulkan GPU of `gpu_model` in `country` (at `geohash`) asking `price_per_hour`
/// ugut, its hashrate vouched for by `mining_address`'s mining record if given.
pub fn attributes(
    gpu_model: &str,
    price_per_hour: u128,
    (country, geohash): (&str, &str),
    mining_address: Option<String>,
) -> ProviderAttributes {
    ProviderAttributes {
        gpu_model: gpu_model.into(),
        gpu_count: 1,
        memory_mib: 24_576,
        compute: ComputeCapability {
            backend: "vulkan".into(),
            features: vec!["SHADER_INT64".into()],
            max_compute_invocations_per_workgroup: 1024,
            max_compute_workgroup_storage_size: 49_152,
            max_storage_buffer_binding_size: 2_147_483_648,
            max_buffer_size: 4_294_967_296,
        },
        x16s_hashrate: 1_000_000u128.into(),
        mining_address,
        workloads: vec![WorkloadKind::WgslBundle, WorkloadKind::OciImage],
        region: Region {
            country: country.into(),
            geohash: geohash.into(),
        },
        price_per_hour: price_per_hour.into(),
        peer_id: "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN".into(),
        multiaddrs: vec!["/ip4/127.0.0.1/tcp/4001".into()],
    }
}

//! `gpu-node register`: measures this machine (adapter, limits, a short X16S run),
//! and registers it on the market with the configured stake, price and region, or
//! updates the attributes of a node already registered.

use std::sync::Arc;
use std::time::Duration;

use gpu_node::gpu::Gpu;
use gpu_node::miner::{GpuSearch, Kernels, MinerError, measure_hashrate};
use gpu_node::provider::p2p::{self, P2pError};
use gpu_node::provider::{attributes, containers, identity};
use gpunion_sdk::flows::ProviderAgent;
use indicatif::{ProgressBar, ProgressStyle};

use crate::home::{HomeError, HomeOptions};

/// Options of `gpu-node register`.
#[derive(clap::Args)]
pub struct Options {
    #[command(flatten)]
    home: HomeOptions,
    /// Seconds of X16S mining to measure the hashrate.
    #[arg(long, default_value_t = 3)]
    bench_seconds: u64,
}

/// Why `register` failed.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Home(#[from] HomeError),
    #[error(transparent)]
    Chain(#[from] gpunion_sdk::Error),
    #[error(transparent)]
    Gpu(#[from] MinerError),
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    #[error(transparent)]
    P2p(#[from] P2pError),
}

/// Registers (or updates) the node.
pub fn run(options: &Options) -> Result<(), RegisterError> {
    let opened = options.home.open()?;
    let signer = opened.signer()?;
    let gpu = Arc::new(Gpu::new().map_err(MinerError::from)?);
    println!("adapter: {}", gpu.describe());
    let kernels = Kernels::for_mining(gpu.clone())?;
    let mut search = GpuSearch::new(kernels, Duration::from_millis(200));
    let bar = ProgressBar::new(options.bench_seconds * 1000);
    bar.set_style(
        ProgressStyle::with_template("X16S hashrate [{bar:30}] {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message("compiling the pipelines");
    let hashrate = measure_hashrate(
        &mut search,
        Duration::from_secs(options.bench_seconds),
        |p| {
            bar.set_position(p.elapsed.as_millis() as u64);
            bar.set_message(format!("{:.0} H/s", p.hashrate()));
        },
    )?;
    bar.finish_with_message(format!("{hashrate:.0} H/s"));
    let peer = identity::load_or_create(&opened.home)?
        .public()
        .to_peer_id();
    let multiaddrs = p2p::published_addresses(&opened.config.p2p, &peer)?;
    let peer_id = peer.to_base58();
    let workloads = containers::workloads(&opened.config.containers, &opened.home);
    println!("workloads: {workloads:?}");
    let attributes = attributes::measure(
        &gpu,
        &opened.config.provider,
        hashrate,
        peer_id,
        None,
        workloads,
        multiaddrs,
    );
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| gpunion_sdk::Error::BadInput(format!("async runtime: {e}")))?;
    runtime.block_on(async {
        let chain = &opened.chain;
        let agent = ProviderAgent::new(signer.clone(), chain.market()?, chain.gut()?);
        let tx = if agent.record().await?.is_some() {
            println!("already registered: updating the attributes");
            chain
                .market()?
                .update_provider(&signer, attributes.clone())
                .await?
        } else {
            agent
                .register(u128::from(opened.config.provider.stake), attributes.clone())
                .await?
        };
        println!(
            "registered {} in block {}: {} ({} MiB), {} ugut/h, {} {}, {} H/s",
            agent.address(),
            tx.height,
            attributes.gpu_model,
            attributes.memory_mib,
            attributes.price_per_hour,
            attributes.region.country,
            attributes.region.geohash,
            attributes.x16s_hashrate
        );
        Ok(())
    })
}

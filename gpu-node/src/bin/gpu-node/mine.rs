//! `gpu-node mine`: mines GUT on the GPU through the SDK's miner flow (challenge,
//! header, submission), every GPU candidate checked with the CPU reference first.

use std::{path::PathBuf, sync::Arc, time::Duration, time::Instant};

use gpu_node::{
    gpu::Gpu,
    miner::{GpuSearch, Kernels},
};
use gpunion_sdk::{
    chain::Chain,
    deployment::{Deployment, TestAccounts},
    error::Error,
    miner::{self, MiningProgress},
};

/// Options of `gpu-node mine`.
#[derive(clap::Args)]
pub struct Options {
    /// Deployment written by testnet/deploy (endpoints, chain id, contract addresses).
    #[arg(
        long,
        env = "GPUNION_DEPLOYMENT",
        default_value = "testnet/deployment.json"
    )]
    deployment: PathBuf,
    /// Name of a test account in --accounts to mine for.
    #[arg(long)]
    key: String,
    /// The public test keys.
    #[arg(long, default_value = "testnet/accounts.json")]
    accounts: PathBuf,
    /// How many solutions to find and submit.
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// Invocations per workgroup (default: 256, or the adapter's largest if less).
    #[arg(long)]
    workgroup_size: Option<u32>,
}

/// Why `gpu-node mine` stopped.
#[derive(Debug, thiserror::Error)]
pub enum MineError {
    /// The chain side (SDK).
    #[error(transparent)]
    Chain(#[from] Error),
    /// The GPU side.
    #[error(transparent)]
    Gpu(#[from] gpu_node::miner::MinerError),
}

/// Mines `options.count` solutions and prints each, with progress on stderr.
pub fn run(options: &Options) -> Result<(), MineError> {
    let gpu = Arc::new(Gpu::new().map_err(gpu_node::miner::MinerError::from)?);
    let mode = gpu.word_modes()[0];
    eprintln!(
        "adapter: {} ({mode}); every candidate it finds is re-hashed on the CPU before submission",
        gpu.describe()
    );
    let workgroup_size = options
        .workgroup_size
        .unwrap_or_else(|| Kernels::default_workgroup_size(&gpu));
    let kernels = Kernels::new(gpu, mode, workgroup_size)?;
    let gpu_search = GpuSearch::new(kernels, Duration::from_millis(200));

    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::BadInput(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let deployment = Deployment::load(&options.deployment)?;
        let chain = Chain::new(deployment)?;
        let accounts = TestAccounts::load(&options.accounts)?;
        let mnemonic = &accounts.get(&options.key)?.mnemonic;
        let signer = chain.signer(chain.wallet(mnemonic)?);
        let flow = miner::MiningAgent::with_search(signer.clone(), chain.mining()?, gpu_search);
        for i in 1..=options.count {
            let started = Instant::now();
            let mut last_report = Instant::now();
            let solution = flow
                .mine_one(|p| {
                    // Searching reports come every batch: show one every 2 s.
                    let periodic = matches!(p, MiningProgress::Searching { .. });
                    if !periodic || last_report.elapsed().as_secs() >= 2 {
                        eprintln!("solution {i}/{}: {p}", options.count);
                        last_report = Instant::now();
                    }
                })
                .await?;
            println!(
                "solved {solution} on the GPU, after {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        println!(
            "GUT balance {} ugut",
            chain.gut()?.balance(signer.address()).await?
        );
        Ok(())
    })
}

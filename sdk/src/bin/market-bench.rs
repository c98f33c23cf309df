//! Benchmark of the market's job path against a running provider (`make demo` leaves
//! one): N small jobs one after another through the customer flow, each timed from the
//! lease's opening to its result on chain and split into chain, IPFS and compute time,
//! and the jobs per minute that one node sustains that way.
//!
//!   market-bench --provider ADDR [--key customer1] [--bundle shaders/jobs/matmul] [--jobs 10]
//!
//! Kubo's API from IPFS_API (default http://127.0.0.1:5001).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use gpunion_ipfs::Kubo;
use gpunion_sdk::flows::Customer;
use gpunion_sdk::job::{self, JobOrder, JobProgress};
use gpunion_sdk::{Chain, Deployment, Error, Result, TestAccounts};

#[derive(Parser)]
#[command(
    name = "market-bench",
    about = "Lease-open to result latency (chain, IPFS, compute) and jobs per minute of one provider"
)]
struct Args {
    #[arg(
        long,
        env = "GPUNION_DEPLOYMENT",
        default_value = "testnet/deployment.json"
    )]
    deployment: PathBuf,
    #[arg(long, default_value = "testnet/accounts.json")]
    accounts: PathBuf,
    /// Test account of the customer (must hold GUT and fee tokens).
    #[arg(long, default_value = "customer1")]
    key: String,
    /// The provider's address.
    #[arg(long)]
    provider: String,
    /// The bundle each job runs.
    #[arg(long, default_value = "shaders/jobs/matmul")]
    bundle: PathBuf,
    /// Jobs to run, one after another.
    #[arg(long, default_value_t = 10)]
    jobs: usize,
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

async fn run(args: Args) -> Result<()> {
    let chain = Chain::new(Deployment::load(&args.deployment)?)?;
    let accounts = TestAccounts::load(&args.accounts)?;
    let signer = chain.signer(chain.wallet(&accounts.get(&args.key)?.mnemonic)?);
    let customer = Customer::new(signer, chain.market()?, chain.gut()?, None);
    let kubo = Kubo::from_env().map_err(|e| Error::BadInput(format!("IPFS: {e}")))?;
    let out = std::env::temp_dir().join(format!("market-bench-{}", std::process::id()));
    let (mut latency, mut chain_s, mut ipfs_s, mut compute_s) = (vec![], vec![], vec![], vec![]);
    let started = Instant::now();
    for i in 0..args.jobs {
        let dir = out.join(i.to_string());
        let order = JobOrder {
            workload: args.bundle.clone(),
            provider: args.provider.clone(),
            seconds: 300,
            max_price_per_hour: u128::MAX,
            out: dir,
        };
        let mut opened = None;
        let mut posted = None;
        let summary = job::run(&customer, &kubo, &order, |p| match p {
            JobProgress::Opened { .. } => opened = Some(Instant::now()),
            JobProgress::ResultPosted { .. } => posted = Some(Instant::now()),
            _ => {}
        })
        .await?;
        let open_to_result = match (opened, posted) {
            (Some(a), Some(b)) => (b - a).as_secs_f64(),
            _ => 0.0,
        };
        eprintln!(
            "job {}/{}: lease {} open→result {:.2} s (chain {:.2} s, IPFS {:.2} s, compute {:.2} s)",
            i + 1,
            args.jobs,
            summary.lease_id,
            open_to_result,
            summary.chain_s,
            summary.ipfs_s,
            summary.compute_s
        );
        latency.push(open_to_result);
        chain_s.push(summary.chain_s);
        ipfs_s.push(summary.ipfs_s);
        compute_s.push(summary.compute_s);
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{} jobs of {}: open→result mean {:.2} s; per job chain {:.2} s, IPFS {:.2} s, compute {:.2} s; {:.1} jobs/min",
        args.jobs,
        args.bundle.display(),
        mean(&latency),
        mean(&chain_s),
        mean(&ipfs_s),
        mean(&compute_s),
        args.jobs as f64 / minutes.max(1e-9)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("market-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

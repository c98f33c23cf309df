//! Benchmark of one SDK client against a running chain: transactions per second from
//! broadcast to inclusion (one wallet, many in flight), and smart query latency.
//!
//!   gpunion-bench [--deployment testnet/deployment.json] [--key treasury] [--txs 200]
//!                 [--in-flight 50] [--queries 200]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use gpunion_sdk::{Chain, Deployment, Error, Result, TestAccounts};

#[derive(Parser)]
#[command(
    name = "gpunion-bench",
    about = "Transactions per second and smart query latency of one SDK client"
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
    /// Test account that sends (must hold GUT and fee tokens).
    #[arg(long, default_value = "treasury")]
    key: String,
    /// Test account that receives.
    #[arg(long, default_value = "customer2")]
    to: String,
    /// GUT transfers to send.
    #[arg(long, default_value_t = 200)]
    txs: usize,
    /// Transactions in flight at once.
    #[arg(long, default_value_t = 50)]
    in_flight: usize,
    /// Smart queries to time.
    #[arg(long, default_value_t = 200)]
    queries: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run(args: Args) -> Result<()> {
    let chain = Chain::new(Deployment::load(&args.deployment)?)?;
    let accounts = TestAccounts::load(&args.accounts)?;
    let signer = chain.signer(chain.wallet(&accounts.get(&args.key)?.mnemonic)?);
    let to = accounts.get(&args.to)?.address.clone();
    let gut = chain.gut()?;

    // Smart query latency (sequential).
    let mut latencies = Vec::with_capacity(args.queries);
    for _ in 0..args.queries {
        let t = Instant::now();
        gut.balance(&to).await?;
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let mean =
        latencies.iter().sum::<Duration>() / u32::try_from(latencies.len().max(1)).unwrap_or(1);
    println!(
        "smart query (GUT balance), {} sequential: mean {:.2} ms, p50 {:.2} ms, p99 {:.2} ms",
        args.queries,
        ms(mean),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99))
    );

    // Throughput: GUT transfers from one wallet, `in_flight` at a time.
    let before = gut.balance(&to).await?;
    let started = Instant::now();
    let results: Vec<Result<(Duration, u64)>> = futures::stream::iter(0..args.txs)
        .map(|_| {
            let (signer, gut, to) = (signer.clone(), gut.clone(), to.clone());
            async move {
                let t = Instant::now();
                let tx = gut.transfer(&signer, &to, 1).await?;
                Ok((t.elapsed(), tx.height))
            }
        })
        .buffer_unordered(args.in_flight.max(1))
        .collect()
        .await;
    let elapsed = started.elapsed();
    let mut included = Vec::new();
    let mut heights = std::collections::BTreeSet::new();
    for r in results {
        let (latency, height) = r?;
        included.push(latency);
        heights.insert(height);
    }
    included.sort();
    let after = gut.balance(&to).await?;
    if after != before + args.txs as u128 {
        return Err(Error::BadInput(format!(
            "balance moved by {} instead of {}",
            after.saturating_sub(before),
            args.txs
        )));
    }
    println!(
        "transactions: {} GUT transfers from one wallet, {} in flight: {:.1} s, {:.1} tx/s broadcast→included, \
         {} blocks, latency p50 {:.0} ms, p99 {:.0} ms",
        args.txs,
        args.in_flight,
        elapsed.as_secs_f64(),
        args.txs as f64 / elapsed.as_secs_f64(),
        heights.len(),
        ms(percentile(&included, 0.5)),
        ms(percentile(&included, 0.99))
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gpunion-bench: error: {err}");
            ExitCode::FAILURE
        }
    }
}

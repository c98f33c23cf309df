//! Benchmark of one SDK client against a running chain: transactions per second from
//! broadcast to inclusion (one wallet, many in flight), smart query latency, and the
//! light client: headers verified per second (sequential and skipping) and the latency
//! of a verified read against an unverified smart query of the same balance.
//!
//!   gpunion-bench [--deployment testnet/deployment.json] [--key treasury] [--txs 200]
//!                 [--in-flight 50] [--queries 200] [--headers 200]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use gpunion_sdk::{Chain, Deployment, Error, LightClient, LightOptions, Result, TestAccounts};

#[derive(Parser)]
#[command(
    name = "gpunion-bench",
    about = "Transactions per second, query latency and light-client verification of one SDK client"
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
    /// Smart queries to time (and verified reads of the same balance).
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Headers to verify one by one from the trust anchor (skipping covers the same span).
    #[arg(long, default_value_t = 200)]
    headers: u64,
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

/// A light client of `chain` from its trust anchor, trust in memory (a fresh start).
fn fresh_light_client(chain: &Chain) -> Result<LightClient> {
    let anchor = chain.deployment().trust.clone().ok_or_else(|| {
        Error::BadInput("the deployment has no trust anchor (redeploy with testnet/deploy)".into())
    })?;
    Ok(LightClient::new(
        chain.rpc().clone(),
        &chain.deployment().chain_id,
        LightOptions::new(anchor).with_store_dir(None),
    ))
}

/// Headers verified per second: one by one from the anchor over `span` heights, then the
/// same span by skipping (bisecting where needed) with a second fresh client.
async fn headers(chain: &Chain, span: u64) -> Result<()> {
    let sequential = fresh_light_client(chain)?;
    let anchor = sequential.trusted_height().await?;
    let target = chain.rpc().latest_height().await?.min(anchor + span);
    let covered = target.saturating_sub(anchor).max(1);
    let t = Instant::now();
    sequential.verify_sequential_to(target).await?;
    let seq = t.elapsed();
    let skipping = fresh_light_client(chain)?;
    skipping.trusted_height().await?;
    let t = Instant::now();
    skipping.verify_to(target).await?;
    let skip = t.elapsed();
    println!(
        "headers: {covered} from height {anchor} to {target}: sequential {:.1} ms, {:.0} headers/s; \
         skipping {:.1} ms, {:.0} heights/s covered",
        ms(seq),
        covered as f64 / seq.as_secs_f64(),
        ms(skip),
        covered as f64 / skip.as_secs_f64()
    );
    Ok(())
}

/// Latency of `n` verified balance reads against `n` unverified smart queries of the same
/// balance (and the raw storage query, for scale), interleaved so all see the same chain
/// and node load. Verified twice: with
/// the default header policy (a verified header is reused for 1 s), and asking the node
/// for its newest header on every read (one more round trip, and a verification each
/// block).
async fn reads(chain: &Chain, owner: &str, n: usize) -> Result<()> {
    let gut = chain.gut()?;
    let mut newest = fresh_light_client(chain)?.options().clone();
    newest.max_header_age = Duration::ZERO;
    let gut_newest = chain.clone().with_light_options(newest).gut()?;
    // The same storage key without a proof (RawContractState), for scale.
    let raw_key = gpunion_sdk::storage::map_key("balance", &[owner.as_bytes()]);
    let (mut unverified, mut raw, mut verified, mut verified_newest) =
        (vec![], vec![], vec![], vec![]);
    // One read first: each light client loads its anchor and catches up (not timed).
    gut.balance(owner).await?;
    gut_newest.balance(owner).await?;
    for _ in 0..n {
        let t = Instant::now();
        gut.balance_unverified(owner).await?;
        unverified.push(t.elapsed());
        let t = Instant::now();
        chain.rpc().raw_query(gut.address(), &raw_key).await?;
        raw.push(t.elapsed());
        let t = Instant::now();
        gut.balance(owner).await?;
        verified.push(t.elapsed());
        let t = Instant::now();
        gut_newest.balance(owner).await?;
        verified_newest.push(t.elapsed());
    }
    for series in [
        &mut unverified,
        &mut raw,
        &mut verified,
        &mut verified_newest,
    ] {
        series.sort();
    }
    let line = |name: &str, sorted: &[Duration]| {
        println!(
            "{name}, {n} sequential: mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms \
             (p50 {:.2}x, p95 {:.2}x the smart query)",
            ms(mean(sorted)),
            ms(percentile(sorted, 0.5)),
            ms(percentile(sorted, 0.95)),
            ms(percentile(sorted, 0.99)),
            ms(percentile(sorted, 0.5)) / ms(percentile(&unverified, 0.5)),
            ms(percentile(sorted, 0.95)) / ms(percentile(&unverified, 0.95)),
        )
    };
    line("GUT balance, smart query (unverified)", &unverified);
    line("GUT balance, raw storage query (unverified)", &raw);
    line("GUT balance, verified read (header reused 1 s)", &verified);
    line(
        "GUT balance, verified read (newest header each read)",
        &verified_newest,
    );
    Ok(())
}

fn mean(d: &[Duration]) -> Duration {
    d.iter().sum::<Duration>() / u32::try_from(d.len().max(1)).unwrap_or(1)
}

async fn run(args: Args) -> Result<()> {
    let chain = Chain::new(Deployment::load(&args.deployment)?)?;
    let accounts = TestAccounts::load(&args.accounts)?;
    let signer = chain.signer(chain.wallet(&accounts.get(&args.key)?.mnemonic)?);
    let to = accounts.get(&args.to)?.address.clone();
    let gut = chain.gut()?;

    headers(&chain, args.headers).await?;
    reads(&chain, &to, args.queries).await?;

    // Throughput: GUT transfers from one wallet, `in_flight` at a time.
    let before = gut.balance_unverified(&to).await?;
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
    // Verified: at or after the last transfer's block (the client's own writes).
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

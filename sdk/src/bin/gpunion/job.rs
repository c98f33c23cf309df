//! `gpunion job`: run a WGSL bundle or a container image on a provider's GPU and get
//! its outputs back, with progress while waiting; and the lease's status, result and
//! cancellation.

use std::path::PathBuf;
use std::time::Duration;

use gpunion_ipfs::Kubo;
use gpunion_sdk::flows::Customer;
use gpunion_sdk::job::{self, JobOrder, JobProgress};
use gpunion_sdk::keeper::Overdue;
use gpunion_sdk::msg::market::{ProviderFilter, ProviderStatus, WorkloadKind};
use gpunion_sdk::{Error, Result};
use indicatif::{ProgressBar, ProgressStyle};

/// `gpunion job …`.
#[derive(clap::Subcommand)]
pub enum JobCommand {
    /// Runs a workload: checks it, adds it to IPFS, opens a lease, waits for the
    /// result, checks the output hash, saves the outputs, closes the lease.
    Run {
        /// A WGSL bundle folder (with job.json), an OCI image layout folder (with
        /// oci-layout; optional gpunion-job.json and input/), or an OCI archive (.tar).
        workload: PathBuf,
        /// The provider; without it, the most reliable idle provider, cheapest first.
        #[arg(long)]
        provider: Option<String>,
        /// Lease length in hours (decimals allowed); the unused part is refunded.
        #[arg(long)]
        hours: f64,
        /// The most to pay per GPU-hour, ugut.
        #[arg(long, default_value_t = u128::from(u64::MAX))]
        max_price: u128,
        /// Where to save the result folder (default: ./result-<lease>).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A lease's state, what it has cost so far and its result CID.
    Status { lease_id: u64 },
    /// Fetches a lease's result folder and checks it against the output hash on chain.
    Result {
        lease_id: u64,
        /// The bundle a WGSL lease ran (for the outputs' layout); a container lease
        /// needs none.
        #[arg(long)]
        bundle: Option<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Closes a lease now: the provider is paid for the time served, the rest refunded.
    Cancel { lease_id: u64 },
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn show(bar: &ProgressBar, p: JobProgress) {
    let line = match p {
        JobProgress::Validated { what } => format!("{what}: valid"),
        JobProgress::Uploaded { cid } => format!("workload in IPFS: {cid}"),
        JobProgress::Opened { lease_id, deposit } => {
            format!("lease {lease_id} open, {deposit} ugut in escrow")
        }
        JobProgress::Waiting { state, seconds } => {
            bar.set_message(format!("lease {state} ({seconds} s)"));
            return;
        }
        JobProgress::Settled {
            overdue,
            refund,
            slashed,
        } => match overdue {
            Overdue::AcceptDeadlinePassed => format!(
                "the provider did not accept in time: lease reclaimed, {refund} ugut refunded"
            ),
            Overdue::ProviderLapsed => format!(
                "the provider stopped heartbeating: lease expired, {refund} ugut refunded \
                 and {slashed} ugut of its stake paid to you"
            ),
        },
        JobProgress::ResultPosted { cid } => format!("result posted: {cid}"),
        JobProgress::Fetching { bytes } => {
            bar.set_message(format!("fetching the result: {bytes} bytes"));
            return;
        }
        JobProgress::Verified => "outputs match the hash on chain".into(),
        JobProgress::Closed => "lease closed".into(),
    };
    bar.println(format!("  {line}"));
    bar.set_message(line);
}

/// Runs a `gpunion job` command.
pub async fn run(customer: &Customer, command: &JobCommand) -> Result<()> {
    let kubo = Kubo::from_env().map_err(|e| Error::BadInput(format!("IPFS: {e}")))?;
    match command {
        JobCommand::Run {
            workload,
            provider,
            hours,
            max_price,
            out,
        } => {
            let provider = match provider {
                Some(p) => p.clone(),
                None => {
                    let kind = job::Workload::kind_of(workload)?;
                    choose_provider(customer, *max_price, kind).await?
                }
            };
            let seconds = job::seconds_for_hours(*hours)?;
            let bar = spinner();
            bar.println(format!("  provider {provider}, {seconds} s lease"));
            let order = JobOrder {
                workload: workload.clone(),
                provider,
                seconds,
                max_price_per_hour: *max_price,
                out: out.clone().unwrap_or_else(|| PathBuf::from("result")),
            };
            let summary = job::run(customer, &kubo, &order, |p| show(&bar, p)).await;
            bar.finish_and_clear();
            let s = summary?;
            println!("lease {} result {}", s.lease_id, s.result_cid);
            match &s.report.outcome {
                gpunion_sdk::msg::job::JobOutcome::Succeeded => {
                    for output in &s.report.outputs {
                        println!(
                            "  saved {}",
                            s.result_dir
                                .join(gpunion_sdk::msg::job::OUTPUTS_DIR)
                                .join(&output.file)
                                .display()
                        );
                    }
                    if let Some(hash) = s.output_hash {
                        println!("  output hash {} (matches the chain)", hex::encode(hash));
                    }
                }
                gpunion_sdk::msg::job::JobOutcome::Failed(failure) => {
                    println!(
                        "  the job FAILED: {:?}{}: {}",
                        failure.kind,
                        failure
                            .field
                            .as_ref()
                            .map(|f| format!(" ({f})"))
                            .unwrap_or_default(),
                        failure.message
                    );
                }
            }
            if let Some(container) = &s.report.container {
                use gpunion_sdk::msg::job::container::{STDERR_FILE, STDOUT_FILE};
                println!(
                    "  container: {:?} after {:.1} s; {} ({} bytes{}), {} ({} bytes{}); GPU: {}",
                    container.outcome,
                    container.seconds,
                    s.result_dir.join(STDOUT_FILE).display(),
                    container.stdout_bytes,
                    if container.stdout_truncated {
                        ", cut"
                    } else {
                        ""
                    },
                    s.result_dir.join(STDERR_FILE).display(),
                    container.stderr_bytes,
                    if container.stderr_truncated {
                        ", cut"
                    } else {
                        ""
                    },
                    if container.gpu_devices.is_empty() {
                        "none".to_string()
                    } else {
                        container.gpu_devices.join(", ")
                    }
                );
            }
            println!(
                "cost: deposit {} ugut, paid {} ugut, refunded {} ugut",
                s.deposit, s.paid, s.refunded
            );
            println!(
                "time: {:.1} s in all: chain {:.1} s, IPFS {:.1} s, compute {:.1} s",
                s.total_s, s.chain_s, s.ipfs_s, s.compute_s
            );
        }
        JobCommand::Status { lease_id } => {
            let lease = customer
                .lease(*lease_id)
                .await?
                .ok_or_else(|| Error::NotFound {
                    what: format!("lease {lease_id}"),
                })?;
            let l = &lease.lease;
            println!(
                "lease {}: {:?}, provider {}, deposit {} ugut, earned {} ugut, paid {} ugut, refunded {} ugut",
                l.id, l.state, l.provider, l.deposit, lease.earned, l.paid_to_provider, l.refunded
            );
            match &l.result {
                Some(r) => println!("result {}", r.cid),
                None => println!("no result yet"),
            }
            if l.state == gpunion_sdk::msg::market::LeaseState::Rejected
                && let Some(reason) = customer.rejection_reason(l.id).await?
            {
                println!("rejected: {reason}");
            }
        }
        JobCommand::Result {
            lease_id,
            bundle,
            out,
        } => {
            let lease = customer
                .lease(*lease_id)
                .await?
                .ok_or_else(|| Error::NotFound {
                    what: format!("lease {lease_id}"),
                })?
                .lease;
            let bundle = result_bundle(customer.market(), &lease, bundle.as_deref()).await?;
            let out = out
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("result-{lease_id}")));
            let bar = spinner();
            let fetched =
                job::fetch_result(&kubo, bundle.as_ref(), &lease, &out, &mut |p| show(&bar, p))
                    .await;
            bar.finish_and_clear();
            let (report, hash, dir) = fetched?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            println!("saved in {}", dir.display());
            if let Some(hash) = hash {
                println!("output hash {} (matches the chain)", hex::encode(hash));
            }
        }
        JobCommand::Cancel { lease_id } => {
            let lease = job::close_if_open(customer, *lease_id).await?;
            println!(
                "lease {} {:?}: paid {} ugut, refunded {} ugut",
                lease.id, lease.state, lease.paid_to_provider, lease.refunded
            );
        }
    }
    Ok(())
}

/// The provider for a job without `--provider`: idle ones within the price that run
/// the workload's kind, the most reliable first, then the cheapest.
async fn choose_provider(
    customer: &Customer,
    max_price: u128,
    kind: WorkloadKind,
) -> Result<String> {
    let mut idle = customer
        .find_providers(ProviderFilter {
            status: Some(ProviderStatus::Idle),
            max_price_per_hour: Some(max_price.into()),
            workload: Some(kind.clone()),
            ..ProviderFilter::default()
        })
        .await?;
    idle.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.reliability_permille),
            p.provider.attributes.price_per_hour,
        )
    });
    idle.first()
        .map(|p| p.provider.address.to_string())
        .ok_or_else(|| Error::NotFound {
            what: format!("an idle provider running {kind:?} workloads at most {max_price} ugut/h"),
        })
}

/// The WGSL bundle `dir` a result of `lease` is checked with, loaded under the allowance
/// of the lease's provider; `None` without one (a container lease needs none).
pub async fn result_bundle(
    market: &gpunion_sdk::contracts::market::Market,
    lease: &gpunion_sdk::msg::market::Lease,
    dir: Option<&std::path::Path>,
) -> Result<Option<gpunion_sdk::msg::job::bundle::Bundle>> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    let provider = market
        .provider_unverified(lease.provider.as_str())
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("provider {}", lease.provider),
        })?;
    let allowance = gpunion_sdk::msg::job::Allowance::for_provider(
        &provider.provider.attributes,
        lease.end.saturating_sub(lease.start),
    );
    gpunion_sdk::msg::job::bundle::Bundle::load(dir, &allowance)
        .map(Some)
        .map_err(|e| Error::BadInput(format!("bundle: {e}")))
}

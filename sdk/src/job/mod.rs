//! A customer's job from a workload to saved outputs: check the workload locally (a
//! WGSL bundle against the provider's declared limits, a container image's layout and
//! manifest), add it to IPFS, open the lease, wait for the provider to accept, run and
//! post the result, fetch the result folder, check the output hash against the one on
//! chain, close the lease.

pub mod workload;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gpunion_interface::job::bundle::Bundle;
use gpunion_interface::job::{self as iface, JobOutcome, JobReport, REPORT_FILE};
use gpunion_interface::market::{Lease, LeaseState, SECONDS_PER_HOUR, Workload as LeaseWorkload};
use gpunion_ipfs::{Cid, FetchLimits, Kubo};

pub use workload::Workload;

use crate::error::{Error, Result};
use crate::flows::Customer;
use crate::keeper::{Overdue, Settlement};

/// Largest result folder fetched.
pub const MAX_RESULT_BYTES: u64 = 256 << 20;
/// How long a result's CID may take to be found.
pub const RESULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the lease is polled while waiting.
const POLL: Duration = Duration::from_secs(1);

/// What to run, where, for how long.
#[derive(Debug, Clone)]
pub struct JobOrder {
    /// The workload: a bundle folder (with `job.json`), an OCI image layout folder or
    /// an OCI archive ([`Workload::load`]).
    pub workload: PathBuf,
    /// The provider's address.
    pub provider: String,
    /// Length of the lease, seconds (paid in advance; the unused part is refunded).
    pub seconds: u64,
    /// The most the customer pays per GPU-hour, ugut.
    pub max_price_per_hour: u128,
    /// Where the result folder is saved.
    pub out: PathBuf,
}

/// Where a job stands, for a progress display.
#[derive(Debug, Clone, PartialEq)]
pub enum JobProgress {
    /// The workload passed the local checks: what it is ([`Workload::describe`]).
    Validated { what: String },
    /// The workload is in IPFS.
    Uploaded { cid: String },
    /// The lease is open; `deposit` ugut is in escrow.
    Opened { lease_id: u64, deposit: u128 },
    /// The lease's state while waiting: "pending", "accepted", "running".
    Waiting { state: &'static str, seconds: u64 },
    /// The lease became overdue while waiting (the provider missed the accept deadline
    /// or stopped heartbeating) and this customer settled it: `refund` ugut back from
    /// the escrow and `slashed` ugut of the provider's stake paid to the customer.
    Settled {
        overdue: Overdue,
        refund: u128,
        slashed: u128,
    },
    /// The provider posted the result.
    ResultPosted { cid: String },
    /// Bytes of the result folder fetched so far.
    Fetching { bytes: u64 },
    /// The outputs' hash matches the chain's.
    Verified,
    /// The lease is closed.
    Closed,
}

/// How a job went, with its costs and where the time went.
#[derive(Debug, Clone)]
pub struct JobSummary {
    pub lease_id: u64,
    pub result_cid: String,
    pub report: JobReport,
    /// The saved result folder.
    pub result_dir: PathBuf,
    /// SHA-256 over the outputs, checked against the chain (None when the job failed).
    pub output_hash: Option<[u8; 32]>,
    pub deposit: u128,
    /// Paid to the provider (gross of the protocol fee).
    pub paid: u128,
    pub refunded: u128,
    /// Seconds waiting on the chain (transactions, acceptance, the result's post).
    pub chain_s: f64,
    /// Seconds adding the bundle to and fetching the result from IPFS.
    pub ipfs_s: f64,
    /// Seconds the provider's executor reports for the job itself.
    pub compute_s: f64,
    /// Wall time, start to end.
    pub total_s: f64,
}

/// Runs `order` to the end.
pub async fn run(
    customer: &Customer,
    kubo: &Kubo,
    order: &JobOrder,
    mut progress: impl FnMut(JobProgress),
) -> Result<JobSummary> {
    let started = Instant::now();
    // Checked before anything is paid: the result goes into an empty (or new) folder.
    if std::fs::read_dir(&order.out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(Error::bad_input(format!(
            "{} is not empty: give --out a new folder for the result",
            order.out.display()
        )));
    }
    let provider = customer
        .provider(&order.provider)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("provider {}", order.provider),
        })?;
    let kind = Workload::kind_of(&order.workload)?;
    if !provider.provider.attributes.workloads.contains(&kind) {
        return Err(Error::bad_input(format!(
            "provider {} does not run {kind:?} workloads (it runs {:?})",
            order.provider, provider.provider.attributes.workloads
        )));
    }
    let allowance = iface::Allowance::for_provider(&provider.provider.attributes, order.seconds);
    let workload = Workload::load(&order.workload, &allowance)?;
    progress(JobProgress::Validated {
        what: workload.describe(),
    });
    let ipfs_started = Instant::now();
    let cid = kubo.add_dir(workload.dir()).await.map_err(ipfs)?;
    let mut ipfs_s = ipfs_started.elapsed().as_secs_f64();
    progress(JobProgress::Uploaded {
        cid: cid.to_string(),
    });
    let chain_started = Instant::now();
    let (lease_id, _) = customer
        .open_lease(
            &order.provider,
            order.seconds,
            LeaseWorkload {
                cid: cid.to_string(),
                kind: workload.kind(),
            },
            order.max_price_per_hour,
        )
        .await?;
    let lease = lease_or_missing(customer, lease_id).await?;
    progress(JobProgress::Opened {
        lease_id,
        deposit: lease.deposit.u128(),
    });
    let lease = wait_for_result(customer, lease_id, &mut progress).await?;
    let mut chain_s = chain_started.elapsed().as_secs_f64();
    let result = lease.result.clone().ok_or_else(|| Error::NotFound {
        what: format!("the result of lease {lease_id}"),
    })?;
    progress(JobProgress::ResultPosted {
        cid: result.cid.clone(),
    });
    let fetch_started = Instant::now();
    let (report, output_hash, result_dir) =
        fetch_result(kubo, workload.bundle(), &lease, &order.out, &mut progress).await?;
    ipfs_s += fetch_started.elapsed().as_secs_f64();
    let close_started = Instant::now();
    let lease = close_if_open(customer, lease_id).await?;
    chain_s += close_started.elapsed().as_secs_f64();
    progress(JobProgress::Closed);
    let compute_s = report.timings.total_ms as f64 / 1000.0;
    Ok(JobSummary {
        lease_id,
        result_cid: result.cid,
        report,
        result_dir,
        output_hash,
        deposit: lease.deposit.u128(),
        paid: lease.paid_to_provider.u128(),
        refunded: lease.refunded.u128(),
        // The provider's compute happens while the customer waits on the chain.
        chain_s: (chain_s - compute_s).max(0.0),
        ipfs_s,
        compute_s,
        total_s: started.elapsed().as_secs_f64(),
    })
}

fn ipfs(e: gpunion_ipfs::IpfsError) -> Error {
    Error::bad_input(format!("IPFS: {e}"))
}

async fn lease_or_missing(customer: &Customer, lease_id: u64) -> Result<Lease> {
    Ok(customer
        .lease(lease_id)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("lease {lease_id}"),
        })?
        .lease)
}

/// Polls lease `lease_id` until it carries a result, reporting its state; a lease that
/// ends without one (rejected, lapsed, expired, closed) is an error saying why. A lease
/// that becomes overdue meanwhile (not accepted in time, or its provider stopped
/// heartbeating) is settled by this customer at once, refunding it.
pub async fn wait_for_result(
    customer: &Customer,
    lease_id: u64,
    progress: &mut impl FnMut(JobProgress),
) -> Result<Lease> {
    let started = Instant::now();
    loop {
        let lease = lease_or_missing(customer, lease_id).await?;
        // Until the lease's end, and two minutes for the result's post.
        let limit = Duration::from_secs(lease.end.saturating_sub(lease.opened_at) + 120);
        if lease.result.is_some() {
            return Ok(lease);
        }
        let waited = started.elapsed().as_secs();
        match lease.state {
            LeaseState::Pending => progress(JobProgress::Waiting {
                state: "pending",
                seconds: waited,
            }),
            LeaseState::Active => progress(JobProgress::Waiting {
                state: "running",
                seconds: waited,
            }),
            LeaseState::Rejected => {
                let reason = customer
                    .rejection_reason(lease_id)
                    .await?
                    .unwrap_or_else(|| "no reason given".into());
                return Err(Error::bad_input(format!(
                    "the provider rejected lease {lease_id} (refunded in full): {reason}"
                )));
            }
            state => {
                return Err(Error::LeaseEnded {
                    id: lease_id,
                    state,
                    refunded: lease.refunded.u128(),
                });
            }
        }
        if let Some(settled) = customer.settle_if_overdue(lease_id).await? {
            if let Settlement::Sent {
                refund, slashed, ..
            } = settled.settlement
            {
                progress(JobProgress::Settled {
                    overdue: settled.overdue,
                    refund,
                    slashed,
                });
            }
            // Read again at once: the lease is final now.
            continue;
        }
        if started.elapsed() > limit {
            return Err(Error::Timeout {
                what: format!("the result of lease {lease_id}"),
                seconds: limit.as_secs(),
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Fetches lease `lease`'s result folder into `out`, reads its report and, when the
/// job succeeded, checks the outputs against the hash on chain (a WGSL lease's by its
/// `bundle`, which it needs then; a container lease's over every output file).
pub async fn fetch_result(
    kubo: &Kubo,
    bundle: Option<&Bundle>,
    lease: &Lease,
    out: &Path,
    progress: &mut impl FnMut(JobProgress),
) -> Result<(JobReport, Option<[u8; 32]>, PathBuf)> {
    let result = lease.result.as_ref().ok_or_else(|| Error::NotFound {
        what: format!("the result of lease {}", lease.id),
    })?;
    let cid: Cid = result.cid.parse().map_err(ipfs)?;
    let limits = FetchLimits {
        max_bytes: MAX_RESULT_BYTES,
        timeout: RESULT_TIMEOUT,
    };
    kubo.fetch_dir(&cid, out, limits, |bytes| {
        progress(JobProgress::Fetching { bytes })
    })
    .await
    .map_err(ipfs)?;
    check_result(bundle, lease, out, progress)
}

/// Reads the report of lease `lease`'s result folder `out` (from IPFS or straight from
/// the provider) and, when the job succeeded, checks the outputs against the hash on
/// chain; refuses a folder whose outputs do not match it.
pub fn check_result(
    bundle: Option<&Bundle>,
    lease: &Lease,
    out: &Path,
    progress: &mut impl FnMut(JobProgress),
) -> Result<(JobReport, Option<[u8; 32]>, PathBuf)> {
    let result = lease.result.as_ref().ok_or_else(|| Error::NotFound {
        what: format!("the result of lease {} on chain", lease.id),
    })?;
    let report_path = out.join(REPORT_FILE);
    let report: JobReport = serde_json::from_slice(
        &std::fs::read(&report_path)
            .map_err(|e| Error::bad_input(format!("{}: {e}", report_path.display())))?,
    )
    .map_err(|e| Error::decode("the result's report", e))?;
    let hash = match report.outcome {
        JobOutcome::Succeeded => {
            let computed =
                workload::result_hash(&lease.workload.kind, bundle, out, MAX_RESULT_BYTES)?;
            let claimed = result.output_hash.as_ref().map(|h| h.to_vec());
            if claimed.as_deref() != Some(computed.as_slice()) {
                return Err(Error::bad_input(format!(
                    "the outputs of lease {} do not match the hash the provider posted \
                     (computed {}, posted {}): do not trust them",
                    lease.id,
                    hex::encode(computed),
                    claimed.map(hex::encode).unwrap_or_else(|| "none".into())
                )));
            }
            progress(JobProgress::Verified);
            Some(computed)
        }
        JobOutcome::Failed(_) => None,
    };
    Ok((report, hash, out.to_path_buf()))
}

/// Closes lease `lease_id` unless the provider already did; returns it as it ends.
pub async fn close_if_open(customer: &Customer, lease_id: u64) -> Result<Lease> {
    let lease = lease_or_missing(customer, lease_id).await?;
    if !lease.state.is_final()
        && let Err(error) = customer.close(lease_id).await
    {
        // The provider may have closed it in the meantime: then all is settled. Its
        // transaction is not ours, so a verified read may not see it yet: read from
        // the chain's tip on.
        customer.catch_up().await?;
        let now = lease_or_missing(customer, lease_id).await?;
        if !now.state.is_final() {
            return Err(error);
        }
    }
    lease_or_missing(customer, lease_id).await
}

/// A lease's length for `hours` of GPU time, in whole seconds (at least one).
pub fn seconds_for_hours(hours: f64) -> Result<u64> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(Error::bad_input(format!("{hours} hours is not a length")));
    }
    Ok(((hours * SECONDS_PER_HOUR as f64).round() as u64).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_become_seconds() {
        assert_eq!(seconds_for_hours(0.05).unwrap(), 180);
        assert_eq!(seconds_for_hours(1.0).unwrap(), 3600);
        assert!(seconds_for_hours(0.0).is_err());
        assert!(seconds_for_hours(f64::NAN).is_err());
    }
}

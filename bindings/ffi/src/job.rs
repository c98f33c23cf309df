//! A customer's job: the order, the progress a listener hears, the summary.

use std::path::PathBuf;

use gpunion_interface::job::JobOutcome;
use gpunion_sdk::job as sdk;
use gpunion_sdk::keeper::Overdue;

use crate::error::{Result, amount};

/// What to run, where, for how long.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JobOrder {
    /// A job bundle folder (with `job.json`), an OCI image layout folder or an OCI
    /// archive.
    pub workload: String,
    /// The provider's address.
    pub provider: String,
    /// Length of the lease, seconds (paid in advance; the unused part is refunded).
    pub seconds: u64,
    /// The most paid per GPU-hour, ugut.
    pub max_price_per_hour: u64,
    /// A new or empty folder the result is saved in.
    pub out: String,
}

impl From<JobOrder> for sdk::JobOrder {
    fn from(o: JobOrder) -> Self {
        Self {
            workload: PathBuf::from(o.workload),
            provider: o.provider,
            seconds: o.seconds,
            max_price_per_hour: o.max_price_per_hour.into(),
            out: PathBuf::from(o.out),
        }
    }
}

/// Where a job stands. Amounts in ugut, as strings: a progress report never fails.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum JobProgress {
    /// The workload passed the local checks.
    Validated { what: String },
    /// The workload is in IPFS.
    Uploaded { cid: String },
    /// The lease is open with `deposit` ugut in escrow.
    Opened { lease_id: u64, deposit: String },
    /// Waiting on the lease: `state` is "pending" or "running".
    Waiting { state: String, seconds: u64 },
    /// The lease became overdue and this customer settled it: `refund` back, `slashed`
    /// of the provider's stake paid to the customer.
    Settled {
        provider_lapsed: bool,
        refund: String,
        slashed: String,
    },
    /// The provider posted the result.
    ResultPosted { cid: String },
    /// Bytes of the result fetched so far.
    Fetching { bytes: u64 },
    /// The outputs' hash matches the chain's.
    Verified,
    /// The lease is closed.
    Closed,
}

impl From<sdk::JobProgress> for JobProgress {
    fn from(p: sdk::JobProgress) -> Self {
        match p {
            sdk::JobProgress::Validated { what } => Self::Validated { what },
            sdk::JobProgress::Uploaded { cid } => Self::Uploaded { cid },
            sdk::JobProgress::Opened { lease_id, deposit } => Self::Opened {
                lease_id,
                deposit: deposit.to_string(),
            },
            sdk::JobProgress::Waiting { state, seconds } => Self::Waiting {
                state: state.to_string(),
                seconds,
            },
            sdk::JobProgress::Settled {
                overdue,
                refund,
                slashed,
            } => Self::Settled {
                provider_lapsed: overdue == Overdue::ProviderLapsed,
                refund: refund.to_string(),
                slashed: slashed.to_string(),
            },
            sdk::JobProgress::ResultPosted { cid } => Self::ResultPosted { cid },
            sdk::JobProgress::Fetching { bytes } => Self::Fetching { bytes },
            sdk::JobProgress::Verified => Self::Verified,
            sdk::JobProgress::Closed => Self::Closed,
        }
    }
}

/// Hears a job's progress. Implement it in Python or Kotlin; it is called from a
/// background thread, so it should return quickly.
#[uniffi::export(with_foreign)]
pub trait JobListener: Send + Sync {
    /// One step of the job.
    fn on_progress(&self, progress: JobProgress);
}

/// How a job went.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct JobSummary {
    pub lease_id: u64,
    pub result_cid: String,
    /// Whether the job ran to the end on the provider.
    pub succeeded: bool,
    /// Why it did not, when it did not.
    pub failure: Option<String>,
    /// The saved result folder.
    pub result_dir: String,
    /// SHA-256 of the outputs, hex, checked against the chain (none when it failed).
    pub output_hash: Option<String>,
    /// ugut deposited, paid to the provider, refunded.
    pub deposit: u64,
    pub paid: u64,
    pub refunded: u64,
    /// Seconds on the chain, IPFS, compute and in all.
    pub chain_s: f64,
    pub ipfs_s: f64,
    pub compute_s: f64,
    pub total_s: f64,
}

pub(crate) fn summary(s: sdk::JobSummary) -> Result<JobSummary> {
    let failure = match s.report.outcome {
        JobOutcome::Succeeded => None,
        JobOutcome::Failed(f) => Some(f.message),
    };
    Ok(JobSummary {
        lease_id: s.lease_id,
        result_cid: s.result_cid,
        succeeded: failure.is_none(),
        failure,
        result_dir: s.result_dir.display().to_string(),
        output_hash: s.output_hash.map(hex::encode),
        deposit: amount(s.deposit, "deposit")?,
        paid: amount(s.paid, "paid")?,
        refunded: amount(s.refunded, "refunded")?,
        chain_s: s.chain_s,
        ipfs_s: s.ipfs_s,
        compute_s: s.compute_s,
        total_s: s.total_s,
    })
}

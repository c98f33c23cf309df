//! Checking other providers' results, as a member of the market's check pool: the
//! answer to one check this node was drawn for.
//!
//! - As checker: fetch the lease's bundle, run it whole (isolated, as a lease's job),
//!   add the result folder with its `trace.json` to IPFS, answer with the trace's root
//!   and that folder's CID.
//! - As referee: fetch both sides' traces (the provider's result folder and the
//!   checker's trace folder), keep each only if it leads to the root its side posted,
//!   and run the job only up to the first dispatch where they differ; answer with this
//!   node's state there and both sides' proven states. Where a side's trace cannot be
//!   had (withheld, too large, not matching its root), run the whole job and answer
//!   with its root: a verdict nobody's trace can stall.

use std::path::Path;
use std::time::{Duration, Instant};

use gpunion_interface::job::{HexBinary, JobOutcome};
use gpunion_interface::market::check::{AssignedCheck, CheckState, Verdict};
use gpunion_interface::trace::{TRACE_FILE, Trace};
use gpunion_sdk::flows::CheckReply;

use super::job::{self, FetchFailure, JobError, JobSettings};
use crate::executor::{self, JobRequest};

/// Why this node cannot answer a check (it then lets the deadline pass: a check it
/// cannot run is drawn again from the pool).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The node's own trouble (IPFS down, a disk error).
    #[error(transparent)]
    Node(#[from] JobError),
    /// The bundle cannot be fetched from IPFS.
    #[error("lease {lease_id}: the bundle cannot be fetched: {message}")]
    Fetch { lease_id: u64, message: String },
    /// The job failed here, or is not deterministic: there is no trace to answer with.
    #[error("lease {lease_id}: no trace: {message}")]
    NoTrace { lease_id: u64, message: String },
    /// The check is not one this node must answer now (it moved on meanwhile).
    #[error("lease {lease_id}: the check is {state:?}, not waiting for an answer")]
    NotWaiting { lease_id: u64, state: CheckState },
}

/// This node's answer to `assigned` (a check it was drawn for).
pub async fn answer(
    settings: &JobSettings,
    assigned: &AssignedCheck,
) -> Result<CheckReply, CheckError> {
    let lease_id = assigned.check.lease_id;
    let dir = settings.jobs_dir.join(format!("check-{lease_id}"));
    let bundle = dir.join("bundle");
    job::reset_dir(lease_id, &bundle)?;
    let started = Instant::now();
    match job::fetch(
        settings,
        &assigned.workload_cid,
        &bundle,
        settings.max_bundle_bytes,
    )
    .await
    {
        Ok(bytes) => tracing::info!(lease_id, bytes, "check: bundle fetched"),
        Err(FetchFailure::Node(source)) => return Err(JobError::Ipfs { lease_id, source }.into()),
        Err(FetchFailure::Customer(failure)) => {
            return Err(CheckError::Fetch {
                lease_id,
                message: failure.message,
            });
        }
    }
    let reply = match assigned.check.state {
        CheckState::Checking => {
            let out = dir.join("trace");
            let trace = run(settings, lease_id, &bundle, &out, None).await?;
            let trace_cid = settings
                .kubo
                .add_dir(&out)
                .await
                .map_err(|source| JobError::Ipfs { lease_id, source })?;
            CheckReply::Trace {
                root: root(&trace),
                trace_cid: trace_cid.to_string(),
            }
        }
        CheckState::Disputed => {
            CheckReply::Verdict(referee(settings, assigned, &dir, &bundle).await?)
        }
        state => return Err(CheckError::NotWaiting { lease_id, state }),
    };
    tracing::info!(
        lease_id,
        seconds = started.elapsed().as_secs_f64(),
        "check answered"
    );
    Ok(reply)
}

/// A referee's verdict: at the first difference of both sides' traces, or on the whole
/// run where a trace cannot be had.
async fn referee(
    settings: &JobSettings,
    assigned: &AssignedCheck,
    dir: &Path,
    bundle: &Path,
) -> Result<Verdict, CheckError> {
    let lease_id = assigned.check.lease_id;
    let provider = match (&assigned.result_cid, &assigned.provider_root) {
        (Some(cid), Some(root)) => {
            side_trace(settings, lease_id, cid, root, &dir.join("provider")).await
        }
        _ => None,
    };
    let checker = match &assigned.check.answer {
        Some(answer) => {
            side_trace(
                settings,
                lease_id,
                &answer.trace_cid,
                &answer.root,
                &dir.join("checker"),
            )
            .await
        }
        None => None,
    };
    let out = dir.join("verdict");
    if let (Some(provider), Some(checker)) = (provider, checker)
        && let Some(index) = provider.first_difference(&checker)
    {
        let trace = run(settings, lease_id, bundle, &out, Some(index)).await?;
        if let Some(state) = trace.states.get(index as usize) {
            tracing::info!(lease_id, index, "referee: ran to the first difference");
            return Ok(Verdict::Dispatch {
                index,
                state: state.clone(),
                provider: provider.proof(index).map_err(|e| no_trace(lease_id, e))?,
                checker: checker.proof(index).map_err(|e| no_trace(lease_id, e))?,
            });
        }
    }
    tracing::info!(
        lease_id,
        "referee: a side's trace is missing; running the whole job"
    );
    let trace = run(settings, lease_id, bundle, &out, None).await?;
    Ok(Verdict::Root { root: root(&trace) })
}

/// A side's trace from the folder `cid`, if it can be fetched and leads to `root`.
async fn side_trace(
    settings: &JobSettings,
    lease_id: u64,
    cid: &str,
    root: &HexBinary,
    dest: &Path,
) -> Option<Trace> {
    job::reset_dir(lease_id, dest).ok()?;
    if let Err(error) = job::fetch(settings, cid, dest, settings.max_bundle_bytes).await {
        let message = match error {
            FetchFailure::Node(e) => e.to_string(),
            FetchFailure::Customer(f) => f.message,
        };
        tracing::warn!(lease_id, cid, %message, "referee: a side's trace cannot be fetched");
        return None;
    }
    let trace = executor::result::read_trace(dest)?;
    let matches = trace.root().is_ok_and(|r| r.as_slice() == root.as_slice());
    if !matches {
        tracing::warn!(
            lease_id,
            cid,
            "referee: a side's {TRACE_FILE} does not lead to its root"
        );
    }
    matches.then_some(trace)
}

/// Runs the bundle (to dispatch `until`, or whole) isolated, as a lease's job, and
/// returns its trace.
async fn run(
    settings: &JobSettings,
    lease_id: u64,
    bundle: &Path,
    out: &Path,
    until: Option<u64>,
) -> Result<Trace, CheckError> {
    let request = JobRequest {
        executable: settings.executable.clone(),
        bundle_dir: bundle.to_owned(),
        out_dir: out.to_owned(),
        allowance: settings.allowance,
        wall_clock: Duration::from_secs(settings.allowance.max_time_seconds),
        memory_limit_mib: settings.memory_limit_mib,
        until,
    };
    let report = executor::run_isolated(&request)
        .await
        .map_err(|e| JobError::Executor {
            lease_id,
            message: e.to_string(),
        })?;
    if let JobOutcome::Failed(failure) = &report.outcome {
        return Err(no_trace(lease_id, job::describe(failure)));
    }
    executor::result::read_trace(out)
        .ok_or_else(|| no_trace(lease_id, "the job is not deterministic"))
}

fn root(trace: &Trace) -> HexBinary {
    trace
        .root_binary()
        .expect("the executor's states are hashes")
}

fn no_trace(lease_id: u64, message: impl ToString) -> CheckError {
    CheckError::NoTrace {
        lease_id,
        message: message.to_string(),
    }
}

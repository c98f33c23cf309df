//! One lease's job, start to result: fetch the workload from IPFS (size-limited while
//! streaming), run it (a WGSL bundle isolated in a child process under a wall clock
//! and a memory limit; a container image sandboxed under runc), add the result folder
//! to IPFS. Every failure of the customer's making (a workload that cannot be found
//! or is too large, a bad manifest, shader or image, a job that never ends) still
//! yields a result folder whose `report.json` says what went wrong; only the node's
//! own trouble (Kubo down, runc failing, a disk error) is an error here, and the lease
//! is tried again.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gpunion_interface::job::container::INPUT_DIR;
use gpunion_interface::job::{
    Allowance, FailureKind, JobFailure, JobOutcome, JobReport, JobTimings,
};
use gpunion_interface::market::{Workload, WorkloadKind};
use gpunion_ipfs::{Cid, FetchLimits, IpfsError, Kubo};

use crate::executor::oci::{self, ImageLimits, OciJobRequest, Runc, SandboxLimits, gpu};
use crate::executor::result::{self, JobLog};
use crate::executor::{self, JobRequest};

/// What a job needs from the node.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// The gpu-node binary that runs jobs (`gpu-node job exec`).
    pub executable: PathBuf,
    /// The node's jobs folder (one subfolder per lease).
    pub jobs_dir: PathBuf,
    pub kubo: Kubo,
    pub allowance: Allowance,
    pub max_bundle_bytes: u64,
    pub fetch_timeout: Duration,
    pub memory_limit_mib: u64,
    /// Container jobs, where this node runs them.
    pub containers: Option<ContainerJobs>,
}

/// What a container job needs from the node.
#[derive(Debug, Clone)]
pub struct ContainerJobs {
    /// runc and the node's container state root.
    pub runc: Runc,
    /// Where containers' bundles are made (emptied when the node starts).
    pub work_dir: PathBuf,
    /// Largest image layout folder fetched, bytes.
    pub max_image_bytes: u64,
    pub image_limits: ImageLimits,
    pub sandbox: SandboxLimits,
    /// Most bytes of standard output, and of standard error, kept.
    pub output_cap: u64,
    /// Largest output folder returned, bytes.
    pub max_output_bytes: u64,
    /// The machine's NVIDIA devices; a lease's slot chooses among them.
    pub gpus: gpu::NvidiaDevices,
    /// The NVIDIA driver's files, mounted into a container that gets a GPU.
    pub driver: gpu::DriverFiles,
}

impl ContainerJobs {
    /// The run of the image in `image_dir` on GPU `slot`: its device and the driver's
    /// files where the node has that GPU, none otherwise (the job runs without a GPU,
    /// and its report lists none).
    fn request(
        &self,
        lease_id: u64,
        slot: u32,
        image_dir: &Path,
        input_dir: PathBuf,
        out_dir: &Path,
        wall_clock: Duration,
    ) -> OciJobRequest {
        let devices = self.gpus.for_slots(&[slot]).unwrap_or_default();
        let driver_files = if devices.is_empty() {
            Vec::new()
        } else {
            self.driver.files.clone()
        };
        OciJobRequest {
            label: container_label(lease_id),
            image_dir: image_dir.to_owned(),
            input_dir,
            out_dir: out_dir.to_owned(),
            work_dir: self.work_dir.clone(),
            runc: self.runc.clone(),
            image_limits: self.image_limits,
            sandbox: self.sandbox,
            wall_clock,
            output_cap: self.output_cap,
            max_output_bytes: self.max_output_bytes,
            devices,
            driver_files,
        }
    }
}

/// The label in the ids of lease `lease_id`'s containers.
pub fn container_label(lease_id: u64) -> String {
    format!("lease-{lease_id}")
}

/// Lease `lease_id`'s folder in the node's `jobs_dir`: `workload/` and `result/`.
fn lease_dir(jobs_dir: &Path, lease_id: u64) -> PathBuf {
    jobs_dir.join(lease_id.to_string())
}

/// Where lease `lease_id`'s job writes its result folder (outputs, logs, report).
pub fn result_dir(jobs_dir: &Path, lease_id: u64) -> PathBuf {
    lease_dir(jobs_dir, lease_id).join("result")
}

/// A finished job, ready to post.
#[derive(Debug, Clone)]
pub struct JobDone {
    pub lease_id: u64,
    /// The result folder's CID.
    pub result_cid: Cid,
    /// SHA-256 over the output buffers (none when the job failed).
    pub output_hash: Option<Vec<u8>>,
    /// A deterministic job's trace root (none for other jobs, and failed ones).
    pub trace_root: Option<Vec<u8>>,
    /// Whether the job succeeded.
    pub succeeded: bool,
    /// One line on the failure, if it failed.
    pub failure: Option<String>,
    /// Seconds spent fetching the bundle, running it, and publishing the result.
    pub fetch_s: f64,
    pub compute_s: f64,
    pub publish_s: f64,
}

/// Why a job could not produce a result at all (the node's trouble, not the job's).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// IPFS failed on the node's side (Kubo down, say).
    #[error("lease {lease_id}: IPFS: {source}")]
    Ipfs {
        lease_id: u64,
        #[source]
        source: IpfsError,
    },
    /// The executor could not start or write its folder (or runc failed).
    #[error("lease {lease_id}: executor: {message}")]
    Executor { lease_id: u64, message: String },
    /// A local file operation failed.
    #[error("lease {lease_id}: {path}: {message}")]
    Io {
        lease_id: u64,
        path: String,
        message: String,
    },
}

/// Runs lease `lease_id`'s workload (on GPU `slot`), for at most `wall_clock`.
pub async fn run(
    settings: &JobSettings,
    lease_id: u64,
    workload: &Workload,
    slot: u32,
    wall_clock: Duration,
) -> Result<JobDone, JobError> {
    let dir = lease_dir(&settings.jobs_dir, lease_id);
    let workload_dir = dir.join("workload");
    let result_dir = result_dir(&settings.jobs_dir, lease_id);
    for d in [&workload_dir, &result_dir] {
        reset_dir(lease_id, d)?;
    }
    // The container runner for an image, none for a bundle.
    let containers = match (&workload.kind, &settings.containers) {
        (WorkloadKind::WgslBundle, _) => None,
        (WorkloadKind::OciImage, Some(containers)) => Some(containers),
        (WorkloadKind::OciImage, None) => {
            // Accepted while containers ran here, then restarted without them: the
            // lease gets its answer now, rather than a node retrying until it ends.
            let failure = JobFailure {
                kind: FailureKind::Unsupported,
                field: Some("workload.kind".into()),
                message: "this node no longer runs container images".into(),
            };
            let report = write_failure(lease_id, &result_dir, failure, 0.0)?;
            return publish(settings, lease_id, &result_dir, report, 0.0, 0.0).await;
        }
    };
    let max_bytes = containers.map_or(settings.max_bundle_bytes, |c| c.max_image_bytes);
    let started = Instant::now();
    let fetched = fetch(settings, &workload.cid, &workload_dir, max_bytes).await;
    let fetch_s = started.elapsed().as_secs_f64();
    let compute_started = Instant::now();
    let executor_error = |e: &dyn std::fmt::Display| JobError::Executor {
        lease_id,
        message: e.to_string(),
    };
    let report = match fetched {
        Ok(bytes) => {
            tracing::info!(lease_id, bytes, kind = ?workload.kind, "workload fetched");
            match containers {
                Some(containers) => {
                    let input_dir = input_dir(lease_id, &dir, &workload_dir)?;
                    let request = containers.request(
                        lease_id,
                        slot,
                        &workload_dir,
                        input_dir,
                        &result_dir,
                        wall_clock,
                    );
                    oci::result::run_to_result(&request)
                        .await
                        .map_err(|e| executor_error(&e))?
                }
                None => {
                    let request = JobRequest {
                        executable: settings.executable.clone(),
                        bundle_dir: workload_dir.clone(),
                        out_dir: result_dir.clone(),
                        allowance: settings.allowance,
                        wall_clock,
                        memory_limit_mib: settings.memory_limit_mib,
                        until: None,
                    };
                    executor::run_isolated(&request)
                        .await
                        .map_err(|e| executor_error(&e))?
                }
            }
        }
        Err(FetchFailure::Node(source)) => return Err(JobError::Ipfs { lease_id, source }),
        Err(FetchFailure::Customer(failure)) => {
            write_failure(lease_id, &result_dir, failure, fetch_s)?
        }
    };
    let compute_s = compute_started.elapsed().as_secs_f64();
    publish(settings, lease_id, &result_dir, report, fetch_s, compute_s).await
}

/// The result of lease `lease_id`'s job stopped by its customer: a failed report saying
/// so, published like any other (what the job wrote before is discarded).
pub async fn cancelled(settings: &JobSettings, lease_id: u64) -> Result<JobDone, JobError> {
    let result_dir = result_dir(&settings.jobs_dir, lease_id);
    reset_dir(lease_id, &result_dir)?;
    let failure = JobFailure {
        kind: FailureKind::Cancelled,
        field: None,
        message: "the customer stopped the job".into(),
    };
    let report = write_failure(lease_id, &result_dir, failure, 0.0)?;
    publish(settings, lease_id, &result_dir, report, 0.0, 0.0).await
}

/// Adds the result folder to IPFS: the job, ready to post.
async fn publish(
    settings: &JobSettings,
    lease_id: u64,
    result_dir: &Path,
    report: JobReport,
    fetch_s: f64,
    compute_s: f64,
) -> Result<JobDone, JobError> {
    let publish_started = Instant::now();
    let result_cid = settings
        .kubo
        .add_dir(result_dir)
        .await
        .map_err(|source| JobError::Ipfs { lease_id, source })?;
    let (succeeded, failure) = match &report.outcome {
        JobOutcome::Succeeded => (true, None),
        JobOutcome::Failed(f) => (false, Some(describe(f))),
    };
    Ok(JobDone {
        lease_id,
        result_cid,
        output_hash: report.output_hash.map(|h| h.to_vec()),
        trace_root: report.trace_root.map(|h| h.to_vec()),
        succeeded,
        failure,
        fetch_s,
        compute_s,
        publish_s: publish_started.elapsed().as_secs_f64(),
    })
}

/// One line on a failure: its kind, field and message.
pub fn describe(failure: &JobFailure) -> String {
    match &failure.field {
        Some(field) => format!("{:?} ({field}): {}", failure.kind, failure.message),
        None => format!("{:?}: {}", failure.kind, failure.message),
    }
}

pub(super) enum FetchFailure {
    /// The customer's bundle is at fault: it becomes the job's failure.
    Customer(JobFailure),
    /// The node's IPFS is at fault: try again later.
    Node(IpfsError),
}

pub(super) async fn fetch(
    settings: &JobSettings,
    cid: &str,
    dest: &Path,
    max_bytes: u64,
) -> Result<u64, FetchFailure> {
    let customer = |message: String| {
        FetchFailure::Customer(JobFailure {
            kind: FailureKind::Fetch,
            field: Some("workload.cid".into()),
            message,
        })
    };
    let cid: Cid = cid
        .parse()
        .map_err(|e: IpfsError| customer(e.to_string()))?;
    let limits = FetchLimits {
        max_bytes,
        timeout: settings.fetch_timeout,
    };
    match settings.kubo.fetch_dir(&cid, dest, limits, |_| {}).await {
        Ok(bytes) => Ok(bytes),
        Err(
            e @ (IpfsError::NotFound { .. }
            | IpfsError::TooLarge { .. }
            | IpfsError::MalformedCid { .. }
            | IpfsError::NotADirectory { .. }),
        ) => Err(customer(e.to_string())),
        Err(e) => Err(FetchFailure::Node(e)),
    }
}

/// Writes the result folder of a job that never ran: `report.json` and `log.txt`.
fn write_failure(
    lease_id: u64,
    dir: &Path,
    failure: JobFailure,
    fetch_s: f64,
) -> Result<JobReport, JobError> {
    let mut log = JobLog::new();
    log.note(format!(
        "lease {lease_id}: the workload was not run: {}",
        describe(&failure)
    ));
    let report = JobReport::failed(
        failure,
        JobTimings {
            total_ms: (fetch_s * 1000.0) as u64,
            ..JobTimings::default()
        },
    );
    result::write_report(dir, &report, &log).map_err(|e| JobError::Executor {
        lease_id,
        message: e.to_string(),
    })?;
    Ok(report)
}

/// A container job's input: the workload's [`INPUT_DIR`] where it has one, else an
/// empty folder (both mounted read-only).
fn input_dir(lease_id: u64, dir: &Path, workload_dir: &Path) -> Result<PathBuf, JobError> {
    let given = workload_dir.join(INPUT_DIR);
    if given.is_dir() {
        return Ok(given);
    }
    let empty = dir.join("empty-input");
    reset_dir(lease_id, &empty)?;
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
        JobError::Io {
            lease_id,
            path: empty.display().to_string(),
            message: e.to_string(),
        }
    })?;
    Ok(empty)
}

pub(super) fn reset_dir(lease_id: u64, dir: &Path) -> Result<(), JobError> {
    let io = |e: std::io::Error| JobError::Io {
        lease_id,
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    std::fs::create_dir_all(dir).map_err(io)
}

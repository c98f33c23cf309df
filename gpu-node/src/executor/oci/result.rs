//! A container job made into the result folder the customer fetches: `outputs/`,
//! `stdout.txt`, `stderr.txt`, `log.txt` and `report.json`, a
//! [`JobReport`] like a WGSL job's, with the container's own report in it.
//!
//! The outputs count only when the process exited with status 0: then every file
//! under `outputs/` is listed and hashed with the interface's one rule
//! (`gpunion_interface::job::result::folder_outputs`, run on the job's output tmpfs
//! before it is copied out: [`super::output`]). Outputs that are not plain files and
//! folders (a symlink the job made, a FIFO) fail the job and are never copied, so
//! nothing but plain files is ever published. A failed job
//! keeps its outputs when they are plain (partial work, for the customer to look at)
//! but has no hash.

use std::time::Instant;

use gpunion_interface::job::container::ContainerOutcome;
use gpunion_interface::job::{
    FailureKind, HexBinary, JobFailure, JobOutcome, JobReport, JobTimings,
};

use super::{OciJobError, OciJobReport, OciJobRequest, run_image_job};
use crate::executor::result::{JobLog, write_report};

/// Runs `request`'s job ([`run_image_job`]) and writes its result folder. Every
/// problem of the customer's image, manifest or process is a failed report; only the
/// node's own trouble (runc, a disk) is an error, and the job may be tried again.
pub async fn run_to_result(request: &OciJobRequest) -> Result<JobReport, OciJobError> {
    let started = Instant::now();
    let mut log = JobLog::since(started);
    let report = match run_image_job(request).await {
        Err(error) if !error.is_customers() => return Err(error),
        Err(error) => {
            log.note(format!("the image was not run: {error}"));
            JobReport::failed(
                refusal(&error),
                JobTimings {
                    total_ms: millis(started.elapsed().as_secs_f64()),
                    ..JobTimings::default()
                },
            )
        }
        Ok(run) => ran(request, run, started, &mut log)?,
    };
    write_report(&request.out_dir, &report, &log)?;
    Ok(report)
}

/// The report of a job whose container ran.
fn ran(
    request: &OciJobRequest,
    run: OciJobReport,
    started: Instant,
    log: &mut JobLog,
) -> Result<JobReport, OciJobError> {
    let container = &run.container;
    log.note(format!(
        "image checked: {} bytes of blobs in {:.3} s; unpacked {} entries, {} bytes of files in {:.3} s",
        run.blob_bytes,
        run.verify_seconds,
        run.unpacked.entries,
        run.unpacked.file_bytes,
        run.unpack_seconds
    ));
    if container.gpu_devices.is_empty() {
        log.note("no GPU: the node has none for this lease's slot");
    } else {
        log.note(format!("GPU devices: {}", container.gpu_devices.join(", ")));
    }
    log.note(format!(
        "container {}: {:?} after {:.3} s; stdout {} bytes{}, stderr {} bytes{}",
        container.container_id,
        container.outcome,
        container.seconds,
        container.stdout_bytes,
        if container.stdout_truncated {
            " (cut)"
        } else {
            ""
        },
        container.stderr_bytes,
        if container.stderr_truncated {
            " (cut)"
        } else {
            ""
        },
    ));
    if let Err(refused) = &run.outputs {
        log.note(format!("outputs not kept: {refused}"));
    }
    let outputs = run.outputs;
    let timings = JobTimings {
        validate_ms: millis(run.verify_seconds),
        compile_ms: millis(run.unpack_seconds),
        compute_ms: millis(container.seconds),
        readback_ms: millis(run.outputs_seconds),
        total_ms: millis(started.elapsed().as_secs_f64()),
    };
    let failure = |kind, message: String| JobFailure {
        kind,
        field: None,
        message,
    };
    let outcome = match (&container.outcome, &outputs) {
        (ContainerOutcome::Exited { code: 0 }, Ok(_)) => JobOutcome::Succeeded,
        (ContainerOutcome::Exited { code: 0 }, Err(error)) => {
            JobOutcome::Failed(failure(FailureKind::Output, error.clone()))
        }
        (ContainerOutcome::Exited { code }, _) => JobOutcome::Failed(failure(
            FailureKind::Exited,
            format!("the process exited with status {code}"),
        )),
        (ContainerOutcome::Signaled { signal }, _) => JobOutcome::Failed(failure(
            FailureKind::Exited,
            format!("the process was ended by signal {signal}"),
        )),
        (ContainerOutcome::OutOfMemory, _) => JobOutcome::Failed(failure(
            FailureKind::OutOfMemory,
            format!(
                "the process ran out of its {} bytes of memory",
                request.sandbox.memory_bytes
            ),
        )),
        (ContainerOutcome::TimedOut { limit_seconds }, _) => JobOutcome::Failed(failure(
            FailureKind::TimedOut,
            format!("still running at the {limit_seconds} s time limit: killed"),
        )),
        (ContainerOutcome::NotStarted { reason }, _) => JobOutcome::Failed(failure(
            FailureKind::Image,
            format!("the container could not start: {reason}"),
        )),
    };
    let (output_hash, outputs) = match (&outcome, outputs) {
        (JobOutcome::Succeeded, Ok((files, hash))) => (Some(HexBinary::from(hash)), files),
        _ => (None, Vec::new()),
    };
    Ok(JobReport {
        outcome,
        timings,
        output_hash,
        trace_root: None,
        outputs,
        container: Some(run.container),
    })
}

/// The failure of a job whose image or manifest was refused.
fn refusal(error: &OciJobError) -> JobFailure {
    match error {
        OciJobError::Manifest(e) => JobFailure {
            kind: FailureKind::Manifest,
            field: Some(e.field.clone()),
            message: e.reason.clone(),
        },
        other => JobFailure {
            kind: FailureKind::Image,
            field: None,
            message: other.to_string(),
        },
    }
}

fn millis(seconds: f64) -> u64 {
    (seconds * 1000.0).round() as u64
}

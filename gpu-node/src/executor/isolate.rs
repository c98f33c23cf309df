//! Jobs in a child process: `gpu-node job exec` runs one job ([`run`](super::run))
//! under a memory limit, and the node ([`run_isolated`]) waits for it against a wall
//! clock.
//!
//! The child writes the result folder itself when it can. When it cannot (killed at
//! the time limit, out of memory, a signal from a crashed driver) the parent writes
//! `report.json` and `log.txt` in its place, with the child's standard error in the
//! log. Either way the caller gets a [`JobReport`].
//!
//! The child reads its standard input until end of file on a thread of its own and
//! exits at once when it gets there: the parent holds the pipe's other end for the
//! whole job, so when the parent dies (even by `kill -9`) the pipe closes and the
//! child follows it instead of running on as an orphan.

use std::{
    io::Read as _,
    path::{Path, PathBuf},
    process::{ExitStatus, Stdio},
    time::Duration,
};

use gpunion_interface::job::{
    Allowance, FailureKind, JobFailure, JobReport, JobTimings, LOG_FILE, MANIFEST_FILE, Manifest,
    OUTPUTS_DIR, REPORT_FILE,
};
use gpunion_interface::trace::TRACE_FILE;
use tokio::io::AsyncReadExt as _;

use super::{
    ExecError,
    result::{JobLog, read_report, write_report},
    run::run_job,
};
use crate::gpu::Gpu;

/// The exit status of a child whose standard input closed (its parent is gone).
pub const ORPHAN_EXIT_CODE: i32 = 3;
/// The exit status of a child that could not write its result folder.
pub const WRITE_FAILED_EXIT_CODE: i32 = 2;
/// How much of the child's standard error the log keeps (its end).
const STDERR_TAIL_BYTES: usize = 64 << 10;

/// One job to run in a child process.
#[derive(Clone, Debug)]
pub struct JobRequest {
    /// The `gpu-node` executable, whose hidden `job exec` command runs the job.
    pub executable: PathBuf,
    /// The job bundle's folder.
    pub bundle_dir: PathBuf,
    /// The result folder (made if missing; a previous report, log and outputs in it
    /// are removed first).
    pub out_dir: PathBuf,
    /// What the job may use.
    pub allowance: Allowance,
    /// The longest the node lets the job run; the child is killed at the smaller of
    /// this and the manifest's `time_limit_seconds`.
    pub wall_clock: Duration,
    /// The child's memory limit, MiB (see [`apply_memory_limit`]).
    pub memory_limit_mib: u64,
    /// Run a deterministic job only up to and including this dispatch (a referee's
    /// run): the result is its trace so far, without outputs.
    pub until: Option<u64>,
}

/// Runs `request`'s job in a child process and returns its report. Every problem of
/// the job (a bad manifest, WGSL that does not validate, mismatched bindings, over
/// the allowance, past the time limit, out of memory, a crash, a lost device) is a
/// failed report, with `report.json` and `log.txt` in the result folder; an
/// [`ExecError`] only says the node could not start the child or write the folder.
///
/// The child is killed at the time limit, and when the returned future is dropped.
pub async fn run_isolated(request: &JobRequest) -> Result<JobReport, ExecError> {
    let mut log = JobLog::new();
    let out_dir = &request.out_dir;
    clear_result(out_dir)?;
    let (limit, limited_by) = time_limit(request);
    log.note(format_args!(
        "running the job in a child process: time limit {:.1} s ({limited_by}), memory limit {} MiB",
        limit.as_secs_f64(),
        request.memory_limit_mib
    ));

    let allowance =
        serde_json::to_string(&request.allowance).expect("an Allowance always serializes to JSON");
    let mut child = tokio::process::Command::new(&request.executable)
        .args(["job", "exec", "--bundle"])
        .arg(&request.bundle_dir)
        .arg("--out")
        .arg(out_dir)
        .arg("--memory-limit-mib")
        .arg(request.memory_limit_mib.to_string())
        .arg("--allowance")
        .arg(allowance)
        .args(request.until.map(|i| format!("--until={i}")))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| ExecError::Spawn {
            executable: request.executable.clone(),
            source,
        })?;
    // Held until the child is done: its end of file tells the child we are gone.
    let stdin = child.stdin.take();
    let stderr = child.stderr.take().map(|mut pipe| {
        tokio::spawn(async move {
            let mut text = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                text.extend_from_slice(&chunk[..n]);
                if text.len() > 2 * STDERR_TAIL_BYTES {
                    text.drain(..text.len() - STDERR_TAIL_BYTES);
                }
            }
            text
        })
    });

    let status = match tokio::time::timeout(limit, child.wait()).await {
        Ok(status) => Some(status.map_err(ExecError::Wait)?),
        Err(_) => {
            // Already gone or not, it must be gone after this.
            let _ = child.kill().await;
            None
        }
    };
    drop(stdin);
    let stderr = match stderr {
        Some(task) => task.await.unwrap_or_default(),
        None => Vec::new(),
    };
    let stderr = String::from_utf8_lossy(&stderr[stderr.len().saturating_sub(STDERR_TAIL_BYTES)..])
        .into_owned();
    let elapsed = log.start().elapsed();
    let total_ms = elapsed.as_millis().try_into().unwrap_or(u64::MAX);

    if let Some(status) = status
        && status.success()
        && let Some(mut report) = read_report(out_dir)
    {
        // The child's log and report stand; the total is the node's, process and
        // device start included.
        report.timings.total_ms = total_ms;
        let mut child_log = std::fs::read_to_string(out_dir.join(LOG_FILE)).unwrap_or_default();
        if !stderr.trim().is_empty() {
            child_log.push_str("--- executor standard error ---\n");
            child_log.push_str(&stderr);
        }
        let mut merged = JobLog::since(log.start());
        merged.append("node", log.text());
        merged.append("executor", &child_log);
        write_report(out_dir, &report, &merged)?;
        return Ok(report);
    }

    let failure = match status {
        None => JobFailure {
            kind: FailureKind::TimedOut,
            field: Some("time_limit_seconds".into()),
            message: format!(
                "stopped after {:.1} s: the time limit is {:.1} s ({limited_by})",
                elapsed.as_secs_f64(),
                limit.as_secs_f64()
            ),
        },
        Some(status) => died(status, &stderr),
    };
    log.note(format_args!(
        "failed ({:?}): {}",
        failure.kind, failure.message
    ));
    let child_log = std::fs::read_to_string(out_dir.join(LOG_FILE)).unwrap_or_default();
    log.append("executor log", &child_log);
    log.append("executor standard error", &stderr);
    // Whatever the child saved is not a result.
    remove_if_present(&out_dir.join(OUTPUTS_DIR))?;
    remove_if_present(&out_dir.join(TRACE_FILE))?;
    let report = JobReport::failed(
        failure,
        JobTimings {
            total_ms,
            ..JobTimings::default()
        },
    );
    write_report(out_dir, &report, &log)?;
    Ok(report)
}

/// The time limit of the job and what set it: the manifest's `time_limit_seconds`
/// (within the allowance) when it can be read, or the request's wall clock if smaller
/// or if the manifest cannot be read (the child then reports why).
fn time_limit(request: &JobRequest) -> (Duration, &'static str) {
    let path = request.bundle_dir.join(MANIFEST_FILE);
    let manifest_limit = std::fs::metadata(&path)
        .ok()
        .filter(|meta| meta.len() <= request.allowance.max_bundle_bytes)
        .and_then(|_| std::fs::read(&path).ok())
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
        .map(|m| {
            Duration::from_secs(
                m.time_limit_seconds
                    .min(request.allowance.max_time_seconds)
                    .max(1),
            )
        });
    match manifest_limit {
        Some(limit) if limit < request.wall_clock => (limit, "the manifest's time_limit_seconds"),
        _ => (request.wall_clock, "the node's wall clock"),
    }
}

/// What a child that ended without a report died of.
fn died(status: ExitStatus, stderr: &str) -> JobFailure {
    let out_of_memory = [
        "memory allocation of",
        "out of memory",
        "Out of memory",
        "OutOfMemory",
        "OUT_OF_HOST_MEMORY",
        "OUT_OF_DEVICE_MEMORY",
        "Cannot allocate memory",
    ]
    .iter()
    .any(|sign| stderr.contains(sign));
    let how = describe(status);
    if out_of_memory {
        return JobFailure {
            kind: FailureKind::OutOfMemory,
            field: None,
            message: format!("the executor ran out of memory and {how}"),
        };
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    JobFailure {
        kind: FailureKind::Crashed,
        field: None,
        message: match last {
            Some(line) => format!("the executor {how}: {line}"),
            None => format!("the executor {how}"),
        },
    }
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal}");
        }
    }
    match status.code() {
        Some(0) => "exited without writing a report".into(),
        Some(code) => format!("exited with status {code}"),
        None => "ended".into(),
    }
}

fn remove_if_present(path: &Path) -> Result<(), ExecError> {
    let result = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ExecError::Write {
            path: path.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Makes `out_dir` and removes a previous result from it, so that a stale report is
/// never taken for this job's.
fn clear_result(out_dir: &Path) -> Result<(), ExecError> {
    std::fs::create_dir_all(out_dir).map_err(|source| ExecError::Write {
        path: out_dir.to_owned(),
        source,
    })?;
    for name in [REPORT_FILE, LOG_FILE, OUTPUTS_DIR, TRACE_FILE] {
        remove_if_present(&out_dir.join(name))?;
    }
    Ok(())
}

/// Limits this process's memory to `mib` MiB.
///
/// RLIMIT_DATA, not RLIMIT_AS: measured on lavapipe (Mesa 22.3, LLVM 15), a process
/// that opens a Vulkan device reserves far more address space than it uses (LLVM's
/// JIT, a stack per llvmpipe thread, the loader's mappings), so an address-space
/// limit that leaves the GPU working is gigabytes above what the job really uses,
/// while RLIMIT_DATA (heap and private writable mappings, which is where buffers
/// live on a software device) tracks the real use. See `gpu-node/README.md` for
/// the numbers.
pub fn apply_memory_limit(mib: u64) -> std::io::Result<()> {
    let bytes = mib.saturating_mul(1 << 20);
    rlimit::setrlimit(rlimit::Resource::DATA, bytes, bytes)
}

/// Exits the process as soon as its standard input reaches end of file (or fails):
/// the parent is gone.
pub fn exit_when_orphaned() {
    std::thread::spawn(|| {
        let mut stdin = std::io::stdin();
        let mut buffer = [0u8; 256];
        loop {
            match stdin.read(&mut buffer) {
                Ok(0) | Err(_) => std::process::exit(ORPHAN_EXIT_CODE),
                Ok(_) => {}
            }
        }
    });
}

/// The child's side (`gpu-node job exec`): watches its standard input, applies the
/// memory limit, runs the job and writes the result folder. Returns the process's
/// exit status: 0 when a report was written (whatever the job's outcome).
pub fn exec_child(
    bundle_dir: &Path,
    out_dir: &Path,
    allowance: &Allowance,
    memory_limit_mib: u64,
    until: Option<u64>,
) -> i32 {
    exit_when_orphaned();
    if let Err(error) = apply_memory_limit(memory_limit_mib) {
        eprintln!("gpu-node job exec: cannot limit memory to {memory_limit_mib} MiB: {error}");
        return WRITE_FAILED_EXIT_CODE;
    }
    let open = |log: &mut JobLog| {
        log.note("opening the GPU");
        Gpu::new().map_err(|e| JobFailure {
            kind: FailureKind::Device,
            field: None,
            message: e.to_string(),
        })
    };
    match run_job(bundle_dir, out_dir, allowance, until, open) {
        Ok(_) => 0,
        Err(error) => {
            eprintln!("gpu-node job exec: {error}");
            WRITE_FAILED_EXIT_CODE
        }
    }
}

//! runc, driven as a command: `runc run --keep` in the foreground (its exit status is
//! the job's), the wall clock enforced with `runc kill KILL`, the container's cgroup
//! read for OOM kills and pids-limit hits before `runc delete --force` removes it.
//!
//! Every container this node makes lives under its own runc state root
//! ([`Runc::state_root`]) and cgroup parent ([`CGROUP_PARENT`]), so `runc list` there
//! shows exactly the node's containers. A [`Container`] deletes itself when dropped,
//! whatever happened (an error, a cancelled future): no container outlives its job.

use std::{
    fs,
    io::{self, Write as _},
    path::{Path, PathBuf},
    process::Stdio,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use gpunion_interface::job::container::{ContainerOutcome, ContainerReport};
use tokio::{io::AsyncReadExt as _, process::Command};

/// The cgroup folder (under each controller) that holds the node's containers.
pub const CGROUP_PARENT: &str = "gpunion";
/// Where Debian's runc package puts it; `PATH` is searched too.
const RUNC_CANDIDATES: &[&str] = &["/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc"];
/// How long a killed container may take to be gone before runc's own process is killed.
const KILL_GRACE: Duration = Duration::from_secs(10);
/// The cgroup v1 hierarchy.
const CGROUP_V1: &str = "/sys/fs/cgroup";

/// A problem of the node with runc, not of the job.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// No runc executable was found.
    #[error("runc is not installed (looked in {looked_in} and PATH); run scripts/bootstrap")]
    RuncMissing {
        /// The places looked in.
        looked_in: String,
    },
    /// runc could not be started, or a runc command failed.
    #[error("runc {command}: {reason}")]
    Runc {
        /// The runc subcommand.
        command: &'static str,
        /// What went wrong (runc's standard error).
        reason: String,
    },
    /// A file of the run (a captured output) could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// One run of a bundle.
#[derive(Clone, Debug)]
pub struct RunRequest<'a> {
    /// The container's id ([`new_container_id`]); its runtime spec must name
    /// [`cgroups_path`]`(id)`.
    pub id: &'a str,
    /// The bundle folder (`config.json`, `rootfs/`).
    pub bundle: &'a Path,
    /// Where the process's standard output goes (at most `output_cap` bytes kept).
    pub stdout: &'a Path,
    /// Where its standard error goes.
    pub stderr: &'a Path,
    /// The most bytes of each stream kept.
    pub output_cap: u64,
    /// The wall clock: killed after this.
    pub time_limit: Duration,
}

/// The runc executable and the state root of this node's containers.
#[derive(Clone, Debug)]
pub struct Runc {
    /// The executable.
    pub binary: PathBuf,
    /// runc's `--root`: where it keeps the state of the node's containers.
    pub state_root: PathBuf,
}

impl Runc {
    /// Finds runc ([`RUNC_CANDIDATES`], then `PATH`); its containers' state goes
    /// under `state_root`.
    pub fn find(state_root: &Path) -> Result<Runc, RuntimeError> {
        let on_path = std::env::var_os("PATH")
            .map(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join("runc"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let binary = RUNC_CANDIDATES
            .iter()
            .map(PathBuf::from)
            .chain(on_path)
            .find(|p| p.is_file())
            .ok_or_else(|| RuntimeError::RuncMissing {
                looked_in: RUNC_CANDIDATES.join(", "),
            })?;
        Ok(Runc {
            binary,
            state_root: state_root.to_owned(),
        })
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command.arg("--root").arg(&self.state_root);
        command.stdin(Stdio::null());
        command
    }

    async fn output(&self, command: &'static str, args: &[&str]) -> Result<String, RuntimeError> {
        let output = self
            .command()
            .arg(command)
            .args(args)
            .output()
            .await
            .map_err(|e| RuntimeError::Runc {
                command,
                reason: e.to_string(),
            })?;
        if !output.status.success() {
            return Err(RuntimeError::Runc {
                command,
                reason: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The ids of the containers under the state root (`runc list -q`).
    pub async fn list(&self) -> Result<Vec<String>, RuntimeError> {
        let text = self.output("list", &["-q"]).await?;
        Ok(text
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.is_empty())
            .collect())
    }

    /// The host process id of the running container labelled `label` (see
    /// [`new_container_id`]), if one runs: the process whose namespaces are the job's.
    pub async fn running_with_label(&self, label: &str) -> Result<Option<u32>, RuntimeError> {
        let prefix = format!("gpunion-{label}-");
        for id in self.list().await? {
            if !id.starts_with(&prefix) {
                continue;
            }
            let text = self.output("state", &[&id]).await?;
            let state: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| RuntimeError::Runc {
                    command: "state",
                    reason: e.to_string(),
                })?;
            if state["status"] == "running"
                && let Some(pid) = state["pid"].as_u64().and_then(|p| u32::try_from(p).ok())
                && pid > 0
            {
                return Ok(Some(pid));
            }
        }
        Ok(None)
    }

    /// Deletes (`--force`: killing what still runs) every container under the state
    /// root and returns their ids: what a node that died mid-job left behind. For a
    /// node starting up, before it runs any job.
    pub async fn delete_leftovers(&self) -> Result<Vec<String>, RuntimeError> {
        let ids = self.list().await?;
        for id in &ids {
            self.output("delete", &["--force", id]).await?;
        }
        Ok(ids)
    }

    /// Runs the bundle as a new container and waits for it (at most
    /// `request.time_limit`), then deletes it. The container is gone when this
    /// returns, and when the future is dropped before it does.
    pub async fn run(&self, request: &RunRequest<'_>) -> Result<ContainerReport, RuntimeError> {
        let container = Container {
            runc: self.clone(),
            id: request.id.to_owned(),
            deleted: false,
        };
        let start = Instant::now();
        // runc's own errors (a process that cannot be started, a cgroup refused)
        // go to this log, never the job's output: they tell "runc failed" from "the
        // job exited 1".
        let runc_log = request.bundle.join(RUNC_LOG);
        let mut child = self
            .command()
            .arg("--log")
            .arg(&runc_log)
            .arg("--log-format")
            .arg("json")
            .arg("run")
            .arg("--keep")
            .arg("--bundle")
            .arg(request.bundle)
            .arg(&container.id)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| RuntimeError::Runc {
                command: "run",
                reason: e.to_string(),
            })?;
        let stdout = capture(child.stdout.take(), request.stdout, request.output_cap)?;
        let stderr = capture(child.stderr.take(), request.stderr, request.output_cap)?;

        let wait_error = |e: io::Error| RuntimeError::Runc {
            command: "run",
            reason: e.to_string(),
        };
        let status = match tokio::time::timeout(request.time_limit, child.wait()).await {
            Ok(status) => Some(status.map_err(wait_error)?),
            Err(_) => {
                // runc forwards nothing on its own death: the container is killed
                // through runc, then runc's process ends with it.
                let _ = self.output("kill", &[&container.id, "KILL"]).await;
                if tokio::time::timeout(KILL_GRACE, child.wait())
                    .await
                    .is_err()
                {
                    let _ = child.kill().await;
                }
                None
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        let stats = CgroupStats::read(&container.id);
        container.delete().await?;
        let (stdout_bytes, stdout_truncated) = stdout.await.unwrap_or((0, false));
        let (stderr_bytes, stderr_truncated) = stderr.await.unwrap_or((0, false));

        let runc_error = runc_errors(&runc_log);
        let outcome = match status {
            None => ContainerOutcome::TimedOut {
                limit_seconds: request.time_limit.as_secs_f64(),
            },
            Some(_) if !runc_error.is_empty() => {
                ContainerOutcome::NotStarted { reason: runc_error }
            }
            Some(_) if stats.oom_kills.is_some_and(|n| n > 0) => ContainerOutcome::OutOfMemory,
            Some(status) => match status.code() {
                Some(code) if code > 128 => ContainerOutcome::Signaled { signal: code - 128 },
                Some(code) => ContainerOutcome::Exited { code },
                None => {
                    return Err(RuntimeError::Runc {
                        command: "run",
                        reason: format!("runc itself was ended: {status}"),
                    });
                }
            },
        };
        Ok(ContainerReport {
            container_id: request.id.to_owned(),
            outcome,
            seconds,
            stdout_bytes,
            stderr_bytes,
            stdout_truncated,
            stderr_truncated,
            oom_kills: stats.oom_kills,
            pids_limit_hits: stats.pids_limit_hits,
            memory_peak_bytes: stats.memory_peak_bytes,
            gpu_devices: Vec::new(),
        })
    }
}

/// runc's own log in the bundle folder (JSON lines).
const RUNC_LOG: &str = "runc.log";
/// How much of runc's log is read.
const RUNC_LOG_BYTES: u64 = 64 << 10;

/// The messages runc logged at level `error` or `fatal` (empty when none, or no log).
fn runc_errors(log: &Path) -> String {
    let Ok(file) = fs::File::open(log) else {
        return String::new();
    };
    let mut text = String::new();
    let _ = io::Read::read_to_string(&mut io::Read::take(file, RUNC_LOG_BYTES), &mut text);
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| matches!(entry["level"].as_str(), Some("error" | "fatal")))
        .filter_map(|entry| entry["msg"].as_str().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The cgroups path runc is given for container `id` (relative to each controller's
/// mount): `/gpunion/<id>`.
pub fn cgroups_path(id: &str) -> PathBuf {
    Path::new("/").join(CGROUP_PARENT).join(id)
}

/// A new container id for a job labelled `label` (`lease-7`): `gpunion-<label>-…`,
/// unique on this host (process id, time, a counter), found again by
/// [`Runc::running_with_label`].
pub fn new_container_id(label: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "gpunion-{label}-{}-{nanos:x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A container made by `runc run --keep`: deleted (`runc delete --force`) by
/// [`Container::delete`], or on drop if that was never reached.
struct Container {
    runc: Runc,
    id: String,
    deleted: bool,
}

impl Container {
    async fn delete(mut self) -> Result<(), RuntimeError> {
        let result = match self.runc.output("delete", &["--force", &self.id]).await {
            Ok(_) => Ok(()),
            // Never made (runc failed before creating it): nothing to delete.
            Err(RuntimeError::Runc { reason, .. }) if reason.contains("does not exist") => Ok(()),
            Err(e) => Err(e),
        };
        self.deleted = result.is_ok();
        result
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        if self.deleted {
            return;
        }
        // Blocking, but rare: only when a run ends without reaching `delete`.
        let _ = std::process::Command::new(&self.runc.binary)
            .arg("--root")
            .arg(&self.runc.state_root)
            .args(["delete", "--force", &self.id])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Copies a pipe into `path`, keeping the first `cap` bytes and counting the rest
/// (read to the end, so the process never blocks on a full pipe). Returns the bytes
/// seen and whether the file was cut.
fn capture<R: tokio::io::AsyncRead + Unpin + Send + 'static>(
    pipe: Option<R>,
    path: &Path,
    cap: u64,
) -> Result<tokio::task::JoinHandle<(u64, bool)>, RuntimeError> {
    let mut file = fs::File::create(path).map_err(|source| RuntimeError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(tokio::spawn(async move {
        let Some(mut pipe) = pipe else {
            return (0, false);
        };
        let mut seen = 0u64;
        let mut chunk = vec![0u8; 64 << 10];
        while let Ok(n) = pipe.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            let keep = cap.saturating_sub(seen).min(n as u64) as usize;
            if keep > 0 && file.write_all(&chunk[..keep]).is_err() {
                break;
            }
            seen += n as u64;
        }
        (seen, seen > cap)
    }))
}

/// What the container's cgroups say after it ended (read before it is deleted).
#[derive(Debug, Default)]
struct CgroupStats {
    oom_kills: Option<u64>,
    pids_limit_hits: Option<u64>,
    memory_peak_bytes: Option<u64>,
}

impl CgroupStats {
    /// cgroup v1 (`memory.oom_control`'s `oom_kill`, `pids.events`'s `max`,
    /// `memory.max_usage_in_bytes`), else cgroup v2 (`memory.events`'s `oom_kill`,
    /// `pids.events`, `memory.peak`).
    fn read(id: &str) -> CgroupStats {
        let relative = cgroups_path(id);
        let relative = relative.strip_prefix("/").unwrap_or(&relative);
        let v1 = |controller: &str, file: &str| {
            fs::read_to_string(
                Path::new(CGROUP_V1)
                    .join(controller)
                    .join(relative)
                    .join(file),
            )
            .ok()
        };
        let v2 =
            |file: &str| fs::read_to_string(Path::new(CGROUP_V1).join(relative).join(file)).ok();
        let field = |text: Option<String>, key: &str| {
            text.and_then(|t| {
                t.lines().find_map(|l| {
                    let (k, v) = l.split_once(' ')?;
                    (k == key).then(|| v.trim().parse().ok()).flatten()
                })
            })
        };
        let number = |text: Option<String>| text.and_then(|t| t.trim().parse().ok());
        CgroupStats {
            oom_kills: field(v1("memory", "memory.oom_control"), "oom_kill")
                .or_else(|| field(v2("memory.events"), "oom_kill")),
            pids_limit_hits: field(v1("pids", "pids.events"), "max")
                .or_else(|| field(v2("pids.events"), "max")),
            memory_peak_bytes: number(v1("memory", "memory.max_usage_in_bytes"))
                .or_else(|| number(v2("memory.peak"))),
        }
    }
}

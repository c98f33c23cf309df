//! Container jobs (leases of kind `OciImage`): the workload folder a customer publishes,
//! the small manifest in it that adds to the image's own process, and what the result
//! folder says about the container's run.
//!
//! The workload folder is an OCI image layout (`oci-layout`, `index.json`,
//! `blobs/sha256/…`) with, beside it, an optional [`CONTAINER_MANIFEST_FILE`] and an
//! optional [`INPUT_DIR`] (mounted read-only at `/input`). The result folder holds
//! [`OUTPUTS_DIR`](super::OUTPUTS_DIR) (what the job wrote to `/output`),
//! [`STDOUT_FILE`] and [`STDERR_FILE`] (capped), the log and the
//! [`JobReport`](super::JobReport), whose `container` is a [`ContainerReport`]. Its
//! output hash is [`output_hash`](super::output_hash) over every output file, named by
//! its path, in byte order of the paths (`result::folder_outputs`).
//!
//! ```json
//! { "args": ["--steps", "100"], "env": ["SEED=7"], "time_limit_seconds": 600 }
//! ```

use cosmwasm_schema::cw_serde;

/// The manifest's file name in the workload folder.
pub const CONTAINER_MANIFEST_FILE: &str = "gpunion-job.json";
/// The folder of the workload mounted read-only at `/input` (optional).
pub const INPUT_DIR: &str = "input";
/// The image layout's marker file (OCI image-layout spec).
pub const IMAGE_LAYOUT_FILE: &str = "oci-layout";
/// The captured standard output in a result folder.
pub const STDOUT_FILE: &str = "stdout.txt";
/// The captured standard error in a result folder.
pub const STDERR_FILE: &str = "stderr.txt";
/// The largest manifest read, bytes.
pub const MAX_MANIFEST_BYTES: u64 = 64 << 10;
/// The most arguments the manifest may add.
pub const MAX_ARGS: usize = 256;
/// The most environment variables the manifest may set.
pub const MAX_ENV: usize = 256;
/// The longest argument or `NAME=value`, bytes.
pub const MAX_ITEM_BYTES: usize = 4096;
/// The longest variable name, bytes.
pub const MAX_ENV_NAME_BYTES: usize = 128;

/// What the lease adds to the image's own process ([`CONTAINER_MANIFEST_FILE`]).
#[cw_serde]
#[derive(Default, Eq)]
// A misspelt field is an error, not a silently ignored one.
#[serde(deny_unknown_fields)]
pub struct ContainerManifest {
    /// Appended to the image's `Entrypoint` + `Cmd`.
    #[serde(default)]
    pub args: Vec<String>,
    /// `NAME=value`, set over the image's `Env` (a name set twice: the last wins).
    #[serde(default)]
    pub env: Vec<String>,
    /// The job's own time limit, seconds; the node's wall clock caps it.
    #[serde(default)]
    pub time_limit_seconds: Option<u64>,
}

/// Why a container manifest was refused; `field` is its JSON path (`args[3]`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("job manifest {field}: {reason}")]
pub struct ManifestError {
    /// The offending field.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

fn refuse(field: impl Into<String>, reason: impl Into<String>) -> ManifestError {
    ManifestError {
        field: field.into(),
        reason: reason.into(),
    }
}

impl ContainerManifest {
    /// Every rule of the manifest: counts and lengths, no NUL byte, variable names of
    /// letters, digits and `_` that do not start with a digit, a time limit of at least
    /// a second.
    pub fn check(&self) -> Result<(), ManifestError> {
        if self.args.len() > MAX_ARGS {
            return Err(refuse("args", format!("more than {MAX_ARGS} arguments")));
        }
        for (i, arg) in self.args.iter().enumerate() {
            check_item(&format!("args[{i}]"), arg)?;
        }
        if self.env.len() > MAX_ENV {
            return Err(refuse("env", format!("more than {MAX_ENV} variables")));
        }
        for (i, item) in self.env.iter().enumerate() {
            let field = format!("env[{i}]");
            check_item(&field, item)?;
            let Some((name, _)) = item.split_once('=') else {
                return Err(refuse(field, "not NAME=value"));
            };
            check_env_name(&field, name)?;
        }
        if self.time_limit_seconds == Some(0) {
            return Err(refuse("time_limit_seconds", "must be at least 1"));
        }
        Ok(())
    }
}

#[cfg(feature = "bundle")]
impl ContainerManifest {
    /// The manifest in the workload folder `dir`, checked; none there is an empty
    /// manifest (the image's own process, unchanged).
    pub fn load(dir: &std::path::Path) -> Result<ContainerManifest, ManifestError> {
        use std::io::Read as _;
        let path = dir.join(CONTAINER_MANIFEST_FILE);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ContainerManifest::default());
            }
            Err(e) => return Err(refuse(CONTAINER_MANIFEST_FILE, e.to_string())),
        };
        let mut bytes = Vec::new();
        file.take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(CONTAINER_MANIFEST_FILE, e.to_string()))?;
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(refuse(
                CONTAINER_MANIFEST_FILE,
                format!("larger than {MAX_MANIFEST_BYTES} bytes"),
            ));
        }
        let manifest: ContainerManifest = serde_json::from_slice(&bytes)
            .map_err(|e| refuse(CONTAINER_MANIFEST_FILE, e.to_string()))?;
        manifest.check()?;
        Ok(manifest)
    }
}

fn check_item(field: &str, item: &str) -> Result<(), ManifestError> {
    if item.len() > MAX_ITEM_BYTES {
        return Err(refuse(field, format!("longer than {MAX_ITEM_BYTES} bytes")));
    }
    if item.contains('\0') {
        return Err(refuse(field, "contains a NUL byte"));
    }
    Ok(())
}

/// A POSIX-portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn check_env_name(field: &str, name: &str) -> Result<(), ManifestError> {
    let mut bytes = name.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if !first_ok
        || name.len() > MAX_ENV_NAME_BYTES
        || !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(refuse(
            field,
            format!(
                "{name:?} is not a variable name ([A-Za-z_][A-Za-z0-9_]*, at most {MAX_ENV_NAME_BYTES} bytes)"
            ),
        ));
    }
    Ok(())
}

/// How a container's process ended.
#[cw_serde]
#[serde(tag = "kind")]
pub enum ContainerOutcome {
    /// It exited with this status (0 is success).
    Exited {
        /// The exit status.
        code: i32,
    },
    /// A signal ended it (runc reports 128 + the signal number).
    Signaled {
        /// The signal.
        signal: i32,
    },
    /// The memory cgroup's OOM killer ended it.
    OutOfMemory,
    /// The runtime could not start it (or failed while running it): its reason, as
    /// the runtime logged it. A missing entrypoint is one.
    NotStarted {
        /// The runtime's error messages.
        reason: String,
    },
    /// It was still running at the wall clock's limit and was killed.
    TimedOut {
        /// The limit, seconds.
        limit_seconds: f64,
    },
}

/// What happened to one container: the `container` of a container job's
/// [`JobReport`](super::JobReport).
#[cw_serde]
pub struct ContainerReport {
    /// The container's id (its runtime id and cgroup name).
    pub container_id: String,
    /// How it ended.
    pub outcome: ContainerOutcome,
    /// From the container's start to its end, seconds.
    pub seconds: f64,
    /// Bytes the process wrote to its standard output (all, kept or not).
    pub stdout_bytes: u64,
    /// Bytes it wrote to its standard error.
    pub stderr_bytes: u64,
    /// Whether the kept standard output was cut at the cap.
    pub stdout_truncated: bool,
    /// Whether the kept standard error was cut at the cap.
    pub stderr_truncated: bool,
    /// The memory cgroup's count of OOM kills (absent where the cgroup does not say).
    pub oom_kills: Option<u64>,
    /// Times a fork was refused at the pids limit (absent where the cgroup does not say).
    pub pids_limit_hits: Option<u64>,
    /// The memory cgroup's peak usage, bytes (absent where it does not say).
    pub memory_peak_bytes: Option<u64>,
    /// The GPU device nodes passed into the container (`/dev/nvidia0`, …); empty when
    /// the node has no GPU for the lease's slot, and the job ran without one.
    #[serde(default)]
    pub gpu_devices: Vec<String>,
}

impl ContainerReport {
    /// Whether the job's process exited with status 0.
    pub fn succeeded(&self) -> bool {
        self.outcome == ContainerOutcome::Exited { code: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(args: &[&str], env: &[&str]) -> ContainerManifest {
        ContainerManifest {
            args: args.iter().map(|s| s.to_string()).collect(),
            env: env.iter().map(|s| s.to_string()).collect(),
            time_limit_seconds: None,
        }
    }

    #[test]
    fn accepts_plain_arguments_and_variables() {
        manifest(&["--steps", "100", ""], &["SEED=7", "_X=", "A1=a=b"])
            .check()
            .unwrap();
    }

    #[test]
    fn refuses_each_bad_field_by_name() {
        let cases = [
            (manifest(&["ok", "a\0b"], &[]), "args[1]"),
            (manifest(&[&"x".repeat(MAX_ITEM_BYTES + 1)], &[]), "args[0]"),
            (manifest(&[], &["NOEQUALS"]), "env[0]"),
            (manifest(&[], &["A=1", "1A=2"]), "env[1]"),
            (manifest(&[], &["A-B=2"]), "env[0]"),
            (manifest(&[], &["=2"]), "env[0]"),
            (manifest(&[], &["A=\0"]), "env[0]"),
        ];
        for (m, field) in cases {
            assert_eq!(m.check().unwrap_err().field, field, "{m:?}");
        }
        let many = ContainerManifest {
            args: vec![String::new(); MAX_ARGS + 1],
            ..ContainerManifest::default()
        };
        assert_eq!(many.check().unwrap_err().field, "args");
        let zero = ContainerManifest {
            time_limit_seconds: Some(0),
            ..ContainerManifest::default()
        };
        assert_eq!(zero.check().unwrap_err().field, "time_limit_seconds");
    }

    #[cfg(feature = "bundle")]
    #[test]
    fn unknown_fields_are_refused_and_a_missing_manifest_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            ContainerManifest::load(dir.path()).unwrap(),
            ContainerManifest::default()
        );
        std::fs::write(
            dir.path().join(CONTAINER_MANIFEST_FILE),
            r#"{"argv": ["x"]}"#,
        )
        .unwrap();
        let error = ContainerManifest::load(dir.path()).unwrap_err();
        assert!(error.reason.contains("unknown field"), "{error}");
    }
}

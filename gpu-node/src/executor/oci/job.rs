//! The small job manifest a customer may put next to the image (`gpunion-job.json` at
//! the top of the layout folder): arguments appended to the image's entrypoint and
//! command, and environment variables set over the image's. Everything in it is
//! checked before it reaches runc: counts and lengths, no NUL byte, variable names of
//! letters, digits and `_` that do not start with a digit.
//!
//! ```json
//! { "args": ["--steps", "100"], "env": ["SEED=7"], "time_limit_seconds": 600 }
//! ```

use std::{fs::File, io::Read as _, path::Path};

use serde::{Deserialize, Serialize};

/// The manifest's file name in the image layout folder.
pub const JOB_MANIFEST_FILE: &str = "gpunion-job.json";
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

/// What the lease adds to the image's own process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OciJobManifest {
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

/// Why a job manifest was refused; `field` is its JSON path (`args[3]`).
#[derive(Debug, thiserror::Error)]
#[error("job manifest {field}: {reason}")]
pub struct JobManifestError {
    /// The offending field.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

fn refuse(field: impl Into<String>, reason: impl Into<String>) -> JobManifestError {
    JobManifestError {
        field: field.into(),
        reason: reason.into(),
    }
}

impl OciJobManifest {
    /// The manifest in the image layout folder `dir`, checked; none there is an
    /// empty manifest (the image's own process, unchanged).
    pub fn load(dir: &Path) -> Result<OciJobManifest, JobManifestError> {
        let path = dir.join(JOB_MANIFEST_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(OciJobManifest::default());
            }
            Err(e) => return Err(refuse(JOB_MANIFEST_FILE, e.to_string())),
        };
        let mut bytes = Vec::new();
        file.take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(JOB_MANIFEST_FILE, e.to_string()))?;
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(refuse(
                JOB_MANIFEST_FILE,
                format!("larger than {MAX_MANIFEST_BYTES} bytes"),
            ));
        }
        let manifest: OciJobManifest =
            serde_json::from_slice(&bytes).map_err(|e| refuse(JOB_MANIFEST_FILE, e.to_string()))?;
        manifest.check()?;
        Ok(manifest)
    }

    /// Every rule of the manifest (see the module's docs).
    pub fn check(&self) -> Result<(), JobManifestError> {
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

fn check_item(field: &str, item: &str) -> Result<(), JobManifestError> {
    if item.len() > MAX_ITEM_BYTES {
        return Err(refuse(field, format!("longer than {MAX_ITEM_BYTES} bytes")));
    }
    if item.contains('\0') {
        return Err(refuse(field, "contains a NUL byte"));
    }
    Ok(())
}

/// A POSIX-portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn check_env_name(field: &str, name: &str) -> Result<(), JobManifestError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(args: &[&str], env: &[&str]) -> OciJobManifest {
        OciJobManifest {
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
        let many = OciJobManifest {
            args: vec![String::new(); MAX_ARGS + 1],
            ..OciJobManifest::default()
        };
        assert_eq!(many.check().unwrap_err().field, "args");
        let zero = OciJobManifest {
            time_limit_seconds: Some(0),
            ..OciJobManifest::default()
        };
        assert_eq!(zero.check().unwrap_err().field, "time_limit_seconds");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(JOB_MANIFEST_FILE), r#"{"argv": ["x"]}"#).unwrap();
        let error = OciJobManifest::load(dir.path()).unwrap_err();
        assert!(error.reason.contains("unknown field"), "{error}");
    }
}

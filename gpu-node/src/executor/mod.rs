//! The WGSL job executor: runs a customer's job bundle (`gpunion_interface::job`) on
//! the node's GPU and writes the result folder (`outputs/`, `log.txt`, `report.json`).
//!
//! - [`run`]: the job itself, in this process: load and check the bundle, create the
//!   buffers and pipelines, dispatch in order, read the outputs back;
//! - [`result`]: the result folder: outputs saved raw or as PNG, the log, the report
//!   with its output hash;
//! - [`isolate`]: how the node runs a job for real, in a child process
//!   (`gpu-node job exec`) under a memory limit and a wall clock, so that whatever
//!   the job does (loops forever, eats memory, crashes the driver) the node carries
//!   on and the customer gets a [`JobReport`](gpunion_interface::job::JobReport)
//!   saying why.
//!
//! [`oci`] is the other executor: container images run sandboxed under runc.
//!
//! Every problem of the job is a failed report (`Ok`), never an [`ExecError`]; an
//! `ExecError` is the node's own problem (the executable cannot be started, the
//! result folder cannot be written).

pub mod isolate;
pub mod oci;
pub mod result;
pub mod run;

use std::{io, path::PathBuf};

pub use isolate::{JobRequest, run_isolated};
pub use run::run_in_process;

/// A problem of the node, not of the job: no report could be made.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The executor process could not be started.
    #[error("cannot start the executor {executable}: {source}")]
    Spawn {
        /// The executable.
        executable: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Waiting for the executor process failed.
    #[error("waiting for the executor: {0}")]
    Wait(io::Error),
    /// The result folder (or a file in it) could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

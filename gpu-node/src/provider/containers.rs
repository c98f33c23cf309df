//! Whether this node runs container jobs, and with what: `serve` runs them, and
//! `register` declares the `OciImage` workload kind only where they would run.

use std::path::Path;

use gpunion_interface::market::WorkloadKind;

use super::config::ContainerSettings;
use super::job::ContainerJobs;
use crate::executor::oci::gpu::{DriverFiles, NvidiaDevices};
use crate::executor::oci::{ImageLimits, Runc, SandboxLimits};

/// The runc that would run this node's containers, or why this node does not run
/// them: they are off, or the node is not root (runc runs the node's containers as
/// root here), or runc is missing.
fn runc(settings: &ContainerSettings, home: &Path) -> Result<Runc, String> {
    if !settings.enabled {
        return Err("off in the configuration (containers.enabled)".into());
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err("runc runs them as root, and this node is not".into());
    }
    Runc::find(&home.join("runc")).map_err(|e| e.to_string())
}

/// Container jobs as `settings` ask, in the node's `home` (with the machine's NVIDIA
/// devices and driver files), or why this node does not run them ([`runc`]).
pub fn container_jobs(settings: &ContainerSettings, home: &Path) -> Result<ContainerJobs, String> {
    let runc = runc(settings, home)?;
    let gpus = NvidiaDevices::discover(Path::new("/dev")).unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot list NVIDIA devices: containers get no GPU");
        NvidiaDevices::default()
    });
    let driver = if gpus.gpus.is_empty() {
        DriverFiles::default()
    } else {
        DriverFiles::discover(Path::new("/")).unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot list the NVIDIA driver's files: containers get none");
            DriverFiles::default()
        })
    };
    Ok(ContainerJobs {
        runc,
        work_dir: home.join("containers"),
        max_image_bytes: settings.max_image_mib << 20,
        image_limits: ImageLimits {
            max_blob_bytes: settings.max_image_mib << 20,
            max_unpacked_bytes: settings.max_unpacked_mib << 20,
            ..ImageLimits::default()
        },
        sandbox: SandboxLimits {
            memory_bytes: settings.memory_limit_mib << 20,
            cpu_millis: settings.cpu_millis,
            pids: settings.pids,
            ..SandboxLimits::default()
        },
        output_cap: settings.log_cap_kib << 10,
        max_output_bytes: settings.max_output_mib << 20,
        gpus,
        driver,
    })
}

/// The workload kinds this node declares: WGSL bundles always, container images where
/// [`container_jobs`] would run them.
pub fn workloads(settings: &ContainerSettings, home: &Path) -> Vec<WorkloadKind> {
    let mut kinds = WorkloadKind::wgsl_only();
    if runc(settings, home).is_ok() {
        kinds.push(WorkloadKind::OciImage);
    }
    kinds
}

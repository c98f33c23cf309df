//! The OCI executor: runs a customer's container image (an OCI image layout folder,
//! as fetched from IPFS) sandboxed under runc, next to the WGSL executor.
//!
//! - [`image`]: the layout read, the manifest for linux/amd64 chosen, every blob
//!   checked against its descriptor (size, SHA-256, a total limit) before use;
//! - [`unpack`]: the layers applied into a fresh root filesystem by this node, with
//!   whiteouts, and without letting a layer write outside it (paths, links, special
//!   files, setuid bits: see the module);
//! - [`bundle`]: the runtime spec (`config.json`) of the sandbox;
//! - [`output`]: the job's `/output`, a size-limited tmpfs copied out after the run;
//! - [`runc`]: `runc run`, the wall clock, OOM and pids-limit accounting, cleanup;
//! - [`gpu`]: NVIDIA device nodes found and chosen by slot, and the driver's
//!   user-space files mounted with them;
//! - [`result`]: the run made into a result folder for the customer.
//!
//! The job manifest beside the image (extra arguments and environment) and the
//! container's report are the interface crate's
//! ([`gpunion_interface::job::container`]): the customer's CLI checks and reads them.
//!
//! [`run_image_job`] strings the steps together and writes `outputs/` (what the job
//! wrote to `/output`), `stdout.txt` and `stderr.txt` (capped). A refused image is an
//! [`OciJobError`] whose [`OciJobError::is_customers`] says it is the image's fault; a
//! job that ran and failed (non-zero exit, signal, out of memory, timed out) is an
//! [`OciJobReport`]. [`result::run_to_result`] turns either into the result folder's
//! [`JobReport`](gpunion_interface::job::JobReport), as a lease's job needs.

pub mod bundle;
pub mod gpu;
pub mod image;
pub mod output;
pub mod result;
pub mod runc;
pub mod unpack;

use std::{
    fs, io,
    os::unix::fs::PermissionsExt as _,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use gpunion_interface::job::container::{
    ContainerManifest, ContainerReport, ManifestError, STDERR_FILE, STDOUT_FILE,
};
use gpunion_interface::job::{LOG_FILE, OUTPUTS_DIR, REPORT_FILE};

pub use bundle::{JobMounts, SandboxLimits, SpecError};
pub use image::{ImageError, ImageLimits, VerifiedImage};
pub use runc::{Runc, RuntimeError};
pub use unpack::{UnpackError, UnpackStats};

/// One image job to run.
#[derive(Clone, Debug)]
pub struct OciJobRequest {
    /// Put in the container's id (`lease-7`), so that the running container can be found
    /// again (a customer's port forward enters its network namespace).
    pub label: String,
    /// The OCI image layout folder (with an optional `gpunion-job.json`: the
    /// interface's `CONTAINER_MANIFEST_FILE`).
    pub image_dir: PathBuf,
    /// The job's input, mounted read-only at `/input`.
    pub input_dir: PathBuf,
    /// The result folder (made; a previous result in it is removed first).
    pub out_dir: PathBuf,
    /// Where the container's bundle (root filesystem, `config.json`) is made and,
    /// after the run, removed.
    pub work_dir: PathBuf,
    /// runc and the node's container state root.
    pub runc: Runc,
    /// What the image may take.
    pub image_limits: ImageLimits,
    /// What the process may use.
    pub sandbox: SandboxLimits,
    /// The node's time limit; the manifest's `time_limit_seconds` may shorten it.
    pub wall_clock: Duration,
    /// The most bytes of standard output and of standard error kept.
    pub output_cap: u64,
    /// The most bytes the job may write to `/output` (its tmpfs's size; [`output`]).
    pub max_output_bytes: u64,
    /// Device nodes passed in (the lease's GPUs: [`gpu::NvidiaDevices::for_slots`]);
    /// none for a job without a GPU.
    pub devices: Vec<gpu::DeviceNode>,
    /// The GPU driver's files mounted with them ([`gpu::DriverFiles`]); none for a
    /// job without a GPU.
    pub driver_files: Vec<gpu::DriverFile>,
}

/// What a job that ran did, and what its image took.
#[derive(Clone, Debug, PartialEq)]
pub struct OciJobReport {
    /// What the container did.
    pub container: ContainerReport,
    /// Bytes of blobs checked.
    pub blob_bytes: u64,
    /// What unpacking wrote.
    pub unpacked: UnpackStats,
    /// Checking the image, seconds.
    pub verify_seconds: f64,
    /// Unpacking it, seconds.
    pub unpack_seconds: f64,
    /// The job's outputs as kept in the result folder, listed and hashed; or why they
    /// were not kept (a symlink, a FIFO in them): then the result folder has no
    /// `outputs/`.
    pub outputs: output::KeptOutputs,
    /// Checking, hashing and copying the outputs, seconds.
    pub outputs_seconds: f64,
}

/// Why an image job did not run.
#[derive(Debug, thiserror::Error)]
pub enum OciJobError {
    /// The job manifest broke a rule.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The image layout was refused.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// A layer was refused.
    #[error(transparent)]
    Unpack(#[from] UnpackError),
    /// The image's config cannot make a runtime spec.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// runc failed (the node's problem).
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// The result folder's report or log could not be written.
    #[error(transparent)]
    Result(#[from] crate::executor::ExecError),
    /// The node could not write its own files.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl OciJobError {
    /// Whether the customer's image or manifest is at fault (a failed result for
    /// the customer), rather than the node (try again).
    pub fn is_customers(&self) -> bool {
        !matches!(
            self,
            OciJobError::Runtime(_)
                | OciJobError::Result(_)
                | OciJobError::Write { .. }
                | OciJobError::Unpack(UnpackError::Write { .. })
                | OciJobError::Image(ImageError::Read { .. })
        )
    }
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> OciJobError + '_ {
    move |source| OciJobError::Write {
        path: path.to_owned(),
        source,
    }
}

/// What a node that died mid-job left: every container under `runc`'s state root is
/// deleted and every bundle folder in `work_dir` removed. Returns the containers'
/// ids. Call it when the node starts, before any job runs.
pub async fn remove_leftovers(runc: &Runc, work_dir: &Path) -> Result<Vec<String>, OciJobError> {
    let ids = runc.delete_leftovers().await?;
    match fs::read_dir(work_dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(write_error(work_dir))?;
                output::unmount_leftover(&entry.path()).map_err(write_error(&entry.path()))?;
                unpack::remove_any(&entry.path())?;
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(write_error(work_dir)(e)),
    }
    Ok(ids)
}

/// Makes `out_dir` and removes a previous result from it, so that nothing stale is
/// taken for this job's.
fn clear_result(out_dir: &Path) -> Result<(), OciJobError> {
    fs::create_dir_all(out_dir).map_err(write_error(out_dir))?;
    for name in [OUTPUTS_DIR, STDOUT_FILE, STDERR_FILE, REPORT_FILE, LOG_FILE] {
        unpack::remove_any(&out_dir.join(name))?;
    }
    Ok(())
}

/// Removes its folder when dropped.
struct BundleDir(PathBuf);

impl Drop for BundleDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Checks and unpacks the image, runs it under runc in the sandbox of
/// [`bundle`], and writes the container's outputs into the result folder. The bundle
/// folder and the container are gone when this returns (or when the future is
/// dropped).
pub async fn run_image_job(request: &OciJobRequest) -> Result<OciJobReport, OciJobError> {
    clear_result(&request.out_dir)?;
    if !fs::metadata(&request.input_dir)
        .map_err(write_error(&request.input_dir))?
        .is_dir()
    {
        return Err(OciJobError::Write {
            path: request.input_dir.clone(),
            source: io::Error::new(
                io::ErrorKind::NotADirectory,
                "the job's input is not a folder",
            ),
        });
    }
    let manifest = ContainerManifest::load(&request.image_dir)?;
    let started = Instant::now();
    let image = VerifiedImage::open(&request.image_dir, &request.image_limits)?;
    let verify_seconds = started.elapsed().as_secs_f64();

    let id = runc::new_container_id(&request.label);
    fs::create_dir_all(&request.work_dir).map_err(write_error(&request.work_dir))?;
    let bundle = BundleDir(request.work_dir.join(&id));
    fs::create_dir(&bundle.0).map_err(write_error(&bundle.0))?;
    let rootfs = bundle.0.join(bundle::ROOTFS_DIR);
    let started = Instant::now();
    let unpacked = unpack::unpack(&image, &rootfs, &request.image_limits)?;
    let unpack_seconds = started.elapsed().as_secs_f64();
    // Real folders, whatever the image put there (runc would resolve a symlink
    // inside the root anyway). runc gives a tmpfs the mode of the folder it covers.
    for (mount_point, mode) in [
        (bundle::INPUT_MOUNT, 0o755),
        (bundle::OUTPUT_MOUNT, 0o755),
        ("/tmp", 0o1777),
    ] {
        let path = rootfs.join(mount_point.trim_start_matches('/'));
        unpack::remove_any(&path)?;
        fs::create_dir(&path).map_err(write_error(&path))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).map_err(write_error(&path))?;
    }

    let (uid, gid) = bundle::job_user(&image.config);
    let output_path = bundle.0.join(output::OUTPUT_FS_DIR);
    // Declared after the bundle: dropped (unmounted) before the bundle is removed.
    let output_fs = output::OutputFs::mount(&output_path, request.max_output_bytes, uid, gid)
        .map_err(write_error(&output_path))?;
    let spec = bundle::runtime_spec(
        &image.config,
        &manifest,
        &JobMounts {
            input: request.input_dir.clone(),
            output: output_fs.path().to_owned(),
            devices: request.devices.clone(),
            driver_files: request.driver_files.clone(),
        },
        &request.sandbox,
        &runc::cgroups_path(&id),
    )?;
    let config = bundle.0.join("config.json");
    let json = serde_json::to_vec_pretty(&spec).map_err(|e| write_error(&config)(e.into()))?;
    fs::write(&config, json).map_err(write_error(&config))?;

    let time_limit = manifest.time_limit_seconds.map_or(request.wall_clock, |s| {
        request.wall_clock.min(Duration::from_secs(s))
    });
    let container = request
        .runc
        .run(&runc::RunRequest {
            id: &id,
            bundle: &bundle.0,
            stdout: &request.out_dir.join(STDOUT_FILE),
            stderr: &request.out_dir.join(STDERR_FILE),
            output_cap: request.output_cap,
            time_limit,
        })
        .await?;
    let started = Instant::now();
    let outputs_dir = request.out_dir.join(OUTPUTS_DIR);
    let outputs = output_fs
        .persist(&outputs_dir, request.max_output_bytes)
        .map_err(write_error(&outputs_dir))?;
    let outputs_seconds = started.elapsed().as_secs_f64();
    drop(output_fs);
    drop(bundle);
    Ok(OciJobReport {
        container: ContainerReport {
            gpu_devices: request
                .devices
                .iter()
                .map(|d| d.path.display().to_string())
                .collect(),
            ..container
        },
        blob_bytes: image.blob_bytes,
        unpacked,
        verify_seconds,
        unpack_seconds,
        outputs,
        outputs_seconds,
    })
}

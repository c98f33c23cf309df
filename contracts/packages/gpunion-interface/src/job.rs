//! WGSL compute jobs: the bundle a customer publishes (a folder with [`MANIFEST_FILE`],
//! its WGSL sources and the buffers' initial contents), the [`Allowance`] a provider
//! grants a job, and the result folder the provider hands back ([`JobReport`] in
//! [`REPORT_FILE`], a human-readable [`LOG_FILE`], the outputs under [`OUTPUTS_DIR`]).
//!
//! Everything here is plain data and pure checks, so it compiles into the contracts'
//! wasm; loading a bundle from disk and checking its WGSL with naga is
//! [`bundle`], behind the `bundle` feature.
//!
//! A job is a list of buffers bound at fixed `(group, binding)` slots, then a list of
//! compute dispatches run in order (each a shader file, an entry point and a workgroup
//! count), then some buffers read back and saved. The format is the manifest's
//! [`MANIFEST_VERSION`]; `shaders/jobs/manifest.schema.json` is its JSON schema.

#[cfg(feature = "bundle")]
pub mod bundle;
pub mod container;
#[cfg(feature = "bundle")]
pub mod determinism;
#[cfg(feature = "bundle")]
pub mod result;

use std::collections::BTreeSet;

use cosmwasm_schema::cw_serde;
/// The output hash's type in [`JobReport`], re-exported for crates without cosmwasm-std.
pub use cosmwasm_std::HexBinary;
use sha2::{Digest, Sha256};

use crate::market::{ComputeCapability, ProviderAttributes};

/// The manifest's file name at the root of a bundle.
pub const MANIFEST_FILE: &str = "job.json";
/// The manifest format this crate reads ([`Manifest::version`]).
pub const MANIFEST_VERSION: u32 = 1;
/// The [`JobReport`] (JSON) in a result folder.
pub const REPORT_FILE: &str = "report.json";
/// What happened, for a person to read, in a result folder.
pub const LOG_FILE: &str = "log.txt";
/// The folder of a result folder holding the saved outputs ([`OutputSpec::file`]).
pub const OUTPUTS_DIR: &str = "outputs";
/// Bind groups a job may use (`0..MAX_BIND_GROUPS`): WebGPU's default limit, which
/// every adapter meets.
pub const MAX_BIND_GROUPS: u32 = 4;
/// Highest binding number plus one within a group: WebGPU's default limit.
pub const MAX_BINDINGS_PER_GROUP: u32 = 1000;

/// A job bundle's manifest ([`MANIFEST_FILE`]).
#[cw_serde]
// A misspelt field is an error, not a silently ignored one.
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The format version; must be [`MANIFEST_VERSION`].
    pub version: u32,
    /// A name for people (logs, listings); not empty.
    pub name: String,
    /// The WGSL source files, relative to the bundle's root; each one module.
    pub shaders: Vec<String>,
    /// Every buffer the job binds, with its slot, size and initial contents.
    pub buffers: Vec<BufferSpec>,
    /// The compute dispatches, run in this order (each sees the previous ones' writes).
    pub dispatches: Vec<Dispatch>,
    /// The buffers read back after the last dispatch, and how each is saved; their
    /// order is the order of [`output_hash`].
    pub outputs: Vec<OutputSpec>,
    /// The longest the job may run, wall clock, from start to results; at most the
    /// allowance's [`Allowance::max_time_seconds`].
    pub time_limit_seconds: u64,
    /// The job computes the same bits on every adapter (integer arithmetic only, no
    /// atomics; see `job::determinism`): the executor then records its dispatch trace
    /// ([`crate::trace`]) and its result can be checked by another provider.
    #[serde(default)]
    pub deterministic: bool,
}

/// One buffer: where it is bound, how big it is, what it holds at the start.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct BufferSpec {
    /// Unique within the manifest; outputs refer to buffers by it.
    pub name: String,
    /// The bind group (`@group`), below [`MAX_BIND_GROUPS`].
    pub group: u32,
    /// The binding within the group (`@binding`), below [`MAX_BINDINGS_PER_GROUP`].
    pub binding: u32,
    /// Bytes; above zero and a multiple of 4.
    pub size: u64,
    /// How the shaders see it; must match the WGSL declaration at its slot.
    pub usage: BufferUsage,
    /// Its contents before the first dispatch.
    pub initial: Initial,
}

/// How shaders access a buffer: the WGSL address space and access mode it is declared
/// with.
#[cw_serde]
#[derive(Copy, Eq, Hash)]
pub enum BufferUsage {
    /// `var<storage, read>` (or `var<storage>`).
    StorageRead,
    /// `var<storage, read_write>`.
    StorageReadWrite,
    /// `var<uniform>`.
    Uniform,
}

/// A buffer's contents before the first dispatch.
#[cw_serde]
pub enum Initial {
    /// All zero bytes.
    Zeros,
    /// The bytes of this file of the bundle (relative path), exactly the buffer's size.
    File(String),
}

/// One compute dispatch.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Dispatch {
    /// The WGSL file (one of [`Manifest::shaders`]) holding the entry point.
    pub shader: String,
    /// The `@compute` entry point's name.
    pub entry_point: String,
    /// Workgroups in x, y and z; each at least 1 and at most the allowance's
    /// [`Allowance::max_workgroups_per_dimension`].
    pub workgroups: [u32; 3],
}

/// A buffer to read back after the last dispatch, and the file it is saved to.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// The buffer's [`BufferSpec::name`]; each buffer is output at most once.
    pub buffer: String,
    /// The file under the result's [`OUTPUTS_DIR`] (relative path, unique).
    pub file: String,
    /// How the bytes are saved.
    pub format: OutputFormat,
}

/// How an output buffer is saved.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum OutputFormat {
    /// The buffer's bytes as they are.
    Raw,
    /// An image, row by row from the top, 4 bytes per pixel (R, G, B, A), saved as a
    /// PNG; `width * height * 4` must be the buffer's size.
    Rgba8Png {
        /// Pixels per row.
        width: u32,
        /// Rows.
        height: u32,
    },
}

/// What a provider lets one job use; [`Manifest::check`] holds a manifest to it.
#[cw_serde]
#[derive(Copy, Eq)]
pub struct Allowance {
    /// Largest single buffer, bytes.
    pub max_buffer_bytes: u64,
    /// All buffers together, bytes.
    pub max_total_buffer_bytes: u64,
    /// All files of the bundle together, bytes.
    pub max_bundle_bytes: u64,
    /// Longest [`Manifest::time_limit_seconds`].
    pub max_time_seconds: u64,
    /// Most workgroups in any one dimension of a dispatch (WebGPU's default limit is
    /// 65,535).
    pub max_workgroups_per_dimension: u32,
}

impl Allowance {
    /// What a provider with `compute`'s limits and `memory_mib` of GPU memory lets one
    /// job use: buffers within the device's largest storage binding, all of them within
    /// its memory, `max_bundle_bytes` of bundle, `max_time_seconds`. The node holds
    /// jobs to it, and a customer checks a bundle against a provider's declared
    /// attributes with the same rule ([`Allowance::for_provider`]).
    pub fn for_capability(
        compute: &ComputeCapability,
        memory_mib: u64,
        max_bundle_bytes: u64,
        max_time_seconds: u64,
    ) -> Self {
        Self {
            max_buffer_bytes: compute
                .max_buffer_size
                .min(compute.max_storage_buffer_binding_size),
            max_total_buffer_bytes: memory_mib.saturating_mul(1 << 20),
            max_bundle_bytes,
            max_time_seconds,
            max_workgroups_per_dimension: Self::default().max_workgroups_per_dimension,
        }
    }

    /// [`Allowance::for_capability`] of a provider's declared attributes, with the
    /// default bundle size and `max_time_seconds` (the lease's length, say).
    pub fn for_provider(attributes: &ProviderAttributes, max_time_seconds: u64) -> Self {
        Self::for_capability(
            &attributes.compute,
            attributes.memory_mib,
            Self::default().max_bundle_bytes,
            max_time_seconds,
        )
    }
}

impl Default for Allowance {
    /// A modest allowance for trying bundles locally: 256 MiB per buffer, 1 GiB in
    /// all, a 64 MiB bundle, 10 minutes, 65,535 workgroups per dimension.
    fn default() -> Self {
        Self {
            max_buffer_bytes: 256 << 20,
            max_total_buffer_bytes: 1 << 30,
            max_bundle_bytes: 64 << 20,
            max_time_seconds: 600,
            max_workgroups_per_dimension: 65_535,
        }
    }
}

/// Why a manifest is not a job this crate runs. Each names the field at fault the way
/// a JSON path would (`buffers[2].size`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The `version` is not [`MANIFEST_VERSION`].
    #[error("version: {found} is not supported (this node reads version {supported})")]
    Version {
        /// The manifest's version.
        found: u32,
        /// The version this crate reads.
        supported: u32,
    },
    /// A name, path or list that must not be empty is.
    #[error("{field}: must not be empty")]
    Empty {
        /// The field.
        field: String,
    },
    /// A name, file or slot appears twice.
    #[error("{field}: {value} appears twice")]
    Duplicate {
        /// The second occurrence.
        field: String,
        /// What is repeated.
        value: String,
    },
    /// A buffer's size is zero or not a multiple of 4.
    #[error("{field}: {size} bytes; a buffer size must be above zero and a multiple of 4")]
    Size {
        /// The field.
        field: String,
        /// The size given.
        size: u64,
    },
    /// A bind group or binding number beyond what adapters offer.
    #[error("{field}: {value} is out of range (at most {max})")]
    Slot {
        /// The field.
        field: String,
        /// The number given.
        value: u32,
        /// The highest allowed.
        max: u32,
    },
    /// Something beyond the provider's [`Allowance`].
    #[error("{field}: {value} is over the allowance of {limit}")]
    OverAllowance {
        /// The field (`buffers` for the total of all buffers).
        field: String,
        /// What the manifest asks for.
        value: u64,
        /// What the allowance grants.
        limit: u64,
    },
    /// A workgroup count or time limit of zero.
    #[error("{field}: must be at least 1")]
    Zero {
        /// The field.
        field: String,
    },
    /// An output names a buffer the manifest does not declare.
    #[error("{field}: no buffer is named {name:?}")]
    UnknownBuffer {
        /// The field.
        field: String,
        /// The name given.
        name: String,
    },
    /// A dispatch names a shader file not listed in `shaders`.
    #[error("{field}: {name:?} is not one of the manifest's shaders")]
    UnknownShader {
        /// The field.
        field: String,
        /// The file given.
        name: String,
    },
    /// An image output's `width * height * 4` is not its buffer's size.
    #[error(
        "{field}: {width}x{height} RGBA8 is {image_bytes} bytes, the buffer has {buffer_bytes}"
    )]
    ImageSize {
        /// The field.
        field: String,
        /// Pixels per row.
        width: u32,
        /// Rows.
        height: u32,
        /// `width * height * 4`.
        image_bytes: u64,
        /// The buffer's size.
        buffer_bytes: u64,
    },
    /// A file name that is not a plain relative path inside the bundle (absolute, with
    /// `..`, `.` or empty parts, or a backslash).
    #[error("{field}: {path:?} must be a relative path inside the bundle, without '..'")]
    Path {
        /// The field.
        field: String,
        /// The path given.
        path: String,
    },
}

impl ManifestError {
    /// The manifest field at fault, as a JSON path (`buffers[2].size`).
    pub fn field(&self) -> &str {
        match self {
            Self::Version { .. } => "version",
            Self::Empty { field }
            | Self::Duplicate { field, .. }
            | Self::Size { field, .. }
            | Self::Slot { field, .. }
            | Self::OverAllowance { field, .. }
            | Self::Zero { field }
            | Self::UnknownBuffer { field, .. }
            | Self::UnknownShader { field, .. }
            | Self::ImageSize { field, .. }
            | Self::Path { field, .. } => field,
        }
    }

    /// The kind of failure a job with this manifest ends in.
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::OverAllowance { .. } => FailureKind::OverAllowance,
            _ => FailureKind::Manifest,
        }
    }

    /// This error as a job's failure.
    pub fn failure(&self) -> JobFailure {
        JobFailure {
            kind: self.kind(),
            field: Some(self.field().to_owned()),
            message: self.to_string(),
        }
    }
}

/// `Err(Empty)` when `value` is empty.
fn non_empty(value: &str, field: impl FnOnce() -> String) -> Result<(), ManifestError> {
    if value.is_empty() {
        return Err(ManifestError::Empty { field: field() });
    }
    Ok(())
}

/// `Err(Path)` unless `path` is a plain relative path: `/`-separated non-empty parts,
/// none `.` or `..`, no backslash (a Windows separator) and no NUL.
fn relative_path(path: &str, field: impl Fn() -> String) -> Result<(), ManifestError> {
    non_empty(path, &field)?;
    let plain = !path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !plain {
        return Err(ManifestError::Path {
            field: field(),
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// `Err(OverAllowance)` when `value > limit`.
fn within(value: u64, limit: u64, field: impl FnOnce() -> String) -> Result<(), ManifestError> {
    if value > limit {
        return Err(ManifestError::OverAllowance {
            field: field(),
            value,
            limit,
        });
    }
    Ok(())
}

impl Manifest {
    /// The structural checks: version, names, unique names, files and slots, sizes,
    /// references between sections, image sizes, workgroup counts and the time limit,
    /// all within `allowance`. The first problem found is returned. What needs the
    /// bundle's files (their sizes, the WGSL and its bindings) is checked by
    /// [`bundle::Bundle::load`] (feature `bundle`).
    pub fn check(&self, allowance: &Allowance) -> Result<(), ManifestError> {
        if self.version != MANIFEST_VERSION {
            return Err(ManifestError::Version {
                found: self.version,
                supported: MANIFEST_VERSION,
            });
        }
        non_empty(&self.name, || "name".into())?;
        if self.time_limit_seconds == 0 {
            return Err(ManifestError::Zero {
                field: "time_limit_seconds".into(),
            });
        }
        within(self.time_limit_seconds, allowance.max_time_seconds, || {
            "time_limit_seconds".into()
        })?;

        if self.shaders.is_empty() {
            return Err(ManifestError::Empty {
                field: "shaders".into(),
            });
        }
        let mut files = BTreeSet::new();
        for (i, shader) in self.shaders.iter().enumerate() {
            let field = || format!("shaders[{i}]");
            relative_path(shader, field)?;
            if !files.insert(shader.as_str()) {
                return Err(ManifestError::Duplicate {
                    field: field(),
                    value: shader.clone(),
                });
            }
        }

        self.check_buffers(allowance)?;

        if self.dispatches.is_empty() {
            return Err(ManifestError::Empty {
                field: "dispatches".into(),
            });
        }
        for (i, dispatch) in self.dispatches.iter().enumerate() {
            if !files.contains(dispatch.shader.as_str()) {
                return Err(ManifestError::UnknownShader {
                    field: format!("dispatches[{i}].shader"),
                    name: dispatch.shader.clone(),
                });
            }
            non_empty(&dispatch.entry_point, || {
                format!("dispatches[{i}].entry_point")
            })?;
            for (d, &count) in dispatch.workgroups.iter().enumerate() {
                let field = || format!("dispatches[{i}].workgroups[{d}]");
                if count == 0 {
                    return Err(ManifestError::Zero { field: field() });
                }
                within(
                    count.into(),
                    allowance.max_workgroups_per_dimension.into(),
                    field,
                )?;
            }
        }

        self.check_outputs()
    }

    fn check_buffers(&self, allowance: &Allowance) -> Result<(), ManifestError> {
        if self.buffers.is_empty() {
            return Err(ManifestError::Empty {
                field: "buffers".into(),
            });
        }
        let mut names = BTreeSet::new();
        let mut slots = BTreeSet::new();
        let mut total: u64 = 0;
        for (i, buffer) in self.buffers.iter().enumerate() {
            let field = |name: &str| format!("buffers[{i}].{name}");
            non_empty(&buffer.name, || field("name"))?;
            if !names.insert(buffer.name.as_str()) {
                return Err(ManifestError::Duplicate {
                    field: field("name"),
                    value: buffer.name.clone(),
                });
            }
            if buffer.group >= MAX_BIND_GROUPS {
                return Err(ManifestError::Slot {
                    field: field("group"),
                    value: buffer.group,
                    max: MAX_BIND_GROUPS - 1,
                });
            }
            if buffer.binding >= MAX_BINDINGS_PER_GROUP {
                return Err(ManifestError::Slot {
                    field: field("binding"),
                    value: buffer.binding,
                    max: MAX_BINDINGS_PER_GROUP - 1,
                });
            }
            if !slots.insert((buffer.group, buffer.binding)) {
                return Err(ManifestError::Duplicate {
                    field: field("binding"),
                    value: format!("@group({}) @binding({})", buffer.group, buffer.binding),
                });
            }
            if buffer.size == 0 || !buffer.size.is_multiple_of(4) {
                return Err(ManifestError::Size {
                    field: field("size"),
                    size: buffer.size,
                });
            }
            within(buffer.size, allowance.max_buffer_bytes, || field("size"))?;
            total = total.saturating_add(buffer.size);
            if let Initial::File(path) = &buffer.initial {
                relative_path(path, || field("initial"))?;
            }
        }
        within(total, allowance.max_total_buffer_bytes, || "buffers".into())
    }

    fn check_outputs(&self) -> Result<(), ManifestError> {
        if self.outputs.is_empty() {
            return Err(ManifestError::Empty {
                field: "outputs".into(),
            });
        }
        let mut buffers = BTreeSet::new();
        let mut files = BTreeSet::new();
        for (i, output) in self.outputs.iter().enumerate() {
            let field = |name: &str| format!("outputs[{i}].{name}");
            let Some(buffer) = self.buffer(&output.buffer) else {
                return Err(ManifestError::UnknownBuffer {
                    field: field("buffer"),
                    name: output.buffer.clone(),
                });
            };
            if !buffers.insert(output.buffer.as_str()) {
                return Err(ManifestError::Duplicate {
                    field: field("buffer"),
                    value: output.buffer.clone(),
                });
            }
            relative_path(&output.file, || field("file"))?;
            if !files.insert(output.file.as_str()) {
                return Err(ManifestError::Duplicate {
                    field: field("file"),
                    value: output.file.clone(),
                });
            }
            if let OutputFormat::Rgba8Png { width, height } = output.format {
                let image_bytes = u64::from(width) * u64::from(height) * 4;
                if image_bytes != buffer.size {
                    return Err(ManifestError::ImageSize {
                        field: field("format"),
                        width,
                        height,
                        image_bytes,
                        buffer_bytes: buffer.size,
                    });
                }
            }
        }
        Ok(())
    }

    /// The buffer named `name`.
    pub fn buffer(&self, name: &str) -> Option<&BufferSpec> {
        self.buffers.iter().find(|b| b.name == name)
    }
}

/// The result of one job, saved as [`REPORT_FILE`] in its result folder.
#[cw_serde]
pub struct JobReport {
    /// Whether it ran to the end, and why not.
    pub outcome: JobOutcome,
    /// How long each phase took.
    pub timings: JobTimings,
    /// [`output_hash`] of the outputs, when the job succeeded.
    pub output_hash: Option<HexBinary>,
    /// A deterministic job's trace root ([`crate::trace::Trace::root`]; the trace is
    /// [`crate::trace::TRACE_FILE`]), when it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_root: Option<HexBinary>,
    /// The files saved under [`OUTPUTS_DIR`], in the manifest's output order (a
    /// container job's: in byte order of their paths).
    pub outputs: Vec<OutputFile>,
    /// A container job's run (absent for a WGSL job, and for a container job whose
    /// image was refused before it ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<container::ContainerReport>,
}

impl JobReport {
    /// A report of a job that failed with `failure`, with no outputs.
    pub fn failed(failure: JobFailure, timings: JobTimings) -> Self {
        Self {
            outcome: JobOutcome::Failed(failure),
            timings,
            output_hash: None,
            trace_root: None,
            outputs: vec![],
            container: None,
        }
    }
}

/// Whether a job ran to the end.
#[cw_serde]
pub enum JobOutcome {
    /// Every dispatch ran and every output was saved.
    Succeeded,
    /// The job stopped; nothing it produced is a result.
    Failed(JobFailure),
}

/// Why a job failed.
#[cw_serde]
pub struct JobFailure {
    /// The kind of cause, for a program to act on.
    pub kind: FailureKind,
    /// The manifest field or bundle file at fault, when there is one
    /// (`buffers[2].size`, `shaders/blur.wgsl`).
    pub field: Option<String>,
    /// What happened, for a person.
    pub message: String,
}

/// The kinds of cause a job fails with.
#[cw_serde]
#[derive(Copy, Eq, Hash)]
pub enum FailureKind {
    /// The manifest cannot be read, or breaks a rule of the format, or a file it names
    /// is missing or of the wrong size.
    Manifest,
    /// A WGSL source does not parse or validate, or lacks a compute entry point.
    Shader,
    /// The shaders' bindings do not match the manifest's buffers.
    Binding,
    /// The job asks for more than the provider's [`Allowance`].
    OverAllowance,
    /// The job ran past its time limit and was stopped.
    TimedOut,
    /// The job ran out of memory (host or device).
    OutOfMemory,
    /// The executor process died (a signal, a panic).
    Crashed,
    /// The GPU could not be opened or was lost.
    Device,
    /// The bundle could not be fetched (filled in by the node when IPFS fails).
    Fetch,
    /// A container image was refused: its layout, a blob's digest or size, a layer's
    /// contents (paths out of the root, device nodes), its config.
    Image,
    /// A container's process exited with a non-zero status or was ended by a signal.
    Exited,
    /// A container job's outputs are not plain files and folders (a symlink, a FIFO),
    /// or are larger than the node returns.
    Output,
    /// The node no longer runs this kind of workload (container jobs turned off after
    /// it accepted the lease).
    Unsupported,
    /// The lease's customer stopped the job (over the lease link).
    Cancelled,
}

/// How long each phase of a job took, in milliseconds.
#[cw_serde]
#[derive(Copy, Default, Eq)]
pub struct JobTimings {
    /// Reading the bundle and checking the manifest, files and WGSL.
    pub validate_ms: u64,
    /// Creating the buffers, compiling the shaders into pipelines.
    pub compile_ms: u64,
    /// Running the dispatches.
    pub compute_ms: u64,
    /// Reading the outputs back and saving them.
    pub readback_ms: u64,
    /// From start to end, everything included (for an isolated run: the executor
    /// process's start, the device's opening and the result's writing too).
    pub total_ms: u64,
}

/// One saved output.
#[cw_serde]
pub struct OutputFile {
    /// The name it is hashed under: the buffer it holds (a container job's output:
    /// its path, as `file`).
    pub buffer: String,
    /// Its path under [`OUTPUTS_DIR`].
    pub file: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// The hash a job's results are known by: SHA-256 over each output buffer in the
/// manifest's output order, as its name's length (u32 little-endian), the name, the
/// data's length (u64 little-endian) and the data. The data is the buffer's bytes as
/// read back, whatever format the file is saved in, so two providers agree on it
/// whatever their PNG encoder does.
pub fn output_hash<'a>(buffers: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> [u8; 32] {
    let mut hasher = OutputHasher::default();
    for (name, data) in buffers {
        hasher.begin(name, data.len() as u64);
        hasher.update(data);
    }
    hasher.finish()
}

/// [`output_hash`] taken piece by piece, for outputs too large to hold in memory:
/// [`begin`](Self::begin) each output with its name and length, then
/// [`update`](Self::update) it with exactly that many bytes.
#[derive(Default)]
pub struct OutputHasher(Sha256);

impl OutputHasher {
    /// Starts the output `name` of `len` bytes.
    pub fn begin(&mut self, name: &str, len: u64) {
        // Names are far below 4 GiB; the cast cannot truncate.
        self.0.update((name.len() as u32).to_le_bytes());
        self.0.update(name.as_bytes());
        self.0.update(len.to_le_bytes());
    }

    /// Adds bytes of the current output.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The hash.
    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

#[cfg(test)]
mod tests;

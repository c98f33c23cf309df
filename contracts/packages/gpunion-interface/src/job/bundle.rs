//! A job bundle read from disk and checked all the way: the manifest and its rules,
//! every file it names (present, inside the bundle, of the right size), every WGSL
//! source parsed and validated with naga (the compiler wgpu uses), every entry point
//! present and `@compute`, and the shaders' bindings against the manifest's buffers.
//! A [`Bundle`] that loads is one an executor can run without further checks of its
//! own (the GPU may still refuse it: limits, memory).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs, io,
    path::{Path, PathBuf},
};

use naga::{
    AddressSpace, Module, ShaderStage, StorageAccess,
    proc::Layouter,
    valid::{Capabilities, ModuleInfo, ValidationFlags, Validator},
};

use super::{
    Allowance, BufferUsage, FailureKind, Initial, JobFailure, MANIFEST_FILE, Manifest,
    ManifestError, determinism,
};

/// Why a bundle cannot be run. Each names the manifest field (a JSON path such as
/// `buffers[2].initial`) or the bundle file at fault.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The manifest is not valid JSON for [`Manifest`] (a missing field, a wrong type).
    #[error("{MANIFEST_FILE}: {field}: {message}")]
    Parse {
        /// The JSON path of the field at fault (`.` for the whole document).
        field: String,
        /// What serde said.
        message: String,
    },
    /// The manifest breaks a rule of the format or the allowance.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// A file the manifest names (or the manifest itself) is not in the bundle.
    #[error("{field}: {file} is not in the bundle")]
    MissingFile {
        /// The field naming it (`manifest` for the manifest itself).
        field: String,
        /// The file.
        file: String,
    },
    /// A file could not be read (not UTF-8 WGSL, a permission, a disk error), or
    /// resolves to a place outside the bundle (a symbolic link out of it).
    #[error("{field}: reading {file}: {message}")]
    Read {
        /// The field naming it.
        field: String,
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The bundle's files together are larger than the allowance.
    #[error("bundle: {bytes} bytes is over the allowance of {limit}")]
    TooLarge {
        /// The bundle's size, counted until it went over.
        bytes: u64,
        /// [`Allowance::max_bundle_bytes`].
        limit: u64,
    },
    /// An initial-contents file is not exactly its buffer's size.
    #[error("{field}: {file} has {found} bytes, the buffer {expected}")]
    ContentsSize {
        /// The buffer's `initial` field.
        field: String,
        /// The file.
        file: String,
        /// The buffer's size.
        expected: u64,
        /// The file's size.
        found: u64,
    },
    /// A WGSL source does not parse.
    #[error("{file}: WGSL does not parse:\n{message}")]
    Wgsl {
        /// The source file.
        file: String,
        /// naga's diagnostic, with the source lines at fault.
        message: String,
    },
    /// A WGSL source parses but does not validate.
    #[error("{file}: WGSL does not validate:\n{message}")]
    Invalid {
        /// The source file.
        file: String,
        /// naga's diagnostic, with the source lines at fault.
        message: String,
    },
    /// The manifest declares the job deterministic, and a shader computes with what
    /// gives different results on different adapters ([`super::determinism`]).
    #[error("{file}: not deterministic: {reason}")]
    NotDeterministic {
        /// The source file.
        file: String,
        /// What it uses.
        reason: String,
    },
    /// A dispatch's entry point is not in its shader.
    #[error("{field}: {file} has no entry point {entry_point:?}")]
    NoEntryPoint {
        /// The dispatch's `entry_point` field.
        field: String,
        /// The shader file.
        file: String,
        /// The name asked for.
        entry_point: String,
    },
    /// A dispatch's entry point is a vertex, fragment or other non-compute stage.
    #[error("{field}: {entry_point:?} in {file} is a {stage} entry point, not @compute")]
    NotCompute {
        /// The dispatch's `entry_point` field.
        field: String,
        /// The shader file.
        file: String,
        /// The entry point.
        entry_point: String,
        /// Its stage.
        stage: String,
    },
    /// A buffer's slot is declared in no shader.
    #[error("{field}: no shader declares @group({group}) @binding({binding})")]
    Unbound {
        /// The buffer (`buffers[1]`).
        field: String,
        /// Its group.
        group: u32,
        /// Its binding.
        binding: u32,
    },
    /// A shader declares a buffer's slot with another address space or access mode.
    #[error(
        "{field}: {file} declares @group({group}) @binding({binding}) as {found}, the manifest says {expected:?}"
    )]
    UsageMismatch {
        /// The buffer's `usage` field.
        field: String,
        /// The shader file.
        file: String,
        /// Its group.
        group: u32,
        /// Its binding.
        binding: u32,
        /// The manifest's usage.
        expected: BufferUsage,
        /// What the shader declares (`var<storage, read_write>`, a texture…).
        found: String,
    },
    /// A shader's type at a buffer's slot needs more bytes than the buffer has.
    #[error(
        "{field}: {file} binds {needed} bytes at least at @group({group}) @binding({binding}), the buffer has {size}"
    )]
    TooSmall {
        /// The buffer's `size` field.
        field: String,
        /// The shader file.
        file: String,
        /// Its group.
        group: u32,
        /// Its binding.
        binding: u32,
        /// The buffer's size.
        size: u64,
        /// The smallest size the WGSL type fits in.
        needed: u64,
    },
    /// An entry point a dispatch runs uses a resource the manifest does not declare.
    #[error(
        "{field}: {entry_point:?} in {file} uses @group({group}) @binding({binding}), which no manifest buffer is bound to"
    )]
    Undeclared {
        /// The dispatch (`dispatches[0]`).
        field: String,
        /// The shader file.
        file: String,
        /// The entry point.
        entry_point: String,
        /// The resource's group.
        group: u32,
        /// The resource's binding.
        binding: u32,
    },
}

impl BundleError {
    /// The kind of failure a job with this bundle ends in.
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::Parse { .. }
            | Self::MissingFile { .. }
            | Self::Read { .. }
            | Self::ContentsSize { .. } => FailureKind::Manifest,
            Self::Manifest(error) => error.kind(),
            Self::TooLarge { .. } => FailureKind::OverAllowance,
            Self::Wgsl { .. }
            | Self::Invalid { .. }
            | Self::NotDeterministic { .. }
            | Self::NoEntryPoint { .. }
            | Self::NotCompute { .. } => FailureKind::Shader,
            Self::Unbound { .. }
            | Self::UsageMismatch { .. }
            | Self::TooSmall { .. }
            | Self::Undeclared { .. } => FailureKind::Binding,
        }
    }

    /// The manifest field (or, for WGSL errors, the file) at fault.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Manifest(error) => Some(error.field()),
            Self::TooLarge { .. } => None,
            Self::Wgsl { file, .. }
            | Self::Invalid { file, .. }
            | Self::NotDeterministic { file, .. } => Some(file),
            Self::Parse { field, .. }
            | Self::MissingFile { field, .. }
            | Self::Read { field, .. }
            | Self::ContentsSize { field, .. }
            | Self::NoEntryPoint { field, .. }
            | Self::NotCompute { field, .. }
            | Self::Unbound { field, .. }
            | Self::UsageMismatch { field, .. }
            | Self::TooSmall { field, .. }
            | Self::Undeclared { field, .. } => Some(field),
        }
    }

    /// This error as a job's failure.
    pub fn failure(&self) -> JobFailure {
        JobFailure {
            kind: self.kind(),
            field: self.field().map(str::to_owned),
            message: self.to_string(),
        }
    }
}

/// One WGSL source of a bundle, parsed and validated.
#[derive(Debug)]
pub struct Shader {
    /// Its path in the bundle, as the manifest names it.
    pub file: String,
    /// The WGSL text.
    pub source: String,
    /// naga's module (what the checks were made on).
    pub module: Module,
    /// naga's validation of it (which globals each entry point uses).
    pub info: ModuleInfo,
}

/// A checked job bundle, in memory: what an executor runs.
#[derive(Debug)]
pub struct Bundle {
    root: PathBuf,
    manifest: Manifest,
    shaders: Vec<Shader>,
    initial: Vec<Option<Vec<u8>>>,
}

impl Bundle {
    /// Reads the bundle in `dir` and checks everything short of running it: the
    /// manifest (JSON, then [`Manifest::check`] against `allowance`), the bundle's size,
    /// every file it names, the WGSL, the entry points and the bindings (see the
    /// module's docs). The first problem is returned.
    pub fn load(dir: &Path, allowance: &Allowance) -> Result<Bundle, BundleError> {
        let root = dir
            .canonicalize()
            .map_err(|e| read_error("bundle", &dir.display().to_string(), &e))?;
        bundle_size(&root, allowance.max_bundle_bytes)?;
        let text = read_text(&root, MANIFEST_FILE, "manifest")?;
        let manifest = parse_manifest(&text)?;
        manifest.check(allowance)?;

        let mut shaders = Vec::with_capacity(manifest.shaders.len());
        for (i, file) in manifest.shaders.iter().enumerate() {
            let source = read_text(&root, file, &format!("shaders[{i}]"))?;
            let (module, info) = compile(file, &source)?;
            if manifest.deterministic
                && let Some(reason) = determinism::refusal(&module, &info)
            {
                return Err(BundleError::NotDeterministic {
                    file: file.clone(),
                    reason,
                });
            }
            shaders.push(Shader {
                file: file.clone(),
                source,
                module,
                info,
            });
        }

        let mut initial = Vec::with_capacity(manifest.buffers.len());
        for (i, buffer) in manifest.buffers.iter().enumerate() {
            initial.push(match &buffer.initial {
                Initial::Zeros => None,
                Initial::File(file) => {
                    let field = format!("buffers[{i}].initial");
                    let bytes = read_bytes(&root, file, &field)?;
                    if bytes.len() as u64 != buffer.size {
                        return Err(BundleError::ContentsSize {
                            field,
                            file: file.clone(),
                            expected: buffer.size,
                            found: bytes.len() as u64,
                        });
                    }
                    Some(bytes)
                }
            });
        }

        let bundle = Self {
            root,
            manifest,
            shaders,
            initial,
        };
        bundle.check_entry_points()?;
        bundle.check_bindings()?;
        Ok(bundle)
    }

    /// The bundle's folder (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The WGSL sources, in the manifest's `shaders` order.
    pub fn shaders(&self) -> &[Shader] {
        &self.shaders
    }

    /// The shader of file `file`.
    pub fn shader(&self, file: &str) -> Option<&Shader> {
        self.shaders.iter().find(|s| s.file == file)
    }

    /// The initial contents of the `index`th buffer of the manifest: `None` for
    /// zeros, else exactly its size in bytes.
    pub fn initial(&self, index: usize) -> Option<&[u8]> {
        self.initial.get(index)?.as_deref()
    }

    fn shader_of(&self, file: &str) -> &Shader {
        // Manifest::check made every dispatch's shader one of `shaders`, all loaded.
        self.shader(file)
            .expect("a checked dispatch names a loaded shader")
    }

    fn check_entry_points(&self) -> Result<(), BundleError> {
        for (i, dispatch) in self.manifest.dispatches.iter().enumerate() {
            let shader = self.shader_of(&dispatch.shader);
            let field = format!("dispatches[{i}].entry_point");
            let Some(entry) = shader
                .module
                .entry_points
                .iter()
                .find(|e| e.name == dispatch.entry_point)
            else {
                return Err(BundleError::NoEntryPoint {
                    field,
                    file: shader.file.clone(),
                    entry_point: dispatch.entry_point.clone(),
                });
            };
            if entry.stage != ShaderStage::Compute {
                return Err(BundleError::NotCompute {
                    field,
                    file: shader.file.clone(),
                    entry_point: dispatch.entry_point.clone(),
                    stage: format!("{:?}", entry.stage).to_lowercase(),
                });
            }
        }
        Ok(())
    }

    /// Every manifest buffer is declared, as the manifest says, by every shader that
    /// declares its slot, and by one at least; every resource an entry point that runs
    /// uses is a manifest buffer.
    fn check_bindings(&self) -> Result<(), BundleError> {
        let slots: BTreeMap<(u32, u32), usize> = self
            .manifest
            .buffers
            .iter()
            .enumerate()
            .map(|(i, b)| ((b.group, b.binding), i))
            .collect();
        let mut declared = BTreeSet::new();
        for shader in &self.shaders {
            let module = &shader.module;
            let mut layouter = Layouter::default();
            // The module validated, so its types have a layout.
            let layouts = layouter.update(module.to_ctx()).is_ok();
            for (_, global) in module.global_variables.iter() {
                let Some(slot) = &global.binding else {
                    continue;
                };
                let Some(&index) = slots.get(&(slot.group, slot.binding)) else {
                    continue;
                };
                declared.insert(index);
                let buffer = &self.manifest.buffers[index];
                let found = match global.space {
                    AddressSpace::Uniform => Some(BufferUsage::Uniform),
                    AddressSpace::Storage { access } if access.contains(StorageAccess::STORE) => {
                        Some(BufferUsage::StorageReadWrite)
                    }
                    AddressSpace::Storage { .. } => Some(BufferUsage::StorageRead),
                    _ => None,
                };
                if found != Some(buffer.usage) {
                    return Err(BundleError::UsageMismatch {
                        field: format!("buffers[{index}].usage"),
                        file: shader.file.clone(),
                        group: slot.group,
                        binding: slot.binding,
                        expected: buffer.usage,
                        found: declaration(global.space),
                    });
                }
                if layouts {
                    let needed = u64::from(layouter[global.ty].size);
                    if needed > buffer.size {
                        return Err(BundleError::TooSmall {
                            field: format!("buffers[{index}].size"),
                            file: shader.file.clone(),
                            group: slot.group,
                            binding: slot.binding,
                            size: buffer.size,
                            needed,
                        });
                    }
                }
            }
        }
        if let Some((index, buffer)) = self
            .manifest
            .buffers
            .iter()
            .enumerate()
            .find(|(i, _)| !declared.contains(i))
        {
            return Err(BundleError::Unbound {
                field: format!("buffers[{index}]"),
                group: buffer.group,
                binding: buffer.binding,
            });
        }

        for (i, dispatch) in self.manifest.dispatches.iter().enumerate() {
            let shader = self.shader_of(&dispatch.shader);
            let (index, _) = shader
                .module
                .entry_points
                .iter()
                .enumerate()
                .find(|(_, e)| e.name == dispatch.entry_point)
                .expect("check_entry_points found it");
            let uses = shader.info.get_entry_point(index);
            for (handle, global) in shader.module.global_variables.iter() {
                let Some(slot) = &global.binding else {
                    continue;
                };
                if !uses[handle].is_empty() && !slots.contains_key(&(slot.group, slot.binding)) {
                    return Err(BundleError::Undeclared {
                        field: format!("dispatches[{i}]"),
                        file: shader.file.clone(),
                        entry_point: dispatch.entry_point.clone(),
                        group: slot.group,
                        binding: slot.binding,
                    });
                }
            }
        }
        Ok(())
    }
}

/// How WGSL declares a global of `space`, for messages.
fn declaration(space: AddressSpace) -> String {
    match space {
        AddressSpace::Uniform => "var<uniform>".into(),
        AddressSpace::Storage { access } if access.contains(StorageAccess::STORE) => {
            "var<storage, read_write>".into()
        }
        AddressSpace::Storage { .. } => "var<storage, read>".into(),
        AddressSpace::Handle => "a texture or sampler".into(),
        other => format!("{other:?}"),
    }
}

/// Parses `text` as a [`Manifest`], naming the JSON path of the field at fault.
fn parse_manifest(text: &str) -> Result<Manifest, BundleError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        BundleError::Parse {
            field,
            message: error.into_inner().to_string(),
        }
    })
}

/// The parsed module of `source`, and its validation.
fn compile(file: &str, source: &str) -> Result<(Module, ModuleInfo), BundleError> {
    let module = naga::front::wgsl::parse_str(source).map_err(|e| BundleError::Wgsl {
        file: file.to_owned(),
        message: e.emit_to_string_with_path(source, file),
    })?;
    let info = validate(file, source, &module)?;
    Ok((module, info))
}

/// naga's validation of `module` (from `source`), with the portable capabilities of
/// WebGPU (no extensions): a bundle runs on any provider's adapter.
fn validate(file: &str, source: &str, module: &Module) -> Result<ModuleInfo, BundleError> {
    Validator::new(ValidationFlags::all(), Capabilities::default())
        .validate(module)
        .map_err(|e| BundleError::Invalid {
            file: file.to_owned(),
            message: e.emit_to_string_with_path(source, file),
        })
}

/// `file` (a checked relative path) resolved in `root`, refusing what a symbolic link
/// would take outside it.
fn resolve(root: &Path, file: &str, field: &str) -> Result<PathBuf, BundleError> {
    let path = root.join(file).canonicalize().map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            BundleError::MissingFile {
                field: field.to_owned(),
                file: file.to_owned(),
            }
        } else {
            read_error(field, file, &e)
        }
    })?;
    if !path.starts_with(root) {
        return Err(BundleError::Read {
            field: field.to_owned(),
            file: file.to_owned(),
            message: "it leads outside the bundle".into(),
        });
    }
    Ok(path)
}

fn read_error(field: &str, file: &str, error: &io::Error) -> BundleError {
    BundleError::Read {
        field: field.to_owned(),
        file: file.to_owned(),
        message: error.to_string(),
    }
}

fn read_bytes(root: &Path, file: &str, field: &str) -> Result<Vec<u8>, BundleError> {
    let path = resolve(root, file, field)?;
    fs::read(path).map_err(|e| read_error(field, file, &e))
}

fn read_text(root: &Path, file: &str, field: &str) -> Result<String, BundleError> {
    let bytes = read_bytes(root, file, field)?;
    String::from_utf8(bytes).map_err(|e| BundleError::Read {
        field: field.to_owned(),
        file: file.to_owned(),
        message: format!("not UTF-8 text: {e}"),
    })
}

/// `Err(TooLarge)` if the regular files under `root` (symbolic links not followed)
/// add up to more than `limit` bytes.
fn bundle_size(root: &Path, limit: u64) -> Result<u64, BundleError> {
    let mut total = 0u64;
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(&folder)
            .map_err(|e| read_error("bundle", &folder.display().to_string(), &e))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| read_error("bundle", &folder.display().to_string(), &e))?;
            let meta = entry
                .metadata()
                .map_err(|e| read_error("bundle", &entry.path().display().to_string(), &e))?;
            if meta.is_dir() {
                folders.push(entry.path());
            } else if meta.is_file() {
                total = total.saturating_add(meta.len());
                if total > limit {
                    return Err(BundleError::TooLarge {
                        bytes: total,
                        limit,
                    });
                }
            }
        }
    }
    Ok(total)
}

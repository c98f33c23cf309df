//! NVIDIA GPUs for a container, as the NVIDIA container toolkit (libnvidia-container)
//! passes them: the driver's device nodes found under `/dev` (the ones a lease's slot
//! chooses, with the control nodes), and the driver's user-space files
//! ([`DriverFiles`]): `libcuda.so`, `libnvidia-ml.so` and the rest of the compute,
//! utility and Vulkan libraries at the version the kernel module matches, the tools
//! (`nvidia-smi`), and the Vulkan ICD file. An image brings its own CUDA toolkit and
//! runtime, never the driver: the driver must match the host's kernel module.
//!
//! The files are bind-mounted read-only under [`DRIVER_LIB_DIR`] and
//! [`DRIVER_BIN_DIR`] (each library under every name the host gives it: its file name
//! and its soname links), which `LD_LIBRARY_PATH` and `PATH` then name: the layout
//! the `nvidia/cuda` images expect, and independent of the image's own library
//! folders (the toolkit instead writes into them and runs the image's `ldconfig`).
//!
//! Where there is no NVIDIA driver there are no nodes and no files, and the container
//! gets none.

use std::{
    fs, io,
    os::unix::fs::{FileTypeExt as _, MetadataExt as _},
    path::{Path, PathBuf},
};

/// The driver's nodes every GPU container needs (those present are passed).
const CONTROL_NODES: &[&str] = &[
    "nvidiactl",
    "nvidia-uvm",
    "nvidia-uvm-tools",
    "nvidia-modeset",
];

/// Where the driver's libraries are mounted in a GPU container.
pub const DRIVER_LIB_DIR: &str = "/usr/local/nvidia/lib64";
/// Where the driver's tools are mounted in a GPU container.
pub const DRIVER_BIN_DIR: &str = "/usr/local/nvidia/bin";
/// Where the Vulkan loader finds the driver's ICD file in a GPU container.
pub const VULKAN_ICD: &str = "/etc/vulkan/icd.d/nvidia_icd.json";

/// The driver's libraries, by the start of their names (libnvidia-container's
/// compute, utility and graphics lists).
const DRIVER_LIBRARIES: &[&str] = &[
    "libcuda.so",
    "libcudadebugger.so",
    "libnvidia-ml.so",
    "libnvidia-ptxjitcompiler.so",
    "libnvidia-nvvm.so",
    "libnvidia-cfg.so",
    "libnvidia-opencl.so",
    "libnvidia-gpucomp.so",
    "libnvidia-allocator.so",
    "libnvidia-glcore.so",
    "libnvidia-glvkspirv.so",
    "libnvidia-tls.so",
    "libnvidia-glsi.so",
    "libnvidia-rtcore.so",
    "libnvidia-eglcore.so",
    "libnvoptix.so",
    "libGLX_nvidia.so",
    "libEGL_nvidia.so",
    "libGLESv2_nvidia.so",
];
/// The driver's tools.
const DRIVER_TOOLS: &[&str] = &["nvidia-smi", "nvidia-debugdump"];
/// Where distributions put the driver's libraries, below the host's root.
const LIBRARY_DIRS: &[&str] = &[
    "usr/lib/x86_64-linux-gnu",
    "usr/lib64",
    "usr/lib",
    "lib/x86_64-linux-gnu",
    "lib64",
];
/// Where they put its tools.
const TOOL_DIRS: &[&str] = &["usr/bin", "usr/local/bin"];
/// Where they put its Vulkan ICD file.
const ICD_FILES: &[&str] = &[
    "usr/share/vulkan/icd.d/nvidia_icd.json",
    "etc/vulkan/icd.d/nvidia_icd.json",
];

/// One host file bind-mounted read-only into a GPU container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriverFile {
    /// The file on the host (symlinks resolved).
    pub host: PathBuf,
    /// Where it appears in the container.
    pub container: PathBuf,
}

/// The NVIDIA driver's user-space files a GPU container gets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DriverFiles {
    /// Each file and where it goes, libraries first.
    pub files: Vec<DriverFile>,
}

impl DriverFiles {
    /// The driver's files on the machine whose root is `host_root` (`/`; a test's
    /// folder in tests). Each library name found in [`LIBRARY_DIRS`] (a file or a
    /// link to one, the first folder that has the name wins) goes under
    /// [`DRIVER_LIB_DIR`] by that name, each tool under [`DRIVER_BIN_DIR`], the first
    /// ICD file at [`VULKAN_ICD`]. Nothing found: no files (a machine without the
    /// driver).
    pub fn discover(host_root: &Path) -> io::Result<DriverFiles> {
        let mut files = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for dir in LIBRARY_DIRS {
            let dir = host_root.join(dir);
            let mut names: Vec<String> = match fs::read_dir(&dir) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| DRIVER_LIBRARIES.iter().any(|l| is_library(n, l)))
                    .collect(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            names.sort();
            for name in names {
                if seen.contains(&name) {
                    continue;
                }
                if let Some(host) = regular_file(&dir.join(&name))? {
                    files.push(DriverFile {
                        host,
                        container: Path::new(DRIVER_LIB_DIR).join(&name),
                    });
                    seen.insert(name);
                }
            }
        }
        for tool in DRIVER_TOOLS {
            for dir in TOOL_DIRS {
                if let Some(host) = regular_file(&host_root.join(dir).join(tool))? {
                    files.push(DriverFile {
                        host,
                        container: Path::new(DRIVER_BIN_DIR).join(tool),
                    });
                    break;
                }
            }
        }
        for icd in ICD_FILES {
            if let Some(host) = regular_file(&host_root.join(icd))? {
                files.push(DriverFile {
                    host,
                    container: PathBuf::from(VULKAN_ICD),
                });
                break;
            }
        }
        Ok(DriverFiles { files })
    }
}

/// Whether `name` is the library `prefix` (`libcuda.so`) or a version of it
/// (`libcuda.so.1`, `libcuda.so.550.54.15`), not another library that starts alike.
fn is_library(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// `path` with its symlinks resolved, when that is a regular file.
fn regular_file(path: &Path) -> io::Result<Option<PathBuf>> {
    match fs::canonicalize(path) {
        Ok(real) if fs::metadata(&real)?.is_file() => Ok(Some(real)),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A character device to create in the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceNode {
    /// Its path on the host, and in the container.
    pub path: PathBuf,
    /// Its major number.
    pub major: u64,
    /// Its minor number.
    pub minor: u64,
}

/// The NVIDIA device nodes of a machine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NvidiaDevices {
    /// `nvidia<N>`, by N.
    pub gpus: Vec<(u32, DeviceNode)>,
    /// `nvidiactl`, `nvidia-uvm`, ...
    pub control: Vec<DeviceNode>,
}

impl NvidiaDevices {
    /// The character devices named like NVIDIA's driver's under `dev` (normally
    /// `/dev`); anything else of those names (a file, a link) is ignored.
    pub fn discover(dev: &Path) -> io::Result<NvidiaDevices> {
        let mut found = NvidiaDevices::default();
        let entries = match fs::read_dir(dev) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let meta = fs::symlink_metadata(entry.path())?;
            if !meta.file_type().is_char_device() {
                continue;
            }
            let rdev = meta.rdev();
            let node = DeviceNode {
                path: Path::new("/dev").join(&name),
                major: libc::major(rdev).into(),
                minor: libc::minor(rdev).into(),
            };
            if let Some(index) = name
                .strip_prefix("nvidia")
                .and_then(|n| n.parse::<u32>().ok())
            {
                found.gpus.push((index, node));
            } else if CONTROL_NODES.contains(&name.as_str()) {
                found.control.push(node);
            }
        }
        found.gpus.sort_by_key(|(index, _)| *index);
        found.control.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(found)
    }

    /// The nodes for the GPUs numbered `slots` (with the control nodes), or `None`
    /// if one of them is not here. No slots: no devices at all.
    pub fn for_slots(&self, slots: &[u32]) -> Option<Vec<DeviceNode>> {
        if slots.is_empty() {
            return Some(Vec::new());
        }
        let mut nodes = self.control.clone();
        for slot in slots {
            let (_, node) = self.gpus.iter().find(|(index, _)| index == slot)?;
            nodes.push(node.clone());
        }
        Some(nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn driver_files_are_found_under_every_name_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let lib = root.path().join("usr/lib/x86_64-linux-gnu");
        fs::create_dir_all(&lib).unwrap();
        fs::write(lib.join("libcuda.so.550.54.15"), "cuda").unwrap();
        symlink("libcuda.so.550.54.15", lib.join("libcuda.so.1")).unwrap();
        symlink("libcuda.so.1", lib.join("libcuda.so")).unwrap();
        fs::write(lib.join("libnvidia-ml.so.550.54.15"), "nvml").unwrap();
        // Not the driver's: a library whose name only starts alike, a dangling link.
        fs::write(lib.join("libcudart.so.12"), "runtime").unwrap();
        symlink("missing", lib.join("libnvidia-cfg.so.1")).unwrap();
        let bin = root.path().join("usr/bin");
        fs::create_dir_all(&bin).unwrap();
        fs::write(bin.join("nvidia-smi"), "smi").unwrap();
        let icd = root.path().join("usr/share/vulkan/icd.d");
        fs::create_dir_all(&icd).unwrap();
        fs::write(icd.join("nvidia_icd.json"), "{}").unwrap();

        let found = DriverFiles::discover(root.path()).unwrap();
        let real = fs::canonicalize(&lib).unwrap();
        let pairs: Vec<(String, String)> = found
            .files
            .iter()
            .map(|f| {
                (
                    f.container.display().to_string(),
                    f.host
                        .strip_prefix(&real)
                        .or_else(|_| f.host.strip_prefix(fs::canonicalize(root.path()).unwrap()))
                        .unwrap()
                        .display()
                        .to_string(),
                )
            })
            .collect();
        let expected = [
            ("/usr/local/nvidia/lib64/libcuda.so", "libcuda.so.550.54.15"),
            (
                "/usr/local/nvidia/lib64/libcuda.so.1",
                "libcuda.so.550.54.15",
            ),
            (
                "/usr/local/nvidia/lib64/libcuda.so.550.54.15",
                "libcuda.so.550.54.15",
            ),
            (
                "/usr/local/nvidia/lib64/libnvidia-ml.so.550.54.15",
                "libnvidia-ml.so.550.54.15",
            ),
            ("/usr/local/nvidia/bin/nvidia-smi", "usr/bin/nvidia-smi"),
            (
                "/etc/vulkan/icd.d/nvidia_icd.json",
                "usr/share/vulkan/icd.d/nvidia_icd.json",
            ),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn a_machine_without_the_driver_has_no_driver_files() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(
            DriverFiles::discover(root.path()).unwrap(),
            DriverFiles::default()
        );
    }
}

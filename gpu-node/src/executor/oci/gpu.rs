//! NVIDIA GPUs for a container: the driver's device nodes found under `/dev`, and
//! the ones a lease's slots choose. What the NVIDIA container toolkit does besides
//! (bind-mounting the driver's user-space libraries, `libcuda.so` and friends, at the
//! versions the kernel module matches) is not built yet: a container gets the
//! devices but must bring a CUDA user space that matches the host's driver.
//!
//! Where there is no NVIDIA driver there are no nodes, and the container gets none.

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

//! The job's `/output`: a tmpfs of the node's output limit, mounted on the host inside
//! the container's bundle folder and owned by the job's user, then bind-mounted into
//! the container. A job that writes more gets `ENOSPC` instead of filling the node's
//! disk, and its pages count against the container's memory cgroup (the process that
//! writes them is charged). When the container is gone, what it left is checked (only
//! plain files and folders, [`folder_outputs`]) and copied to the result folder; the
//! tmpfs is unmounted when its guard is dropped, on every path.

use std::ffi::CString;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use gpunion_interface::job::OutputFile;
use gpunion_interface::job::result::folder_outputs;

/// What a job left in its output, as copied to the result folder: its files listed
/// and hashed ([`folder_outputs`]), or why none were kept.
pub type KeptOutputs = Result<(Vec<OutputFile>, [u8; 32]), String>;

/// The tmpfs's folder in the bundle.
pub const OUTPUT_FS_DIR: &str = "output";
/// The most files and folders a job's output may hold.
const MAX_OUTPUT_INODES: u64 = 65_536;

/// A mounted output tmpfs; unmounted when dropped.
#[derive(Debug)]
pub struct OutputFs {
    path: PathBuf,
}

fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)
}

impl OutputFs {
    /// Makes `path` and mounts there a tmpfs of `bytes` (at least a page), owned by
    /// `uid:gid`, mode 0755, without setuid files or devices.
    pub fn mount(path: &Path, bytes: u64, uid: u32, gid: u32) -> io::Result<OutputFs> {
        fs::create_dir(path)?;
        let target = c_path(path)?;
        let data = CString::new(format!(
            "size={},nr_inodes={MAX_OUTPUT_INODES},mode=0755,uid={uid},gid={gid}",
            bytes.max(4096)
        ))
        .map_err(io::Error::other)?;
        // SAFETY: every pointer is a NUL-terminated string that outlives the call.
        let rc = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV,
                data.as_ptr().cast(),
            )
        };
        if rc != 0 {
            let error = io::Error::last_os_error();
            let _ = fs::remove_dir(path);
            return Err(error);
        }
        Ok(OutputFs {
            path: path.to_owned(),
        })
    }

    /// The mounted folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Copies what the job left into `dest` (made) when it is only plain files and
    /// folders within `max_bytes`, and lists and hashes it; else says why, and copies
    /// nothing. (The container is gone: the files no longer change.)
    pub fn persist(&self, dest: &Path, max_bytes: u64) -> io::Result<KeptOutputs> {
        let kept = folder_outputs(&self.path, max_bytes).map_err(|e| e.to_string());
        if kept.is_ok() {
            copy_tree(&self.path, dest)?;
        }
        Ok(kept)
    }
}

impl Drop for OutputFs {
    fn drop(&mut self) {
        let _ = unmount(&self.path);
    }
}

/// Unmounts the output tmpfs in the bundle folder `bundle`, if one is mounted there
/// (what a node that died mid-job left).
pub fn unmount_leftover(bundle: &Path) -> io::Result<()> {
    match unmount(&bundle.join(OUTPUT_FS_DIR)) {
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) || e.kind() == io::ErrorKind::NotFound => {
            Ok(())
        }
        other => other,
    }
}

fn unmount(path: &Path) -> io::Result<()> {
    let target = c_path(path)?;
    // SAFETY: a NUL-terminated path that outlives the call.
    if unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Copies the folder `from` (plain files and folders only: checked before) to `to`.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

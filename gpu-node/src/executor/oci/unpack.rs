//! The layers of a [`VerifiedImage`] applied, lowest first, into a fresh root
//! filesystem, by this node itself (no `umoci`, no Docker), with the OCI rules for
//! whiteouts (`.wh.<name>` removes `<name>` of the layers below, `.wh..wh..opq` empties
//! its folder of them).
//!
//! What a layer is not allowed to do, and what happens instead:
//! - an entry named with `..` or an absolute path: refused ([`UnpackError::UnsafePath`]);
//! - a relative symlink that climbs out of the root (`../../etc`), a hard link to
//!   anything outside the root or to anything but a regular file: refused
//!   ([`UnpackError::LinkOutsideRoot`]). An absolute symlink (`/bin/sh -> /bin/busybox`)
//!   is kept: inside the container it means the image's own root;
//! - writing through a symlink: never done on the host's terms. Every folder on an
//!   entry's way is resolved inside the root, the way the container will see it (an
//!   absolute target restarts at the root, `..` stops at it), so a layer that plants
//!   `evil -> /etc` and then writes `evil/passwd` writes `<root>/etc/passwd`; the last
//!   component is never followed (an existing symlink there is replaced, and files are
//!   created with `O_NOFOLLOW | O_EXCL`);
//! - device nodes and FIFOs: refused ([`UnpackError::SpecialFile`]); the container's
//!   `/dev` is runc's;
//! - setuid, setgid and sticky bits: stripped (permissions are `mode & 0o777`). The
//!   container runs as a non-root user with `no_new_privileges` anyway, so they could
//!   not raise anything; stripping keeps the images that carry them (busybox's, many
//!   distributions') usable. Owners are not kept either: everything belongs to the
//!   node's user (root), readable as the image's modes say, and the root is read-only.
//!
//! Every layer's uncompressed tar is hashed while it is read and must match the
//! config's `diff_id`; file bytes and entries are capped by [`ImageLimits`], and the
//! uncompressed tar itself (headers, padding, anything after the archive's end) at
//! twice the file bytes plus 1 KiB an entry, so a decompression bomb is cut off.

use std::{
    collections::{HashSet, VecDeque},
    ffi::{OsStr, OsString},
    fs::{self, File},
    io::{self, Read},
    os::unix::{
        ffi::OsStrExt as _,
        fs::{OpenOptionsExt as _, PermissionsExt as _},
    },
    path::{Path, PathBuf},
};

use sha2::{Digest as _, Sha256};
use tar::EntryType;

use super::image::{Compression, ImageLimits, Layer, VerifiedImage};

/// The prefix of a whiteout entry's name.
const WHITEOUT_PREFIX: &str = ".wh.";
/// The name of an opaque-folder whiteout.
const OPAQUE_WHITEOUT: &str = ".wh..wh..opq";
/// Symlinks followed while resolving one path, as Linux's own limit (`ELOOP`).
const MAX_SYMLINK_FOLLOWS: u32 = 40;

/// What unpacking wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnpackStats {
    /// Entries applied (whiteouts included).
    pub entries: u64,
    /// Bytes of regular files written.
    pub file_bytes: u64,
    /// Bytes of uncompressed tar read.
    pub tar_bytes: u64,
}

/// Why a layer could not be applied. `layer` is its index, lowest first.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The layer's archive could not be read (corrupt compression or tar).
    #[error("layer {layer}: cannot read its archive: {source}")]
    Archive {
        /// The layer.
        layer: usize,
        /// What the decoder or tar reader said.
        source: io::Error,
    },
    /// The root filesystem could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// An entry's name is absolute or climbs with `..`.
    #[error("layer {layer}: entry {entry:?} is outside the root (absolute or `..`)")]
    UnsafePath {
        /// The layer.
        layer: usize,
        /// The entry's name.
        entry: String,
    },
    /// A link points outside the root, or a hard link at something that is not a
    /// regular file of the image.
    #[error("layer {layer}: link {entry:?} -> {target:?} points outside the root")]
    LinkOutsideRoot {
        /// The layer.
        layer: usize,
        /// The link's name.
        entry: String,
        /// Where it points.
        target: String,
    },
    /// A device node, FIFO or other special file.
    #[error("layer {layer}: entry {entry:?} is a {kind}, which images may not carry")]
    SpecialFile {
        /// The layer.
        layer: usize,
        /// The entry's name.
        entry: String,
        /// What it is.
        kind: &'static str,
    },
    /// A path needs a folder where a layer put something else.
    #[error("layer {layer}: entry {entry:?} needs a folder where there is a file")]
    NotAFolder {
        /// The layer.
        layer: usize,
        /// The entry's name.
        entry: String,
    },
    /// Resolving an entry's path followed too many symlinks.
    #[error("layer {layer}: entry {entry:?} goes through more than {MAX_SYMLINK_FOLLOWS} symlinks")]
    SymlinkLoop {
        /// The layer.
        layer: usize,
        /// The entry's name.
        entry: String,
    },
    /// The uncompressed tar does not hash to the config's `diff_id`.
    #[error("layer {layer}: its uncompressed tar hashes to sha256:{actual}, not {expected}")]
    DiffIdMismatch {
        /// The layer.
        layer: usize,
        /// The config's `diff_id`.
        expected: String,
        /// What was read.
        actual: String,
    },
    /// The layers write more bytes or entries than the limits allow.
    #[error("the unpacked image is over the limit of {limit} {what}")]
    TooLarge {
        /// `bytes` or `entries`.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
}

/// Applies `image`'s layers into `rootfs`, which must not exist yet (it is made
/// here). After an error it holds part of the image; the caller removes it.
pub fn unpack(
    image: &VerifiedImage,
    rootfs: &Path,
    limits: &ImageLimits,
) -> Result<UnpackStats, UnpackError> {
    fs::create_dir(rootfs).map_err(write_error(rootfs))?;
    fs::set_permissions(rootfs, fs::Permissions::from_mode(0o755)).map_err(write_error(rootfs))?;
    let mut unpacker = Unpacker {
        root: rootfs.to_owned(),
        limits: *limits,
        stats: UnpackStats::default(),
        layer: 0,
        written: HashSet::new(),
    };
    for (index, layer) in image.layers.iter().enumerate() {
        unpacker.layer = index;
        unpacker.written.clear();
        unpacker.apply(layer)?;
    }
    Ok(unpacker.stats)
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> UnpackError + '_ {
    move |source| UnpackError::Write {
        path: path.to_owned(),
        source,
    }
}

/// A reader that hashes and counts what passes through it, and fails once more
/// than `limit` bytes have (a decompression bomb of tar headers, padding or bytes
/// after the archive's end is cut off there).
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    limit: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        if self.bytes > self.limit {
            return Err(io::Error::other(OverTarLimit));
        }
        Ok(n)
    }
}

/// The error [`Hashing`] fails with past its limit.
#[derive(Debug, thiserror::Error)]
#[error("the uncompressed tar is over its limit")]
struct OverTarLimit;

/// A failure to read layer `layer`'s archive: over the tar limit, or corrupt.
fn archive_error(layer: usize, limits: &ImageLimits, source: io::Error) -> UnpackError {
    if is_over_tar_limit(&source) {
        UnpackError::TooLarge {
            what: "bytes of uncompressed tar",
            limit: tar_limit(limits),
        }
    } else {
        UnpackError::Archive { layer, source }
    }
}

/// Whether `error` is (or wraps, as the tar reader does) [`OverTarLimit`].
fn is_over_tar_limit(error: &io::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = error
        .get_ref()
        .map(|e| e as &(dyn std::error::Error + 'static));
    while let Some(e) = next {
        if e.is::<OverTarLimit>() {
            return true;
        }
        next = match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}

/// The most uncompressed tar (all layers) for `limits`: twice the file bytes, plus
/// a header and padding for every entry, plus a megabyte.
fn tar_limit(limits: &ImageLimits) -> u64 {
    limits
        .max_unpacked_bytes
        .saturating_mul(2)
        .saturating_add(limits.max_entries.saturating_mul(1024))
        .saturating_add(1 << 20)
}

struct Unpacker {
    root: PathBuf,
    limits: ImageLimits,
    stats: UnpackStats,
    layer: usize,
    /// Paths this layer wrote: an opaque whiteout keeps them.
    written: HashSet<PathBuf>,
}

/// An entry's name split into its components (no `.`, no empty ones).
type Components = Vec<OsString>;

impl Unpacker {
    fn apply(&mut self, layer: &Layer) -> Result<(), UnpackError> {
        let index = self.layer;
        let limits = self.limits;
        let archive_error = |source| archive_error(index, &limits, source);
        let file = File::open(&layer.path).map_err(archive_error)?;
        let file = io::BufReader::with_capacity(1 << 20, file);
        let decoded: Box<dyn Read> = match layer.compression {
            Compression::None => Box::new(file),
            Compression::Gzip => Box::new(flate2::read::GzDecoder::new(file)),
            Compression::Zstd => {
                Box::new(zstd::stream::read::Decoder::with_buffer(file).map_err(archive_error)?)
            }
        };
        let mut hashing = Hashing {
            inner: decoded,
            hasher: Sha256::new(),
            bytes: 0,
            limit: tar_limit(&limits).saturating_sub(self.stats.tar_bytes),
        };
        {
            let mut archive = tar::Archive::new(&mut hashing);
            for entry in archive.entries().map_err(archive_error)? {
                let entry = entry.map_err(archive_error)?;
                self.entry(entry)?;
            }
        }
        // The tar reader stops at the end-of-archive blocks; the digest covers the
        // whole stream, padding included.
        io::copy(&mut hashing, &mut io::sink()).map_err(archive_error)?;
        self.stats.tar_bytes += hashing.bytes;
        let actual = hex::encode(hashing.hasher.finalize());
        if layer.diff_id.strip_prefix("sha256:") != Some(actual.as_str()) {
            return Err(UnpackError::DiffIdMismatch {
                layer: index,
                expected: layer.diff_id.clone(),
                actual,
            });
        }
        Ok(())
    }

    fn entry<R: Read>(&mut self, mut entry: tar::Entry<'_, R>) -> Result<(), UnpackError> {
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).into_owned();
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader) {
            return Ok(());
        }
        self.stats.entries += 1;
        if self.stats.entries > self.limits.max_entries {
            return Err(UnpackError::TooLarge {
                what: "entries",
                limit: self.limits.max_entries,
            });
        }
        let components = self.components(&raw, &name)?;
        let Some((file_name, parents)) = components.split_last() else {
            // The root itself (`./`): its mode stays the node's.
            return Ok(());
        };
        let special = |kind: &'static str| UnpackError::SpecialFile {
            layer: self.layer,
            entry: name.clone(),
            kind,
        };
        match kind {
            EntryType::Char => return Err(special("character device")),
            EntryType::Block => return Err(special("block device")),
            EntryType::Fifo => return Err(special("FIFO")),
            EntryType::GNUSparse => return Err(special("sparse file")),
            _ => {}
        }
        let parent = self.resolve_dir(parents, &name)?;
        let path = parent.join(file_name);

        if let Some(hidden) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(WHITEOUT_PREFIX))
        {
            if file_name == OPAQUE_WHITEOUT {
                return self.make_opaque(&parent);
            }
            if matches!(hidden, "" | "." | "..") {
                return Err(UnpackError::UnsafePath {
                    layer: self.layer,
                    entry: name,
                });
            }
            return remove_any(&parent.join(hidden));
        }

        let mode = entry
            .header()
            .mode()
            .map_err(|source| UnpackError::Archive {
                layer: self.layer,
                source,
            })?
            & 0o777;
        match kind {
            EntryType::Directory => {
                let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
                if !is_dir {
                    remove_any(&path)?;
                    fs::create_dir(&path).map_err(write_error(&path))?;
                }
                fs::set_permissions(&path, fs::Permissions::from_mode(mode))
                    .map_err(write_error(&path))?;
            }
            EntryType::Regular | EntryType::Continuous => {
                let size = entry.size();
                let total = self.stats.file_bytes.saturating_add(size);
                if total > self.limits.max_unpacked_bytes {
                    return Err(UnpackError::TooLarge {
                        what: "bytes",
                        limit: self.limits.max_unpacked_bytes,
                    });
                }
                remove_any(&path)?;
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(mode)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&path)
                    .map_err(write_error(&path))?;
                let copied = io::copy(&mut (&mut entry).take(size), &mut file)
                    .map_err(|e| archive_error(self.layer, &self.limits, e))?;
                // The umask may have taken bits away; the image's (stripped) mode stands.
                file.set_permissions(fs::Permissions::from_mode(mode))
                    .map_err(write_error(&path))?;
                self.stats.file_bytes = self.stats.file_bytes.saturating_add(copied);
            }
            EntryType::Symlink => {
                let target = self.link_target(&entry, &name)?;
                if !target.is_absolute() {
                    // Where it lands, lexically, from the link's folder.
                    let mut depth = parents.len();
                    for part in target.components() {
                        match part {
                            std::path::Component::ParentDir => {
                                depth = depth.checked_sub(1).ok_or_else(|| {
                                    UnpackError::LinkOutsideRoot {
                                        layer: self.layer,
                                        entry: name.clone(),
                                        target: target.display().to_string(),
                                    }
                                })?;
                            }
                            std::path::Component::Normal(_) => depth += 1,
                            _ => {}
                        }
                    }
                }
                remove_any(&path)?;
                std::os::unix::fs::symlink(&target, &path).map_err(write_error(&path))?;
            }
            EntryType::Link => {
                let target = self.link_target(&entry, &name)?;
                let outside = || UnpackError::LinkOutsideRoot {
                    layer: self.layer,
                    entry: name.clone(),
                    target: target.display().to_string(),
                };
                let target_components = self
                    .components(target.as_os_str().as_bytes(), &name)
                    .map_err(|_| outside())?;
                let Some((target_name, target_parents)) = target_components.split_last() else {
                    return Err(outside());
                };
                let target_path = self.resolve_dir(target_parents, &name)?.join(target_name);
                if !fs::symlink_metadata(&target_path).is_ok_and(|m| m.is_file()) {
                    return Err(outside());
                }
                if target_path != path {
                    remove_any(&path)?;
                    fs::hard_link(&target_path, &path).map_err(write_error(&path))?;
                }
            }
            EntryType::XHeader | EntryType::GNULongName | EntryType::GNULongLink => {
                // Consumed by the tar reader for the entry that follows.
                return Ok(());
            }
            _ => return Err(special("entry of an unknown type")),
        }
        self.written.insert(path);
        Ok(())
    }

    fn link_target<R: Read>(
        &self,
        entry: &tar::Entry<'_, R>,
        name: &str,
    ) -> Result<PathBuf, UnpackError> {
        match entry.link_name_bytes() {
            Some(bytes) if !bytes.is_empty() && !bytes.contains(&0) => {
                Ok(PathBuf::from(OsStr::from_bytes(&bytes)))
            }
            _ => Err(UnpackError::LinkOutsideRoot {
                layer: self.layer,
                entry: name.to_owned(),
                target: String::new(),
            }),
        }
    }

    /// `raw` split into components; absolute names and `..` are refused.
    fn components(&self, raw: &[u8], name: &str) -> Result<Components, UnpackError> {
        let unsafe_path = || UnpackError::UnsafePath {
            layer: self.layer,
            entry: name.to_owned(),
        };
        if raw.first() == Some(&b'/') || raw.contains(&0) {
            return Err(unsafe_path());
        }
        let mut components = Vec::new();
        for part in raw.split(|&b| b == b'/') {
            match part {
                b"" | b"." => {}
                b".." => return Err(unsafe_path()),
                part => components.push(OsStr::from_bytes(part).to_owned()),
            }
        }
        Ok(components)
    }

    /// The host path of the folder `components` names inside the root, resolved the
    /// way the container will see it: symlinks followed inside the root (an absolute
    /// target restarts at the root, `..` stops there), missing folders made.
    fn resolve_dir(&self, components: &[OsString], name: &str) -> Result<PathBuf, UnpackError> {
        let mut pending: VecDeque<OsString> = components.iter().cloned().collect();
        let mut resolved: Vec<OsString> = Vec::new();
        let mut follows = 0;
        while let Some(part) = pending.pop_front() {
            if part == ".." {
                resolved.pop();
                continue;
            }
            if part == "." || part.is_empty() {
                continue;
            }
            let mut here = self.root.clone();
            here.extend(&resolved);
            here.push(&part);
            match fs::symlink_metadata(&here) {
                Ok(meta) if meta.is_dir() => resolved.push(part),
                Ok(meta) if meta.file_type().is_symlink() => {
                    follows += 1;
                    if follows > MAX_SYMLINK_FOLLOWS {
                        return Err(UnpackError::SymlinkLoop {
                            layer: self.layer,
                            entry: name.to_owned(),
                        });
                    }
                    let target = fs::read_link(&here).map_err(write_error(&here))?;
                    if target.is_absolute() {
                        resolved.clear();
                    }
                    let bytes = target.as_os_str().as_bytes();
                    for piece in bytes.split(|&b| b == b'/').rev() {
                        pending.push_front(OsStr::from_bytes(piece).to_owned());
                    }
                }
                Ok(_) => {
                    return Err(UnpackError::NotAFolder {
                        layer: self.layer,
                        entry: name.to_owned(),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    fs::create_dir(&here).map_err(write_error(&here))?;
                    fs::set_permissions(&here, fs::Permissions::from_mode(0o755))
                        .map_err(write_error(&here))?;
                    resolved.push(part);
                }
                Err(e) => return Err(write_error(&here)(e)),
            }
        }
        let mut path = self.root.clone();
        path.extend(&resolved);
        Ok(path)
    }

    /// Removes from `dir` whatever the layers below put there.
    fn make_opaque(&self, dir: &Path) -> Result<(), UnpackError> {
        for child in fs::read_dir(dir).map_err(write_error(dir))? {
            let child = child.map_err(write_error(dir))?.path();
            if !self.written.contains(&child) {
                remove_any(&child)?;
            }
        }
        Ok(())
    }
}

/// Removes `path` whatever it is (a folder with its contents), never following a
/// symlink; nothing there is fine.
pub(crate) fn remove_any(path: &Path) -> Result<(), UnpackError> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(write_error(path)(e)),
        _ => Ok(()),
    }
}

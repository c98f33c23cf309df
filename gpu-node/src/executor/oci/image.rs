//! An OCI image layout folder (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as a
//! customer adds it to IPFS: the manifest chosen for this machine, and every blob it
//! names checked against its descriptor (size first, then the SHA-256 of the bytes,
//! streamed) before anything in it is parsed or unpacked.
//!
//! Only what this node can run is accepted: one image manifest for linux/amd64 (or a
//! single manifest without a platform), an OCI image config, and layers that are
//! plain, gzip or zstd tar archives. Anything else is an [`ImageError`] naming it.

use std::{
    fs::File,
    io::{self, Read},
    path::{Path, PathBuf},
};

use oci_spec::image::{
    Arch, Descriptor, DigestAlgorithm, ImageConfiguration, ImageIndex, ImageManifest, MediaType,
    OciLayout, Os,
};
use sha2::{Digest as _, Sha256};

/// The file naming the layout's version.
pub const LAYOUT_FILE: &str = "oci-layout";
/// The layout's index of manifests.
pub const INDEX_FILE: &str = "index.json";
/// The folder of content-addressed blobs.
pub const BLOBS_DIR: &str = "blobs";
/// The largest `oci-layout`, `index.json`, manifest or config read: JSON, not data.
pub const MAX_JSON_BYTES: u64 = 1 << 20;
/// The most layers an image may have (Docker's own limit is 127).
pub const MAX_LAYERS: usize = 128;

/// What an image may take on this node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageLimits {
    /// The most bytes of blobs (manifest, config, compressed layers) in all.
    pub max_blob_bytes: u64,
    /// The most bytes the unpacked layers may write into the root filesystem.
    pub max_unpacked_bytes: u64,
    /// The most entries (files, folders, links) all layers together may hold.
    pub max_entries: u64,
}

impl Default for ImageLimits {
    /// 4 GiB of blobs, 8 GiB unpacked, a million entries.
    fn default() -> Self {
        Self {
            max_blob_bytes: 4 << 30,
            max_unpacked_bytes: 8 << 30,
            max_entries: 1_000_000,
        }
    }
}

/// How a layer's tar archive is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// A plain tar archive.
    None,
    /// gzip (`+gzip`).
    Gzip,
    /// Zstandard (`+zstd`).
    Zstd,
}

/// One layer of a verified image: its blob (digest and size already checked) and
/// the digest of its uncompressed tar from the config (checked while unpacking).
#[derive(Clone, Debug)]
pub struct Layer {
    /// The blob's file in the layout.
    pub path: PathBuf,
    /// The blob's size, bytes.
    pub size: u64,
    /// Its compression.
    pub compression: Compression,
    /// `sha256:<hex>` of the uncompressed tar (the config's `rootfs.diff_ids`).
    pub diff_id: String,
}

/// An image whose manifest, config and layers all matched their descriptors.
#[derive(Clone, Debug)]
pub struct VerifiedImage {
    /// The image's configuration (entrypoint, command, environment, user, ...).
    pub config: ImageConfiguration,
    /// The layers, lowest first.
    pub layers: Vec<Layer>,
    /// Bytes of blobs read and checked.
    pub blob_bytes: u64,
}

/// Why an image layout was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// A file of the layout could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A JSON file of the layout is not what the OCI image spec says it is.
    #[error("{what} is malformed: {reason}")]
    Malformed {
        /// Which file or blob.
        what: String,
        /// What the parser said.
        reason: String,
    },
    /// The layout's version is not 1.0.0.
    #[error("unsupported image layout version {version:?} (1.0.0 is)")]
    LayoutVersion {
        /// The version in `oci-layout`.
        version: String,
    },
    /// No manifest in the index is for linux/amd64 (and there is not just one).
    #[error("no image manifest for linux/amd64 in index.json ({manifests} manifests)")]
    NoManifest {
        /// How many manifests the index lists.
        manifests: usize,
    },
    /// A descriptor has a media type that is not allowed where it stands.
    #[error("{what} has media type {media_type}, which this node does not run")]
    MediaType {
        /// Which descriptor.
        what: String,
        /// Its media type.
        media_type: String,
    },
    /// A digest uses an algorithm other than SHA-256.
    #[error("{digest} uses an unsupported digest algorithm (sha256 is)")]
    DigestAlgorithm {
        /// The digest.
        digest: String,
    },
    /// A blob named by a descriptor is missing, or is not a regular file.
    #[error("blob {digest} is missing or not a regular file")]
    MissingBlob {
        /// The blob's digest.
        digest: String,
    },
    /// A blob's size differs from its descriptor's.
    #[error("blob {digest} is {actual} bytes; its descriptor says {expected}")]
    SizeMismatch {
        /// The blob's digest.
        digest: String,
        /// The descriptor's size.
        expected: u64,
        /// The file's size.
        actual: u64,
    },
    /// A blob's SHA-256 differs from its descriptor's digest.
    #[error("blob {digest} does not match its digest (its content hashes to sha256:{actual})")]
    DigestMismatch {
        /// The digest the descriptor claims.
        digest: String,
        /// What the bytes hash to.
        actual: String,
    },
    /// The blobs together (or one JSON blob alone) are over the limit.
    #[error("the image is over the limit of {limit} bytes ({what})")]
    TooLarge {
        /// What went over.
        what: String,
        /// The limit, bytes.
        limit: u64,
    },
    /// The config's `rootfs.diff_ids` do not list one digest per layer.
    #[error("the config lists {diff_ids} layer digests for {layers} layers")]
    DiffIds {
        /// Layers in the manifest.
        layers: usize,
        /// Digests in the config.
        diff_ids: usize,
    },
    /// The image is for another OS or architecture.
    #[error("the image is for {os}/{architecture}; this node runs linux/amd64")]
    Platform {
        /// The config's OS.
        os: String,
        /// The config's architecture.
        architecture: String,
    },
    /// The manifest lists more layers than [`MAX_LAYERS`].
    #[error("the image has {layers} layers; at most {MAX_LAYERS} are accepted")]
    TooManyLayers {
        /// How many.
        layers: usize,
    },
}

impl VerifiedImage {
    /// Opens the image layout in `dir`, picks its manifest and checks every blob the
    /// manifest names (manifest, config, layers: regular file, size, SHA-256) within
    /// `limits.max_blob_bytes` in all. Nothing of the image is parsed before its
    /// bytes are checked, except `oci-layout` and `index.json`, which are the roots of
    /// trust (the IPFS CID covers them).
    pub fn open(dir: &Path, limits: &ImageLimits) -> Result<VerifiedImage, ImageError> {
        let layout: OciLayout = parse_json(&dir.join(LAYOUT_FILE), LAYOUT_FILE)?;
        if layout.image_layout_version() != "1.0.0" {
            return Err(ImageError::LayoutVersion {
                version: layout.image_layout_version().clone(),
            });
        }
        let index: ImageIndex = parse_json(&dir.join(INDEX_FILE), INDEX_FILE)?;
        let descriptor = pick_manifest(&index)?;

        let mut budget = Budget {
            left: limits.max_blob_bytes,
            limit: limits.max_blob_bytes,
        };
        let manifest_bytes = read_json_blob(dir, descriptor, "the image manifest", &mut budget)?;
        let manifest: ImageManifest = ImageManifest::from_reader(&manifest_bytes[..])
            .map_err(|e| malformed("the image manifest", e))?;

        let config_descriptor = manifest.config();
        if *config_descriptor.media_type() != MediaType::ImageConfig {
            return Err(ImageError::MediaType {
                what: "the image config".into(),
                media_type: config_descriptor.media_type().to_string(),
            });
        }
        let config_bytes = read_json_blob(dir, config_descriptor, "the image config", &mut budget)?;
        let config = ImageConfiguration::from_reader(&config_bytes[..])
            .map_err(|e| malformed("the image config", e))?;
        if *config.os() != Os::Linux || *config.architecture() != Arch::Amd64 {
            return Err(ImageError::Platform {
                os: config.os().to_string(),
                architecture: config.architecture().to_string(),
            });
        }

        let descriptors = manifest.layers();
        if descriptors.len() > MAX_LAYERS {
            return Err(ImageError::TooManyLayers {
                layers: descriptors.len(),
            });
        }
        let diff_ids = config.rootfs().diff_ids();
        if diff_ids.len() != descriptors.len() {
            return Err(ImageError::DiffIds {
                layers: descriptors.len(),
                diff_ids: diff_ids.len(),
            });
        }
        // Every size is charged before any layer is hashed: an image over the limit
        // is refused without reading gigabytes first.
        for (i, layer) in descriptors.iter().enumerate() {
            budget.charge(layer.size(), &format!("layer {i}"))?;
        }
        let mut layers = Vec::with_capacity(descriptors.len());
        for (i, (descriptor, diff_id)) in descriptors.iter().zip(diff_ids).enumerate() {
            let what = format!("layer {i}");
            let compression = layer_compression(descriptor, &what)?;
            if !is_sha256(diff_id) {
                return Err(ImageError::DigestAlgorithm {
                    digest: diff_id.clone(),
                });
            }
            let path = verify_blob(dir, descriptor, io::sink())?;
            layers.push(Layer {
                path,
                size: descriptor.size(),
                compression,
                diff_id: diff_id.clone(),
            });
        }
        Ok(VerifiedImage {
            config,
            layers,
            blob_bytes: limits.max_blob_bytes - budget.left,
        })
    }
}

/// What is left of the blob limit.
struct Budget {
    left: u64,
    limit: u64,
}

impl Budget {
    fn charge(&mut self, bytes: u64, what: &str) -> Result<(), ImageError> {
        self.left = self
            .left
            .checked_sub(bytes)
            .ok_or_else(|| ImageError::TooLarge {
                what: format!("{what} brings the blobs over it"),
                limit: self.limit,
            })?;
        Ok(())
    }
}

fn malformed(what: &str, error: impl std::fmt::Display) -> ImageError {
    ImageError::Malformed {
        what: what.into(),
        reason: error.to_string(),
    }
}

/// Reads a small JSON file of the layout (not a blob) and parses it.
fn parse_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, ImageError> {
    let file = open_regular(path).map_err(|source| ImageError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ImageError::Read {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > MAX_JSON_BYTES {
        return Err(ImageError::TooLarge {
            what: what.into(),
            limit: MAX_JSON_BYTES,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| malformed(what, e))
}

/// Opens `path` for reading, refusing anything but a regular file (a symlink is
/// never followed).
fn open_regular(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// The manifest to run: the one for linux/amd64, or the only one when the index
/// lists a single manifest without a platform.
fn pick_manifest(index: &ImageIndex) -> Result<&Descriptor, ImageError> {
    let manifests: Vec<&Descriptor> = index
        .manifests()
        .iter()
        .filter(|d| *d.media_type() == MediaType::ImageManifest)
        .collect();
    let for_us = manifests.iter().find(|d| {
        d.platform()
            .as_ref()
            .is_some_and(|p| *p.os() == Os::Linux && *p.architecture() == Arch::Amd64)
    });
    match (for_us, manifests.as_slice()) {
        (Some(d), _) => Ok(d),
        (None, [only]) if only.platform().is_none() => Ok(only),
        _ => Err(ImageError::NoManifest {
            manifests: index.manifests().len(),
        }),
    }
}

fn is_sha256(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn layer_compression(descriptor: &Descriptor, what: &str) -> Result<Compression, ImageError> {
    match descriptor.media_type() {
        MediaType::ImageLayer => Ok(Compression::None),
        MediaType::ImageLayerGzip => Ok(Compression::Gzip),
        MediaType::ImageLayerZstd => Ok(Compression::Zstd),
        MediaType::Other(t) if t == "application/vnd.docker.image.rootfs.diff.tar.gzip" => {
            Ok(Compression::Gzip)
        }
        other => Err(ImageError::MediaType {
            what: what.into(),
            media_type: other.to_string(),
        }),
    }
}

/// A JSON blob (manifest, config): charged to the budget, checked, returned whole.
fn read_json_blob(
    dir: &Path,
    descriptor: &Descriptor,
    what: &str,
    budget: &mut Budget,
) -> Result<Vec<u8>, ImageError> {
    if descriptor.size() > MAX_JSON_BYTES {
        return Err(ImageError::TooLarge {
            what: what.into(),
            limit: MAX_JSON_BYTES,
        });
    }
    budget.charge(descriptor.size(), what)?;
    let mut bytes = Vec::new();
    verify_blob(dir, descriptor, &mut bytes)?;
    Ok(bytes)
}

/// Streams the blob `descriptor` names into `sink` while hashing it; the size is
/// checked against the file's before a byte is read, the digest after the last.
/// Returns the blob's path.
fn verify_blob(
    dir: &Path,
    descriptor: &Descriptor,
    mut sink: impl io::Write,
) -> Result<PathBuf, ImageError> {
    let digest = descriptor.digest();
    let name = digest.to_string();
    if *digest.algorithm() != DigestAlgorithm::Sha256 {
        return Err(ImageError::DigestAlgorithm { digest: name });
    }
    // oci-spec checked that a sha256 digest is 64 lowercase hex digits: a safe name.
    let path = dir.join(BLOBS_DIR).join("sha256").join(digest.digest());
    let read_error = |source| ImageError::Read {
        path: path.clone(),
        source,
    };
    let mut file = match open_regular(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(ImageError::MissingBlob { digest: name });
        }
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            return Err(ImageError::MissingBlob { digest: name });
        }
        Err(e) => return Err(read_error(e)),
    };
    let actual = file.metadata().map_err(read_error)?.len();
    if actual != descriptor.size() {
        return Err(ImageError::SizeMismatch {
            digest: name,
            expected: descriptor.size(),
            actual,
        });
    }
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut read = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(read_error)?;
        if n == 0 {
            break;
        }
        read += n as u64;
        // The file grew while being read: never hash more than was declared.
        if read > descriptor.size() {
            return Err(ImageError::SizeMismatch {
                digest: name,
                expected: descriptor.size(),
                actual: read,
            });
        }
        hasher.update(&buffer[..n]);
        sink.write_all(&buffer[..n]).map_err(read_error)?;
    }
    let hex = hex::encode(hasher.finalize());
    if hex != digest.digest() || read != descriptor.size() {
        return Err(ImageError::DigestMismatch {
            digest: name,
            actual: hex,
        });
    }
    Ok(path)
}

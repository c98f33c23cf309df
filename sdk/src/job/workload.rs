//! The customer's workload, checked here before anything is paid: a WGSL bundle
//! folder (`job.json`), or a container image (an OCI image layout folder, or an OCI
//! archive: the same layout as a tar file), with its optional job manifest
//! (`gpunion-job.json`) and `input/` folder. And the rule that checks a lease's
//! result against the output hash on chain, which depends on the lease's kind.

use std::fs;
use std::path::{Path, PathBuf};

use gpunion_interface::job::bundle::Bundle;
use gpunion_interface::job::container::{
    CONTAINER_MANIFEST_FILE, ContainerManifest, IMAGE_LAYOUT_FILE, INPUT_DIR,
};
use gpunion_interface::job::{self as iface, Allowance, MANIFEST_FILE, OUTPUTS_DIR};
use gpunion_interface::market::WorkloadKind;

use crate::error::{Error, Result};

/// The image layout's index (OCI image-layout spec).
const INDEX_FILE: &str = "index.json";
/// The largest OCI archive unpacked here, bytes.
pub const MAX_ARCHIVE_BYTES: u64 = 16 << 30;

/// A workload that passed the local checks.
#[derive(Debug)]
pub enum Workload {
    /// A WGSL job bundle.
    Bundle {
        /// Its folder.
        dir: PathBuf,
        /// It, checked against the provider's allowance.
        bundle: Box<Bundle>,
    },
    /// A container image layout.
    Image(Image),
}

/// A container image layout folder, checked as far as a customer can without
/// unpacking it (the provider checks every blob's digest before it runs anything).
#[derive(Debug)]
pub struct Image {
    /// The layout folder (an archive's is unpacked into a temporary folder).
    pub dir: PathBuf,
    /// The job manifest beside it (empty when there is none).
    pub manifest: ContainerManifest,
    /// Bytes of blobs.
    pub blob_bytes: u64,
    /// Whether it has an `input/` folder.
    pub has_input: bool,
    /// The unpacked archive, removed when this is dropped.
    _unpacked: Option<tempfile::TempDir>,
}

impl Workload {
    /// What `path` holds, from its files alone: a bundle folder (`job.json`), an image
    /// layout folder (`oci-layout`), or an OCI archive (a file).
    pub fn kind_of(path: &Path) -> Result<WorkloadKind> {
        let meta =
            fs::metadata(path).map_err(|e| Error::bad_input(format!("{}: {e}", path.display())))?;
        if meta.is_file() || path.join(IMAGE_LAYOUT_FILE).is_file() {
            Ok(WorkloadKind::OciImage)
        } else if path.join(MANIFEST_FILE).is_file() {
            Ok(WorkloadKind::WgslBundle)
        } else {
            Err(Error::bad_input(format!(
                "{} is neither a WGSL bundle (no {MANIFEST_FILE}) nor an OCI image layout \
                 (no {IMAGE_LAYOUT_FILE}) nor an OCI archive",
                path.display()
            )))
        }
    }

    /// Loads and checks `path` ([`Workload::kind_of`]). `allowance` is what the
    /// provider grants a WGSL bundle.
    pub fn load(path: &Path, allowance: &Allowance) -> Result<Workload> {
        match Workload::kind_of(path)? {
            WorkloadKind::WgslBundle => {
                let bundle = Bundle::load(path, allowance)
                    .map_err(|e| Error::bad_input(format!("bundle {}: {e}", path.display())))?;
                Ok(Workload::Bundle {
                    dir: path.to_path_buf(),
                    bundle: Box::new(bundle),
                })
            }
            WorkloadKind::OciImage if path.is_file() => {
                Ok(Workload::Image(Image::from_archive(path)?))
            }
            WorkloadKind::OciImage => Ok(Workload::Image(Image::from_layout(path, None)?)),
        }
    }

    /// The lease's workload kind.
    pub fn kind(&self) -> WorkloadKind {
        match self {
            Workload::Bundle { .. } => WorkloadKind::WgslBundle,
            Workload::Image(_) => WorkloadKind::OciImage,
        }
    }

    /// The folder added to IPFS.
    pub fn dir(&self) -> &Path {
        match self {
            Workload::Bundle { dir, .. } => dir,
            Workload::Image(image) => &image.dir,
        }
    }

    /// One line on what was checked, for a person.
    pub fn describe(&self) -> String {
        match self {
            Workload::Bundle { bundle, .. } => {
                let m = bundle.manifest();
                format!(
                    "bundle {:?}: {} buffers, {} dispatches",
                    m.name,
                    m.buffers.len(),
                    m.dispatches.len()
                )
            }
            Workload::Image(image) => format!(
                "image: {} bytes of blobs, {} extra arguments, {} variables{}",
                image.blob_bytes,
                image.manifest.args.len(),
                image.manifest.env.len(),
                if image.has_input { ", with input/" } else { "" }
            ),
        }
    }

    /// The bundle, for a WGSL workload.
    pub fn bundle(&self) -> Option<&Bundle> {
        match self {
            Workload::Bundle { bundle, .. } => Some(bundle),
            Workload::Image(_) => None,
        }
    }
}

impl Image {
    /// Unpacks the OCI archive `path` (a tar of an image layout, as `skopeo copy
    /// oci-archive:` or `docker save` in OCI form writes) and checks the layout. Only
    /// plain files and folders are taken, and nothing outside the folder.
    pub fn from_archive(path: &Path) -> Result<Image> {
        let bad =
            |what: String| Error::bad_input(format!("OCI archive {}: {what}", path.display()));
        let dir = tempfile::tempdir().map_err(|e| bad(e.to_string()))?;
        let file = fs::File::open(path).map_err(|e| bad(e.to_string()))?;
        let mut archive = tar::Archive::new(file);
        let mut total = 0u64;
        for entry in archive.entries().map_err(|e| bad(e.to_string()))? {
            let mut entry = entry.map_err(|e| bad(e.to_string()))?;
            let kind = entry.header().entry_type();
            let name = entry
                .path()
                .map_err(|e| bad(e.to_string()))?
                .display()
                .to_string();
            if !(kind.is_file() || kind.is_dir()) {
                return Err(bad(format!("{name} is not a plain file or folder")));
            }
            total = total.saturating_add(entry.size());
            if total > MAX_ARCHIVE_BYTES {
                return Err(bad(format!("larger than {MAX_ARCHIVE_BYTES} bytes")));
            }
            // `unpack_in` refuses paths that leave the folder (`..`, absolute).
            if !entry
                .unpack_in(dir.path())
                .map_err(|e| bad(e.to_string()))?
            {
                return Err(bad(format!("{name} points outside the archive")));
            }
        }
        if !dir.path().join(IMAGE_LAYOUT_FILE).is_file() {
            return Err(bad(format!("no {IMAGE_LAYOUT_FILE} at its top")));
        }
        let path = dir.path().to_path_buf();
        Image::from_layout(&path, Some(dir))
    }

    /// Checks the layout folder `dir`: its `oci-layout` and `index.json`, the blobs
    /// it names present at their sizes, the job manifest's rules.
    fn from_layout(dir: &Path, unpacked: Option<tempfile::TempDir>) -> Result<Image> {
        let bad = |what: String| Error::bad_input(format!("image {}: {what}", dir.display()));
        let layout: serde_json::Value = read_json(&dir.join(IMAGE_LAYOUT_FILE)).map_err(&bad)?;
        if !layout["imageLayoutVersion"].is_string() {
            return Err(bad(format!(
                "{IMAGE_LAYOUT_FILE} has no imageLayoutVersion"
            )));
        }
        let index: serde_json::Value = read_json(&dir.join(INDEX_FILE)).map_err(&bad)?;
        let manifests = index["manifests"]
            .as_array()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| bad(format!("{INDEX_FILE} lists no manifest")))?;
        for (i, descriptor) in manifests.iter().enumerate() {
            let digest = descriptor["digest"].as_str().unwrap_or_default();
            let Some(hex) = digest.strip_prefix("sha256:") else {
                return Err(bad(format!(
                    "manifests[{i}].digest {digest:?} is not sha256:<hex>"
                )));
            };
            let blob = dir.join("blobs/sha256").join(hex);
            let size = fs::metadata(&blob)
                .map_err(|e| bad(format!("manifests[{i}]: blob {digest}: {e}")))?
                .len();
            if Some(size) != descriptor["size"].as_u64() {
                return Err(bad(format!(
                    "manifests[{i}]: blob {digest} is {size} bytes, its descriptor says {}",
                    descriptor["size"]
                )));
            }
        }
        let manifest = ContainerManifest::load(dir)
            .map_err(|e| bad(format!("{CONTAINER_MANIFEST_FILE}: {e}")))?;
        Ok(Image {
            dir: dir.to_path_buf(),
            manifest,
            blob_bytes: folder_bytes(&dir.join("blobs")).map_err(&bad)?,
            has_input: dir.join(INPUT_DIR).is_dir(),
            _unpacked: unpacked,
        })
    }
}

fn read_json(path: &Path) -> std::result::Result<serde_json::Value, String> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let bytes = fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{name}: {e}"))
}

fn folder_bytes(dir: &Path) -> std::result::Result<u64, String> {
    let mut total = 0;
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let meta = fs::symlink_metadata(entry.path()).map_err(|e| e.to_string())?;
        total += if meta.is_dir() {
            folder_bytes(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The output hash of the result folder `dir` of a lease of `kind`: a WGSL job's by
/// its bundle's manifest (`bundle` is needed then), a container job's over every file
/// under `outputs/` (at most `max_bytes`).
pub fn result_hash(
    kind: &WorkloadKind,
    bundle: Option<&Bundle>,
    dir: &Path,
    max_bytes: u64,
) -> Result<[u8; 32]> {
    match kind {
        WorkloadKind::WgslBundle => {
            let bundle = bundle.ok_or_else(|| {
                Error::bad_input("a WGSL lease's result is checked against its bundle: give it")
            })?;
            iface::result::result_hash(bundle.manifest(), dir)
                .map_err(|e| Error::decode("the result's outputs", e))
        }
        WorkloadKind::OciImage => iface::result::folder_outputs(&dir.join(OUTPUTS_DIR), max_bytes)
            .map(|(_, hash)| hash)
            .map_err(|e| Error::decode("the result's outputs", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest as _, Sha256};

    /// A layout with one manifest blob (its contents do not matter here).
    fn layout(dir: &Path) {
        let blob = br#"{"schemaVersion":2}"#;
        let hex = hex::encode(Sha256::digest(blob));
        fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        fs::write(dir.join("blobs/sha256").join(&hex), blob).unwrap();
        fs::write(
            dir.join(IMAGE_LAYOUT_FILE),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .unwrap();
        fs::write(
            dir.join(INDEX_FILE),
            format!(
                r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{hex}","size":{}}}]}}"#,
                blob.len()
            ),
        )
        .unwrap();
    }

    fn load(path: &Path) -> Result<Workload> {
        let allowance = Allowance {
            max_buffer_bytes: 1 << 20,
            max_total_buffer_bytes: 1 << 20,
            max_bundle_bytes: 1 << 20,
            max_time_seconds: 60,
            max_workgroups_per_dimension: 65535,
        };
        Workload::load(path, &allowance)
    }

    #[test]
    fn a_layout_folder_and_its_archive_are_images() {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("image");
        layout(&image);
        fs::create_dir(image.join(INPUT_DIR)).unwrap();
        fs::write(image.join(CONTAINER_MANIFEST_FILE), r#"{"args":["x"]}"#).unwrap();
        let workload = load(&image).unwrap();
        assert_eq!(workload.kind(), WorkloadKind::OciImage);
        assert!(
            workload.describe().contains("with input/"),
            "{}",
            workload.describe()
        );

        let archive = dir.path().join("image.tar");
        let mut builder = tar::Builder::new(fs::File::create(&archive).unwrap());
        builder.append_dir_all(".", &image).unwrap();
        builder.finish().unwrap();
        drop(builder);
        let workload = load(&archive).unwrap();
        let Workload::Image(unpacked) = &workload else {
            panic!("{workload:?}")
        };
        assert_eq!(unpacked.manifest.args, ["x"]);
        assert!(unpacked.dir.join(IMAGE_LAYOUT_FILE).is_file());
    }

    #[test]
    fn a_broken_layout_or_manifest_is_refused_before_anything_is_paid() {
        let dir = tempfile::tempdir().unwrap();
        layout(dir.path());
        let blob = fs::read_dir(dir.path().join("blobs/sha256"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        fs::write(&blob, b"short").unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("its descriptor says"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        layout(dir.path());
        fs::write(
            dir.path().join(CONTAINER_MANIFEST_FILE),
            r#"{"env":["1X=2"]}"#,
        )
        .unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("env[0]"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("neither a WGSL bundle"), "{error}");
    }

    #[test]
    fn an_archive_with_a_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("image.tar");
        let mut builder = tar::Builder::new(fs::File::create(&archive).unwrap());
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        builder
            .append_link(&mut header, "oci-layout", "/etc/passwd")
            .unwrap();
        builder.finish().unwrap();
        drop(builder);
        let error = load(&archive).unwrap_err().to_string();
        assert!(error.contains("not a plain file or folder"), "{error}");
    }
}

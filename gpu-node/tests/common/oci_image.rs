//! OCI image layouts made in the test from this machine's `/bin/busybox` (Debian's
//! busybox-static), with `oci-spec` and `tar`: nothing is downloaded. Layers can also be
//! crafted entry by entry, header bytes and all, for the bad cases.

#![allow(dead_code)]

use std::{
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    str::FromStr as _,
};

use gpu_node::executor::oci::image::Compression;
use oci_spec::image::{
    Arch, ConfigBuilder, Descriptor, DescriptorBuilder, Digest, ImageConfigurationBuilder,
    ImageIndexBuilder, ImageManifestBuilder, MediaType, OciLayoutBuilder, Os, PlatformBuilder,
    RootFsBuilder,
};
use sha2::{Digest as _, Sha256};

/// The static busybox the images are made of.
pub const BUSYBOX: &str = "/bin/busybox";
/// Applets linked in `/bin` of the busybox image.
pub const APPLETS: &[&str] = &[
    "sh", "cat", "echo", "ls", "id", "tr", "nc", "wget", "dd", "head", "sleep", "touch", "mkdir",
    "true", "grep", "hostname", "yes", "tail", "wc", "cut", "ln", "mkfifo",
];

/// A layer: its uncompressed tar and how to store it.
pub struct LayerTar {
    /// The uncompressed tar.
    pub tar: Vec<u8>,
    /// How its blob is compressed.
    pub compression: Compression,
}

/// Tar entries, appended with raw headers (names and link names as given: `..`,
/// absolute paths and all).
pub struct TarBuilder {
    builder: tar::Builder<Vec<u8>>,
}

impl TarBuilder {
    pub fn new() -> Self {
        Self {
            builder: tar::Builder::new(Vec::new()),
        }
    }

    fn header(name: &str, kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
        let mut header = tar::Header::new_gnu();
        let bytes = name.as_bytes();
        assert!(bytes.len() < 100, "test entry names are short");
        header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_size(size);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        header
    }

    pub fn dir(mut self, name: &str) -> Self {
        let mut header = Self::header(name, tar::EntryType::Directory, 0o755, 0);
        header.set_cksum();
        self.builder.append(&header, &[][..]).unwrap();
        self
    }

    pub fn file(self, name: &str, data: &[u8]) -> Self {
        self.file_mode(name, data, 0o644)
    }

    pub fn file_mode(mut self, name: &str, data: &[u8], mode: u32) -> Self {
        let mut header = Self::header(name, tar::EntryType::Regular, mode, data.len() as u64);
        header.set_cksum();
        self.builder.append(&header, data).unwrap();
        self
    }

    fn link(mut self, kind: tar::EntryType, name: &str, target: &str) -> Self {
        let mut header = Self::header(name, kind, 0o777, 0);
        let bytes = target.as_bytes();
        assert!(bytes.len() < 100);
        header.as_old_mut().linkname[..bytes.len()].copy_from_slice(bytes);
        header.set_cksum();
        self.builder.append(&header, &[][..]).unwrap();
        self
    }

    pub fn symlink(self, name: &str, target: &str) -> Self {
        self.link(tar::EntryType::Symlink, name, target)
    }

    pub fn hardlink(self, name: &str, target: &str) -> Self {
        self.link(tar::EntryType::Link, name, target)
    }

    pub fn device(mut self, name: &str, kind: tar::EntryType) -> Self {
        let mut header = Self::header(name, kind, 0o666, 0);
        header.set_device_major(1).unwrap();
        header.set_device_minor(3).unwrap();
        header.set_cksum();
        self.builder.append(&header, &[][..]).unwrap();
        self
    }

    pub fn build(self) -> Vec<u8> {
        self.builder.into_inner().unwrap()
    }
}

/// A layer with `/bin/busybox` and its applets linked in `/bin`.
pub fn busybox_layer() -> Vec<u8> {
    let busybox = fs::read(BUSYBOX).unwrap_or_else(|e| {
        panic!("{BUSYBOX} is needed for the OCI tests (Debian's busybox-static, installed by scripts/bootstrap): {e}")
    });
    let mut tar = TarBuilder::new()
        .dir("bin/")
        .file_mode("bin/busybox", &busybox, 0o755)
        .dir("etc/");
    for applet in APPLETS {
        tar = tar.symlink(&format!("bin/{applet}"), "busybox");
    }
    tar.build()
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Writes `bytes` as a blob of the layout in `dir` and describes it.
pub fn write_blob(dir: &Path, media_type: MediaType, bytes: &[u8]) -> Descriptor {
    let digest = sha256(bytes);
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).unwrap();
    fs::write(blobs.join(&digest["sha256:".len()..]), bytes).unwrap();
    DescriptorBuilder::default()
        .media_type(media_type)
        .digest(Digest::from_str(&digest).unwrap())
        .size(bytes.len() as u64)
        .build()
        .unwrap()
}

/// The process of an image.
pub struct Process {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub user: Option<String>,
}

impl Process {
    /// `/bin/sh -c SCRIPT`.
    pub fn shell(script: &str) -> Self {
        Self {
            entrypoint: vec!["/bin/sh".into(), "-c".into()],
            cmd: vec![script.into()],
            env: vec!["PATH=/bin".into()],
            user: None,
        }
    }
}

/// Writes an image layout with `layers` (lowest first) into `dir` and returns the
/// path of each layer's blob.
pub fn write_image(dir: &Path, layers: &[LayerTar], process: &Process) -> Vec<PathBuf> {
    fs::create_dir_all(dir).unwrap();
    let mut descriptors = Vec::new();
    let mut diff_ids = Vec::new();
    let mut paths = Vec::new();
    for layer in layers {
        diff_ids.push(sha256(&layer.tar));
        let (media_type, bytes) = match layer.compression {
            Compression::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                encoder.write_all(&layer.tar).unwrap();
                (MediaType::ImageLayerGzip, encoder.finish().unwrap())
            }
            Compression::Zstd => (
                MediaType::ImageLayerZstd,
                zstd::encode_all(&layer.tar[..], 3).unwrap(),
            ),
            Compression::None => (MediaType::ImageLayer, layer.tar.clone()),
        };
        let descriptor = write_blob(dir, media_type, &bytes);
        paths.push(dir.join("blobs/sha256").join(descriptor.digest().digest()));
        descriptors.push(descriptor);
    }
    let mut config = ConfigBuilder::default()
        .entrypoint(process.entrypoint.clone())
        .cmd(process.cmd.clone())
        .env(process.env.clone());
    if let Some(user) = &process.user {
        config = config.user(user.clone());
    }
    let config = ImageConfigurationBuilder::default()
        .architecture(Arch::Amd64)
        .os(Os::Linux)
        .config(config.build().unwrap())
        .rootfs(
            RootFsBuilder::default()
                .typ("layers")
                .diff_ids(diff_ids)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let config = write_blob(
        dir,
        MediaType::ImageConfig,
        &serde_json::to_vec(&config).unwrap(),
    );
    let manifest = ImageManifestBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageManifest)
        .config(config)
        .layers(descriptors)
        .build()
        .unwrap();
    let mut manifest = write_blob(
        dir,
        MediaType::ImageManifest,
        &serde_json::to_vec(&manifest).unwrap(),
    );
    manifest.set_platform(Some(
        PlatformBuilder::default()
            .architecture(Arch::Amd64)
            .os(Os::Linux)
            .build()
            .unwrap(),
    ));
    let index = ImageIndexBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageIndex)
        .manifests(vec![manifest])
        .build()
        .unwrap();
    fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    let layout = OciLayoutBuilder::default()
        .image_layout_version("1.0.0")
        .build()
        .unwrap();
    fs::write(dir.join("oci-layout"), serde_json::to_vec(&layout).unwrap()).unwrap();
    paths
}

/// A busybox image running `script` in `/bin/sh -c`.
pub fn busybox_image(dir: &Path, script: &str) {
    write_image(
        dir,
        &[LayerTar {
            tar: busybox_layer(),
            compression: Compression::Gzip,
        }],
        &Process::shell(script),
    );
}

//! What the OCI executor costs (`cargo bench -p gpu-node --bench oci -- [RUNS]`, as
//! root, with runc and busybox-static):
//! - container start to exit of a trivial job (`/bin/true` in the busybox image),
//!   the image already unpacked (the container alone: `runc run` to its deletion) and
//!   whole (verify + unpack + bundle + run + cleanup), against running
//!   `/bin/busybox true` directly;
//! - verify + unpack rate of a 100 MB layer (incompressible bytes), plain and gzip;
//!   with `IPFS_API` set (a Kubo: `eval "$(ipfs/kubo up >/dev/null && ipfs/kubo env)"`),
//!   also its fetch from that Kubo (the image added to it first, so the blocks are
//!   local: the fetch pipeline's cost, not a network's) and fetch + verify + unpack.
//!
//! Not a test: it prints figures and checks only that each job succeeded.

#[path = "../tests/common/oci_image.rs"]
mod oci_image;

use std::{
    fs,
    os::unix::fs::PermissionsExt as _,
    path::Path,
    time::{Duration, Instant},
};

use gpu_node::executor::oci::{
    ImageLimits, OciJobRequest, Runc, SandboxLimits, VerifiedImage, image::Compression,
    run_image_job, unpack::unpack,
};
use oci_image::{LayerTar, Process, TarBuilder, busybox_layer, write_image};

const MB: f64 = 1_000_000.0;

fn mean(samples: &[f64]) -> f64 {
    samples.iter().sum::<f64>() / samples.len() as f64
}

fn min(samples: &[f64]) -> f64 {
    samples.iter().cloned().fold(f64::INFINITY, f64::min)
}

/// `len` bytes no compressor can shrink (xorshift64*).
fn incompressible(len: usize, mut state: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let base = tmp.path();
    fs::set_permissions(base, fs::Permissions::from_mode(0o755)).unwrap();
    let runc = Runc::find(&base.join("runc-state")).unwrap_or_else(|e| panic!("{e}"));
    let input = base.join("input");
    fs::create_dir(&input).unwrap();
    fs::set_permissions(&input, fs::Permissions::from_mode(0o755)).unwrap();

    // 1. A trivial job.
    let image = base.join("true-image");
    write_image(
        &image,
        &[LayerTar {
            tar: busybox_layer(),
            compression: Compression::Gzip,
        }],
        &Process {
            entrypoint: vec!["/bin/true".into()],
            cmd: vec![],
            env: vec![],
            user: None,
        },
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mut container, mut whole) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let out = base.join(format!("result-{run}"));
        let request = OciJobRequest {
            label: "test".into(),
            image_dir: image.clone(),
            input_dir: input.clone(),
            out_dir: out.clone(),
            work_dir: base.join("bundles"),
            runc: runc.clone(),
            image_limits: ImageLimits::default(),
            sandbox: SandboxLimits::default(),
            wall_clock: Duration::from_secs(60),
            output_cap: 1 << 20,
            max_output_bytes: 1 << 20,
            devices: Vec::new(),
            driver_files: Vec::new(),
        };
        let start = Instant::now();
        let report = rt.block_on(run_image_job(&request)).unwrap();
        whole.push(start.elapsed().as_secs_f64());
        assert!(report.container.succeeded(), "{report:?}");
        container.push(report.container.seconds);
        fs::remove_dir_all(&out).unwrap();
    }
    let mut direct = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = std::process::Command::new("/bin/busybox")
            .arg("true")
            .status()
            .unwrap();
        direct.push(start.elapsed().as_secs_f64());
        assert!(status.success());
    }
    println!("trivial job, {runs} runs each (mean / min):");
    println!(
        "  busybox true, directly:             {:8.2} ms / {:8.2} ms",
        mean(&direct) * 1e3,
        min(&direct) * 1e3
    );
    println!(
        "  in a container (runc run..delete):  {:8.2} ms / {:8.2} ms  ({:.0}x direct)",
        mean(&container) * 1e3,
        min(&container) * 1e3,
        mean(&container) / mean(&direct)
    );
    println!(
        "  whole job (verify, unpack, run):    {:8.2} ms / {:8.2} ms  ({:.0}x direct)",
        mean(&whole) * 1e3,
        min(&whole) * 1e3,
        mean(&whole) / mean(&direct)
    );

    // 2. A 100 MB layer: 25 files of 4 MB.
    let mut tar = TarBuilder::new().dir("data/");
    for i in 0..25u64 {
        tar = tar.file(&format!("data/{i:02}"), &incompressible(4_000_000, i + 1));
    }
    let tar = tar.build();
    let tar_mb = tar.len() as f64 / MB;
    let kubo = std::env::var_os("IPFS_API").map(|_| gpunion_ipfs::Kubo::from_env().unwrap());
    for compression in [Compression::None, Compression::Gzip] {
        let mut image = base.join(format!("big-{compression:?}"));
        write_image(
            &image,
            &[LayerTar {
                tar: tar.clone(),
                compression,
            }],
            &Process::shell("true"),
        );
        let mut fetch = Vec::new();
        if let Some(kubo) = &kubo {
            let cid = rt.block_on(kubo.add_dir(&image)).unwrap();
            for run in 0..3 {
                let dest = base.join(format!("fetched-{run}"));
                let limits = gpunion_ipfs::FetchLimits {
                    max_bytes: 1 << 30,
                    timeout: Duration::from_secs(60),
                };
                let start = Instant::now();
                rt.block_on(kubo.fetch_dir(&cid, &dest, limits, |_| {}))
                    .unwrap();
                fetch.push(start.elapsed().as_secs_f64());
                fs::remove_dir_all(&image).unwrap();
                image = dest;
            }
        }
        let (mut verify, mut unpacked) = (Vec::new(), Vec::new());
        for run in 0..3 {
            let start = Instant::now();
            let verified = VerifiedImage::open(&image, &ImageLimits::default()).unwrap();
            verify.push(start.elapsed().as_secs_f64());
            let rootfs = base.join(format!("rootfs-{run}"));
            let start = Instant::now();
            unpack(&verified, &rootfs, &ImageLimits::default()).unwrap();
            unpacked.push(start.elapsed().as_secs_f64());
            fs::remove_dir_all(&rootfs).unwrap();
        }
        let blob_mb = dir_size(&image.join("blobs")) as f64 / MB;
        let total = mean(&verify) + mean(&unpacked);
        println!(
            "{tar_mb:.0} MB layer, {compression:?} ({blob_mb:.0} MB blob), mean of 3: verify {:.0} MB/s, unpack {:.0} MB/s, verify + unpack {:.0} MB/s ({:.2} s)",
            blob_mb / mean(&verify),
            tar_mb / mean(&unpacked),
            tar_mb / total,
            total
        );
        if !fetch.is_empty() {
            let all = mean(&fetch) + total;
            println!(
                "  from the local Kubo: fetch {:.0} MB/s, fetch + verify + unpack {:.0} MB/s ({all:.2} s)",
                blob_mb / mean(&fetch),
                tar_mb / all
            );
        }
        fs::remove_dir_all(&image).unwrap();
    }
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                dir_size(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

//! The OCI executor against real runc, as root (CI runs `cargo test` as root, with
//! runc and busybox-static from `scripts/bootstrap`). A missing runc, busybox or root
//! fails these tests; they never skip.
//!
//! Images are made here from `/bin/busybox` (`common/oci_image.rs`). After every job,
//! good or bad, the test checks that the node's runc state root lists no container,
//! the bundle folder is gone, and the container's cgroups are removed.

mod common;

use std::{
    fs,
    io::ErrorKind,
    net::TcpListener,
    os::unix::fs::PermissionsExt as _,
    path::{Path, PathBuf},
    time::Duration,
};

use common::oci_image::{
    LayerTar, Process, TarBuilder, busybox_image, busybox_layer, write_blob, write_image,
};
use gpu_node::executor::oci::{
    ImageError, ImageLimits, OciJobError, OciJobReport, OciJobRequest, Runc, SandboxLimits,
    UnpackError, VerifiedImage,
    gpu::{DriverFile, DriverFiles, NvidiaDevices},
    image::Compression,
    remove_leftovers,
    result::run_to_result,
    run_image_job,
    runc::CGROUP_PARENT,
    unpack::unpack,
};
use gpunion_interface::job::container::{CONTAINER_MANIFEST_FILE, ContainerOutcome};
use gpunion_interface::job::{
    FailureKind, JobFailure, JobOutcome, JobReport, result::folder_outputs,
};
use oci_spec::image::MediaType;
use tempfile::TempDir;

/// A node's folders for one test: image, input, result, bundles, runc state.
struct Node {
    tmp: TempDir,
    runc: Runc,
}

impl Node {
    fn new() -> Node {
        // SAFETY: geteuid has no preconditions.
        let euid = unsafe { libc::geteuid() };
        assert_eq!(
            euid, 0,
            "the OCI executor's tests run runc as root (as CI does); run them as root"
        );
        let tmp = tempfile::tempdir().unwrap();
        let runc = Runc::find(&tmp.path().join("runc-state"))
            .unwrap_or_else(|e| panic!("the OCI tests need runc: {e}"));
        let input = tmp.path().join("input");
        fs::create_dir(&input).unwrap();
        fs::set_permissions(&input, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        Node { tmp, runc }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    fn image(&self) -> PathBuf {
        self.path("image")
    }

    fn input(&self) -> PathBuf {
        self.path("input")
    }

    fn out(&self) -> PathBuf {
        self.path("result")
    }

    fn request(&self) -> OciJobRequest {
        OciJobRequest {
            label: "test".into(),
            image_dir: self.image(),
            input_dir: self.input(),
            out_dir: self.out(),
            work_dir: self.path("bundles"),
            runc: self.runc.clone(),
            image_limits: ImageLimits::default(),
            sandbox: SandboxLimits {
                memory_bytes: 64 << 20,
                cpu_millis: 1000,
                pids: 32,
                processes_per_uid: 4096,
                open_files: 256,
                tmp_bytes: 16 << 20,
            },
            wall_clock: Duration::from_secs(60),
            output_cap: 64 << 10,
            max_output_bytes: 1 << 20,
            devices: Vec::new(),
            driver_files: Vec::new(),
        }
    }

    async fn run(&self, request: &OciJobRequest) -> Result<OciJobReport, OciJobError> {
        let result = run_image_job(request).await;
        self.assert_clean(
            result
                .as_ref()
                .ok()
                .map(|r| r.container.container_id.as_str()),
        )
        .await;
        result
    }

    /// No container in runc's state root, no bundle left, no output tmpfs still
    /// mounted, no cgroup of `id` left.
    async fn assert_clean(&self, id: Option<&str>) {
        let mounts = fs::read_to_string("/proc/self/mountinfo").unwrap();
        let ours = self.tmp.path().display().to_string();
        assert!(
            !mounts.lines().any(|m| m.contains(&ours)),
            "mounts left under {ours}"
        );
        assert_eq!(
            self.runc.list().await.unwrap(),
            Vec::<String>::new(),
            "containers left"
        );
        let bundles = self.path("bundles");
        if bundles.exists() {
            assert_eq!(fs::read_dir(&bundles).unwrap().count(), 0, "bundles left");
        }
        if let Some(id) = id {
            for controller in ["memory", "pids", "cpu", "devices"] {
                let cgroup = Path::new("/sys/fs/cgroup")
                    .join(controller)
                    .join(CGROUP_PARENT)
                    .join(id);
                assert!(!cgroup.exists(), "{} left", cgroup.display());
            }
        }
    }

    /// Drives `job` (a job that never ends on its own) until its container exists.
    async fn poll_until_container_exists(
        &self,
        mut job: std::pin::Pin<
            &mut impl std::future::Future<Output = Result<OciJobReport, OciJobError>>,
        >,
    ) {
        loop {
            let ended = tokio::time::timeout(Duration::from_millis(100), job.as_mut()).await;
            assert!(ended.is_err(), "the job ended on its own: {ended:?}");
            if !self.runc.list().await.unwrap().is_empty() {
                return;
            }
        }
    }

    fn output(&self, name: &str) -> String {
        fs::read_to_string(self.out().join("outputs").join(name))
            .unwrap_or_else(|e| panic!("output {name}: {e}"))
    }

    fn stderr(&self) -> String {
        fs::read_to_string(self.out().join("stderr.txt")).unwrap()
    }

    fn stdout(&self) -> String {
        fs::read_to_string(self.out().join("stdout.txt")).unwrap()
    }
}

#[tokio::test]
async fn a_job_reads_its_input_and_writes_its_output_in_the_sandbox() {
    let node = Node::new();
    fs::write(node.input().join("in.txt"), "hello gpu\n").unwrap();
    busybox_image(
        &node.image(),
        r#"tr a-z A-Z < /input/in.txt > /output/out.txt
echo "$1 $GREETING" > /output/args
id -u > /output/uid
grep -E '^(Seccomp|NoNewPrivs|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' /proc/self/status > /output/status
ls /dev > /output/dev
hostname > /output/hostname
unshare -U true 2>/dev/null; echo "unshare $?" > /output/unshare
cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us > /output/cgroup
ulimit -n > /output/nofile
echo done"#,
    );
    fs::write(
        node.image().join(CONTAINER_MANIFEST_FILE),
        r#"{"args": ["job", "first"], "env": ["GREETING=hi"]}"#,
    )
    .unwrap();
    // The machine's GPU 0 with the driver's nodes, where it has an NVIDIA driver.
    let host_gpus = NvidiaDevices::discover(Path::new("/dev")).unwrap();
    let mut request = node.request();
    request.devices = if host_gpus.gpus.is_empty() {
        Vec::new()
    } else {
        host_gpus.for_slots(&[host_gpus.gpus[0].0]).unwrap()
    };
    let report = node.run(&request).await.unwrap();
    assert_eq!(
        report.container.outcome,
        ContainerOutcome::Exited { code: 0 },
        "{}",
        fs::read_to_string(node.out().join("stderr.txt")).unwrap()
    );
    assert_eq!(node.output("out.txt"), "HELLO GPU\n");
    assert_eq!(node.output("args"), "first hi\n");
    assert_eq!(node.output("uid"), "65534\n");
    assert_eq!(node.stdout(), "done\n");
    let status = node.output("status");
    for line in [
        "Seccomp:\t2",
        "NoNewPrivs:\t1",
        "CapInh:\t0000000000000000",
        "CapPrm:\t0000000000000000",
        "CapEff:\t0000000000000000",
        "CapBnd:\t0000000000000000",
        "CapAmb:\t0000000000000000",
    ] {
        assert!(
            status.lines().any(|l| l == line),
            "{line:?} not in\n{status}"
        );
    }
    // Without NVIDIA devices on the host the container sees none; with them, it sees
    // exactly those passed (GPU 0 and the driver's control nodes).
    let dev = node.output("dev");
    let mut seen: Vec<&str> = dev.lines().filter(|l| l.starts_with("nvidia")).collect();
    seen.sort_unstable();
    let mut passed: Vec<String> = request
        .devices
        .iter()
        .map(|d| d.path.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    passed.sort_unstable();
    assert_eq!(seen, passed, "{dev}");
    assert_eq!(node.output("hostname"), "gpunion-job\n");
    assert_ne!(node.output("unshare"), "unshare 0\n");
    // The limits as the kernel holds them for this container (cgroup v1 here).
    assert_eq!(
        node.output("cgroup"),
        format!("{}\n{}\n32\n100000\n100000\n", 64 << 20, 64 << 20)
    );
    assert_eq!(node.output("nofile"), "256\n");
}

/// The namespaces, seen from inside: the job is PID 1 among a handful of processes,
/// its mounts outside `/proc`, `/sys` and `/dev` are only the root, the input, the
/// output and `/tmp` (none of the host's), and its cgroups are rooted at its own.
#[tokio::test]
async fn the_job_sees_only_its_own_processes_mounts_and_cgroups() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        r#"echo $$ > /output/pid
ls /proc | grep -c '^[0-9]' > /output/processes
cut -d' ' -f5 /proc/self/mountinfo > /output/mounts
cat /proc/self/cgroup > /output/cgroup"#,
    );
    let report = node.run(&node.request()).await.unwrap();
    assert!(report.container.succeeded(), "{}", node.stderr());
    assert_eq!(node.output("pid"), "1\n");
    let processes: u32 = node.output("processes").trim().parse().unwrap();
    assert!(processes <= 4, "{processes} processes in view");
    let mounts = node.output("mounts");
    let mut outside: Vec<&str> = mounts
        .lines()
        .filter(|m| !["/proc", "/sys", "/dev"].iter().any(|p| m.starts_with(p)))
        .collect();
    outside.sort_unstable();
    assert_eq!(outside, ["/", "/input", "/output", "/tmp"], "{mounts}");
    let cgroup = node.output("cgroup");
    assert!(
        cgroup.lines().all(|l| l.ends_with(":/")),
        "cgroups not rooted at the container's own:\n{cgroup}"
    );
}

#[tokio::test]
async fn the_image_user_is_kept_when_it_is_not_root() {
    let node = Node::new();
    let mut process = Process::shell("id -u > /output/uid; id -g >> /output/uid");
    process.user = Some("1000:1000".into());
    write_image(
        &node.image(),
        &[LayerTar {
            tar: busybox_layer(),
            compression: Compression::None,
        }],
        &process,
    );
    let report = node.run(&node.request()).await.unwrap();
    assert!(report.container.succeeded(), "{report:?}");
    assert_eq!(node.output("uid"), "1000\n1000\n");
}

#[tokio::test]
async fn the_root_and_everything_but_the_output_are_read_only() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        r#"for target in /pwned /bin/pwned /etc/pwned /input/pwned /proc/sys/kernel/hostname /sys/pwned /output/ok /tmp/ok; do
  echo x > $target; echo "$target $?" >> /output/writes
done"#,
    );
    let report = node.run(&node.request()).await.unwrap();
    assert!(report.container.succeeded(), "{report:?}");
    let writes = node.output("writes");
    for line in writes.lines() {
        let (target, code) = line.split_once(' ').unwrap();
        let allowed = matches!(target, "/output/ok" | "/tmp/ok");
        assert_eq!(code == "0", allowed, "{line}\n{}", node.stderr());
    }
    assert_eq!(writes.lines().count(), 8);
    assert!(!node.input().join("pwned").exists());
}

#[tokio::test]
async fn the_host_loopback_is_out_of_reach() {
    let node = Node::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    busybox_image(
        &node.image(),
        &format!(
            r#"nc -w 2 127.0.0.1 {port} < /dev/null; echo "nc $?" > /output/net
wget -T 2 -q -O /output/page http://127.0.0.1:{port}/; echo "wget $?" >> /output/net
cut -d: -f1 /proc/net/dev | tail -n +3 > /output/interfaces"#
        ),
    );
    let mut request = node.request();
    request.wall_clock = Duration::from_secs(20);
    let report = node.run(&request).await.unwrap();
    assert!(report.container.succeeded(), "{report:?}");
    let net = node.output("net");
    assert!(net.starts_with("nc ") && !net.contains("nc 0\n"), "{net}");
    assert!(!net.contains("wget 0\n"), "{net}");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the host listener was reached: {other:?}"),
    }
    assert_eq!(node.output("interfaces").trim(), "lo");
}

#[tokio::test]
async fn a_fork_bomb_is_stopped_by_the_pids_limit() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        "bomb() { bomb | bomb & }; while true; do bomb; done",
    );
    let mut request = node.request();
    request.wall_clock = Duration::from_secs(5);
    let report = node.run(&request).await.unwrap();
    let container = &report.container;
    assert!(
        matches!(container.outcome, ContainerOutcome::TimedOut { .. })
            || matches!(container.outcome, ContainerOutcome::Exited { code } if code != 0),
        "{container:?}"
    );
    assert!(
        container.pids_limit_hits.is_some_and(|n| n > 0),
        "{container:?}\n{}",
        node.stderr()
    );
}

#[tokio::test]
async fn a_memory_hog_is_killed_out_of_memory() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        "dd if=/dev/zero of=/dev/null bs=256M count=1",
    );
    let report = node.run(&node.request()).await.unwrap();
    let container = &report.container;
    assert_eq!(
        container.outcome,
        ContainerOutcome::OutOfMemory,
        "{container:?}"
    );
    assert!(container.oom_kills.is_some_and(|n| n > 0), "{container:?}");
}

#[tokio::test]
async fn a_job_that_never_exits_is_killed_at_its_time_limit() {
    let node = Node::new();
    busybox_image(&node.image(), "sleep 1000");
    fs::write(
        node.image().join(CONTAINER_MANIFEST_FILE),
        r#"{"time_limit_seconds": 2}"#,
    )
    .unwrap();
    let report = node.run(&node.request()).await.unwrap();
    assert_eq!(
        report.container.outcome,
        ContainerOutcome::TimedOut { limit_seconds: 2.0 }
    );
}

// ----- refused images: a typed error, nothing left behind -----

fn one_layer(node: &Node, tar: Vec<u8>) -> Vec<PathBuf> {
    write_image(
        &node.image(),
        &[
            LayerTar {
                tar: busybox_layer(),
                compression: Compression::Gzip,
            },
            LayerTar {
                tar,
                compression: Compression::None,
            },
        ],
        &Process::shell("true"),
    )
}

/// An image whose second layer has the size its descriptor says and other bytes;
/// returns its layers' blobs.
fn image_with_a_corrupt_layer(node: &Node) -> Vec<PathBuf> {
    let layers = one_layer(node, TarBuilder::new().file("a", b"aaaa").build());
    let mut bytes = fs::read(&layers[1]).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&layers[1], &bytes).unwrap();
    layers
}

#[tokio::test]
async fn a_layer_whose_digest_does_not_match_is_refused() {
    let node = Node::new();
    let layers = image_with_a_corrupt_layer(&node);
    let mut bytes = fs::read(&layers[1]).unwrap();
    let error = node.run(&node.request()).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Image(ImageError::DigestMismatch { .. })),
        "{error}"
    );
    assert!(error.is_customers());

    // One byte more: refused on its size, before it is hashed.
    bytes.push(0);
    fs::write(&layers[1], &bytes).unwrap();
    let error = node.run(&node.request()).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Image(ImageError::SizeMismatch { .. })),
        "{error}"
    );

    // A blob that is a symlink (here to a host file of the same size): never followed.
    let host_file = node.path("host-blob");
    bytes.pop();
    fs::write(&host_file, &bytes).unwrap();
    fs::remove_file(&layers[1]).unwrap();
    std::os::unix::fs::symlink(&host_file, &layers[1]).unwrap();
    let error = node.run(&node.request()).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Image(ImageError::MissingBlob { .. })),
        "{error}"
    );
}

#[tokio::test]
async fn an_image_over_the_size_limit_is_refused() {
    let node = Node::new();
    one_layer(
        &node,
        TarBuilder::new().file("big", &vec![7u8; 2 << 20]).build(),
    );
    let mut request = node.request();
    request.image_limits.max_blob_bytes = 2 << 20;
    let error = node.run(&request).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Image(ImageError::TooLarge { .. })),
        "{error}"
    );
    // Within the blob limit but over the unpacked one.
    request.image_limits.max_blob_bytes = 64 << 20;
    request.image_limits.max_unpacked_bytes = 2 << 20;
    let error = node.run(&request).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Unpack(UnpackError::TooLarge { .. })),
        "{error}"
    );
}

/// A gzip bomb: a small blob whose tar is followed by 64 MB of zeros. Decompressing
/// stops at the tar limit (twice the unpacked limit, plus framing), it does not read
/// on to the end.
#[tokio::test]
async fn a_decompression_bomb_is_cut_off() {
    let node = Node::new();
    let mut tar = TarBuilder::new().file("a", b"a").build();
    tar.resize(tar.len() + (64 << 20), 0);
    write_image(
        &node.image(),
        &[LayerTar {
            tar,
            compression: Compression::Gzip,
        }],
        &Process::shell("true"),
    );
    let blob_bytes: u64 = fs::read_dir(node.image().join("blobs/sha256"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(blob_bytes < 1 << 20, "the bomb is small: {blob_bytes}");
    let mut request = node.request();
    request.image_limits.max_unpacked_bytes = 4 << 20;
    request.image_limits.max_entries = 100;
    let error = node.run(&request).await.unwrap_err();
    assert!(
        matches!(error, OciJobError::Unpack(UnpackError::TooLarge { .. })),
        "{error}"
    );
}

#[tokio::test]
async fn entries_outside_the_root_are_refused() {
    let node = Node::new();
    let marker = node.path("escaped");
    for name in [
        "../../../escaped",
        "a/../../escaped",
        "/escaped",
        "./../escaped",
        // a whiteout of `..`, which would remove the root's parent folder
        "a/.wh...",
    ] {
        one_layer(&node, TarBuilder::new().file(name, b"out").build());
        let error = node.run(&node.request()).await.unwrap_err();
        assert!(
            matches!(
                error,
                OciJobError::Unpack(UnpackError::UnsafePath { layer: 1, .. })
            ),
            "{name}: {error}"
        );
        fs::remove_dir_all(node.image()).unwrap();
    }
    assert!(!marker.exists());
    assert!(!Path::new("/escaped").exists());
}

#[tokio::test]
async fn device_nodes_and_fifos_are_refused() {
    let node = Node::new();
    for kind in [
        tar::EntryType::Char,
        tar::EntryType::Block,
        tar::EntryType::Fifo,
    ] {
        one_layer(&node, TarBuilder::new().device("dev/evil", kind).build());
        let error = node.run(&node.request()).await.unwrap_err();
        assert!(
            matches!(error, OciJobError::Unpack(UnpackError::SpecialFile { .. })),
            "{kind:?}: {error}"
        );
        fs::remove_dir_all(node.image()).unwrap();
    }
}

#[tokio::test]
async fn links_out_of_the_root_are_refused() {
    let node = Node::new();
    let cases = [
        TarBuilder::new()
            .symlink("up", "../../../../../etc")
            .build(),
        TarBuilder::new().symlink("a/b/up", "../../../etc").build(),
        TarBuilder::new()
            .hardlink("passwd", "../../../../etc/passwd")
            .build(),
        TarBuilder::new().hardlink("passwd", "/etc/passwd").build(),
    ];
    for tar in cases {
        one_layer(&node, tar);
        let error = node.run(&node.request()).await.unwrap_err();
        assert!(
            matches!(
                error,
                OciJobError::Unpack(UnpackError::LinkOutsideRoot { .. })
            ),
            "{error}"
        );
        fs::remove_dir_all(node.image()).unwrap();
    }
}

/// A symlink to an absolute host folder, then a write through it: the write lands
/// inside the root, at the path the container sees, never in the host folder.
/// (The host folder is a temporary one, not `/etc`: a bug here must not damage the
/// machine running the test.)
#[tokio::test]
async fn a_write_through_a_planted_symlink_stays_in_the_root() {
    let node = Node::new();
    let host = node.path("host-etc");
    fs::create_dir(&host).unwrap();
    fs::write(host.join("passwd"), "host\n").unwrap();
    let host_abs = host.to_str().unwrap();
    let tar = TarBuilder::new()
        .symlink("evil", host_abs)
        .file("evil/passwd", b"planted\n")
        .symlink("rel", "evil")
        .file("rel/other", b"also planted\n")
        .build();
    one_layer(&node, tar);

    let image = VerifiedImage::open(&node.image(), &ImageLimits::default()).unwrap();
    let rootfs = node.path("rootfs");
    unpack(&image, &rootfs, &ImageLimits::default()).unwrap();
    assert_eq!(fs::read_to_string(host.join("passwd")).unwrap(), "host\n");
    assert_eq!(fs::read_dir(&host).unwrap().count(), 1);
    let inside = rootfs.join(host_abs.trim_start_matches('/'));
    assert_eq!(
        fs::read_to_string(inside.join("passwd")).unwrap(),
        "planted\n"
    );
    assert_eq!(
        fs::read_to_string(inside.join("other")).unwrap(),
        "also planted\n"
    );
    assert_eq!(fs::read_link(rootfs.join("evil")).unwrap(), host);

    // A file entry over an existing symlink replaces the link, never writes through it.
    let tar = TarBuilder::new()
        .symlink("bin/link", host_abs)
        .file("bin/link", b"replaced\n")
        .build();
    fs::remove_dir_all(node.image()).unwrap();
    one_layer(&node, tar);
    let image = VerifiedImage::open(&node.image(), &ImageLimits::default()).unwrap();
    let rootfs = node.path("rootfs2");
    unpack(&image, &rootfs, &ImageLimits::default()).unwrap();
    assert!(
        fs::symlink_metadata(rootfs.join("bin/link"))
            .unwrap()
            .is_file()
    );
    assert_eq!(fs::read_dir(&host).unwrap().count(), 1);
}

#[tokio::test]
async fn whiteouts_remove_lower_layers_files_and_setuid_bits_are_stripped_gzip_and_zstd() {
    let node = Node::new();
    let lower = TarBuilder::new()
        .file("a/gone", b"1")
        .file("a/kept", b"2")
        .file("b/old1", b"3")
        .file("b/old2", b"4")
        .file_mode("bin/su", b"5", 0o4755)
        .file_mode("bin/sg", b"6", 0o2711)
        .build();
    let upper = TarBuilder::new()
        .file("a/.wh.gone", b"")
        .file("b/new", b"7")
        .file("b/.wh..wh..opq", b"")
        .build();
    write_image(
        &node.image(),
        &[
            LayerTar {
                tar: lower,
                compression: Compression::Gzip,
            },
            LayerTar {
                tar: upper,
                compression: Compression::Zstd,
            },
        ],
        &Process::shell("true"),
    );
    let image = VerifiedImage::open(&node.image(), &ImageLimits::default()).unwrap();
    let rootfs = node.path("rootfs");
    unpack(&image, &rootfs, &ImageLimits::default()).unwrap();
    let names = |dir: &str| {
        let mut names: Vec<String> = fs::read_dir(rootfs.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("a"), ["kept"]);
    assert_eq!(names("b"), ["new"]);
    let mode = |p: &str| fs::metadata(rootfs.join(p)).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode("bin/su"), 0o755);
    assert_eq!(mode("bin/sg"), 0o711);
}

#[tokio::test]
async fn a_layer_that_differs_from_the_configs_diff_id_is_refused() {
    let node = Node::new();
    one_layer(&node, TarBuilder::new().file("a", b"a").build());
    // Rewrite the layer blob (and its descriptor) with another tar: the manifest's
    // digest matches, the config's diff_id does not.
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(node.image().join("index.json")).unwrap()).unwrap();
    let manifest_digest = index["manifests"][0]["digest"].as_str().unwrap();
    let manifest_path = node
        .image()
        .join("blobs/sha256")
        .join(&manifest_digest["sha256:".len()..]);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifest_path).unwrap()).unwrap();
    let other = write_blob(
        &node.image(),
        MediaType::ImageLayer,
        &TarBuilder::new().file("b", b"b").build(),
    );
    manifest["layers"][1] = serde_json::to_value(&other).unwrap();
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    let new_manifest = write_blob(&node.image(), MediaType::ImageManifest, &manifest_bytes);
    let mut index = index;
    index["manifests"][0]["digest"] = new_manifest.digest().to_string().into();
    index["manifests"][0]["size"] = manifest_bytes.len().into();
    fs::write(
        node.image().join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();
    let error = node.run(&node.request()).await.unwrap_err();
    assert!(
        matches!(
            error,
            OciJobError::Unpack(UnpackError::DiffIdMismatch { layer: 1, .. })
        ),
        "{error}"
    );
}

/// A job future dropped mid-run (the node cancelling it): the container is killed
/// and deleted and its bundle removed all the same.
#[tokio::test]
async fn a_cancelled_job_leaves_no_container_behind() {
    let node = Node::new();
    busybox_image(&node.image(), "echo started; sleep 1000");
    let request = node.request();
    let mut job = Box::pin(run_image_job(&request));
    node.poll_until_container_exists(job.as_mut()).await;
    drop(job);
    node.assert_clean(None).await;
}

/// An entrypoint that is not in the image: runc cannot start it, and the report
/// says so in runc's words rather than passing it off as the job's exit status.
#[tokio::test]
async fn an_entrypoint_missing_from_the_image_is_reported_as_not_started() {
    let node = Node::new();
    write_image(
        &node.image(),
        &[LayerTar {
            tar: busybox_layer(),
            compression: Compression::Gzip,
        }],
        &Process {
            entrypoint: vec!["/bin/no-such-program".into()],
            cmd: vec![],
            env: vec![],
            user: None,
        },
    );
    // A stale result from an earlier run is not mistaken for this one's.
    fs::create_dir_all(node.out().join("outputs")).unwrap();
    fs::write(node.out().join("outputs/stale"), "old").unwrap();
    let report = node.run(&node.request()).await.unwrap();
    match &report.container.outcome {
        ContainerOutcome::NotStarted { reason } => {
            assert!(reason.contains("no-such-program"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(!node.out().join("outputs/stale").exists());
}

/// A node that dies mid-job runs no destructor: its container goes on running and its
/// bundle stays. Here the job's future is forgotten (no drop runs), as a crash would
/// leave it; `remove_leftovers`, what a node calls when it starts, removes both.
#[tokio::test]
async fn leftovers_of_a_node_that_died_mid_job_are_removed_at_start() {
    let node = Node::new();
    busybox_image(&node.image(), "sleep 1000");
    let request = node.request();
    let mut job = Box::pin(run_image_job(&request));
    node.poll_until_container_exists(job.as_mut()).await;
    std::mem::forget(job);
    let left = node.runc.list().await.unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(fs::read_dir(node.path("bundles")).unwrap().count(), 1);

    let removed = remove_leftovers(&node.runc, &node.path("bundles"))
        .await
        .unwrap();
    assert_eq!(removed, left);
    node.assert_clean(Some(&left[0])).await;
}

/// Discovery by name and kind: character devices named like the NVIDIA driver's
/// (made here with mknod in a temporary folder: no GPU needed), anything else
/// ignored; slots choose GPUs, with the control nodes.
#[test]
fn nvidia_device_nodes_are_found_by_name_and_kind() {
    let _root = Node::new();
    let dev = tempfile::tempdir().unwrap();
    let mknod = |name: &str, minor: u32| {
        let path = std::ffi::CString::new(dev.path().join(name).to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mknod has no other preconditions.
        let rc = unsafe {
            libc::mknod(
                path.as_ptr(),
                libc::S_IFCHR | 0o600,
                libc::makedev(195, minor),
            )
        };
        assert_eq!(rc, 0, "mknod {name}: {}", std::io::Error::last_os_error());
    };
    mknod("nvidia0", 0);
    mknod("nvidia1", 1);
    mknod("nvidiactl", 255);
    fs::write(dev.path().join("nvidia2"), "not a device").unwrap();
    fs::write(dev.path().join("nvidia-uvm"), "not a device").unwrap();
    let found = NvidiaDevices::discover(dev.path()).unwrap();
    let gpus: Vec<(u32, u64)> = found.gpus.iter().map(|(i, d)| (*i, d.minor)).collect();
    assert_eq!(gpus, [(0, 0), (1, 1)]);
    let chosen: Vec<String> = found
        .for_slots(&[1])
        .unwrap()
        .iter()
        .map(|d| d.path.display().to_string())
        .collect();
    assert_eq!(chosen, ["/dev/nvidiactl", "/dev/nvidia1"]);
    assert_eq!(found.for_slots(&[2]), None);
    assert_eq!(found.for_slots(&[]), Some(Vec::new()));
    assert_eq!(
        NvidiaDevices::discover(&dev.path().join("absent")).unwrap(),
        NvidiaDevices::default()
    );
}

/// The failure of a job expected to fail.
fn failure_of(report: &JobReport) -> &JobFailure {
    match &report.outcome {
        JobOutcome::Failed(failure) => failure,
        JobOutcome::Succeeded => panic!("expected a failure: {report:?}"),
    }
}

/// Reads the result folder's `report.json` and checks it is the report returned.
fn saved_report(node: &Node, report: &JobReport) {
    let saved: JobReport =
        serde_json::from_slice(&fs::read(node.out().join("report.json")).unwrap()).unwrap();
    assert_eq!(&saved, report);
    assert!(node.out().join("log.txt").is_file());
}

#[tokio::test]
async fn a_result_lists_and_hashes_every_output_file_by_path() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        "mkdir -p /output/frames; echo one > /output/frames/1.txt; printf two > /output/b; echo ok",
    );
    let report = run_to_result(&node.request()).await.unwrap();
    node.assert_clean(None).await;
    assert_eq!(report.outcome, JobOutcome::Succeeded, "{report:?}");
    let files: Vec<_> = report.outputs.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["b", "frames/1.txt"]);
    let (_, hash) = folder_outputs(&node.out().join("outputs"), u64::MAX).unwrap();
    assert_eq!(report.output_hash.as_ref().unwrap().as_slice(), hash);
    let container = report.container.as_ref().unwrap();
    assert!(container.succeeded());
    // No NVIDIA device was given (none on this machine, or none asked): the report
    // says the container had no GPU.
    assert_eq!(container.gpu_devices, Vec::<String>::new());
    assert_eq!(node.stdout(), "ok\n");
    saved_report(&node, &report);
}

/// A job that leaves a symlink to a host file (or a FIFO) in its output: nothing of
/// it is published, the job fails, and what it printed is kept.
#[tokio::test]
async fn outputs_that_are_not_plain_files_fail_the_job_and_are_removed() {
    for script in [
        "echo secret > /output/x; ln -s /etc/shadow /output/shadow; echo made",
        "mkdir /output/d; mkfifo /output/d/pipe; echo made",
    ] {
        let node = Node::new();
        busybox_image(&node.image(), script);
        let report = run_to_result(&node.request()).await.unwrap();
        node.assert_clean(None).await;
        assert_eq!(failure_of(&report).kind, FailureKind::Output);
        assert_eq!(report.output_hash, None);
        assert!(report.outputs.is_empty());
        assert!(!node.out().join("outputs").exists(), "outputs were kept");
        assert_eq!(node.stdout(), "made\n");
        saved_report(&node, &report);
    }
}

/// `/output` is a tmpfs of the node's limit: a job cannot write past it (the node's
/// disk is never at risk); the write that would is refused.
#[tokio::test]
async fn a_job_cannot_write_more_output_than_the_limit() {
    let node = Node::new();
    busybox_image(
        &node.image(),
        "head -c 65536 /dev/zero > /output/big || exit 9",
    );
    let mut request = node.request();
    request.max_output_bytes = 16 << 10;
    let report = run_to_result(&request).await.unwrap();
    node.assert_clean(None).await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Exited);
    assert!(failure.message.contains("status 9"), "{}", failure.message);
    // What fitted is kept for the customer to see: exactly the limit.
    let big = fs::metadata(node.out().join("outputs/big")).unwrap().len();
    assert_eq!(big, 16 << 10);
}

/// The customer's mistakes are failed results (the lease gets its answer), never the
/// node's errors (which it would retry).
#[tokio::test]
async fn refused_images_and_failed_processes_are_failed_results() {
    let node = Node::new();
    image_with_a_corrupt_layer(&node);
    let report = run_to_result(&node.request()).await.unwrap();
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Image);
    assert!(failure.message.contains("digest"), "{}", failure.message);
    assert_eq!(report.container, None);
    saved_report(&node, &report);

    let node = Node::new();
    busybox_image(&node.image(), "echo fine");
    fs::write(
        node.image().join(CONTAINER_MANIFEST_FILE),
        r#"{"env": ["NOT A NAME=1"]}"#,
    )
    .unwrap();
    let report = run_to_result(&node.request()).await.unwrap();
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Manifest);
    assert_eq!(failure.field.as_deref(), Some("env[0]"));

    let node = Node::new();
    busybox_image(&node.image(), "echo partial > /output/p; exit 3");
    let report = run_to_result(&node.request()).await.unwrap();
    node.assert_clean(None).await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Exited);
    assert!(failure.message.contains("status 3"), "{}", failure.message);
    assert_eq!(report.output_hash, None);
    // Partial work stays for the customer to look at; it is not a result.
    assert_eq!(node.output("p"), "partial\n");
}

/// The driver's files reach a GPU container read-only, at the folders its
/// `LD_LIBRARY_PATH` and `PATH` name (files made here stand in for the driver's: no
/// NVIDIA driver on this machine).
#[tokio::test]
async fn driver_files_are_mounted_read_only_where_the_environment_names_them() {
    let node = Node::new();
    let host = node.path("driver");
    fs::create_dir(&host).unwrap();
    fs::write(host.join("libcuda.so.550.1"), "not really cuda\n").unwrap();
    fs::write(host.join("nvidia-smi"), "#!/bin/sh\necho GPU 0: stand-in\n").unwrap();
    fs::set_permissions(host.join("nvidia-smi"), fs::Permissions::from_mode(0o755)).unwrap();
    busybox_image(
        &node.image(),
        r#"cat /usr/local/nvidia/lib64/libcuda.so.1 > /output/lib
echo "$LD_LIBRARY_PATH" > /output/ld_path
nvidia-smi > /output/smi
echo x > /usr/local/nvidia/lib64/libcuda.so.1; echo "write $?" > /output/write
true"#,
    );
    let mut request = node.request();
    request.driver_files = vec![
        DriverFile {
            host: host.join("libcuda.so.550.1"),
            container: "/usr/local/nvidia/lib64/libcuda.so.1".into(),
        },
        DriverFile {
            host: host.join("nvidia-smi"),
            container: "/usr/local/nvidia/bin/nvidia-smi".into(),
        },
    ];
    let report = node.run(&request).await.unwrap();
    assert!(report.container.succeeded(), "{}", node.stderr());
    assert_eq!(node.output("lib"), "not really cuda\n");
    assert_eq!(node.output("ld_path"), "/usr/local/nvidia/lib64\n");
    assert_eq!(node.output("smi"), "GPU 0: stand-in\n");
    assert_ne!(node.output("write"), "write 0\n");
    assert_eq!(
        fs::read_to_string(host.join("libcuda.so.550.1")).unwrap(),
        "not really cuda\n"
    );
}

/// Every shared object `ldd` names for `binary` on this machine (the loader included).
fn shared_objects(binary: &Path) -> Vec<PathBuf> {
    let out = std::process::Command::new("ldd")
        .arg(binary)
        .output()
        .unwrap();
    assert!(out.status.success(), "ldd {}", binary.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let path = match line.split_once("=>") {
                Some((_, right)) => right.split_whitespace().next()?,
                None => line.split_whitespace().next()?,
            };
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

/// A GPU lease's container sees its GPU through the host's driver: where this machine
/// has an NVIDIA device and the driver's `nvidia-smi`, the container runs that
/// `nvidia-smi -L` (on the host's C library, copied into the image) and must list a
/// GPU. Where it has none (as here), the container of a GPU lease gets no device node
/// and no driver file, and its report lists no GPU.
#[tokio::test]
async fn a_gpu_lease_sees_its_gpu_where_the_machine_has_one() {
    let node = Node::new();
    let gpus = NvidiaDevices::discover(Path::new("/dev")).unwrap();
    let mut request = node.request();
    request.devices = gpus
        .gpus
        .first()
        .and_then(|(index, _)| gpus.for_slots(&[*index]))
        .unwrap_or_default();
    if request.devices.is_empty() {
        busybox_image(
            &node.image(),
            "ls /dev > /output/dev; ls /usr/local/nvidia > /output/driver 2>&1; true",
        );
        let report = node.run(&request).await.unwrap();
        assert!(report.container.succeeded(), "{}", node.stderr());
        assert!(
            !node.output("dev").contains("nvidia"),
            "{}",
            node.output("dev")
        );
        assert!(node.output("driver").contains("No such file"));
        assert_eq!(report.container.gpu_devices, Vec::<String>::new());
        return;
    }
    request.driver_files = DriverFiles::discover(Path::new("/")).unwrap().files;
    let smi = request
        .driver_files
        .iter()
        .find(|f| f.container.ends_with("nvidia-smi"))
        .expect("a machine with an NVIDIA GPU has the driver's nvidia-smi")
        .host
        .clone();
    let nvml = request
        .driver_files
        .iter()
        .find(|f| f.container.ends_with("libnvidia-ml.so.1"))
        .expect("the driver's libnvidia-ml.so.1")
        .host
        .clone();
    let mut libc = TarBuilder::new();
    let mut dirs = std::collections::BTreeSet::new();
    for object in shared_objects(&smi)
        .into_iter()
        .chain(shared_objects(&nvml))
    {
        if object
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("nvidia"))
        {
            continue;
        }
        let inside = object.strip_prefix("/").unwrap();
        let parents: Vec<&Path> = inside.ancestors().skip(1).collect();
        for dir in parents.into_iter().rev() {
            if !dir.as_os_str().is_empty() && dirs.insert(dir.to_path_buf()) {
                libc = libc.dir(&format!("{}/", dir.display()));
            }
        }
        libc = libc.file_mode(
            &inside.display().to_string(),
            &fs::read(&object).unwrap(),
            0o755,
        );
    }
    write_image(
        &node.image(),
        &[
            LayerTar {
                tar: busybox_layer(),
                compression: Compression::Gzip,
            },
            LayerTar {
                tar: libc.build(),
                compression: Compression::Gzip,
            },
        ],
        &Process::shell("nvidia-smi -L > /output/gpus"),
    );
    let report = node.run(&request).await.unwrap();
    assert!(report.container.succeeded(), "{}", node.stderr());
    assert!(
        node.output("gpus").contains("GPU 0:"),
        "{}",
        node.output("gpus")
    );
    assert!(!report.container.gpu_devices.is_empty());
}

//! The runtime bundle runc runs: `config.json` (an OCI runtime spec, built with
//! `oci-spec`'s types) beside the unpacked `rootfs/`.
//!
//! The sandbox, setting by setting:
//! - **Root**: the unpacked image, read-only. Writable places: `/output` (the job's
//!   output folder, bind-mounted), `/tmp` (a tmpfs of [`SandboxLimits::tmp_bytes`]),
//!   and runc's `/dev` and `/dev/shm` tmpfs (64 MiB each, in the memory cgroup).
//! - **Mounts**: runc's defaults (`/proc`, `/dev`, `/dev/pts`, `/dev/shm`,
//!   `/dev/mqueue`, `/sys` read-only, `/sys/fs/cgroup` read-only), the job's input
//!   read-only at `/input`, its output at `/output`; both `nosuid,nodev`. A GPU lease
//!   adds its device nodes and the NVIDIA driver's files, read-only ([`super::gpu`]).
//!   Nothing else of the host.
//! - **User**: the image's `User` when it is a numeric non-root uid (`1000` or
//!   `1000:1000`), otherwise 65534:65534 (nobody). A user name is not looked up in
//!   the image's `/etc/passwd`: it becomes nobody too.
//! - **Privileges**: `no_new_privileges`, every capability set empty, `oom_score_adj`
//!   1000 (the host's OOM killer takes the job first).
//! - **Namespaces**: new PID, network, IPC, UTS, mount and cgroup namespaces. The
//!   network namespace is new and empty: runc brings up its loopback and nothing
//!   else, so the host's network (its 127.0.0.1 included) is out of reach.
//! - **/proc**: runc's default masked paths (`/proc/kcore`, `/proc/keys`, ...) and
//!   read-only paths (`/proc/sys`, `/proc/sysrq-trigger`, ...), from `oci-spec`.
//! - **Seccomp** ([`seccomp_profile`]): everything allowed except what a compute job
//!   never needs, which fails with `EPERM` ([`DENIED_SYSCALLS`]); `clone` with any
//!   namespace flag fails too, and `clone3` with `ENOSYS` (libc falls back to
//!   `clone`, whose flags the filter can see).
//! - **Limits**: cgroup memory (+swap at the same value: no swap), CPU quota, pids;
//!   rlimits `RLIMIT_NOFILE`, `RLIMIT_NPROC` (per uid host-wide: a backstop),
//!   `RLIMIT_CORE` 0; the devices cgroup
//!   denies every device but runc's default few (`/dev/null`, `zero`, `full`,
//!   `random`, `urandom`, `tty`, `ptmx`). Which of these the machine enforces:
//!   `gpu-node/README.md`.

use std::path::{Path, PathBuf};

use oci_spec::{
    OciSpecError,
    image::ImageConfiguration,
    runtime::{
        self, Capabilities, LinuxBuilder, LinuxCapabilitiesBuilder, LinuxCpuBuilder,
        LinuxDeviceBuilder, LinuxDeviceCgroupBuilder, LinuxDeviceType, LinuxMemoryBuilder,
        LinuxPidsBuilder, LinuxResourcesBuilder, LinuxSeccomp, LinuxSeccompAction,
        LinuxSeccompArgBuilder, LinuxSeccompBuilder, LinuxSeccompOperator, LinuxSyscall,
        LinuxSyscallBuilder, Mount, MountBuilder, PosixRlimitBuilder, PosixRlimitType,
        ProcessBuilder, RootBuilder, Spec, UserBuilder,
    },
};

use gpunion_interface::job::container::{ContainerManifest, ManifestError, check_env_name};

use super::gpu::{DRIVER_BIN_DIR, DRIVER_LIB_DIR, DeviceNode, DriverFile};

/// The uid and gid a job runs as when its image does not name a non-root uid.
pub const NOBODY: u32 = 65534;
/// Where the job's input is mounted (read-only).
pub const INPUT_MOUNT: &str = "/input";
/// Where the job's output folder is mounted (read-write).
pub const OUTPUT_MOUNT: &str = "/output";
/// The rootfs folder's name in the bundle.
pub const ROOTFS_DIR: &str = "rootfs";
/// The `PATH` a job gets when its image sets none.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// System calls that fail with `EPERM` in the container: none is needed to compute,
/// each is a way out or a way to the kernel's less-trodden code (with every
/// capability dropped most would fail anyway; the filter is the second wall).
pub const DENIED_SYSCALLS: &[&str] = &[
    // file systems and the root
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "name_to_handle_at",
    "open_by_handle_at",
    "quotactl",
    "quotactl_fd",
    // namespaces
    "unshare",
    "setns",
    // other processes' memory
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    // the kernel itself
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "iopl",
    "ioperm",
    "lookup_dcookie",
    "uselib",
    "nfsservctl",
    "create_module",
    "get_kernel_syms",
    "query_module",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    // keys
    "keyctl",
    "add_key",
    "request_key",
    // the machine
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "stime",
    "vhangup",
    "fanotify_init",
];

/// `clone` flags that make namespaces: `clone` with any of them fails with `EPERM`.
const CLONE_NAMESPACE_FLAGS: &[u64] = &[
    0x0002_0000, // CLONE_NEWNS
    0x0200_0000, // CLONE_NEWCGROUP
    0x0400_0000, // CLONE_NEWUTS
    0x0800_0000, // CLONE_NEWIPC
    0x1000_0000, // CLONE_NEWUSER
    0x2000_0000, // CLONE_NEWPID
    0x4000_0000, // CLONE_NEWNET
];

/// What a job may use inside its container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Memory (and memory + swap), bytes: the cgroup's limit.
    pub memory_bytes: u64,
    /// CPU time per period, in thousandths of a CPU (1500 = one and a half cores).
    pub cpu_millis: u64,
    /// Processes and threads at once in the container: the pids cgroup's limit.
    pub pids: u32,
    /// `RLIMIT_NPROC`: a backstop only. The kernel counts it per uid across the
    /// whole host, so every job running as the same uid (nobody) shares it; the
    /// per-job cap is [`SandboxLimits::pids`].
    pub processes_per_uid: u64,
    /// Open files per process (`RLIMIT_NOFILE`).
    pub open_files: u64,
    /// The size of the `/tmp` tmpfs, bytes.
    pub tmp_bytes: u64,
}

impl Default for SandboxLimits {
    /// 2 GiB, 2 CPUs, 256 processes (4096 per uid on the host), 1024 open files,
    /// 256 MiB of `/tmp`.
    fn default() -> Self {
        Self {
            memory_bytes: 2 << 30,
            cpu_millis: 2000,
            pids: 256,
            processes_per_uid: 4096,
            open_files: 1024,
            tmp_bytes: 256 << 20,
        }
    }
}

/// What a runtime spec could not be made from.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The image's config has no process to run.
    #[error("the image has neither an entrypoint nor a command")]
    NoCommand,
    /// The image's config has an entry that cannot be passed on.
    #[error("the image config's {field}: {reason}")]
    ImageConfig {
        /// Which field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The job manifest broke a rule.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// `oci-spec` refused a value (a builder's check).
    #[error("runtime spec: {0}")]
    Oci(#[from] OciSpecError),
}

/// What of the host the container sees.
#[derive(Clone, Debug)]
pub struct JobMounts {
    /// Mounted read-only at [`INPUT_MOUNT`].
    pub input: PathBuf,
    /// Mounted read-write at [`OUTPUT_MOUNT`].
    pub output: PathBuf,
    /// Character devices created in the container's `/dev` (mode 0666) and allowed
    /// by its devices cgroup: the lease's GPUs. Empty: none.
    pub devices: Vec<DeviceNode>,
    /// The GPU driver's files, mounted read-only (with `LD_LIBRARY_PATH` and `PATH`
    /// naming their folders); empty for a job without a GPU.
    pub driver_files: Vec<DriverFile>,
}

/// The uid and gid the job runs as: the image's `User` when it is numeric and not
/// root, else [`NOBODY`].
pub fn job_user(config: &ImageConfiguration) -> (u32, u32) {
    let user = config
        .config()
        .as_ref()
        .and_then(|c| c.user().clone())
        .unwrap_or_default();
    let (uid, gid) = match user.split_once(':') {
        Some((u, g)) => (u.parse::<u32>().ok(), g.parse::<u32>().ok()),
        None => (user.parse::<u32>().ok(), None),
    };
    match uid {
        Some(uid) if uid != 0 => (uid, gid.filter(|&g| g != 0).unwrap_or(uid)),
        _ => (NOBODY, NOBODY),
    }
}

/// The runtime spec of a job: the image's process with the manifest's additions,
/// in the sandbox this module's docs describe. `cgroups_path` is where runc makes
/// the container's cgroups (`/gpunion/<id>`).
pub fn runtime_spec(
    config: &ImageConfiguration,
    manifest: &ContainerManifest,
    mounts: &JobMounts,
    limits: &SandboxLimits,
    cgroups_path: &Path,
) -> Result<Spec, SpecError> {
    manifest.check()?;
    let image = config.config().clone().unwrap_or_default();
    let mut args: Vec<String> = image.entrypoint().clone().unwrap_or_default();
    args.extend(image.cmd().clone().unwrap_or_default());
    args.extend(manifest.args.iter().cloned());
    if args.is_empty() {
        return Err(SpecError::NoCommand);
    }
    for (i, arg) in args.iter().enumerate() {
        if arg.contains('\0') {
            return Err(SpecError::ImageConfig {
                field: format!("Entrypoint/Cmd[{i}]"),
                reason: "contains a NUL byte".into(),
            });
        }
    }
    let mut env = environment(image.env().as_deref().unwrap_or_default(), &manifest.env)?;
    if !mounts.driver_files.is_empty() {
        append_to_list(&mut env, "LD_LIBRARY_PATH", DRIVER_LIB_DIR);
        append_to_list(&mut env, "PATH", DRIVER_BIN_DIR);
    }
    let cwd = image
        .working_dir()
        .clone()
        .filter(|d| d.starts_with('/') && !d.contains('\0'))
        .unwrap_or_else(|| "/".into());
    let (uid, gid) = job_user(config);

    let no_capabilities = Capabilities::new();
    let process = ProcessBuilder::default()
        .terminal(false)
        .user(UserBuilder::default().uid(uid).gid(gid).build()?)
        .args(args)
        .env(env)
        .cwd(cwd)
        .no_new_privileges(true)
        .oom_score_adj(1000)
        .capabilities(
            LinuxCapabilitiesBuilder::default()
                .bounding(no_capabilities.clone())
                .effective(no_capabilities.clone())
                .inheritable(no_capabilities.clone())
                .permitted(no_capabilities.clone())
                .ambient(no_capabilities)
                .build()?,
        )
        .rlimits(vec![
            rlimit(PosixRlimitType::RlimitNofile, limits.open_files)?,
            rlimit(PosixRlimitType::RlimitNproc, limits.processes_per_uid)?,
            rlimit(PosixRlimitType::RlimitCore, 0)?,
        ])
        .build()?;

    let memory = i64::try_from(limits.memory_bytes).unwrap_or(i64::MAX);
    let period: u64 = 100_000;
    let quota = i64::try_from(limits.cpu_millis.saturating_mul(period) / 1000)
        .unwrap_or(i64::MAX)
        .max(1000);
    let mut device_rules = vec![
        LinuxDeviceCgroupBuilder::default()
            .allow(false)
            .access("rwm")
            .build()?,
    ];
    let mut devices = Vec::with_capacity(mounts.devices.len());
    for node in &mounts.devices {
        let major = i64::try_from(node.major).unwrap_or(i64::MAX);
        let minor = i64::try_from(node.minor).unwrap_or(i64::MAX);
        device_rules.push(
            LinuxDeviceCgroupBuilder::default()
                .allow(true)
                .typ(LinuxDeviceType::C)
                .major(major)
                .minor(minor)
                .access("rwm")
                .build()?,
        );
        devices.push(
            LinuxDeviceBuilder::default()
                .path(node.path.clone())
                .typ(LinuxDeviceType::C)
                .major(major)
                .minor(minor)
                .file_mode(0o666u32)
                .uid(0u32)
                .gid(0u32)
                .build()?,
        );
    }
    let resources = LinuxResourcesBuilder::default()
        .devices(device_rules)
        .memory(
            LinuxMemoryBuilder::default()
                .limit(memory)
                .swap(memory)
                .build()?,
        )
        .cpu(
            LinuxCpuBuilder::default()
                .quota(quota)
                .period(period)
                .build()?,
        )
        .pids(
            LinuxPidsBuilder::default()
                .limit(i64::from(limits.pids))
                .build()?,
        )
        .build()?;

    let defaults = runtime::Linux::default();
    let linux = LinuxBuilder::default()
        .namespaces(runtime::get_default_namespaces())
        .masked_paths(defaults.masked_paths().clone().unwrap_or_default())
        .readonly_paths(defaults.readonly_paths().clone().unwrap_or_default())
        .resources(resources)
        .cgroups_path(cgroups_path.to_owned())
        .seccomp(seccomp_profile()?)
        .devices(devices)
        .build()?;

    let mut all_mounts = runtime::get_default_mounts();
    all_mounts.push(bind_mount(&mounts.input, Path::new(INPUT_MOUNT), true)?);
    all_mounts.push(bind_mount(&mounts.output, Path::new(OUTPUT_MOUNT), false)?);
    for file in &mounts.driver_files {
        all_mounts.push(bind_mount(&file.host, &file.container, true)?);
    }
    all_mounts.push(
        MountBuilder::default()
            .destination("/tmp")
            .typ("tmpfs")
            .source("tmpfs")
            .options(vec![
                "nosuid".into(),
                "nodev".into(),
                "mode=1777".into(),
                format!("size={}", limits.tmp_bytes),
            ])
            .build()?,
    );

    let mut spec = Spec::default();
    spec.set_process(Some(process))
        .set_root(Some(
            RootBuilder::default()
                .path(ROOTFS_DIR)
                .readonly(true)
                .build()?,
        ))
        .set_hostname(Some("gpunion-job".into()))
        .set_mounts(Some(all_mounts))
        .set_annotations(None)
        .set_linux(Some(linux));
    Ok(spec)
}

fn rlimit(typ: PosixRlimitType, value: u64) -> Result<runtime::PosixRlimit, OciSpecError> {
    PosixRlimitBuilder::default()
        .typ(typ)
        .soft(value)
        .hard(value)
        .build()
}

fn bind_mount(source: &Path, destination: &Path, read_only: bool) -> Result<Mount, OciSpecError> {
    let mut options: Vec<String> = vec!["rbind".into(), "nosuid".into(), "nodev".into()];
    options.push(if read_only { "ro" } else { "rw" }.into());
    MountBuilder::default()
        .destination(destination)
        .typ("bind")
        .source(source)
        .options(options)
        .build()
}

/// The image's environment with the manifest's set over it, a `PATH` added when
/// neither has one.
fn environment(image: &[String], manifest: &[String]) -> Result<Vec<String>, SpecError> {
    let mut env: Vec<String> = Vec::new();
    for (i, item) in image.iter().enumerate() {
        let field = format!("Env[{i}]");
        let bad = |reason: &str| SpecError::ImageConfig {
            field: field.clone(),
            reason: reason.into(),
        };
        if item.contains('\0') {
            return Err(bad("contains a NUL byte"));
        }
        let Some((name, _)) = item.split_once('=') else {
            return Err(bad("not NAME=value"));
        };
        check_env_name(&field, name).map_err(|e| bad(&e.reason))?;
        set_var(&mut env, item);
    }
    for item in manifest {
        set_var(&mut env, item);
    }
    if !env.iter().any(|v| v.starts_with("PATH=")) {
        env.push(DEFAULT_PATH.into());
    }
    Ok(env)
}

/// Adds `dir` at the end of the `:`-separated list `name` (made if missing).
fn append_to_list(env: &mut Vec<String>, name: &str, dir: &str) {
    let prefix = format!("{name}=");
    match env.iter_mut().find(|v| v.starts_with(&prefix)) {
        Some(item) if item.len() > prefix.len() => {
            item.push(':');
            item.push_str(dir);
        }
        Some(item) => item.push_str(dir),
        None => env.push(format!("{prefix}{dir}")),
    }
}

fn set_var(env: &mut Vec<String>, item: &str) {
    let name = item.split_once('=').map_or(item, |(n, _)| n);
    env.retain(|v| v.split_once('=').map_or(v.as_str(), |(n, _)| n) != name);
    env.push(item.to_owned());
}

/// The seccomp filter: allow by default, [`DENIED_SYSCALLS`] and namespace-making
/// `clone` fail with `EPERM`, `clone3` with `ENOSYS`; on x86-64 and its 32-bit
/// ABIs (a syscall of any other architecture kills the process, libseccomp's
/// default for a foreign architecture).
pub fn seccomp_profile() -> Result<LinuxSeccomp, OciSpecError> {
    let eperm = libc::EPERM as u32;
    let mut syscalls: Vec<LinuxSyscall> = vec![
        LinuxSyscallBuilder::default()
            .names(
                DENIED_SYSCALLS
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            )
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(eperm)
            .build()?,
        LinuxSyscallBuilder::default()
            .names(vec!["clone3".to_string()])
            .action(LinuxSeccompAction::ScmpActErrno)
            .errno_ret(libc::ENOSYS as u32)
            .build()?,
    ];
    for &flag in CLONE_NAMESPACE_FLAGS {
        syscalls.push(
            LinuxSyscallBuilder::default()
                .names(vec!["clone".to_string()])
                .action(LinuxSeccompAction::ScmpActErrno)
                .errno_ret(eperm)
                .args(vec![
                    LinuxSeccompArgBuilder::default()
                        .index(0usize)
                        .value(flag)
                        .value_two(flag)
                        .op(LinuxSeccompOperator::ScmpCmpMaskedEq)
                        .build()?,
                ])
                .build()?,
        );
    }
    LinuxSeccompBuilder::default()
        .default_action(LinuxSeccompAction::ScmpActAllow)
        .architectures(vec![
            runtime::Arch::ScmpArchX86_64,
            runtime::Arch::ScmpArchX86,
            runtime::Arch::ScmpArchX32,
        ])
        .syscalls(syscalls)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::image::{ConfigBuilder, ImageConfigurationBuilder};

    fn config(user: Option<&str>, env: &[&str]) -> ImageConfiguration {
        let mut c = ConfigBuilder::default()
            .entrypoint(vec!["/bin/busybox".to_string()])
            .cmd(vec!["sh".to_string()])
            .env(env.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        if let Some(user) = user {
            c = c.user(user.to_string());
        }
        ImageConfigurationBuilder::default()
            .config(c.build().unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn root_and_named_users_become_nobody() {
        assert_eq!(job_user(&config(None, &[])), (NOBODY, NOBODY));
        assert_eq!(job_user(&config(Some("0"), &[])), (NOBODY, NOBODY));
        assert_eq!(job_user(&config(Some("root"), &[])), (NOBODY, NOBODY));
        assert_eq!(job_user(&config(Some("0:0"), &[])), (NOBODY, NOBODY));
        assert_eq!(job_user(&config(Some("1000"), &[])), (1000, 1000));
        assert_eq!(job_user(&config(Some("1000:0"), &[])), (1000, 1000));
        assert_eq!(job_user(&config(Some("1000:50"), &[])), (1000, 50));
    }

    #[test]
    fn the_spec_is_locked_down() {
        let manifest = ContainerManifest {
            args: vec!["-c".into(), "true".into()],
            env: vec!["A=2".into(), "B=3".into()],
            time_limit_seconds: None,
        };
        let mounts = JobMounts {
            input: "/in".into(),
            output: "/out".into(),
            devices: vec![DeviceNode {
                path: "/dev/nvidia1".into(),
                major: 195,
                minor: 1,
            }],
            driver_files: vec![DriverFile {
                host: "/usr/lib/x86_64-linux-gnu/libcuda.so.550.1".into(),
                container: "/usr/local/nvidia/lib64/libcuda.so.1".into(),
            }],
        };
        let spec = runtime_spec(
            &config(None, &["A=1", "PATH=/bin"]),
            &manifest,
            &mounts,
            &SandboxLimits::default(),
            Path::new("/gpunion/x"),
        )
        .unwrap();
        let process = spec.process().as_ref().unwrap();
        assert_eq!(
            process.args().as_ref().unwrap(),
            &["/bin/busybox", "sh", "-c", "true"]
        );
        assert_eq!(
            process.env().as_ref().unwrap(),
            &[
                "PATH=/bin:/usr/local/nvidia/bin",
                "A=2",
                "B=3",
                "LD_LIBRARY_PATH=/usr/local/nvidia/lib64"
            ]
        );
        assert_eq!(process.user().uid(), NOBODY);
        assert_eq!(process.no_new_privileges(), Some(true));
        let caps = process.capabilities().as_ref().unwrap();
        for set in [
            caps.bounding(),
            caps.effective(),
            caps.inheritable(),
            caps.permitted(),
            caps.ambient(),
        ] {
            assert!(set.as_ref().unwrap().is_empty());
        }
        assert_eq!(spec.root().as_ref().unwrap().readonly(), Some(true));
        let linux = spec.linux().as_ref().unwrap();
        let namespaces: Vec<_> = linux
            .namespaces()
            .as_ref()
            .unwrap()
            .iter()
            .map(|n| n.typ())
            .collect();
        for typ in [
            runtime::LinuxNamespaceType::Pid,
            runtime::LinuxNamespaceType::Network,
            runtime::LinuxNamespaceType::Ipc,
            runtime::LinuxNamespaceType::Uts,
            runtime::LinuxNamespaceType::Mount,
        ] {
            assert!(namespaces.contains(&typ), "{typ:?}");
        }
        let devices = linux.devices().as_ref().unwrap();
        assert_eq!(devices.len(), 1);
        assert_eq!(
            (
                devices[0].path().to_str(),
                devices[0].major(),
                devices[0].minor()
            ),
            (Some("/dev/nvidia1"), 195, 1)
        );
        let rules = linux
            .resources()
            .as_ref()
            .unwrap()
            .devices()
            .as_ref()
            .unwrap();
        assert!(
            !rules[0].allow() && rules[0].major().is_none(),
            "deny all first"
        );
        assert!(rules[1].allow() && rules[1].major() == Some(195) && rules[1].minor() == Some(1));
        assert!(
            linux
                .masked_paths()
                .as_ref()
                .unwrap()
                .contains(&"/proc/kcore".to_string())
        );
        let binds: Vec<_> = spec
            .mounts()
            .as_ref()
            .unwrap()
            .iter()
            .filter(|m| m.typ().as_deref() == Some("bind"))
            .map(|m| {
                (
                    m.destination().clone(),
                    m.options().as_ref().unwrap().contains(&"ro".to_string()),
                )
            })
            .collect();
        assert_eq!(
            binds,
            [
                (PathBuf::from(INPUT_MOUNT), true),
                (PathBuf::from(OUTPUT_MOUNT), false),
                (PathBuf::from("/usr/local/nvidia/lib64/libcuda.so.1"), true)
            ]
        );
    }

    #[test]
    fn a_bad_image_environment_is_refused() {
        let error = runtime_spec(
            &config(None, &["1BAD=x"]),
            &ContainerManifest::default(),
            &JobMounts {
                input: "/in".into(),
                output: "/out".into(),
                devices: Vec::new(),
                driver_files: Vec::new(),
            },
            &SandboxLimits::default(),
            Path::new("/gpunion/x"),
        )
        .unwrap_err();
        assert!(
            matches!(error, SpecError::ImageConfig { ref field, .. } if field == "Env[0]"),
            "{error}"
        );
    }
}

//! The provider node end to end, on the local chain and Kubo that `testnet/e2e`
//! starts (GPUNION_DEPLOYMENT, IPFS_API): `gpu-node init`, `register` and `serve` as a
//! person runs them, a customer's render job through the `gpunion` CLI to a saved PNG,
//! every kind of bad input, a container image's job under runc (and a corrupt image's),
//! and a node killed with `kill -9` mid-job. Each test's node is a child process killed
//! when the test ends, pass or fail.
//!
//!   testnet/e2e "cargo test -p gpu-node --test provider -- --ignored --test-threads=1"

#[allow(
    dead_code,
    reason = "the image builder is shared with tests/oci.rs, which uses all of it"
)]
mod common;

use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gpu_node::provider::config::{CONFIG_FILE, Config, KEYSTORE_FILE};
use gpunion_interface::job::{FailureKind, JobOutcome, JobReport, REPORT_FILE};
use gpunion_interface::lease_link::{AccessError, Answer};
use gpunion_interface::market::check::{Check, CheckState, Verdict};
use gpunion_interface::market::{LeaseResult, LeaseState, Workload, WorkloadKind};
use gpunion_interface::trace::{TRACE_FILE, Trace};
use gpunion_ipfs::{Cid, FetchLimits, Kubo};
use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::keystore::{Keystore, generate_mnemonic};
use gpunion_sdk::{Chain, Deployment, Signer, TestAccounts, job, tx};

const PASSPHRASE: &str = "e2e passphrase";
const GUT: u128 = 1_000_000;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn deployment_path() -> PathBuf {
    PathBuf::from(std::env::var("GPUNION_DEPLOYMENT").expect("run under testnet/e2e"))
}

fn chain() -> Chain {
    Chain::new(Deployment::load(deployment_path()).expect("deployment")).expect("chain")
}

fn kubo() -> Kubo {
    Kubo::from_env().expect("IPFS_API")
}

fn gpu_node() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gpu-node"))
}

/// The `gpunion` CLI, built beside gpu-node by `make e2e`.
fn gpunion() -> PathBuf {
    let path = gpu_node().with_file_name("gpunion");
    assert!(
        path.exists(),
        "build the CLI first: cargo build -p gpunion-sdk"
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn test_signer(chain: &Chain, name: &str) -> Signer {
    let accounts = TestAccounts::load(repo().join("testnet/accounts.json")).unwrap();
    chain.signer(chain.wallet(&accounts.get(name).unwrap().mnemonic).unwrap())
}

/// Sends `address` fee tokens (from the faucet) and `gut` ugut (from the treasury).
async fn fund(chain: &Chain, address: &str, gut: u128) {
    let faucet = test_signer(chain, "faucet");
    let denom = chain.settings().gas_price.denom.clone();
    let msg = tx::bank_send_msg(faucet.address(), address, 50_000_000, &denom).unwrap();
    faucet.send(vec![msg], "e2e funding").await.unwrap();
    let treasury = test_signer(chain, "treasury");
    chain
        .gut()
        .unwrap()
        .transfer(&treasury, address, gut)
        .await
        .unwrap();
}

/// A fresh customer with `gut` ugut.
async fn customer(chain: &Chain, gut: u128) -> (Customer, String) {
    let mnemonic = generate_mnemonic().unwrap();
    let signer = chain.signer(chain.wallet(&mnemonic).unwrap());
    fund(chain, signer.address(), gut).await;
    let customer = Customer::new(signer, chain.market().unwrap(), chain.gut().unwrap(), None);
    (customer, mnemonic)
}

/// A node's home and its `gpu-node serve` process (killed on drop).
struct Node {
    home: tempfile::TempDir,
    address: String,
    metrics: String,
    serve: Option<Child>,
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Node {
    /// `gpu-node init` (a new key), funded, with `configure` applied to its config,
    /// then `gpu-node register`.
    async fn new(chain: &Chain, configure: impl FnOnce(&mut Config)) -> Self {
        let home = tempfile::tempdir().unwrap();
        let port = free_port();
        let init = Command::new(gpu_node())
            .args(["init", "--home"])
            .arg(home.path())
            .arg("--deployment")
            .arg(deployment_path())
            .args(["--metrics-listen", &format!("127.0.0.1:{port}")])
            .env("GPUNION_KEYSTORE_PASSPHRASE", PASSPHRASE)
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "init: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let mut config = Config::load(home.path()).unwrap();
        config.ipfs_api = kubo().api_url().to_string();
        // Out of the check pool unless a test puts it there: the nodes of earlier tests,
        // killed when they end, would otherwise be drawn for later tests' checks while
        // the chain still counts them live.
        config.provider.check_pool = false;
        configure(&mut config);
        config.save(home.path()).unwrap();
        let address = Keystore::load(&home.path().join(KEYSTORE_FILE))
            .unwrap()
            .address;
        fund(
            chain,
            &address,
            u128::from(config.provider.stake) + 100 * GUT,
        )
        .await;
        let register = Command::new(gpu_node())
            .args(["register", "--bench-seconds", "1", "--home"])
            .arg(home.path())
            .env("GPUNION_KEYSTORE_PASSPHRASE", PASSPHRASE)
            .output()
            .unwrap();
        assert!(
            register.status.success(),
            "register: {}",
            String::from_utf8_lossy(&register.stderr)
        );
        assert!(home.path().join(CONFIG_FILE).exists());
        Self {
            home,
            address,
            metrics: format!("127.0.0.1:{port}"),
            serve: None,
        }
    }

    fn log_path(&self) -> PathBuf {
        self.home.path().join("serve.log")
    }

    /// Starts `gpu-node serve` and waits until it answers on /status.
    fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let child = Command::new(gpu_node())
            .args(["serve", "--home"])
            .arg(self.home.path())
            .env("GPUNION_KEYSTORE_PASSPHRASE", PASSPHRASE)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.serve = Some(child);
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.status().is_none() {
            assert!(
                Instant::now() < deadline,
                "the node did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Edits the node's config (for its next start).
    fn reconfigure(&self, edit: impl FnOnce(&mut Config)) {
        let mut config = Config::load(self.home.path()).unwrap();
        edit(&mut config);
        config.save(self.home.path()).unwrap();
    }

    /// Starts `gpu-node serve` inside network namespace `ns` (its /status is then out of
    /// this process's reach) and waits until its log says it serves.
    fn start_in(&mut self, ns: &str) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        // nsenter joins the network namespace only: `ip netns exec` would also remount
        // /sys, hiding the cgroup mounts runc needs.
        let child = Command::new("nsenter")
            .arg(format!("--net=/var/run/netns/{ns}"))
            .arg(gpu_node())
            .args(["serve", "--home"])
            .arg(self.home.path())
            .env("GPUNION_KEYSTORE_PASSPHRASE", PASSPHRASE)
            .env("RUST_LOG", "info")
            // The harness's endpoints are this namespace's; the config names the lab's.
            .env_remove("IPFS_API")
            .env_remove("GPUNION_DEPLOYMENT")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.serve = Some(child);
        let deadline = Instant::now() + Duration::from_secs(120);
        while !self.log().contains("serving") {
            assert!(
                Instant::now() < deadline,
                "the node did not start in {ns}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// SIGKILL, as `kill -9` does.
    fn kill(&mut self) {
        if let Some(mut child) = self.serve.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The node's `/api/status`, if it answers.
    fn status(&self) -> Option<serde_json::Value> {
        use std::io::Read as _;
        let mut stream = std::net::TcpStream::connect(&self.metrics).ok()?;
        stream
            .write_all(b"GET /api/status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let body = response.split_once("\r\n\r\n")?.1;
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        value.get("provider").is_some().then_some(value)
    }

    fn miner(&self) -> Option<String> {
        self.status()?["miner"].as_str().map(str::to_string)
    }

    /// Waits up to two minutes for the market to show this node's proven hashrate: its
    /// idle mining, counted once a window with a solution of its is complete.
    async fn wait_for_proof(&self, chain: &Chain) {
        let market = chain.market().unwrap();
        let proof = wait_for(
            "a proven hashrate",
            Duration::from_secs(120),
            Duration::from_secs(1),
            async || {
                let record = market.provider_unverified(&self.address).await.unwrap();
                match record.and_then(|record| record.hashrate) {
                    Some(proof) if !proof.proven.is_zero() => Ok(proof),
                    other => Err(format!("{other:?}")),
                }
            },
            || self.log(),
        )
        .await;
        assert!(!proof.claimed.is_zero(), "register claims what it measured");
        eprintln!(
            "node {}: claimed {} H/s, proven {} H/s ({}‰)",
            self.address, proof.claimed, proof.proven, proof.ratio_permille
        );
    }

    /// Waits up to a minute for the miner to be in `state`, else fails saying `what`.
    async fn wait_for_miner(&self, state: &str, what: &str) {
        wait_for(
            what,
            Duration::from_secs(60),
            Duration::from_millis(500),
            async || match self.miner() {
                Some(now) if now == state => Ok(()),
                other => Err(format!("miner {other:?}")),
            },
            || self.log(),
        )
        .await;
    }
}

/// Asks `probe` every `every` until it gives `Ok`, for at most `within`; then fails
/// saying what it waited for (`what`), what it saw last (the `Err`) and `context()`
/// (a node's log).
async fn wait_for<T>(
    what: &str,
    within: Duration,
    every: Duration,
    mut probe: impl AsyncFnMut() -> Result<T, String>,
    context: impl Fn() -> String,
) -> T {
    let deadline = Instant::now() + within;
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(seen) => assert!(
                Instant::now() < deadline,
                "{what} within {within:?}; last seen: {seen}\n{}",
                context()
            ),
        }
        tokio::time::sleep(every).await;
    }
}

/// The market's GUT balance equals what it says it holds (escrow + stakes + check
/// fees), read at
/// one state: the totals are read before and after the balance, and only a pair that
/// did not move in between is compared.
async fn assert_market_balanced(chain: &Chain) {
    let market = chain.market().unwrap();
    let gut = chain.gut().unwrap();
    for _ in 0..20 {
        let before = market.escrow_totals().await.unwrap();
        let balance = gut.balance_unverified(market.address()).await.unwrap();
        let after = market.escrow_totals().await.unwrap();
        if before == after {
            assert_eq!(
                balance,
                after.escrowed.u128() + after.stakes.u128() + after.checks.u128(),
                "market balance {balance} != escrowed {} + stakes {} + checks {}",
                after.escrowed,
                after.stakes,
                after.checks
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("the market's totals never held still long enough to compare");
}

/// A child process killed when dropped (a test that fails leaves nothing running).
struct KillOnDrop(Option<Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Opens a lease for `cid` directly (no local validation: the node must cope).
async fn open(customer: &Customer, provider: &str, cid: &str, kind: WorkloadKind) -> u64 {
    // The provider may have registered a block ago: read at least the chain's tip.
    customer.catch_up().await.unwrap();
    customer
        .open_lease(
            provider,
            180,
            Workload {
                cid: cid.into(),
                kind,
            },
            u128::MAX,
        )
        .await
        .unwrap()
        .0
}

/// Waits for lease `lease_id`'s result, reads its report, and checks the settlement
/// once the lease is closed: paid + refunded = deposit, the customer refunded most.
async fn report_of(customer: &Customer, lease_id: u64) -> JobReport {
    let lease = job::wait_for_result(customer, lease_id, &mut |_| {})
        .await
        .unwrap();
    let cid: Cid = lease.result.as_ref().unwrap().cid.parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    kubo()
        .fetch_dir(
            &cid,
            dir.path(),
            FetchLimits {
                max_bytes: 64 << 20,
                timeout: Duration::from_secs(30),
            },
            |_| {},
        )
        .await
        .unwrap();
    let report: JobReport =
        serde_json::from_slice(&std::fs::read(dir.path().join(REPORT_FILE)).unwrap()).unwrap();
    let closed = job::close_if_open(customer, lease_id).await.unwrap();
    assert!(closed.state.is_final());
    assert_eq!(
        closed.paid_to_provider + closed.refunded,
        closed.deposit,
        "lease {lease_id} settles its whole deposit"
    );
    assert!(
        closed.refunded > closed.paid_to_provider,
        "lease {lease_id}: a job of seconds in a 180 s lease refunds most of it \
         (paid {}, refunded {})",
        closed.paid_to_provider,
        closed.refunded
    );
    report
}

fn failure_kind(report: &JobReport) -> (FailureKind, String) {
    match &report.outcome {
        JobOutcome::Failed(f) => (f.kind, format!("{:?} {}", f.field, f.message)),
        JobOutcome::Succeeded => panic!("expected a failure, the job succeeded"),
    }
}

/// A bundle of `workgroups` workgroups of 64 invocations, each running 60,000 steps of
/// a linear congruential generator (lavapipe ends any shader loop after 65,535
/// iterations, so the length comes from the workgroups: 1,000 take about 4 s on
/// lavapipe here). `None`: a job that never ends, 65,535 x 65,535 workgroups spinning
/// on an atomic flag nothing sets. Either under `time_limit` seconds.
fn spin_bundle(workgroups: Option<u32>, time_limit: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (shader, grid, out_bytes) = match workgroups {
        Some(n) => (
            "@group(0) @binding(0) var<storage, read> params: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    var x: u32 = id.x;
    for (var i: u32 = 0u; i < params[0]; i = i + 1u) { x = x * 1664525u + 1013904223u; }
    out[id.x] = x;
}
",
            [n, 1, 1],
            u64::from(n) * 64 * 4,
        ),
        None => (
            "@group(0) @binding(0) var<storage, read> params: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<atomic<u32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    for (var i: u32 = 0u; i < 65535u; i = i + 1u) {
        atomicAdd(&out[0], 1u);
        if (atomicLoad(&out[1]) == params[0] + 1u) { break; }
    }
}
",
            [65_535, 65_535, 1],
            8,
        ),
    };
    std::fs::write(dir.path().join("spin.wgsl"), shader).unwrap();
    std::fs::write(dir.path().join("params.bin"), 60_000u32.to_le_bytes()).unwrap();
    let manifest = serde_json::json!({
        "version": 1,
        "name": "spin",
        "shaders": ["spin.wgsl"],
        "buffers": [
            {"name": "params", "group": 0, "binding": 0, "size": 4,
             "usage": "storage_read", "initial": {"file": "params.bin"}},
            {"name": "out", "group": 0, "binding": 1, "size": out_bytes,
             "usage": "storage_read_write", "initial": "zeros"}
        ],
        "dispatches": [{"shader": "spin.wgsl", "entry_point": "main", "workgroups": grid}],
        "outputs": [{"buffer": "out", "file": "out.bin", "format": "raw"}],
        "time_limit_seconds": time_limit
    });
    std::fs::write(
        dir.path().join("job.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    dir
}

/// Copies the example bundle `name` into a new folder, applying `edit` to its files.
fn bundle_variant(name: &str, edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = repo().join("shaders/jobs").join(name);
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    edit(dir.path());
    dir
}

fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("job.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

/// A shader file's source with `edit` applied.
fn edit_shader(dir: &Path, edit: impl FnOnce(String) -> String) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("job.json")).unwrap()).unwrap();
    let file = manifest["shaders"][0].as_str().unwrap().to_string();
    let source = std::fs::read_to_string(dir.join(&file)).unwrap();
    std::fs::write(dir.join(&file), edit(source)).unwrap();
}

/// Runs `gpunion job run WORKLOAD --out OUT` as the customer `mnemonic` on `node`,
/// calling `on_tick` every 200 ms while it runs; fails the test if it hangs or fails.
/// Returns what it printed.
async fn cli_job_run(
    node: &Node,
    mnemonic: &str,
    workload: &Path,
    out: &Path,
    mut on_tick: impl FnMut(),
) -> String {
    let cli = Command::new(gpunion())
        .current_dir(repo())
        .arg("--deployment")
        .arg(deployment_path())
        .args(["--mnemonic-env", "CUSTOMER_MNEMONIC", "job", "run"])
        .arg(workload)
        .args(["--provider", &node.address, "--hours", "0.05", "--out"])
        .arg(out)
        .env("CUSTOMER_MNEMONIC", mnemonic)
        .env("IPFS_API", kubo().api_url())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut cli = KillOnDrop(Some(cli));
    let deadline = Instant::now() + Duration::from_secs(300);
    while cli.0.as_mut().unwrap().try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "gpunion job run hangs:\n{}",
            node.log()
        );
        on_tick();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let output = cli.0.take().unwrap().wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "gpunion job run failed:\n{stdout}\n{}\nnode log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        node.log()
    );
    assert!(stdout.contains("matches the chain"), "{stdout}");
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_render_job_from_the_cli_to_a_png_with_mining_paused_meanwhile() {
    let chain = chain();
    let mut node = Node::new(&chain, |_| {}).await;
    node.start();
    let (_, mnemonic) = customer(&chain, 100 * GUT).await;
    // Mining runs before any lease.
    node.wait_for_miner("mining", "the node never mined").await;
    let out = tempfile::tempdir().unwrap();
    // While the job runs, the miner is paused.
    let mut saw_paused = false;
    let stdout = cli_job_run(
        &node,
        &mnemonic,
        &repo().join("shaders/jobs/mandelbrot"),
        &out.path().join("result"),
        || saw_paused |= node.miner().as_deref() == Some("paused"),
    )
    .await;
    // The provider is paid for the seconds it served, even though the customer closes
    // the lease the moment the result is in (the result's post carries a heartbeat).
    let paid: u128 = stdout
        .split("paid ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the CLI says what was paid");
    assert!(paid > 0, "the provider was paid nothing:\n{stdout}");
    let png = out.path().join("result/outputs/image.png");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap().info().clone();
    assert!(info.width > 0 && info.height > 0);
    assert!(
        saw_paused,
        "the miner never paused during the lease:\n{}",
        node.log()
    );
    assert!(node.log().contains("mining_paused"), "{}", node.log());
    // And mines again after.
    node.wait_for_miner("mining", "mining did not resume").await;
    // Mining while idle is the node's proof of hardware: the market shows it beside the
    // hashrate `register` measured and claimed.
    node.wait_for_proof(&chain).await;
    assert_market_balanced(&chain).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_every_bad_input_ends_its_job_with_a_readable_error_and_the_node_serves_on() {
    let chain = chain();
    let mut node = Node::new(&chain, |c| {
        c.mining.enabled = false;
        c.limits.max_bundle_mib = 1;
        c.limits.fetch_timeout_seconds = 5;
    })
    .await;
    // Registered running containers (as root), then served with them off: a container
    // lease the chain lets through meets a node that no longer runs containers.
    let mut config = Config::load(node.home.path()).unwrap();
    config.containers.enabled = false;
    config.save(node.home.path()).unwrap();
    node.start();
    let (customer, _) = customer(&chain, 100 * GUT).await;
    let kubo = kubo();
    let provider = node.address.clone();

    let cases: Vec<(&str, tempfile::TempDir, FailureKind, &str)> = vec![
        (
            "malformed manifest",
            bundle_variant("matmul", |d| {
                edit_manifest(d, |m| {
                    m.as_object_mut().unwrap().remove("dispatches");
                })
            }),
            FailureKind::Manifest,
            "dispatches",
        ),
        (
            "shader that fails validation",
            bundle_variant("matmul", |d| {
                edit_shader(d, |s| format!("{s}\nfn broken( {{"))
            }),
            FailureKind::Shader,
            "",
        ),
        (
            "buffers over the allowance",
            bundle_variant("matmul", |d| {
                edit_manifest(d, |m| {
                    let last = m["buffers"].as_array().unwrap().len() - 1;
                    m["buffers"][last]["size"] = serde_json::json!(1u64 << 40);
                    m["buffers"][last]["initial"] = serde_json::json!("zeros");
                })
            }),
            FailureKind::OverAllowance,
            "size",
        ),
        (
            "bundle over the size limit",
            bundle_variant("matmul", |d| {
                std::fs::write(d.join("padding.bin"), vec![7u8; 2 << 20]).unwrap();
            }),
            FailureKind::Fetch,
            "limit",
        ),
        (
            "shader that never ends, killed at its 3 s time limit",
            spin_bundle(None, 3),
            FailureKind::TimedOut,
            "time_limit_seconds",
        ),
    ];
    for (what, dir, kind, needle) in &cases {
        let cid = kubo.add_dir(dir.path()).await.unwrap();
        let lease = open(
            &customer,
            &provider,
            &cid.to_string(),
            WorkloadKind::WgslBundle,
        )
        .await;
        let report = report_of(&customer, lease).await;
        let (got, text) = failure_kind(&report);
        assert_eq!(got, *kind, "{what}: {text}");
        assert!(
            text.contains(needle),
            "{what}: {text:?} should name {needle:?}"
        );
    }

    // A CID that cannot be found: valid, but nobody has it.
    let missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    let lease = open(&customer, &provider, missing, WorkloadKind::WgslBundle).await;
    let (got, text) = failure_kind(&report_of(&customer, lease).await);
    assert_eq!(got, FailureKind::Fetch, "{text}");
    assert!(text.to_lowercase().contains("not found"), "{text}");

    // A workload kind the node does not run: rejected with the reason, refunded in full.
    let good = kubo
        .add_dir(&repo().join("shaders/jobs/matmul"))
        .await
        .unwrap()
        .to_string();
    let lease = open(&customer, &provider, &good, WorkloadKind::OciImage).await;
    let rejected = wait_for(
        &format!("lease {lease} answered"),
        Duration::from_secs(60),
        Duration::from_secs(1),
        async || {
            let l = customer.lease(lease).await.unwrap().unwrap().lease;
            match l.state {
                LeaseState::Pending => Err("Pending".into()),
                _ => Ok(l),
            }
        },
        || node.log(),
    )
    .await;
    assert_eq!(rejected.state, LeaseState::Rejected);
    assert_eq!(rejected.refunded, rejected.deposit);
    let reason = customer.rejection_reason(lease).await.unwrap().unwrap();
    assert!(reason.contains("not supported"), "{reason}");

    // After all that, the node still serves a good job.
    let lease = open(&customer, &provider, &good, WorkloadKind::WgslBundle).await;
    let report = report_of(&customer, lease).await;
    assert!(
        matches!(report.outcome, JobOutcome::Succeeded),
        "{:?}\n{}",
        report.outcome,
        node.log()
    );
    assert_market_balanced(&chain).await;
    node.kill();
}

/// A customer's container job through the `gpunion` CLI: a busybox image made here,
/// with a job manifest and an input folder, run by `gpu-node serve` under runc, its
/// outputs, standard output and report fetched and checked against the chain. Before
/// it, a lease of the same image with one layer's bytes changed: the node refuses it
/// on its digest, posts the failure, and serves on. After it, a container lease
/// accepted for later by a node that restarts with containers off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_a_container_image_job_from_the_cli_and_a_corrupt_image_that_fails_cleanly() {
    use gpunion_interface::job::container::INPUT_DIR;

    let chain = chain();
    let mut node = Node::new(&chain, |c| c.mining.enabled = false).await;
    node.start();
    let (customer, mnemonic) = customer(&chain, 100 * GUT).await;
    // Registered as root with runc: the chain says it runs container images.
    let record = customer.provider(&node.address).await.unwrap().unwrap();
    assert_eq!(
        record.provider.attributes.workloads,
        [WorkloadKind::WgslBundle, WorkloadKind::OciImage]
    );
    let script = r#"tr a-z A-Z < /input/words.txt > /output/shout.txt
mkdir /output/meta; echo "$1 $MODE" > /output/meta/args
ls /dev | grep -c nvidia > /output/meta/gpus
echo "container says hi""#;

    let (corrupt, layers) = container_workload(None, script, None);
    let mut bytes = std::fs::read(&layers[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&layers[0], &bytes).unwrap();
    let cid = kubo().add_dir(corrupt.path()).await.unwrap();
    let lease = open(
        &customer,
        &node.address,
        &cid.to_string(),
        WorkloadKind::OciImage,
    )
    .await;
    let (kind, text) = failure_kind(&report_of(&customer, lease).await);
    assert_eq!(kind, FailureKind::Image, "{text}\n{}", node.log());
    assert!(text.contains("digest"), "{text}");

    let (good, _) = container_workload(
        None,
        script,
        Some(r#"{"args": ["job", "first"], "env": ["MODE=loud"], "time_limit_seconds": 60}"#),
    );
    let input = good.path().join(INPUT_DIR);
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("words.txt"), "quiet words\n").unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("result");
    cli_job_run(&node, &mnemonic, good.path(), &out, || {}).await;
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(read("outputs/shout.txt"), "QUIET WORDS\n");
    assert_eq!(read("outputs/meta/args"), "first loud\n");
    // No NVIDIA device on this machine: the container saw none, and the report says so.
    assert_eq!(read("outputs/meta/gpus"), "0\n");
    assert_eq!(read("stdout.txt"), "container says hi\n");
    let report: JobReport = serde_json::from_str(&read(REPORT_FILE)).unwrap();
    assert_eq!(report.outcome, JobOutcome::Succeeded);
    let container = report.container.expect("a container job's report");
    assert!(container.succeeded());
    assert!(container.gpu_devices.is_empty());
    // Nothing of either job is left on the node: no container, no bundle.
    let runc_state = node.home.path().join("runc");
    let left = std::fs::read_dir(&runc_state).map_or(0, |d| d.count());
    assert_eq!(left, 0, "containers left in {}", runc_state.display());
    let bundles = node.home.path().join("containers");
    assert_eq!(std::fs::read_dir(&bundles).map_or(0, |d| d.count()), 0);

    // A container lease accepted for later, then the node restarted with containers
    // off: the lease gets a failed result saying so, not a node retrying until its end.
    let cid = kubo().add_dir(good.path()).await.unwrap();
    let status = chain.rpc().status().await.unwrap();
    let now = status.sync_info.latest_block_time.unix_timestamp() as u64;
    let (lease, _) = customer
        .book_lease(
            &node.address,
            Some(now + 25),
            180,
            Workload {
                cid: cid.to_string(),
                kind: WorkloadKind::OciImage,
            },
            u128::MAX,
        )
        .await
        .unwrap();
    wait_for(
        "the lease accepted",
        Duration::from_secs(60),
        Duration::from_millis(500),
        async || {
            let l = customer.lease(lease).await.unwrap().unwrap().lease;
            l.accepted_at.map(drop).ok_or(format!("{:?}", l.state))
        },
        || node.log(),
    )
    .await;
    node.kill();
    let mut config = Config::load(node.home.path()).unwrap();
    config.containers.enabled = false;
    config.save(node.home.path()).unwrap();
    node.start();
    let (kind, text) = failure_kind(&report_of(&customer, lease).await);
    assert_eq!(kind, FailureKind::Unsupported, "{text}\n{}", node.log());
    assert_market_balanced(&chain).await;
    node.kill();
}

/// A busybox image running `script`, over `layer` when given (a layer crafted to be
/// refused), with the job manifest `manifest` when given; and its layers' blobs.
fn container_workload(
    layer: Option<Vec<u8>>,
    script: &str,
    manifest: Option<&str>,
) -> (tempfile::TempDir, Vec<PathBuf>) {
    use common::oci_image::{LayerTar, Process, busybox_layer, write_image};
    use gpu_node::executor::oci::image::Compression;
    let dir = tempfile::tempdir().unwrap();
    let mut layers = vec![LayerTar {
        tar: busybox_layer(),
        compression: Compression::Gzip,
    }];
    layers.extend(layer.map(|tar| LayerTar {
        tar,
        compression: Compression::None,
    }));
    let blobs = write_image(dir.path(), &layers, &Process::shell(script));
    if let Some(manifest) = manifest {
        std::fs::write(
            dir.path()
                .join(gpunion_interface::job::container::CONTAINER_MANIFEST_FILE),
            manifest,
        )
        .unwrap();
    }
    (dir, blobs)
}

/// Every bad image and every escape a container may try, each leased through the
/// market to one serving node: each lease ends with a result whose report names the
/// failure, the host is untouched, and the node serves a good image after them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_every_bad_image_and_escape_ends_its_lease_with_a_clear_error_and_the_node_serves_on() {
    use common::oci_image::TarBuilder;

    let chain = chain();
    let mut node = Node::new(&chain, |c| {
        c.mining.enabled = false;
        c.limits.fetch_timeout_seconds = 5;
        c.containers.max_image_mib = 8;
        c.containers.memory_limit_mib = 64;
        c.containers.pids = 32;
    })
    .await;
    node.start();
    let (customer, _) = customer(&chain, 200 * GUT).await;
    let kubo = kubo();
    let host = tempfile::tempdir().unwrap();
    let host_dir = host.path().display().to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();

    let random: Vec<u8> = (0..10u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    type Workload = (tempfile::TempDir, Vec<PathBuf>);
    let cases: Vec<(&str, Workload, Option<FailureKind>, &str)> = vec![
        (
            "an image over the node's 8 MiB limit",
            container_workload(
                Some(TarBuilder::new().file("big", &random).build()),
                "true",
                None,
            ),
            Some(FailureKind::Fetch),
            "limit",
        ),
        (
            "a tar entry climbing out with ../",
            container_workload(
                Some(TarBuilder::new().file("a/../../../escaped", b"out").build()),
                "true",
                None,
            ),
            Some(FailureKind::Image),
            "..",
        ),
        (
            "a tar entry with an absolute path",
            container_workload(
                Some(
                    TarBuilder::new()
                        .file(&format!("{host_dir}/abs"), b"out")
                        .build(),
                ),
                "true",
                None,
            ),
            Some(FailureKind::Image),
            "",
        ),
        (
            "a symlink pointing out of the root",
            container_workload(
                Some(
                    TarBuilder::new()
                        .symlink("up", "../../../../../etc")
                        .build(),
                ),
                "true",
                None,
            ),
            Some(FailureKind::Image),
            "",
        ),
        (
            "a device node in a layer",
            container_workload(
                Some(
                    TarBuilder::new()
                        .device("dev/evil", tar::EntryType::Char)
                        .build(),
                ),
                "true",
                None,
            ),
            Some(FailureKind::Image),
            "",
        ),
        (
            "a symlink to a host folder, then a write through it (lands in the root)",
            container_workload(
                Some(
                    TarBuilder::new()
                        .symlink("evil", &host_dir)
                        .file("evil/pwned", b"pwned")
                        .build(),
                ),
                // (The container's /tmp is its own tmpfs, over where the file landed.)
                "true",
                None,
            ),
            None,
            "",
        ),
        (
            "a connection to the host's 127.0.0.1",
            container_workload(
                None,
                &format!("nc -w 2 127.0.0.1 {port} < /dev/null || exit 7"),
                None,
            ),
            Some(FailureKind::Exited),
            "status 7",
        ),
        (
            "a write to the read-only root",
            container_workload(None, "echo x > /bin/pwned || exit 8", None),
            Some(FailureKind::Exited),
            "status 8",
        ),
        (
            "a memory hog under 64 MiB",
            container_workload(None, "dd if=/dev/zero of=/dev/null bs=256M count=1", None),
            Some(FailureKind::OutOfMemory),
            "memory",
        ),
        (
            "a fork bomb under 32 processes and 5 s",
            container_workload(
                None,
                "bomb() { bomb | bomb & }; while true; do bomb; done",
                Some(r#"{"time_limit_seconds": 5}"#),
            ),
            None,
            "",
        ),
        (
            "a job that never exits, killed at its 3 s limit",
            container_workload(None, "sleep 1000", Some(r#"{"time_limit_seconds": 3}"#)),
            Some(FailureKind::TimedOut),
            "3 s",
        ),
    ];
    for (what, (dir, _), expected, needle) in &cases {
        let cid = kubo.add_dir(dir.path()).await.unwrap();
        let lease = open(
            &customer,
            &node.address,
            &cid.to_string(),
            WorkloadKind::OciImage,
        )
        .await;
        let report = report_of(&customer, lease).await;
        match (expected, &report.outcome) {
            (Some(kind), _) => {
                let (got, text) = failure_kind(&report);
                assert_eq!(got, *kind, "{what}: {text}\n{}", node.log());
                assert!(
                    text.contains(needle),
                    "{what}: {text:?} should say {needle:?}"
                );
            }
            // The planted link resolves inside the root: the job runs and succeeds.
            (None, JobOutcome::Succeeded) if what.contains("symlink") => {}
            // A fork bomb ends at the pids limit or the wall clock, whichever first.
            (None, JobOutcome::Failed(f)) if what.contains("fork") => {
                assert!(
                    matches!(f.kind, FailureKind::Exited | FailureKind::TimedOut),
                    "{what}: {f:?}"
                );
            }
            (None, outcome) => panic!("{what}: {outcome:?}\n{}", node.log()),
        }
    }
    // The host is untouched: nothing written where the layers and the job aimed.
    assert_eq!(std::fs::read_dir(host.path()).unwrap().count(), 0);
    assert!(!Path::new("/escaped").exists());
    assert!(matches!(
        listener.accept(),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    ));

    let (good, _) = container_workload(None, "echo still serving > /output/ok", None);
    let cid = kubo.add_dir(good.path()).await.unwrap();
    let lease = open(
        &customer,
        &node.address,
        &cid.to_string(),
        WorkloadKind::OciImage,
    )
    .await;
    let report = report_of(&customer, lease).await;
    assert_eq!(report.outcome, JobOutcome::Succeeded, "{}", node.log());
    assert_market_balanced(&chain).await;
    node.kill();
}

/// Command lines of the running processes that mention `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(cmdline);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_a_node_killed_mid_job_resumes_and_nothing_is_posted_or_paid_twice() {
    let chain = chain();
    let mut node = Node::new(&chain, |c| c.mining.enabled = false).await;
    node.start();
    let (customer, _) = customer(&chain, 100 * GUT).await;
    // Long enough (seconds on lavapipe) to be killed in the middle.
    let slow = spin_bundle(Some(SLOW_WORKGROUPS), 120);
    let cid = kubo().add_dir(slow.path()).await.unwrap();
    let lease = open(
        &customer,
        &node.address,
        &cid.to_string(),
        WorkloadKind::WgslBundle,
    )
    .await;
    wait_for(
        "the job started",
        Duration::from_secs(60),
        Duration::from_millis(200),
        async || {
            let status = node.status().unwrap_or_default();
            let running = &status["jobs"]["running"];
            match running.as_array() {
                Some(jobs) if jobs.iter().any(|j| j["lease_id"] == lease) => Ok(()),
                _ => Err(format!("running {running}")),
            }
        },
        || node.log(),
    )
    .await;
    let job_dir = node.home.path().join("jobs").join(lease.to_string());
    let job_dir = job_dir.to_string_lossy().to_string();
    let executor = format!("{job_dir}/workload");
    wait_for(
        "the executor running",
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || {
            if processes_mentioning(&executor).is_empty() {
                Err("no process".into())
            } else {
                Ok(())
            }
        },
        || node.log(),
    )
    .await;
    node.kill();
    // The executor dies with its node: no orphan keeps the GPU.
    wait_for(
        "the executor gone with its node",
        Duration::from_secs(10),
        Duration::from_millis(200),
        async || match processes_mentioning(&executor) {
            left if left.is_empty() => Ok(()),
            left => Err(format!("orphaned executor: {left:?}")),
        },
        String::new,
    )
    .await;
    assert!(
        customer
            .lease(lease)
            .await
            .unwrap()
            .unwrap()
            .lease
            .result
            .is_none(),
        "killed before its result"
    );
    node.start();
    let report = report_of(&customer, lease).await;
    assert!(
        matches!(report.outcome, JobOutcome::Succeeded),
        "{:?}\n{}",
        report.outcome,
        node.log()
    );
    assert!(node.log().contains("running it again"), "{}", node.log());
    // One result and one settlement on chain for the lease, whatever the node retried.
    let market = chain.market().unwrap();
    for action in ["post_result", "close_lease"] {
        let query = format!(
            "wasm._contract_address='{}' AND wasm.action='{action}' AND wasm.lease_id='{lease}'",
            market.address()
        );
        let txs = chain.rpc().tx_memos(&query).await.unwrap();
        assert_eq!(txs.len(), 1, "{action} transactions for lease {lease}");
    }
    // What the provider was paid is what the lease says, once.
    let record = customer.lease(lease).await.unwrap().unwrap().lease;
    assert_eq!(record.paid_to_provider + record.refunded, record.deposit);
    assert_market_balanced(&chain).await;
    node.kill();
}

/// Workgroups of the kill test's job: about 13 s on lavapipe here.
const SLOW_WORKGROUPS: u32 = 3_000;

/// The port of an `http://host:port` URL.
fn port_of(url: &str) -> u16 {
    url.trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {url}"))
}

/// The lease link on simulated home networks (network namespaces this test makes and
/// always removes): a master node on the public network, the provider's node behind one
/// NAT and the customer behind another, the chain and Kubo reachable from there at
/// 10.77.0.2. The customer's CLI reaches the provider by the peer id the chain names,
/// punches a direct connection, reads the container job's status and live logs, and
/// forwards a port to an HTTP server inside the container, then downloads its result
/// straight from the provider and checks it against the chain; another key is refused; a
/// replayed proof, an out-of-order frame, an oversized frame and random bytes each end
/// their own stream with an error, and the node serves on; a second job is stopped by its
/// customer and its lease settles; a closed lease's link is shut.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_the_lease_link_reaches_a_provider_behind_a_nat_for_its_customer_only() {
    use gpunion_p2p::lab::{Lab, Nat, NsRuntime, expose, in_namespace, require_namespaces};
    use std::io::{BufRead as _, Read as _};

    require_namespaces();
    let chain = chain();
    let mut lab = Lab::new();
    let services = lab.public_host("svc", 2);
    let master_ns = lab.public_host("m1", 11);
    let provider_ns = lab.behind_nat("prov", 21, 1, Nat::Cone);
    let customer_ns = lab.behind_nat("cust", 22, 2, Nat::Cone);

    // The chain's RPC and Kubo's API, reachable from the lab's networks at 10.77.0.2.
    let mut deployment: serde_json::Value =
        serde_json::from_slice(&std::fs::read(deployment_path()).unwrap()).unwrap();
    let rpc_port = port_of(deployment["rpc"].as_str().unwrap());
    let kubo_port = port_of(kubo().api_url());
    let mut exposed = Vec::new();
    for port in [rpc_port, kubo_port] {
        let listen = std::net::SocketAddr::from(([10, 77, 0, 2], port));
        let target = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        exposed.push(expose(&services, listen, target).await.unwrap());
    }
    deployment["rpc"] = format!("http://10.77.0.2:{rpc_port}").into();
    let lab_files = tempfile::tempdir().unwrap();
    let lab_deployment = lab_files.path().join("deployment.json");
    std::fs::write(&lab_deployment, deployment.to_string()).unwrap();

    // A master node on the public network.
    let mut master = KillOnDrop(Some(
        Command::new("ip")
            .args(["netns", "exec", &master_ns])
            .arg(gpu_node())
            .arg("masternode")
            .arg("--home")
            .arg(lab_files.path().join("master"))
            .args(["--listen", "/ip4/10.77.0.11/tcp/4001"])
            .args(["--listen", "/ip4/10.77.0.11/udp/4001/quic-v1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let stdout = master.0.as_mut().unwrap().stdout.take().unwrap();
    let master_address = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("listening ")
                .filter(|a| a.contains("/tcp/"))
                .map(str::to_string)
        })
        .expect("the master node prints its address");

    // The provider: registered with a relayed address through the master, then serving
    // from behind its NAT.
    let master_for_node = master_address.clone();
    let mut node = Node::new(&chain, move |c| {
        c.mining.enabled = false;
        c.p2p.masters = vec![master_for_node];
    })
    .await;
    // Proven reads see the state one block behind: wait for the registration there.
    let market = chain.market().unwrap();
    let record = wait_for(
        "the registration provable",
        Duration::from_secs(30),
        Duration::from_millis(500),
        async || {
            let record = market.provider(&node.address).await.unwrap();
            record.ok_or_else(|| "not in the proven state yet".to_string())
        },
        String::new,
    )
    .await;
    let relayed = format!(
        "{master_address}/p2p-circuit/p2p/{}",
        record.attributes.peer_id
    );
    assert_eq!(record.attributes.multiaddrs, [relayed]);
    node.reconfigure(|c| {
        c.deployment = lab_deployment.clone();
        c.ipfs_api = format!("http://10.77.0.2:{kubo_port}");
    });
    node.start_in(&provider_ns);

    // The customer's container job: an HTTP server on the container's own loopback.
    let (customer, mnemonic) = customer(&chain, 100 * GUT).await;
    let script = r#"echo job started
mkdir -p /tmp/www && echo hello through the lease link > /tmp/www/index.html
echo httpd starting >&2
busybox httpd -f -p 127.0.0.1:8080 -h /tmp/www &
sleep 40
echo job done"#;
    let (image, _) = container_workload(None, script, Some(r#"{"time_limit_seconds": 150}"#));
    let cid = kubo().add_dir(image.path()).await.unwrap();
    let lease = open(
        &customer,
        &node.address,
        &cid.to_string(),
        WorkloadKind::OciImage,
    )
    .await;
    let lease_arg = lease.to_string();

    let cli = |mnemonic: &str, args: &[&str]| {
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", &customer_ns])
            .arg(gpunion())
            .arg("--deployment")
            .arg(&lab_deployment)
            .args(["--mnemonic-env", "CUSTOMER_MNEMONIC"])
            .args(args)
            .args(["--master", &master_address])
            .env("CUSTOMER_MNEMONIC", mnemonic);
        command
    };
    let run = |mnemonic: &str, args: &[&str]| {
        let out = cli(mnemonic, args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };

    // Status until the job runs; the connection is direct (hole punched through both NATs).
    let route = wait_for(
        "the job running, seen through the link",
        Duration::from_secs(120),
        Duration::from_secs(1),
        async || {
            let (ok, stdout, stderr) = run(&mnemonic, &["--json", "lease", "status", &lease_arg]);
            if ok {
                let status: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(status["lease_id"], lease);
                if status["job"] == "running" {
                    return Ok(stderr);
                }
            }
            Err(format!("{stdout}\n{stderr}"))
        },
        || node.log(),
    )
    .await;
    assert!(route.contains("connected (direct)"), "{route}");

    // The job's live logs.
    let logs = wait_for(
        "the job's logs",
        Duration::from_secs(60),
        Duration::from_secs(1),
        async || {
            let (ok, stdout, stderr) = run(&mnemonic, &["lease", "logs", &lease_arg]);
            if ok && stdout.contains("job started") && stderr.contains("httpd starting") {
                Ok(stderr)
            } else {
                Err(format!("{stdout}\n{stderr}"))
            }
        },
        String::new,
    )
    .await;
    assert!(logs.contains("-- not following"), "{logs}");

    // A port forward to the container's HTTP server, like `ssh -L`.
    let forward_log = lab_files.path().join("forward.log");
    let forward = cli(&mnemonic, &["lease", "forward", &lease_arg, "18080:8080"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&forward_log).unwrap())
        .spawn()
        .unwrap();
    let mut forward = KillOnDrop(Some(forward));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&forward_log)
        .unwrap_or_default()
        .contains("forwarding 127.0.0.1:18080")
    {
        assert!(
            forward.0.as_mut().unwrap().try_wait().unwrap().is_none(),
            "the forward ended: {}",
            std::fs::read_to_string(&forward_log).unwrap_or_default()
        );
        assert!(Instant::now() < deadline, "the forward never listened");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let ns = customer_ns.clone();
    let page = tokio::task::spawn_blocking(move || {
        in_namespace(&ns, || {
            let mut last = String::new();
            for _ in 0..40 {
                if let Ok(mut stream) = std::net::TcpStream::connect("127.0.0.1:18080") {
                    let _ = stream.write_all(b"GET /index.html HTTP/1.0\r\n\r\n");
                    let mut answer = String::new();
                    let _ = stream.read_to_string(&mut answer);
                    if answer.contains("hello through the lease link") {
                        return answer;
                    }
                    last = answer;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            panic!("no answer through the forward: {last:?}");
        })
    })
    .await
    .unwrap();
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    drop(forward);

    // Another key: refused, whatever it asks.
    let stranger = generate_mnemonic().unwrap();
    for args in [["lease", "status"], ["lease", "logs"]] {
        let (ok, _, stderr) = run(&stranger, &[args[0], args[1], &lease_arg]);
        assert!(!ok);
        assert!(stderr.contains("is not the customer of lease"), "{stderr}");
    }

    // Bad frames from a peer of the customer's network: each ends its own stream.
    let runtime = NsRuntime::new(&customer_ns);
    let attributes = record.attributes.clone();
    let wallet = chain.wallet(&mnemonic).unwrap();
    let outcomes = runtime
        .run(abuse_the_lease_link(
            master_address.clone(),
            attributes,
            wallet,
            lease,
        ))
        .await;
    assert!(
        matches!(
            &outcomes[0],
            Some(Answer::Refused(AccessError::Protocol { .. }))
        ),
        "random bytes: {outcomes:?}"
    );
    assert!(
        matches!(&outcomes[1], Some(Answer::Refused(AccessError::Protocol { reason })) if reason.contains("limit")),
        "oversized: {outcomes:?}"
    );
    assert!(
        matches!(
            &outcomes[2],
            Some(Answer::Refused(AccessError::Protocol { .. }))
        ),
        "a proof before the hello: {outcomes:?}"
    );
    assert_eq!(outcomes[3], Some(Answer::Granted), "the honest proof");
    assert!(
        matches!(
            &outcomes[4],
            Some(Answer::Refused(AccessError::BadSignature { .. }))
        ),
        "the same proof replayed on a new stream: {outcomes:?}"
    );
    drop(runtime);
    // The node serves on.
    let (ok, stdout, stderr) = run(&mnemonic, &["--json", "lease", "status", &lease_arg]);
    assert!(ok, "{stdout}\n{stderr}");

    // The result straight from the provider once the job is done, checked against the
    // hash the provider posted on chain.
    let result_dir = lab_files.path().join("result");
    let result_arg = result_dir.to_string_lossy().to_string();
    wait_for(
        "the result posted",
        Duration::from_secs(120),
        Duration::from_secs(1),
        async || {
            let l = customer.lease(lease).await.unwrap().unwrap().lease;
            l.result.map(drop).ok_or(format!("{:?}", l.state))
        },
        || node.log(),
    )
    .await;
    loop {
        let (ok, stdout, stderr) = run(
            &mnemonic,
            &["lease", "result", &lease_arg, "--out", &result_arg],
        );
        if ok {
            assert!(stdout.contains("matches the chain"), "{stdout}\n{stderr}");
            break;
        }
        let _ = std::fs::remove_dir_all(&result_dir);
        assert!(
            Instant::now() < deadline,
            "no result: {stdout}\n{stderr}\nnode log:\n{}",
            node.log()
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let stdout = std::fs::read_to_string(result_dir.join("stdout.txt")).unwrap();
    assert!(stdout.ends_with("job done\n"), "{stdout}");

    // A job its customer stops: the container is gone at once, the result says so, and
    // the lease settles for the seconds used.
    let (long, _) = container_workload(None, "echo started; sleep 600", None);
    let cid = kubo().add_dir(long.path()).await.unwrap();
    let stopped = open(
        &customer,
        &node.address,
        &cid.to_string(),
        WorkloadKind::OciImage,
    )
    .await;
    let stopped_arg = stopped.to_string();
    wait_for(
        "the second job running",
        Duration::from_secs(120),
        Duration::from_secs(1),
        async || {
            let (ok, stdout, stderr) = run(&mnemonic, &["--json", "lease", "status", &stopped_arg]);
            if ok && serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["job"] == "running"
            {
                Ok(())
            } else {
                Err(format!("{stdout}\n{stderr}"))
            }
        },
        || node.log(),
    )
    .await;
    let (ok, stdout, stderr) = run(&mnemonic, &["--json", "lease", "stop", &stopped_arg]);
    assert!(ok, "{stdout}\n{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["job"], "cancelled", "{stdout}");
    let (kind, text) = failure_kind(&report_of(&customer, stopped).await);
    assert_eq!(kind, FailureKind::Cancelled, "{text}\n{}", node.log());
    let (ok, _, stderr) = run(&mnemonic, &["lease", "stop", &stopped_arg]);
    assert!(!ok, "a settled lease cannot be stopped: {stderr}");

    // Closed: the link is shut for that lease (once the close is in the proven state,
    // a block behind the newest).
    job::close_if_open(&customer, lease).await.unwrap();
    let refusal = wait_for(
        "the link shut after the close",
        Duration::from_secs(30),
        Duration::from_secs(1),
        async || {
            let (ok, stdout, stderr) = run(&mnemonic, &["lease", "logs", &lease_arg]);
            if ok { Err(stdout) } else { Ok(stderr) }
        },
        String::new,
    )
    .await;
    assert!(refusal.contains("is not open"), "{refusal}");
    assert_market_balanced(&chain).await;
    for task in exposed {
        task.abort();
    }
    node.kill();
}

/// Tries the provider's lease link with, on one stream each: random bytes, a frame
/// announced over the limit, a proof before any hello, an honest handshake, and that
/// handshake's proof replayed on a new stream. What the provider answered to each.
async fn abuse_the_lease_link(
    master: String,
    attributes: gpunion_interface::market::ProviderAttributes,
    wallet: gpunion_sdk::keys::Wallet,
    lease_id: u64,
) -> Vec<Option<Answer>> {
    use futures::AsyncWriteExt as _;
    use gpunion_interface::lease_link::{Challenge, Hello, MAX_FRAME_BYTES, PROTOCOL, Request};
    use gpunion_p2p::{StreamProtocol, frame};
    use gpunion_sdk::lease_link::{CustomerLink, LinkSettings, sign_access};

    let link = CustomerLink::start(LinkSettings::with_masters(vec![master.parse().unwrap()]))
        .await
        .unwrap();
    let reached = link.reach(&attributes).await.unwrap();
    let mut control = link.host().control();
    let mut open = async || {
        control
            .open_stream(reached.peer, StreamProtocol::new(PROTOCOL))
            .await
            .unwrap()
    };
    let mut answers = Vec::new();
    // Random bytes (a fixed pseudo-random sequence, so a failure can be replayed).
    let mut stream = open().await;
    let junk: Vec<u8> = (0u32..300)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let _ = stream.write_all(&(junk.len() as u32).to_be_bytes()).await;
    let _ = stream.write_all(&junk).await;
    answers.push(
        frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES)
            .await
            .ok(),
    );
    // A frame announced as 4 GiB.
    let mut stream = open().await;
    let _ = stream.write_all(&u32::MAX.to_be_bytes()).await;
    answers.push(
        frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES)
            .await
            .ok(),
    );
    // A proof first.
    let mut stream = open().await;
    let early = gpunion_interface::lease_link::Proof {
        public_key: "02".repeat(33),
        signature: "00".repeat(64),
    };
    frame::write(&mut stream, &early, MAX_FRAME_BYTES)
        .await
        .unwrap();
    answers.push(
        frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES)
            .await
            .ok(),
    );
    // An honest handshake, then its proof replayed.
    let hello = Hello {
        lease_id,
        request: Request::Status,
    };
    let mut stream = open().await;
    frame::write(&mut stream, &hello, MAX_FRAME_BYTES)
        .await
        .unwrap();
    let challenge: Challenge = frame::read(&mut stream, MAX_FRAME_BYTES).await.unwrap();
    let proof = sign_access(
        &wallet,
        &challenge,
        lease_id,
        reached.peer,
        link.host().peer_id(),
    )
    .unwrap();
    frame::write(&mut stream, &proof, MAX_FRAME_BYTES)
        .await
        .unwrap();
    answers.push(
        frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES)
            .await
            .ok(),
    );
    let mut stream = open().await;
    frame::write(&mut stream, &hello, MAX_FRAME_BYTES)
        .await
        .unwrap();
    let _fresh: Challenge = frame::read(&mut stream, MAX_FRAME_BYTES).await.unwrap();
    frame::write(&mut stream, &proof, MAX_FRAME_BYTES)
        .await
        .unwrap();
    answers.push(
        frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES)
            .await
            .ok(),
    );
    answers
}

/// The serve logs of `nodes`, for a failure's message.
fn logs_of(nodes: &[&Node]) -> String {
    nodes
        .iter()
        .map(|n| format!("--- {}\n{}", n.address, n.log()))
        .collect()
}

/// Lease `lease_id`'s check once `done` says so of it (two minutes at most), which
/// must then be in state `expected`.
async fn check_when(
    customer: &Customer,
    lease_id: u64,
    done: impl Fn(&Check) -> bool,
    expected: CheckState,
    logs: impl Fn() -> String,
) -> Check {
    let check = wait_for(
        &format!("lease {lease_id}'s check to move on"),
        Duration::from_secs(120),
        Duration::from_secs(1),
        async || {
            let check = customer.check(lease_id).await.unwrap().expect("requested");
            if done(&check) {
                Ok(check)
            } else {
                Err(format!("{:?}", check.state))
            }
        },
        &logs,
    )
    .await;
    assert_eq!(check.state, expected, "{check:?}\n{}", logs());
    check
}

/// Checked results on the real chain, Kubo and two real `gpu-node serve` nodes in the
/// check pool, with the deterministic example bundle (`shaders/jobs/matmul-power`):
/// - an honest node's result passes: the other node re-runs it and is paid the fee;
/// - a lying provider (played by the test: it posts a made-up trace) is caught: one node
///   re-runs the job, the other referees, running only to the first dispatch where
///   the traces differ; the liar is slashed and its customer refunded;
/// - a checker that falls silent (killed once drawn) is timed out; nobody else can be
///   drawn, so the check ends Void and the fee goes back to the customer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local chain and Kubo: run under testnet/e2e"]
async fn e2e_checked_results_an_honest_pass_a_liar_refuted_and_a_silent_checker_timed_out() {
    let chain = chain();
    let market = chain.market().unwrap();
    let gut = chain.gut().unwrap();
    let pool_node = |c: &mut Config| {
        c.mining.enabled = false;
        c.provider.check_pool = true;
    };
    let mut first = Node::new(&chain, pool_node).await;
    let mut second = Node::new(&chain, pool_node).await;
    first.start();
    second.start();
    let in_pool = async |node: &Node| {
        wait_for(
            "the node in the check pool",
            Duration::from_secs(60),
            Duration::from_millis(500),
            async || {
                let record = market.provider_unverified(&node.address).await.unwrap();
                if record.is_some_and(|r| r.provider.in_check_pool) {
                    Ok(())
                } else {
                    Err("not in the pool".into())
                }
            },
            || node.log(),
        )
        .await;
    };
    in_pool(&first).await;
    in_pool(&second).await;
    let bundle = kubo()
        .add_dir(&repo().join("shaders/jobs/matmul-power"))
        .await
        .unwrap()
        .to_string();
    let (customer, _) = customer(&chain, 100 * GUT).await;
    let fee = market.config().await.unwrap().params.check_fee.u128();

    // An honest result passes.
    let lease = open(&customer, &first.address, &bundle, WorkloadKind::WgslBundle).await;
    customer.request_check(lease).await.unwrap();
    let check = check_when(
        &customer,
        lease,
        |c| c.state.is_final(),
        CheckState::Passed,
        || logs_of(&[&first, &second]),
    )
    .await;
    assert_eq!(
        check.checker.as_ref().map(|a| a.as_str()),
        Some(second.address.as_str())
    );
    let result = customer
        .lease(lease)
        .await
        .unwrap()
        .unwrap()
        .lease
        .result
        .unwrap();
    assert!(
        result.trace_root.is_some(),
        "the node posted its trace root"
    );
    let record = market
        .provider_unverified(&first.address)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.provider.stats.checked_results, 1);

    // A lying provider is caught: it accepts, is paid for a while, then posts a result
    // folder whose trace it made up.
    let liar = Node::new(&chain, |_| {}).await;
    let wallet = Keystore::load(&liar.home.path().join(KEYSTORE_FILE))
        .unwrap()
        .unlock(PASSPHRASE, &chain.deployment().prefix())
        .unwrap();
    let liar_agent = ProviderAgent::new(chain.signer(wallet), market.clone(), gut.clone());
    let stake_before = market
        .provider_unverified(&liar.address)
        .await
        .unwrap()
        .unwrap()
        .provider
        .stake
        .u128();
    let lease = open(&customer, &liar.address, &bundle, WorkloadKind::WgslBundle).await;
    liar_agent.accept(lease).await.unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    liar_agent.heartbeat().await.unwrap();
    liar_agent
        .withdraw(lease)
        .await
        .unwrap()
        .expect("earned something");
    let made_up = Trace::new((0..10u8).map(|i| [i; 32]));
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join(TRACE_FILE),
        serde_json::to_vec(&made_up).unwrap(),
    )
    .unwrap();
    let result_cid = kubo().add_dir(folder.path()).await.unwrap().to_string();
    liar_agent
        .post_result(
            lease,
            LeaseResult {
                cid: result_cid,
                output_hash: None,
                trace_root: Some(made_up.root_binary().unwrap()),
            },
        )
        .await
        .unwrap();
    let customer_before = gut.balance_unverified(customer.address()).await.unwrap();
    customer.request_check(lease).await.unwrap();
    let check = check_when(
        &customer,
        lease,
        |c| c.state.is_final(),
        CheckState::Refuted,
        || logs_of(&[&first, &second]),
    )
    .await;
    let Some(Verdict::Dispatch { index, .. }) = &check.verdict else {
        panic!("the referee ran to the first difference: {check:?}");
    };
    assert_eq!(
        *index, 0,
        "the made-up trace differs from the first dispatch"
    );
    let referee = check.referee.clone().unwrap();
    let checker = check.checker.clone().unwrap();
    assert_ne!(referee, checker);
    assert!(
        logs_of(&[&first, &second]).contains("referee: ran to the first difference"),
        "{}",
        logs_of(&[&first, &second])
    );
    let liar_record = market
        .provider_unverified(&liar.address)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(liar_record.provider.stats.refuted_results, 1);
    let refuted = customer.lease(lease).await.unwrap().unwrap().lease;
    let paid = refuted.paid_to_provider.u128();
    assert!(paid > 0);
    let slash = (stake_before - paid) / 10;
    assert_eq!(
        liar_record.provider.stake.u128(),
        stake_before - paid - slash
    );
    // The customer paid the fee, and got back everything the lease held and had paid
    // the liar (its whole deposit) and the slash less the referee's fee.
    let customer_after = gut.balance_unverified(customer.address()).await.unwrap();
    assert_eq!(
        customer_after,
        customer_before - fee + refuted.deposit.u128() + slash - fee,
        "the customer was refunded the wrong run"
    );
    assert_market_balanced(&chain).await;

    // A checker that falls silent once drawn is timed out; nobody else is left to
    // draw (the liar is not in the pool, `first` is the provider): Void, fee back.
    let lease = open(&customer, &first.address, &bundle, WorkloadKind::WgslBundle).await;
    customer.request_check(lease).await.unwrap();
    second.kill();
    let check = check_when(
        &customer,
        lease,
        |c| c.state != CheckState::Requested,
        CheckState::Checking,
        || logs_of(&[&first, &second]),
    )
    .await;
    let deadline = check.assignee.as_ref().unwrap().deadline;
    assert_eq!(check.assignee.unwrap().address.as_str(), second.address);
    // The node closes its lease once the result is posted: the customer's refund of
    // the unserved time lands first.
    wait_for(
        "the lease closed",
        Duration::from_secs(60),
        Duration::from_secs(1),
        async || {
            let state = customer.lease(lease).await.unwrap().unwrap().lease.state;
            if state.is_final() {
                Ok(())
            } else {
                Err(format!("{state:?}"))
            }
        },
        || logs_of(&[&first]),
    )
    .await;
    let before = gut.balance_unverified(customer.address()).await.unwrap();
    loop {
        match customer.timeout_check(lease).await {
            Ok(_) => break,
            Err(error) => {
                assert!(
                    error.to_string().contains("may be timed out after"),
                    "{error}"
                );
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
    let check = customer.check(lease).await.unwrap().unwrap();
    assert_eq!(check.state, CheckState::Void, "{check:?}");
    assert!(check.settled_at.unwrap() > deadline);
    let after = gut.balance_unverified(customer.address()).await.unwrap();
    assert_eq!(after, before + fee, "the fee came back");
    let silent = market
        .provider_unverified(&second.address)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !silent.provider.in_check_pool,
        "the silent checker left the pool"
    );
    assert_eq!(silent.provider.open_checks, 0);
    assert_market_balanced(&chain).await;
}

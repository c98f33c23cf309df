//! The client against a real Kubo. Each test starts a Kubo of its own with `ipfs/kubo`
//! (a temporary repo, free loopback ports) and a guard stops it, even when the test
//! panics. Needs the Kubo binary (scripts/bootstrap, or GPUNION_KUBO):
//!
//!   cargo test -p gpunion-ipfs --test kubo -- --ignored --test-threads=1

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use gpunion_ipfs::{Cid, FetchLimits, IpfsError, Kubo};

/// Kubo's default chunk size: the most a fetch may run past its limit before it stops.
const CHUNK: u64 = 256 * 1024;

/// A Kubo of a test's own; dropping it runs `ipfs/kubo stop`.
struct Node {
    repo: tempfile::TempDir,
    ports: [u16; 3],
    kubo: Kubo,
}

impl Node {
    fn start() -> Node {
        let repo = tempfile::tempdir().unwrap();
        let ports = free_ports();
        let kubo = Kubo::new(&format!("http://127.0.0.1:{}", ports[0])).unwrap();
        // The guard exists before `up`, so a daemon that starts but never answers stops too.
        let node = Node { repo, ports, kubo };
        node.script("up");
        node
    }

    fn script(&self, verb: &str) -> std::process::Output {
        let output = self.command(verb).output().unwrap();
        assert!(
            output.status.success() || verb == "stop",
            "ipfs/kubo {verb} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn command(&self, verb: &str) -> Command {
        let mut command = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("kubo"));
        command
            .arg(verb)
            .env("GPUNION_IPFS_HOME", self.repo.path().join("kubo"))
            .env("GPUNION_IPFS_API_PORT", self.ports[0].to_string())
            .env("GPUNION_IPFS_GATEWAY_PORT", self.ports[1].to_string())
            .env("GPUNION_IPFS_SWARM_PORT", self.ports[2].to_string());
        command
    }

    /// The recursive pins, by an RPC call the client does not offer.
    async fn is_pinned(&self, cid: &Cid) -> bool {
        let url = format!(
            "{}/api/v0/pin/ls?arg={cid}&type=recursive",
            self.kubo.api_url()
        );
        let answer: serde_json::Value = reqwest::Client::new()
            .post(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["Keys"][cid.as_str()]["Type"] == "recursive"
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.command("stop").status();
    }
}

/// Three loopback ports that were free a moment ago.
fn free_ports() -> [u16; 3] {
    let listeners: Vec<TcpListener> = (0..3)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let port = |i: usize| listeners[i].local_addr().unwrap().port();
    [port(0), port(1), port(2)]
}

/// Every file and folder below `dir`: relative path → contents (None for a folder).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, None);
                stack.push(path);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// File bytes below `dir`.
fn bytes_below(dir: &Path) -> u64 {
    tree(dir).values().flatten().map(|c| c.len() as u64).sum()
}

/// Bytes that do not repeat (so no chunk deduplicates against another).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A job bundle: nested folders, an empty file and folder, a name with a space and
/// non-ASCII, and a file of several chunks.
fn bundle(dir: &Path) {
    std::fs::create_dir_all(dir.join("data/deep/er")).unwrap();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::write(dir.join("job.json"), br#"{"image":"x","cmd":["run"]}"#).unwrap();
    std::fs::write(dir.join("data/weights.bin"), noise(700_000, 1)).unwrap();
    std::fs::write(dir.join("data/deep/er/a b+ü%.txt"), b"odd name").unwrap();
    std::fs::write(dir.join("data/deep/empty.txt"), b"").unwrap();
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn add_then_fetch_gives_the_same_bytes() {
    let node = Node::start();
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src");
    bundle(&src);

    assert!(node.kubo.version().await.unwrap().starts_with("0."));
    let cid = node.kubo.add_dir(&src).await.unwrap();
    assert_eq!(cid.version(), 1, "{cid}");
    assert!(cid.as_str().starts_with("bafy"), "a dag-pb CIDv1: {cid}");
    assert!(node.is_pinned(&cid).await, "add_dir pins");
    node.kubo.pin(&cid).await.unwrap(); // pinning again is fine

    let size = bytes_below(&src);
    let stat = node.kubo.stat(&cid, Duration::from_secs(5)).await.unwrap();
    assert!(stat.is_directory);
    assert!(
        stat.cumulative_size >= size && stat.cumulative_size < size + 4096,
        "cumulative size {} for {size} file bytes",
        stat.cumulative_size
    );

    let dest = work.path().join("dest");
    let limits = FetchLimits {
        max_bytes: size,
        timeout: Duration::from_secs(5),
    };
    let mut seen = Vec::new();
    let written = node
        .kubo
        .fetch_dir(&cid, &dest, limits, |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(written, size);
    assert_eq!(tree(&dest), tree(&src));
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "progress only grows: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&size));

    // The same CID again, and into a folder that is not empty: refused, nothing touched.
    assert_eq!(node.kubo.add_dir(&src).await.unwrap(), cid);
    let e = node
        .kubo
        .fetch_dir(&cid, &dest, limits, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(e, IpfsError::Io { .. }), "{e}");
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn a_bundle_over_the_limit_is_cut_off() {
    let node = Node::start();
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.bin"), noise(3_000_000, 2)).unwrap();
    std::fs::write(src.join("b.bin"), noise(3_000_000, 3)).unwrap();
    let cid = node.kubo.add_dir(&src).await.unwrap();

    let dest = work.path().join("dest");
    let limit = 1_000_000;
    let limits = FetchLimits {
        max_bytes: limit,
        timeout: Duration::from_secs(5),
    };
    let mut last = 0;
    let e = node
        .kubo
        .fetch_dir(&cid, &dest, limits, |n| last = n)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, IpfsError::TooLarge { limit: l, .. } if *l == limit),
        "{e}"
    );
    assert!(e.to_string().contains("cut off"), "{e}");
    let kept = bytes_below(&dest);
    assert!(kept > 0, "it started writing");
    assert!(
        kept < limit + CHUNK,
        "cut off near the limit: {kept} bytes written"
    );
    assert!(last <= limit, "progress stayed within the limit: {last}");
    // Kubo let go of the abandoned download: it still answers, and stops promptly.
    node.kubo.version().await.unwrap();
    let started = Instant::now();
    node.script("stop");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stop took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn an_absent_cid_is_not_found_within_the_timeout() {
    let node = Node::start();
    // A well-formed raw CIDv1 of bytes nobody has.
    let mut bytes = vec![0x01, 0x55, 0x12, 0x20];
    bytes.extend(noise(32, 4));
    let absent: Cid = format!(
        "b{}",
        data_encoding::BASE32_NOPAD
            .encode(&bytes)
            .to_ascii_lowercase()
    )
    .parse()
    .unwrap();
    let timeout = Duration::from_secs(2);

    let started = Instant::now();
    let e = node.kubo.stat(&absent, timeout).await.unwrap_err();
    assert!(matches!(e, IpfsError::NotFound { .. }), "{e}");
    assert!(
        started.elapsed() < timeout + Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    let dest = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let limits = FetchLimits {
        max_bytes: 1 << 20,
        timeout,
    };
    let e = node
        .kubo
        .fetch_dir(&absent, dest.path(), limits, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(e, IpfsError::NotFound { .. }), "{e}");
    assert!(e.to_string().contains("not found within"), "{e}");
    assert!(
        started.elapsed() < timeout + Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn a_file_is_not_a_directory() {
    let node = Node::start();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"just a file".to_vec()).file_name("f"),
    );
    let url = format!("{}/api/v0/add?cid-version=1", node.kubo.api_url());
    let answer: serde_json::Value = reqwest::Client::new()
        .post(url)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let file: Cid = answer["Hash"].as_str().unwrap().parse().unwrap();

    let stat = node.kubo.stat(&file, Duration::from_secs(5)).await.unwrap();
    assert_eq!((stat.is_directory, stat.cumulative_size), (false, 11));
    let dest = tempfile::tempdir().unwrap();
    let limits = FetchLimits {
        max_bytes: 1 << 20,
        timeout: Duration::from_secs(5),
    };
    let e = node
        .kubo
        .fetch_dir(&file, dest.path(), limits, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(e, IpfsError::NotADirectory { .. }), "{e}");
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn malformed_input_is_refused_before_kubo() {
    let node = Node::start();
    for bad in ["", "bafyNOTaCID", "QmTooShort", "not a cid"] {
        let e = bad.parse::<Cid>().unwrap_err();
        assert!(
            matches!(&e, IpfsError::MalformedCid { input, .. } if input == bad),
            "{e}"
        );
    }
    // A folder that is not there, and an API address that is not a URL.
    let e = node
        .kubo
        .add_dir(Path::new("/nonexistent/bundle"))
        .await
        .unwrap_err();
    assert!(matches!(e, IpfsError::Io { .. }), "{e}");
    assert!(matches!(
        Kubo::new("127.0.0.1:5001"),
        Err(IpfsError::BadApiUrl { .. })
    ));
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn no_node_is_not_running() {
    let [port, ..] = free_ports();
    let kubo = Kubo::new(&format!("http://127.0.0.1:{port}/")).unwrap();
    assert_eq!(kubo.api_url(), format!("http://127.0.0.1:{port}"));
    let e = kubo.version().await.unwrap_err();
    assert!(
        matches!(&e, IpfsError::NotRunning { api } if api == kubo.api_url()),
        "{e}"
    );
    assert!(e.to_string().contains("ipfs/kubo up"), "{e}");
    let cid: Cid = "bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi"
        .parse()
        .unwrap();
    let e = kubo.stat(&cid, Duration::from_secs(1)).await.unwrap_err();
    assert!(matches!(e, IpfsError::NotRunning { .. }), "{e}");
}

#[tokio::test]
#[ignore = "needs the Kubo binary (scripts/bootstrap)"]
async fn the_script_binds_loopback_only_and_refuses_a_taken_port() {
    let node = Node::start();
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(node.repo.path().join("kubo/config")).unwrap())
            .unwrap();
    let addresses = &config["Addresses"];
    let mut all = vec![&addresses["API"], &addresses["Gateway"]];
    all.extend(addresses["Swarm"].as_array().unwrap());
    for address in all {
        assert!(
            address.as_str().unwrap().starts_with("/ip4/127.0.0.1/tcp/"),
            "{address}"
        );
    }
    assert_eq!(config["Bootstrap"], serde_json::json!([]));
    let env = String::from_utf8(node.script("env").stdout).unwrap();
    assert!(
        env.contains(&format!("IPFS_API={}\n", node.kubo.api_url())),
        "{env}"
    );

    // A second repo on the same ports: refused, and the first node keeps running.
    let other = tempfile::tempdir().unwrap();
    let output = node
        .command("up")
        .env("GPUNION_IPFS_HOME", other.path().join("kubo"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is taken"));
    node.kubo.version().await.unwrap();

    // stop is safe twice; then nothing answers.
    node.script("stop");
    node.script("stop");
    let e = node.kubo.version().await.unwrap_err();
    assert!(matches!(e, IpfsError::NotRunning { .. }), "{e:?}");
}

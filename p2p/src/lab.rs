//! Simulated networks for tests and benchmarks (feature `lab`): Linux network namespaces
//! joined by veth pairs (iproute2), home routers that NAT with iptables MASQUERADE, and
//! tokio runtimes whose sockets live inside one namespace. Everything a [`Lab`] makes is
//! removed when it is dropped, also when a test fails. Needs root.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// The public network's prefix (the "internet" of the tests).
pub const PUBLIC: &str = "10.77.0";

/// How a home router maps its hosts' ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nat {
    /// MASQUERADE: one mapping per local port (as long as it is free), the kind hole
    /// punching works through (endpoint-independent mapping).
    Cone,
    /// MASQUERADE --random: a new random port per destination (symmetric), the kind hole
    /// punching cannot cross.
    Symmetric,
}

/// A set of namespaces made by one test.
pub struct Lab {
    prefix: String,
    namespaces: Vec<String>,
    attached: u32,
}

static LABS: AtomicU32 = AtomicU32::new(0);

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

impl Lab {
    /// A lab with its public network: namespace `<prefix>-inet` holding a bridge.
    pub fn new() -> Lab {
        let n = LABS.fetch_add(1, Ordering::SeqCst);
        let mut lab = Lab {
            prefix: format!("gpn{}x{n}", std::process::id()),
            namespaces: Vec::new(),
            attached: 0,
        };
        let inet = lab.namespace("inet");
        lab.ip(&inet, &["link", "add", "br0", "type", "bridge"]);
        lab.ip(&inet, &["link", "set", "br0", "up"]);
        lab
    }

    /// Makes namespace `<prefix>-<name>` with its loopback up; returns its full name.
    pub fn namespace(&mut self, name: &str) -> String {
        let full = format!("{}-{name}", self.prefix);
        run("ip", &["netns", "add", &full]);
        self.namespaces.push(full.clone());
        self.ip(&full, &["link", "set", "lo", "up"]);
        full
    }

    fn ip(&self, ns: &str, args: &[&str]) {
        let mut all = vec!["-n", ns];
        all.extend_from_slice(args);
        run("ip", &all);
    }

    fn exec(&self, ns: &str, args: &[&str]) {
        let mut all = vec!["netns", "exec", ns];
        all.extend_from_slice(args);
        run("ip", &all);
    }

    /// A host on the public network: namespace `name` with address `10.77.0.<host>`.
    pub fn public_host(&mut self, name: &str, host: u8) -> String {
        let ns = self.namespace(name);
        self.attach(&ns, "eth0", host);
        ns
    }

    fn attach(&mut self, ns: &str, device: &str, host: u8) {
        let inet = format!("{}-inet", self.prefix);
        self.attached += 1;
        let port = format!("p{}", self.attached);
        self.ip(
            &inet,
            &[
                "link", "add", &port, "type", "veth", "peer", "name", device, "netns", ns,
            ],
        );
        self.ip(&inet, &["link", "set", &port, "master", "br0", "up"]);
        self.ip(
            ns,
            &["addr", "add", &format!("{PUBLIC}.{host}/24"), "dev", device],
        );
        self.ip(ns, &["link", "set", device, "up"]);
    }

    /// A host behind its own home router: router namespace `<name>-nat` on the public
    /// network at `10.77.0.<wan_host>`, host namespace `name` at `192.168.<subnet>.2`.
    /// Returns the host's namespace.
    pub fn behind_nat(&mut self, name: &str, wan_host: u8, subnet: u8, nat: Nat) -> String {
        let router = self.namespace(&format!("{name}-nat"));
        self.attach(&router, "wan", wan_host);
        let host = self.namespace(name);
        self.ip(
            &router,
            &[
                "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", &host,
            ],
        );
        self.ip(
            &router,
            &[
                "addr",
                "add",
                &format!("192.168.{subnet}.1/24"),
                "dev",
                "lan",
            ],
        );
        self.ip(&router, &["link", "set", "lan", "up"]);
        self.ip(
            &host,
            &[
                "addr",
                "add",
                &format!("192.168.{subnet}.2/24"),
                "dev",
                "eth0",
            ],
        );
        self.ip(&host, &["link", "set", "eth0", "up"]);
        self.ip(
            &host,
            &[
                "route",
                "add",
                "default",
                "via",
                &format!("192.168.{subnet}.1"),
            ],
        );
        self.exec(&router, &["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
        let mut rule = vec![
            "iptables",
            "-t",
            "nat",
            "-A",
            "POSTROUTING",
            "-o",
            "wan",
            "-j",
            "MASQUERADE",
        ];
        if nat == Nat::Symmetric {
            rule.push("--random");
        }
        self.exec(&router, &rule);
        // Like a home router, drop what arrives unasked from outside (instead of answering
        // a TCP reset from the router itself, which would kill a simultaneous open).
        for chain in ["INPUT", "FORWARD"] {
            self.exec(
                &router,
                &[
                    "iptables",
                    "-A",
                    chain,
                    "-i",
                    "wan",
                    "-m",
                    "conntrack",
                    "--ctstate",
                    "NEW",
                    "-j",
                    "DROP",
                ],
            );
        }
        host
    }
}

impl Lab {
    /// Limits what `device` in namespace `ns` sends to `rate` (tc's token bucket, e.g.
    /// `1gbit`): a link slower than the machine's memory, like a real one.
    pub fn limit_rate(&self, ns: &str, device: &str, rate: &str) {
        self.exec(
            ns,
            &[
                "tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", rate, "burst", "512kb",
                "latency", "50ms",
            ],
        );
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Deleting a namespace removes its interfaces, veth peers and iptables rules.
        for ns in self.namespaces.iter().rev() {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

/// A tokio runtime whose sockets are inside network namespace `ns`: a thread that joined
/// the namespace runs it. Dropping it stops the runtime (and every host spawned on it).
pub struct NsRuntime {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NsRuntime {
    /// Starts the runtime inside `ns`.
    pub fn new(ns: &str) -> NsRuntime {
        let path = format!("/var/run/netns/{ns}");
        let (ready, handle) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            crate::netns::enter(std::path::Path::new(&path))
                .unwrap_or_else(|e| panic!("setns {path}: {e}"));
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            ready.send(runtime.handle().clone()).unwrap();
            runtime.block_on(async {
                let _ = stopped.await;
            });
            runtime.shutdown_background();
        });
        NsRuntime {
            handle: handle.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Runs `future` inside the namespace and returns its output.
    pub async fn run<F>(&self, future: F) -> F::Output
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future).await.unwrap()
    }

    /// Spawns `future` inside the namespace.
    pub fn spawn<F>(&self, future: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }
}

impl Drop for NsRuntime {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs `f` on a thread inside network namespace `ns` and returns what it returns:
/// sockets it makes stay in that namespace (the calling thread never enters it).
pub fn in_namespace<T: Send>(ns: &str, f: impl FnOnce() -> T + Send) -> T {
    let path = format!("/var/run/netns/{ns}");
    crate::netns::run_in(std::path::Path::new(&path), f)
        .unwrap_or_else(|e| panic!("namespace {ns}: {e}"))
}

/// Makes a service of this process's own network reachable from the lab: listens on
/// `listen` inside namespace `ns` and relays each connection to `target` (typically on
/// this process's loopback: the local chain's RPC, Kubo's API). Runs until the returned
/// task is aborted.
pub async fn expose(
    ns: &str,
    listen: std::net::SocketAddr,
    target: std::net::SocketAddr,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = in_namespace(ns, || std::net::TcpListener::bind(listen))?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    Ok(tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    }))
}

/// The transport a lab host listens on.
#[derive(Clone, Copy, Debug)]
pub enum Transport {
    Tcp,
    Quic,
}

impl Transport {
    /// `ip:port` on this transport as a multiaddr.
    pub fn listen(self, ip: &str, port: u16) -> crate::Multiaddr {
        let text = match self {
            Transport::Tcp => format!("/ip4/{ip}/tcp/{port}"),
            Transport::Quic => format!("/ip4/{ip}/udp/{port}/quic-v1"),
        };
        text.parse().expect("a valid multiaddr")
    }
}

/// How long the lab waits for a master to listen or a host to be ready.
const READY: std::time::Duration = std::time::Duration::from_secs(30);

/// A master node running inside a lab namespace; stopped when dropped.
pub struct LabMaster {
    /// Its address with its `/p2p/<id>`.
    pub address: crate::Multiaddr,
    _stop: tokio::sync::mpsc::Sender<()>,
    _runtime: NsRuntime,
}

impl LabMaster {
    /// Starts a master in `ns` listening at `10.77.0.<host>:4001` on `transport`.
    pub async fn start(
        ns: &str,
        host: u8,
        transport: Transport,
        limits: crate::master::RelayLimits,
    ) -> LabMaster {
        use crate::master::{self, MasterConfig, MasterEvent};
        let runtime = NsRuntime::new(ns);
        let (events, mut reports) = tokio::sync::mpsc::unbounded_channel();
        let (stop, stopped) = tokio::sync::mpsc::channel(1);
        let config = MasterConfig {
            keypair: crate::Keypair::generate_ed25519(),
            listen: vec![transport.listen(&format!("{PUBLIC}.{host}"), 4001)],
            external: Vec::new(),
            limits,
        };
        runtime.spawn(async move {
            if let Err(error) = master::run(config, events, stopped).await {
                panic!("master: {error}");
            }
        });
        let address = loop {
            match tokio::time::timeout(READY, reports.recv()).await {
                Ok(Some(MasterEvent::Listening { address })) => {
                    break address.parse().expect("the master's address");
                }
                Ok(Some(_)) => {}
                other => panic!("the master did not listen: {other:?}"),
            }
        };
        LabMaster {
            address,
            _stop: stop,
            _runtime: runtime,
        }
    }

    /// The relayed address of `peer` through this master.
    pub fn circuit(&self, peer: crate::PeerId) -> crate::Multiaddr {
        crate::relayed_address(&self.address, peer)
    }
}

/// A host running inside a lab namespace (stopped with its runtime when dropped).
pub struct LabHost {
    pub host: crate::Host,
    /// The namespace's runtime: run what must use the host's sockets on it.
    pub runtime: NsRuntime,
}

impl LabHost {
    /// Starts a host in `ns` listening on `listen`, with `masters`; a provider
    /// (`reserve`) is returned once a master took its reservation, a customer once a
    /// master told it its public address.
    pub async fn start(
        ns: &str,
        listen: crate::Multiaddr,
        masters: &[&LabMaster],
        reserve: bool,
    ) -> LabHost {
        let runtime = NsRuntime::new(ns);
        let config = crate::HostConfig {
            keypair: crate::Keypair::generate_ed25519(),
            listen: vec![listen],
            masters: masters.iter().map(|m| m.address.clone()).collect(),
            reserve,
            agent: "gpunion-lab".into(),
        };
        let host = runtime
            .run(crate::Host::start(config))
            .await
            .expect("the host starts");
        let mut events = host.events();
        if reserve {
            let deadline = tokio::time::Instant::now() + READY;
            loop {
                match tokio::time::timeout_at(deadline, events.recv()).await {
                    Ok(Ok(crate::HostEvent::Reserved { .. })) => break,
                    Ok(_) => {}
                    Err(_) => panic!("no master took the reservation"),
                }
            }
        } else if !masters.is_empty() {
            host.await_observed(READY)
                .await
                .expect("a master observes the host");
        }
        LabHost { host, runtime }
    }
}

/// Panics unless this process can make namespaces: root, with iproute2 and iptables
/// (`scripts/bootstrap` installs them). These tests never skip.
pub fn require_namespaces() {
    // SAFETY: geteuid has no preconditions.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "the NAT tests make network namespaces: run them as root"
    );
    for tool in ["ip", "iptables"] {
        let ok = Command::new(tool)
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "{tool} is missing: run scripts/bootstrap");
    }
}

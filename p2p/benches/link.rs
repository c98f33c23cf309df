//! P2P benchmark on simulated networks (network namespaces; root): payload throughput of
//! a direct libp2p stream (TCP and QUIC) against raw TCP between the same two namespaces,
//! the same through a master's relay, time to first byte direct and relayed, and hole
//! punching's success per simulated NAT pair. Ratios are taken within one run.
//!
//!   cargo bench -p gpunion-p2p --bench link -- [MIB] [ATTEMPTS]

use std::time::{Duration, Instant};

use futures::{AsyncReadExt as _, AsyncWriteExt as _, StreamExt as _};
use gpunion_p2p::lab::{
    Lab, LabHost, LabMaster, Nat, NsRuntime, PUBLIC, Transport, require_namespaces,
};
use gpunion_p2p::master::RelayLimits;
use gpunion_p2p::{Multiaddr, PeerId, Route, StreamProtocol};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const SINK: StreamProtocol = StreamProtocol::new("/gpunion-bench/sink/1");
const WAIT: Duration = Duration::from_secs(30);
const CHUNK: usize = 64 << 10;

/// A host that answers every sink stream with the number of bytes it read (and a byte
/// as soon as the first arrives).
async fn start_peer(ns: &str, transport: Transport, master: &LabMaster, reserve: bool) -> LabHost {
    let peer = LabHost::start(ns, transport.listen("0.0.0.0", 0), &[master], reserve).await;
    let mut incoming = peer.host.control().accept(SINK).unwrap();
    peer.runtime.spawn(async move {
        while let Some((_, mut stream)) = incoming.next().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; CHUNK];
                let mut total = 0u64;
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    if total == 0 {
                        let _ = stream.write_all(&[1]).await;
                        let _ = stream.flush().await;
                    }
                    total += n as u64;
                }
                let _ = stream.write_all(&total.to_be_bytes()).await;
                let _ = stream.close().await;
            });
        }
    });
    peer
}

async fn start_master(ns: &str, host: u8, transport: Transport) -> LabMaster {
    let limits = RelayLimits {
        max_circuit_bytes: 1 << 30,
        ..RelayLimits::default()
    };
    LabMaster::start(ns, host, transport, limits).await
}

/// Sends `bytes` on a sink stream: (time to the first byte's echo, seconds for all).
async fn sink(from: &LabHost, to: PeerId, bytes: u64) -> (Duration, Duration) {
    let mut control = from.host.control();
    from.runtime
        .run(async move {
            let started = Instant::now();
            let mut stream = control.open_stream(to, SINK).await.unwrap();
            let chunk = vec![7u8; CHUNK];
            stream.write_all(&chunk[..1]).await.unwrap();
            stream.flush().await.unwrap();
            let mut first = [0u8; 1];
            stream.read_exact(&mut first).await.unwrap();
            let ttfb = started.elapsed();
            let started = Instant::now();
            let mut sent = 1u64;
            while sent < bytes {
                let n = (bytes - sent).min(CHUNK as u64) as usize;
                stream.write_all(&chunk[..n]).await.unwrap();
                sent += n as u64;
            }
            stream.close().await.unwrap();
            let mut count = [0u8; 8];
            stream.read_exact(&mut count).await.unwrap();
            assert_eq!(u64::from_be_bytes(count), bytes);
            (ttfb, started.elapsed())
        })
        .await
}

/// Raw TCP between the same namespaces: `to` listens on `ip:port`.
async fn raw_tcp(from: &NsRuntime, to: &NsRuntime, ip: &str, port: u16, bytes: u64) -> Duration {
    let address: std::net::SocketAddr = format!("{ip}:{port}").parse().unwrap();
    let listener = to
        .run(async move { tokio::net::TcpListener::bind(address).await.unwrap() })
        .await;
    to.spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = vec![0u8; CHUNK];
        let mut total = 0u64;
        loop {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        socket.write_all(&total.to_be_bytes()).await.unwrap();
    });
    from.run(async move {
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        let chunk = vec![7u8; CHUNK];
        let started = Instant::now();
        let mut sent = 0u64;
        while sent < bytes {
            let n = (bytes - sent).min(CHUNK as u64) as usize;
            socket.write_all(&chunk[..n]).await.unwrap();
            sent += n as u64;
        }
        socket.shutdown().await.unwrap();
        let mut count = [0u8; 8];
        socket.read_exact(&mut count).await.unwrap();
        assert_eq!(u64::from_be_bytes(count), bytes);
        started.elapsed()
    })
    .await
}

fn mib_s(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / (1 << 20) as f64 / took.as_secs_f64()
}

/// One hole-punch attempt between fresh hosts behind `provider_nat` and `customer_nat`.
async fn punch(transport: Transport, provider_nat: Nat, customer_nat: Nat) -> bool {
    let mut lab = Lab::new();
    let master_ns = lab.public_host("m", 11);
    let provider_ns = lab.behind_nat("p", 21, 1, provider_nat);
    let customer_ns = lab.behind_nat("c", 22, 2, customer_nat);
    let master = start_master(&master_ns, 11, transport).await;
    let provider = start_peer(&provider_ns, transport, &master, true).await;
    let customer = start_peer(&customer_ns, transport, &master, false).await;
    let peer = provider.host.peer_id();
    customer
        .host
        .connect(peer, vec![master.circuit(peer)], WAIT)
        .await
        .unwrap();
    customer
        .host
        .await_direct(peer, Duration::from_secs(10))
        .await
        .unwrap()
}

/// Two public hosts, a (10.77.0.31) connected directly to b (.32), and a master.
struct PublicPair {
    a: LabHost,
    b: LabHost,
    a_ns: String,
    _master: LabMaster,
    lab: Lab,
}

impl PublicPair {
    async fn start() -> PublicPair {
        let mut lab = Lab::new();
        let master_ns = lab.public_host("m", 11);
        let a_ns = lab.public_host("a", 31);
        let b_ns = lab.public_host("b", 32);
        let master = start_master(&master_ns, 11, Transport::Tcp).await;
        let b = start_peer(&b_ns, Transport::Tcp, &master, true).await;
        let a = start_peer(&a_ns, Transport::Tcp, &master, false).await;
        let b_listen: Vec<Multiaddr> = b
            .host
            .addresses()
            .await
            .unwrap()
            .into_iter()
            .filter(|x| x.to_string().starts_with(&format!("/ip4/{PUBLIC}.32/tcp/")))
            .collect();
        assert!(!b_listen.is_empty(), "b listens on no public TCP address");
        let route = a
            .host
            .connect(b.host.peer_id(), b_listen, WAIT)
            .await
            .unwrap();
        assert_eq!(route, Route::Direct);
        PublicPair {
            a,
            b,
            a_ns,
            _master: master,
            lab,
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    require_namespaces();
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let mib = args.first().copied().unwrap_or(64);
    let attempts = args.get(1).copied().unwrap_or(5);
    let bytes = mib << 20;

    // Throughput and first byte between two public hosts, over TCP: raw TCP and a
    // direct libp2p stream, unshaped, then over a 1 Gbit/s link (the sender shaped).
    let pair = PublicPair::start().await;
    let raw = raw_tcp(
        &pair.a.runtime,
        &pair.b.runtime,
        &format!("{PUBLIC}.32"),
        5001,
        bytes,
    )
    .await;
    let (ttfb_direct, direct) = sink(&pair.a, pair.b.host.peer_id(), bytes).await;
    pair.lab.limit_rate(&pair.a_ns, "eth0", "1gbit");
    let raw_gbit = raw_tcp(
        &pair.a.runtime,
        &pair.b.runtime,
        &format!("{PUBLIC}.32"),
        5002,
        bytes,
    )
    .await;
    let (_, direct_gbit) = sink(&pair.a, pair.b.host.peer_id(), bytes).await;
    drop(pair);
    println!("over a 1 Gbit/s link:");
    println!("  raw TCP            {:8.1} MiB/s", mib_s(bytes, raw_gbit));
    println!(
        "  libp2p TCP direct  {:8.1} MiB/s  ({:.0}% of raw TCP)",
        mib_s(bytes, direct_gbit),
        100.0 * raw_gbit.as_secs_f64() / direct_gbit.as_secs_f64()
    );
    println!("unshaped (memory speed, one core encrypting):");
    println!("  raw TCP            {:8.1} MiB/s", mib_s(bytes, raw));
    println!(
        "  libp2p TCP direct  {:8.1} MiB/s  ({:.0}% of raw TCP), first byte {:.1} ms",
        mib_s(bytes, direct),
        100.0 * raw.as_secs_f64() / direct.as_secs_f64(),
        ttfb_direct.as_secs_f64() * 1e3
    );

    // Through the relay: two hosts behind symmetric NATs (no hole punch possible).
    let mut lab = Lab::new();
    let master_ns = lab.public_host("m", 11);
    let p_ns = lab.behind_nat("p", 21, 1, Nat::Symmetric);
    let c_ns = lab.behind_nat("c", 22, 2, Nat::Symmetric);
    let master = start_master(&master_ns, 11, Transport::Tcp).await;
    let p = start_peer(&p_ns, Transport::Tcp, &master, true).await;
    let c = start_peer(&c_ns, Transport::Tcp, &master, false).await;
    let peer = p.host.peer_id();
    let route = c
        .host
        .connect(peer, vec![master.circuit(peer)], WAIT)
        .await
        .unwrap();
    assert_eq!(route, Route::Relayed);
    let (ttfb_relayed, relayed) = sink(&c, peer, bytes).await;
    println!(
        "  libp2p TCP relayed {:8.1} MiB/s  ({:.0}% of raw TCP), first byte {:.1} ms",
        mib_s(bytes, relayed),
        100.0 * raw.as_secs_f64() / relayed.as_secs_f64(),
        ttfb_relayed.as_secs_f64() * 1e3
    );
    drop((c, p, master, lab));

    // Hole punching per NAT pair.
    for (name, transport) in [("TCP", Transport::Tcp), ("QUIC", Transport::Quic)] {
        for (pair, provider_nat, customer_nat) in [
            ("cone/cone", Nat::Cone, Nat::Cone),
            ("cone/symmetric", Nat::Cone, Nat::Symmetric),
            ("symmetric/symmetric", Nat::Symmetric, Nat::Symmetric),
        ] {
            let mut ok = 0;
            for _ in 0..attempts {
                if punch(transport, provider_nat, customer_nat).await {
                    ok += 1;
                }
            }
            println!("hole punch {name:4} {pair:20} {ok}/{attempts}");
        }
    }
}

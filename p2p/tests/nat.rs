//! NAT traversal on simulated networks (real kernels, no internet): master nodes on a
//! public network, a provider behind one home NAT and a customer behind another, each in
//! network namespaces this file makes and always removes. Shows: a connection through a
//! master's relay, then a direct one after DCUtR (the relayed one closed, the streams on
//! the direct one); the relay kept when the NATs are symmetric; the second master used
//! when the first is stopped. Over TCP and over QUIC.

use std::time::Duration;

use futures::{AsyncReadExt as _, AsyncWriteExt as _, StreamExt as _};
use gpunion_p2p::lab::{Lab, LabHost, LabMaster, Nat, PUBLIC, Transport, require_namespaces};
use gpunion_p2p::master::RelayLimits;
use gpunion_p2p::{HostEvent, PeerId, Route, StreamProtocol};

const ECHO: StreamProtocol = StreamProtocol::new("/gpunion-test/echo/1");
const WAIT: Duration = Duration::from_secs(30);

/// A host in its namespace that echoes every stream of the echo protocol.
async fn start_peer(
    ns: &str,
    transport: Transport,
    masters: &[&LabMaster],
    reserve: bool,
) -> LabHost {
    let peer = LabHost::start(ns, transport.listen("0.0.0.0", 4001), masters, reserve).await;
    let mut incoming = peer.host.control().accept(ECHO).unwrap();
    peer.runtime.spawn(async move {
        while let Some((_, mut stream)) = incoming.next().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                loop {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            if stream.write_all(&buffer[..n]).await.is_err() {
                                break;
                            }
                        }
                    }
                }
            });
        }
    });
    peer
}

async fn start_master(ns: &str, host: u8, transport: Transport) -> LabMaster {
    LabMaster::start(ns, host, transport, RelayLimits::default()).await
}

/// Waits for `wanted` among `host`'s events.
async fn wait_for(
    events: &mut tokio::sync::broadcast::Receiver<HostEvent>,
    what: &str,
    wanted: impl Fn(&HostEvent) -> bool,
) -> HostEvent {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(event)) if wanted(&event) => return event,
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            other => panic!("no {what}: {other:?}"),
        }
    }
}

/// Sends a message on a new echo stream from `from` to `to` and checks the answer.
async fn echo(from: &LabHost, to: PeerId, message: &[u8]) {
    let mut control = from.host.control();
    let message = message.to_vec();
    from.runtime
        .run(async move {
            let mut stream = control.open_stream(to, ECHO).await.expect("open stream");
            stream.write_all(&message).await.unwrap();
            let mut back = vec![0u8; message.len()];
            stream.read_exact(&mut back).await.unwrap();
            assert_eq!(back, message);
        })
        .await;
}

/// The network of the tests: masters at 10.77.0.11 and .12, the provider's NAT at .21,
/// the customer's at .22.
fn network(nat: Nat) -> (Lab, Vec<String>, String, String) {
    require_namespaces();
    let mut lab = Lab::new();
    let masters = vec![lab.public_host("m1", 11), lab.public_host("m2", 12)];
    let provider = lab.behind_nat("prov", 21, 1, nat);
    let customer = lab.behind_nat("cust", 22, 2, nat);
    (lab, masters, provider, customer)
}

async fn relayed_then_direct(transport: Transport) {
    let (_lab, masters, provider_ns, customer_ns) = network(Nat::Cone);
    let master = start_master(&masters[0], 11, transport).await;
    let provider = start_peer(&provider_ns, transport, &[&master], true).await;
    let customer = start_peer(&customer_ns, transport, &[&master], false).await;
    let mut events = customer.host.events();
    let provider_id = provider.host.peer_id();
    let route = customer
        .host
        .connect(provider_id, vec![master.circuit(provider_id)], WAIT)
        .await
        .unwrap();
    assert_eq!(route, Route::Relayed);

    let punched = wait_for(&mut events, "hole punch", |e| {
        matches!(e, HostEvent::HolePunch { .. })
    })
    .await;
    assert!(
        matches!(punched, HostEvent::HolePunch { ok: true, .. }),
        "{punched:?}"
    );
    assert!(customer.host.await_direct(provider_id, WAIT).await.unwrap());
    // The direct connection replaced the relayed one by itself.
    let deadline = tokio::time::Instant::now() + WAIT;
    let connections = loop {
        let connections = customer.host.connections(provider_id).await.unwrap();
        if connections.iter().all(|c| c.route == Route::Direct)
            || tokio::time::Instant::now() > deadline
        {
            break connections;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(!connections.is_empty());
    for connection in &connections {
        assert_eq!(connection.route, Route::Direct, "{connections:?}");
        // The provider's home router's public address, not the master's.
        assert!(
            connection.remote.contains(&format!("/ip4/{PUBLIC}.21/")),
            "{connections:?}"
        );
    }
    echo(&customer, provider_id, b"over the punched hole").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_connection_goes_direct_after_a_hole_punch() {
    relayed_then_direct(Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quic_connection_goes_direct_after_a_hole_punch() {
    relayed_then_direct(Transport::Quic).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symmetric_nats_keep_the_relay() {
    let transport = Transport::Quic;
    let (_lab, masters, provider_ns, customer_ns) = network(Nat::Symmetric);
    let master = start_master(&masters[0], 11, transport).await;
    let provider = start_peer(&provider_ns, transport, &[&master], true).await;
    let mut provider_events = provider.host.events();
    let customer = start_peer(&customer_ns, transport, &[&master], false).await;
    let provider_id = provider.host.peer_id();
    let route = customer
        .host
        .connect(provider_id, vec![master.circuit(provider_id)], WAIT)
        .await
        .unwrap();
    assert_eq!(route, Route::Relayed);
    // The provider (the relayed connection's listener) leads the punch and reports its
    // failure once its attempts are spent.
    let punched = wait_for(&mut provider_events, "hole punch", |e| {
        matches!(e, HostEvent::HolePunch { .. })
    })
    .await;
    assert!(
        matches!(punched, HostEvent::HolePunch { ok: false, .. }),
        "{punched:?}"
    );
    assert!(
        !customer
            .host
            .await_direct(provider_id, Duration::from_secs(2))
            .await
            .unwrap()
    );
    let connections = customer.host.connections(provider_id).await.unwrap();
    assert!(
        connections.iter().all(|c| c.route == Route::Relayed),
        "{connections:?}"
    );
    echo(&customer, provider_id, b"through the relay").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_master_serves_when_the_first_is_stopped() {
    let transport = Transport::Tcp;
    let (_lab, masters, provider_ns, customer_ns) = network(Nat::Symmetric);
    let first = start_master(&masters[0], 11, transport).await;
    let second = start_master(&masters[1], 12, transport).await;
    let provider = start_peer(&provider_ns, transport, &[&first, &second], true).await;
    // Listening through both masters.
    let deadline = tokio::time::Instant::now() + WAIT;
    let provider_id = provider.host.peer_id();
    loop {
        let addresses = provider.host.addresses().await.unwrap();
        if [&first, &second]
            .iter()
            .all(|m| addresses.contains(&m.circuit(provider_id)))
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not listening through both masters: {addresses:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first_address = first.address.clone();
    let first_circuit = first.circuit(provider_id);
    drop(first);

    let customer = start_peer(&customer_ns, transport, &[&second], false).await;
    let route = customer
        .host
        .connect(
            provider_id,
            vec![first_circuit, second.circuit(provider_id)],
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(route, Route::Relayed);
    let connections = customer.host.connections(provider_id).await.unwrap();
    let through = &connections[0].remote;
    assert!(through.contains(&format!("{PUBLIC}.12")), "{connections:?}");
    assert!(
        !through.contains(&first_address.to_string()),
        "{connections:?}"
    );
    echo(&customer, provider_id, b"through the second master").await;
}

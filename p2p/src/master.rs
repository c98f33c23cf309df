//! A master node: a public relay v2 server with its own limits, a Kademlia bootstrap peer
//! (server mode) and an AutoNAT v2 server. Several may run; hosts keep a reservation on
//! each, so losing one loses no provider.

use std::time::Duration;

use futures::StreamExt as _;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{
    Multiaddr, PeerId, autonat, identify, identity::Keypair, kad, noise, ping, relay, tcp, yamux,
};
use tokio::sync::mpsc;

use crate::{HostError, IDENTIFY_PROTOCOL};

/// What one master node allows.
#[derive(Clone, Debug)]
pub struct RelayLimits {
    /// Reservations held at once (one per provider behind a NAT).
    pub max_reservations: usize,
    /// Circuits at once through this node.
    pub max_circuits: usize,
    /// Circuits at once per peer.
    pub max_circuits_per_peer: usize,
    /// A circuit is closed after this long…
    pub max_circuit_duration: Duration,
    /// …or after this many bytes in each direction, whichever comes first.
    pub max_circuit_bytes: u64,
    /// New circuits a minute from one IP address (a home NAT's customers share one).
    pub circuits_per_minute_per_ip: u32,
}

impl Default for RelayLimits {
    /// Room for a lease's control traffic and a session until a hole punch replaces it:
    /// 30 minutes and 64 MiB per circuit, 64 circuits per peer (a provider's customers
    /// each hold one until their hole punch succeeds), 120 new circuits a minute per IP.
    fn default() -> Self {
        Self {
            max_reservations: 1024,
            max_circuits: 512,
            max_circuits_per_peer: 64,
            max_circuit_duration: Duration::from_secs(30 * 60),
            max_circuit_bytes: 64 << 20,
            circuits_per_minute_per_ip: 120,
        }
    }
}

/// A master node's configuration.
#[derive(Clone)]
pub struct MasterConfig {
    /// Its identity.
    pub keypair: Keypair,
    /// Addresses to listen on.
    pub listen: Vec<Multiaddr>,
    /// Its public addresses (put in reservations; needed for hosts to be reachable through
    /// it). Empty: the specific (not 0.0.0.0) listen addresses.
    pub external: Vec<Multiaddr>,
    /// Its relay limits.
    pub limits: RelayLimits,
}

#[derive(NetworkBehaviour)]
struct Behaviour {
    relay: relay::Behaviour,
    identify: identify::Behaviour,
    ping: ping::Behaviour,
    kad: kad::Behaviour<kad::store::MemoryStore>,
    autonat: autonat::v2::server::Behaviour,
}

/// What a running master reports.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MasterEvent {
    /// Listening (the address includes `/p2p/<id>`, ready to give to hosts).
    Listening { address: String },
    /// A host's reservation was accepted.
    Reserved { peer: String },
    /// A circuit was opened between two hosts.
    Circuit { src: String, dst: String },
    /// A reservation or circuit was refused (over a limit).
    Denied { peer: String, what: String },
}

/// Runs a master node until `stop` yields or is dropped; reports on `events`.
pub async fn run(
    config: MasterConfig,
    events: mpsc::UnboundedSender<MasterEvent>,
    mut stop: mpsc::Receiver<()>,
) -> Result<(), HostError> {
    let limits = &config.limits;
    let per_minute = std::num::NonZeroU32::new(limits.circuits_per_minute_per_ip)
        .ok_or_else(|| HostError::Build("circuits_per_minute_per_ip must be above 0".into()))?;
    let relay_config = relay::Config {
        max_reservations: limits.max_reservations,
        max_circuits: limits.max_circuits,
        max_circuits_per_peer: limits.max_circuits_per_peer,
        max_circuit_duration: limits.max_circuit_duration,
        max_circuit_bytes: limits.max_circuit_bytes,
        // Replaces libp2p's default of about one a minute per source IP.
        circuit_src_rate_limiters: Vec::new(),
        ..relay::Config::default()
    }
    .circuit_src_per_ip(per_minute, Duration::from_secs(60));
    let build = |e: &dyn std::fmt::Display| HostError::Build(e.to_string());
    let mut swarm = libp2p::SwarmBuilder::with_existing_identity(config.keypair.clone())
        .with_tokio()
        .with_tcp(
            tcp::Config::default().nodelay(true),
            noise::Config::new,
            yamux::Config::default,
        )
        .map_err(|e| build(&e))?
        .with_quic()
        .with_behaviour(|key| {
            let peer_id = key.public().to_peer_id();
            let mut kad = kad::Behaviour::new(peer_id, kad::store::MemoryStore::new(peer_id));
            kad.set_mode(Some(kad::Mode::Server));
            Behaviour {
                relay: relay::Behaviour::new(peer_id, relay_config),
                identify: identify::Behaviour::new(
                    identify::Config::new(IDENTIFY_PROTOCOL.into(), key.public())
                        .with_agent_version(format!(
                            "gpunion-master/{}",
                            env!("CARGO_PKG_VERSION")
                        )),
                ),
                ping: ping::Behaviour::default(),
                kad,
                autonat: autonat::v2::server::Behaviour::default(),
            }
        })
        .map_err(|e| build(&e))?
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(300)))
        .build();
    for address in &config.listen {
        swarm
            .listen_on(address.clone())
            .map_err(|e| HostError::Listen {
                address: address.clone(),
                message: e.to_string(),
            })?;
    }
    for address in &config.external {
        swarm.add_external_address(address.clone());
    }
    let peer_id: PeerId = *swarm.local_peer_id();
    let send = |event: MasterEvent| {
        tracing::info!(?event, "master");
        let _ = events.send(event);
    };
    loop {
        tokio::select! {
            _ = stop.recv() => break,
            event = swarm.select_next_some() => match event {
                SwarmEvent::NewListenAddr { address, .. } => {
                    if config.external.is_empty() && !is_unspecified(&address) {
                        swarm.add_external_address(address.clone());
                    }
                    send(MasterEvent::Listening {
                        address: address.with_p2p(peer_id).map_or_else(|a| a.to_string(), |a| a.to_string()),
                    });
                }
                SwarmEvent::Behaviour(BehaviourEvent::Relay(event)) => match event {
                    relay::Event::ReservationReqAccepted { src_peer_id, .. } => {
                        send(MasterEvent::Reserved { peer: src_peer_id.to_string() })
                    }
                    relay::Event::CircuitReqAccepted { src_peer_id, dst_peer_id } => {
                        send(MasterEvent::Circuit { src: src_peer_id.to_string(), dst: dst_peer_id.to_string() })
                    }
                    relay::Event::ReservationReqDenied { src_peer_id, .. } => {
                        send(MasterEvent::Denied { peer: src_peer_id.to_string(), what: "reservation".into() })
                    }
                    relay::Event::CircuitReqDenied { src_peer_id, .. } => {
                        send(MasterEvent::Denied { peer: src_peer_id.to_string(), what: "circuit".into() })
                    }
                    _ => {}
                },
                SwarmEvent::Behaviour(BehaviourEvent::Identify(identify::Event::Received { peer_id, info, .. })) => {
                    for address in info.listen_addrs {
                        swarm.behaviour_mut().kad.add_address(&peer_id, address);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn is_unspecified(address: &Multiaddr) -> bool {
    address.iter().any(|p| match p {
        libp2p::multiaddr::Protocol::Ip4(ip) => ip.is_unspecified(),
        libp2p::multiaddr::Protocol::Ip6(ip) => ip.is_unspecified(),
        _ => false,
    })
}

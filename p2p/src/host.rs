//! A customer's or provider's libp2p host: the swarm, owned by one event loop task, and
//! the handle ([`Host`]) the rest of the program talks to it through.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::StreamExt as _;
use libp2p::core::ConnectedPoint;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{ConnectionId, NetworkBehaviour, SwarmEvent};
use libp2p::{
    Multiaddr, PeerId, Swarm, autonat, dcutr, identify, identity::Keypair, kad, noise, ping, relay,
    tcp, yamux,
};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::IDENTIFY_PROTOCOL;

/// How often the loop dials the master nodes it is not connected to.
const MASTER_RETRY: Duration = Duration::from_secs(3);
/// How long an idle connection is kept (a lease's streams keep theirs open).
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Why a host could not start or do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The transport or the behaviours could not be built.
    #[error("cannot build the libp2p host: {0}")]
    Build(String),
    /// An address could not be listened on.
    #[error("cannot listen on {address}: {message}")]
    Listen { address: Multiaddr, message: String },
    /// A dial failed on every address.
    #[error("cannot reach peer {peer}: {message}")]
    Unreachable { peer: PeerId, message: String },
    /// The wait ran out.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The host's loop has stopped.
    #[error("the libp2p host has stopped")]
    Stopped,
}

/// A host's configuration.
#[derive(Clone)]
pub struct HostConfig {
    /// The host's identity (its peer id).
    pub keypair: Keypair,
    /// Addresses to listen on (`/ip4/0.0.0.0/tcp/0`, `/ip4/0.0.0.0/udp/0/quic-v1`).
    pub listen: Vec<Multiaddr>,
    /// Master nodes, each with its `/p2p/<id>`: relays and Kademlia bootstrap peers.
    pub masters: Vec<Multiaddr>,
    /// Whether to keep a relay reservation on every master (a provider, so that customers
    /// reach it behind a NAT), or only to dial through them (a customer).
    pub reserve: bool,
    /// The identify agent version (`gpu-node/0.1.0`, `gpunion/0.1.0`).
    pub agent: String,
}

/// How a connection reaches the peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Straight to the peer's (or its NAT's) address.
    Direct,
    /// Through a relay's circuit.
    Relayed,
}

/// One open connection to a peer.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PeerConnection {
    /// Direct or relayed.
    pub route: Route,
    /// The peer's address on this connection.
    pub remote: String,
}

/// What the host reports as it happens (for logs, progress and tests).
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum HostEvent {
    /// A listen address (including a relayed one from a reservation).
    Listening { address: String },
    /// A master saw this host at `address` (its NAT's public mapping when behind one).
    Observed { address: String },
    /// A master accepted (or renewed) this host's reservation.
    Reserved { master: String },
    /// A connection opened.
    Connected {
        peer: String,
        route: Route,
        remote: String,
    },
    /// A connection closed.
    Disconnected { peer: String, route: Route },
    /// A hole punch to `peer` succeeded or failed.
    HolePunch {
        peer: String,
        ok: bool,
        error: Option<String>,
    },
    /// AutoNAT v2 tested one of this host's addresses.
    Reachability { address: String, reachable: bool },
}

enum Command {
    Connect {
        peer: PeerId,
        addresses: Vec<Multiaddr>,
        reply: oneshot::Sender<Result<Route, HostError>>,
    },
    AwaitDirect {
        peer: PeerId,
        reply: oneshot::Sender<()>,
    },
    Connections {
        peer: PeerId,
        reply: oneshot::Sender<Vec<PeerConnection>>,
    },
    Addresses {
        reply: oneshot::Sender<Vec<Multiaddr>>,
    },
    AwaitObserved {
        reply: oneshot::Sender<()>,
    },
}

/// The handle of a running host. Dropping every clone stops its loop.
#[derive(Clone)]
pub struct Host {
    peer_id: PeerId,
    commands: mpsc::Sender<Command>,
    events: broadcast::Sender<HostEvent>,
    control: libp2p_stream::Control,
}

#[derive(NetworkBehaviour)]
struct Behaviour {
    relay_client: relay::client::Behaviour,
    identify: identify::Behaviour,
    ping: ping::Behaviour,
    kad: kad::Behaviour<kad::store::MemoryStore>,
    autonat: autonat::v2::client::Behaviour,
    dcutr: dcutr::Behaviour,
    stream: libp2p_stream::Behaviour,
}

impl Host {
    /// Builds the swarm, listens, starts dialing the masters and spawns the loop.
    pub async fn start(config: HostConfig) -> Result<Host, HostError> {
        let mut swarm = build_swarm(&config)?;
        for address in &config.listen {
            swarm
                .listen_on(address.clone())
                .map_err(|e| HostError::Listen {
                    address: address.clone(),
                    message: e.to_string(),
                })?;
        }
        let masters = config
            .masters
            .iter()
            .filter_map(|address| match address.iter().last() {
                Some(Protocol::P2p(peer)) => Some((peer, address.clone())),
                _ => {
                    tracing::warn!(%address, "master address without /p2p/<peer id>: ignored");
                    None
                }
            })
            .collect::<HashMap<_, _>>();
        for (peer, address) in &masters {
            swarm.behaviour_mut().kad.add_address(peer, address.clone());
        }
        let peer_id = *swarm.local_peer_id();
        let control = swarm.behaviour().stream.new_control();
        let (commands, receiver) = mpsc::channel(32);
        let (events, _) = broadcast::channel(256);
        let host = Host {
            peer_id,
            commands,
            events: events.clone(),
            control,
        };
        let event_loop = EventLoop {
            swarm,
            masters,
            reserve: config.reserve,
            listening: !config.listen.is_empty(),
            dialing_masters: HashSet::new(),
            relay_listeners: HashMap::new(),
            connections: HashMap::new(),
            connecting: HashMap::new(),
            direct_waiters: HashMap::new(),
            observed_addresses: HashSet::new(),
            observed_waiters: Vec::new(),
            events,
        };
        tokio::spawn(event_loop.run(receiver));
        Ok(host)
    }

    /// This host's peer id.
    pub fn peer_id(&self) -> PeerId {
        self.peer_id
    }

    /// The control that opens streams to peers and accepts them.
    pub fn control(&self) -> libp2p_stream::Control {
        self.control.clone()
    }

    /// What the host reports from now on.
    pub fn events(&self) -> broadcast::Receiver<HostEvent> {
        self.events.subscribe()
    }

    /// Connects to `peer` on any of `addresses` (direct ones and relayed ones through a
    /// master), returning how the first connection goes; at once when already connected.
    pub async fn connect(
        &self,
        peer: PeerId,
        addresses: Vec<Multiaddr>,
        timeout: Duration,
    ) -> Result<Route, HostError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Connect {
            peer,
            addresses,
            reply,
        })
        .await?;
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(HostError::Stopped),
            Err(_) => Err(HostError::Timeout(timeout)),
        }
    }

    /// Waits until a direct connection to `peer` is open (a hole punch succeeded, or the
    /// peer is reachable); `false` when `timeout` passes first. The loop closes the
    /// relayed connections to a peer once a direct one opens.
    pub async fn await_direct(&self, peer: PeerId, timeout: Duration) -> Result<bool, HostError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::AwaitDirect { peer, reply }).await?;
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(())) => Ok(true),
            Ok(Err(_)) => Err(HostError::Stopped),
            Err(_) => Ok(false),
        }
    }

    /// Waits until a master has told this host its public address (identify's observed
    /// address): before that, a hole punch has no address to try.
    pub async fn await_observed(&self, timeout: Duration) -> Result<(), HostError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::AwaitObserved { reply }).await?;
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(HostError::Stopped),
            Err(_) => Err(HostError::Timeout(timeout)),
        }
    }

    /// The open connections to `peer`.
    pub async fn connections(&self, peer: PeerId) -> Result<Vec<PeerConnection>, HostError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Connections { peer, reply }).await?;
        answer.await.map_err(|_| HostError::Stopped)
    }

    /// The addresses others can reach this host on: listen addresses, relayed addresses
    /// from reservations, and the external addresses its peers observed.
    pub async fn addresses(&self) -> Result<Vec<Multiaddr>, HostError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Addresses { reply }).await?;
        answer.await.map_err(|_| HostError::Stopped)
    }

    async fn send(&self, command: Command) -> Result<(), HostError> {
        self.commands
            .send(command)
            .await
            .map_err(|_| HostError::Stopped)
    }
}

fn build_swarm(config: &HostConfig) -> Result<Swarm<Behaviour>, HostError> {
    let build = |e: &dyn std::fmt::Display| HostError::Build(e.to_string());
    let swarm = libp2p::SwarmBuilder::with_existing_identity(config.keypair.clone())
        .with_tokio()
        .with_tcp(
            tcp::Config::default().nodelay(true),
            noise::Config::new,
            yamux::Config::default,
        )
        .map_err(|e| build(&e))?
        .with_quic()
        .with_relay_client(noise::Config::new, yamux::Config::default)
        .map_err(|e| build(&e))?
        .with_behaviour(|key, relay_client| {
            let peer_id = key.public().to_peer_id();
            let mut kad = kad::Behaviour::new(peer_id, kad::store::MemoryStore::new(peer_id));
            kad.set_mode(Some(kad::Mode::Client));
            Behaviour {
                relay_client,
                identify: identify::Behaviour::new(
                    identify::Config::new(IDENTIFY_PROTOCOL.into(), key.public())
                        .with_agent_version(config.agent.clone()),
                ),
                ping: ping::Behaviour::default(),
                kad,
                autonat: autonat::v2::client::Behaviour::default(),
                dcutr: dcutr::Behaviour::new(peer_id),
                stream: libp2p_stream::Behaviour::new(),
            }
        })
        .map_err(|e| build(&e))?
        .with_swarm_config(|c| c.with_idle_connection_timeout(IDLE_TIMEOUT))
        .build();
    Ok(swarm)
}

struct EventLoop {
    swarm: Swarm<Behaviour>,
    /// Master nodes by peer id, with the address to dial.
    masters: HashMap<PeerId, Multiaddr>,
    reserve: bool,
    /// Masters being dialed.
    dialing_masters: HashSet<PeerId>,
    /// Whether the host was configured to listen.
    listening: bool,
    /// The relayed listener kept on each master.
    relay_listeners: HashMap<PeerId, libp2p::core::transport::ListenerId>,
    /// Open connections.
    connections: HashMap<ConnectionId, (PeerId, Route, Multiaddr)>,
    /// Dials waiting for their first connection: peer → replies.
    connecting: HashMap<PeerId, Vec<oneshot::Sender<Result<Route, HostError>>>>,
    direct_waiters: HashMap<PeerId, Vec<oneshot::Sender<()>>>,
    /// The public addresses masters told this host (none yet: nobody has), and who waits
    /// for the first.
    observed_addresses: HashSet<Multiaddr>,
    observed_waiters: Vec<oneshot::Sender<()>>,
    events: broadcast::Sender<HostEvent>,
}

impl EventLoop {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut masters = tokio::time::interval(MASTER_RETRY);
        loop {
            tokio::select! {
                event = self.swarm.select_next_some() => self.on_swarm(event),
                command = commands.recv() => match command {
                    Some(command) => self.on_command(command),
                    None => break,
                },
                _ = masters.tick() => self.keep_masters(),
            }
        }
        tracing::debug!("libp2p host stopped");
    }

    fn report(&self, event: HostEvent) {
        tracing::debug!(?event, "p2p");
        let _ = self.events.send(event);
    }

    fn connected_to(&self, peer: &PeerId) -> impl Iterator<Item = (&ConnectionId, Route)> {
        self.connections
            .iter()
            .filter(move |(_, (p, _, _))| p == peer)
            .map(|(id, (_, route, _))| (id, *route))
    }

    /// Dials every master not connected, and asks for a reservation on those connected.
    /// Not before this host listens on a routable address (loopback comes first): a dial
    /// then reuses the listening port, so the NAT mapping a master observes is the one a
    /// hole punch can use.
    fn keep_masters(&mut self) {
        if self.listening && !self.swarm.listeners().any(is_routable) {
            return;
        }
        let masters: Vec<_> = self.masters.iter().map(|(p, a)| (*p, a.clone())).collect();
        for (peer, address) in masters {
            if self.connected_to(&peer).next().is_none() {
                if self.dialing_masters.insert(peer) {
                    let opts = DialOpts::peer_id(peer).addresses(vec![address]).build();
                    if self.swarm.dial(opts).is_err() {
                        self.dialing_masters.remove(&peer);
                    }
                }
                continue;
            }
            if self.reserve && !self.relay_listeners.contains_key(&peer) {
                match self
                    .swarm
                    .listen_on(address.clone().with(Protocol::P2pCircuit))
                {
                    Ok(id) => {
                        self.relay_listeners.insert(peer, id);
                    }
                    Err(error) => tracing::warn!(%address, %error, "cannot listen through master"),
                }
            }
        }
    }

    fn close_relayed(&mut self, peer: PeerId) {
        let relayed: Vec<ConnectionId> = self
            .connected_to(&peer)
            .filter(|(_, route)| *route == Route::Relayed)
            .map(|(id, _)| *id)
            .collect();
        for id in relayed {
            self.swarm.close_connection(id);
        }
    }

    fn on_command(&mut self, command: Command) {
        match command {
            Command::Connect {
                peer,
                addresses,
                reply,
            } => {
                if let Some((_, route)) = self.connected_to(&peer).next() {
                    let _ = reply.send(Ok(route));
                    return;
                }
                let opts = DialOpts::peer_id(peer).addresses(addresses).build();
                match self.swarm.dial(opts) {
                    Ok(()) => self.connecting.entry(peer).or_default().push(reply),
                    Err(error) => {
                        let _ = reply.send(Err(HostError::Unreachable {
                            peer,
                            message: error.to_string(),
                        }));
                    }
                }
            }
            Command::AwaitDirect { peer, reply } => {
                if self
                    .connected_to(&peer)
                    .any(|(_, route)| route == Route::Direct)
                {
                    let _ = reply.send(());
                } else {
                    self.direct_waiters.entry(peer).or_default().push(reply);
                }
            }
            Command::Connections { peer, reply } => {
                let list = self
                    .connections
                    .values()
                    .filter(|(p, _, _)| *p == peer)
                    .map(|(_, route, remote)| PeerConnection {
                        route: *route,
                        remote: remote.to_string(),
                    })
                    .collect();
                let _ = reply.send(list);
            }
            Command::AwaitObserved { reply } => {
                if !self.observed_addresses.is_empty() {
                    let _ = reply.send(());
                } else {
                    self.observed_waiters.push(reply);
                }
            }
            Command::Addresses { reply } => {
                let mut seen = HashSet::new();
                let list = self
                    .swarm
                    .listeners()
                    .chain(self.swarm.external_addresses())
                    .chain(self.observed_addresses.iter())
                    .filter(|a| seen.insert((*a).clone()))
                    .cloned()
                    .collect();
                let _ = reply.send(list);
            }
        }
    }

    fn on_swarm(&mut self, event: SwarmEvent<BehaviourEvent>) {
        tracing::trace!(me = %self.swarm.local_peer_id(), ?event, "swarm event");
        match event {
            SwarmEvent::NewListenAddr { address, .. } => {
                self.report(HostEvent::Listening {
                    address: address.to_string(),
                });
                self.keep_masters();
            }
            SwarmEvent::ListenerClosed { listener_id, .. } => {
                self.relay_listeners.retain(|_, id| *id != listener_id);
            }
            SwarmEvent::ConnectionEstablished {
                peer_id,
                connection_id,
                endpoint,
                ..
            } => {
                let route = if endpoint.is_relayed() {
                    Route::Relayed
                } else {
                    Route::Direct
                };
                let remote = match &endpoint {
                    ConnectedPoint::Dialer { address, .. } => address.clone(),
                    ConnectedPoint::Listener { send_back_addr, .. } => send_back_addr.clone(),
                };
                self.connections
                    .insert(connection_id, (peer_id, route, remote.clone()));
                self.report(HostEvent::Connected {
                    peer: peer_id.to_string(),
                    route,
                    remote: remote.to_string(),
                });
                for reply in self.connecting.remove(&peer_id).unwrap_or_default() {
                    let _ = reply.send(Ok(route));
                }
                if route == Route::Direct {
                    for reply in self.direct_waiters.remove(&peer_id).unwrap_or_default() {
                        let _ = reply.send(());
                    }
                    // A direct connection replaces the relayed ones: a master's circuits
                    // are few and limited, and a circuit left to idle out (minutes)
                    // would hold one long after its customer left.
                    if !self.masters.contains_key(&peer_id) {
                        self.close_relayed(peer_id);
                    }
                }
                if self.masters.contains_key(&peer_id) {
                    self.dialing_masters.remove(&peer_id);
                    self.keep_masters();
                }
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                connection_id,
                ..
            } => {
                if let Some((_, route, _)) = self.connections.remove(&connection_id) {
                    self.report(HostEvent::Disconnected {
                        peer: peer_id.to_string(),
                        route,
                    });
                }
            }
            SwarmEvent::OutgoingConnectionError {
                peer_id: Some(peer),
                error,
                ..
            } => {
                self.dialing_masters.remove(&peer);
                if self.connected_to(&peer).next().is_none() {
                    for reply in self.connecting.remove(&peer).unwrap_or_default() {
                        let _ = reply.send(Err(HostError::Unreachable {
                            peer,
                            message: error.to_string(),
                        }));
                    }
                }
            }
            SwarmEvent::Behaviour(event) => self.on_behaviour(event),
            _ => {}
        }
    }

    fn on_behaviour(&mut self, event: BehaviourEvent) {
        match event {
            BehaviourEvent::RelayClient(relay::client::Event::ReservationReqAccepted {
                relay_peer_id,
                ..
            }) => self.report(HostEvent::Reserved {
                master: relay_peer_id.to_string(),
            }),
            BehaviourEvent::Identify(identify::Event::Received { peer_id, info, .. }) => {
                if self.masters.contains_key(&peer_id) {
                    // A master sees this host's public address (its NAT's mapping): the
                    // address a hole punch is tried on. Identify makes it a candidate for
                    // DCUtR itself; confirming it here as external would hide the candidate.
                    self.report(HostEvent::Observed {
                        address: info.observed_addr.to_string(),
                    });
                    self.observed_addresses.insert(info.observed_addr);
                    for reply in self.observed_waiters.drain(..) {
                        let _ = reply.send(());
                    }
                }
                if info.protocols.contains(&kad::PROTOCOL_NAME) {
                    for address in info.listen_addrs {
                        self.swarm
                            .behaviour_mut()
                            .kad
                            .add_address(&peer_id, address);
                    }
                }
            }
            BehaviourEvent::Dcutr(dcutr::Event {
                remote_peer_id,
                result,
            }) => self.report(HostEvent::HolePunch {
                peer: remote_peer_id.to_string(),
                ok: result.is_ok(),
                error: result.err().map(|e| e.to_string()),
            }),
            BehaviourEvent::Autonat(autonat::v2::client::Event {
                tested_addr,
                result,
                ..
            }) => self.report(HostEvent::Reachability {
                address: tested_addr.to_string(),
                reachable: result.is_ok(),
            }),
            _ => {}
        }
    }
}

/// Whether `address` is reachable beyond this machine (not loopback).
fn is_routable(address: &Multiaddr) -> bool {
    address.iter().any(|p| match p {
        Protocol::Ip4(ip) => !ip.is_loopback(),
        Protocol::Ip6(ip) => !ip.is_loopback(),
        _ => false,
    })
}

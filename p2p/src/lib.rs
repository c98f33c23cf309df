//! GPUnion's peer-to-peer layer on libp2p.
//!
//! Customers and providers are [`Host`]s: TCP and QUIC, Noise, Yamux, identify, ping,
//! Kademlia, AutoNAT v2 (client), the relay v2 client and DCUtR hole punching, plus raw
//! streams (libp2p-stream) that the lease protocol runs on. A provider behind a NAT keeps a
//! reservation on every master node it is given; a customer reaches it through one of them
//! and the two then punch a direct connection, keeping the relayed one only when the punch
//! fails (a symmetric NAT). Master nodes ([`master`]) are public relay v2 servers, Kademlia
//! bootstrap peers and AutoNAT v2 servers, with their own limits.
//!
//! Each host is one event loop that owns its swarm; the rest of the program talks to it
//! through [`Host`]'s channels and opens streams with its [`libp2p_stream::Control`].

pub mod frame;
mod host;
#[cfg(feature = "lab")]
pub mod lab;
pub mod master;
pub mod netns;

pub use host::{Host, HostConfig, HostError, HostEvent, PeerConnection, Route};
pub use libp2p::{Multiaddr, PeerId, Stream, StreamProtocol, identity::Keypair, multiaddr};
pub use libp2p_stream::{Control, IncomingStreams};

/// The address of `peer` relayed through the master at `master` (with its `/p2p/<id>`).
pub fn relayed_address(master: &Multiaddr, peer: PeerId) -> Multiaddr {
    master
        .clone()
        .with(multiaddr::Protocol::P2pCircuit)
        .with(multiaddr::Protocol::P2p(peer))
}

/// The identify protocol's version string of GPUnion hosts.
pub const IDENTIFY_PROTOCOL: &str = "/gpunion/1.0.0";

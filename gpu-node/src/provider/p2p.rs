//! The node's libp2p host: started by `serve` from the `[p2p]` settings (listening, a
//! relay reservation on each master node), serving the lease link; and the addresses
//! `register` publishes on the market.

use std::path::PathBuf;

use gpunion_interface::validate;
use gpunion_p2p::{Host, HostConfig, Keypair, Multiaddr, PeerId};
use gpunion_sdk::contracts::market::Market;

use super::config::P2pSettings;
use super::link::LinkServer;
use crate::executor::oci::runc::Runc;

/// Why the host could not start.
#[derive(Debug, thiserror::Error)]
pub enum P2pError {
    /// A configured multiaddr does not parse or is not allowed on the market.
    #[error("[p2p] {field}: {value:?}: {message}")]
    Address {
        field: &'static str,
        value: String,
        message: String,
    },
    /// libp2p could not start.
    #[error(transparent)]
    Host(#[from] gpunion_p2p::HostError),
}

fn parse(field: &'static str, values: &[String]) -> Result<Vec<Multiaddr>, P2pError> {
    values
        .iter()
        .map(|value| {
            value
                .parse()
                .map_err(|e: gpunion_p2p::multiaddr::Error| P2pError::Address {
                    field,
                    value: value.clone(),
                    message: e.to_string(),
                })
        })
        .collect()
}

/// What the node publishes in its market record: its announced addresses, then one
/// relayed address through each master.
pub fn published_addresses(settings: &P2pSettings, peer: &PeerId) -> Result<Vec<String>, P2pError> {
    if !settings.enabled {
        return Ok(Vec::new());
    }
    let mut addresses: Vec<String> = parse("announce", &settings.announce)?
        .iter()
        .map(Multiaddr::to_string)
        .collect();
    for master in parse("masters", &settings.masters)? {
        addresses.push(gpunion_p2p::relayed_address(&master, *peer).to_string());
    }
    for address in &addresses {
        validate::multiaddr(address).map_err(|e| P2pError::Address {
            field: "announce",
            value: address.clone(),
            message: e.to_string(),
        })?;
    }
    validate::count("multiaddrs", addresses.len(), validate::MAX_MULTIADDRS).map_err(|e| {
        P2pError::Address {
            field: "masters",
            value: format!("{} addresses", addresses.len()),
            message: e.to_string(),
        }
    })?;
    Ok(addresses)
}

/// What the lease link serves from.
pub struct LinkParts {
    pub provider: String,
    pub chain_id: String,
    pub market: Market,
    pub jobs_dir: PathBuf,
    pub runc: Option<Runc>,
    pub cancels: tokio::sync::mpsc::Sender<super::link::CancelRequest>,
}

/// Starts the host under `keypair` and the lease link server on it; the host runs as
/// long as the returned handle is kept.
pub async fn start(
    settings: &P2pSettings,
    keypair: Keypair,
    parts: LinkParts,
) -> Result<Host, P2pError> {
    let masters = parse("masters", &settings.masters)?;
    let host = Host::start(HostConfig {
        keypair,
        listen: parse("listen", &settings.listen)?,
        reserve: !masters.is_empty(),
        masters,
        agent: format!("gpu-node/{}", env!("CARGO_PKG_VERSION")),
    })
    .await?;
    let server = LinkServer {
        control: host.control(),
        peer: host.peer_id(),
        provider: parts.provider,
        chain_id: parts.chain_id,
        market: parts.market,
        jobs_dir: parts.jobs_dir,
        runc: parts.runc,
        cancels: parts.cancels,
    };
    tokio::spawn(server.run());
    Ok(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_publishes_its_announced_addresses_and_a_circuit_through_each_master() {
        let peer = Keypair::generate_ed25519().public().to_peer_id();
        let master = Keypair::generate_ed25519().public().to_peer_id();
        let settings = P2pSettings {
            announce: vec!["/ip4/1.2.3.4/tcp/4001".into()],
            masters: vec![format!("/ip4/5.6.7.8/udp/4001/quic-v1/p2p/{master}")],
            ..P2pSettings::default()
        };
        assert_eq!(
            published_addresses(&settings, &peer).unwrap(),
            vec![
                "/ip4/1.2.3.4/tcp/4001".to_string(),
                format!("/ip4/5.6.7.8/udp/4001/quic-v1/p2p/{master}/p2p-circuit/p2p/{peer}"),
            ]
        );
        let off = P2pSettings {
            enabled: false,
            ..settings.clone()
        };
        assert!(published_addresses(&off, &peer).unwrap().is_empty());
        let bad = P2pSettings {
            masters: vec!["not an address".into()],
            ..settings
        };
        assert!(matches!(
            published_addresses(&bad, &peer),
            Err(P2pError::Address {
                field: "masters",
                ..
            })
        ));
    }
}

//! `gpu-node masternode`: a master node of the P2P network (a public relay v2 server with
//! its own limits, a Kademlia bootstrap peer, an AutoNAT v2 server). Prints each address
//! it listens on (with its `/p2p/<id>`, what providers and customers list as a master)
//! and runs until interrupted.

use std::path::PathBuf;
use std::time::Duration;

use gpu_node::provider::identity;
use gpunion_p2p::Multiaddr;
use gpunion_p2p::master::{self, MasterConfig, MasterEvent, RelayLimits};
use tokio::sync::mpsc;

#[derive(clap::Args)]
pub struct Options {
    /// Folder holding the master's identity key (`identity.key`, made if missing), so
    /// that its peer id stays the same across restarts.
    #[arg(long)]
    home: PathBuf,
    /// Multiaddrs to listen on.
    #[arg(long, default_values_t = ["/ip4/0.0.0.0/tcp/4001".to_string(), "/ip4/0.0.0.0/udp/4001/quic-v1".to_string()])]
    listen: Vec<String>,
    /// Public multiaddrs (given to hosts in their reservations); default: the specific
    /// addresses it listens on.
    #[arg(long)]
    external: Vec<String>,
    /// Reservations held at once.
    #[arg(long, default_value_t = RelayLimits::default().max_reservations)]
    max_reservations: usize,
    /// Circuits at once per peer.
    #[arg(long, default_value_t = RelayLimits::default().max_circuits_per_peer)]
    max_circuits_per_peer: usize,
    /// Longest life of a circuit, seconds.
    #[arg(long, default_value_t = RelayLimits::default().max_circuit_duration.as_secs())]
    max_circuit_seconds: u64,
    /// Most bytes relayed in each direction of a circuit, MiB.
    #[arg(long, default_value_t = RelayLimits::default().max_circuit_bytes >> 20)]
    max_circuit_mib: u64,
    /// New circuits a minute from one IP address.
    #[arg(long, default_value_t = RelayLimits::default().circuits_per_minute_per_ip)]
    circuits_per_minute_per_ip: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    #[error("{value:?} is not a multiaddr: {message}")]
    Address { value: String, message: String },
    #[error(transparent)]
    Host(#[from] gpunion_p2p::HostError),
    #[error("{0}")]
    Io(String),
}

fn parse(values: &[String]) -> Result<Vec<Multiaddr>, MasterError> {
    values
        .iter()
        .map(|value| {
            value
                .parse()
                .map_err(|e: gpunion_p2p::multiaddr::Error| MasterError::Address {
                    value: value.clone(),
                    message: e.to_string(),
                })
        })
        .collect()
}

pub fn run(options: &Options) -> Result<(), MasterError> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    std::fs::create_dir_all(&options.home).map_err(|e| MasterError::Io(e.to_string()))?;
    let config = MasterConfig {
        keypair: identity::load_or_create(&options.home)?,
        listen: parse(&options.listen)?,
        external: parse(&options.external)?,
        limits: RelayLimits {
            max_reservations: options.max_reservations,
            max_circuits_per_peer: options.max_circuits_per_peer,
            max_circuit_duration: Duration::from_secs(options.max_circuit_seconds),
            max_circuit_bytes: options.max_circuit_mib << 20,
            circuits_per_minute_per_ip: options.circuits_per_minute_per_ip,
            ..RelayLimits::default()
        },
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| MasterError::Io(e.to_string()))?;
    runtime.block_on(async {
        let (events, mut reports) = mpsc::unbounded_channel();
        let (stop, stopped) = mpsc::channel(1);
        let node = tokio::spawn(master::run(config, events, stopped));
        let printer = tokio::spawn(async move {
            while let Some(event) = reports.recv().await {
                match event {
                    MasterEvent::Listening { address } => println!("listening {address}"),
                    other => println!("{}", serde_json::to_string(&other).unwrap_or_default()),
                }
            }
        });
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(()).await;
        let result = node.await.map_err(|e| MasterError::Io(e.to_string()))?;
        printer.abort();
        result.map_err(MasterError::from)
    })
}

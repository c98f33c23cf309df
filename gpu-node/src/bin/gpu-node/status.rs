//! `gpu-node status`: what the running node reports on `/api/status`, and the provider's
//! record on the market.

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::home::{HomeError, HomeOptions};

/// Options of `gpu-node status`.
#[derive(clap::Args)]
pub struct Options {
    #[command(flatten)]
    home: HomeOptions,
}

/// Why `status` failed.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error(transparent)]
    Home(#[from] HomeError),
    #[error(transparent)]
    Chain(#[from] gpunion_sdk::Error),
}

/// Prints the node's and the market's view.
pub fn run(options: &Options) -> Result<(), StatusError> {
    let opened = options.home.open()?;
    let keystore = gpunion_sdk::keystore::Keystore::load(
        &opened.home.join(gpu_node::provider::config::KEYSTORE_FILE),
    )?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| gpunion_sdk::Error::BadInput(format!("async runtime: {e}")))?;
    runtime.block_on(async {
        match fetch_status(opened.config.metrics_listen).await {
            Ok(body) => println!("node: running\n{body}"),
            Err(e) => println!(
                "node: not answering on {} ({e}); start it with `gpu-node serve`",
                opened.config.metrics_listen
            ),
        }
        let market = opened.chain.market()?;
        match market.provider_unverified(&keystore.address).await? {
            Some(p) => println!(
                "market: {} is {:?}, reliability {}‰, stake {} ugut, {} open leases, earned {} ugut",
                keystore.address,
                p.status,
                p.reliability_permille,
                p.provider.stake,
                p.provider.open_leases,
                p.provider.stats.earned
            ),
            None => println!(
                "market: {} is not registered (`gpu-node register`)",
                keystore.address
            ),
        }
        Ok(())
    })
}

async fn fetch_status(address: std::net::SocketAddr) -> std::io::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    stream
        .write_all(b"GET /api/status HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or(response))
}

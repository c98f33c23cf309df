//! `gpunion lease status|logs|forward`: the lease link to the lease's provider over
//! libp2p (through a master node's relay, direct after a hole punch).

use std::sync::Arc;

use gpunion_sdk::contracts::market::Market;
use gpunion_sdk::lease_link::{CustomerLink, LinkSettings, Reached};
use gpunion_sdk::{Error, Result, Signer};

use crate::Output;

/// Connects to the provider of lease `lease_id` (as the chain names it, verified).
pub async fn reach(
    market: &Market,
    masters: &[String],
    lease_id: u64,
    out: &Output,
) -> Result<(Arc<CustomerLink>, Reached)> {
    let lease = market
        .lease(lease_id)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("lease {lease_id}"),
        })?;
    let provider = market
        .provider(lease.provider.as_str())
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("provider {}", lease.provider),
        })?;
    let masters = masters
        .iter()
        .map(|m| {
            m.parse()
                .map_err(|e| Error::BadInput(format!("--master {m:?}: {e}")))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let link = CustomerLink::start(LinkSettings::with_masters(masters)).await?;
    out.progress(&format!(
        "reaching provider {} (peer {})",
        lease.provider, provider.attributes.peer_id
    ));
    let reached = link.reach(&provider.attributes).await?;
    out.progress(&format!("connected ({:?})", reached.route).to_lowercase());
    Ok((Arc::new(link), reached))
}

/// Forwards `127.0.0.1:<local>` to `<remote>` in the lease's container until interrupted.
pub async fn forward(
    link: Arc<CustomerLink>,
    reached: Reached,
    signer: Signer,
    lease_id: u64,
    mapping: &str,
    out: &Output,
) -> Result<()> {
    let (local, remote) = parse_mapping(mapping)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", local))
        .await
        .map_err(|e| Error::BadInput(format!("cannot listen on 127.0.0.1:{local}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::BadInput(e.to_string()))?;
    out.progress(&format!(
        "forwarding {bound} to port {remote} of lease {lease_id}; Ctrl-C stops"
    ));
    let log: Arc<dyn Fn(String) + Send + Sync> = Arc::new(|line| eprintln!("{line}"));
    tokio::select! {
        result = link.forward(signer, reached.peer, lease_id, remote, listener, log) => result?,
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

/// `LOCAL:REMOTE` or `PORT` (the same on both sides), as `ssh -L` takes it.
fn parse_mapping(mapping: &str) -> Result<(u16, u16)> {
    let port = |value: &str| {
        value
            .parse::<u16>()
            .map_err(|_| Error::BadInput(format!("{value:?} is not a port (0 to 65535)")))
    };
    match mapping.split_once(':') {
        Some((local, remote)) => Ok((port(local)?, port(remote)?)),
        None => {
            let both = port(mapping)?;
            Ok((both, both))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_mapping;

    #[test]
    fn mappings_parse_like_ssh_l() {
        assert_eq!(parse_mapping("8888:80").unwrap(), (8888, 80));
        assert_eq!(parse_mapping("8888").unwrap(), (8888, 8888));
        assert_eq!(parse_mapping("0:22").unwrap(), (0, 22));
        for bad in ["", "x", "1:", ":2", "70000:1", "1:2:3"] {
            assert!(parse_mapping(bad).is_err(), "{bad}");
        }
    }
}

//! A customer's port forward: a TCP connection to a port inside the lease's running
//! container, made from within the container's own network namespace (the container
//! sees a connection from its own loopback; the host's network stays out of its reach).

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// How long the connection inside the container may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// The container's network namespace could not be entered.
    #[error("cannot enter the container's network: {0}")]
    Namespace(String),
    /// Nothing answers on that port inside the container.
    #[error("port {port} in the container: {message}")]
    Connect { port: u16, message: String },
}

/// Connects to `127.0.0.1:port` inside the network namespace of process `pid` (the
/// container's init). A thread of its own enters the namespace, so nothing else of the
/// node ever runs in it; the socket stays in that namespace after the thread ends.
pub async fn connect_in(pid: u32, port: u16) -> Result<tokio::net::TcpStream, ForwardError> {
    let stream = tokio::task::spawn_blocking(move || {
        let path = format!("/proc/{pid}/ns/net");
        let target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        gpunion_p2p::netns::run_in(std::path::Path::new(&path), || {
            TcpStream::connect_timeout(&target, CONNECT_TIMEOUT)
        })
        .map_err(|e| ForwardError::Namespace(format!("{path}: {e}")))?
        .map_err(|e| ForwardError::Connect {
            port,
            message: e.to_string(),
        })
    })
    .await
    .map_err(|e| ForwardError::Namespace(e.to_string()))??;
    stream
        .set_nonblocking(true)
        .map_err(|e| ForwardError::Namespace(e.to_string()))?;
    tokio::net::TcpStream::from_std(stream).map_err(|e| ForwardError::Namespace(e.to_string()))
}

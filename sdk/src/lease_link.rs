//! The customer's side of the lease link (`gpunion_interface::lease_link`): reach the
//! provider the chain names for a lease over libp2p (through a master node's relay, then
//! directly once a hole punch succeeds), prove to it with the chain key that this is the
//! lease's customer, and ask: the job's status, its live logs, or a port forwarded into
//! its container.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use gpunion_interface::lease_link::{
    self, Answer, Challenge, Hello, LeaseStatus, LogFrame, MAX_FRAME_BYTES, NONCE_BYTES, Proof,
    Request, ResultFrame,
};
use gpunion_interface::market::ProviderAttributes;
use gpunion_p2p::multiaddr::Protocol;
use gpunion_p2p::{
    Host, HostConfig, Keypair, Multiaddr, PeerId, Route, Stream, StreamProtocol, frame,
};
use tokio_util::compat::FuturesAsyncReadCompatExt as _;

use crate::error::{Error, Result};
use crate::keys::Wallet;
use crate::tx::Signer;

/// How long a customer waits for the provider to answer each step of the handshake.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a relayed connection waits for a hole punch before it is used as it is.
const DIRECT_GRACE: Duration = Duration::from_secs(5);

/// How the customer's host joins the network.
#[derive(Clone, Debug)]
pub struct LinkSettings {
    /// Master nodes (`/ip4/…/tcp/…/p2p/<id>`): relays to providers behind NATs.
    pub masters: Vec<Multiaddr>,
    /// Where the customer's host listens (port 0 picks one): needed for hole punching.
    pub listen: Vec<Multiaddr>,
    /// How long to try to reach the provider.
    pub connect_timeout: Duration,
}

impl LinkSettings {
    /// Listening on every interface on a free TCP and QUIC port.
    pub fn with_masters(masters: Vec<Multiaddr>) -> Self {
        Self {
            masters,
            listen: vec![
                Multiaddr::empty()
                    .with(Protocol::Ip4(Ipv4Addr::UNSPECIFIED))
                    .with(Protocol::Tcp(0)),
                Multiaddr::empty()
                    .with(Protocol::Ip4(Ipv4Addr::UNSPECIFIED))
                    .with(Protocol::Udp(0))
                    .with(Protocol::QuicV1),
            ],
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// A customer's libp2p host, reaching providers and speaking the lease link.
pub struct CustomerLink {
    host: Host,
    settings: LinkSettings,
}

/// A provider reached: its peer id (as the chain names it) and how.
#[derive(Clone, Copy, Debug)]
pub struct Reached {
    pub peer: PeerId,
    pub route: Route,
}

fn peer_error(peer: impl ToString, message: impl ToString) -> Error {
    Error::Peer {
        peer: peer.to_string(),
        message: message.to_string(),
    }
}

impl CustomerLink {
    /// Starts the customer's host (a fresh identity per run).
    pub async fn start(settings: LinkSettings) -> Result<Self> {
        let host = Host::start(HostConfig {
            keypair: Keypair::generate_ed25519(),
            listen: settings.listen.clone(),
            masters: settings.masters.clone(),
            reserve: false,
            agent: format!("gpunion/{}", env!("CARGO_PKG_VERSION")),
        })
        .await
        .map_err(|e| peer_error("self", e))?;
        Ok(Self { host, settings })
    }

    /// The host (its events, connections).
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// Connects to the provider whose on-chain record is `attributes`: its peer id is the
    /// one the chain names (Noise authenticates it, so nobody can stand in for it), at
    /// its published addresses and through every master. Waits a moment for a hole
    /// punch, and keeps only the direct connection when one succeeds.
    pub async fn reach(&self, attributes: &ProviderAttributes) -> Result<Reached> {
        let peer: PeerId = attributes.peer_id.parse().map_err(|e| {
            Error::bad_input(format!(
                "the provider's peer id {:?} does not parse: {e}",
                attributes.peer_id
            ))
        })?;
        let mut addresses: Vec<Multiaddr> = attributes
            .multiaddrs
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        addresses.extend(
            self.settings
                .masters
                .iter()
                .map(|master| gpunion_p2p::relayed_address(master, peer)),
        );
        if addresses.is_empty() {
            return Err(Error::bad_input(
                "the provider publishes no address and no master node is configured",
            ));
        }
        if !self.settings.masters.is_empty() {
            // The NAT's public address, learned from a master, is what a hole punch uses.
            let _ = self
                .host
                .await_observed(self.settings.connect_timeout)
                .await;
        }
        let route = self
            .host
            .connect(peer, addresses, self.settings.connect_timeout)
            .await
            .map_err(|e| peer_error(peer, e))?;
        if route == Route::Direct {
            return Ok(Reached { peer, route });
        }
        let direct = self
            .host
            .await_direct(peer, DIRECT_GRACE)
            .await
            .map_err(|e| peer_error(peer, e))?;
        if direct {
            // The host closes the relayed connections once a direct one opens. Streams go
            // on a connection picked at random: wait until the relayed ones are gone, so
            // that none is opened on a connection being closed.
            let deadline = tokio::time::Instant::now() + DIRECT_GRACE;
            while self
                .host
                .connections(peer)
                .await
                .map_err(|e| peer_error(peer, e))?
                .iter()
                .any(|c| c.route == Route::Relayed)
                && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            return Ok(Reached {
                peer,
                route: Route::Direct,
            });
        }
        Ok(Reached { peer, route })
    }

    /// Opens a stream to `provider` for `request` on lease `lease_id` and proves the
    /// customer's key; returns the stream once the provider granted it.
    pub async fn open(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
        request: Request,
    ) -> Result<Stream> {
        let mut stream = self
            .host
            .control()
            .open_stream(provider, StreamProtocol::new(lease_link::PROTOCOL))
            .await
            .map_err(|e| peer_error(provider, e))?;
        let step = |e: frame::FrameError| peer_error(provider, e);
        within(
            provider,
            frame::write(&mut stream, &Hello { lease_id, request }, MAX_FRAME_BYTES),
        )
        .await?
        .map_err(step)?;
        let challenge: Challenge = within(provider, frame::read(&mut stream, MAX_FRAME_BYTES))
            .await?
            .map_err(step)?;
        let nonce = hex::decode(&challenge.nonce).unwrap_or_default();
        if nonce.len() != NONCE_BYTES {
            return Err(peer_error(
                provider,
                "the provider's challenge is malformed",
            ));
        }
        let proof = sign_access(wallet, &challenge, lease_id, provider, self.host.peer_id())?;
        within(provider, frame::write(&mut stream, &proof, MAX_FRAME_BYTES))
            .await?
            .map_err(step)?;
        match within(
            provider,
            frame::read::<_, Answer>(&mut stream, MAX_FRAME_BYTES),
        )
        .await?
        .map_err(step)?
        {
            Answer::Granted => Ok(stream),
            Answer::Refused(error) => Err(Error::AccessRefused(error)),
        }
    }

    /// The job's state on the provider's node.
    pub async fn status(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
    ) -> Result<LeaseStatus> {
        self.ask_status(wallet, provider, lease_id, Request::Status)
            .await
    }

    /// Stops the job now (or keeps it from starting): the provider posts a result that
    /// says so and the lease settles for the time used.
    pub async fn cancel(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
    ) -> Result<LeaseStatus> {
        self.ask_status(wallet, provider, lease_id, Request::Cancel)
            .await
    }

    /// `request`, answered with the job's state.
    async fn ask_status(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
        request: Request,
    ) -> Result<LeaseStatus> {
        let mut stream = self.open(wallet, provider, lease_id, request).await?;
        within(provider, frame::read(&mut stream, MAX_FRAME_BYTES))
            .await?
            .map_err(|e| peer_error(provider, e))
    }

    /// The job's output: `on_text(source, text)` for each piece, in order; with `follow`,
    /// until the job ends. Returns why the stream ended.
    pub async fn logs(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
        follow: bool,
        mut on_text: impl FnMut(&str, &str),
    ) -> Result<String> {
        let mut stream = self
            .open(wallet, provider, lease_id, Request::Logs { follow })
            .await?;
        loop {
            // A followed job may be quiet for long: no step timeout here.
            match frame::read::<_, LogFrame>(&mut stream, MAX_FRAME_BYTES)
                .await
                .map_err(|e| peer_error(provider, e))?
            {
                LogFrame::Text { source, text } => on_text(&source, &text),
                LogFrame::End { reason } => return Ok(reason),
            }
        }
    }

    /// Downloads the finished job's result folder from the provider into `out` (made;
    /// it must not exist yet), at most `max_bytes` in all; `on_bytes` hears the count so
    /// far. Returns the number of files. Check it against the chain with
    /// [`crate::job::check_result`] before trusting it.
    pub async fn download(
        &self,
        wallet: &Wallet,
        provider: PeerId,
        lease_id: u64,
        out: &std::path::Path,
        max_bytes: u64,
        mut on_bytes: impl FnMut(u64),
    ) -> Result<u64> {
        use futures::AsyncReadExt as _;
        use tokio::io::AsyncWriteExt as _;
        let write_error = |path: &std::path::Path, e: std::io::Error| {
            Error::bad_input(format!("{}: {e}", path.display()))
        };
        std::fs::create_dir(out).map_err(|e| write_error(out, e))?;
        let mut stream = self
            .open(wallet, provider, lease_id, Request::Result)
            .await?;
        let (mut files, mut bytes) = (0u64, 0u64);
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let next: ResultFrame = within(provider, frame::read(&mut stream, MAX_FRAME_BYTES))
                .await?
                .map_err(|e| peer_error(provider, e))?;
            let (path, size) = match next {
                ResultFrame::End {
                    files: sent_files,
                    bytes: sent_bytes,
                } => {
                    if (sent_files, sent_bytes) != (files, bytes) {
                        return Err(peer_error(provider, "the result's totals do not add up"));
                    }
                    return Ok(files);
                }
                ResultFrame::Folder { path } => {
                    let folder = out.join(safe_relative(&path).ok_or_else(|| {
                        peer_error(
                            provider,
                            format!("the result names an unsafe path {path:?}"),
                        )
                    })?);
                    std::fs::create_dir_all(&folder).map_err(|e| write_error(&folder, e))?;
                    continue;
                }
                ResultFrame::File { path, size } => (path, size),
            };
            let target = out.join(safe_relative(&path).ok_or_else(|| {
                peer_error(
                    provider,
                    format!("the result names an unsafe path {path:?}"),
                )
            })?);
            bytes = bytes.saturating_add(size);
            if bytes > max_bytes {
                return Err(peer_error(
                    provider,
                    format!("the result is over the {max_bytes}-byte limit"),
                ));
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .await
                .map_err(|e| write_error(&target, e))?;
            let mut left = size;
            while left > 0 {
                let want = left.min(chunk.len() as u64) as usize;
                within(provider, stream.read_exact(&mut chunk[..want]))
                    .await?
                    .map_err(|e| peer_error(provider, e))?;
                file.write_all(&chunk[..want])
                    .await
                    .map_err(|e| write_error(&target, e))?;
                left -= want as u64;
                on_bytes(bytes - left);
            }
            file.flush().await.map_err(|e| write_error(&target, e))?;
            files += 1;
        }
    }

    /// Forwards every connection accepted on `listener` to `port` inside lease
    /// `lease_id`'s container (each over its own authenticated stream), until the
    /// listener fails. `on_event` hears each connection's start and end.
    pub async fn forward(
        self: Arc<Self>,
        signer: Signer,
        provider: PeerId,
        lease_id: u64,
        port: u16,
        listener: tokio::net::TcpListener,
        on_event: Arc<dyn Fn(String) + Send + Sync>,
    ) -> Result<()> {
        loop {
            let (mut local, from) = listener
                .accept()
                .await
                .map_err(|e| Error::bad_input(format!("local listener: {e}")))?;
            let (link, signer, on_event) = (self.clone(), signer.clone(), on_event.clone());
            tokio::spawn(async move {
                let stream = match link
                    .open(
                        signer.wallet(),
                        provider,
                        lease_id,
                        Request::Forward { port },
                    )
                    .await
                {
                    Ok(stream) => stream,
                    Err(error) => {
                        on_event(format!("{from}: refused: {error}"));
                        return;
                    }
                };
                on_event(format!(
                    "{from}: connected to port {port} of lease {lease_id}"
                ));
                let mut remote = stream.compat();
                let outcome = tokio::io::copy_bidirectional(&mut local, &mut remote).await;
                on_event(match outcome {
                    Ok((up, down)) => format!("{from}: closed ({up} bytes up, {down} down)"),
                    Err(error) => format!("{from}: ended: {error}"),
                });
            });
        }
    }
}

/// `path` as a relative path of plain names only (no root, no `.` or `..`, no empty
/// part): what a result file may be called.
fn safe_relative(path: &str) -> Option<std::path::PathBuf> {
    let parts: Vec<&str> = path.split('/').collect();
    let plain = |p: &&str| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\');
    (!path.is_empty() && parts.iter().all(plain)).then(|| parts.iter().collect())
}

/// The customer's answer to `challenge` for lease `lease_id` on `provider`, from the
/// customer's own peer `customer_peer`: `wallet`'s public key and its signature of the
/// interface's access text.
pub fn sign_access(
    wallet: &Wallet,
    challenge: &Challenge,
    lease_id: u64,
    provider: PeerId,
    customer_peer: PeerId,
) -> Result<Proof> {
    let bytes = lease_link::access_sign_bytes(
        &challenge.chain_id,
        lease_id,
        &provider.to_string(),
        &customer_peer.to_string(),
        &challenge.nonce,
    );
    let signature = wallet
        .signing_key()
        .sign(&bytes)
        .map_err(|e| Error::bad_input(format!("cannot sign: {e}")))?;
    Ok(Proof {
        public_key: hex::encode(wallet.public_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    })
}

async fn within<T>(provider: PeerId, step: impl std::future::Future<Output = T>) -> Result<T> {
    tokio::time::timeout(STEP_TIMEOUT, step)
        .await
        .map_err(|_| peer_error(provider, format!("no answer within {STEP_TIMEOUT:?}")))
}

#[cfg(test)]
mod tests {
    use super::safe_relative;

    #[test]
    fn result_paths_stay_inside_the_folder() {
        assert_eq!(
            safe_relative("outputs/a.png").unwrap(),
            std::path::PathBuf::from("outputs/a.png")
        );
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/.",
            "a\\..\\b",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }
}

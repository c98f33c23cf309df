//! The provider's side of the lease link (`gpunion_interface::lease_link`): every stream
//! a customer opens is challenged, its proof checked against the lease on chain (light
//! client verified), then served: the job's status, its live logs, or a port forward
//! into its container. Each stream is its own task; a bad one ends with an error frame
//! and touches nothing else.

pub mod access;
pub mod forward;
pub mod logs;
pub mod result;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use gpunion_interface::job::container::{STDERR_FILE, STDOUT_FILE};
use gpunion_interface::job::{JobOutcome, REPORT_FILE};
use gpunion_interface::lease_link::{
    self, AccessError, Answer, Challenge, Hello, LeaseStatus, MAX_FRAME_BYTES, NONCE_BYTES, Proof,
    Request,
};
use gpunion_interface::market::Lease;
use gpunion_p2p::frame::{self, FrameError};
use gpunion_p2p::{Control, PeerId, Stream, StreamProtocol};
use gpunion_sdk::contracts::market::Market;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio_util::compat::FuturesAsyncReadCompatExt as _;

use crate::executor::oci::runc::Runc;
use crate::executor::result::read_report;
use crate::provider::job::container_label;
use access::Need;

/// How long a customer has for each step of the handshake.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
/// Streams served at once; more wait.
const MAX_STREAMS: usize = 64;

/// Why a stream ended early (logged; the customer got an error frame where possible).
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Reading or writing a frame failed.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A step took too long.
    #[error("the customer took longer than {0:?}")]
    Timeout(Duration),
    /// The request was refused.
    #[error("refused: {0}")]
    Refused(AccessError),
}

/// A customer's request to stop its job, sent to the serve loop, which answers whether
/// it did (`Err`: why not).
pub struct CancelRequest {
    pub lease_id: u64,
    pub reply: oneshot::Sender<Result<(), String>>,
}

/// What the link server needs from the node.
pub struct LinkServer {
    /// The node's libp2p streams.
    pub control: Control,
    /// The node's peer id (what customers sign for).
    pub peer: PeerId,
    /// The provider's chain address.
    pub provider: String,
    /// The chain the leases are on.
    pub chain_id: String,
    /// The market, read through the light client.
    pub market: Market,
    /// The node's jobs folder (`<lease>/result` is a job's result folder).
    pub jobs_dir: PathBuf,
    /// runc, where the node runs containers (port forwards need one).
    pub runc: Option<Runc>,
    /// To the serve loop, which owns the jobs.
    pub cancels: mpsc::Sender<CancelRequest>,
}

impl LinkServer {
    /// Serves lease link streams until the node's host stops.
    pub async fn run(self) {
        let mut control = self.control.clone();
        let mut incoming = match control.accept(StreamProtocol::new(lease_link::PROTOCOL)) {
            Ok(incoming) => incoming,
            Err(error) => {
                tracing::error!(%error, "cannot serve the lease link");
                return;
            }
        };
        let server = Arc::new(self);
        let slots = Arc::new(Semaphore::new(MAX_STREAMS));
        while let Some((peer, stream)) = incoming.next().await {
            let (server, slots) = (server.clone(), slots.clone());
            tokio::spawn(async move {
                let Ok(_slot) = slots.acquire_owned().await else {
                    return;
                };
                match server.serve(peer, stream).await {
                    Ok(()) => tracing::debug!(%peer, "lease link stream done"),
                    Err(error) => tracing::info!(%peer, %error, "lease link stream ended"),
                }
            });
        }
    }

    async fn serve(&self, customer_peer: PeerId, mut stream: Stream) -> Result<(), LinkError> {
        let hello: Hello = match step(frame::read(&mut stream, MAX_FRAME_BYTES)).await? {
            Ok(hello) => hello,
            Err(error) => return refuse(&mut stream, protocol_error(&error)).await,
        };
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce)
            .map_err(|e| LinkError::Frame(FrameError::Io(std::io::Error::other(e.to_string()))))?;
        let challenge = Challenge {
            nonce: hex::encode(nonce),
            chain_id: self.chain_id.clone(),
        };
        frame::write(&mut stream, &challenge, MAX_FRAME_BYTES).await?;
        let proof: Proof = match step(frame::read(&mut stream, MAX_FRAME_BYTES)).await? {
            Ok(proof) => proof,
            Err(error) => return refuse(&mut stream, protocol_error(&error)).await,
        };
        let (lease, now) = match self.admit(&hello, &challenge, &proof, customer_peer).await {
            Ok(admitted) => admitted,
            Err(error) => return refuse(&mut stream, error).await,
        };
        let lease_id = hello.lease_id;
        let result_dir = crate::provider::job::result_dir(&self.jobs_dir, lease_id);
        match hello.request {
            Request::Status => {
                frame::write(&mut stream, &Answer::Granted, MAX_FRAME_BYTES).await?;
                let status = job_status(&lease, &result_dir);
                frame::write(&mut stream, &status, MAX_FRAME_BYTES).await?;
            }
            Request::Logs { follow } => {
                frame::write(&mut stream, &Answer::Granted, MAX_FRAME_BYTES).await?;
                let until = tokio::time::Instant::now()
                    + Duration::from_secs(lease.end.saturating_sub(now));
                logs::stream(&mut stream, &result_dir, follow, until).await?;
            }
            Request::Cancel => {
                let (reply, answer) = oneshot::channel();
                let asked = self.cancels.send(CancelRequest { lease_id, reply }).await;
                let outcome = match asked {
                    Ok(()) => answer
                        .await
                        .unwrap_or_else(|_| Err("the node is stopping".into())),
                    Err(_) => Err("the node is stopping".into()),
                };
                if let Err(reason) = outcome {
                    return refuse(&mut stream, AccessError::Unavailable { reason }).await;
                }
                frame::write(&mut stream, &Answer::Granted, MAX_FRAME_BYTES).await?;
                let mut status = job_status(&lease, &result_dir);
                status.job = "cancelled".into();
                frame::write(&mut stream, &status, MAX_FRAME_BYTES).await?;
            }
            Request::Result => {
                let files = if result_dir.join(REPORT_FILE).exists() {
                    result::list(&result_dir).map_err(|e| e.to_string())
                } else {
                    Err("the job has not finished".to_string())
                };
                let files = match files {
                    Ok(files) => files,
                    Err(reason) => {
                        return refuse(&mut stream, AccessError::Unavailable { reason }).await;
                    }
                };
                frame::write(&mut stream, &Answer::Granted, MAX_FRAME_BYTES).await?;
                result::send(&mut stream, &files).await?;
                let _ = futures::AsyncWriteExt::close(&mut stream).await;
            }
            Request::Forward { port } => {
                let mut inside = match self.connect_inside(lease_id, port).await {
                    Ok(inside) => inside,
                    Err(error) => return refuse(&mut stream, error).await,
                };
                frame::write(&mut stream, &Answer::Granted, MAX_FRAME_BYTES).await?;
                tracing::info!(lease_id, port, %customer_peer, "port forward opened");
                let mut remote = stream.compat();
                let moved = tokio::io::copy_bidirectional(&mut remote, &mut inside).await;
                tracing::info!(lease_id, port, ?moved, "port forward closed");
            }
        }
        Ok(())
    }

    /// Checks the proof, then the lease on chain; the lease and the chain's time.
    async fn admit(
        &self,
        hello: &Hello,
        challenge: &Challenge,
        proof: &Proof,
        customer_peer: PeerId,
    ) -> Result<(Lease, u64), AccessError> {
        let message = lease_link::access_sign_bytes(
            &self.chain_id,
            hello.lease_id,
            &self.peer.to_string(),
            &customer_peer.to_string(),
            &challenge.nonce,
        );
        let prefix = self
            .provider
            .rsplit_once('1')
            .map_or("wasm", |(prefix, _)| prefix);
        let customer = access::verify_proof(&proof.public_key, &proof.signature, &message, prefix)?;
        let read = self
            .market
            .lease_and_time(hello.lease_id)
            .await
            .map_err(|e| AccessError::ChainUnavailable {
                reason: e.to_string(),
            })?;
        let need = match hello.request {
            Request::Result => Need::Any,
            Request::Status => Need::Listed,
            Request::Logs { .. } | Request::Forward { .. } | Request::Cancel => Need::Open,
        };
        let now = read.as_ref().map_or(0, |(_, now)| *now);
        let lease = read.map(|(lease, _)| lease);
        access::check_lease(
            hello.lease_id,
            lease.as_ref(),
            now,
            &self.provider,
            &customer,
            need,
        )?;
        tracing::info!(lease_id = hello.lease_id, %customer, %customer_peer, request = ?hello.request, "lease link granted");
        Ok((lease.expect("checked to exist"), now))
    }

    async fn connect_inside(
        &self,
        lease_id: u64,
        port: u16,
    ) -> Result<tokio::net::TcpStream, AccessError> {
        let unavailable = |reason: String| AccessError::Unavailable { reason };
        let runc = self
            .runc
            .as_ref()
            .ok_or_else(|| unavailable("this node runs no containers".into()))?;
        let pid = runc
            .running_with_label(&container_label(lease_id))
            .await
            .map_err(|e| unavailable(e.to_string()))?
            .ok_or_else(|| unavailable(format!("no container of lease {lease_id} is running")))?;
        forward::connect_in(pid, port)
            .await
            .map_err(|e| unavailable(e.to_string()))
    }
}

/// The job's state as the node's folder for it shows.
fn job_status(lease: &Lease, result_dir: &std::path::Path) -> LeaseStatus {
    let size = |name: &str| std::fs::metadata(result_dir.join(name)).map_or(0, |m| m.len());
    let job = if result_dir.join(REPORT_FILE).exists() {
        match read_report(result_dir).map(|r| r.outcome) {
            Some(JobOutcome::Succeeded) => "finished",
            Some(JobOutcome::Failed(_)) => "failed",
            None => "unknown",
        }
    } else if result_dir.exists() {
        "running"
    } else {
        "waiting"
    };
    LeaseStatus {
        lease_id: lease.id,
        job: job.into(),
        output_bytes: size(STDOUT_FILE) + size(STDERR_FILE),
        result_cid: lease.result.as_ref().map(|r| r.cid.clone()),
    }
}

async fn step<T>(future: impl std::future::Future<Output = T>) -> Result<T, LinkError> {
    tokio::time::timeout(STEP_TIMEOUT, future)
        .await
        .map_err(|_| LinkError::Timeout(STEP_TIMEOUT))
}

fn protocol_error(error: &FrameError) -> AccessError {
    AccessError::Protocol {
        reason: error.to_string(),
    }
}

/// Tells the customer why (best effort: the stream may already be broken) and ends.
async fn refuse(stream: &mut Stream, error: AccessError) -> Result<(), LinkError> {
    let _ = frame::write(stream, &Answer::Refused(error.clone()), MAX_FRAME_BYTES).await;
    Err(LinkError::Refused(error))
}

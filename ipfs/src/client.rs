//! The connection to one Kubo node's RPC API (`POST /api/v0/<command>`), and the
//! commands that answer with one small JSON object.

use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, Response, StatusCode};
use serde::Deserialize;

use crate::{Cid, IpfsError};

/// The RPC API address when `IPFS_API` is not set: Kubo's default, and `ipfs/kubo`'s.
pub const DEFAULT_API: &str = "http://127.0.0.1:5001";

/// How long after a `timeout=` of its own Kubo may take to answer before the client
/// stops waiting: Kubo answers at its deadline, this only covers a node that hangs.
pub(crate) const GRACE: Duration = Duration::from_secs(5);

/// A Kubo node's RPC API. Cheap to clone: clones share one HTTP client.
#[derive(Clone, Debug)]
pub struct Kubo {
    api: String,
    http: reqwest::Client,
}

/// What `stat` tells about a CID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// The size of the whole DAG below the CID in bytes: file contents plus the UnixFS
    /// nodes that hold them together (so a little more than the files alone).
    pub cumulative_size: u64,
    /// Whether the CID is a UnixFS directory.
    pub is_directory: bool,
}

/// The answer to `files/stat`.
#[derive(Deserialize)]
struct FilesStat {
    #[serde(rename = "CumulativeSize")]
    cumulative_size: u64,
    #[serde(rename = "Type")]
    kind: String,
}

/// The answer to `version`.
#[derive(Deserialize)]
struct Version {
    #[serde(rename = "Version")]
    version: String,
}

/// The body of an error answer.
#[derive(Deserialize)]
struct KuboMessage {
    #[serde(rename = "Message")]
    message: String,
}

impl Kubo {
    /// A client of the RPC API at `api_url` (`http://127.0.0.1:5001`); connects nothing yet.
    pub fn new(api_url: &str) -> Result<Kubo, IpfsError> {
        let api = api_url.trim_end_matches('/').to_owned();
        let bad = |reason: String| IpfsError::BadApiUrl {
            api: api.clone(),
            reason,
        };
        let url = reqwest::Url::parse(&api).map_err(|e| bad(e.to_string()))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(bad(format!(
                "scheme {:?}; expected http or https",
                url.scheme()
            )));
        }
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Kubo { api, http })
    }

    /// A client of the RPC API named by the `IPFS_API` environment variable (what
    /// `eval "$(ipfs/kubo env)"` sets), else of [`DEFAULT_API`].
    pub fn from_env() -> Result<Kubo, IpfsError> {
        match std::env::var("IPFS_API") {
            Ok(api) if !api.is_empty() => Kubo::new(&api),
            _ => Kubo::new(DEFAULT_API),
        }
    }

    /// The RPC API address this client talks to, without a trailing `/`.
    pub fn api_url(&self) -> &str {
        &self.api
    }

    /// The node's Kubo version (`0.43.1`); a cheap check that it is running.
    pub async fn version(&self) -> Result<String, IpfsError> {
        let answer: Version = json(self.send(self.command("version")).await?).await?;
        Ok(answer.version)
    }

    /// Pins `cid` recursively, so the node's garbage collection keeps it. Returns once
    /// every block is local: for a CID that no connected peer has, that is never, so a
    /// caller that cannot wait forever puts a timeout around it.
    pub async fn pin(&self, cid: &Cid) -> Result<(), IpfsError> {
        let request = self.command("pin/add").query(&[("arg", cid.as_str())]);
        json::<serde_json::Value>(self.send(request).await?).await?;
        Ok(())
    }

    /// The size and kind of `cid`, fetching its root block from peers if it is not
    /// local; `NotFound` when that takes longer than `timeout`.
    pub async fn stat(&self, cid: &Cid, timeout: Duration) -> Result<Stat, IpfsError> {
        let request = self.command("files/stat").query(&[
            ("arg", format!("/ipfs/{cid}")),
            ("timeout", go_duration(timeout)),
        ]);
        let started = Instant::now();
        let answer = tokio::time::timeout(timeout + GRACE, async {
            json::<FilesStat>(self.send(request).await?).await
        })
        .await;
        let not_found = || IpfsError::NotFound {
            cid: cid.clone(),
            timeout,
        };
        match answer {
            Ok(Ok(stat)) => Ok(Stat {
                cumulative_size: stat.cumulative_size,
                is_directory: stat.kind == "directory",
            }),
            Ok(Err(e)) if deadline_passed(&e, started, timeout) => Err(not_found()),
            Ok(Err(e)) => Err(e),
            Err(_elapsed) => Err(not_found()),
        }
    }

    /// A request for an RPC API command (`add`, `pin/add`); every command is a POST.
    pub(crate) fn command(&self, command: &str) -> RequestBuilder {
        self.http.post(format!("{}/api/v0/{command}", self.api))
    }

    /// Sends a request: `NotRunning` when nothing answers, `Kubo` for an error answer.
    pub(crate) async fn send(&self, request: RequestBuilder) -> Result<Response, IpfsError> {
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return Err(self.transport(e).await),
        };
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        let message = match serde_json::from_str::<KuboMessage>(&body) {
            Ok(m) => m.message,
            Err(_) if status == StatusCode::NOT_FOUND => {
                format!(
                    "{} does not look like a Kubo RPC API ({})",
                    self.api,
                    body.trim()
                )
            }
            Err(_) => body.trim().to_owned(),
        };
        Err(IpfsError::Kubo {
            status: status.as_u16(),
            message,
        })
    }

    /// A failure below HTTP: `NotRunning` when nothing listens at the API address.
    ///
    /// A connection kept alive from an earlier command outlives the node that stopped,
    /// and then fails with "connection closed" rather than a refused connect; so for any
    /// failure other than a refused connect, one fresh connection is tried to tell.
    pub(crate) async fn transport(&self, e: reqwest::Error) -> IpfsError {
        let listening = || async {
            let url = reqwest::Url::parse(&self.api).ok()?;
            let address = (url.host_str()?.to_owned(), url.port_or_known_default()?);
            Some(tokio::net::TcpStream::connect(address).await.is_ok())
        };
        if e.is_connect() || listening().await == Some(false) {
            IpfsError::NotRunning {
                api: self.api.clone(),
            }
        } else {
            IpfsError::Kubo {
                status: 0,
                message: format!("no answer from {}: {e}", self.api),
            }
        }
    }
}

/// Reads a JSON answer.
pub(crate) async fn json<T: serde::de::DeserializeOwned>(
    response: Response,
) -> Result<T, IpfsError> {
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| IpfsError::Kubo {
        status,
        message: format!("answer cut off: {e}"),
    })?;
    serde_json::from_slice(&body).map_err(|e| IpfsError::Kubo {
        status,
        message: format!(
            "unexpected answer ({e}): {}",
            String::from_utf8_lossy(&body)
        ),
    })
}

/// A duration as Kubo's `timeout=` parameter reads it (Go's `time.ParseDuration`).
pub(crate) fn go_duration(d: Duration) -> String {
    format!("{}ms", d.as_millis().max(1))
}

/// Whether an error answer means Kubo's own `timeout=` ran out. Kubo says so only in
/// its message ("context deadline exceeded"), so the elapsed time is checked as well.
pub(crate) fn deadline_passed(e: &IpfsError, started: Instant, timeout: Duration) -> bool {
    match e {
        IpfsError::Kubo { message, .. } => {
            message.contains("context deadline exceeded") || started.elapsed() >= timeout
        }
        _ => false,
    }
}

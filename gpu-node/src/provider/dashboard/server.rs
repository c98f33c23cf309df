//! The node's HTTP endpoint (hyper, HTTP/1.1): `GET /metrics` for a scraper, and the
//! dashboard's API under `/api/` (see [`super::access`] for who may use it):
//!
//! | route | token | answer |
//! | --- | --- | --- |
//! | `GET /api/status` | no | [`super::board::NodeStatus`] |
//! | `GET /api/jobs/<lease>/log` | no | the job's log, then its container's output |
//! | `POST /api/mining/pause` | yes | mining stops within one batch |
//! | `POST /api/mining/resume` | yes | mining resumes while idle |
//! | `POST /api/price` `{"price_per_hour": "<ugut>"}` | yes | the transaction |
//! | `POST /api/withdraw` | yes | what every Active lease paid |
//!
//! Errors are JSON `{"error": "<words>"}`: 400 bad input, 401 no or wrong token, 403
//! not allowed, 404 no such thing, 502 the chain refused, 503 the node is stopping.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cosmwasm_std::Uint128;
use gpunion_interface::job::LOG_FILE;
use gpunion_interface::job::container::{STDERR_FILE, STDOUT_FILE};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use super::access::{Access, Refusal};
use super::board::Board;
use super::{Action, ActionError, ActionRequest};
use crate::provider::job;
use crate::provider::metrics::Metrics;

/// The largest request body read (a price).
const MAX_BODY: usize = 4096;
/// The most of each log file returned (its end).
const MAX_LOG_BYTES: u64 = 64 * 1024;
/// How long an action may take (a transaction included in a block).
const ACTION_TIMEOUT: Duration = Duration::from_secs(120);

/// The endpoint's parts; clones share them.
#[derive(Clone)]
pub struct Api {
    pub board: Board,
    pub metrics: Metrics,
    pub access: Arc<Access>,
    /// The serve loop, which takes the actions.
    pub actions: mpsc::Sender<ActionRequest>,
    /// The node's jobs folder (`<lease>/result/` holds each job's logs).
    pub jobs_dir: PathBuf,
}

type Reply = Response<Full<Bytes>>;

impl Api {
    /// Serves connections on `listener` until the task is dropped.
    pub async fn serve(self, listener: TcpListener) {
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                continue;
            };
            let api = self.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let api = api.clone();
                    async move { Ok::<_, Infallible>(api.handle(peer, request).await) }
                });
                if let Err(error) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(%error, "dashboard connection ended");
                }
            });
        }
    }

    async fn handle(&self, peer: SocketAddr, request: Request<Incoming>) -> Reply {
        let path = request.uri().path().to_string();
        if path == "/metrics" && request.method() == Method::GET {
            return text(
                StatusCode::OK,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                self.metrics.render(),
            );
        }
        if !path.starts_with("/api/") {
            return error(StatusCode::NOT_FOUND, "try /metrics or /api/status");
        }
        let header = |name: header::HeaderName| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let origin = header(header::ORIGIN);
        let checked = self.access.check_request(
            peer.ip(),
            header(header::HOST).as_deref(),
            origin.as_deref(),
        );
        let mut reply = match checked {
            Err(refusal) => refused(&refusal),
            Ok(()) if request.method() == Method::OPTIONS => preflight(),
            Ok(()) => {
                let authorization = header(header::AUTHORIZATION);
                self.route(request, &path, authorization.as_deref()).await
            }
        };
        if origin.as_deref() == Some(self.access.origin()) {
            let headers = reply.headers_mut();
            if let Ok(origin) = HeaderValue::from_str(self.access.origin()) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        reply
    }

    async fn route(
        &self,
        request: Request<Incoming>,
        path: &str,
        authorization: Option<&str>,
    ) -> Reply {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (request.method().clone(), segments.as_slice()) {
            (Method::GET, ["api", "status"]) => match serde_json::to_value(self.board.snapshot()) {
                Ok(status) => json_reply(StatusCode::OK, &status),
                Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            },
            (Method::GET, ["api", "jobs", lease, "log"]) => match lease.parse::<u64>() {
                Ok(lease_id) => self.job_log(lease_id).await,
                Err(_) => error(
                    StatusCode::BAD_REQUEST,
                    &format!("{lease:?} is not a lease id"),
                ),
            },
            (Method::POST, ["api", name @ ..]) => {
                if let Err(refusal) = self.access.check_token(authorization) {
                    return refused(&refusal);
                }
                let action = match name {
                    ["mining", "pause"] => Ok(Action::PauseMining),
                    ["mining", "resume"] => Ok(Action::ResumeMining),
                    ["withdraw"] => Ok(Action::Withdraw),
                    ["price"] => read_price(request.into_body()).await,
                    _ => return error(StatusCode::NOT_FOUND, "no such action"),
                };
                match action {
                    Ok(action) => self.act(action).await,
                    Err(e) => error(StatusCode::BAD_REQUEST, &e.to_string()),
                }
            }
            _ => error(StatusCode::NOT_FOUND, "no such route: see /api/status"),
        }
    }

    /// Hands `action` to the serve loop and waits for its answer.
    async fn act(&self, action: Action) -> Reply {
        let (reply, answer) = oneshot::channel();
        if self
            .actions
            .send(ActionRequest { action, reply })
            .await
            .is_err()
        {
            return action_error(&ActionError::Stopped);
        }
        match tokio::time::timeout(ACTION_TIMEOUT, answer).await {
            Ok(Ok(Ok(value))) => json_reply(StatusCode::OK, &value),
            Ok(Ok(Err(e))) => action_error(&e),
            Ok(Err(_)) => action_error(&ActionError::Stopped),
            Err(_) => error(
                StatusCode::GATEWAY_TIMEOUT,
                &format!(
                    "no answer from the node within {} s; see /api/status",
                    ACTION_TIMEOUT.as_secs()
                ),
            ),
        }
    }

    /// Lease `lease_id`'s job log: the node's `log.txt`, then a container's output.
    async fn job_log(&self, lease_id: u64) -> Reply {
        let dir = job::result_dir(&self.jobs_dir, lease_id);
        let mut out = String::new();
        for name in [LOG_FILE, STDOUT_FILE, STDERR_FILE] {
            if let Some(text) = tail(&dir.join(name)).await {
                out.push_str(&format!("== {name} ==\n{text}"));
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        if out.is_empty() {
            return error(
                StatusCode::NOT_FOUND,
                &format!("no log of lease {lease_id} on this node (yet)"),
            );
        }
        text(StatusCode::OK, "text/plain; charset=utf-8", out)
    }
}

/// The price in a `POST /api/price` body.
async fn read_price(body: Incoming) -> Result<Action, ActionError> {
    let bytes = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|e| ActionError::BadInput(format!("cannot read the request: {e}")))?
        .to_bytes();
    parse_price(&bytes).map(Action::SetPrice)
}

/// `{"price_per_hour": "<ugut>"}` (a string, as the chain writes amounts, or an integer).
fn parse_price(body: &[u8]) -> Result<Uint128, ActionError> {
    let bad = |why: String| ActionError::BadInput(why);
    let value: Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let price = match &value["price_per_hour"] {
        Value::String(s) => s.trim().parse::<u128>().map_err(|_| {
            bad(format!(
                "price_per_hour {s:?} is not a whole number of ugut"
            ))
        })?,
        Value::Number(n) => n
            .as_u64()
            .map(u128::from)
            .ok_or_else(|| bad(format!("price_per_hour {n} is not a whole number of ugut")))?,
        Value::Null => {
            return Err(bad(
                "the body needs price_per_hour (ugut per GPU-hour)".into()
            ));
        }
        other => return Err(bad(format!("price_per_hour {other} is not a number"))),
    };
    if price == 0 {
        return Err(bad("a price of 0 ugut per hour gives the GPU away".into()));
    }
    Ok(Uint128::new(price))
}

/// The last [`MAX_LOG_BYTES`] of `path`, if it exists.
async fn tail(path: &Path) -> Option<String> {
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let len = file.metadata().await.ok()?.len();
    let skip = len.saturating_sub(MAX_LOG_BYTES);
    file.seek(std::io::SeekFrom::Start(skip)).await.ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).await.ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(if skip > 0 {
        format!("[… {skip} bytes before]\n{text}")
    } else {
        text.into_owned()
    })
}

fn preflight() -> Reply {
    let mut reply = Response::new(Full::default());
    *reply.status_mut() = StatusCode::NO_CONTENT;
    let headers = reply.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    // Chromium's Private Network Access: a page may reach this loopback API.
    headers.insert(
        "access-control-allow-private-network",
        HeaderValue::from_static("true"),
    );
    reply
}

fn refused(refusal: &Refusal) -> Reply {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
    error(status, &refusal.to_string())
}

fn action_error(e: &ActionError) -> Reply {
    let status = match e {
        ActionError::BadInput(_) => StatusCode::BAD_REQUEST,
        ActionError::Chain(_) => StatusCode::BAD_GATEWAY,
        ActionError::Stopped => StatusCode::SERVICE_UNAVAILABLE,
    };
    error(status, &e.to_string())
}

fn error(status: StatusCode, message: &str) -> Reply {
    json_reply(status, &json!({ "error": message }))
}

fn json_reply(status: StatusCode, value: &Value) -> Reply {
    text(status, "application/json", value.to_string())
}

fn text(status: StatusCode, kind: &'static str, body: String) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::from(body)));
    *reply.status_mut() = status;
    let headers = reply.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::config::DashboardSettings;
    use crate::provider::dashboard::board::GpuInfo;
    use crate::provider::dashboard::errors::RecentErrors;
    use tokio::io::AsyncWriteExt as _;

    const TOKEN: &str = "5ecret";
    const APP: &str = "http://127.0.0.1:4173";

    /// The API on a free loopback port, with a loop that answers every action with
    /// its name; returns the address, the jobs folder and the actions taken.
    async fn api() -> (SocketAddr, tempfile::TempDir, mpsc::Receiver<Action>) {
        let jobs = tempfile::tempdir().unwrap();
        let metrics = Metrics::new();
        let gpu = GpuInfo {
            adapter: "llvmpipe".into(),
            backend: "Vulkan".into(),
            memory_mib: 2048,
        };
        let board = Board::new(
            "wasm1prov".into(),
            None,
            gpu,
            metrics.clone(),
            RecentErrors::default(),
        );
        let (actions, mut requests) = mpsc::channel::<ActionRequest>(4);
        let (taken_tx, taken) = mpsc::channel(16);
        tokio::spawn(async move {
            while let Some(request) = requests.recv().await {
                let answer = match request.action {
                    Action::SetPrice(p) if p.u128() > 1_000_000_000 => {
                        Err(ActionError::Chain("price above the market's bound".into()))
                    }
                    action => Ok(json!({ "did": format!("{action:?}") })),
                };
                taken_tx.send(request.action).await.unwrap();
                let _ = request.reply.send(answer);
            }
        });
        let settings = DashboardSettings {
            token: TOKEN.into(),
            web_url: APP.into(),
        };
        let api = Api {
            board,
            metrics,
            access: Arc::new(Access::new(&settings)),
            actions,
            jobs_dir: jobs.path().to_owned(),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(api.serve(listener));
        (address, jobs, taken)
    }

    /// Sends one request; returns the status, the headers (lower case) and the body.
    async fn send(address: SocketAddr, head: &str, body: &str) -> (u16, String, String) {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let request = format!(
            "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (headers, body) = response.split_once("\r\n\r\n").unwrap();
        let status = headers[9..12].parse().unwrap();
        (status, headers.to_ascii_lowercase(), body.to_string())
    }

    fn post(path: &str, extra: &str) -> String {
        format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1{extra}")
    }

    #[tokio::test]
    async fn reads_are_open_to_this_machine_and_the_web_app_only() {
        let (address, _jobs, _) = api().await;
        let get = |extra: &str| format!("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1{extra}");
        let (status, headers, body) = send(address, &get(""), "").await;
        assert_eq!(status, 200, "{body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["provider"], "wasm1prov");
        assert!(!headers.contains("access-control-allow-origin"));

        let (status, headers, _) = send(address, &get(&format!("\r\nOrigin: {APP}")), "").await;
        assert_eq!(status, 200);
        assert!(headers.contains(&format!("access-control-allow-origin: {APP}")));

        let (status, headers, body) =
            send(address, &get("\r\nOrigin: http://evil.example"), "").await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("evil.example"), "{body}");
        assert!(!headers.contains("access-control-allow-origin"));

        let rebound = "GET /api/status HTTP/1.1\r\nHost: evil.example:9464";
        let (status, _, body) = send(address, rebound, "").await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("Host"), "{body}");

        let preflight = format!(
            "OPTIONS /api/mining/pause HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {APP}\r\nAccess-Control-Request-Method: POST"
        );
        let (status, headers, _) = send(address, &preflight, "").await;
        assert_eq!(status, 204);
        assert!(headers.contains("access-control-allow-headers: authorization, content-type"));
        assert!(headers.contains(&format!("access-control-allow-origin: {APP}")));

        let (status, headers, _) = send(address, "GET /metrics HTTP/1.1\r\nHost: x", "").await;
        assert_eq!(status, 200);
        assert!(headers.contains("openmetrics"));
    }

    #[tokio::test]
    async fn actions_need_the_token_and_bad_input_never_reaches_the_node() {
        let (address, _jobs, mut taken) = api().await;
        let bearer = format!("\r\nAuthorization: Bearer {TOKEN}");
        for extra in [
            "",
            "\r\nAuthorization: Bearer nope",
            "\r\nAuthorization: 5ecret",
        ] {
            for path in ["/api/mining/pause", "/api/withdraw", "/api/price"] {
                let (status, _, body) =
                    send(address, &post(path, extra), r#"{"price_per_hour":"5"}"#).await;
                assert_eq!(status, 401, "{path} {extra:?}: {body}");
                assert!(body.contains("token"), "{body}");
            }
        }
        // Even with the token, a page of another origin cannot act.
        let foreign = format!("{bearer}\r\nOrigin: http://evil.example");
        let (status, _, _) = send(address, &post("/api/mining/pause", &foreign), "").await;
        assert_eq!(status, 403);
        for body in [
            r#"{"price_per_hour":"0"}"#,
            r#"{"price_per_hour":"x"}"#,
            "{",
        ] {
            let (status, _, answer) = send(address, &post("/api/price", &bearer), body).await;
            assert_eq!(status, 400, "{body}: {answer}");
        }
        let huge = format!(
            r#"{{"price_per_hour":"1","pad":"{}"}}"#,
            "x".repeat(MAX_BODY)
        );
        let (status, _, _) = send(address, &post("/api/price", &bearer), &huge).await;
        assert_eq!(status, 400);
        assert!(
            taken.try_recv().is_err(),
            "nothing refused reached the node"
        );

        let (status, _, body) = send(address, &post("/api/mining/pause", &bearer), "").await;
        assert_eq!((status, body.as_str()), (200, r#"{"did":"PauseMining"}"#));
        assert_eq!(taken.recv().await, Some(Action::PauseMining));
        let (status, _, _) = send(address, &post("/api/mining/resume", &bearer), "").await;
        assert_eq!(status, 200);
        assert_eq!(taken.recv().await, Some(Action::ResumeMining));
        let (status, _, _) = send(
            address,
            &post("/api/price", &bearer),
            r#"{"price_per_hour":"7"}"#,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(taken.recv().await, Some(Action::SetPrice(Uint128::new(7))));
        let (status, _, body) = send(
            address,
            &post("/api/price", &bearer),
            r#"{"price_per_hour":"9000000000"}"#,
        )
        .await;
        assert_eq!(status, 502);
        assert!(body.contains("the chain refused: price above"), "{body}");
        let (status, _, _) = send(address, &post("/api/reboot", &bearer), "").await;
        assert_eq!(status, 404);
    }

    #[tokio::test]
    async fn job_logs_come_from_the_lease_folder_only() {
        let (address, jobs, _) = api().await;
        let result = job::result_dir(jobs.path(), 7);
        std::fs::create_dir_all(&result).unwrap();
        std::fs::write(result.join(LOG_FILE), "fetched\nran 1 dispatch\n").unwrap();
        std::fs::write(result.join(STDOUT_FILE), "hello").unwrap();
        let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: localhost");
        let (status, _, body) = send(address, &get("/api/jobs/7/log"), "").await;
        assert_eq!(status, 200);
        assert_eq!(
            body,
            "== log.txt ==\nfetched\nran 1 dispatch\n== stdout.txt ==\nhello\n"
        );
        let (status, _, _) = send(address, &get("/api/jobs/8/log"), "").await;
        assert_eq!(status, 404);
        for path in [
            "/api/jobs/..%2F..%2Fetc/log",
            "/api/jobs/-1/log",
            "/api/jobs/7x/log",
        ] {
            let (status, _, body) = send(address, &get(path), "").await;
            assert_eq!(status, 400, "{path}: {body}");
        }
    }

    #[test]
    fn prices_are_whole_positive_ugut() {
        assert_eq!(
            parse_price(br#"{"price_per_hour": "3600000"}"#).unwrap(),
            Uint128::new(3_600_000)
        );
        assert_eq!(
            parse_price(br#"{"price_per_hour": 42}"#).unwrap(),
            Uint128::new(42)
        );
        for (body, words) in [
            (&br#"{"price_per_hour": "0"}"#[..], "gives the GPU away"),
            (br#"{"price_per_hour": "1.5"}"#, "whole number"),
            (br#"{"price_per_hour": "-3"}"#, "whole number"),
            (br#"{"price_per_hour": -3}"#, "whole number"),
            (br#"{"price_per_hour": "lots"}"#, "whole number"),
            (br#"{"price_per_hour": true}"#, "not a number"),
            (br#"{"price": "3"}"#, "needs price_per_hour"),
            (b"price=3", "not JSON"),
        ] {
            let e = parse_price(body).unwrap_err();
            assert!(matches!(e, ActionError::BadInput(_)));
            assert!(
                e.to_string().contains(words),
                "{}: {e}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

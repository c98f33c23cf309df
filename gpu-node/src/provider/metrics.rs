//! Prometheus metrics (prometheus-client, OpenMetrics text) and the node's small HTTP
//! endpoint: `GET /metrics` for a scraper, `GET /status` for `gpu-node status`.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// A label set of one `name = value` pair.
type Label = Vec<(String, String)>;

/// The node's metrics. Clones share the same values.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// Jobs by outcome (`succeeded`, `failed`).
    pub jobs: Family<Label, Counter>,
    /// Wall time of jobs (fetch, run and publish), seconds.
    pub job_seconds: Histogram,
    /// X16S hashes per second of the last mining batches.
    pub hashrate: Gauge<f64, AtomicU64>,
    /// GUT paid to the node by leases (gross of the protocol fee), ugut.
    pub gut_earned: Counter,
    /// GUT mined (solution rewards), ugut.
    pub gut_mined: Counter,
    /// The node's leases by state.
    pub leases: Family<Label, Gauge>,
    /// Seconds since the last heartbeat was included.
    pub heartbeat_lag: Gauge<f64, AtomicU64>,
    /// The last status snapshot (JSON) for `/status`.
    status: Arc<Mutex<String>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric under the `gpunion_node` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("gpunion_node");
        let jobs = Family::<Label, Counter>::default();
        registry.register("jobs", "Jobs run, by outcome", jobs.clone());
        let job_seconds = Histogram::new(exponential_buckets(0.5, 2.0, 12));
        registry.register(
            "job_seconds",
            "Seconds from a lease's start to its result in IPFS",
            job_seconds.clone(),
        );
        let hashrate = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "hashrate",
            "X16S hashes per second while mining",
            hashrate.clone(),
        );
        let gut_earned = Counter::default();
        registry.register(
            "gut_earned_ugut",
            "GUT paid by leases (gross), ugut",
            gut_earned.clone(),
        );
        let gut_mined = Counter::default();
        registry.register("gut_mined_ugut", "GUT mined, ugut", gut_mined.clone());
        let leases = Family::<Label, Gauge>::default();
        registry.register("leases", "The node's leases by state", leases.clone());
        let heartbeat_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "heartbeat_lag_seconds",
            "Seconds since the last included heartbeat",
            heartbeat_lag.clone(),
        );
        Self {
            registry: Arc::new(registry),
            jobs,
            job_seconds,
            hashrate,
            gut_earned,
            gut_mined,
            leases,
            heartbeat_lag,
            status: Arc::new(Mutex::new("{}".into())),
        }
    }

    /// Counts one job with `outcome`.
    pub fn job_finished(&self, outcome: &str, seconds: f64) {
        self.jobs
            .get_or_create(&vec![("outcome".into(), outcome.into())])
            .inc();
        self.job_seconds.observe(seconds);
    }

    /// Sets the number of leases in `state`.
    pub fn set_leases(&self, state: &str, count: i64) {
        self.leases
            .get_or_create(&vec![("state".into(), state.into())])
            .set(count);
    }

    /// Replaces the `/status` snapshot.
    pub fn set_status(&self, json: String) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = json;
    }

    /// The metrics in the OpenMetrics text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }

    /// Serves `/metrics` and `/status` on `listener` until the task is dropped.
    pub async fn serve(self, listener: TcpListener) {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                continue;
            };
            let metrics = self.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 1024];
                let Ok(n) = stream.read(&mut request).await else {
                    return;
                };
                let line = String::from_utf8_lossy(&request[..n]);
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let (status, kind, body) = match path {
                    "/metrics" => (
                        "200 OK",
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        metrics.render(),
                    ),
                    "/status" => (
                        "200 OK",
                        "application/json",
                        metrics
                            .status
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .clone(),
                    ),
                    _ => (
                        "404 Not Found",
                        "text/plain",
                        "try /metrics or /status\n".into(),
                    ),
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_metric() {
        let m = Metrics::new();
        m.job_finished("succeeded", 2.0);
        m.job_finished("failed", 1.0);
        m.set_leases("active", 1);
        m.gut_earned.inc_by(42);
        m.hashrate.set(1234.5);
        let text = m.render();
        for needle in [
            "gpunion_node_jobs_total{outcome=\"succeeded\"} 1",
            "gpunion_node_jobs_total{outcome=\"failed\"} 1",
            "gpunion_node_job_seconds_count 2",
            "gpunion_node_leases{state=\"active\"} 1",
            "gpunion_node_gut_earned_ugut_total 42",
            "gpunion_node_hashrate 1234.5",
            "gpunion_node_heartbeat_lag_seconds",
        ] {
            assert!(text.contains(needle), "{needle} missing from:\n{text}");
        }
    }
}

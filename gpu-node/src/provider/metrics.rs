//! Prometheus metrics (prometheus-client, OpenMetrics text), served as `GET /metrics`
//! beside the dashboard's API ([`super::dashboard`]).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

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
    /// Solutions the mining contract accepted.
    pub solutions: Counter,
    /// X16S hashes tried.
    pub hashes: Counter,
    /// The node's leases by state.
    pub leases: Family<Label, Gauge>,
    /// Seconds since the last heartbeat was included.
    pub heartbeat_lag: Gauge<f64, AtomicU64>,
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
        let solutions = Counter::default();
        registry.register("solutions", "Mining solutions accepted", solutions.clone());
        let hashes = Counter::default();
        registry.register("hashes", "X16S hashes tried", hashes.clone());
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
            solutions,
            hashes,
            leases,
            heartbeat_lag,
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

    /// The metrics in the OpenMetrics text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
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
        m.hashes.inc_by(7);
        let text = m.render();
        for needle in [
            "gpunion_node_jobs_total{outcome=\"succeeded\"} 1",
            "gpunion_node_jobs_total{outcome=\"failed\"} 1",
            "gpunion_node_job_seconds_count 2",
            "gpunion_node_leases{state=\"active\"} 1",
            "gpunion_node_gut_earned_ugut_total 42",
            "gpunion_node_hashrate 1234.5",
            "gpunion_node_hashes_total 7",
            "gpunion_node_solutions_total 0",
            "gpunion_node_heartbeat_lag_seconds",
        ] {
            assert!(text.contains(needle), "{needle} missing from:\n{text}");
        }
    }
}

//! What the node shows its dashboard: the serve loop writes it as things happen, and
//! `GET /api/status` reads it with the live mining counters and the last warnings.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::errors::{LoggedError, RecentErrors};
use crate::provider::metrics::Metrics;
use crate::provider::mining::MinerState;

/// How many finished jobs are kept.
pub const RECENT_JOBS: usize = 20;

/// What the node is doing, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    /// A lease's job or a check runs.
    Serving,
    /// Nothing runs and the GPU mines.
    Mining,
    /// Nothing runs and mining is off (disabled, or between attempts).
    Idle,
    /// Nothing runs and the owner paused mining.
    Paused,
}

/// The node's GPU.
#[derive(Debug, Clone, Serialize)]
pub struct GpuInfo {
    pub adapter: String,
    pub backend: String,
    pub memory_mib: u64,
}

/// Whether a job served a lease or checked another provider's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Job,
    Check,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    Succeeded,
    /// It ran and failed (its report says why), or the check could not be answered.
    Failed,
    /// Its customer stopped it.
    Cancelled,
    /// Its lease ended while it ran.
    Stopped,
    /// The node's side failed (Kubo down): it runs again.
    Retrying,
}

/// One job, running or finished.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    pub lease_id: u64,
    pub kind: JobKind,
    pub workload_cid: String,
    pub started_at: u64,
    pub finished_at: Option<u64>,
    pub outcome: Option<JobOutcome>,
    pub failure: Option<String>,
    pub result_cid: Option<String>,
}

/// How a finished job ended, for [`Board::job_finished`].
#[derive(Debug, Clone)]
pub struct JobEnd {
    pub outcome: JobOutcome,
    pub failure: Option<String>,
    pub result_cid: Option<String>,
}

impl JobEnd {
    /// An end with nothing more to say than `outcome`.
    pub fn plain(outcome: JobOutcome) -> Self {
        Self {
            outcome,
            failure: None,
            result_cid: None,
        }
    }
}

/// `GET /api/status`.
#[derive(Debug, Clone, Serialize)]
pub struct NodeStatus {
    pub provider: String,
    pub peer_id: Option<String>,
    pub started_at: u64,
    pub state: NodeState,
    pub miner: MinerState,
    pub mining_paused_by_owner: bool,
    pub gpu: GpuInfo,
    pub mining: MiningFigures,
    pub earnings: Earnings,
    pub heartbeat: Heartbeats,
    pub jobs: Jobs,
    /// The last warnings, newest first.
    pub errors: Vec<LoggedError>,
}

/// Mining since the node started (amounts as decimal strings, as the chain writes them).
#[derive(Debug, Clone, Serialize)]
pub struct MiningFigures {
    /// Hashes per second of the last batches (0 while paused).
    pub hashrate: f64,
    pub hashes: String,
    pub solutions: u64,
    pub mined_ugut: String,
}

/// GUT from leases, ugut (decimal strings).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Earnings {
    /// Paid to the provider since the node started (withdrawals and settlements, gross,
    /// whoever signed them).
    pub withdrawn_ugut: String,
    /// Earned by its Active leases and not paid out yet.
    pub pending_ugut: String,
}

/// The node's heartbeats since it started.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Heartbeats {
    pub count: u64,
    /// When the last one was included (unix seconds).
    pub last_at: Option<u64>,
    /// Seconds since then.
    pub lag_s: Option<u64>,
}

/// Running jobs, and the last finished ones newest first.
#[derive(Debug, Clone, Serialize)]
pub struct Jobs {
    pub running: Vec<JobView>,
    pub recent: Vec<JobView>,
}

/// The shared view; clones share it.
#[derive(Debug, Clone)]
pub struct Board {
    view: Arc<Mutex<View>>,
    metrics: Metrics,
    errors: RecentErrors,
}

#[derive(Debug)]
struct View {
    provider: String,
    peer_id: Option<String>,
    started_at: u64,
    gpu: GpuInfo,
    miner: MinerState,
    paused_by_owner: bool,
    earnings: Earnings,
    heartbeats: u64,
    last_heartbeat: Option<u64>,
    running: BTreeMap<(JobKind, u64), JobView>,
    recent: VecDeque<JobView>,
}

impl Board {
    /// The board of node `provider` on `gpu`, reading the live counters from `metrics`
    /// and the warnings from `errors`.
    pub fn new(
        provider: String,
        peer_id: Option<String>,
        gpu: GpuInfo,
        metrics: Metrics,
        errors: RecentErrors,
    ) -> Self {
        let view = View {
            provider,
            peer_id,
            started_at: unix_now(),
            gpu,
            miner: MinerState::Disabled,
            paused_by_owner: false,
            earnings: Earnings {
                withdrawn_ugut: "0".into(),
                pending_ugut: "0".into(),
            },
            heartbeats: 0,
            last_heartbeat: None,
            running: BTreeMap::new(),
            recent: VecDeque::new(),
        };
        Self {
            view: Arc::new(Mutex::new(view)),
            metrics,
            errors,
        }
    }

    /// The miner's state, and whether the owner paused it.
    pub fn set_miner(&self, miner: MinerState, paused_by_owner: bool) {
        let mut view = self.lock();
        view.miner = miner;
        view.paused_by_owner = paused_by_owner;
    }

    /// What the provider was paid since the node started and what its Active leases
    /// hold for it.
    pub fn set_earnings(&self, withdrawn: u128, pending: u128) {
        self.lock().earnings = Earnings {
            withdrawn_ugut: withdrawn.to_string(),
            pending_ugut: pending.to_string(),
        };
    }

    /// A heartbeat was included now.
    pub fn heartbeat(&self) {
        let mut view = self.lock();
        view.heartbeats += 1;
        view.last_heartbeat = Some(unix_now());
    }

    /// A job started for lease `lease_id`.
    pub fn job_started(&self, kind: JobKind, lease_id: u64, workload_cid: &str) {
        let job = JobView {
            lease_id,
            kind,
            workload_cid: workload_cid.to_string(),
            started_at: unix_now(),
            finished_at: None,
            outcome: None,
            failure: None,
            result_cid: None,
        };
        self.lock().running.insert((kind, lease_id), job);
    }

    /// The running job of lease `lease_id` ended; nothing if none runs (a job already
    /// recorded as cancelled finishing its publication).
    pub fn job_finished(&self, kind: JobKind, lease_id: u64, end: JobEnd) {
        let mut view = self.lock();
        let Some(mut job) = view.running.remove(&(kind, lease_id)) else {
            return;
        };
        job.finished_at = Some(unix_now());
        job.outcome = Some(end.outcome);
        job.failure = end.failure;
        job.result_cid = end.result_cid;
        if view.recent.len() == RECENT_JOBS {
            view.recent.pop_back();
        }
        view.recent.push_front(job);
    }

    /// The status now.
    pub fn snapshot(&self) -> NodeStatus {
        let view = self.lock();
        let now = unix_now();
        let state = if !view.running.is_empty() {
            NodeState::Serving
        } else if view.paused_by_owner {
            NodeState::Paused
        } else if view.miner == MinerState::Mining {
            NodeState::Mining
        } else {
            NodeState::Idle
        };
        NodeStatus {
            provider: view.provider.clone(),
            peer_id: view.peer_id.clone(),
            started_at: view.started_at,
            state,
            miner: view.miner,
            mining_paused_by_owner: view.paused_by_owner,
            gpu: view.gpu.clone(),
            mining: MiningFigures {
                hashrate: self.metrics.hashrate.get(),
                hashes: self.metrics.hashes.get().to_string(),
                solutions: self.metrics.solutions.get(),
                mined_ugut: self.metrics.gut_mined.get().to_string(),
            },
            earnings: view.earnings.clone(),
            heartbeat: Heartbeats {
                count: view.heartbeats,
                last_at: view.last_heartbeat,
                lag_s: view.last_heartbeat.map(|at| now.saturating_sub(at)),
            },
            jobs: Jobs {
                running: view.running.values().cloned().collect(),
                recent: view.recent.iter().cloned().collect(),
            },
            errors: self.errors.newest_first(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, View> {
        self.view.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board() -> Board {
        let gpu = GpuInfo {
            adapter: "llvmpipe".into(),
            backend: "Vulkan".into(),
            memory_mib: 2048,
        };
        Board::new(
            "wasm1prov".into(),
            None,
            gpu,
            Metrics::new(),
            RecentErrors::default(),
        )
    }

    #[test]
    fn the_state_follows_jobs_then_the_owner_then_the_miner() {
        let b = board();
        assert_eq!(b.snapshot().state, NodeState::Idle);
        b.set_miner(MinerState::Mining, false);
        assert_eq!(b.snapshot().state, NodeState::Mining);
        b.set_miner(MinerState::Paused, true);
        assert_eq!(b.snapshot().state, NodeState::Paused);
        b.job_started(JobKind::Check, 3, "bafycheck");
        assert_eq!(b.snapshot().state, NodeState::Serving);
        b.job_finished(JobKind::Check, 3, JobEnd::plain(JobOutcome::Succeeded));
        assert_eq!(b.snapshot().state, NodeState::Paused);
    }

    #[test]
    fn finished_jobs_are_kept_newest_first_and_counted_once() {
        let b = board();
        for lease_id in 0..(RECENT_JOBS as u64 + 3) {
            b.job_started(JobKind::Job, lease_id, "bafy");
            b.job_finished(
                JobKind::Job,
                lease_id,
                JobEnd {
                    outcome: JobOutcome::Failed,
                    failure: Some("shader did not compile".into()),
                    result_cid: Some("bafyresult".into()),
                },
            );
        }
        // A job already ended (cancelled) that finishes publishing adds nothing.
        b.job_finished(JobKind::Job, 5, JobEnd::plain(JobOutcome::Succeeded));
        let status = b.snapshot();
        assert!(status.jobs.running.is_empty());
        assert_eq!(status.jobs.recent.len(), RECENT_JOBS);
        assert_eq!(status.jobs.recent[0].lease_id, RECENT_JOBS as u64 + 2);
        assert_eq!(status.jobs.recent[0].outcome, Some(JobOutcome::Failed));
        let kept: Vec<u64> = status.jobs.recent.iter().map(|j| j.lease_id).collect();
        assert!(kept.contains(&(RECENT_JOBS as u64 + 2)));
        assert!(!kept.contains(&0), "forgotten after {RECENT_JOBS}");
    }

    #[test]
    fn serializes_amounts_as_strings_and_counters_live() {
        let b = board();
        b.set_earnings(u128::MAX, 5);
        b.metrics.hashes.inc_by(12);
        b.heartbeat();
        let json = serde_json::to_value(b.snapshot()).unwrap();
        assert_eq!(json["earnings"]["withdrawn_ugut"], u128::MAX.to_string());
        assert_eq!(json["earnings"]["pending_ugut"], "5");
        assert_eq!(json["mining"]["hashes"], "12");
        assert_eq!(json["heartbeat"]["count"], 1);
        assert_eq!(json["state"], "idle");
        assert_eq!(json["miner"], "disabled");
    }
}

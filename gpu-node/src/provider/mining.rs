//! Mining between leases: the node's GPU mines GUT exactly while no lease's job runs
//! on it. Stopping sets the search's pause switch (the GPU stops at the end of the
//! batch in flight, a fraction of a second) and drops the mining task.

use std::time::Instant;

use gpunion_sdk::miner::{MiningAgent, MiningProgress};
use tokio::task::JoinHandle;

use super::metrics::Metrics;
use crate::miner::Pause;

/// Whether the miner runs, as the dashboard's status reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MinerState {
    /// Mining is off in the configuration, or no GPU could mine.
    Disabled,
    /// Searching for solutions.
    Mining,
    /// Stopped while a lease's job or a check runs, or by the owner.
    Paused,
}

/// Starts and stops the mining task.
#[derive(Debug)]
pub struct MinerControl {
    agent: Option<MiningAgent>,
    pause: Pause,
    task: Option<JoinHandle<()>>,
    metrics: Metrics,
    /// When the state last changed.
    since: Instant,
}

impl MinerControl {
    /// Control over `agent` (None: mining disabled), whose GPU search stops at
    /// `pause`.
    pub fn new(agent: Option<MiningAgent>, pause: Pause, metrics: Metrics) -> Self {
        Self {
            agent,
            pause,
            task: None,
            metrics,
            since: Instant::now(),
        }
    }

    /// The miner's state now.
    pub fn state(&self) -> MinerState {
        match (&self.agent, &self.task) {
            (None, _) => MinerState::Disabled,
            (Some(_), Some(task)) if !task.is_finished() => MinerState::Mining,
            (Some(_), _) => MinerState::Paused,
        }
    }

    /// Mines when `allowed` (no job running, not paused by the owner), stops otherwise. A mining task that
    /// failed (the chain unreachable, say) is started again on the next call.
    pub fn set(&mut self, allowed: bool) {
        let Some(agent) = &self.agent else {
            return;
        };
        let running = self.task.as_ref().is_some_and(|t| !t.is_finished());
        if allowed && !running {
            self.pause.resume();
            let agent = agent.clone();
            let metrics = self.metrics.clone();
            self.task = Some(tokio::spawn(mine(agent, metrics)));
            tracing::info!(event = "mining_resumed", "mining: started");
            self.since = Instant::now();
        } else if !allowed && running {
            self.pause.pause();
            if let Some(task) = self.task.take() {
                task.abort();
            }
            self.metrics.hashrate.set(0.0);
            tracing::info!(
                event = "mining_paused",
                mined_for_s = self.since.elapsed().as_secs_f64(),
                "mining: paused"
            );
            self.since = Instant::now();
        }
    }
}

/// Mines solutions one after another, counting rewards, hashes and the hashrate.
async fn mine(agent: MiningAgent, metrics: Metrics) {
    loop {
        let progress_metrics = metrics.clone();
        let started = std::time::Instant::now();
        let mut hashes = HashCount::default();
        let solved = agent
            .mine_one(|p| match p {
                MiningProgress::Searching {
                    rate,
                    hashes: tried,
                    ..
                } => {
                    progress_metrics.hashrate.set(rate);
                    progress_metrics.hashes.inc_by(hashes.advance(tried));
                }
                MiningProgress::Submitting { hashes: tried } => {
                    progress_metrics.hashes.inc_by(hashes.advance(tried));
                }
                MiningProgress::Stale => hashes = HashCount::default(),
            })
            .await;
        match solved {
            Ok(solution) => {
                metrics.hashes.inc_by(hashes.advance(solution.hashes));
                metrics.solutions.inc();
                // An easy target is met within the first batch, before any progress
                // report: the solution's own count gives the rate then.
                let seconds = started.elapsed().as_secs_f64().max(1e-3);
                metrics.hashrate.set(solution.hashes as f64 / seconds);
                metrics
                    .gut_mined
                    .inc_by(u64::try_from(solution.reward).unwrap_or(u64::MAX));
                tracing::info!(
                    event = "mined",
                    height = solution.height,
                    reward = %solution.reward,
                    "mining: solution accepted"
                );
            }
            Err(error) => {
                tracing::warn!(%error, "mining: attempt failed; retrying in 5 s");
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    }
}

/// The hashes of one search counted once: the search reports running totals.
#[derive(Debug, Default)]
struct HashCount {
    counted: u64,
}

impl HashCount {
    /// What the running total `tried` adds to what was counted.
    fn advance(&mut self, tried: u64) -> u64 {
        let new = tried.saturating_sub(self.counted);
        self.counted = self.counted.max(tried);
        new
    }
}

#[cfg(test)]
mod tests {
    use super::HashCount;

    #[test]
    fn running_totals_are_counted_once() {
        let mut count = HashCount::default();
        assert_eq!(count.advance(100), 100);
        assert_eq!(count.advance(250), 150);
        assert_eq!(count.advance(250), 0, "a repeated report adds nothing");
        assert_eq!(count.advance(200), 0, "nor does an older one");
        assert_eq!(count.advance(300), 50);
    }
}

//! `gpu-node serve`: one event loop that owns the node's parts (the chain agent, the
//! job runner, the miner, the state) and reacts to the heartbeat timer, the market's
//! events for this provider (with a periodic poll behind them, so a dropped WebSocket
//! loses nothing), a job or check finishing, a customer's cancel, the owner's actions
//! from the dashboard, and a shutdown signal. It shows what it does on the dashboard's
//! board.
//!
//! Per lease, the chain is the authority and the local state says what this node has
//! already done, so that every step is taken once even across a crash:
//! Pending → accept or reject (with the reason in the memo); Active and started → run
//! the job (the miner pauses); job done → result CID and output hash posted; posted →
//! heartbeat and close (which settles what was earned and refunds the rest).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use gpunion_interface::market::{Lease, LeaseResponse, LeaseResult, LeaseState, WorkloadKind};
use gpunion_sdk::events::{self, TxStream};
use gpunion_sdk::flows::{CheckReply, ProviderAgent};
use gpunion_sdk::{Error as SdkError, Rpc};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};

use super::checks::{self, CheckError};
use super::dashboard::board::{Board, JobEnd, JobKind, JobOutcome, unix_now};
use super::dashboard::payouts::Payouts;
use super::dashboard::{Action, ActionError, ActionRequest};
use super::job::{self, JobDone, JobError, JobSettings};
use super::link::CancelRequest;
use super::metrics::Metrics;
use super::mining::MinerControl;
use super::state::{DoneOutcome, LeaseRecord, Phase, StateError, Store};
use crate::executor::oci;

/// How often the market is polled behind the event subscription.
const POLL_EVERY: Duration = Duration::from_secs(3);
/// A job ends this long before its lease does, leaving time to post the result.
const END_MARGIN: Duration = Duration::from_secs(10);
/// A job that failed on the node's side (Kubo down) is tried again after this.
const RETRY_AFTER: Duration = Duration::from_secs(10);
/// Running leases are withdrawn from every this many heartbeats.
const WITHDRAW_EVERY_HEARTBEATS: u64 = 6;

/// What stops the loop.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The chain (SDK).
    #[error(transparent)]
    Chain(#[from] SdkError),
    /// The node's state database.
    #[error(transparent)]
    State(#[from] StateError),
    /// The node is not registered on the market.
    #[error("{address} is not a registered provider: run `gpu-node register` first")]
    NotRegistered { address: String },
}

/// Everything the loop owns.
pub struct Node {
    /// The libp2p host serving the lease link (`None`: `[p2p]` is off); its own loop
    /// runs while the node holds it.
    pub p2p: Option<gpunion_p2p::Host>,
    /// Customers' requests to stop their jobs, from the lease link.
    pub cancels: mpsc::Receiver<CancelRequest>,
    /// The owner's actions, from the dashboard's API.
    pub actions: mpsc::Receiver<ActionRequest>,
    /// What the dashboard shows.
    pub board: Board,
    pub agent: ProviderAgent,
    pub rpc: Rpc,
    pub market_address: String,
    pub store: Store,
    pub metrics: Metrics,
    pub miner: MinerControl,
    pub jobs: Arc<JobSettings>,
    /// The longest a job may run.
    pub max_job: Duration,
    /// Whether this node is in the check pool and answers the checks it is drawn for.
    pub check_pool: bool,
    pub heartbeat_every: Duration,
}

/// The loop's bookkeeping besides the parts.
#[derive(Default)]
struct Books {
    /// Jobs in flight: lease id → its task.
    running: HashMap<u64, AbortHandle>,
    /// Task id → lease id, to know whose job a failed task was.
    tasks: HashMap<tokio::task::Id, u64>,
    /// Leases whose job failed on the node's side, and when to try again.
    retry_at: HashMap<u64, Instant>,
    last_heartbeat: Option<Instant>,
    heartbeats: u64,
    /// Paid to the provider since the node started, whoever signed.
    payouts: Payouts,
    /// What the Active leases have earned and not paid yet, as of the last poll.
    pending: u128,
    /// The owner paused mining from the dashboard.
    mining_paused: bool,
    /// Withdrawn so far from each open lease (what its settlement does not pay again).
    withdrawn: HashMap<u64, u128>,
    /// Every lease up to this id is final on chain and done here: polls read only the
    /// leases after it, so a provider's history does not slow its loop.
    scan_after: Option<u64>,
    /// Those leases, by state, for the leases metric.
    settled: HashMap<&'static str, i64>,
    /// Checks being answered: lease id → its task.
    checking: HashMap<u64, AbortHandle>,
    /// Checks whose task failed, and when to take them again.
    check_retry_at: HashMap<u64, Instant>,
}

/// A finished check run: its lease and the answer (or why there is none).
type CheckDone = (u64, Result<CheckReply, CheckError>);

impl Node {
    /// Serves until SIGINT or SIGTERM.
    pub async fn serve(mut self) -> Result<(), ServeError> {
        if self.agent.record().await?.is_none() {
            return Err(ServeError::NotRegistered {
                address: self.agent.address().to_string(),
            });
        }
        if let Some(containers) = &self.jobs.containers {
            // A node that died mid-job left its containers and their bundles.
            match oci::remove_leftovers(&containers.runc, &containers.work_dir).await {
                Ok(ids) if !ids.is_empty() => {
                    tracing::warn!(?ids, "removed containers a previous run left");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot remove leftover containers"),
            }
        }
        if self.check_pool {
            match self.agent.join_check_pool().await {
                Ok(true) => tracing::info!("joined the check pool"),
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "cannot join the check pool"),
            }
        }
        let mut books = Books::default();
        let mut jobs: JoinSet<Result<JobDone, JobError>> = JoinSet::new();
        let mut checks: JoinSet<CheckDone> = JoinSet::new();
        let mut heartbeat = tokio::time::interval(self.heartbeat_every);
        let mut poll = tokio::time::interval(POLL_EVERY);
        let mut events = self.subscribe().await;
        let mut shutdown = std::pin::pin!(shutdown_signal());
        tracing::info!(
            provider = self.agent.address(),
            heartbeat_s = self.heartbeat_every.as_secs(),
            "serving"
        );
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                _ = heartbeat.tick() => self.heartbeat(&mut books).await,
                _ = poll.tick() => {
                    if events.is_none() {
                        events = self.subscribe().await;
                    }
                    self.reconcile(&mut books, &mut jobs).await;
                    self.take_checks(&mut books, &mut checks).await;
                }
                event = next_event(&mut events) => {
                    if event.is_none() {
                        tracing::warn!("market event stream ended; polling until it is back");
                        events = None;
                    }
                    self.reconcile(&mut books, &mut jobs).await;
                }
                Some(request) = self.cancels.recv() => {
                    let outcome = self.cancel(&mut books, &mut jobs, request.lease_id);
                    let _ = request.reply.send(outcome);
                }
                Some(request) = self.actions.recv() => {
                    let outcome = self.act(&mut books, request.action).await;
                    let _ = request.reply.send(outcome);
                }
                Some(done) = jobs.join_next_with_id() => {
                    self.job_finished(&mut books, done).await;
                    self.reconcile(&mut books, &mut jobs).await;
                }
                Some(done) = checks.join_next() => match done {
                    Ok(done) => self.check_finished(&mut books, done).await,
                    Err(error) => self.check_failed(&mut books, &error),
                },
            }
            self.mine_if_idle(&books);
            self.publish_status(&books);
        }
        tracing::info!("shutting down: running jobs are stopped and will run again on restart");
        jobs.shutdown().await;
        checks.shutdown().await;
        self.miner.set(false);
        Ok(())
    }

    async fn subscribe(&self) -> Option<TxStream> {
        let query = format!(
            "wasm._contract_address='{}' AND wasm.provider='{}'",
            self.market_address,
            self.agent.address()
        );
        match events::subscribe_txs(&self.rpc.healthy_endpoint(), &query).await {
            Ok(stream) => Some(stream),
            Err(error) => {
                tracing::warn!(%error, "cannot subscribe to market events; polling");
                None
            }
        }
    }

    /// Mines exactly while no job or check runs and the owner has not paused mining.
    fn mine_if_idle(&mut self, books: &Books) {
        self.miner
            .set(books.running.is_empty() && books.checking.is_empty() && !books.mining_paused);
    }

    async fn heartbeat(&mut self, books: &mut Books) {
        if let Some(last) = books.last_heartbeat {
            self.metrics.heartbeat_lag.set(last.elapsed().as_secs_f64());
        }
        match self.agent.heartbeat().await {
            Ok(_) => {
                books.last_heartbeat = Some(Instant::now());
                books.heartbeats += 1;
                self.metrics.heartbeat_lag.set(0.0);
                self.board.heartbeat();
            }
            Err(error) => tracing::warn!(%error, "heartbeat failed"),
        }
        if books.heartbeats.is_multiple_of(WITHDRAW_EVERY_HEARTBEATS) {
            let running: Vec<u64> = books.running.keys().copied().collect();
            self.withdraw(books, &running).await;
        }
    }

    /// Withdraws what each of `leases` has earned; returns the sum, or the first
    /// chain error beside it.
    async fn withdraw(&mut self, books: &mut Books, leases: &[u64]) -> (u128, Option<String>) {
        let (mut total, mut failed) = (0, None);
        for &lease_id in leases {
            match self.agent.withdraw(lease_id).await {
                Ok(Some(tx)) => {
                    let amount = amount(tx.attribute("wasm", "amount"));
                    *books.withdrawn.entry(lease_id).or_default() += amount;
                    self.earned(amount);
                    total += amount;
                    tracing::info!(lease_id, amount, "withdrew earnings");
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(lease_id, %error, "withdraw failed");
                    failed.get_or_insert_with(|| format!("lease {lease_id}: {error}"));
                }
            }
        }
        (total, failed)
    }

    /// Takes one of the owner's actions from the dashboard.
    async fn act(&mut self, books: &mut Books, action: Action) -> Result<Value, ActionError> {
        match action {
            Action::PauseMining | Action::ResumeMining => {
                books.mining_paused = action == Action::PauseMining;
                // Now, before answering: the GPU stops within the batch in flight.
                self.mine_if_idle(books);
                self.publish_status(books);
                tracing::info!(paused = books.mining_paused, "mining set by the owner");
                let status = self.board.snapshot();
                Ok(json!({ "miner": status.miner, "state": status.state }))
            }
            Action::SetPrice(price) => {
                let tx = self
                    .agent
                    .set_price(price.u128())
                    .await
                    .map_err(|e| ActionError::Chain(e.to_string()))?;
                tracing::info!(%price, tx = %tx.hash, "price set by the owner");
                Ok(json!({ "tx": tx.hash, "price_per_hour": price }))
            }
            Action::Withdraw => {
                let leases = self
                    .agent
                    .leases_after(books.scan_after)
                    .await
                    .map_err(|e| ActionError::Chain(e.to_string()))?;
                let active: Vec<u64> = leases
                    .iter()
                    .filter(|l| l.state == LeaseState::Active && l.accepted_at.is_some())
                    .map(|l| l.id)
                    .collect();
                let (total, failed) = self.withdraw(books, &active).await;
                if let Some(failed) = failed
                    && total == 0
                {
                    return Err(ActionError::Chain(failed));
                }
                Ok(json!({ "withdrawn_ugut": total.to_string(), "leases": active }))
            }
        }
    }

    /// Starts answering every check this node was drawn for and is not answering yet.
    async fn take_checks(&mut self, books: &mut Books, checks: &mut JoinSet<CheckDone>) {
        if !self.check_pool {
            return;
        }
        let assigned = match self.agent.checks_assigned().await {
            Ok(assigned) => assigned,
            Err(error) => {
                tracing::warn!(%error, "cannot read the checks assigned to this node");
                return;
            }
        };
        for assigned in assigned {
            let lease_id = assigned.check.lease_id;
            if books.checking.contains_key(&lease_id)
                || books
                    .check_retry_at
                    .get(&lease_id)
                    .is_some_and(|t| *t > Instant::now())
            {
                continue;
            }
            books.check_retry_at.remove(&lease_id);
            tracing::info!(lease_id, state = ?assigned.check.state, "drawn for a check");
            self.board
                .job_started(JobKind::Check, lease_id, &assigned.workload_cid);
            let settings = Arc::clone(&self.jobs);
            let task =
                checks.spawn(async move { (lease_id, checks::answer(&settings, &assigned).await) });
            books.checking.insert(lease_id, task);
        }
    }

    /// A check's task panicked or was cancelled: it is taken again after a while (the
    /// check is still assigned to this node until its deadline).
    fn check_failed(&mut self, books: &mut Books, error: &tokio::task::JoinError) {
        let Some(lease_id) = books
            .checking
            .iter()
            .find(|(_, task)| task.id() == error.id())
            .map(|(lease_id, _)| *lease_id)
        else {
            return;
        };
        books.checking.remove(&lease_id);
        books
            .check_retry_at
            .insert(lease_id, Instant::now() + RETRY_AFTER);
        tracing::warn!(lease_id, %error, "the check's task failed; taking it again");
        let end = JobEnd {
            outcome: JobOutcome::Retrying,
            failure: Some(format!("the check's task failed: {error}")),
            result_cid: None,
        };
        self.board.job_finished(JobKind::Check, lease_id, end);
    }

    /// Posts a check's answer (a failed run is left to time out: it is drawn again).
    async fn check_finished(&mut self, books: &mut Books, (lease_id, done): CheckDone) {
        books.checking.remove(&lease_id);
        let failure = match done {
            Ok(reply) => match self.agent.answer_check(lease_id, reply).await {
                Ok(tx) => {
                    tracing::info!(
                        lease_id,
                        state = tx.attribute("wasm", "state").unwrap_or_default(),
                        "check answer posted"
                    );
                    None
                }
                Err(error) => {
                    tracing::warn!(lease_id, %error, "cannot post the check's answer");
                    Some(format!("cannot post the answer: {error}"))
                }
            },
            Err(error) => {
                tracing::warn!(lease_id, %error, "cannot answer the check");
                Some(error.to_string())
            }
        };
        let outcome = if failure.is_some() {
            JobOutcome::Failed
        } else {
            JobOutcome::Succeeded
        };
        let end = JobEnd {
            outcome,
            failure,
            result_cid: None,
        };
        self.board.job_finished(JobKind::Check, lease_id, end);
    }

    fn earned(&self, amount: u128) {
        self.metrics
            .gut_earned
            .inc_by(u64::try_from(amount).unwrap_or(u64::MAX));
    }

    async fn reconcile(
        &mut self,
        books: &mut Books,
        jobs: &mut JoinSet<Result<JobDone, JobError>>,
    ) {
        let leases = match self.agent.leases_after(books.scan_after).await {
            Ok(leases) => leases,
            Err(error) => {
                tracing::warn!(%error, "cannot read the market's leases");
                return;
            }
        };
        let now = match self.rpc.status().await {
            Ok(status) => status.sync_info.latest_block_time.unix_timestamp().max(0) as u64,
            Err(error) => {
                tracing::warn!(%error, "cannot read the chain's time");
                return;
            }
        };
        let mut counts = books.settled.clone();
        for lease in &leases {
            *counts.entry(state_name(lease.state)).or_default() += 1;
            books.payouts.saw(lease, now);
            if let Err(error) = self.step(books, jobs, lease, now).await {
                tracing::warn!(lease_id = lease.id, %error, "lease step failed; retrying");
            }
        }
        self.count_pending(books, &leases, now).await;
        // Move the scan past the leading leases that are over for good.
        for lease in &leases {
            let done = matches!(
                self.store.get(lease.id).map(|r| r.map(|r| r.phase)),
                Ok(Some(Phase::Done { .. }))
            );
            if !(lease.state.is_final() && done) {
                break;
            }
            *books.settled.entry(state_name(lease.state)).or_default() += 1;
            books.payouts.forget(lease.id);
            books.scan_after = Some(lease.id);
        }
        for state in [
            "pending", "active", "closed", "expired", "lapsed", "rejected",
        ] {
            self.metrics
                .set_leases(state, counts.get(state).copied().unwrap_or(0));
        }
    }

    /// What the Active ones of `leases` have earned and not paid yet at chain time `now`,
    /// by the market's own rule ([`LeaseResponse::at`]) under the provider's last
    /// heartbeat (one read of its record, none without an Active lease). Kept as it was
    /// when the record cannot be read.
    async fn count_pending(&self, books: &mut Books, leases: &[Lease], now: u64) {
        let active: Vec<&Lease> = leases
            .iter()
            .filter(|l| l.state == LeaseState::Active)
            .collect();
        if active.is_empty() {
            books.pending = 0;
            return;
        }
        match self.agent.record().await {
            Ok(record) => {
                let last_heartbeat = record.map_or(0, |r| r.provider.last_heartbeat);
                books.pending = active
                    .into_iter()
                    .map(|l| {
                        LeaseResponse::at(l.clone(), last_heartbeat, now)
                            .withdrawable
                            .u128()
                    })
                    .sum();
            }
            Err(error) => tracing::debug!(%error, "cannot read the provider's last heartbeat"),
        }
    }

    /// Takes the next step of one lease, if there is one to take.
    async fn step(
        &mut self,
        books: &mut Books,
        jobs: &mut JoinSet<Result<JobDone, JobError>>,
        lease: &Lease,
        now: u64,
    ) -> Result<(), ServeError> {
        let phase = self.store.get(lease.id)?.map(|r| r.phase);
        if matches!(phase, Some(Phase::Done { .. })) {
            return Ok(());
        }
        match lease.state {
            LeaseState::Pending => match admission(lease, self.jobs.containers.is_some()) {
                Ok(()) => {
                    self.agent.accept(lease.id).await?;
                    self.put(lease, Phase::Accepted)?;
                    tracing::info!(lease_id = lease.id, start = lease.start, "accepted");
                }
                Err(reason) => {
                    self.agent.reject(lease.id, &reason).await?;
                    self.put(
                        lease,
                        Phase::Done {
                            outcome: DoneOutcome::Rejected {
                                reason: reason.clone(),
                            },
                        },
                    )?;
                    tracing::info!(lease_id = lease.id, %reason, "rejected");
                }
            },
            LeaseState::Active => {
                if lease.result.is_some() {
                    return self.close(books, lease).await;
                }
                match phase {
                    Some(Phase::Ran {
                        result_cid,
                        output_hash,
                        trace_root,
                        ..
                    }) => {
                        self.post(lease, &result_cid, output_hash, trace_root)
                            .await?;
                        self.close(books, lease).await?;
                    }
                    _ if books.running.contains_key(&lease.id) => {}
                    _ if books
                        .retry_at
                        .get(&lease.id)
                        .is_some_and(|t| *t > Instant::now()) => {}
                    Some(Phase::Cancelling) => self.publish_cancelled(books, jobs, lease.id),
                    _ if now >= lease.start => self.start_job(books, jobs, lease, now, phase)?,
                    None => self.put(lease, Phase::Accepted)?,
                    _ => {}
                }
            }
            state => {
                if let Some(task) = books.running.remove(&lease.id) {
                    task.abort();
                    self.board.job_finished(
                        JobKind::Job,
                        lease.id,
                        JobEnd::plain(JobOutcome::Stopped),
                    );
                    tracing::info!(lease_id = lease.id, ?state, "lease ended: job stopped");
                }
                if let Some(Phase::Ran {
                    result_cid,
                    output_hash,
                    trace_root,
                    ..
                }) = phase
                    && lease.result.is_none()
                    && lease.accepted_at.is_some()
                    && matches!(state, LeaseState::Closed | LeaseState::Expired)
                {
                    self.post(lease, &result_cid, output_hash, trace_root)
                        .await?;
                }
                self.put(
                    lease,
                    Phase::Done {
                        outcome: DoneOutcome::Final {
                            state: state_name(state).into(),
                        },
                    },
                )?;
            }
        }
        Ok(())
    }

    fn start_job(
        &mut self,
        books: &mut Books,
        jobs: &mut JoinSet<Result<JobDone, JobError>>,
        lease: &Lease,
        now: u64,
        phase: Option<Phase>,
    ) -> Result<(), ServeError> {
        let left = Duration::from_secs(lease.end.saturating_sub(now)).saturating_sub(END_MARGIN);
        if left.is_zero() {
            // Too late to run anything: the next steps close it.
            return Ok(());
        }
        let attempt = match phase {
            Some(Phase::Running { attempt }) => {
                tracing::warn!(
                    lease_id = lease.id,
                    attempt,
                    "the job was interrupted (node restarted) before its result was posted: running it again"
                );
                attempt + 1
            }
            _ => 1,
        };
        self.put(lease, Phase::Running { attempt })?;
        // Stop mining before the job takes the GPU.
        self.miner.set(false);
        let settings = self.jobs.clone();
        let wall_clock = left.min(self.max_job);
        let (lease_id, workload, slot) = (lease.id, lease.workload.clone(), lease.slot);
        let handle = jobs
            .spawn(async move { job::run(&settings, lease_id, &workload, slot, wall_clock).await });
        books.tasks.insert(handle.id(), lease_id);
        books.running.insert(lease_id, handle);
        self.board
            .job_started(JobKind::Job, lease_id, &lease.workload.cid);
        tracing::info!(
            lease_id,
            attempt,
            wall_clock_s = wall_clock.as_secs(),
            "job started"
        );
        Ok(())
    }

    /// Stops lease `lease_id`'s job (or keeps it from starting) at its customer's
    /// request: its task is replaced by one that publishes a result saying so, which is
    /// then posted as any other. `Err`: why not (the job already finished).
    fn cancel(
        &mut self,
        books: &mut Books,
        jobs: &mut JoinSet<Result<JobDone, JobError>>,
        lease_id: u64,
    ) -> Result<(), String> {
        let phase = self
            .store
            .get(lease_id)
            .map_err(|e| e.to_string())?
            .map(|r| r.phase);
        match phase {
            Some(Phase::Accepted | Phase::Running { .. }) => {}
            Some(Phase::Cancelling) => return Ok(()),
            None => return Err(format!("lease {lease_id} is not accepted on this node")),
            Some(_) => return Err(format!("the job of lease {lease_id} already finished")),
        }
        if let Some(task) = books.running.remove(&lease_id) {
            // Forgotten before it ends: its end must not be taken for the new task's.
            books.tasks.remove(&task.id());
            task.abort();
        }
        self.set_phase(lease_id, Phase::Cancelling)
            .map_err(|e| e.to_string())?;
        self.board
            .job_finished(JobKind::Job, lease_id, JobEnd::plain(JobOutcome::Cancelled));
        self.publish_cancelled(books, jobs, lease_id);
        tracing::info!(lease_id, "job stopped by the customer");
        Ok(())
    }

    /// Runs the task that publishes lease `lease_id`'s cancelled result.
    fn publish_cancelled(
        &self,
        books: &mut Books,
        jobs: &mut JoinSet<Result<JobDone, JobError>>,
        lease_id: u64,
    ) {
        books.retry_at.remove(&lease_id);
        let settings = self.jobs.clone();
        let handle = jobs.spawn(async move { job::cancelled(&settings, lease_id).await });
        books.tasks.insert(handle.id(), lease_id);
        books.running.insert(lease_id, handle);
    }

    async fn job_finished(
        &mut self,
        books: &mut Books,
        done: Result<(tokio::task::Id, Result<JobDone, JobError>), tokio::task::JoinError>,
    ) {
        let (task, result) = match done {
            Ok((task, result)) => (task, result.map_err(|e| e.to_string())),
            Err(error) => (error.id(), Err(format!("job task failed: {error}"))),
        };
        let Some(lease_id) = books.tasks.remove(&task) else {
            return;
        };
        if books.running.remove(&lease_id).is_none() {
            // Stopped on purpose (the lease ended).
            return;
        }
        match result {
            Ok(done) => {
                let seconds = done.fetch_s + done.compute_s + done.publish_s;
                let outcome = if done.succeeded {
                    "succeeded"
                } else {
                    "failed"
                };
                self.metrics.job_finished(outcome, seconds);
                let end = JobEnd {
                    outcome: if done.succeeded {
                        JobOutcome::Succeeded
                    } else {
                        JobOutcome::Failed
                    },
                    failure: done.failure.clone(),
                    result_cid: Some(done.result_cid.to_string()),
                };
                self.board.job_finished(JobKind::Job, lease_id, end);
                tracing::info!(
                    lease_id,
                    outcome,
                    failure = done.failure.as_deref().unwrap_or(""),
                    result_cid = %done.result_cid,
                    fetch_s = done.fetch_s,
                    compute_s = done.compute_s,
                    publish_s = done.publish_s,
                    "job finished"
                );
                let phase = Phase::Ran {
                    result_cid: done.result_cid.to_string(),
                    output_hash: done.output_hash.map(hex::encode),
                    trace_root: done.trace_root.map(hex::encode),
                    succeeded: done.succeeded,
                };
                if let Err(error) = self.set_phase(lease_id, phase) {
                    tracing::error!(lease_id, %error, "cannot record the job's result");
                }
            }
            Err(error) => {
                let end = JobEnd {
                    outcome: JobOutcome::Retrying,
                    failure: Some(error.clone()),
                    result_cid: None,
                };
                self.board.job_finished(JobKind::Job, lease_id, end);
                tracing::warn!(lease_id, %error, "job could not finish on the node's side; will retry");
                books
                    .retry_at
                    .insert(lease_id, Instant::now() + RETRY_AFTER);
            }
        }
    }

    /// Moves lease `lease_id`'s record (written when its job started) to `phase`.
    fn set_phase(&self, lease_id: u64, phase: Phase) -> Result<(), StateError> {
        let mut record = self.store.get(lease_id)?.unwrap_or(LeaseRecord {
            lease_id,
            phase: Phase::Accepted,
            workload_cid: String::new(),
            updated_at: 0,
        });
        record.phase = phase;
        record.updated_at = unix_now();
        self.store.put(&record)
    }

    async fn post(
        &mut self,
        lease: &Lease,
        result_cid: &str,
        output_hash: Option<String>,
        trace_root: Option<String>,
    ) -> Result<(), ServeError> {
        // `lease` was read from the chain in this poll; this node is the only one that
        // posts for its address (redb locks its state), so a result there (posted just
        // before a crash) is the only way one can exist: never post twice.
        if lease.result.is_some() {
            tracing::info!(lease_id = lease.id, "result already on chain");
        } else {
            let bytes = |h: Option<String>| h.and_then(|h| hex::decode(h).ok()).map(Into::into);
            let result = LeaseResult {
                cid: result_cid.into(),
                output_hash: bytes(output_hash),
                trace_root: bytes(trace_root),
            };
            self.agent.post_result(lease.id, result).await?;
            tracing::info!(lease_id = lease.id, result_cid, "result posted");
        }
        self.put(
            lease,
            Phase::Posted {
                result_cid: result_cid.into(),
            },
        )?;
        Ok(())
    }

    async fn close(&mut self, books: &mut Books, lease: &Lease) -> Result<(), ServeError> {
        // A heartbeat first: time is credited only up to the last one.
        self.heartbeat(books).await;
        match self.agent.close(lease.id).await {
            Ok(tx) => {
                let paid = amount(tx.attribute("wasm", "paid"));
                books.withdrawn.remove(&lease.id);
                self.earned(paid);
                self.put(
                    lease,
                    Phase::Done {
                        outcome: DoneOutcome::Closed { paid: paid.into() },
                    },
                )?;
                tracing::info!(lease_id = lease.id, paid, "lease closed");
                Ok(())
            }
            Err(error) => {
                // The customer may have closed it first: then it is final on chain, and
                // what it paid beyond the withdrawals is the last of the earnings.
                let now = self.agent.lease(lease.id).await?;
                match now {
                    Some(l) if l.lease.state.is_final() => {
                        let withdrawn = books.withdrawn.remove(&lease.id).unwrap_or(0);
                        let paid = l.lease.paid_to_provider.u128().saturating_sub(withdrawn);
                        self.earned(paid);
                        self.put(
                            lease,
                            Phase::Done {
                                outcome: DoneOutcome::Final {
                                    state: state_name(l.lease.state).into(),
                                },
                            },
                        )?;
                        Ok(())
                    }
                    _ => Err(error.into()),
                }
            }
        }
    }

    fn put(&self, lease: &Lease, phase: Phase) -> Result<(), StateError> {
        self.store.put(&LeaseRecord {
            lease_id: lease.id,
            phase,
            workload_cid: lease.workload.cid.clone(),
            updated_at: unix_now(),
        })
    }

    fn publish_status(&self, books: &Books) {
        self.board
            .set_miner(self.miner.state(), books.mining_paused);
        self.board
            .set_earnings(books.payouts.total(), books.pending);
    }
}

/// Whether this node takes `lease` (`containers`: whether it runs container images):
/// `Err(reason)` says why not.
fn admission(lease: &Lease, containers: bool) -> Result<(), String> {
    if lease.workload.kind == WorkloadKind::OciImage && !containers {
        return Err(
            "workload kind OciImage is not supported by this node (WGSL bundles only)".into(),
        );
    }
    if let Err(error) = lease.workload.cid.parse::<gpunion_ipfs::Cid>() {
        return Err(format!("the workload CID is malformed: {error}"));
    }
    Ok(())
}

fn state_name(state: LeaseState) -> &'static str {
    match state {
        LeaseState::Pending => "pending",
        LeaseState::Active => "active",
        LeaseState::Closed => "closed",
        LeaseState::Expired => "expired",
        LeaseState::Lapsed => "lapsed",
        LeaseState::Rejected => "rejected",
    }
}

fn amount(value: Option<&str>) -> u128 {
    value.and_then(|v| v.parse().ok()).unwrap_or(0)
}

async fn next_event(events: &mut Option<TxStream>) -> Option<()> {
    match events {
        Some(stream) => match stream.next().await {
            Some(Ok(_)) => Some(()),
            Some(Err(error)) => {
                tracing::warn!(%error, "market event stream failed");
                None
            }
            None => None,
        },
        None => std::future::pending().await,
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpunion_interface::market::Workload;

    fn lease(kind: WorkloadKind, cid: &str) -> Lease {
        let mut lease = crate::provider::test_lease(LeaseState::Pending);
        lease.workload = Workload {
            cid: cid.into(),
            kind,
        };
        lease
    }

    const CID: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    #[test]
    fn admission_takes_wgsl_bundles_and_images_where_containers_run() {
        assert_eq!(
            admission(&lease(WorkloadKind::WgslBundle, CID), false),
            Ok(())
        );
        assert_eq!(admission(&lease(WorkloadKind::OciImage, CID), true), Ok(()));
    }

    #[test]
    fn admission_refuses_images_without_containers_and_bad_cids_with_a_reason() {
        let oci = admission(&lease(WorkloadKind::OciImage, CID), false).unwrap_err();
        assert!(oci.contains("not supported"), "{oci}");
        for containers in [false, true] {
            let bad = admission(&lease(WorkloadKind::WgslBundle, "bafyNOTACID"), containers);
            assert!(bad.unwrap_err().contains("malformed"));
        }
    }
}

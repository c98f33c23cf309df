//! The X16S miner: nonce search on the GPU in batches sized to the device, every
//! candidate checked with the CPU reference (`x16s`) before it is reported.

mod kernels;
mod nonce_search;
mod shader;

use std::{
    ops::Range,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use gpunion_interface::mining::header::Header;
pub use kernels::{FOUND_CAPACITY, Found, Input, Kernels};
pub use shader::Step;
use x16s::Target;

use crate::gpu::{GpuError, WordMode};

/// What can go wrong while mining.
#[derive(Debug, thiserror::Error)]
pub enum MinerError {
    /// No usable adapter.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// A function has no WGSL file in `shaders/x16s/functions/`.
    #[error("no WGSL for {function} in shaders/x16s/functions/")]
    MissingShader {
        /// The function's sphlib name.
        function: &'static str,
    },
    /// A function asks (`// requires:`) for a library `shaders/x16s/lib/` lacks.
    #[error("{function} requires shaders/x16s/lib/{library}.wgsl, which does not exist")]
    MissingLibrary {
        /// The function's sphlib name.
        function: &'static str,
        /// The library asked for.
        library: String,
    },
    /// A shader failed validation or compilation.
    #[error("the {function} shader ({step:?} step, {mode}) does not compile: {message}")]
    Shader {
        /// The function's sphlib name.
        function: &'static str,
        /// Which step's module.
        step: Step,
        /// The word mode.
        mode: WordMode,
        /// What wgpu said.
        message: String,
    },
    /// The word mode needs a feature this adapter lacks.
    #[error("{adapter} cannot run 64-bit words as {mode}")]
    UnsupportedMode {
        /// The word mode asked for.
        mode: WordMode,
        /// The adapter.
        adapter: String,
    },
    /// A workgroup size the adapter cannot run.
    #[error("workgroup size {requested} is outside 1..={max}")]
    WorkgroupSize {
        /// Asked for.
        requested: u32,
        /// The adapter's limit.
        max: u32,
    },
    /// A batch the buffers or the dispatch limits cannot hold.
    #[error("a batch of {requested} nonces is outside 1..={max}")]
    BatchSize {
        /// Asked for.
        requested: u32,
        /// The adapter's limit.
        max: u32,
    },
    /// The device failed while running or reading back a batch.
    #[error("the GPU failed: {0}")]
    Device(String),
}

/// A header to mine and the target its hash must meet.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    /// The header; its nonce is replaced while searching.
    pub header: Header,
    /// The proof-of-work target.
    pub target: Target,
}

/// A nonce whose X16S hash, recomputed on the CPU, meets the job's target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Solution {
    /// The nonce.
    pub nonce: u32,
    /// The header with the nonce in place.
    pub header: Header,
    /// Its X16S hash.
    pub hash: [u8; 32],
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A checked solution; the search stopped at the batch that found it.
    Solved(Solution),
    /// The nonce range was searched without a solution.
    Exhausted,
    /// Paused (a lease started) before the range was done; resume from `next_nonce`.
    Paused {
        /// The first nonce not searched.
        next_nonce: u64,
    },
}

/// Where a search stands, reported after every batch.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Nonces hashed so far.
    pub hashes: u64,
    /// Nonces in the whole range.
    pub total: u64,
    /// Time since the search started.
    pub elapsed: Duration,
    /// Candidates from the GPU that the CPU check rejected (a faulty device or shader).
    pub rejected: u64,
}

impl Progress {
    /// Hashes per second so far.
    pub fn hashrate(&self) -> f64 {
        self.hashes as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A switch that pauses a running search at its next batch (when a lease starts).
#[derive(Clone, Debug, Default)]
pub struct Pause(Arc<AtomicBool>);

impl Pause {
    /// Asks the search to stop after the batch in flight.
    pub fn pause(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Lets searches run again.
    pub fn resume(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// Whether a pause is asked for.
    pub fn is_paused(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The GPU nonce search: searches nonce ranges in batches whose size adapts so that
/// one batch takes about `batch_time`, which bounds how late a pause takes effect.
#[derive(Debug)]
pub struct GpuSearch {
    kernels: Kernels,
    batch_time: Duration,
    batch: u32,
    pause: Pause,
}

impl GpuSearch {
    /// The first batch: small enough to be quick on a software adapter.
    const FIRST_BATCH: u32 = 1024;

    /// A search on `kernels`, aiming at batches of `batch_time`.
    pub fn new(kernels: Kernels, batch_time: Duration) -> Self {
        let batch = Self::FIRST_BATCH.min(kernels.max_batch());
        Self {
            kernels,
            batch_time,
            batch,
            pause: Pause::default(),
        }
    }

    /// The switch that pauses these searches.
    pub fn pause_switch(&self) -> Pause {
        self.pause.clone()
    }

    /// The kernels the search runs.
    pub fn kernels(&self) -> &Kernels {
        &self.kernels
    }

    /// The current batch size in nonces.
    pub fn batch(&self) -> u32 {
        self.batch
    }

    /// Searches `nonces` (at most `0..2^32`) for a solution to `job`, calling
    /// `progress` after each batch (the time excludes compiling the order's
    /// pipelines). Stops at the first checked solution, at the end of the range, or at
    /// the first batch boundary after a pause.
    pub fn search(
        &mut self,
        job: &Job,
        nonces: Range<u64>,
        mut progress: impl FnMut(&Progress),
    ) -> Result<Outcome, MinerError> {
        self.kernels.prepare(&job.header)?;
        let end = nonces.end.min(1 << 32);
        let mut next = nonces.start;
        let started = Instant::now();
        let mut report = Progress {
            hashes: 0,
            total: end.saturating_sub(next),
            elapsed: Duration::ZERO,
            rejected: 0,
        };
        while next < end {
            if self.pause.is_paused() {
                return Ok(Outcome::Paused { next_nonce: next });
            }
            let count = (end - next).min(u64::from(self.batch)) as u32;
            let batch_started = Instant::now();
            let found = self
                .kernels
                .search(&job.header, &job.target, next as u32, count)?;
            self.resize(count, batch_started.elapsed());
            next += u64::from(count);
            report.hashes += u64::from(count);
            let mut solution = None;
            for nonce in found.nonces {
                match check(job, nonce) {
                    Some(checked) => solution = solution.or(Some(checked)),
                    None => report.rejected += 1,
                }
            }
            report.elapsed = started.elapsed();
            progress(&report);
            if let Some(solution) = solution {
                return Ok(Outcome::Solved(solution));
            }
        }
        Ok(Outcome::Exhausted)
    }

    /// Scales the batch so that the next one takes about `batch_time`, at most
    /// doubling at a time, in whole workgroups, within the adapter's limits.
    fn resize(&mut self, count: u32, took: Duration) {
        if count < self.batch {
            return;
        }
        let scale = (self.batch_time.as_secs_f64() / took.as_secs_f64().max(1e-6)).clamp(0.25, 2.0);
        let wanted = (f64::from(self.batch) * scale) as u32;
        let max = self.kernels.max_batch();
        self.batch = (wanted.clamp(256, max) / 256 * 256).max(max.min(256));
    }
}

/// A header with a fixed previous hash, so every measurement runs the same order of
/// functions.
pub fn bench_header() -> Header {
    Header::decode(&core::array::from_fn(|i| {
        (i as u8).wrapping_mul(0x3b) ^ 0xa5
    }))
}

/// Hashes per second of `search` over about `duration`, searching a target no hash
/// meets (compiling the order's pipelines first is not counted); `progress` is called
/// after each batch.
pub fn measure_hashrate(
    search: &mut GpuSearch,
    duration: Duration,
    mut progress: impl FnMut(&Progress),
) -> Result<f64, MinerError> {
    let job = Job {
        header: bench_header(),
        target: Target::from_le_bytes([0; 32]),
    };
    let pause = search.pause_switch();
    let mut rate = 0.0;
    // The outcome is a pause (or, with odds of 2^-256, a zero hash): only the rate counts.
    let outcome = search.search(&job, 0..1 << 32, |p| {
        rate = p.hashrate();
        progress(p);
        if p.elapsed >= duration {
            pause.pause();
        }
    });
    pause.resume();
    outcome.map(|_| rate)
}

/// The solution `nonce` gives for `job`, if its CPU hash meets the target.
fn check(job: &Job, nonce: u32) -> Option<Solution> {
    let header = job.header.with_nonce(nonce);
    let hash = header.hash();
    job.target.is_met_by(&hash).then_some(Solution {
        nonce,
        header,
        hash,
    })
}

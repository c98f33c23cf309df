//! The GPU miner as the SDK miner flow's nonce searcher: the flow reads the
//! challenge, builds headers and submits; the GPU searches.

use std::sync::atomic::{AtomicBool, Ordering};

use gpunion_interface::mining::header::Header;
use gpunion_sdk::{
    error::{Error, Result},
    miner::NonceSearch,
};

use super::{GpuSearch, Job, Outcome};

/// Batches per call: about four times the miner's batch time.
const BATCHES_PER_CALL: u32 = 4;

impl NonceSearch for GpuSearch {
    fn search(
        &mut self,
        header: &Header,
        start: u32,
        count: u32,
        stop: &AtomicBool,
    ) -> Result<Option<Header>> {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let target = header
            .target()
            .map_err(|e| Error::BadInput(format!("the header's target bits: {e}")))?;
        let job = Job {
            header: *header,
            target,
        };
        let nonces = u64::from(start)..u64::from(start) + u64::from(count);
        match GpuSearch::search(self, &job, nonces, |_| {}) {
            Ok(Outcome::Solved(solution)) => Ok(Some(solution.header)),
            Ok(Outcome::Exhausted | Outcome::Paused { .. }) => Ok(None),
            Err(e) => Err(Error::Search(e.to_string())),
        }
    }

    fn batch(&self) -> u32 {
        self.batch().saturating_mul(BATCHES_PER_CALL)
    }
}

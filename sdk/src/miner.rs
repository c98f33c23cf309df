//! The miner's flow: read the challenge, build a header committing to the miner,
//! search nonces with X16S (on the CPU here, or on a GPU through [`NonceSearch`], as
//! `gpu-node mine` does), submit.
//!
//! The challenge comes from the contract's smart query (target and reward included),
//! unverified: a node that forges it can only waste the miner's work, since the contract
//! checks every solution; the reward is then seen in the verified GUT balance.

use std::fmt::{self, Debug};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gpunion_interface::mining::ChallengeResponse;
use gpunion_interface::mining::header::Header;

use crate::contracts::mining::Mining;
use crate::error::{Error, Result};
use crate::tx::{Signer, TxOutcome};

/// Nonces the CPU search tries per call (then progress is reported).
const CPU_BATCH: u32 = 20_000;

/// Batches between refreshes of the header time and checks of the challenge.
const REFRESH_BATCHES: u32 = 8;

/// The header solving `challenge` for `miner` at `time` (nonce 0); a challenge whose
/// previous hash is not 32 bytes is a decode error.
pub fn challenge_header(challenge: &ChallengeResponse, miner: &str, time: u32) -> Result<Header> {
    Header::for_challenge(challenge, miner, time, 0).map_err(|e| Error::decode("challenge", e))
}

/// Tries nonces `start..start + count` on `header`; the first header meeting its bits.
pub fn search(
    header: &Header,
    start: u32,
    count: u32,
    stop: &AtomicBool,
) -> Result<Option<Header>> {
    for nonce in start..start.saturating_add(count) {
        if nonce % 1024 == 0 && stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let candidate = header.with_nonce(nonce);
        if candidate
            .meets_target()
            .map_err(|e| Error::decode("target bits", e))?
        {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// A nonce searcher the miner's flow runs on a blocking thread.
pub trait NonceSearch: Debug + Send + 'static {
    /// Tries nonces `start..start + count` on `header` (its bits give the target); the
    /// first header meeting it, checked with the CPU reference. Returns early (`None`)
    /// once `stop` is set.
    fn search(
        &mut self,
        header: &Header,
        start: u32,
        count: u32,
        stop: &AtomicBool,
    ) -> Result<Option<Header>>;

    /// How many nonces one call should try: about a second's work or less, so that
    /// progress and the challenge are checked often enough.
    fn batch(&self) -> u32;
}

/// X16S on the CPU, one thread: [`search`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuSearch;

impl NonceSearch for CpuSearch {
    fn search(
        &mut self,
        header: &Header,
        start: u32,
        count: u32,
        stop: &AtomicBool,
    ) -> Result<Option<Header>> {
        search(header, start, count, stop)
    }

    fn batch(&self) -> u32 {
        CPU_BATCH
    }
}

/// What [`MiningAgent::mine_one`] reports while it works.
#[derive(Debug, Clone)]
pub enum MiningProgress {
    /// Searching `challenge_height` at `bits`; `hashes` tried so far, at `rate` H/s.
    Searching {
        challenge_height: u64,
        bits: u32,
        hashes: u64,
        rate: f64,
    },
    /// Found a header after `hashes`; submitting it.
    Submitting { hashes: u64 },
    /// The challenge moved on (another miner won): starting again.
    Stale,
}

/// One solution accepted by the contract.
#[derive(Debug, Clone)]
pub struct Solution {
    pub header: Header,
    /// The challenge height it solved.
    pub height: u64,
    pub hashes: u64,
    pub reward: u128,
    pub tx: TxOutcome,
}

impl fmt::Display for MiningProgress {
    /// One line for a person watching, e.g. "challenge 3, 4096 hashes, 5120 H/s".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Searching {
                challenge_height,
                hashes,
                rate,
                ..
            } => write!(
                f,
                "challenge {challenge_height}, {hashes} hashes, {rate:.0} H/s"
            ),
            Self::Submitting { hashes } => write!(f, "found after {hashes} hashes, submitting"),
            Self::Stale => f.write_str("challenge moved on, starting again"),
        }
    }
}

impl fmt::Display for Solution {
    /// E.g. "challenge 3 (147 hashes), reward 50000000 ugut, tx 08AB… in block 222".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "challenge {} ({} hashes), reward {} ugut, tx {} in block {}",
            self.height, self.hashes, self.reward, self.tx.hash, self.tx.height
        )
    }
}

/// A miner for one signer.
#[derive(Debug, Clone)]
pub struct MiningAgent {
    signer: Signer,
    mining: Mining,
    searcher: Arc<Mutex<dyn NonceSearch>>,
}

impl MiningAgent {
    /// Mines for `signer` on `mining` with the CPU.
    pub fn new(signer: Signer, mining: Mining) -> Self {
        Self::with_search(signer, mining, CpuSearch)
    }

    /// Mines for `signer` on `mining` with `searcher` (a GPU, say).
    pub fn with_search(signer: Signer, mining: Mining, searcher: impl NonceSearch) -> Self {
        Self {
            signer,
            mining,
            searcher: Arc::new(Mutex::new(searcher)),
        }
    }

    /// The chain's current time in seconds (the header's time must be near block time).
    async fn chain_time(&self) -> Result<u32> {
        let status = self.signer.rpc().status().await?;
        let secs = status.sync_info.latest_block_time.unix_timestamp();
        u32::try_from(secs).map_err(|_| Error::decode("block time", secs))
    }

    /// Solves the current challenge and submits the solution. If another miner solves
    /// first, starts over on the new challenge (up to 5 times).
    pub async fn mine_one(&self, mut progress: impl FnMut(MiningProgress)) -> Result<Solution> {
        let mut last = None;
        for _ in 0..5 {
            let challenge = self.mining.challenge_unverified().await?;
            let stop = Arc::new(AtomicBool::new(false));
            let started = Instant::now();
            let mut hashes: u64 = 0;
            let mut nonce: u32 = 0;
            let mut batches: u32 = 0;
            let mut time = self.chain_time().await?;
            let found = loop {
                let header = challenge_header(&challenge, self.signer.address(), time)?;
                let s = stop.clone();
                let start = nonce;
                let searcher = self.searcher.clone();
                let (count, batch) = tokio::task::spawn_blocking(move || {
                    // A searcher that panicked mid-search left nothing half-written
                    // that matters: its next search starts from the arguments.
                    let mut searcher = searcher.lock().unwrap_or_else(|p| p.into_inner());
                    let count = searcher.batch();
                    searcher
                        .search(&header, start, count, &s)
                        .map(|found| (count, found))
                })
                .await
                .map_err(|e| Error::decode("mining task", e))??;
                if let Some(h) = batch {
                    hashes += u64::from(h.nonce - start) + 1;
                    break Some(h);
                }
                hashes += u64::from(count);
                let elapsed = started.elapsed().as_secs_f64().max(1e-9);
                progress(MiningProgress::Searching {
                    challenge_height: challenge.height,
                    bits: challenge.bits,
                    hashes,
                    rate: hashes as f64 / elapsed,
                });
                match nonce.checked_add(count) {
                    Some(next) => nonce = next,
                    None => {
                        nonce = 0;
                        time = self.chain_time().await?;
                    }
                }
                // Every few batches: keep the header's time near block time, and notice
                // a challenge solved by someone else.
                batches += 1;
                if batches.is_multiple_of(REFRESH_BATCHES) {
                    time = self.chain_time().await?;
                    if self.mining.challenge_unverified().await?.height != challenge.height {
                        break None;
                    }
                }
            };
            let Some(found) = found else {
                progress(MiningProgress::Stale);
                continue;
            };
            progress(MiningProgress::Submitting { hashes });
            match self.mining.submit(&self.signer, &found).await {
                Ok(tx) => {
                    return Ok(Solution {
                        header: found,
                        height: challenge.height,
                        hashes,
                        reward: challenge.reward.u128(),
                        tx,
                    });
                }
                Err(err @ Error::Contract { .. }) => {
                    // A stale challenge fails in the contract; anything else is final.
                    if self.mining.challenge_unverified().await?.height == challenge.height {
                        return Err(err);
                    }
                    progress(MiningProgress::Stale);
                    last = Some(err);
                }
                Err(err) => return Err(err),
            }
        }
        Err(last.unwrap_or_else(|| Error::Timeout {
            what: "a challenge that stays current".into(),
            seconds: 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{HexBinary, Uint128};

    fn challenge(bits: u32) -> ChallengeResponse {
        ChallengeResponse {
            chain_id: "gpunion-local".into(),
            header_version: 1,
            height: 0,
            prev_hash: HexBinary::from(vec![7u8; 32]),
            bits,
            target: HexBinary::from(vec![0u8; 32]),
            reward: Uint128::new(50_000_000),
            time_window: 600,
        }
    }

    #[test]
    fn header_carries_the_challenge_and_the_commitment() {
        let header =
            challenge_header(&challenge(0x2003_ffff), "wasm1miner", 1_764_000_000).unwrap();
        assert_eq!(header.version, 1);
        assert_eq!(header.prev_hash, [7; 32]);
        assert_eq!(
            header.commitment,
            gpunion_interface::mining::header::commitment("gpunion-local", "wasm1miner")
        );
        assert_eq!(header.time, 1_764_000_000);
        assert_eq!(header.bits, 0x2003_ffff);
        assert_eq!(header.nonce, 0);
    }

    #[test]
    fn progress_reads_as_one_line() {
        let searching = MiningProgress::Searching {
            challenge_height: 3,
            bits: 0x2003_ffff,
            hashes: 4096,
            rate: 5120.4,
        };
        assert_eq!(searching.to_string(), "challenge 3, 4096 hashes, 5120 H/s");
        assert_eq!(
            MiningProgress::Submitting { hashes: 147 }.to_string(),
            "found after 147 hashes, submitting"
        );
        assert_eq!(
            MiningProgress::Stale.to_string(),
            "challenge moved on, starting again"
        );
    }

    #[test]
    fn short_prev_hash_is_a_decode_error() {
        let mut c = challenge(0x2003_ffff);
        c.prev_hash = HexBinary::from(vec![1u8; 31]);
        assert!(matches!(
            challenge_header(&c, "wasm1m", 0),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn search_finds_a_header_meeting_an_easy_target() {
        let header =
            challenge_header(&challenge(0x2003_ffff), "wasm1miner", 1_764_000_000).unwrap();
        let found = search(&header, 0, 5_000, &AtomicBool::new(false))
            .unwrap()
            .expect("1 in 64 odds");
        assert!(x16s::meets_target(&x16s::hash(&found.encode()), 0x2003_ffff).unwrap());
        assert_eq!(found, header.with_nonce(found.nonce));
    }
}

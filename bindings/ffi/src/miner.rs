//! Mining: the challenge, and one solution searched on the CPU and submitted.

use gpunion_sdk::contracts::mining::Mining;
use gpunion_sdk::miner::MiningAgent;

use crate::error::{Result, amount};
use crate::market::TxOutcome;

/// What the next X16S solution must solve (a verified read).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Challenge {
    /// Solutions accepted so far (the next one's 0-based height).
    pub height: u64,
    /// The previous solution's hash, hex.
    pub prev_hash: String,
    /// The target, compact bits.
    pub bits: u32,
    /// Block time (unix seconds) the current retarget epoch began.
    pub epoch_start: u64,
}

/// A solution the mining contract accepted.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Solution {
    /// The challenge height it solved.
    pub height: u64,
    /// Hashes tried.
    pub hashes: u64,
    /// ugut minted to the miner.
    pub reward: u64,
    pub tx: TxOutcome,
}

/// A CPU miner for one account.
#[derive(Debug, uniffi::Object)]
pub struct Miner {
    mining: Mining,
    agent: MiningAgent,
}

impl Miner {
    pub(crate) fn new(mining: Mining, agent: MiningAgent) -> Self {
        Self { mining, agent }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Miner {
    /// The current challenge, proven against a verified header.
    pub async fn challenge(&self) -> Result<Challenge> {
        let c = self.mining.challenge().await?;
        Ok(Challenge {
            height: c.height,
            prev_hash: c.prev_hash.to_hex(),
            bits: c.bits,
            epoch_start: c.epoch_start,
        })
    }

    /// Solves the current challenge on the CPU and submits the solution (starting over
    /// when another miner wins first); returns once it is in a block.
    pub async fn mine_one(&self) -> Result<Solution> {
        let s = self.agent.mine_one(|_| {}).await?;
        Ok(Solution {
            height: s.height,
            hashes: s.hashes,
            reward: amount(s.reward, "reward")?,
            tx: s.tx.into(),
        })
    }
}

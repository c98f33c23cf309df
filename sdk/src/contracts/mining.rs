//! The mining contract: X16S proof-of-work emission of GUT.

use cosmwasm_std::HexBinary;
use mining::msg::{ChallengeResponse, EmissionResponse, ExecuteMsg, QueryMsg};
use mining::state::{Config, MinerStats};

use crate::contracts::execute_msg;
use crate::error::{Error, Result};
use crate::rpc::Rpc;
use crate::tx::{Signer, TxOutcome};

/// The mining contract at one address.
#[derive(Debug, Clone)]
pub struct Mining {
    rpc: Rpc,
    address: String,
}

impl Mining {
    /// The contract at `address`.
    pub fn new(rpc: Rpc, address: impl Into<String>) -> Self {
        Self {
            rpc,
            address: address.into(),
        }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The fixed parameters.
    pub async fn config(&self) -> Result<Config> {
        self.rpc
            .smart_query(&self.address, &QueryMsg::Config {})
            .await
    }

    /// What the next solution must solve, and what it pays.
    pub async fn challenge(&self) -> Result<ChallengeResponse> {
        self.rpc
            .smart_query(&self.address, &QueryMsg::Challenge {})
            .await
    }

    /// The 32-byte commitment `miner` puts at header bytes 36..68.
    pub async fn commitment(&self, miner: &str) -> Result<[u8; 32]> {
        let answer: HexBinary = self
            .rpc
            .smart_query(
                &self.address,
                &QueryMsg::Commitment {
                    miner: miner.to_string(),
                },
            )
            .await?;
        answer
            .as_slice()
            .try_into()
            .map_err(|_| Error::decode("commitment", format!("{} bytes, not 32", answer.len())))
    }

    /// A miner's record, if it ever solved.
    pub async fn miner(&self, address: &str) -> Result<Option<MinerStats>> {
        self.rpc
            .smart_query(
                &self.address,
                &QueryMsg::Miner {
                    address: address.to_string(),
                },
            )
            .await
    }

    /// Emitted so far, the cap and the schedule.
    pub async fn emission(&self) -> Result<EmissionResponse> {
        self.rpc
            .smart_query(&self.address, &QueryMsg::Emission {})
            .await
    }

    /// Submits a solved header; the reward goes to the signer, whom the header must
    /// commit to.
    pub async fn submit(
        &self,
        signer: &Signer,
        header: &[u8; x16s::HEADER_LEN],
    ) -> Result<TxOutcome> {
        let msg = execute_msg(
            signer.address(),
            &self.address,
            &ExecuteMsg::Submit {
                header: HexBinary::from(header.as_slice()),
            },
        )?;
        signer.send(vec![msg], "").await
    }
}

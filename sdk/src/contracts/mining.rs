//! The mining contract: X16S proof-of-work emission of GUT.

use cosmwasm_std::HexBinary;
use mining::msg::{ChallengeResponse, EmissionResponse, ExecuteMsg, QueryMsg};
use mining::state::{Config, MinerStats};

use crate::contracts::Contract;
use crate::error::{Error, Result};
use crate::rpc::Rpc;
use crate::tx::{Signer, TxOutcome};

/// The mining contract at one address.
#[derive(Debug, Clone)]
pub struct Mining {
    contract: Contract,
}

impl Mining {
    /// The contract at `address`.
    pub fn new(rpc: Rpc, address: impl Into<String>) -> Self {
        Self {
            contract: Contract::new(rpc, address),
        }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// The fixed parameters.
    pub async fn config(&self) -> Result<Config> {
        self.contract.query(&QueryMsg::Config {}).await
    }

    /// What the next solution must solve, and what it pays.
    pub async fn challenge(&self) -> Result<ChallengeResponse> {
        self.contract.query(&QueryMsg::Challenge {}).await
    }

    /// The 32-byte commitment `miner` puts at header bytes 36..68.
    pub async fn commitment(&self, miner: &str) -> Result<[u8; 32]> {
        let answer: HexBinary = self
            .contract
            .query(&QueryMsg::Commitment {
                miner: miner.to_string(),
            })
            .await?;
        answer
            .as_slice()
            .try_into()
            .map_err(|_| Error::decode("commitment", format!("{} bytes, not 32", answer.len())))
    }

    /// A miner's record, if it ever solved.
    pub async fn miner(&self, address: &str) -> Result<Option<MinerStats>> {
        self.contract
            .query(&QueryMsg::Miner {
                address: address.to_string(),
            })
            .await
    }

    /// Emitted so far, the cap and the schedule.
    pub async fn emission(&self) -> Result<EmissionResponse> {
        self.contract.query(&QueryMsg::Emission {}).await
    }

    /// Submits a solved header; the reward goes to the signer, whom the header must
    /// commit to.
    pub async fn submit(
        &self,
        signer: &Signer,
        header: &[u8; x16s::HEADER_LEN],
    ) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Submit {
                    header: HexBinary::from(header.as_slice()),
                },
            )
            .await
    }
}

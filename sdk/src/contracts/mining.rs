//! The mining contract: X16S proof-of-work emission of GUT.

use cosmwasm_std::HexBinary;
use mining::msg::{ChallengeResponse, EmissionResponse, ExecuteMsg, QueryMsg};
use mining::state::{Challenge, Config, MinerStats};

use crate::contracts::Contract;
use crate::error::{Error, Result};
use crate::storage::item_key;

/// The mining contract's `CHALLENGE` item.
const CHALLENGE_NAMESPACE: &str = "challenge";
use crate::tx::{Signer, TxOutcome};

/// The mining contract at one address.
#[derive(Debug, Clone)]
pub struct Mining {
    contract: Contract,
}

impl Mining {
    /// The contract reached through `contract` (see [`crate::Chain`]).
    pub fn new(contract: Contract) -> Self {
        Self { contract }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// The fixed parameters.
    pub async fn config(&self) -> Result<Config> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// The stored challenge (solutions so far, previous hash, target bits), proven
    /// against a verified header.
    pub async fn challenge(&self) -> Result<Challenge> {
        self.contract
            .load_verified(&item_key(CHALLENGE_NAMESPACE), "mining challenge")
            .await?
            .value
            .ok_or_else(|| {
                Error::decode("mining challenge", "proven absent: not a mining contract")
            })
    }

    /// What the next solution must solve, and what it pays, as the contract describes it:
    /// smart query, **not verified**. (A forged challenge can only waste a miner's work:
    /// the contract checks every solution.)
    pub async fn challenge_unverified(&self) -> Result<ChallengeResponse> {
        self.contract
            .query_unverified(&QueryMsg::Challenge {})
            .await
    }

    /// The 32-byte commitment `miner` puts at header bytes 36..68.
    pub async fn commitment(&self, miner: &str) -> Result<[u8; 32]> {
        let answer: HexBinary = self
            .contract
            .query_unverified(&QueryMsg::Commitment {
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
            .query_unverified(&QueryMsg::Miner {
                address: address.to_string(),
            })
            .await
    }

    /// Emitted so far, the cap and the schedule.
    pub async fn emission(&self) -> Result<EmissionResponse> {
        self.contract.query_unverified(&QueryMsg::Emission {}).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_key_is_the_contracts() {
        assert_eq!(
            item_key(CHALLENGE_NAMESPACE),
            mining::state::CHALLENGE.as_slice()
        );
    }
}

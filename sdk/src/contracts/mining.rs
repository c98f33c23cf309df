//! The mining contract: X16S proof-of-work emission of GUT.

use cosmwasm_std::HexBinary;
use gpunion_interface::mining::hashrate::ProvenHashrate;
use gpunion_interface::mining::header::Header;
use gpunion_interface::mining::{
    Challenge, ChallengeResponse, Config, EmissionResponse, ExecuteMsg, MinerStats, QueryMsg,
    storage,
};

use crate::contracts::Contract;
use crate::error::{Error, Result};
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
            .item(storage::CHALLENGE, "mining challenge")
            .await
    }

    /// What the next solution must solve, and what it pays, as the contract describes it:
    /// smart query, **not verified**. (A forged challenge can only waste a miner's work:
    /// the contract checks every solution.)
    pub async fn challenge_unverified(&self) -> Result<ChallengeResponse> {
        self.contract
            .query_unverified(&QueryMsg::Challenge {})
            .await
    }

    /// The 32-byte commitment `miner` puts in its header.
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

    /// A miner's proven hashrate over the recent complete windows (zero for an address
    /// that never solved), as the contract computes it: smart query, **not verified**.
    pub async fn hashrate(&self, address: &str) -> Result<ProvenHashrate> {
        self.contract
            .query_unverified(&QueryMsg::Hashrate {
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
    pub async fn submit(&self, signer: &Signer, header: &Header) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Submit {
                    header: HexBinary::from(header.encode().as_slice()),
                },
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::item_key;

    #[test]
    fn challenge_key_is_cw_storage_plus_item_key() {
        let challenge: cw_storage_plus::Item<Challenge> =
            cw_storage_plus::Item::new(storage::CHALLENGE);
        assert_eq!(item_key(storage::CHALLENGE), challenge.as_slice());
    }
}

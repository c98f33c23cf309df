//! What `testnet/deploy` writes (`testnet/deployment.json`) and the public test keys
//! (`testnet/accounts.json`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::light::TrustAnchor;
use crate::tx::{GasPrice, TxSettings};

/// One instantiated contract.
#[derive(Debug, Clone, Deserialize)]
pub struct DeployedContract {
    pub code_id: u64,
    pub checksum: String,
    pub address: String,
}

/// A deployment: the chain's endpoints and the contracts' addresses.
#[derive(Debug, Clone, Deserialize)]
pub struct Deployment {
    pub chain_id: String,
    /// CometBFT RPC, e.g. `http://127.0.0.1:26657`.
    pub rpc: String,
    /// e.g. `0.025ustake`.
    pub gas_prices: String,
    /// The staking / fee denom.
    pub denom: String,
    #[serde(default)]
    pub deployer: Option<String>,
    /// By name: `gut_token`, `mining`, `token_swap`, `market`, `endorsement`.
    #[serde(default)]
    pub contracts: BTreeMap<String, DeployedContract>,
    /// Test account addresses by name.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// The block the light client trusts first (`testnet/deploy` records block 1 of the
    /// chain it deployed to). Without one, verified reads are unavailable.
    #[serde(default)]
    pub trust: Option<TrustAnchor>,
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))
}

impl Deployment {
    /// Reads a deployment JSON file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Self::parse(&read(path)?).map_err(|e| match e {
            Error::Decode { message, .. } => Error::decode(&path.display().to_string(), message),
            other => other,
        })
    }

    /// Parses deployment JSON.
    pub fn parse(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::decode("deployment", e))
    }

    /// The address of contract `name`, or bad input if it was not deployed.
    pub fn contract(&self, name: &str) -> Result<&str> {
        self.contracts
            .get(name)
            .map(|c| c.address.as_str())
            .ok_or_else(|| Error::bad_input(format!("contract {name} is not in the deployment")))
    }

    /// The bech32 prefix of the chain's addresses (from any address in the file).
    pub fn prefix(&self) -> String {
        self.deployer
            .iter()
            .chain(self.accounts.values())
            .chain(self.contracts.values().map(|c| &c.address))
            .find_map(|a| a.split_once('1').map(|(p, _)| p.to_string()))
            .unwrap_or_else(|| "wasm".to_string())
    }

    /// Transaction settings for this chain (default gas adjustment and timeouts).
    pub fn tx_settings(&self) -> Result<TxSettings> {
        Ok(TxSettings::new(
            self.chain_id.clone(),
            self.gas_prices.parse::<GasPrice>()?,
        ))
    }
}

/// One entry of `testnet/accounts.json`.
#[derive(Clone, Deserialize)]
pub struct TestAccount {
    pub name: String,
    pub mnemonic: String,
    pub address: String,
}

impl std::fmt::Debug for TestAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestAccount")
            .field("name", &self.name)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// The public test keys of the local chains.
#[derive(Debug, Clone, Deserialize)]
pub struct TestAccounts {
    pub accounts: Vec<TestAccount>,
}

impl TestAccounts {
    /// Reads `testnet/accounts.json`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        serde_json::from_str(&read(path)?)
            .map_err(|e| Error::decode(&path.display().to_string(), e))
    }

    /// The account called `name`.
    pub fn get(&self, name: &str) -> Result<&TestAccount> {
        self.accounts
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::bad_input(format!("no test account {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "chain_id": "gpunion-local", "rpc": "http://127.0.0.1:26657",
      "gas_prices": "0.025ustake", "denom": "ustake",
      "deployer": "wasm1qyx8akfzf67ke2lk3dmwuy8gz8ag4m0kx74dcr",
      "contracts": {"gut_token": {"code_id": 1, "checksum": "ab", "address": "wasm1gut"}},
      "accounts": {"treasury": "wasm1d8jtjdmal7x6n5weg6zczagfs5ckkzsrc37sp3"},
      "trust": {"height": 1, "hash": "5E4C7AD8EB51A2B2DB3E4C6A2D3F8E2C7A9B2D3E4F5A6B7C8D9E0F1A2B3C4D5E"}
    }"#;

    #[test]
    fn deployment_parses() {
        let d = Deployment::parse(SAMPLE).unwrap();
        assert_eq!(d.contract("gut_token").unwrap(), "wasm1gut");
        assert!(matches!(d.contract("market"), Err(Error::BadInput(_))));
        assert_eq!(d.prefix(), "wasm");
        assert_eq!(d.trust.as_ref().map(|t| t.height), Some(1));
        assert_eq!(d.tx_settings().unwrap().gas_price.denom, "ustake");
        assert!(matches!(Deployment::parse("{"), Err(Error::Decode { .. })));
    }
}

//! The chain client: one chain and its GPUnion deployment, reached through one or more
//! RPC endpoints with fail-over, and the reads anyone can make on it.

use std::sync::Arc;

use gpunion_sdk::{Chain, Deployment, Rpc, TestAccounts};

use crate::account::Account;
use crate::error::{Result, amount};
use crate::keys::Wallet;
use crate::market::{
    LeaseInfo, ProviderFilter, ProviderInfo, RecommendRequest, Recommendation, Reputation,
};

/// A value proven against a header the light client verified.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifiedAmount {
    /// The amount (ugut, or the fee denom's smallest unit).
    pub amount: u64,
    /// The state height the proof is from.
    pub height: u64,
}

/// One of the local chains' public test keys (`testnet/accounts.json`). Anyone can
/// spend from them: never use them with real funds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TestAccount {
    pub name: String,
    pub address: String,
    pub mnemonic: String,
}

/// Reads the public test keys of the local chains from `path`
/// (`testnet/accounts.json`).
#[uniffi::export]
pub fn load_test_accounts(path: String) -> Result<Vec<TestAccount>> {
    Ok(TestAccounts::load(path)?
        .accounts
        .into_iter()
        .map(|a| TestAccount {
            name: a.name,
            address: a.address,
            mnemonic: a.mnemonic,
        })
        .collect())
}

/// A GPUnion chain: its deployment (contract addresses, fee price, the light client's
/// trust anchor) and its RPC endpoints. Nothing is connected until the first call; a
/// call tries the endpoints in turn when one does not answer.
#[derive(Debug, uniffi::Object)]
pub struct Client {
    chain: Chain,
}

impl Client {
    fn with(deployment: Deployment, rpc_urls: Vec<String>) -> Result<Self> {
        let urls = if rpc_urls.is_empty() {
            vec![deployment.rpc.clone()]
        } else {
            rpc_urls
        };
        let rpc = Rpc::new(&urls)?;
        Ok(Self {
            chain: Chain::with_rpc(deployment, rpc)?,
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// The chain of the deployment file at `deployment_path` (`testnet/deployment.json`),
    /// through `rpc_urls` in order of preference (the deployment's own when empty).
    #[uniffi::constructor]
    pub fn new(deployment_path: String, rpc_urls: Vec<String>) -> Result<Self> {
        Self::with(Deployment::load(deployment_path)?, rpc_urls)
    }

    /// Like the constructor, with the deployment given as JSON text.
    #[uniffi::constructor]
    pub fn from_json(deployment_json: String, rpc_urls: Vec<String>) -> Result<Self> {
        Self::with(Deployment::parse(&deployment_json)?, rpc_urls)
    }

    /// The chain id.
    pub fn chain_id(&self) -> String {
        self.chain.deployment().chain_id.clone()
    }

    /// The bech32 address prefix of the chain's accounts (`wasm`).
    pub fn address_prefix(&self) -> String {
        self.chain.deployment().prefix()
    }

    /// The RPC endpoints, in order of preference.
    pub fn endpoints(&self) -> Vec<String> {
        self.chain.rpc().endpoints()
    }

    /// The newest block height (from whichever endpoint answers).
    pub async fn latest_height(&self) -> Result<u64> {
        Ok(self.chain.rpc().latest_height().await?)
    }

    /// `address`'s GUT balance in ugut, proven against a verified header.
    pub async fn gut_balance(&self, address: String) -> Result<VerifiedAmount> {
        let read = self.chain.gut()?.balance_verified(&address).await?;
        Ok(VerifiedAmount {
            amount: amount(read.value, "GUT balance")?,
            height: read.height,
        })
    }

    /// `address`'s balance of the chain's fee token (`ustake`), proven against a verified
    /// header.
    pub async fn fee_balance(&self, address: String) -> Result<VerifiedAmount> {
        let denom = &self.chain.deployment().denom;
        let read = self.chain.balance(&address, denom).await?;
        Ok(VerifiedAmount {
            amount: amount(read.value, "fee balance")?,
            height: read.height,
        })
    }

    /// Registered providers matching `filter`, by address (an unverified listing; what
    /// a lease pays is re-read through a proof when it is opened).
    pub async fn providers(&self, filter: ProviderFilter) -> Result<Vec<ProviderInfo>> {
        self.chain
            .market()?
            .all_providers(Some(filter.into()))
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// The endorsement contract's ranking of providers for `request`.
    pub async fn recommend(&self, request: RecommendRequest) -> Result<Vec<Recommendation>> {
        self.chain
            .endorsement()?
            .recommend(request.into())
            .await?
            .recommendations
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// A provider's reputation, proven against a verified header.
    pub async fn reputation(&self, provider: String) -> Result<Reputation> {
        self.chain
            .endorsement()?
            .reputation(&provider)
            .await?
            .try_into()
    }

    /// Lease `id` with what it has earned, proven against a verified header; `None` if
    /// there is no such lease.
    pub async fn lease(&self, id: u64) -> Result<Option<LeaseInfo>> {
        self.chain
            .market()?
            .lease_now(id)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Makes the next verified reads at least as new as the chain's tip now (after
    /// another party's transaction).
    pub async fn catch_up(&self) -> Result<u64> {
        Ok(self.chain.rpc().catch_up().await?)
    }

    /// `wallet` signing on this chain. Make one account per wallet and share it: it
    /// numbers the wallet's transactions.
    pub fn account(&self, wallet: &Wallet) -> Result<Arc<Account>> {
        Ok(Arc::new(Account::new(
            self.chain.clone(),
            self.chain.signer(wallet.sdk_wallet()?),
        )))
    }
}

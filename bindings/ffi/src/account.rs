//! An account: a wallet signing on one chain (the SDK's `Signer`), and the flows it runs.

use std::sync::Arc;

use gpunion_sdk::flows;
use gpunion_sdk::miner::MiningAgent;
use gpunion_sdk::{Chain, Signer, tx};

use crate::customer::Customer;
use crate::error::Result;
use crate::market::TxOutcome;
use crate::miner::Miner;
use crate::provider::Provider;

/// A wallet signing on one chain. Its customer, provider and miner flows share its
/// transaction numbering, so they may run at the same time.
#[derive(Debug, uniffi::Object)]
pub struct Account {
    chain: Chain,
    signer: Signer,
}

impl Account {
    pub(crate) fn new(chain: Chain, signer: Signer) -> Self {
        Self { chain, signer }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Account {
    /// The account's address.
    pub fn address(&self) -> String {
        self.signer.address().to_string()
    }

    /// Sends `amount` ugut of GUT to `recipient`; returns once it is in a block.
    pub async fn transfer_gut(&self, recipient: String, amount: u64) -> Result<TxOutcome> {
        Ok(self
            .chain
            .gut()?
            .transfer(&self.signer, &recipient, amount.into())
            .await?
            .into())
    }

    /// Sends `amount` of the chain's fee token (`ustake`, what transactions pay gas in)
    /// to `recipient`; returns once it is in a block.
    pub async fn transfer_fee_token(&self, recipient: String, amount: u64) -> Result<TxOutcome> {
        let denom = &self.chain.settings().gas_price.denom;
        let msg = tx::bank_send_msg(self.signer.address(), &recipient, amount.into(), denom)?;
        Ok(self.signer.send(vec![msg], "").await?.into())
    }

    /// The customer's side of the market for this account.
    pub fn customer(&self) -> Result<Arc<Customer>> {
        // A deployment without the endorsement contract still leases; `rate` then says
        // there is none to rate with.
        let endorsement = self.chain.endorsement().ok();
        Ok(Arc::new(Customer::new(flows::Customer::new(
            self.signer.clone(),
            self.chain.market()?,
            self.chain.gut()?,
            endorsement,
        ))))
    }

    /// The provider's side of the market for this account.
    pub fn provider(&self) -> Result<Arc<Provider>> {
        Ok(Arc::new(Provider::new(flows::ProviderAgent::new(
            self.signer.clone(),
            self.chain.market()?,
            self.chain.gut()?,
        ))))
    }

    /// A CPU miner for this account.
    pub fn miner(&self) -> Result<Arc<Miner>> {
        let mining = self.chain.mining()?;
        Ok(Arc::new(Miner::new(
            mining.clone(),
            MiningAgent::new(self.signer.clone(), mining),
        )))
    }
}

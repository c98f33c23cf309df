//! A connected chain: endpoints, settings and the deployed contracts' clients.

use crate::contracts::{
    Contract, endorsement::Endorsement, gut::Gut, market::Market, mining::Mining,
    token_swap::TokenSwap,
};
use crate::deployment::Deployment;
use crate::error::{Error, Result};
use crate::keys::Wallet;
use crate::light::{LightClient, LightOptions, Verified};
use crate::rpc::Rpc;
use crate::storage::{BANK_STORE, bank_balance_key};
use crate::tx::{Signer, TxSettings};

/// One chain and its GPUnion deployment. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Chain {
    rpc: Rpc,
    deployment: Deployment,
    settings: TxSettings,
    light: Option<LightClient>,
}

impl Chain {
    /// Connects (lazily) to `deployment`'s chain through its RPC endpoint.
    pub fn new(deployment: Deployment) -> Result<Self> {
        let rpc = Rpc::new(std::slice::from_ref(&deployment.rpc))?;
        Self::with_rpc(deployment, rpc)
    }

    /// Connects through `rpc` (e.g. several endpoints with fail-over). Contract state is
    /// verified by a light client trusting the deployment's anchor (default
    /// [`LightOptions`]), if it has one.
    pub fn with_rpc(deployment: Deployment, rpc: Rpc) -> Result<Self> {
        let settings = deployment.tx_settings()?;
        let light = deployment.trust.clone().map(|anchor| {
            LightClient::new(rpc.clone(), &deployment.chain_id, LightOptions::new(anchor))
        });
        Ok(Self {
            rpc,
            deployment,
            settings,
            light,
        })
    }

    /// Replaces the transaction settings (gas adjustment, timeouts).
    pub fn with_settings(mut self, settings: TxSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Verifies contract state with a light client of these options instead (another
    /// anchor, store directory or header policy).
    pub fn with_light_options(mut self, options: LightOptions) -> Self {
        self.light = Some(LightClient::new(
            self.rpc.clone(),
            &self.deployment.chain_id,
            options,
        ));
        self
    }

    /// The RPC endpoints.
    pub fn rpc(&self) -> &Rpc {
        &self.rpc
    }

    /// The deployment.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The transaction settings signers get.
    pub fn settings(&self) -> &TxSettings {
        &self.settings
    }

    /// Bank balance of `address` in `denom` (the chain's fee token: the deployment's
    /// `denom`), proven against a verified header; an account that never held it is a
    /// proven zero. [`Rpc::balance`] is the unverified query.
    pub async fn balance(&self, address: &str, denom: &str) -> Result<Verified<u128>> {
        let what = format!("{denom} balance of {address}");
        let light = self
            .light
            .as_ref()
            .ok_or_else(|| Error::NoTrustAnchor { what: what.clone() })?;
        let read = light
            .read(BANK_STORE, &bank_balance_key(address, denom)?, &what)
            .await?;
        let amount = match read.value {
            None => 0,
            Some(text) => std::str::from_utf8(&text)
                .ok()
                .and_then(|text| text.parse().ok())
                .ok_or_else(|| Error::decode(&what, "not a decimal amount"))?,
        };
        Ok(Verified {
            value: amount,
            height: read.height,
        })
    }

    /// The light client, if the deployment has a trust anchor (or one was configured).
    pub fn light_client(&self) -> Option<&LightClient> {
        self.light.as_ref()
    }

    /// A wallet from `mnemonic` with this chain's address prefix.
    pub fn wallet(&self, mnemonic: &str) -> Result<Wallet> {
        Wallet::from_mnemonic(mnemonic, &self.deployment.prefix())
    }

    /// A signer for `wallet` on this chain. Make one per wallet and share it.
    pub fn signer(&self, wallet: Wallet) -> Signer {
        Signer::new(self.rpc.clone(), wallet, self.settings.clone())
    }

    /// The contract at `address` on this chain, with this chain's light client.
    pub fn contract(&self, address: impl Into<String>) -> Contract {
        let contract = Contract::new(self.rpc.clone(), address);
        match &self.light {
            Some(light) => contract.with_light_client(light.clone()),
            None => contract,
        }
    }

    fn deployed(&self, name: &str) -> Result<Contract> {
        Ok(self.contract(self.deployment.contract(name)?))
    }

    /// The GUT token.
    pub fn gut(&self) -> Result<Gut> {
        Ok(Gut::new(self.deployed("gut_token")?))
    }

    /// The mining contract.
    pub fn mining(&self) -> Result<Mining> {
        Ok(Mining::new(self.deployed("mining")?))
    }

    /// The token swap.
    pub fn token_swap(&self) -> Result<TokenSwap> {
        Ok(TokenSwap::new(self.deployed("token_swap")?))
    }

    /// The market.
    pub fn market(&self) -> Result<Market> {
        Ok(Market::new(self.deployed("market")?))
    }

    /// The endorsement contract.
    pub fn endorsement(&self) -> Result<Endorsement> {
        Ok(Endorsement::new(self.deployed("endorsement")?))
    }
}

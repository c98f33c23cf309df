//! A connected chain: endpoints, settings and the deployed contracts' clients.

use crate::contracts::{
    endorsement::Endorsement, gut::Gut, market::Market, mining::Mining, token_swap::TokenSwap,
};
use crate::deployment::Deployment;
use crate::error::Result;
use crate::keys::Wallet;
use crate::rpc::Rpc;
use crate::tx::{Signer, TxSettings};

/// One chain and its GPUnion deployment. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Chain {
    rpc: Rpc,
    deployment: Deployment,
    settings: TxSettings,
}

impl Chain {
    /// Connects (lazily) to `deployment`'s chain through its RPC endpoint.
    pub fn new(deployment: Deployment) -> Result<Self> {
        let rpc = Rpc::new(std::slice::from_ref(&deployment.rpc))?;
        Self::with_rpc(deployment, rpc)
    }

    /// Connects through `rpc` (e.g. several endpoints with fail-over).
    pub fn with_rpc(deployment: Deployment, rpc: Rpc) -> Result<Self> {
        let settings = deployment.tx_settings()?;
        Ok(Self {
            rpc,
            deployment,
            settings,
        })
    }

    /// Replaces the transaction settings (gas adjustment, timeouts).
    pub fn with_settings(mut self, settings: TxSettings) -> Self {
        self.settings = settings;
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

    /// A wallet from `mnemonic` with this chain's address prefix.
    pub fn wallet(&self, mnemonic: &str) -> Result<Wallet> {
        Wallet::from_mnemonic(mnemonic, &self.deployment.prefix())
    }

    /// A signer for `wallet` on this chain. Make one per wallet and share it.
    pub fn signer(&self, wallet: Wallet) -> Signer {
        Signer::new(self.rpc.clone(), wallet, self.settings.clone())
    }

    /// The GUT token.
    pub fn gut(&self) -> Result<Gut> {
        Ok(Gut::new(
            self.rpc.clone(),
            self.deployment.contract("gut_token")?,
        ))
    }

    /// The mining contract.
    pub fn mining(&self) -> Result<Mining> {
        Ok(Mining::new(
            self.rpc.clone(),
            self.deployment.contract("mining")?,
        ))
    }

    /// The token swap.
    pub fn token_swap(&self) -> Result<TokenSwap> {
        Ok(TokenSwap::new(
            self.rpc.clone(),
            self.deployment.contract("token_swap")?,
        ))
    }

    /// The market.
    pub fn market(&self) -> Result<Market> {
        Ok(Market::new(
            self.rpc.clone(),
            self.deployment.contract("market")?,
        ))
    }

    /// The endorsement contract.
    pub fn endorsement(&self) -> Result<Endorsement> {
        Ok(Endorsement::new(
            self.rpc.clone(),
            self.deployment.contract("endorsement")?,
        ))
    }
}

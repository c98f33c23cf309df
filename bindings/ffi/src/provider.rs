//! The provider's flow: register, heartbeat, accept, withdraw.

use gpunion_sdk::flows::ProviderAgent;

use crate::error::Result;
use crate::market::{LeaseInfo, ProviderAttributes, ProviderInfo, TxOutcome};

/// A provider of the market: one account's GPUs.
#[derive(Debug, uniffi::Object)]
pub struct Provider {
    inner: ProviderAgent,
}

impl Provider {
    pub(crate) fn new(inner: ProviderAgent) -> Self {
        Self { inner }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Provider {
    /// The provider's address.
    pub fn address(&self) -> String {
        self.inner.address().to_string()
    }

    /// Registers with `stake` ugut bonded and `attributes` declared.
    pub async fn register(&self, stake: u64, attributes: ProviderAttributes) -> Result<TxOutcome> {
        Ok(self
            .inner
            .register(stake.into(), attributes.into())
            .await?
            .into())
    }

    /// The provider's record with its status; `None` if not registered.
    pub async fn record(&self) -> Result<Option<ProviderInfo>> {
        self.inner
            .record()
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Sends a heartbeat: the time since the last one is credited to running leases.
    pub async fn heartbeat(&self) -> Result<TxOutcome> {
        Ok(self.inner.heartbeat().await?.into())
    }

    /// Ids of the leases waiting for this provider to accept (proven complete).
    pub async fn pending_leases(&self) -> Result<Vec<u64>> {
        Ok(self
            .inner
            .pending_leases()
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect())
    }

    /// Accepts a pending lease.
    pub async fn accept(&self, lease_id: u64) -> Result<TxOutcome> {
        Ok(self.inner.accept(lease_id).await?.into())
    }

    /// Lease `lease_id` with what it has earned (proven); `None` if there is none.
    pub async fn lease(&self, lease_id: u64) -> Result<Option<LeaseInfo>> {
        self.inner
            .lease(lease_id)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Withdraws what the lease has earned so far; `None` when nothing is withdrawable.
    pub async fn withdraw(&self, lease_id: u64) -> Result<Option<TxOutcome>> {
        Ok(self.inner.withdraw(lease_id).await?.map(Into::into))
    }
}

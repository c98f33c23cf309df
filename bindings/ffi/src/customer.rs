//! The customer's flow: open, extend, close and rate leases, run a job end to end.

use std::sync::Arc;

use gpunion_ipfs::Kubo;
use gpunion_sdk::flows;

use crate::error::{GpunionError, Result};
use crate::job::{self, JobListener, JobOrder, JobSummary};
use crate::market::{LeaseInfo, TxOutcome, Workload};

/// A lease just opened.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OpenedLease {
    pub lease_id: u64,
    pub tx: TxOutcome,
}

/// A customer of the market: one account's leases.
#[derive(Debug, uniffi::Object)]
pub struct Customer {
    inner: flows::Customer,
}

impl Customer {
    pub(crate) fn new(inner: flows::Customer) -> Self {
        Self { inner }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Customer {
    /// The customer's address.
    pub fn address(&self) -> String {
        self.inner.address().to_string()
    }

    /// Opens a lease on `provider` starting now for `duration_seconds`, depositing
    /// exactly what that costs at the provider's current price (proven); refused with
    /// `BadInput` if the price is above `max_price_per_hour` ugut.
    pub async fn open_lease(
        &self,
        provider: String,
        duration_seconds: u64,
        workload: Workload,
        max_price_per_hour: u64,
    ) -> Result<OpenedLease> {
        let (lease_id, tx) = self
            .inner
            .open_lease(
                &provider,
                duration_seconds,
                workload.into(),
                max_price_per_hour.into(),
            )
            .await?;
        Ok(OpenedLease {
            lease_id,
            tx: tx.into(),
        })
    }

    /// Lengthens an open lease by `extra_seconds`, paying what they cost at its price.
    pub async fn extend_lease(&self, lease_id: u64, extra_seconds: u64) -> Result<TxOutcome> {
        Ok(self.inner.extend(lease_id, extra_seconds).await?.into())
    }

    /// Closes a lease: the provider is paid what it earned, the rest refunded.
    pub async fn close_lease(&self, lease_id: u64) -> Result<TxOutcome> {
        Ok(self.inner.close(lease_id).await?.into())
    }

    /// Rates the provider of a finished lease, `score` 1 to 5, with an optional CID of
    /// a comment.
    pub async fn rate(
        &self,
        lease_id: u64,
        score: u8,
        comment_cid: Option<String>,
    ) -> Result<TxOutcome> {
        Ok(self.inner.rate(lease_id, score, comment_cid).await?.into())
    }

    /// Lease `lease_id` with what it has earned (proven); `None` if there is none.
    pub async fn lease(&self, lease_id: u64) -> Result<Option<LeaseInfo>> {
        self.inner
            .lease(lease_id)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Runs a job to the end: checks the workload (a job bundle or an OCI image
    /// folder) against the provider's limits, adds it to IPFS through the Kubo API at
    /// `ipfs_api`, opens the lease, waits for the provider's result, fetches it into
    /// `order.out`, checks its hash against the chain and closes the lease. `listener`
    /// hears each step. Cancelling the call stops waiting; an opened lease stays open
    /// (close it, or it is refunded once overdue).
    pub async fn run_job(
        &self,
        order: JobOrder,
        ipfs_api: String,
        listener: Arc<dyn JobListener>,
    ) -> Result<JobSummary> {
        let kubo = Kubo::new(&ipfs_api).map_err(|e| GpunionError::BadInput {
            detail: format!("IPFS API: {e}"),
        })?;
        let summary = gpunion_sdk::job::run(&self.inner, &kubo, &order.into(), |progress| {
            listener.on_progress(progress.into())
        })
        .await?;
        job::summary(summary)
    }
}

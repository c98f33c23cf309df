//! The market's two sides as flows over the contract clients: a provider (register,
//! heartbeat, accept, withdraw, post the result) and a customer (find providers, open a
//! lease, close it, rate the provider, settle its overdue leases). The miner's flow is
//! in [`crate::miner`].

use gpunion_interface::endorsement::RecommendRequest;
use gpunion_interface::job::HexBinary;
use gpunion_interface::market::check::{AssignedCheck, Check, Verdict};
use gpunion_interface::market::{
    Lease, LeaseResponse, LeaseResult, LeaseState, OpenLease, ProviderAttributes, ProviderFilter,
    ProviderResponse, Workload, lease_cost,
};

use crate::contracts::{endorsement::Endorsement, gut::Gut, market::Market};
use crate::error::{Error, Result};
use crate::keeper::{Settled, Settler};
use crate::tx::{Signer, TxOutcome};

/// A provider's side of the market, for one signer.
#[derive(Debug, Clone)]
pub struct ProviderAgent {
    signer: Signer,
    market: Market,
    gut: Gut,
}

impl ProviderAgent {
    /// The provider signing with `signer`.
    pub fn new(signer: Signer, market: Market, gut: Gut) -> Self {
        Self {
            signer,
            market,
            gut,
        }
    }

    /// The provider's address.
    pub fn address(&self) -> &str {
        self.signer.address()
    }

    /// The provider's record, if registered.
    pub async fn record(&self) -> Result<Option<ProviderResponse>> {
        self.market.provider_unverified(self.address()).await
    }

    /// Registers with `stake` ugut and `attributes`.
    pub async fn register(&self, stake: u128, attributes: ProviderAttributes) -> Result<TxOutcome> {
        self.market
            .register(&self.signer, &self.gut, stake, attributes)
            .await
    }

    /// Sends a heartbeat.
    pub async fn heartbeat(&self) -> Result<TxOutcome> {
        self.market.heartbeat(&self.signer).await
    }

    /// Leases waiting for this provider to accept (all pages, proven complete).
    pub async fn pending_leases(&self) -> Result<Vec<Lease>> {
        Ok(self
            .leases_after(None)
            .await?
            .into_iter()
            .filter(|l| l.state == LeaseState::Pending)
            .collect())
    }

    /// Accepts a pending lease.
    pub async fn accept(&self, lease_id: u64) -> Result<TxOutcome> {
        self.market.accept_lease(&self.signer, lease_id).await
    }

    /// Declines a pending lease (the customer is refunded in full), giving `reason`.
    pub async fn reject(&self, lease_id: u64, reason: &str) -> Result<TxOutcome> {
        self.market
            .reject_lease(&self.signer, lease_id, reason)
            .await
    }

    /// A lease with what it has earned, if it exists (verified, see
    /// [`Market::lease_now`]).
    pub async fn lease(&self, lease_id: u64) -> Result<Option<LeaseResponse>> {
        self.market.lease_now(lease_id).await
    }

    /// This provider's leases with ids above `start_after` (all of them for `None`), in
    /// id order, proven complete.
    pub async fn leases_after(&self, start_after: Option<u64>) -> Result<Vec<Lease>> {
        self.market
            .all_leases_by_provider(self.address(), start_after)
            .await
    }

    /// Withdraws what the lease has earned so far; `None` when nothing is withdrawable.
    pub async fn withdraw(&self, lease_id: u64) -> Result<Option<TxOutcome>> {
        let lease = self
            .market
            .lease_now(lease_id)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("lease {lease_id}"),
            })?;
        if lease.withdrawable.is_zero() {
            return Ok(None);
        }
        self.market.withdraw(&self.signer, lease_id).await.map(Some)
    }

    /// Changes the price of one GPU-hour to `price_per_hour` ugut, keeping the other
    /// attributes as the market holds them; the contract checks the price's bounds.
    pub async fn set_price(&self, price_per_hour: u128) -> Result<TxOutcome> {
        if price_per_hour == 0 {
            return Err(Error::BadInput("a price of 0 ugut per hour".into()));
        }
        let record = self.record().await?.ok_or_else(|| Error::NotFound {
            what: format!("provider {}", self.address()),
        })?;
        let mut attributes = record.provider.attributes;
        attributes.price_per_hour = price_per_hour.into();
        self.market.update_provider(&self.signer, attributes).await
    }

    /// Posts the result (its CID, and optionally the output hash and a deterministic
    /// job's trace root), with a heartbeat in the same transaction: the time served
    /// until now is credited before the customer, seeing the result, can close the
    /// lease.
    pub async fn post_result(&self, lease_id: u64, result: LeaseResult) -> Result<TxOutcome> {
        self.market
            .heartbeat_and_post_result(&self.signer, lease_id, result)
            .await
    }

    /// Closes a lease (settles and refunds the rest).
    pub async fn close(&self, lease_id: u64) -> Result<TxOutcome> {
        self.market.close_lease(&self.signer, lease_id).await
    }

    /// Joins the check pool, unless already in it: this provider may then be drawn to
    /// check other providers' results. Returns whether it joined now.
    pub async fn join_check_pool(&self) -> Result<bool> {
        let record = self.record().await?.ok_or_else(|| Error::NotFound {
            what: format!("provider {}", self.address()),
        })?;
        if record.provider.in_check_pool {
            return Ok(false);
        }
        self.market.join_check_pool(&self.signer).await?;
        Ok(true)
    }

    /// The checks this provider must answer now.
    pub async fn checks_assigned(&self) -> Result<Vec<AssignedCheck>> {
        self.market.checks_assigned(self.address()).await
    }

    /// Answers a check this provider was drawn for: as checker, its root and trace;
    /// as referee, its verdict.
    pub async fn answer_check(&self, lease_id: u64, answer: CheckReply) -> Result<TxOutcome> {
        match answer {
            CheckReply::Trace { root, trace_cid } => {
                self.market
                    .post_check(&self.signer, lease_id, root, &trace_cid)
                    .await
            }
            CheckReply::Verdict(verdict) => {
                self.market
                    .post_verdict(&self.signer, lease_id, verdict)
                    .await
            }
        }
    }
}

/// What a drawn provider answers a check with.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckReply {
    /// A checker's re-run: its trace's root and the CID of the folder holding its
    /// `trace.json`.
    Trace { root: HexBinary, trace_cid: String },
    /// A referee's verdict.
    Verdict(Verdict),
}

/// A customer's side of the market, for one signer.
#[derive(Debug, Clone)]
pub struct Customer {
    signer: Signer,
    market: Market,
    gut: Gut,
    endorsement: Option<Endorsement>,
}

impl Customer {
    /// The customer signing with `signer`; `endorsement` for ratings and
    /// recommendations.
    pub fn new(signer: Signer, market: Market, gut: Gut, endorsement: Option<Endorsement>) -> Self {
        Self {
            signer,
            market,
            gut,
            endorsement,
        }
    }

    /// The customer's address.
    pub fn address(&self) -> &str {
        self.signer.address()
    }

    fn endorsement(&self) -> Result<&Endorsement> {
        self.endorsement
            .as_ref()
            .ok_or_else(|| Error::bad_input("no endorsement contract given"))
    }

    /// Providers matching `filter`, cheapest first.
    pub async fn find_providers(&self, filter: ProviderFilter) -> Result<Vec<ProviderResponse>> {
        let mut found = self.market.all_providers(Some(filter)).await?;
        found.sort_by_key(|p| p.provider.attributes.price_per_hour);
        Ok(found)
    }

    /// The endorsement contract's ranking for a request.
    pub async fn recommend(
        &self,
        request: RecommendRequest,
    ) -> Result<Vec<gpunion_interface::endorsement::Recommendation>> {
        Ok(self
            .endorsement()?
            .recommend(request)
            .await?
            .recommendations)
    }

    /// Opens a lease on `provider` starting now, depositing exactly what
    /// `duration_seconds` costs at the provider's current price (refused if that price
    /// is above `max_price_per_hour`). Returns the lease id.
    pub async fn open_lease(
        &self,
        provider: &str,
        duration_seconds: u64,
        workload: Workload,
        max_price_per_hour: u128,
    ) -> Result<(u64, TxOutcome)> {
        self.book_lease(
            provider,
            None,
            duration_seconds,
            workload,
            max_price_per_hour,
        )
        .await
    }

    /// Books a lease on `provider` from `start` (unix seconds; `None`: now), depositing
    /// exactly what `duration_seconds` costs at the provider's current price (refused if
    /// that price is above `max_price_per_hour`). A future start reserves the provider:
    /// it keeps mining until then. Returns the lease id.
    pub async fn book_lease(
        &self,
        provider: &str,
        start: Option<u64>,
        duration_seconds: u64,
        workload: Workload,
        max_price_per_hour: u128,
    ) -> Result<(u64, TxOutcome)> {
        let price = self
            .market
            .provider(provider)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("provider {provider}"),
            })?
            .attributes
            .price_per_hour
            .u128();
        if price > max_price_per_hour {
            return Err(Error::bad_input(format!(
                "provider {provider} asks {price} ugut/h, more than {max_price_per_hour}"
            )));
        }
        let deposit = lease_cost(price.into(), duration_seconds)
            .map_err(|e| Error::bad_input(format!("lease cost: {e}")))?
            .u128();
        self.market
            .open_lease(
                &self.signer,
                &self.gut,
                deposit,
                OpenLease {
                    provider: provider.to_string(),
                    slot: None,
                    start,
                    duration_seconds,
                    workload,
                    max_price_per_hour: max_price_per_hour.into(),
                    check: false,
                },
            )
            .await
    }

    /// Closes a lease: the provider is paid what was earned, the rest refunded.
    pub async fn close(&self, lease_id: u64) -> Result<TxOutcome> {
        self.market.close_lease(&self.signer, lease_id).await
    }

    /// Lengthens an open lease by `extra_seconds`, paying exactly what they cost at the
    /// lease's own price.
    pub async fn extend(&self, lease_id: u64, extra_seconds: u64) -> Result<TxOutcome> {
        let lease = self
            .market
            .lease(lease_id)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("lease {lease_id}"),
            })?;
        let cost = lease_cost(lease.price_per_hour, extra_seconds)
            .map_err(|e| Error::bad_input(format!("extension cost: {e}")))?
            .u128();
        self.market
            .extend_lease(&self.signer, &self.gut, lease_id, extra_seconds, cost)
            .await
    }

    /// A provider's record with its status, if registered.
    pub async fn provider(&self, address: &str) -> Result<Option<ProviderResponse>> {
        self.market.provider_unverified(address).await
    }

    /// Has lease `lease_id`'s result checked by another provider, paying the market's
    /// check fee (read from its verified configuration).
    pub async fn request_check(&self, lease_id: u64) -> Result<TxOutcome> {
        let fee = self.market.config().await?.params.check_fee.u128();
        self.market
            .request_check(&self.signer, &self.gut, lease_id, fee)
            .await
    }

    /// Times out the assignee of lease `lease_id`'s check once its deadline passed: the
    /// market draws another, or ends the check Void and returns the fee.
    pub async fn timeout_check(&self, lease_id: u64) -> Result<TxOutcome> {
        self.market.timeout_check(&self.signer, lease_id).await
    }

    /// Lease `lease_id`'s check, if it has one (verified).
    pub async fn check(&self, lease_id: u64) -> Result<Option<Check>> {
        self.market.check(lease_id).await
    }

    /// The market this customer leases on.
    pub fn market(&self) -> &Market {
        &self.market
    }

    /// A lease with what it has earned, if it exists (verified, see
    /// [`Market::lease_now`]).
    pub async fn lease(&self, lease_id: u64) -> Result<Option<LeaseResponse>> {
        self.market.lease_now(lease_id).await
    }

    /// Makes this customer's next verified reads at least as new as the chain's tip
    /// now: after another party's transaction (the provider closing a lease), which
    /// reads otherwise see only once a newer header is fetched.
    pub async fn catch_up(&self) -> Result<()> {
        self.signer.rpc().catch_up().await.map(|_| ())
    }

    /// Why the provider rejected lease `lease_id`, if it did and said.
    pub async fn rejection_reason(&self, lease_id: u64) -> Result<Option<String>> {
        self.market
            .rejection_reason(self.signer.rpc(), lease_id)
            .await
    }

    /// Settles every one of the customer's leases that is overdue at the chain's time:
    /// Pending past its accept deadline (refunded in full), or Active with the
    /// provider's heartbeat lapsed under the lease's grace (expired: refunded what was
    /// not served, and paid a slash of the provider's stake if service was due). Sends
    /// a transaction only for those; returns what it did, empty when nothing was
    /// overdue. Reads the customer's whole lease list (proven complete) and each
    /// provider's record (an unverified smart query: the contract re-checks every
    /// condition, see [`crate::keeper`]).
    pub async fn settle_overdue(&self) -> Result<Vec<Settled>> {
        let settler = self.settler();
        let at = settler.chain_time().await?;
        let mut settled = Vec::new();
        let leases = self
            .market
            .all_leases_by_customer(self.address(), None)
            .await?;
        for lease in leases.iter().filter(|l| !l.state.is_final()) {
            let provider = settler.provider(lease.provider.as_str()).await?;
            settled.extend(settler.settle_if_overdue(lease, &provider, at).await?);
        }
        Ok(settled)
    }

    /// Settles lease `lease_id` if it is overdue at the chain's time (see
    /// [`Customer::settle_overdue`]); `None`: it is not (or already final).
    pub async fn settle_if_overdue(&self, lease_id: u64) -> Result<Option<Settled>> {
        let settler = self.settler();
        // The time before the records, as the contract will see them no earlier.
        let at = settler.chain_time().await?;
        let lease = self
            .lease(lease_id)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("lease {lease_id}"),
            })?
            .lease;
        if lease.state.is_final() {
            return Ok(None);
        }
        let provider = settler.provider(lease.provider.as_str()).await?;
        settler.settle_if_overdue(&lease, &provider, at).await
    }

    fn settler(&self) -> Settler {
        Settler::new(self.signer.clone(), self.market.clone())
    }

    /// Rates the provider of a finished lease, 1 to 5.
    pub async fn rate(
        &self,
        lease_id: u64,
        score: u8,
        comment_cid: Option<String>,
    ) -> Result<TxOutcome> {
        if !(1..=5).contains(&score) {
            return Err(Error::bad_input(format!("score {score} is not 1..=5")));
        }
        self.endorsement()?
            .rate(&self.signer, lease_id, score, comment_cid)
            .await
    }
}

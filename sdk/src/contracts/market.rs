//! The market: provider registry, leases, escrow and settlement; checked results in
//! `market/checks.rs`.

mod checks;

use gpunion_interface::market::{
    Config, ConfigResponse, EscrowTotals, ExecuteMsg, Lease, LeaseResponse, LeaseResult,
    LeasesResponse, OpenLease, Provider, ProviderAttributes, ProviderFilter, ProviderResponse,
    ProvidersResponse, QueryMsg, ReceiveMsg, page, storage,
};

use crate::contracts::gut::Gut;
use crate::contracts::{Contract, execute_msg};
use crate::error::{Error, Result};
use crate::keys::parse_address;
use crate::light::StateAt;
use crate::rpc::Rpc;
use crate::storage::map_key;
use crate::tx::{Signer, TxOutcome};

/// Longest rejection reason kept in a memo (the chain's default memo limit is 256).
pub const MAX_REASON_LEN: usize = 200;

/// The market contract at one address.
#[derive(Debug, Clone)]
pub struct Market {
    contract: Contract,
}

impl Market {
    /// The market reached through `contract` (see [`crate::Chain`]).
    pub fn new(contract: Contract) -> Self {
        Self { contract }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// Owner, token, treasury, parameters and the next lease id, proven against a
    /// verified header (the stored configuration and counter at one height).
    pub async fn config(&self) -> Result<ConfigResponse> {
        let what = "market config";
        let state = self.contract.state(what).await?;
        let config: Config = self.contract.item_at(&state, storage::CONFIG, what).await?;
        let next_lease_id = self
            .contract
            .item_at(&state, storage::NEXT_LEASE_ID, what)
            .await?;
        Ok(config.response(next_lease_id))
    }

    /// [`Market::config`] as the node answers a smart query: **not verified**.
    pub async fn config_unverified(&self) -> Result<ConfigResponse> {
        self.contract.query_unverified(&QueryMsg::Config {}).await
    }

    /// A provider's stored record (stake, price, heartbeats), proven against a verified
    /// header; `None`: proven not registered.
    pub async fn provider(&self, address: &str) -> Result<Option<Provider>> {
        parse_address(address, None)?;
        let key = map_key(storage::PROVIDERS, &[address.as_bytes()]);
        Ok(self
            .contract
            .load_verified(&key, &format!("provider {address}"))
            .await?
            .value)
    }

    /// One provider with its status as computed by the contract (`None`: not
    /// registered): smart query, **not verified**.
    pub async fn provider_unverified(&self, address: &str) -> Result<Option<ProviderResponse>> {
        self.contract
            .query_unverified(&QueryMsg::Provider {
                address: address.to_string(),
            })
            .await
    }

    /// One page of providers matching `filter`.
    pub async fn providers(
        &self,
        filter: Option<ProviderFilter>,
        start_after: Option<String>,
        limit: Option<u32>,
    ) -> Result<ProvidersResponse> {
        self.contract
            .query_unverified(&QueryMsg::Providers {
                filter,
                start_after,
                limit,
            })
            .await
    }

    /// Every provider matching `filter`, following the pages to the end.
    pub async fn all_providers(
        &self,
        filter: Option<ProviderFilter>,
    ) -> Result<Vec<ProviderResponse>> {
        let mut all = Vec::new();
        let mut start_after = None;
        loop {
            let page = self
                .providers(filter.clone(), start_after, Some(30))
                .await?;
            all.extend(page.providers);
            match page.next_start_after {
                Some(next) => start_after = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// A lease's stored record (parties, window, deposit, paid so far), proven against a
    /// verified header; `None`: proven absent.
    pub async fn lease(&self, id: u64) -> Result<Option<Lease>> {
        let key = map_key(storage::LEASES, &[&id.to_be_bytes()]);
        Ok(self
            .contract
            .load_verified(&key, &format!("lease {id}"))
            .await?
            .value)
    }

    /// One lease with what it has earned and what its provider could withdraw, at the
    /// block time of a verified state (`None`: proven absent): the lease and its
    /// provider's record are proven at one height and combined with the contract's own
    /// rule ([`LeaseResponse::at`]).
    pub async fn lease_now(&self, id: u64) -> Result<Option<LeaseResponse>> {
        let what = format!("lease {id}");
        let state = self.contract.state(&what).await?;
        let Some(lease) = self.lease_at(&state, id).await? else {
            return Ok(None);
        };
        if lease.state.is_final() {
            // What it paid: neither the provider's record nor the time is needed.
            return Ok(Some(LeaseResponse::at(lease, 0, 0)));
        }
        let key = map_key(storage::PROVIDERS, &[lease.provider.as_bytes()]);
        let provider: Provider = self
            .contract
            .load_at(&state, &key, &format!("provider of lease {id}"))
            .await?
            .ok_or_else(|| Error::decode(&what, "its provider is not stored"))?;
        let now = self.contract.block_time(&state, &what).await?;
        Ok(Some(LeaseResponse::at(lease, provider.last_heartbeat, now)))
    }

    /// Lease `id`'s stored record and the block time, both proven at one verified state
    /// (`None`: proven absent): what a provider checks before it serves a lease's customer.
    pub async fn lease_and_time(&self, id: u64) -> Result<Option<(Lease, u64)>> {
        let what = format!("lease {id}");
        let state = self.contract.state(&what).await?;
        let Some(lease) = self.lease_at(&state, id).await? else {
            return Ok(None);
        };
        let now = self.contract.block_time(&state, &what).await?;
        Ok(Some((lease, now)))
    }

    /// Lease `id`'s stored record in `state`, proven.
    async fn lease_at(&self, state: &StateAt, id: u64) -> Result<Option<Lease>> {
        let key = map_key(storage::LEASES, &[&id.to_be_bytes()]);
        self.contract
            .load_at(state, &key, &format!("lease {id}"))
            .await
    }

    /// One lease, with what it has earned and what could be withdrawn now as computed by
    /// the contract (`None`: no such lease): smart query, **not verified**.
    pub async fn lease_unverified(&self, id: u64) -> Result<Option<LeaseResponse>> {
        self.contract
            .query_unverified(&QueryMsg::Lease { id })
            .await
    }

    /// A customer's leases in id order, after `start_after`, at most `limit` (10 by
    /// default, 30 at most, as the contract pages), proven complete: the customer's index
    /// entries are walked with proofs that no entry was left out, and each lease is
    /// proven at the same height.
    pub async fn leases_by_customer(
        &self,
        customer: &str,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> Result<LeasesResponse> {
        self.leases_in(
            storage::LEASES_BY_CUSTOMER,
            customer,
            start_after,
            page(limit),
        )
        .await
    }

    /// A provider's leases, proven complete like [`Market::leases_by_customer`].
    pub async fn leases_by_provider(
        &self,
        provider: &str,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> Result<LeasesResponse> {
        self.leases_in(
            storage::LEASES_BY_PROVIDER,
            provider,
            start_after,
            page(limit),
        )
        .await
    }

    /// Every lease of `customer` with an id above `start_after`, in id order, proven
    /// complete at one height (no paging: the walk goes to the end of the index).
    pub async fn all_leases_by_customer(
        &self,
        customer: &str,
        start_after: Option<u64>,
    ) -> Result<Vec<Lease>> {
        let all = self
            .leases_in(
                storage::LEASES_BY_CUSTOMER,
                customer,
                start_after,
                usize::MAX,
            )
            .await?;
        Ok(all.leases)
    }

    /// Every lease of `provider` with an id above `start_after`, like
    /// [`Market::all_leases_by_customer`].
    pub async fn all_leases_by_provider(
        &self,
        provider: &str,
        start_after: Option<u64>,
    ) -> Result<Vec<Lease>> {
        let all = self
            .leases_in(
                storage::LEASES_BY_PROVIDER,
                provider,
                start_after,
                usize::MAX,
            )
            .await?;
        Ok(all.leases)
    }

    /// Up to `limit` leases of `owner` in the index `index` (by customer or by
    /// provider).
    async fn leases_in(
        &self,
        index: &str,
        owner: &str,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<LeasesResponse> {
        parse_address(owner, None)?;
        let what = format!("leases of {owner}");
        let state = self.contract.state(&what).await?;
        // (owner, id) keys: the owner length-prefixed, then the id's 8 bytes.
        let prefix = map_key(index, &[owner.as_bytes(), &[]]);
        let after = start_after.map(u64::to_be_bytes);
        let entries: Vec<(Vec<u8>, ())> = self
            .contract
            .entries_at(
                &state,
                &prefix,
                after.as_ref().map(|a| a.as_slice()),
                limit,
                &what,
            )
            .await?;
        let mut leases = Vec::with_capacity(entries.len());
        for (rest, ()) in entries {
            let id = <[u8; 8]>::try_from(rest.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|_| Error::decode(&what, "an index key is not a lease id"))?;
            let lease = self.lease_at(&state, id).await?.ok_or_else(|| {
                Error::decode(&what, format!("lease {id} is indexed but not stored"))
            })?;
            leases.push(lease);
        }
        Ok(LeasesResponse { leases })
    }

    /// A customer's leases as the node answers a smart query: **not verified**.
    pub async fn leases_by_customer_unverified(
        &self,
        customer: &str,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> Result<LeasesResponse> {
        self.contract
            .query_unverified(&QueryMsg::LeasesByCustomer {
                customer: customer.to_string(),
                start_after,
                limit,
            })
            .await
    }

    /// A provider's leases as the node answers a smart query: **not verified**.
    pub async fn leases_by_provider_unverified(
        &self,
        provider: &str,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> Result<LeasesResponse> {
        self.contract
            .query_unverified(&QueryMsg::LeasesByProvider {
                provider: provider.to_string(),
                start_after,
                limit,
            })
            .await
    }

    /// Escrow of open leases and provider stakes, proven against a verified header.
    pub async fn escrow_totals(&self) -> Result<EscrowTotals> {
        self.contract
            .item(storage::TOTALS, "market escrow totals")
            .await
    }

    /// [`Market::escrow_totals`] as the node answers a smart query: **not verified**.
    pub async fn escrow_totals_unverified(&self) -> Result<EscrowTotals> {
        self.contract
            .query_unverified(&QueryMsg::EscrowTotals {})
            .await
    }

    /// Provider: registers with `stake` ugut of GUT (sent with a CW20 `Send`).
    pub async fn register(
        &self,
        signer: &Signer,
        gut: &Gut,
        stake: u128,
        attributes: ProviderAttributes,
    ) -> Result<TxOutcome> {
        gut.send(
            signer,
            self.contract.address(),
            stake,
            &ReceiveMsg::Register { attributes },
        )
        .await
    }

    /// Provider: adds `amount` to its stake.
    pub async fn top_up_stake(
        &self,
        signer: &Signer,
        gut: &Gut,
        amount: u128,
    ) -> Result<TxOutcome> {
        gut.send(
            signer,
            self.contract.address(),
            amount,
            &ReceiveMsg::TopUpStake {},
        )
        .await
    }

    /// Customer: opens a lease with `deposit` ugut; returns the lease id and the transaction.
    pub async fn open_lease(
        &self,
        signer: &Signer,
        gut: &Gut,
        deposit: u128,
        lease: OpenLease,
    ) -> Result<(u64, TxOutcome)> {
        let tx = gut
            .send(
                signer,
                self.contract.address(),
                deposit,
                &ReceiveMsg::OpenLease(lease),
            )
            .await?;
        let id = tx
            .attribute("wasm", "lease_id")
            .ok_or_else(|| Error::decode("open_lease events", "no lease_id"))?
            .parse()
            .map_err(|e| Error::decode("lease_id", e))?;
        Ok((id, tx))
    }

    /// Customer: pays `amount` to lengthen a lease by `extra_seconds`.
    pub async fn extend_lease(
        &self,
        signer: &Signer,
        gut: &Gut,
        lease_id: u64,
        extra_seconds: u64,
        amount: u128,
    ) -> Result<TxOutcome> {
        gut.send(
            signer,
            self.contract.address(),
            amount,
            &ReceiveMsg::ExtendLease {
                lease_id,
                extra_seconds,
            },
        )
        .await
    }

    /// Provider: replaces its declared attributes.
    pub async fn update_provider(
        &self,
        signer: &Signer,
        attributes: ProviderAttributes,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::UpdateProvider { attributes })
            .await
    }

    /// Miner: consents to `provider` naming this account as its `mining_address` (the
    /// mining record that vouches for its hashrate); needed before the provider registers
    /// or updates with it. Consenting to another provider unlinks the last.
    pub async fn consent_mining_link(&self, miner: &Signer, provider: &str) -> Result<TxOutcome> {
        parse_address(provider, None)?;
        self.contract
            .execute(
                miner,
                &ExecuteMsg::ConsentMiningLink {
                    provider: provider.to_string(),
                },
            )
            .await
    }

    /// Provider: proves liveness.
    pub async fn heartbeat(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::Heartbeat {})
            .await
    }

    /// Provider: takes no new leases.
    pub async fn pause(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract.execute(signer, &ExecuteMsg::Pause {}).await
    }

    /// Provider: takes leases again.
    pub async fn resume(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract.execute(signer, &ExecuteMsg::Resume {}).await
    }

    /// Provider without open leases: starts unbonding.
    pub async fn leave(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract.execute(signer, &ExecuteMsg::Leave {}).await
    }

    /// Provider after unbonding: takes the stake back.
    pub async fn claim_stake(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::ClaimStake {})
            .await
    }

    /// Provider: accepts a pending lease.
    pub async fn accept_lease(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::AcceptLease { lease_id })
            .await
    }

    /// Provider: declines a pending lease (full refund), saying why in the memo (cut to
    /// [`MAX_REASON_LEN`] bytes), where [`Market::rejection_reason`] finds it.
    pub async fn reject_lease(
        &self,
        signer: &Signer,
        lease_id: u64,
        reason: &str,
    ) -> Result<TxOutcome> {
        let mut end = reason.len().min(MAX_REASON_LEN);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        self.contract
            .execute_with_memo(
                signer,
                &ExecuteMsg::RejectLease { lease_id },
                &reason[..end],
            )
            .await
    }

    /// The reason the provider gave for rejecting lease `lease_id` (the memo of its
    /// `RejectLease` transaction), if it was rejected and gave one.
    pub async fn rejection_reason(&self, rpc: &Rpc, lease_id: u64) -> Result<Option<String>> {
        let query = format!(
            "wasm._contract_address='{}' AND wasm.action='reject_lease' AND wasm.lease_id='{lease_id}'",
            self.address()
        );
        Ok(rpc
            .tx_memos(&query)
            .await?
            .into_iter()
            .find(|memo| !memo.is_empty()))
    }

    /// Anyone: refunds a lease not accepted in time.
    pub async fn reclaim_lapsed(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::ReclaimLapsed { lease_id })
            .await
    }

    /// Provider: receives what the lease has earned so far.
    pub async fn withdraw(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::Withdraw { lease_id })
            .await
    }

    /// Provider: posts the lease's result.
    pub async fn post_result(
        &self,
        signer: &Signer,
        lease_id: u64,
        result: LeaseResult,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::PostResult { lease_id, result })
            .await
    }

    /// Provider: a heartbeat and the lease's result in one transaction, so the time
    /// served until the result is credited before the customer, seeing the result, can
    /// close the lease.
    pub async fn heartbeat_and_post_result(
        &self,
        signer: &Signer,
        lease_id: u64,
        result: LeaseResult,
    ) -> Result<TxOutcome> {
        let msgs = [
            ExecuteMsg::Heartbeat {},
            ExecuteMsg::PostResult { lease_id, result },
        ]
        .iter()
        .map(|msg| execute_msg(signer.address(), self.address(), msg))
        .collect::<Result<Vec<_>>>()?;
        signer.send(msgs, "").await
    }

    /// Customer or provider: settles and refunds the rest; a lease whose provider's
    /// heartbeat lapsed under the lease's grace settles as an expiry.
    pub async fn close_lease(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::CloseLease { lease_id })
            .await
    }

    /// Anyone, once the provider's heartbeat lapsed under the lease's grace (time and
    /// blocks): settles and refunds, and slashes if service that was due was not given.
    pub async fn expire_lease(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::ExpireLease { lease_id })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cw_storage_plus::Map;

    #[test]
    fn record_keys_are_cw_storage_plus_map_keys() {
        // The market declares its maps with the same `storage` namespaces.
        let provider = "wasm1d8jtjdmal7x6n5weg6zczagfs5ckkzsrc37sp3";
        let providers: Map<&cosmwasm_std::Addr, Provider> = Map::new(storage::PROVIDERS);
        let leases: Map<u64, Lease> = Map::new(storage::LEASES);
        assert_eq!(
            map_key(storage::PROVIDERS, &[provider.as_bytes()]),
            providers
                .key(&cosmwasm_std::Addr::unchecked(provider))
                .to_vec()
        );
        assert_eq!(
            map_key(storage::LEASES, &[&42u64.to_be_bytes()]),
            leases.key(42).to_vec()
        );
    }
}

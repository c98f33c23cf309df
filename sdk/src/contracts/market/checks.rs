//! Checked results (`gpunion_interface::market::check`): a customer's request, the
//! check pool, a checker's and a referee's answers, timeouts, and the reads they need.

use gpunion_interface::job::HexBinary;
use gpunion_interface::market::check::{AssignedCheck, Check, ChecksResponse, Verdict};
use gpunion_interface::market::{ExecuteMsg, QueryMsg, ReceiveMsg, page, storage};

use super::Market;
use crate::contracts::gut::Gut;
use crate::error::Result;
use crate::storage::map_key;
use crate::tx::{Signer, TxOutcome};

impl Market {
    /// Lease `lease_id`'s check, proven against a verified header (`None`: proven
    /// absent).
    pub async fn check(&self, lease_id: u64) -> Result<Option<Check>> {
        let key = map_key(storage::CHECKS, &[&lease_id.to_be_bytes()]);
        Ok(self
            .contract
            .load_verified(&key, &format!("check of lease {lease_id}"))
            .await?
            .value)
    }

    /// The open checks `address` must answer now, with what it needs to run them (all
    /// pages): smart query, **not verified** (an assignee answers on chain, where the
    /// market checks it was drawn).
    pub async fn checks_assigned(&self, address: &str) -> Result<Vec<AssignedCheck>> {
        let mut all = Vec::new();
        let mut start_after = None;
        loop {
            let response: ChecksResponse = self
                .contract
                .query_unverified(&QueryMsg::ChecksAssigned {
                    address: address.to_string(),
                    start_after,
                    limit: None,
                })
                .await?;
            let full = response.checks.len() == page(None);
            start_after = response.checks.last().map(|c| c.check.lease_id);
            all.extend(response.checks);
            if !full {
                return Ok(all);
            }
        }
    }

    /// Customer: pays `fee` (the market's `check_fee`) for a check of lease `lease_id`.
    pub async fn request_check(
        &self,
        signer: &Signer,
        gut: &Gut,
        lease_id: u64,
        fee: u128,
    ) -> Result<TxOutcome> {
        gut.send(
            signer,
            self.contract.address(),
            fee,
            &ReceiveMsg::RequestCheck { lease_id },
        )
        .await
    }

    /// Customer: takes back the fee of a check still waiting for the result.
    pub async fn cancel_check(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::CancelCheck { lease_id })
            .await
    }

    /// Provider: be drawn as a checker or referee.
    pub async fn join_check_pool(&self, signer: &Signer) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::JoinCheckPool {})
            .await
    }

    /// The drawn checker: its trace's root, and the CID of the folder holding its
    /// `trace.json`.
    pub async fn post_check(
        &self,
        signer: &Signer,
        lease_id: u64,
        root: HexBinary,
        trace_cid: &str,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(
                signer,
                &ExecuteMsg::PostCheck {
                    lease_id,
                    root,
                    trace_cid: trace_cid.to_string(),
                },
            )
            .await
    }

    /// The drawn referee: its verdict.
    pub async fn post_verdict(
        &self,
        signer: &Signer,
        lease_id: u64,
        verdict: Verdict,
    ) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::PostVerdict { lease_id, verdict })
            .await
    }

    /// Anyone, once the assignee's deadline has passed: draw another.
    pub async fn timeout_check(&self, signer: &Signer, lease_id: u64) -> Result<TxOutcome> {
        self.contract
            .execute(signer, &ExecuteMsg::TimeoutCheck { lease_id })
            .await
    }
}

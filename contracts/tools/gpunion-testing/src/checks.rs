//! Checked results on the suite: the check pool, requests, answers, verdicts, and the
//! dispatch traces they compare.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw_multi_test::AppResponse;
use gpunion_interface::market::check::{Check, CheckPoolResponse, ChecksResponse, Verdict};
use gpunion_interface::market::{ExecuteMsg, LeaseResult, QueryMsg, ReceiveMsg, lease_cost};
use gpunion_interface::trace::Trace;

use crate::market::{CID_A, CID_B, default_params};
use crate::suite::Suite;

/// A job's honest trace of `len` dispatches (`seed` tells jobs apart).
pub fn honest_trace(seed: u8, len: u8) -> Trace {
    Trace::new((0..len).map(|i| [seed.wrapping_mul(31).wrapping_add(i); 32]))
}

/// `trace` with every state from dispatch `from` on changed: a run that went wrong
/// there (or a made-up one).
pub fn lie_from(trace: &Trace, from: usize) -> Trace {
    let mut states = trace.hashes().expect("hashes");
    for state in states.iter_mut().skip(from) {
        state[0] ^= 0xff;
    }
    Trace::new(states)
}

/// An honest referee's verdict on `provider`'s and `checker`'s traces of a job whose
/// honest trace is `honest`: its state at the first dispatch where they differ, with
/// each side's state there proven.
pub fn dispatch_verdict(provider: &Trace, checker: &Trace, honest: &Trace) -> Verdict {
    let index = provider
        .first_difference(checker)
        .expect("the traces differ");
    Verdict::Dispatch {
        index,
        state: honest.states[index as usize].clone(),
        provider: provider.proof(index).expect("proof"),
        checker: checker.proof(index).expect("proof"),
    }
}

/// A trace's root as the market takes it.
pub fn root(trace: &Trace) -> HexBinary {
    trace.root_binary().expect("hashes")
}

impl Suite {
    pub fn join_pool(&mut self, provider: &Addr) -> AnyResult<AppResponse> {
        self.execute(provider, &ExecuteMsg::JoinCheckPool {})
    }

    /// Funds `customer` with the check fee and requests a check of lease `id`.
    pub fn request_check(&mut self, customer: &Addr, id: u64) -> AnyResult<AppResponse> {
        let fee = default_params().check_fee.u128();
        self.fund(customer, fee);
        self.send(customer, fee, &ReceiveMsg::RequestCheck { lease_id: id })
    }

    /// Opens a lease on `provider` with a check requested at once (funding `customer`
    /// with both), and has it accepted.
    pub fn checked_lease(
        &mut self,
        customer: &Addr,
        provider: &Addr,
        price: u128,
        duration: u64,
    ) -> u64 {
        let mut request = self.lease_request(provider, duration, price);
        request.check = true;
        let cost = lease_cost(Uint128::new(price), duration)
            .expect("the cost fits")
            .u128()
            + default_params().check_fee.u128();
        self.fund(customer, cost);
        let id = self
            .open_lease(customer, cost, request)
            .expect("lease opens");
        self.accept(provider, id).expect("provider accepts");
        id
    }

    /// The provider posts a result whose trace is `trace`.
    pub fn post_traced_result(
        &mut self,
        provider: &Addr,
        id: u64,
        trace: &Trace,
    ) -> AnyResult<AppResponse> {
        self.execute(
            provider,
            &ExecuteMsg::PostResult {
                lease_id: id,
                result: LeaseResult {
                    cid: CID_B.into(),
                    output_hash: None,
                    trace_root: Some(root(trace)),
                },
            },
        )
    }

    /// `checker` answers lease `id`'s check with `trace`.
    pub fn post_check(&mut self, checker: &Addr, id: u64, trace: &Trace) -> AnyResult<AppResponse> {
        self.execute(
            checker,
            &ExecuteMsg::PostCheck {
                lease_id: id,
                root: root(trace),
                trace_cid: CID_A.into(),
            },
        )
    }

    pub fn post_verdict(
        &mut self,
        referee: &Addr,
        id: u64,
        verdict: Verdict,
    ) -> AnyResult<AppResponse> {
        self.execute(
            referee,
            &ExecuteMsg::PostVerdict {
                lease_id: id,
                verdict,
            },
        )
    }

    pub fn timeout_check(&mut self, sender: &Addr, id: u64) -> AnyResult<AppResponse> {
        self.execute(sender, &ExecuteMsg::TimeoutCheck { lease_id: id })
    }

    pub fn cancel_check(&mut self, customer: &Addr, id: u64) -> AnyResult<AppResponse> {
        self.execute(customer, &ExecuteMsg::CancelCheck { lease_id: id })
    }

    /// Lease `id`'s check, which must exist.
    pub fn get_check(&self, id: u64) -> Check {
        self.find_check(id)
            .unwrap_or_else(|| panic!("lease {id} has no check"))
    }

    /// Lease `id`'s check, if it has one.
    pub fn find_check(&self, id: u64) -> Option<Check> {
        self.query(&QueryMsg::Check { lease_id: id })
    }

    /// Who must answer lease `id`'s check now.
    pub fn assignee(&self, id: u64) -> Addr {
        self.get_check(id)
            .assignee
            .unwrap_or_else(|| panic!("lease {id}'s check waits for nobody"))
            .address
    }

    /// The open checks `address` must answer.
    pub fn get_assigned(&self, address: &Addr) -> ChecksResponse {
        self.query(&QueryMsg::ChecksAssigned {
            address: address.to_string(),
            start_after: None,
            limit: None,
        })
    }

    pub fn get_pool_size(&self) -> u32 {
        self.query::<CheckPoolResponse>(&QueryMsg::CheckPool {})
            .size
    }
}

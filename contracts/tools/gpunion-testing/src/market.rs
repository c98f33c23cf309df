//! The market on the suite: providers, leases, escrow, and their assertions.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Decimal, Uint128, to_json_binary};
use cw_multi_test::AppResponse;
use cw20::Cw20ExecuteMsg;
use gpunion_interface::market::{
    ComputeCapability, EscrowTotals, ExecuteMsg, InstantiateMsg, LeaseResponse, LeaseResult,
    MarketParams, OpenLease, ProviderAttributes, ProviderResponse, QueryMsg, ReceiveMsg, Region,
    Workload, WorkloadKind, lease_cost,
};

use crate::gut::GUT;
use crate::suite::{Suite, contract_err};

/// Valid workload CIDs.
pub const CID_A: &str = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
pub const CID_B: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

/// The parameters suites start with: 1,000 GUT minimum stake, 5 min and 30 blocks of
/// grace, 10 min to accept, 7 days unbonding, 10% slash, 2% fee, leases up to 30 days,
/// checks at 10 GUT with an hour to answer.
pub fn default_params() -> MarketParams {
    MarketParams {
        min_stake: Uint128::new(1_000 * GUT),
        heartbeat_grace_seconds: 300,
        heartbeat_grace_blocks: 30,
        accept_window_seconds: 600,
        unbonding_seconds: 7 * 86_400,
        slash_fraction: Decimal::percent(10),
        protocol_fee: Decimal::percent(2),
        max_lease_seconds: 30 * 86_400,
        check_fee: Uint128::new(10 * GUT),
        check_window_seconds: 3_600,
    }
}

/// A provider with `gpu_count` RTX 4090s in Berlin at `price_per_hour` ugut.
pub fn attributes(gpu_count: u32, price_per_hour: u128) -> ProviderAttributes {
    ProviderAttributes {
        gpu_model: "NVIDIA RTX 4090".into(),
        gpu_count,
        memory_mib: 24_576,
        compute: ComputeCapability {
            backend: "vulkan".into(),
            features: vec!["SHADER_INT64".into(), "TIMESTAMP_QUERY".into()],
            max_compute_invocations_per_workgroup: 1024,
            max_compute_workgroup_storage_size: 32_768,
            max_storage_buffer_binding_size: 134_217_728,
            max_buffer_size: 268_435_456,
        },
        x16s_hashrate: Uint128::new(45_000_000),
        region: Region {
            country: "DE".into(),
            geohash: "u33dc0".into(),
        },
        price_per_hour: Uint128::new(price_per_hour),
        peer_id: "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA".into(),
        multiaddrs: vec!["/ip4/203.0.113.7/udp/4001/quic-v1".into()],
        mining_address: None,
        workloads: vec![WorkloadKind::WgslBundle, WorkloadKind::OciImage],
    }
}

pub fn workload() -> Workload {
    Workload {
        cid: CID_A.into(),
        kind: WorkloadKind::WgslBundle,
    }
}

/// The market's typed error inside a failed execution (through the GUT `Send` too).
pub fn market_err(err: anyhow::Error) -> market::ContractError {
    contract_err(err)
}

impl Suite {
    pub(crate) fn instantiate_market(&mut self, params: MarketParams) -> Addr {
        let msg = InstantiateMsg {
            owner: None,
            gut_token: self.gut.to_string(),
            treasury: self.treasury.to_string(),
            params,
        };
        // The market's `reply` ignores a failed index update.
        let code = Box::new(
            cw_multi_test::ContractWrapper::new(
                market::contract::execute,
                market::contract::instantiate,
                market::contract::query,
            )
            .with_reply(market::contract::reply),
        );
        self.instantiate(code, &msg, "market")
            .expect("market instantiates")
    }

    /// The owner names the endorsement contract as the market's indexer, as
    /// `testnet/deploy` does.
    pub(crate) fn wire_indexer(&mut self) {
        let owner = self.owner.clone();
        let msg = ExecuteMsg::SetIndexer {
            indexer: Some(self.endorsement.to_string()),
        };
        self.execute(&owner, &msg).expect("owner sets the indexer");
    }

    /// Sends `amount` GUT from `from` to the market with `hook`.
    pub fn send(&mut self, from: &Addr, amount: u128, hook: &ReceiveMsg) -> AnyResult<AppResponse> {
        let msg = Cw20ExecuteMsg::Send {
            contract: self.market.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(hook)?,
        };
        let gut = self.gut.clone();
        self.execute_on(from, &gut, &msg)
    }

    /// Executes `msg` on the market as `sender`.
    pub fn execute(&mut self, sender: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let market = self.market.clone();
        self.execute_on(sender, &market, msg)
    }

    pub fn register(
        &mut self,
        provider: &Addr,
        stake: u128,
        attributes: ProviderAttributes,
    ) -> AnyResult<AppResponse> {
        self.send(provider, stake, &ReceiveMsg::Register { attributes })
    }

    /// Funds `name` with the minimum stake and registers it with `attributes`.
    pub fn add_provider(&mut self, name: &str, attributes: ProviderAttributes) -> Addr {
        let provider = self.addr(name);
        let stake = default_params().min_stake.u128();
        self.fund(&provider, stake);
        self.register(&provider, stake, attributes)
            .expect("provider registers");
        provider
    }

    /// Opens a lease and returns its id.
    pub fn open_lease(
        &mut self,
        customer: &Addr,
        deposit: u128,
        open: OpenLease,
    ) -> AnyResult<u64> {
        let response = self.send(customer, deposit, &ReceiveMsg::OpenLease(open))?;
        let id = response
            .events
            .iter()
            .flat_map(|e| &e.attributes)
            .find(|a| a.key == "lease_id")
            .map(|a| a.value.parse())
            .expect("open_lease reports the lease id")?;
        Ok(id)
    }

    /// An immediate lease request on `provider` for `duration` seconds at up to `cap`.
    pub fn lease_request(&self, provider: &Addr, duration: u64, cap: u128) -> OpenLease {
        OpenLease {
            provider: provider.to_string(),
            slot: None,
            start: None,
            duration_seconds: duration,
            workload: workload(),
            max_price_per_hour: Uint128::new(cap),
            check: false,
        }
    }

    pub fn extend(
        &mut self,
        customer: &Addr,
        amount: u128,
        lease_id: u64,
        extra_seconds: u64,
    ) -> AnyResult<AppResponse> {
        self.send(
            customer,
            amount,
            &ReceiveMsg::ExtendLease {
                lease_id,
                extra_seconds,
            },
        )
    }

    pub fn accept(&mut self, provider: &Addr, lease_id: u64) -> AnyResult<AppResponse> {
        self.execute(provider, &ExecuteMsg::AcceptLease { lease_id })
    }

    pub fn heartbeat(&mut self, provider: &Addr) -> AnyResult<AppResponse> {
        self.execute(provider, &ExecuteMsg::Heartbeat {})
    }

    pub fn withdraw(&mut self, provider: &Addr, lease_id: u64) -> AnyResult<AppResponse> {
        self.execute(provider, &ExecuteMsg::Withdraw { lease_id })
    }

    pub fn close(&mut self, sender: &Addr, lease_id: u64) -> AnyResult<AppResponse> {
        self.execute(sender, &ExecuteMsg::CloseLease { lease_id })
    }

    pub fn expire(&mut self, sender: &Addr, lease_id: u64) -> AnyResult<AppResponse> {
        self.execute(sender, &ExecuteMsg::ExpireLease { lease_id })
    }

    pub fn post_result(
        &mut self,
        provider: &Addr,
        lease_id: u64,
        cid: &str,
    ) -> AnyResult<AppResponse> {
        self.execute(
            provider,
            &ExecuteMsg::PostResult {
                lease_id,
                result: LeaseResult {
                    cid: cid.into(),
                    output_hash: None,
                    trace_root: None,
                },
            },
        )
    }

    /// Runs one served, closed lease of `duration` s at `price` and returns its id.
    pub fn served_lease(
        &mut self,
        customer: &Addr,
        provider: &Addr,
        duration: u64,
        price: u128,
    ) -> u64 {
        let request = self.lease_request(provider, duration, price);
        let cost = lease_cost(Uint128::new(price), duration)
            .expect("the cost fits")
            .u128();
        self.fund(customer, cost);
        let id = self
            .open_lease(customer, cost, request)
            .expect("lease opens");
        self.accept(provider, id).expect("provider accepts");
        let mut left = duration;
        while left > 0 {
            let step = left.min(250);
            self.advance(step);
            self.heartbeat(provider).expect("provider heartbeats");
            left -= step;
        }
        self.close(customer, id).expect("lease closes");
        id
    }

    /// Lease `id`, which must exist.
    pub fn get_lease(&self, id: u64) -> LeaseResponse {
        self.find_lease(id)
            .unwrap_or_else(|| panic!("no lease {id}"))
    }

    /// Lease `id`, if the market has it.
    pub fn find_lease(&self, id: u64) -> Option<LeaseResponse> {
        self.query_on(&self.market, &QueryMsg::Lease { id }, "lease")
    }

    /// The provider at `address`, which must be registered.
    pub fn get_provider(&self, address: &Addr) -> ProviderResponse {
        self.find_provider(address)
            .unwrap_or_else(|| panic!("{address} is not a provider"))
    }

    /// The provider at `address`, if registered.
    pub fn find_provider(&self, address: &Addr) -> Option<ProviderResponse> {
        self.query_on(
            &self.market,
            &QueryMsg::Provider {
                address: address.to_string(),
            },
            "provider",
        )
    }

    pub fn get_totals(&self) -> EscrowTotals {
        self.query_on(&self.market, &QueryMsg::EscrowTotals {}, "totals")
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.query_on(&self.market, msg, "market")
    }

    /// The design's invariant: the market holds exactly escrow + stakes + check fees.
    pub fn assert_escrow_invariant(&self) {
        let totals = self.get_totals();
        assert_eq!(
            self.balance(&self.market),
            (totals.escrowed + totals.stakes + totals.checks).u128(),
            "market balance != escrowed + stakes + checks ({totals:?})"
        );
    }
}

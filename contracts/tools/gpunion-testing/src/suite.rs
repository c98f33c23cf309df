use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Decimal, Empty, Uint128, to_json_binary};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw20::{BalanceResponse, Cw20ExecuteMsg};
use gpunion_interface::endorsement::{
    EndorsementParams, ExecuteMsg as EndorsementExecute, QueryMsg as EndorsementQuery,
    ReceiveMsg as EndorsementReceive, Reputation,
};
use gpunion_interface::market::{
    ComputeCapability, EscrowTotals, ExecuteMsg, InstantiateMsg, LeaseResponse, LeaseResult,
    MarketParams, OpenLease, ProviderAttributes, ProviderResponse, QueryMsg, ReceiveMsg, Region,
    Workload, WorkloadKind,
};

/// One GUT in ugut.
pub const GUT: u128 = 1_000_000;
/// Valid workload CIDs.
pub const CID_A: &str = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
pub const CID_B: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

/// The parameters suites start with: 1,000 GUT minimum stake, 5 min grace, 10 min to
/// accept, 7 days unbonding, 10% slash, 2% fee, leases up to 30 days.
pub fn default_params() -> MarketParams {
    MarketParams {
        min_stake: Uint128::new(1_000 * GUT),
        heartbeat_grace_seconds: 300,
        accept_window_seconds: 600,
        unbonding_seconds: 7 * 86_400,
        slash_fraction: Decimal::percent(10),
        protocol_fee: Decimal::percent(2),
        max_lease_seconds: 30 * 86_400,
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
    }
}

pub fn workload() -> Workload {
    Workload {
        cid: CID_A.into(),
        kind: WorkloadKind::WgslBundle,
    }
}

/// The endorsement contract's parameters in suites: 500 GUT endorser minimum, 7 days
/// unbonding, 90-day rating half-life, prior of 100 GUT, ratings weigh at most 1,000 GUT,
/// full endorsement at 10,000 GUT of endorsing stake.
pub fn default_endorsement_params() -> EndorsementParams {
    EndorsementParams {
        min_endorser_stake: Uint128::new(500 * GUT),
        unbonding_seconds: 7 * 86_400,
        rating_half_life_seconds: 90 * 86_400,
        prior_weight: Uint128::new(100 * GUT),
        max_rating_weight: Uint128::new(1_000 * GUT),
        full_endorsement_stake: Uint128::new(10_000 * GUT),
    }
}

/// The error every contract returns for `address` (the suite's chain uses `MockApi`).
pub fn invalid_address(address: &str) -> gpunion_interface::address::InvalidAddress {
    gpunion_interface::address::validate(&cosmwasm_std::testing::MockApi::default(), address)
        .expect_err("an invalid address")
}

/// The endorsement contract's typed error inside a failed execution.
pub fn endorsement_err(err: anyhow::Error) -> endorsement::ContractError {
    match err.downcast::<endorsement::ContractError>() {
        Ok(err) => err,
        Err(other) => panic!("expected an endorsement ContractError, got {other:?}"),
    }
}

/// The market's typed error inside a failed execution (through the GUT `Send` too).
pub fn market_err(err: anyhow::Error) -> market::ContractError {
    match err.downcast::<market::ContractError>() {
        Ok(err) => err,
        Err(other) => panic!("expected a market ContractError, got {other:?}"),
    }
}

fn gut_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        gut_token::contract::execute,
        gut_token::contract::instantiate,
        gut_token::contract::query,
    ))
}

fn endorsement_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        endorsement::contract::execute,
        endorsement::contract::instantiate,
        endorsement::contract::query,
    ))
}

fn market_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        market::contract::execute,
        market::contract::instantiate,
        market::contract::query,
    ))
}

/// Builds a [`Suite`].
pub struct SuiteBuilder {
    params: MarketParams,
    funded: Vec<(String, u128)>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self {
            params: default_params(),
            funded: Vec::new(),
        }
    }
}

impl SuiteBuilder {
    pub fn with_params(mut self, params: MarketParams) -> Self {
        self.params = params;
        self
    }

    /// Gives the account named `name` `amount` ugut at start.
    pub fn with_funds(mut self, name: &str, amount: u128) -> Self {
        self.funded.push((name.to_string(), amount));
        self
    }

    pub fn build(self) -> Suite {
        let mut app = App::default();
        let owner = app.api().addr_make("owner");
        let treasury = app.api().addr_make("treasury");
        let minter = app.api().addr_make("minter");
        let gut_code = app.store_code(gut_contract());
        let gut = app
            .instantiate_contract(
                gut_code,
                owner.clone(),
                &gut_token::msg::InstantiateMsg {
                    treasury: treasury.to_string(),
                    minter: minter.to_string(),
                    token_swap: None,
                    marketing: None,
                },
                &[],
                "GUT",
                None,
            )
            .expect("GUT instantiates");
        let market_code = app.store_code(market_contract());
        let market = app
            .instantiate_contract(
                market_code,
                owner.clone(),
                &InstantiateMsg {
                    owner: None,
                    gut_token: gut.to_string(),
                    treasury: treasury.to_string(),
                    params: self.params,
                },
                &[],
                "market",
                None,
            )
            .expect("market instantiates");
        let endorsement_code = app.store_code(endorsement_contract());
        let endorsement = app
            .instantiate_contract(
                endorsement_code,
                owner.clone(),
                &gpunion_interface::endorsement::InstantiateMsg {
                    owner: None,
                    gut_token: gut.to_string(),
                    market: market.to_string(),
                    treasury: treasury.to_string(),
                    params: default_endorsement_params(),
                },
                &[],
                "endorsement",
                None,
            )
            .expect("endorsement instantiates");
        let mut suite = Suite {
            app,
            gut,
            market,
            endorsement,
            owner,
            treasury,
            minter,
        };
        for (name, amount) in self.funded {
            let who = suite.addr(&name);
            suite.mint(&who, amount);
        }
        suite
    }
}

/// A test chain: GUT, the market, the endorsement contract, and the accounts around them.
pub struct Suite {
    pub app: App,
    pub gut: Addr,
    pub market: Addr,
    pub endorsement: Addr,
    pub owner: Addr,
    pub treasury: Addr,
    pub minter: Addr,
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    /// Moves block time forward by `seconds` (and height by one).
    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += 1;
        });
    }

    pub fn mint(&mut self, to: &Addr, amount: u128) {
        self.app
            .execute_contract(
                self.minter.clone(),
                self.gut.clone(),
                &Cw20ExecuteMsg::Mint {
                    recipient: to.to_string(),
                    amount: Uint128::new(amount),
                },
                &[],
            )
            .expect("minter mints");
    }

    /// Sends `amount` GUT from `from` to the market with `hook`.
    pub fn send(&mut self, from: &Addr, amount: u128, hook: &ReceiveMsg) -> AnyResult<AppResponse> {
        let msg = Cw20ExecuteMsg::Send {
            contract: self.market.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(hook)?,
        };
        self.app
            .execute_contract(from.clone(), self.gut.clone(), &msg, &[])
    }

    pub fn execute(&mut self, sender: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.market.clone(), msg, &[])
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
        self.mint(&provider, stake);
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
                },
            },
        )
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        let response: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.gut,
                &cw20::Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .expect("balance query");
        response.balance.u128()
    }

    pub fn get_lease(&self, id: u64) -> LeaseResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.market, &QueryMsg::Lease { id })
            .expect("lease query")
    }

    pub fn get_provider(&self, address: &Addr) -> ProviderResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.market,
                &QueryMsg::Provider {
                    address: address.to_string(),
                },
            )
            .expect("provider query")
    }

    pub fn get_totals(&self) -> EscrowTotals {
        self.app
            .wrap()
            .query_wasm_smart(&self.market, &QueryMsg::EscrowTotals {})
            .expect("totals query")
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.market, msg)
            .expect("market query")
    }

    /// The design's invariant: the market holds exactly escrow + stakes.
    pub fn assert_escrow_invariant(&self) {
        let totals = self.get_totals();
        assert_eq!(
            self.balance(&self.market),
            (totals.escrowed + totals.stakes).u128(),
            "market balance != escrowed + stakes ({totals:?})"
        );
    }

    /// Executes `msg` on the endorsement contract.
    pub fn endorse_execute(
        &mut self,
        sender: &Addr,
        msg: &EndorsementExecute,
    ) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.endorsement.clone(), msg, &[])
    }

    /// Bonds `amount` of `endorser`'s GUT as endorser stake.
    pub fn bond_endorser(&mut self, endorser: &Addr, amount: u128) -> AnyResult<AppResponse> {
        let msg = Cw20ExecuteMsg::Send {
            contract: self.endorsement.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(&EndorsementReceive::BondEndorser {})?,
        };
        self.app
            .execute_contract(endorser.clone(), self.gut.clone(), &msg, &[])
    }

    pub fn rate(&mut self, customer: &Addr, lease_id: u64, score: u8) -> AnyResult<AppResponse> {
        self.endorse_execute(
            customer,
            &EndorsementExecute::Rate {
                lease_id,
                score,
                comment_cid: Some(CID_B.into()),
            },
        )
    }

    pub fn get_reputation(&self, provider: &Addr) -> Reputation {
        self.app
            .wrap()
            .query_wasm_smart(
                &self.endorsement,
                &EndorsementQuery::Reputation {
                    provider: provider.to_string(),
                },
            )
            .expect("reputation query")
    }

    pub fn query_endorsement<T: serde::de::DeserializeOwned>(
        &self,
        msg: &EndorsementQuery,
    ) -> cosmwasm_std::StdResult<T> {
        self.app.wrap().query_wasm_smart(&self.endorsement, msg)
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
        let cost = (price * duration as u128).div_ceil(3600);
        self.mint(customer, cost);
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
}

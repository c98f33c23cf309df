//! Gas of GPUnion's contracts in the real CosmWasm VM (`cosmwasm-vm`'s testing
//! instance, which meters wasm execution like the chain): a mining verification and a
//! token-swap claim (see `emission.rs`), then the market and endorsement contracts as
//! providers grow from 10 to 10,000 and leases to 100,000, against a plain cw20-base
//! transfer.
//!
//! Run `scripts/build-contracts` first, then `cargo run --release -p gas-bench`.
//!
//! How a scale is set up: the market's state is built natively (the same contract
//! code, compiled for the host, is fast enough to register 10,000 providers and book
//! 100,000 leases) and its storage copied into the wasm instance; then every measured
//! step runs in the VM (and natively, to keep the two in step). The endorsement
//! contract's queries to the market are answered from the native market, so their
//! gas is the endorsement contract's own; the market-query gas that a chain would add
//! is measured separately and shown beside it.

mod checks;
mod emission;
mod proofs;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cosmwasm_std::testing::{
    MockApi, MockQuerier, MockStorage, message_info, mock_dependencies, mock_env,
};
use cosmwasm_std::{
    Addr, Binary, ContractResult, Env, Order, OwnedDeps, Response, Storage, Timestamp, Uint128,
    from_json, to_json_binary, to_json_vec,
};
use cosmwasm_vm::testing::{MockInstanceOptions, mock_instance_with_options};
use cosmwasm_vm::{Instance, Storage as _, call_execute_raw, call_instantiate_raw, call_query_raw};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use gpunion_interface::endorsement::{self as endorse_msg, RecommendRequest, RecommendResponse};
use gpunion_interface::market::{
    self as market_msg, OpenLease, ProviderAttributes, ProviderFilter, Workload, WorkloadKind,
};
use gpunion_testing::{GUT, default_endorsement_params, default_params};

type NativeDeps = OwnedDeps<MockStorage, MockApi, MockQuerier>;
type VmInstance = Instance<
    cosmwasm_vm::testing::MockApi,
    cosmwasm_vm::testing::MockStorage,
    cosmwasm_vm::testing::MockQuerier,
>;

const PRICE: u128 = 3_600_000;
/// The minimum stake of the suites' `default_params`.
const STAKE: u128 = 1_000 * GUT;
const GPUS: u32 = 16;
const CID: &str = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
/// wasmd's DefaultGasMultiplier: CosmWasm gas per SDK gas.
const GAS_MULTIPLIER: u64 = 140_000;

/// The test suites' provider, with all 16 GPUs and in the geohash cell `geohash`.
fn attributes(geohash: &str) -> ProviderAttributes {
    let mut attributes = gpunion_testing::attributes(GPUS, PRICE);
    attributes.region.geohash = geohash.into();
    attributes
}

fn instance(wasm: &[u8]) -> VmInstance {
    mock_instance_with_options(
        wasm,
        MockInstanceOptions {
            gas_limit: 1_000_000_000_000_000,
            ..Default::default()
        },
    )
}

fn gas_used(vm: &mut VmInstance, call: impl FnOnce(&mut VmInstance) -> Vec<u8>) -> (u64, Vec<u8>) {
    let before = vm.create_gas_report().remaining;
    let out = call(vm);
    (before - vm.create_gas_report().remaining, out)
}

fn vm_instantiate(
    vm: &mut VmInstance,
    env: &Env,
    sender: &Addr,
    msg: &impl serde::Serialize,
) -> u64 {
    let info = to_json_vec(&message_info(sender, &[])).unwrap();
    let (gas, out) = gas_used(vm, |vm| {
        call_instantiate_raw(
            vm,
            &to_json_vec(env).unwrap(),
            &info,
            &to_json_vec(msg).unwrap(),
        )
        .expect("vm instantiate")
    });
    expect_ok(&out);
    gas
}

fn vm_execute(vm: &mut VmInstance, env: &Env, sender: &Addr, msg: &impl serde::Serialize) -> u64 {
    let info = to_json_vec(&message_info(sender, &[])).unwrap();
    let (gas, out) = gas_used(vm, |vm| {
        call_execute_raw(
            vm,
            &to_json_vec(env).unwrap(),
            &info,
            &to_json_vec(msg).unwrap(),
        )
        .expect("vm execute")
    });
    expect_ok(&out);
    gas
}

fn vm_query<T: serde::de::DeserializeOwned>(
    vm: &mut VmInstance,
    env: &Env,
    msg: &impl serde::Serialize,
) -> (u64, T) {
    let (gas, out) = gas_used(vm, |vm| {
        call_query_raw(vm, &to_json_vec(env).unwrap(), &to_json_vec(msg).unwrap())
            .expect("vm query")
    });
    match from_json::<ContractResult<Binary>>(&out).unwrap() {
        ContractResult::Ok(bin) => (gas, from_json(&bin).unwrap()),
        ContractResult::Err(err) => panic!("query failed in the VM: {err}"),
    }
}

fn expect_ok(out: &[u8]) {
    if let ContractResult::Err(err) = from_json::<ContractResult<Response>>(out).unwrap() {
        panic!("execution failed in the VM: {err}");
    }
}

/// Copies every key of a native storage into the VM instance's storage.
fn copy_storage(from: &MockStorage, vm: &mut VmInstance) {
    let pairs: Vec<_> = from.range(None, None, Order::Ascending).collect();
    vm.with_storage(|storage| {
        for (key, value) in &pairs {
            storage.set(key, value).0?;
        }
        Ok(())
    })
    .unwrap();
}

fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = Timestamp::from_seconds(seconds);
    // The height stays put: no heartbeat lapses (that needs blocks as well as time), so
    // listings and recommendations meet live providers, their heaviest case.
    env
}

/// A market run natively and in the VM side by side.
struct Market {
    native: Rc<RefCell<NativeDeps>>,
    vm: VmInstance,
    now: Rc<Cell<u64>>,
}

impl Market {
    /// The market instantiated at the mock chain's time with the default parameters, by
    /// `owner`, for GUT at `gut` and the treasury `treasury` (`api`'s addresses of those
    /// names), natively and in the VM running `wasm`.
    fn new(api: &MockApi, wasm: &[u8]) -> Self {
        let t0 = mock_env().block.time.seconds();
        let native = Rc::new(RefCell::new(mock_dependencies()));
        market::contract::instantiate(
            native.borrow_mut().as_mut(),
            env_at(t0),
            message_info(&api.addr_make("owner"), &[]),
            market_msg::InstantiateMsg {
                owner: None,
                gut_token: api.addr_make("gut").to_string(),
                treasury: api.addr_make("treasury").to_string(),
                params: default_params(),
            },
        )
        .unwrap();
        Self {
            native,
            vm: instance(wasm),
            now: Rc::new(Cell::new(t0)),
        }
    }

    fn native_execute(&self, sender: &Addr, msg: market_msg::ExecuteMsg) {
        let mut deps = self.native.borrow_mut();
        market::contract::execute(
            deps.as_mut(),
            env_at(self.now.get()),
            message_info(sender, &[]),
            msg,
        )
        .expect("native market execute");
    }

    fn hook(
        &self,
        from: &Addr,
        amount: u128,
        msg: &market_msg::ReceiveMsg,
    ) -> market_msg::ExecuteMsg {
        market_msg::ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: from.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(msg).unwrap(),
        })
    }

    /// Runs `msg` natively and in the VM; returns the VM's gas.
    fn both(&mut self, sender: &Addr, msg: market_msg::ExecuteMsg) -> u64 {
        self.native_execute(sender, msg.clone());
        vm_execute(&mut self.vm, &env_at(self.now.get()), sender, &msg)
    }
}

struct Row {
    providers: usize,
    leases: usize,
    register: u64,
    open: u64,
    accept: u64,
    heartbeat: u64,
    withdraw: u64,
    close: u64,
    providers_query: u64,
    provider_query: u64,
    lease_query: u64,
    rate: u64,
    rate_queries: (u32, u32),
    recommend: u64,
    recommend_queries: (u32, u32),
    candidates_read: u32,
    /// Recommend with a minimum hashrate ratio of 500‰ (half the providers prove a
    /// tenth of their claim), its market queries and results.
    recommend_min_ratio: u64,
    recommend_min_ratio_queries: (u32, u32),
    min_ratio_results: usize,
    /// The mining contract's own gas for one provider's proof.
    hashrate_query: u64,
}

/// The contracts' wasm.
struct Wasm {
    market: Vec<u8>,
    endorsement: Vec<u8>,
    mining: Vec<u8>,
}

fn run_scale(providers: usize, leases: usize, wasm: &Wasm) -> Row {
    let api = MockApi::default();
    let gut = api.addr_make("gut");
    let treasury = api.addr_make("treasury");
    let owner = api.addr_make("owner");
    let mut market = Market::new(&api, &wasm.market);
    let now = market.now.clone();
    let t0 = now.get();

    // Seed: providers, then leases booked on GPU slots in hour windows from t0 + 2 h.
    let provider_addrs: Vec<Addr> = (0..providers)
        .map(|p| api.addr_make(&format!("provider{p}")))
        .collect();
    let geohashes = ["u33dc0", "u33db", "u09tvw", "dr5ru", "9q8yy", "wecnv"];
    for (p, address) in provider_addrs.iter().enumerate() {
        let msg = market.hook(
            address,
            STAKE,
            &market_msg::ReceiveMsg::Register {
                attributes: attributes(geohashes[p % geohashes.len()]),
            },
        );
        market.native_execute(&gut, msg);
    }
    let customers: Vec<Addr> = (0..100)
        .map(|c| api.addr_make(&format!("customer{c}")))
        .collect();
    for i in 0..leases {
        let (p, k) = (i % providers, i / providers);
        let open = OpenLease {
            provider: provider_addrs[p].to_string(),
            slot: Some(k as u32 % GPUS),
            start: Some(t0 + 7200 + (k as u64 / GPUS as u64) * 3600),
            duration_seconds: 3600,
            workload: Workload {
                cid: CID.into(),
                kind: WorkloadKind::OciImage,
            },
            max_price_per_hour: Uint128::new(PRICE),
            check: false,
        };
        let msg = market.hook(
            &customers[i % 100],
            PRICE,
            &market_msg::ReceiveMsg::OpenLease(open),
        );
        market.native_execute(&gut, msg);
    }
    // Every provider mines: the even ones prove their claim, the odd ones a tenth of it.
    let claimed = attributes("u33dc0").x16s_hashrate;
    let miners: Vec<(Addr, Uint128)> = provider_addrs
        .iter()
        .enumerate()
        .map(|(p, address)| {
            let share = if p % 2 == 0 { 1 } else { 10 };
            (address.clone(), claimed / Uint128::new(share))
        })
        .collect();
    let records = proofs::MiningRecords::new(&miners, now.clone());
    records.serve_native(&mut market.native.borrow_mut());
    market.native_execute(
        &owner,
        market_msg::ExecuteMsg::SetMining {
            mining: Some(records.address.to_string()),
        },
    );
    copy_storage(&market.native.borrow().storage, &mut market.vm);
    records.serve_vm(&mut market.vm);

    // Measured steps on the busiest provider (provider 0 holds leases / providers bookings).
    let newcomer = api.addr_make("newcomer");
    let customer = api.addr_make("bench-customer");
    let busy = provider_addrs[0].clone();
    let register = {
        let msg = market.hook(
            &newcomer,
            STAKE,
            &market_msg::ReceiveMsg::Register {
                attributes: attributes("u33dc0"),
            },
        );
        market.both(&gut, msg)
    };
    let heartbeat = market.both(&busy, market_msg::ExecuteMsg::Heartbeat {});
    let lease_id = {
        let config: market_msg::ConfigResponse = from_json(
            market::contract::query(
                market.native.borrow().as_ref(),
                env_at(now.get()),
                market_msg::QueryMsg::Config {},
            )
            .unwrap(),
        )
        .unwrap();
        config.next_lease_id
    };
    let open = {
        let open = OpenLease {
            provider: busy.to_string(),
            slot: None,
            start: None,
            duration_seconds: 3600,
            workload: Workload {
                cid: CID.into(),
                kind: WorkloadKind::WgslBundle,
            },
            max_price_per_hour: Uint128::new(PRICE),
            check: false,
        };
        let msg = market.hook(&customer, PRICE, &market_msg::ReceiveMsg::OpenLease(open));
        market.both(&gut, msg)
    };
    let accept = market.both(&busy, market_msg::ExecuteMsg::AcceptLease { lease_id });
    now.set(now.get() + 300);
    market.both(&busy, market_msg::ExecuteMsg::Heartbeat {});
    let withdraw = market.both(&busy, market_msg::ExecuteMsg::Withdraw { lease_id });
    now.set(now.get() + 200);
    market.both(&busy, market_msg::ExecuteMsg::Heartbeat {});
    let close = market.both(&customer, market_msg::ExecuteMsg::CloseLease { lease_id });
    let env = env_at(now.get());
    let (providers_query, listed): (u64, market_msg::ProvidersResponse) = vm_query(
        &mut market.vm,
        &env,
        &market_msg::QueryMsg::Providers {
            filter: Some(ProviderFilter {
                gpu_model: Some("nvidia rtx 4090".into()),
                ..Default::default()
            }),
            start_after: None,
            limit: Some(30),
        },
    );
    assert!(!listed.providers.is_empty());
    let (provider_query, _): (u64, Option<market_msg::ProviderResponse>) = vm_query(
        &mut market.vm,
        &env,
        &market_msg::QueryMsg::Provider {
            address: busy.to_string(),
        },
    );
    let (lease_query, _): (u64, Option<market_msg::LeaseResponse>) = vm_query(
        &mut market.vm,
        &env,
        &market_msg::QueryMsg::Lease { id: lease_id },
    );

    // Endorsement: every provider indexed (natively), then rate and recommend in the VM.
    let market_addr = mock_env().contract.address;
    let queries = Rc::new(Cell::new((0u32, 0u32)));
    let answer = {
        let native = market.native.clone();
        let now = now.clone();
        let queries = queries.clone();
        move |msg: &[u8]| -> Result<Vec<u8>, String> {
            let (leases, providers) = queries.get();
            if msg.starts_with(b"{\"lease\"") {
                queries.set((leases + 1, providers));
            } else {
                queries.set((leases, providers + 1));
            }
            let msg: market_msg::QueryMsg = from_json(msg).map_err(|e| e.to_string())?;
            market::contract::query(native.borrow().as_ref(), env_at(now.get()), msg)
                .map(|bin| bin.to_vec())
                .map_err(|e| e.to_string())
        }
    };
    // Raw reads of the market's storage (Recommend checks each index entry's record).
    let raw = {
        let native = market.native.clone();
        move |key: &[u8]| -> Vec<u8> {
            cosmwasm_std::Storage::get(&native.borrow().storage, key).unwrap_or_default()
        }
    };
    let mut endorsement_native = mock_dependencies();
    {
        let answer = answer.clone();
        let raw = raw.clone();
        endorsement_native
            .querier
            .update_wasm(move |query| match query {
                cosmwasm_std::WasmQuery::Smart { msg, .. } => match answer(msg.as_slice()) {
                    Ok(bin) => cosmwasm_std::SystemResult::Ok(ContractResult::Ok(bin.into())),
                    Err(err) => cosmwasm_std::SystemResult::Ok(ContractResult::Err(err)),
                },
                cosmwasm_std::WasmQuery::Raw { key, .. } => {
                    cosmwasm_std::SystemResult::Ok(ContractResult::Ok(raw(key.as_slice()).into()))
                }
                _ => panic!("unexpected query"),
            });
    }
    let endorsement_init = endorse_msg::InstantiateMsg {
        owner: None,
        gut_token: gut.to_string(),
        market: market_addr.to_string(),
        treasury: treasury.to_string(),
        params: default_endorsement_params(),
    };
    endorsement::contract::instantiate(
        endorsement_native.as_mut(),
        env_at(now.get()),
        message_info(&owner, &[]),
        endorsement_init,
    )
    .unwrap();
    for address in &provider_addrs {
        endorsement::contract::execute(
            endorsement_native.as_mut(),
            env_at(now.get()),
            message_info(&owner, &[]),
            endorse_msg::ExecuteMsg::IndexProvider {
                provider: address.to_string(),
            },
        )
        .unwrap();
    }
    let mut endorsement_vm = instance(&wasm.endorsement);
    copy_storage(&endorsement_native.storage, &mut endorsement_vm);
    endorsement_vm
        .with_querier(|querier| {
            querier.update_wasm(move |query| match query {
                cosmwasm_std_vm::WasmQuery::Smart { msg, .. } => match answer(msg.as_slice()) {
                    Ok(bin) => cosmwasm_std_vm::SystemResult::Ok(
                        cosmwasm_std_vm::ContractResult::Ok(bin.into()),
                    ),
                    Err(err) => {
                        cosmwasm_std_vm::SystemResult::Ok(cosmwasm_std_vm::ContractResult::Err(err))
                    }
                },
                cosmwasm_std_vm::WasmQuery::Raw { key, .. } => cosmwasm_std_vm::SystemResult::Ok(
                    cosmwasm_std_vm::ContractResult::Ok(raw(key.as_slice()).into()),
                ),
                _ => panic!("unexpected query"),
            });
            Ok(())
        })
        .unwrap();

    queries.set((0, 0));
    let rate = vm_execute(
        &mut endorsement_vm,
        &env_at(now.get()),
        &customer,
        &endorse_msg::ExecuteMsg::Rate {
            lease_id,
            score: 5,
            comment_cid: Some(CID.into()),
        },
    );
    let rate_queries = queries.get();
    // The measured recommendation, with or without a minimum proven-hashrate ratio.
    let recommend_for = |min_hashrate_ratio_permille| {
        endorse_msg::QueryMsg::Recommend(RecommendRequest {
            country: "DE".into(),
            geohash: "u33d".into(),
            gpu_model: Some("NVIDIA RTX 4090".into()),
            min_memory_mib: Some(16_000),
            min_gpu_count: None,
            max_price_per_hour: Uint128::new(2 * PRICE),
            limit: Some(5),
            min_hashrate_ratio_permille,
        })
    };
    queries.set((0, 0));
    let (recommend, response): (u64, RecommendResponse) = vm_query(
        &mut endorsement_vm,
        &env_at(now.get()),
        &recommend_for(None),
    );
    let recommend_queries = queries.get();
    assert!(
        !response.recommendations.is_empty(),
        "recommendations at scale {providers}"
    );
    queries.set((0, 0));
    let (recommend_min_ratio, believable): (u64, RecommendResponse) = vm_query(
        &mut endorsement_vm,
        &env_at(now.get()),
        &recommend_for(Some(500)),
    );
    let recommend_min_ratio_queries = queries.get();
    assert!(
        believable
            .recommendations
            .iter()
            .all(|r| r.hashrate.as_ref().is_some_and(|p| p.ratio_permille >= 500)),
        "only believable hardware"
    );
    let hashrate_query = records.hashrate_gas(&wasm.mining, &busy);

    Row {
        providers,
        leases,
        register,
        open,
        accept,
        heartbeat,
        withdraw,
        close,
        providers_query,
        provider_query,
        lease_query,
        rate,
        rate_queries,
        recommend,
        recommend_queries,
        candidates_read: response.candidates_read,
        recommend_min_ratio,
        recommend_min_ratio_queries,
        min_ratio_results: believable.recommendations.len(),
        hashrate_query,
    }
}

/// A plain cw20-base transfer (and a `Send` to the market, token side) in the same VM.
fn cw20_baseline(gut_wasm: &[u8]) -> (u64, u64) {
    let api = MockApi::default();
    let treasury = api.addr_make("treasury");
    let mut vm = instance(gut_wasm);
    let env = mock_env();
    vm_instantiate(
        &mut vm,
        &env,
        &api.addr_make("owner"),
        &gut_token::msg::InstantiateMsg {
            treasury: treasury.to_string(),
            minter: api.addr_make("minter").to_string(),
            token_swap: None,
            marketing: None,
        },
    );
    // The first transfer to an account creates its balance; measure the second, like
    // a steady-state transfer between funded accounts.
    let alice = api.addr_make("alice");
    let transfer = Cw20ExecuteMsg::Transfer {
        recipient: alice.to_string(),
        amount: Uint128::new(GUT),
    };
    vm_execute(&mut vm, &env, &treasury, &transfer);
    let transfer_gas = vm_execute(&mut vm, &env, &treasury, &transfer);
    let send = Cw20ExecuteMsg::Send {
        contract: mock_env().contract.address.to_string(),
        amount: Uint128::new(STAKE),
        msg: to_json_binary(&market_msg::ReceiveMsg::Register {
            attributes: attributes("u33dc0"),
        })
        .unwrap(),
    };
    let send_gas = vm_execute(&mut vm, &env, &treasury, &send);
    (transfer_gas, send_gas)
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../artifacts");
    let read = |name: &str| {
        std::fs::read(root.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}; run scripts/build-contracts first"))
    };
    let wasm = Wasm {
        market: read("market.wasm"),
        endorsement: read("endorsement.wasm"),
        mining: read("mining.wasm"),
    };
    let gut_wasm = read("gut_token.wasm");

    let mining = emission::mining(&wasm.mining, 32);
    println!(
        "mining Submit (X16S verification, window update, mint message): mean {} min {} max {} over {} solutions a window apart; the last, on a full record: {}",
        mining.mean, mining.min, mining.max, mining.solutions, mining.full_record_submit
    );
    println!(
        "mining Hashrate query: a full record {}, an address that never solved {}",
        mining.hashrate_query, mining.hashrate_query_none
    );
    for holders in [1 << 10, 1 << 16, 1 << 20] {
        let gas = emission::claim(&read("token_swap.wasm"), holders);
        println!("token-swap Claim, {holders} holders in the snapshot: {gas}");
    }

    let (transfer, send) = cw20_baseline(&gut_wasm);
    println!(
        "CosmWasm gas (SDK gas = CosmWasm gas / {GAS_MULTIPLIER}, before the SDK's own storage gas)\n"
    );
    println!("cw20-base (GUT) transfer: {transfer}; cw20 Send (token side): {send}\n");
    println!(
        "| providers | leases | register | open lease | accept | heartbeat | withdraw | close | rate | recommend (candidates) | recommend ≥ 500‰ (results) | providers query | provider query | hashrate query | lease query |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let scales = [(10, 100), (10, 100_000), (10_000, 100), (10_000, 100_000)];
    let mut rows = Vec::new();
    for (providers, leases) in scales {
        let started = std::time::Instant::now();
        let row = run_scale(providers, leases, &wasm);
        eprintln!(
            "scale {providers}/{leases} measured in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} ({}) | {} | {} | {} | {} |",
            row.providers,
            row.leases,
            row.register,
            row.open,
            row.accept,
            row.heartbeat,
            row.withdraw,
            row.close,
            row.rate,
            row.recommend,
            row.candidates_read,
            row.recommend_min_ratio,
            row.min_ratio_results,
            row.providers_query,
            row.provider_query,
            row.hashrate_query,
            row.lease_query
        );
        rows.push(row);
    }
    println!();
    for row in &rows {
        // A provider query on a chain also runs the mining contract's Hashrate query.
        let provider_total = row.provider_query + row.hashrate_query;
        let rate_total = row.rate
            + row.rate_queries.0 as u64 * row.lease_query
            + row.rate_queries.1 as u64 * provider_total;
        let recommend_total = row.recommend + row.recommend_queries.1 as u64 * provider_total;
        let min_ratio_total =
            row.recommend_min_ratio + row.recommend_min_ratio_queries.1 as u64 * provider_total;
        println!(
            "{} providers / {} leases: a provider query with its proof {}; rate makes {} lease + {} provider queries to the market, {} with them; recommend makes {} provider queries, {} with them; with a minimum ratio {}, {} with them",
            row.providers,
            row.leases,
            provider_total,
            row.rate_queries.0,
            row.rate_queries.1,
            rate_total,
            row.recommend_queries.1,
            recommend_total,
            row.recommend_min_ratio_queries.1,
            min_ratio_total
        );
    }
    println!(
        "\nchecked results, by check pool size: | pool | open lease with check | request check (draws) | result (draws checker) | answer agrees (pays) | answer differs (draws referee) | verdict at dispatch 5 of 10 (refutes) | verdict by root | timeout (draws again) | check query | assigned query |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for pool in [10, 10_000] {
        let row = checks::run(pool, &wasm.market);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.pool,
            row.open_checked,
            row.request,
            row.result_draws,
            row.answer_agrees,
            row.answer_disputes,
            row.verdict_dispatch,
            row.verdict_root,
            row.timeout,
            row.check_query,
            row.assigned_query
        );
    }
    let first = &rows[0];
    println!(
        "\nregister = cw20 Send {send} + market {} = {} ({:.1}x a transfer); open lease = cw20 Send + market {} = {} ({:.1}x)",
        first.register,
        send + first.register,
        (send + first.register) as f64 / transfer as f64,
        first.open,
        send + first.open,
        (send + first.open) as f64 / transfer as f64
    );
}

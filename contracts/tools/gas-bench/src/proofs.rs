//! The mining contract's records behind the market's proven hashrates at scale: every
//! provider mines, with a full record (every window a proof counts, and the current
//! one). The records are written natively into the mining contract's storage (its
//! `Hashrate` query reads only its configuration and the miner's record), answer the
//! market's queries natively and in the VM, and are copied into a mining VM to measure
//! the query's own gas.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cosmwasm_std::testing::{MockApi, mock_dependencies};
use cosmwasm_std::{Addr, ContractResult, SystemResult, Uint128, Uint256, WasmQuery, from_json};
use gpunion_interface::mining::hashrate::{ProvenHashrate, WindowSchedule, WindowWork};
use gpunion_interface::mining::{Config, MinerStats, QueryMsg};
use mining::state::{CONFIG, MINERS};

use super::{NativeDeps, VmInstance, copy_storage, env_at, instance, vm_query};

/// The mining contract's records, natively.
pub struct MiningRecords {
    pub address: Addr,
    deps: Rc<RefCell<NativeDeps>>,
    now: Rc<Cell<u64>>,
}

impl MiningRecords {
    /// A mining contract (default schedule: 24 windows of an hour) in which each of
    /// `miners` proved its rate (hashes/s) in every window up to block time `now`.
    pub fn new(miners: &[(Addr, Uint128)], now: Rc<Cell<u64>>) -> Self {
        let api = MockApi::default();
        let mut deps = mock_dependencies();
        let schedule = WindowSchedule::default();
        let config = Config {
            token: api.addr_make("gut"),
            token_swap: None,
            pow_limit_bits: 0x207f_ffff,
            target_spacing: 600,
            retarget_interval: 2_016,
            max_adjustment: 4,
            time_window: 600,
            initial_reward: Uint128::new(50_000_000),
            halving_interval: 1_000_000,
            hashrate: schedule,
        };
        CONFIG.save(&mut deps.storage, &config).unwrap();
        let current = schedule.window_start(now.get());
        for (miner, rate) in miners {
            let work = *rate * Uint128::from(schedule.window_seconds);
            let windows: Vec<WindowWork> = (0..=u64::from(schedule.windows))
                .rev()
                .map(|back| WindowWork {
                    start: current - back * schedule.window_seconds,
                    solutions: 1,
                    work,
                })
                .collect();
            let stats = MinerStats {
                solutions: windows.len() as u64,
                minted: Uint128::new(50_000_000),
                work: Uint256::from(work) * Uint256::from(windows.len() as u64),
                first_solution_time: windows[0].start,
                last_solution_time: now.get(),
                windows: windows.clone(),
            };
            MINERS.save(&mut deps.storage, miner, &stats).unwrap();
        }
        Self {
            address: api.addr_make("mining"),
            deps: Rc::new(RefCell::new(deps)),
            now,
        }
    }

    /// Answers a smart query to the mining contract natively, at the bench's time.
    pub fn answer(&self) -> impl Fn(&[u8]) -> Result<Vec<u8>, String> + Clone + 'static {
        let (deps, now) = (self.deps.clone(), self.now.clone());
        move |msg: &[u8]| {
            let msg: QueryMsg = from_json(msg).map_err(|e| e.to_string())?;
            mining::contract::query(deps.borrow().as_ref(), env_at(now.get()), msg)
                .map(|bin| bin.to_vec())
                .map_err(|e| e.to_string())
        }
    }

    /// Serves the mining contract to a native contract's querier.
    pub fn serve_native(&self, deps: &mut NativeDeps) {
        let answer = self.answer();
        deps.querier.update_wasm(move |query| match query {
            WasmQuery::Smart { msg, .. } => match answer(msg.as_slice()) {
                Ok(bin) => SystemResult::Ok(ContractResult::Ok(bin.into())),
                Err(err) => SystemResult::Ok(ContractResult::Err(err)),
            },
            _ => panic!("unexpected query {query:?}"),
        });
    }

    /// Serves the mining contract to a contract in the VM.
    pub fn serve_vm(&self, vm: &mut VmInstance) {
        let answer = self.answer();
        vm.with_querier(|querier| {
            querier.update_wasm(move |query| match query {
                cosmwasm_std_vm::WasmQuery::Smart { msg, .. } => match answer(msg.as_slice()) {
                    Ok(bin) => cosmwasm_std_vm::SystemResult::Ok(
                        cosmwasm_std_vm::ContractResult::Ok(bin.into()),
                    ),
                    Err(err) => {
                        cosmwasm_std_vm::SystemResult::Ok(cosmwasm_std_vm::ContractResult::Err(err))
                    }
                },
                _ => panic!("unexpected query"),
            });
            Ok(())
        })
        .unwrap();
    }

    /// Gas of the mining contract's own `Hashrate` query of `miner` in the VM, with
    /// every record in its storage.
    pub fn hashrate_gas(&self, wasm: &[u8], miner: &Addr) -> u64 {
        let mut vm = instance(wasm);
        copy_storage(&self.deps.borrow().storage, &mut vm);
        let (gas, proof): (u64, ProvenHashrate) = vm_query(
            &mut vm,
            &env_at(self.now.get()),
            &QueryMsg::Hashrate {
                address: miner.to_string(),
            },
        );
        assert!(!proof.hashes_per_second.is_zero(), "a full record proves");
        gas
    }
}

//! The mining contract on a cw-multi-test chain, solving real X16S challenges with
//! the CPU reference.

use cosmwasm_std::{HexBinary, Uint128, Uint256, to_json_binary};
use cw_multi_test::Executor;
use cw20::Cw20ExecuteMsg;
use gpunion_interface::mining::hashrate::{ProvenHashrate, WindowSchedule, WindowWork};
use gpunion_testing::{
    EASIEST_BITS, EASY_BITS, GUT, SWAP_WINDOW, Snapshot, Suite, SuiteBuilder, default_mining_msg,
    fail, solve,
};
use gut_token::supply::MINABLE;
use mining::ContractError;
use mining::difficulty::{compact_of, target_of};
use mining::msg::{ExecuteMsg, InstantiateMsg, MinersResponse, NextRetargetResponse, QueryMsg};
use mining::state::{Config, MinerStats};

/// GUT, and the mining contract as its minter with the default parameters.
fn mining_suite() -> Suite {
    SuiteBuilder::default()
        .with_mining(default_mining_msg())
        .build()
}

#[test]
fn a_solution_mints_the_reward_and_changes_the_puzzle() {
    let mut suite = mining_suite();
    let alice = suite.addr("alice");
    let before = suite.get_challenge();
    let header = solve(suite.header_for(&alice));
    suite.submit(&alice, &header).expect("valid solution");

    assert_eq!(suite.balance(&alice), 50 * GUT);
    let after = suite.get_challenge();
    assert_eq!(after.height, 1);
    let hash = x16s::hash(&header.encode());
    assert_eq!(
        after.prev_hash.as_slice(),
        hash.as_slice(),
        "the solution is the next prev"
    );
    let order = |prev: &HexBinary| x16s::order(prev.as_slice().try_into().expect("32 bytes"));
    assert_ne!(
        order(&before.prev_hash),
        order(&after.prev_hash),
        "a new function order"
    );

    let stats: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: alice.to_string(),
    });
    let stats = stats.expect("alice has a record");
    assert_eq!((stats.solutions, stats.minted), (1, Uint128::new(50 * GUT)));
    assert_eq!(
        stats.work,
        Uint256::from(64u8),
        "one solution at 1-in-64 odds"
    );
    let miners: MinersResponse = suite.query_mining(&QueryMsg::Miners {
        start_after: None,
        limit: None,
    });
    assert_eq!(miners.miners.len(), 1);
}

#[test]
fn a_nonce_that_misses_the_target_is_rejected() {
    let mut suite = mining_suite();
    let alice = suite.addr("alice");
    let header = fail(suite.header_for(&alice));
    let err = suite.submit(&alice, &header).unwrap_err();
    assert!(
        matches!(err, ContractError::InsufficientWork { .. }),
        "{err:?}"
    );
    assert_eq!(suite.balance(&alice), 0);
    assert_eq!(suite.get_challenge().height, 0);
}

#[test]
fn a_replayed_or_stale_solution_is_rejected() {
    let mut suite = mining_suite();
    let alice = suite.addr("alice");
    let header = solve(suite.header_for(&alice));
    suite.submit(&alice, &header).expect("first time");
    let err = suite.submit(&alice, &header).unwrap_err();
    assert!(
        matches!(err, ContractError::StalePrevious { .. }),
        "{err:?}"
    );
    // Another nonce on the old previous hash is just as stale.
    let mut other = header;
    other.nonce += 1;
    let err = suite.submit(&alice, &solve(other)).unwrap_err();
    assert!(
        matches!(err, ContractError::StalePrevious { .. }),
        "{err:?}"
    );
    assert_eq!(suite.balance(&alice), 50 * GUT);
}

#[test]
fn a_solution_cannot_be_stolen_by_another_miner() {
    let mut suite = mining_suite();
    let (alice, mallory) = (suite.addr("alice"), suite.addr("mallory"));
    let header = solve(suite.header_for(&alice));
    let err = suite.submit(&mallory, &header).unwrap_err();
    assert!(
        matches!(err, ContractError::WrongCommitment { .. }),
        "{err:?}"
    );
    suite.submit(&alice, &header).expect("the rightful miner");
    assert_eq!(
        (suite.balance(&alice), suite.balance(&mallory)),
        (50 * GUT, 0)
    );
}

#[test]
fn header_time_must_be_near_block_time() {
    let mut suite = mining_suite();
    suite.advance(10_000);
    let alice = suite.addr("alice");
    for time in [suite.header_time() + 601, suite.header_time() - 601] {
        let mut header = suite.header_for(&alice);
        header.time = time;
        let err = suite.submit(&alice, &solve(header)).unwrap_err();
        assert!(
            matches!(err, ContractError::TimeOutOfWindow { .. }),
            "{err:?}"
        );
    }
    let mut header = suite.header_for(&alice);
    header.time = suite.header_time() + 600;
    suite
        .submit(&alice, &solve(header))
        .expect("at the window's edge");
}

#[test]
fn malformed_headers_are_typed_errors() {
    let mut suite = mining_suite();
    let alice = suite.addr("alice");
    let msg = ExecuteMsg::Submit {
        header: HexBinary::from(&[0u8; 79]),
    };
    assert_eq!(
        suite.mining_execute(&alice, &msg).unwrap_err(),
        ContractError::HeaderLength { length: 79 }
    );

    let mut header = suite.header_for(&alice);
    header.version = 2;
    assert_eq!(
        suite.submit(&alice, &solve(header)).unwrap_err(),
        ContractError::HeaderVersion {
            expected: 1,
            found: 2
        }
    );
    let mut header = suite.header_for(&alice);
    header.bits = EASIEST_BITS;
    assert_eq!(
        suite.submit(&alice, &solve(header)).unwrap_err(),
        ContractError::WrongBits {
            expected: EASY_BITS,
            found: EASIEST_BITS
        }
    );
}

#[test]
fn difficulty_follows_the_solution_rate_within_bounds() {
    let mut suite = mining_suite();
    let alice = suite.addr("alice");
    let start = target_of(EASY_BITS).expect("valid");
    let next: NextRetargetResponse = suite.query_mining(&QueryMsg::NextRetarget {});
    assert_eq!((next.at_height, next.expected_seconds), (4, 240));

    // Four solutions in 4 s instead of 240 s: the target shrinks by the maximum, 4x.
    for _ in 0..4 {
        suite.advance(1);
        suite.mine(&alice).expect("solve");
    }
    // (Compact bits keep 23 bits of mantissa: compare after the same rounding.)
    let harder_bits = suite.get_challenge().bits;
    assert_eq!(harder_bits, compact_of(start / Uint256::from(4u8)));
    let harder = target_of(harder_bits).expect("valid");

    // Four solutions in 40,000 s: it grows back by the maximum, 4x.
    for _ in 0..4 {
        suite.advance(10_000);
        suite.mine(&alice).expect("solve");
    }
    let easier_bits = suite.get_challenge().bits;
    assert_eq!(easier_bits, compact_of(harder * Uint256::from(4u8)));

    // On schedule: unchanged.
    for _ in 0..4 {
        suite.advance(60);
        suite.mine(&alice).expect("solve");
    }
    assert_eq!(suite.get_challenge().bits, easier_bits);
}

#[test]
fn rewards_halve_on_schedule() {
    let mut msg = default_mining_msg();
    msg.initial_reward = Uint128::new(100 * GUT);
    msg.halving_interval = 2;
    let mut suite = SuiteBuilder::default().with_mining(msg).build();
    let alice = suite.addr("alice");
    let mut paid = Vec::new();
    for _ in 0..5 {
        let before = suite.balance(&alice);
        suite.mine(&alice).expect("solve");
        paid.push((suite.balance(&alice) - before) / GUT);
    }
    assert_eq!(paid, [100, 100, 50, 50, 25]);
    assert_eq!(suite.get_emission().next_halving_height, 6);
}

#[test]
fn emission_stops_at_the_cap() {
    // The swap took all but 120 GUT of the minable share.
    let mut suite = SuiteBuilder::default()
        .with_token_swap(Snapshot::one_holder(MINABLE.u128() - 120 * GUT))
        .with_mining(default_mining_msg())
        .build();
    let alice = suite.addr("alice");
    assert_eq!(suite.get_emission().cap, Uint128::new(120 * GUT));
    for _ in 0..3 {
        suite.mine(&alice).expect("solve");
    }
    assert_eq!(
        suite.balance(&alice),
        120 * GUT,
        "the last reward is clipped to the cap"
    );
    assert_eq!(
        suite.get_token_info().total_supply.u128(),
        gut_token::supply::TOTAL_SUPPLY_CAP.u128()
    );
    let err = suite.mine(&alice).unwrap_err();
    assert_eq!(
        err,
        ContractError::CapReached {
            cap: Uint128::new(120 * GUT)
        }
    );
    assert_eq!(suite.get_emission().remaining, Uint128::zero());
}

#[test]
fn only_the_token_swap_may_return_gut_to_the_pool() {
    let mut suite = mining_suite();
    let treasury = suite.addr("treasury");
    let send = Cw20ExecuteMsg::Send {
        contract: suite.mining().to_string(),
        amount: Uint128::new(GUT),
        msg: to_json_binary(&gpunion_interface::mining::MiningPoolHookMsg::ReturnToPool {})
            .expect("json"),
    };
    let err = suite
        .app
        .execute_contract(treasury, suite.gut.clone(), &send, &[])
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("only the token swap"),
        "{err:?}"
    );
}

/// A change to a valid instantiation message.
type ParamEdit = fn(&mut InstantiateMsg);

#[test]
fn instantiation_rejects_bad_parameters() {
    fn schedule(window_seconds: u64, windows: u32) -> Option<WindowSchedule> {
        Some(WindowSchedule {
            window_seconds,
            windows,
        })
    }
    let cases: [(ParamEdit, &str); 9] = [
        (|m| m.initial_bits = 0x2100_ffff, "initial_bits"),
        (|m| m.target_spacing = 0, "target_spacing"),
        (|m| m.max_adjustment = 1, "max_adjustment"),
        (|m| m.time_window = 100_000, "time_window"),
        (|m| m.initial_reward = Uint128::zero(), "initial_reward"),
        (|m| m.hashrate = schedule(9, 24), "hashrate.window_seconds"),
        (
            |m| m.hashrate = schedule(86_401, 24),
            "hashrate.window_seconds",
        ),
        (|m| m.hashrate = schedule(3_600, 0), "hashrate.windows"),
        (|m| m.hashrate = schedule(3_600, 49), "hashrate.windows"),
    ];
    let mut suite = SuiteBuilder::default().build();
    for (edit, parameter) in cases {
        let mut msg = default_mining_msg();
        edit(&mut msg);
        let err = suite.instantiate_mining(msg).expect_err("rejected");
        assert!(
            matches!(&err, ContractError::InvalidParameter { name, .. } if *name == parameter)
                || matches!(&err, ContractError::Bits(_)),
            "{parameter}: {err:?}"
        );
    }
    let mut msg = default_mining_msg();
    msg.pow_limit_bits = 0x0180_0001;
    assert!(matches!(
        suite.instantiate_mining(msg).err(),
        Some(ContractError::Bits(_))
    ));
}

#[test]
fn unclaimed_swap_gut_returns_to_the_minable_pool() {
    let allocation = 1_000 * GUT;
    let mut suite = SuiteBuilder::default()
        .with_token_swap(Snapshot::one_holder(allocation))
        .with_mining(default_mining_msg())
        .build();
    let cap_before = suite.get_emission().cap;
    assert_eq!(cap_before, MINABLE - Uint128::new(allocation));
    let supply_before = suite.get_token_info().total_supply.u128();

    suite.advance(SWAP_WINDOW + 1);
    let (owner, swap) = (suite.owner.clone(), suite.token_swap());
    suite
        .app
        .execute_contract(
            owner,
            swap,
            &token_swap::msg::ExecuteMsg::ReturnUnclaimed {},
            &[],
        )
        .expect("the swap returns what was not claimed");

    let emission = suite.get_emission();
    assert_eq!(emission.cap, cap_before + Uint128::new(allocation));
    assert_eq!(emission.returned, Uint128::new(allocation));
    assert_eq!(
        suite.get_token_info().total_supply.u128(),
        supply_before - allocation,
        "burned, so mintable again"
    );
    assert_eq!(suite.balance(&suite.mining()), 0);
}

/// Mining with proofs over three windows of a minute, at a fixed 1-in-64 target.
fn windowed_suite() -> Suite {
    SuiteBuilder::default()
        .with_mining(InstantiateMsg {
            retarget_interval: 100_000,
            hashrate: Some(WindowSchedule {
                window_seconds: 60,
                windows: 3,
            }),
            ..default_mining_msg()
        })
        .build()
}

/// Moves block time to the start of the next window of `seconds`.
fn to_next_window(suite: &mut Suite, seconds: u64) {
    let now = suite.now();
    suite.advance(seconds - now % seconds);
}

#[test]
fn the_proven_hashrate_is_the_recent_windows_work_over_their_length() {
    let mut suite = windowed_suite();
    let alice = suite.addr("alice");
    to_next_window(&mut suite, 60);
    let first = suite.now();
    // 3, 6 and 9 solutions of 64 expected hashes in three windows.
    for solutions in [3, 6, 9] {
        for _ in 0..solutions {
            suite.mine(&alice).expect("valid solution");
        }
        suite.advance(60);
    }
    let proof = suite.get_hashrate(&alice);
    assert_eq!((proof.from, proof.until), (first, first + 180));
    assert_eq!(proof.solutions, 18);
    assert_eq!(proof.work, Uint128::new(18 * 64));
    // 1,152 hashes / 180 s = 6.4: rounded down.
    assert_eq!(proof.hashes_per_second, Uint128::new(6));
    let stats: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: alice.to_string(),
    });
    let windows = stats.expect("a record").windows;
    assert_eq!(
        windows.iter().map(|w| w.solutions).collect::<Vec<_>>(),
        vec![3, 6, 9]
    );

    // A window later the first has left the period: (6 + 9) · 64 / 180 = 5.3.
    suite.advance(60);
    assert_eq!(
        suite.get_hashrate(&alice).hashes_per_second,
        Uint128::new(5)
    );
    // A miner that stops proves nothing once the period has passed.
    suite.advance(180);
    let stopped = suite.get_hashrate(&alice);
    assert_eq!(
        (stopped.hashes_per_second, stopped.solutions),
        (Uint128::zero(), 0)
    );
    // The lifetime sums stay.
    let stats: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: alice.to_string(),
    });
    assert_eq!(stats.expect("a record").work, Uint256::from(18u32 * 64));
}

#[test]
fn a_record_keeps_only_the_windows_a_proof_can_count() {
    let mut suite = windowed_suite();
    let alice = suite.addr("alice");
    for _ in 0..10 {
        suite.mine(&alice).expect("valid solution");
        suite.advance(60);
    }
    suite.mine(&alice).expect("valid solution");
    let stats: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: alice.to_string(),
    });
    let windows: Vec<WindowWork> = stats.expect("a record").windows;
    // The current window and the three complete ones before it.
    assert_eq!(windows.len(), 4);
    assert!(
        windows
            .windows(2)
            .all(|pair| pair[1].start == pair[0].start + 60)
    );
}

#[test]
fn an_address_that_never_solved_proves_zero() {
    let mut suite = windowed_suite();
    let (alice, bob) = (suite.addr("alice"), suite.addr("bob"));
    suite.mine(&alice).expect("valid solution");
    suite.advance(60);
    let proof = suite.get_hashrate(&bob);
    assert_eq!(proof.address, bob);
    assert_eq!(proof.hashes_per_second, Uint128::zero());
    assert_eq!((proof.work, proof.solutions), (Uint128::zero(), 0));
    assert_eq!(proof.until - proof.from, 180);
    // Its record is an explicit None, and a malformed address a query error.
    let record: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: bob.to_string(),
    });
    assert_eq!(record, None);
    let err = suite
        .app
        .wrap()
        .query_wasm_smart::<ProvenHashrate>(
            suite.mining(),
            &QueryMsg::Hashrate {
                address: "not an address".into(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("bech32"), "{err}");
}

/// The attacker's view: the header's time is the miner's to choose within
/// `time_window`, so it must not choose the window; block time does.
#[test]
fn work_counts_in_the_window_of_block_time_not_header_time() {
    let mut suite = windowed_suite();
    let alice = suite.addr("alice");
    to_next_window(&mut suite, 60);
    suite.advance(1_000);
    for shift in [-600i64, 0, 600] {
        let mut header = suite.header_for(&alice);
        header.time = (i64::from(header.time) + shift) as u32;
        suite
            .submit(&alice, &solve(header))
            .expect("within time_window");
    }
    let stats: Option<MinerStats> = suite.query_mining(&QueryMsg::Miner {
        address: alice.to_string(),
    });
    let windows = stats.expect("a record").windows;
    let now = suite.now();
    assert_eq!(
        windows,
        vec![WindowWork {
            start: now - now % 60,
            solutions: 3,
            work: Uint128::new(3 * 64),
        }]
    );
}

#[test]
fn without_a_schedule_proofs_count_a_day_of_hours() {
    let suite = mining_suite();
    let config: Config = suite.query_mining(&QueryMsg::Config {});
    assert_eq!(config.hashrate, WindowSchedule::default());
    assert_eq!(
        (config.hashrate.window_seconds, config.hashrate.windows),
        (3_600, 24)
    );
    // A stored record without windows still loads, with none.
    let old = r#"{"solutions":1,"minted":"1","work":"64","first_solution_time":1,"last_solution_time":1}"#;
    let stats: MinerStats = cosmwasm_std::from_json(old).expect("an old record loads");
    assert!(stats.windows.is_empty());
}

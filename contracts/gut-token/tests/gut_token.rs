//! GUT on a cw-multi-test chain: supply rules, minter handover, CW20 behaviour and bad input.

use cosmwasm_std::{Binary, Uint128};
use cw_multi_test::Executor;
use cw20::Expiration;
use cw20_base::ContractError as Cw20Error;
use gpunion_testing::{GUT, Snapshot, SuiteBuilder, receiver};
use gut_token::ContractError;
use gut_token::msg::{ExecuteMsg, InstantiateMsg, TokenSwapAllocation};
use gut_token::supply::{MINABLE, PREMINE, TOTAL_SUPPLY_CAP};

#[test]
fn supply_figures_follow_the_whitepaper() {
    assert_eq!(TOTAL_SUPPLY_CAP.u128(), 1_002_000_000 * GUT);
    assert_eq!(PREMINE.u128(), 50_100_000 * GUT);
    assert_eq!(MINABLE.u128(), 951_900_000 * GUT);
}

#[test]
fn instantiation_premines_five_percent_to_the_treasury() {
    let suite = SuiteBuilder::default().build();
    let info = suite.get_token_info();
    assert_eq!(info.name, "GPUnion Token");
    assert_eq!(info.symbol, "GUT");
    assert_eq!(info.decimals, 6);
    assert_eq!(info.total_supply, PREMINE);
    assert_eq!(suite.balance(&suite.treasury), PREMINE.u128());
    let minter = suite.get_minter().expect("GUT has a minter");
    assert_eq!(minter.minter, suite.minter.to_string());
    assert_eq!(minter.cap, Some(TOTAL_SUPPLY_CAP));
}

#[test]
fn token_swap_allocation_comes_out_of_the_minable_share() {
    let allocation = 12_345_678 * GUT;
    let mut suite = SuiteBuilder::default()
        .with_token_swap(Snapshot::one_holder(allocation))
        .build();
    let swap = suite.token_swap();
    assert_eq!(suite.balance(&swap), allocation);
    assert_eq!(
        suite.get_token_info().total_supply.u128(),
        PREMINE.u128() + allocation
    );

    let miner = suite.addr("miner");
    let left = MINABLE.u128() - allocation;
    suite
        .mint(&miner, left)
        .expect("the rest of the minable share mints");
    assert_eq!(suite.get_token_info().total_supply, TOTAL_SUPPLY_CAP);
    assert_eq!(
        suite.mint(&miner, 1).unwrap_err(),
        ContractError::Cw20(Cw20Error::CannotExceedCap {})
    );
}

#[test]
fn minting_stops_at_the_cap() {
    let mut suite = SuiteBuilder::default().build();
    let miner = suite.addr("miner");
    assert_eq!(
        suite.mint(&miner, MINABLE.u128() + 1).unwrap_err(),
        ContractError::Cw20(Cw20Error::CannotExceedCap {})
    );
    suite
        .mint(&miner, MINABLE.u128() - 1)
        .expect("below the cap");
    suite.mint(&miner, 1).expect("exactly the cap");
    assert_eq!(suite.get_token_info().total_supply, TOTAL_SUPPLY_CAP);
    assert_eq!(
        suite.mint(&miner, 1).unwrap_err(),
        ContractError::Cw20(Cw20Error::CannotExceedCap {})
    );
    assert_eq!(suite.balance(&miner), MINABLE.u128());
}

#[test]
fn minter_hands_over_to_the_mining_contract_and_keeps_the_cap() {
    let mut suite = SuiteBuilder::default().build();
    let mining = suite.addr("mining");
    let stranger = suite.addr("stranger");
    let handover = ExecuteMsg::UpdateMinter {
        new_minter: Some(mining.to_string()),
    };
    assert_eq!(
        suite.gut_execute(&stranger, &handover).unwrap_err(),
        ContractError::Cw20(Cw20Error::Unauthorized {})
    );
    let minter = suite.minter.clone();
    suite
        .gut_execute(&minter, &handover)
        .expect("minter hands over");

    let info = suite.get_minter().expect("still a minter");
    assert_eq!(info.minter, mining.to_string());
    assert_eq!(info.cap, Some(TOTAL_SUPPLY_CAP));

    assert_eq!(
        suite.mint(&stranger, GUT).unwrap_err(),
        ContractError::Cw20(Cw20Error::Unauthorized {}),
        "the old minter may no longer mint"
    );
    let miner = suite.addr("miner");
    suite
        .gut_execute(
            &mining,
            &ExecuteMsg::Mint {
                recipient: miner.to_string(),
                amount: Uint128::new(50 * GUT),
            },
        )
        .expect("the mining contract mints");
    assert_eq!(suite.balance(&miner), 50 * GUT);
}

#[test]
fn minter_cannot_be_removed() {
    let mut suite = SuiteBuilder::default().build();
    let minter = suite.minter.clone();
    assert_eq!(
        suite
            .gut_execute(&minter, &ExecuteMsg::UpdateMinter { new_minter: None })
            .unwrap_err(),
        ContractError::MinterRemoval
    );
    assert_eq!(
        suite.get_minter().expect("minter kept").minter,
        minter.to_string()
    );
}

#[test]
fn transfers_move_balances() {
    let mut suite = SuiteBuilder::default().build();
    let (treasury, alice) = (suite.treasury.clone(), suite.addr("alice"));
    suite
        .transfer(&treasury, &alice, 7 * GUT)
        .expect("transfer");
    assert_eq!(suite.balance(&alice), 7 * GUT);
    assert_eq!(suite.balance(&treasury), PREMINE.u128() - 7 * GUT);

    let err = suite.transfer(&alice, &treasury, 8 * GUT).unwrap_err();
    assert!(
        matches!(err, ContractError::Cw20(Cw20Error::Std(_))),
        "overdraft is rejected: {err:?}"
    );
    assert_eq!(
        suite.balance(&alice),
        7 * GUT,
        "a failed transfer moves nothing"
    );
}

#[test]
fn send_calls_the_receiver_hook_atomically() {
    let mut suite = SuiteBuilder::default().build();
    let (treasury, receiver) = (suite.treasury.clone(), suite.receiver.clone());
    let response = suite
        .gut_execute(
            &treasury,
            &ExecuteMsg::Send {
                contract: receiver.to_string(),
                amount: Uint128::new(3 * GUT),
                msg: Binary::from(b"open-lease"),
            },
        )
        .expect("send");
    let hook = response
        .events
        .iter()
        .find(|e| e.ty == "wasm" && e.attributes.iter().any(|a| a.key == "received_from"))
        .expect("the receiver's hook ran");
    let attr = |key: &str| {
        hook.attributes
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value.clone())
            .expect("attribute present")
    };
    assert_eq!(attr("received_from"), treasury.to_string());
    assert_eq!(attr("received_amount"), (3 * GUT).to_string());
    assert_eq!(
        attr("received_msg"),
        Binary::from(b"open-lease").to_base64()
    );
    assert_eq!(attr("token"), suite.gut.to_string());
    assert_eq!(suite.balance(&receiver), 3 * GUT);

    let token = suite.gut.clone();
    let rejected = suite.app.execute_contract(
        treasury,
        token,
        &ExecuteMsg::Send {
            contract: receiver.to_string(),
            amount: Uint128::new(GUT),
            msg: Binary::from(receiver::REJECT),
        },
        &[],
    );
    let err = rejected.expect_err("a failing hook fails the send");
    assert!(
        format!("{err:?}").contains("receiver rejects this payment"),
        "{err:?}"
    );
    assert_eq!(suite.balance(&receiver), 3 * GUT, "and moves nothing");
}

#[test]
fn allowances_let_a_spender_transfer_send_and_burn() {
    let mut suite = SuiteBuilder::default().build();
    let (owner, spender, bob) = (
        suite.treasury.clone(),
        suite.addr("spender"),
        suite.addr("bob"),
    );
    let receiver = suite.receiver.clone();
    suite
        .gut_execute(
            &owner,
            &ExecuteMsg::IncreaseAllowance {
                spender: spender.to_string(),
                amount: Uint128::new(10 * GUT),
                expires: None,
            },
        )
        .expect("approve");

    let from = |amount: u128, recipient: &cosmwasm_std::Addr| ExecuteMsg::TransferFrom {
        owner: owner.to_string(),
        recipient: recipient.to_string(),
        amount: Uint128::new(amount),
    };
    suite
        .gut_execute(&spender, &from(4 * GUT, &bob))
        .expect("transfer_from");
    suite
        .gut_execute(
            &spender,
            &ExecuteMsg::SendFrom {
                owner: owner.to_string(),
                contract: receiver.to_string(),
                amount: Uint128::new(GUT),
                msg: Binary::from(b"hi"),
            },
        )
        .expect("send_from");
    suite
        .gut_execute(
            &spender,
            &ExecuteMsg::BurnFrom {
                owner: owner.to_string(),
                amount: Uint128::new(2 * GUT),
            },
        )
        .expect("burn_from");
    assert_eq!(suite.balance(&bob), 4 * GUT);
    assert_eq!(suite.balance(&receiver), GUT);
    assert_eq!(
        suite.get_token_info().total_supply.u128(),
        PREMINE.u128() - 2 * GUT
    );

    let err = suite
        .gut_execute(&spender, &from(3 * GUT + 1, &bob))
        .unwrap_err();
    assert!(
        matches!(err, ContractError::Cw20(Cw20Error::Std(_))),
        "only 3 GUT are left in the allowance: {err:?}"
    );
    let stranger = suite.addr("stranger");
    assert_eq!(
        suite.gut_execute(&stranger, &from(1, &bob)).unwrap_err(),
        ContractError::Cw20(Cw20Error::NoAllowance {})
    );
}

#[test]
fn expired_allowances_cannot_be_spent() {
    let mut suite = SuiteBuilder::default().build();
    let (owner, spender) = (suite.treasury.clone(), suite.addr("spender"));
    let height = suite.app.block_info().height;
    suite
        .gut_execute(
            &owner,
            &ExecuteMsg::IncreaseAllowance {
                spender: spender.to_string(),
                amount: Uint128::new(GUT),
                expires: Some(Expiration::AtHeight(height + 1)),
            },
        )
        .expect("approve");
    suite.app.update_block(|b| b.height += 1);
    let err = suite
        .gut_execute(
            &spender,
            &ExecuteMsg::TransferFrom {
                owner: owner.to_string(),
                recipient: spender.to_string(),
                amount: Uint128::new(1),
            },
        )
        .unwrap_err();
    assert_eq!(err, ContractError::Cw20(Cw20Error::Expired {}));
}

#[test]
fn zero_amounts_are_rejected() {
    let mut suite = SuiteBuilder::default().build();
    let (treasury, minter, bob) = (
        suite.treasury.clone(),
        suite.minter.clone(),
        suite.addr("bob"),
    );
    let receiver = suite.receiver.to_string();
    let zero = Uint128::zero();
    let cases = [
        (
            &treasury,
            "transfer",
            ExecuteMsg::Transfer {
                recipient: bob.to_string(),
                amount: zero,
            },
        ),
        (
            &bob,
            "transfer",
            ExecuteMsg::TransferFrom {
                owner: treasury.to_string(),
                recipient: bob.to_string(),
                amount: zero,
            },
        ),
        (
            &treasury,
            "send",
            ExecuteMsg::Send {
                contract: receiver.clone(),
                amount: zero,
                msg: Binary::default(),
            },
        ),
        (
            &bob,
            "send",
            ExecuteMsg::SendFrom {
                owner: treasury.to_string(),
                contract: receiver,
                amount: zero,
                msg: Binary::default(),
            },
        ),
        (&treasury, "burn", ExecuteMsg::Burn { amount: zero }),
        (
            &bob,
            "burn",
            ExecuteMsg::BurnFrom {
                owner: treasury.to_string(),
                amount: zero,
            },
        ),
        (
            &minter,
            "mint",
            ExecuteMsg::Mint {
                recipient: bob.to_string(),
                amount: zero,
            },
        ),
    ];
    for (sender, action, msg) in cases {
        assert_eq!(
            suite.gut_execute(sender, &msg).unwrap_err(),
            ContractError::ZeroAmount { action },
        );
    }
    assert_eq!(suite.get_token_info().total_supply, PREMINE);
}

#[test]
fn bad_recipient_addresses_are_rejected() {
    let mut suite = SuiteBuilder::default().build();
    let treasury = suite.treasury.clone();
    let err = suite
        .gut_execute(
            &treasury,
            &ExecuteMsg::Transfer {
                recipient: "not-an-address".to_string(),
                amount: Uint128::new(GUT),
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, ContractError::Cw20(Cw20Error::Std(_))),
        "{err:?}"
    );
    assert_eq!(suite.balance(&treasury), PREMINE.u128());
}

#[test]
fn instantiation_rejects_bad_addresses() {
    let mut suite = SuiteBuilder::default().build();
    let msg = InstantiateMsg {
        treasury: "treasury".to_string(),
        ..suite.gut_msg()
    };
    let err = suite.instantiate_gut(&msg).unwrap_err();
    assert!(
        matches!(&err, ContractError::InvalidAddress(e) if e.address == "treasury"),
        "{err:?}"
    );

    let msg = InstantiateMsg {
        minter: "".to_string(),
        ..suite.gut_msg()
    };
    let err = suite.instantiate_gut(&msg).unwrap_err();
    assert!(
        matches!(&err, ContractError::InvalidAddress(e) if e.address.is_empty()),
        "{err:?}"
    );
}

#[test]
fn instantiation_rejects_bad_swap_allocations() {
    let mut suite = SuiteBuilder::default().build();
    let swap = |amount: Uint128, address: String| TokenSwapAllocation { address, amount };
    let swap_addr = suite.addr("token-swap").to_string();
    let treasury = suite.addr("treasury").to_string();

    let too_large = MINABLE + Uint128::one();
    let msg = InstantiateMsg {
        token_swap: Some(swap(too_large, swap_addr.clone())),
        ..suite.gut_msg()
    };
    assert_eq!(
        suite.instantiate_gut(&msg).unwrap_err(),
        ContractError::SwapAllocationTooLarge {
            requested: too_large,
            minable: MINABLE
        }
    );

    let msg = InstantiateMsg {
        token_swap: Some(swap(Uint128::zero(), swap_addr)),
        ..suite.gut_msg()
    };
    assert_eq!(
        suite.instantiate_gut(&msg).unwrap_err(),
        ContractError::ZeroAmount {
            action: "token swap allocation"
        }
    );

    let msg = InstantiateMsg {
        token_swap: Some(swap(Uint128::new(GUT), treasury.clone())),
        ..suite.gut_msg()
    };
    assert_eq!(
        suite.instantiate_gut(&msg).unwrap_err(),
        ContractError::TreasuryIsTokenSwap { address: treasury }
    );

    let msg = InstantiateMsg {
        token_swap: Some(swap(MINABLE, suite.addr("token-swap").to_string())),
        ..suite.gut_msg()
    };
    suite
        .instantiate_gut(&msg)
        .expect("the whole minable share may go to the swap");
}

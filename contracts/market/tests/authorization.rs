//! Every execute message sent by the wrong account is rejected with a typed error, and
//! the permissionless ones (lapse refund, expiry) work for anyone.

use cosmwasm_std::{Uint128, to_json_binary};
use cw_multi_test::Executor;
use cw20::Cw20ReceiveMsg;
use gpunion_interface::market::{ExecuteMsg, LeaseResult, ReceiveMsg};
use gpunion_testing::{CID_B, GUT, Suite, SuiteBuilder, attributes, default_params, market_err};
use market::ContractError;

const PRICE: u128 = 3_600_000;

/// A suite with one provider, one customer and lease 1 Pending.
fn setup() -> (Suite, cosmwasm_std::Addr, cosmwasm_std::Addr, u64) {
    let mut suite = SuiteBuilder::default()
        .with_funds("customer", 100 * GUT)
        .with_funds("stranger", 100 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, PRICE));
    let customer = suite.addr("customer");
    let request = suite.lease_request(&provider, 3600, PRICE);
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    (suite, provider, customer, id)
}

fn rejected(suite: &mut Suite, sender: &cosmwasm_std::Addr, msg: ExecuteMsg) -> ContractError {
    market_err(suite.execute(sender, &msg).unwrap_err())
}

#[test]
fn provider_messages_from_non_providers_are_rejected() {
    let (mut suite, _provider, customer, _) = setup();
    let not_provider = ContractError::ProviderNotFound {
        address: customer.to_string(),
    };
    for msg in [
        ExecuteMsg::UpdateProvider {
            attributes: attributes(1, PRICE),
        },
        ExecuteMsg::Pause {},
        ExecuteMsg::Resume {},
        ExecuteMsg::Heartbeat {},
        ExecuteMsg::Leave {},
        ExecuteMsg::ClaimStake {},
    ] {
        assert_eq!(rejected(&mut suite, &customer, msg), not_provider);
    }
    // Topping up needs a provider record too.
    assert_eq!(
        market_err(
            suite
                .send(&customer, GUT, &ReceiveMsg::TopUpStake {})
                .unwrap_err()
        ),
        not_provider
    );
}

#[test]
fn lease_messages_from_the_wrong_party_are_rejected() {
    let (mut suite, provider, customer, id) = setup();
    let stranger = suite.addr("stranger");
    let other = suite.add_provider("other-provider", attributes(1, PRICE));
    let provider_only = ContractError::NotLeaseParty {
        id,
        role: "provider",
    };
    for sender in [&customer, &stranger, &other] {
        for msg in [
            ExecuteMsg::AcceptLease { lease_id: id },
            ExecuteMsg::RejectLease { lease_id: id },
            ExecuteMsg::Withdraw { lease_id: id },
            ExecuteMsg::PostResult {
                lease_id: id,
                result: LeaseResult {
                    cid: CID_B.into(),
                    output_hash: None,
                    trace_root: None,
                },
            },
        ] {
            assert_eq!(rejected(&mut suite, sender, msg), provider_only);
        }
    }
    assert_eq!(
        rejected(
            &mut suite,
            &stranger,
            ExecuteMsg::CloseLease { lease_id: id }
        ),
        ContractError::NotLeaseParty {
            id,
            role: "customer or provider"
        }
    );
    assert_eq!(
        market_err(suite.extend(&stranger, GUT, id, 60).unwrap_err()),
        ContractError::NotLeaseParty {
            id,
            role: "customer"
        }
    );
    // The lease is untouched and its provider can still accept it.
    suite.accept(&provider, id).unwrap();
}

#[test]
fn owner_messages_from_others_are_rejected() {
    let (mut suite, provider, customer, _) = setup();
    for sender in [&provider, &customer] {
        for msg in [
            ExecuteMsg::UpdateParams {
                params: default_params(),
            },
            ExecuteMsg::TransferOwnership {
                new_owner: sender.to_string(),
            },
            ExecuteMsg::UpdateTreasury {
                treasury: sender.to_string(),
            },
            ExecuteMsg::SetIndexer {
                indexer: Some(sender.to_string()),
            },
        ] {
            assert_eq!(rejected(&mut suite, sender, msg), ContractError::NotOwner);
        }
        // Nobody was proposed: nobody can accept ownership.
        assert_eq!(
            rejected(&mut suite, sender, ExecuteMsg::AcceptOwnership {}),
            ContractError::NotPendingOwner
        );
    }
}

#[test]
fn hooks_not_sent_by_gut_are_rejected() {
    let (mut suite, provider, customer, _) = setup();
    // A user calling Receive directly, pretending to have sent GUT.
    let forged = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: customer.to_string(),
        amount: Uint128::new(1_000 * GUT),
        msg: to_json_binary(&ReceiveMsg::Register {
            attributes: attributes(1, PRICE),
        })
        .unwrap(),
    });
    assert_eq!(
        rejected(&mut suite, &customer, forged),
        ContractError::WrongToken {
            expected: suite.gut.clone(),
            got: customer.clone(),
        }
    );

    // Another CW20 token is not GUT either.
    let code = suite
        .app
        .store_code(Box::new(cw_multi_test::ContractWrapper::new(
            gut_token::contract::execute,
            gut_token::contract::instantiate,
            gut_token::contract::query,
        )));
    let fake = suite
        .app
        .instantiate_contract(
            code,
            customer.clone(),
            &gut_token::msg::InstantiateMsg {
                treasury: customer.to_string(),
                minter: customer.to_string(),
                token_swap: None,
                marketing: None,
            },
            &[],
            "FAKE",
            None,
        )
        .unwrap();
    let send = cw20::Cw20ExecuteMsg::Send {
        contract: suite.market.to_string(),
        amount: Uint128::new(PRICE),
        msg: to_json_binary(&ReceiveMsg::OpenLease(
            suite.lease_request(&provider, 3600, PRICE),
        ))
        .unwrap(),
    };
    let err = suite
        .app
        .execute_contract(customer.clone(), fake.clone(), &send, &[])
        .unwrap_err();
    assert_eq!(
        market_err(err),
        ContractError::WrongToken {
            expected: suite.gut.clone(),
            got: fake,
        }
    );
}

#[test]
fn permissionless_messages_work_for_anyone_at_the_right_time() {
    let (mut suite, provider, _customer, id) = setup();
    let stranger = suite.addr("stranger");
    suite.advance(601);
    suite
        .execute(&stranger, &ExecuteMsg::ReclaimLapsed { lease_id: id })
        .unwrap();

    suite.heartbeat(&provider).unwrap();
    let request = suite.lease_request(&provider, 3600, PRICE);
    let customer = suite.addr("customer");
    let id = suite.open_lease(&customer, PRICE, request).unwrap();
    suite.accept(&provider, id).unwrap();
    assert!(matches!(
        market_err(suite.expire(&stranger, id).unwrap_err()),
        ContractError::ProviderNotDisconnected { .. }
    ));
    suite.advance(301);
    suite.expire(&stranger, id).unwrap();
}

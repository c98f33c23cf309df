//! The token swap on a cw-multi-test chain, with real secp256k1 keys signing as
//! Bitcoin-family wallets do.

use cosmwasm_std::{Binary, HexBinary, Uint128, to_json_binary};
use cw_multi_test::Executor;
use gpunion_interface::mining::MiningPoolHookMsg;
use gpunion_interface::token_swap::address::AddressError;
use gpunion_interface::token_swap::claim_message;
use gpunion_interface::token_swap::signed_message::SignatureFormatError;
use gpunion_testing::{GUT, OldWallet, SWAP_WINDOW, Snapshot, Suite, SuiteBuilder, VERSION};
use token_swap::ContractError;
use token_swap::msg::{ClaimResponse, ExecuteMsg, QueryMsg, StatsResponse};
use token_swap::state::Config;

/// GUT and a swap over four holders, not connected yet. The suite's receiver stands in
/// for the mining pool.
fn unconnected() -> Suite {
    SuiteBuilder::default()
        .with_token_swap(Snapshot::four_holders())
        .build()
}

/// The same swap, connected by its owner to GUT and the stand-in pool.
fn connected() -> Suite {
    let mut suite = unconnected();
    let (owner, pool) = (suite.owner.clone(), suite.receiver.clone());
    suite.connect_swap(&owner, &pool).expect("owner connects");
    suite
}

#[test]
fn a_holder_claims_once_to_the_signed_address() {
    let mut suite = connected();
    let alice = suite.addr("alice");
    let response = suite.claim(0, &alice).expect("valid claim");
    assert_eq!(suite.balance(&alice), 1_000 * GUT);
    assert!(response.events.iter().any(|e| {
        e.attributes
            .iter()
            .any(|a| a.key == "action" && a.value == "claim")
    }));

    let old_address = suite.snapshot().holders[0].wallet.address();
    let claim: ClaimResponse = suite.query_swap(&QueryMsg::Claim {
        old_address: old_address.clone(),
    });
    let record = claim.claim.expect("claim recorded");
    assert_eq!(
        (record.recipient, record.amount),
        (alice.clone(), Uint128::new(1_000 * GUT))
    );

    assert_eq!(
        suite.claim(0, &alice).unwrap_err(),
        ContractError::AlreadyClaimed { old_address }
    );
    let bob = suite.addr("bob");
    assert!(
        matches!(
            suite.claim(0, &bob).unwrap_err(),
            ContractError::AlreadyClaimed { .. }
        ),
        "nor to another address"
    );
    assert_eq!(suite.balance(&alice), 1_000 * GUT, "paid once");
}

#[test]
fn every_holder_can_claim_including_uncompressed_keys() {
    let mut suite = connected();
    let total: u128 = suite.snapshot().holders.iter().map(|h| h.amount).sum();
    for i in 0..suite.snapshot().holders.len() {
        let recipient = suite.addr(&format!("new-{i}"));
        suite.claim(i, &recipient).expect("claim");
        assert_eq!(
            suite.balance(&recipient),
            suite.snapshot().holders[i].amount
        );
    }
    let stats: StatsResponse = suite.query_swap(&QueryMsg::Stats {});
    assert_eq!(stats.claimed.u128(), total);
    assert_eq!(stats.claims, 4);
    assert_eq!(stats.unclaimed, Uint128::zero());
    assert_eq!(suite.balance(&suite.token_swap()), 0);
}

#[test]
fn a_wrong_amount_does_not_fit_the_proof() {
    let mut suite = connected();
    let alice = suite.addr("alice");
    let mut msg = suite.claim_msg(1, &alice);
    {
        let m = &mut msg;
        if let ExecuteMsg::Claim { amount, .. } = m {
            *amount += Uint128::one();
        }
    }
    let err = suite.swap_execute(&alice, &msg).unwrap_err();
    assert!(matches!(err, ContractError::InvalidProof { .. }), "{err:?}");
    assert_eq!(suite.balance(&alice), 0);
}

#[test]
fn another_key_or_another_recipient_is_not_the_holder_s_signature() {
    let mut suite = connected();
    let (alice, mallory) = (suite.addr("alice"), suite.addr("mallory"));

    // Signed by a key that is not the holder's.
    let mut msg = suite.claim_msg(0, &alice);
    let intruder = OldWallet::new(9, true);
    {
        let m = &mut msg;
        if let ExecuteMsg::Claim { signature, .. } = m {
            *signature = intruder.sign_message(&suite.claim_text(&alice));
        }
    }
    let err = suite.swap_execute(&alice, &msg).unwrap_err();
    assert_eq!(
        err,
        ContractError::SignerMismatch {
            old_address: suite.snapshot().holders[0].wallet.address(),
            signer: intruder.address(),
        }
    );

    // The holder's signature for alice, replayed to pay mallory (mempool theft).
    let mut msg = suite.claim_msg(0, &alice);
    {
        let m = &mut msg;
        if let ExecuteMsg::Claim { recipient, .. } = m {
            *recipient = mallory.to_string();
        }
    }
    let err = suite.swap_execute(&mallory, &msg).unwrap_err();
    assert!(
        matches!(err, ContractError::SignerMismatch { .. }),
        "{err:?}"
    );
    assert_eq!(suite.balance(&mallory), 0);
    suite
        .claim(0, &alice)
        .expect("the genuine claim still works");
}

#[test]
fn a_signature_binds_the_chain_and_the_swap_contract() {
    let mut suite = connected();
    let alice = suite.addr("alice");
    let relayer = suite.addr("relayer");
    let holder = suite.snapshot().holders[0].wallet.address();
    let chain_id = suite.app.block_info().chain_id;
    let swap = suite.token_swap();
    let other_swap = suite.addr("another-swap");
    // Signed over the recipient alone, or for another chain or another swap contract.
    for text in [
        alice.to_string(),
        claim_message("another-chain", swap.as_str(), alice.as_str()),
        claim_message(&chain_id, other_swap.as_str(), alice.as_str()),
    ] {
        let mut msg = suite.claim_msg(0, &alice);
        if let ExecuteMsg::Claim { signature, .. } = &mut msg {
            *signature = suite.snapshot().holders[0].wallet.sign_message(&text);
        }
        let err = suite.swap_execute(&relayer, &msg).unwrap_err();
        assert!(
            matches!(&err, ContractError::SignerMismatch { old_address, .. } if *old_address == holder),
            "{text}: {err:?}"
        );
    }
    assert_eq!(suite.balance(&alice), 0);
    suite
        .claim(0, &alice)
        .expect("signed for this chain and swap");
}

/// A change to a valid claim message.
type ClaimEdit = dyn Fn(&mut ExecuteMsg);

#[test]
fn malformed_signatures_and_proofs_are_typed_errors() {
    let mut suite = connected();
    let alice = suite.addr("alice");
    let cases: Vec<(Box<ClaimEdit>, ContractError)> = vec![
        (
            Box::new(|m| {
                if let ExecuteMsg::Claim { signature, .. } = m {
                    *signature = Binary::from(&signature.as_slice()[..64]);
                }
            }),
            ContractError::SignatureFormat(SignatureFormatError::Length(64)),
        ),
        (
            Box::new(|m| {
                if let ExecuteMsg::Claim { signature, .. } = m {
                    let mut bytes = signature.to_vec();
                    bytes[0] = 26;
                    *signature = Binary::from(bytes);
                }
            }),
            ContractError::SignatureFormat(SignatureFormatError::Header(26)),
        ),
        (
            Box::new(|m| {
                if let ExecuteMsg::Claim { proof, .. } = m {
                    proof[0] = HexBinary::from(&[1u8; 31]);
                }
            }),
            ContractError::InvalidProofElement {
                index: 0,
                length: 31,
            },
        ),
        (
            Box::new(|m| {
                if let ExecuteMsg::Claim { proof, .. } = m {
                    *proof = vec![HexBinary::from(&[0u8; 32]); 41];
                }
            }),
            ContractError::ProofTooLong { max: 40, found: 41 },
        ),
        (
            Box::new(|m| {
                if let ExecuteMsg::Claim { amount, .. } = m {
                    *amount = Uint128::zero();
                }
            }),
            ContractError::ZeroAmount { what: "claim" },
        ),
    ];
    for (edit, expected) in cases {
        let mut msg = suite.claim_msg(0, &alice);
        edit(&mut msg);
        assert_eq!(suite.swap_execute(&alice, &msg).unwrap_err(), expected);
    }
    assert_eq!(suite.balance(&alice), 0);
}

#[test]
fn bad_addresses_are_rejected() {
    let mut suite = connected();
    let alice = suite.addr("alice");
    let mut msg = suite.claim_msg(0, &alice);
    {
        let m = &mut msg;
        if let ExecuteMsg::Claim { old_address, .. } = m {
            // A valid Bitcoin address: right checksum, wrong chain.
            *old_address = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".to_string();
        }
    }
    assert_eq!(
        suite.swap_execute(&alice, &msg).unwrap_err(),
        ContractError::InvalidOldAddress {
            address: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".to_string(),
            reason: AddressError::Version {
                expected: VERSION,
                found: 0
            },
        }
    );
    let mut msg = suite.claim_msg(0, &alice);
    {
        let m = &mut msg;
        if let ExecuteMsg::Claim { recipient, .. } = m {
            *recipient = "not-bech32".to_string();
        }
    }
    assert!(matches!(
        suite.swap_execute(&alice, &msg).unwrap_err(),
        ContractError::InvalidAddress(e) if e.address == "not-bech32"
    ));
}

#[test]
fn claims_close_at_the_deadline_and_the_rest_returns_to_the_mining_pool() {
    let mut suite = connected();
    let (alice, owner, stranger) = (
        suite.addr("alice"),
        suite.owner.clone(),
        suite.addr("stranger"),
    );
    suite.claim(0, &alice).expect("claim in time");
    assert!(matches!(
        suite
            .swap_execute(&owner, &ExecuteMsg::ReturnUnclaimed {})
            .unwrap_err(),
        ContractError::ClaimWindowOpen { .. }
    ));

    suite.advance(SWAP_WINDOW);
    let late = suite.addr("late");
    assert!(matches!(
        suite.claim(1, &late).unwrap_err(),
        ContractError::ClaimWindowClosed { .. }
    ));
    assert_eq!(
        suite
            .swap_execute(&stranger, &ExecuteMsg::ReturnUnclaimed {})
            .unwrap_err(),
        ContractError::Unauthorized
    );
    let unclaimed: u128 = suite.snapshot().holders[1..].iter().map(|h| h.amount).sum();
    let response = suite
        .swap_execute(&owner, &ExecuteMsg::ReturnUnclaimed {})
        .expect("return");
    let pool = suite.receiver.clone();
    assert_eq!(suite.balance(&pool), unclaimed);
    // The pool received it with the hook the mining contract takes.
    let hook = to_json_binary(&MiningPoolHookMsg::ReturnToPool {})
        .expect("json")
        .to_base64();
    assert!(response.events.iter().any(|e| {
        let attr = |key: &str| {
            e.attributes
                .iter()
                .find(|a| a.key == key)
                .map(|a| a.value.clone())
        };
        attr("received_amount") == Some(unclaimed.to_string())
            && attr("received_msg") == Some(hook.clone())
    }));
    let stats: StatsResponse = suite.query_swap(&QueryMsg::Stats {});
    assert_eq!(stats.returned.u128(), unclaimed);
    assert_eq!(
        suite
            .swap_execute(&owner, &ExecuteMsg::ReturnUnclaimed {})
            .unwrap_err(),
        ContractError::NothingToReturn
    );
}

#[test]
fn connecting_is_the_owner_s_once_and_needs_the_allocation() {
    let mut suite = unconnected();
    let (alice, pool) = (suite.addr("alice"), suite.receiver.clone());
    assert_eq!(
        suite.claim(0, &alice).unwrap_err(),
        ContractError::NotConnected
    );
    assert_eq!(
        suite.connect_swap(&alice, &pool).unwrap_err(),
        ContractError::Unauthorized
    );
    let owner = suite.owner.clone();
    suite.connect_swap(&owner, &pool).expect("owner connects");
    assert_eq!(
        suite.connect_swap(&owner, &pool).unwrap_err(),
        ContractError::AlreadyConnected
    );
    let config: Config = suite.query_swap(&QueryMsg::Config {});
    assert_eq!(config.token, Some(suite.gut.clone()));
    assert_eq!(config.mining_pool, Some(pool.clone()));

    // A second swap that GUT did not fund cannot connect.
    let deadline = suite.app.block_info().time.plus_seconds(10);
    let msg = suite.swap_msg(5, deadline);
    let unfunded = suite.instantiate_swap(&msg).expect("instantiates");
    let connect = ExecuteMsg::Connect {
        token: suite.gut.to_string(),
        mining_pool: pool.to_string(),
    };
    let err = suite
        .app
        .execute_contract(owner, unfunded, &connect, &[])
        .unwrap_err();
    assert_eq!(
        err.downcast::<ContractError>().expect("typed"),
        ContractError::AllocationNotHeld {
            held: Uint128::zero(),
            expected: Uint128::new(5)
        }
    );
}

#[test]
fn instantiation_rejects_bad_parameters() {
    let mut suite = unconnected();
    let now = suite.app.block_info().time;
    let good = suite.swap_msg(10, now.plus_seconds(10));
    let cases = [
        (
            cosmwasm_std::HexBinary::from(&[0u8; 31]),
            Uint128::new(10),
            "m".to_string(),
            now.plus_seconds(10),
            ContractError::InvalidRoot { length: 31 },
        ),
        (
            good.merkle_root.clone(),
            Uint128::zero(),
            "m".to_string(),
            now.plus_seconds(10),
            ContractError::ZeroAmount {
                what: "total allocation",
            },
        ),
        (
            good.merkle_root.clone(),
            Uint128::new(10),
            String::new(),
            now.plus_seconds(10),
            ContractError::InvalidMagic { max: 64, found: 0 },
        ),
        (
            good.merkle_root.clone(),
            Uint128::new(10),
            "m".to_string(),
            now,
            ContractError::DeadlineInPast { deadline: now },
        ),
    ];
    for (merkle_root, total_allocation, message_magic, claim_deadline, expected) in cases {
        let msg = token_swap::msg::InstantiateMsg {
            merkle_root,
            total_allocation,
            message_magic,
            claim_deadline,
            ..good.clone()
        };
        assert_eq!(suite.instantiate_swap(&msg).unwrap_err(), expected);
    }
}

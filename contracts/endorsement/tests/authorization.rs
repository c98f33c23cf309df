//! Every endorsement message from the wrong sender is rejected with a typed error.

use cosmwasm_std::{Decimal, Uint128, to_json_binary};
use cw20::Cw20ReceiveMsg;
use endorsement::ContractError;
use gpunion_interface::endorsement::{Attribute, ExecuteMsg, ReceiveMsg};
use gpunion_testing::{GUT, SuiteBuilder, attributes, default_endorsement_params, endorsement_err};

#[test]
fn wrong_senders_are_rejected() {
    let mut suite = SuiteBuilder::default()
        .with_funds("auditor", 1_000 * GUT)
        .build();
    let provider = suite.add_provider("provider", attributes(1, 3_600_000));
    let customer = suite.addr("customer");
    let auditor = suite.addr("auditor");
    let stranger = suite.addr("stranger");
    let id = suite.served_lease(&customer, &provider, 600, 3_600_000);
    suite.bond_endorser(&auditor, 1_000 * GUT).unwrap();
    suite
        .endorse_execute(
            &auditor,
            &ExecuteMsg::Endorse {
                provider: provider.to_string(),
                attribute: Attribute::Region,
                claim: "DE".into(),
            },
        )
        .unwrap();

    // Rating by someone other than the lease's customer (the provider included).
    for sender in [&stranger, &provider] {
        assert_eq!(
            endorsement_err(suite.rate(sender, id, 5).unwrap_err()),
            ContractError::NotLeaseCustomer { id }
        );
    }
    // Endorser actions by a non-endorser.
    assert_eq!(
        endorsement_err(
            suite
                .endorse_execute(
                    &stranger,
                    &ExecuteMsg::Endorse {
                        provider: provider.to_string(),
                        attribute: Attribute::Region,
                        claim: "DE".into()
                    }
                )
                .unwrap_err()
        ),
        ContractError::NotEndorser {
            address: stranger.clone()
        }
    );
    for msg in [ExecuteMsg::Unbond {}, ExecuteMsg::ClaimStake {}] {
        assert_eq!(
            endorsement_err(suite.endorse_execute(&stranger, &msg).unwrap_err()),
            ContractError::NotEndorser {
                address: stranger.clone()
            }
        );
    }
    // Revoking someone else's attestation.
    assert_eq!(
        endorsement_err(
            suite
                .endorse_execute(
                    &stranger,
                    &ExecuteMsg::Revoke {
                        provider: provider.to_string(),
                        attribute: Attribute::Region
                    }
                )
                .unwrap_err()
        ),
        ContractError::EndorsementNotFound {
            endorser: stranger.clone(),
            provider: provider.clone(),
            attribute: Attribute::Region
        }
    );
    // Owner actions.
    for sender in [&stranger, &auditor, &provider] {
        for msg in [
            ExecuteMsg::Slash {
                endorser: auditor.to_string(),
                provider: provider.to_string(),
                attribute: Attribute::Region,
                fraction: Decimal::percent(10),
            },
            ExecuteMsg::UpdateParams {
                params: default_endorsement_params(),
            },
        ] {
            assert_eq!(
                endorsement_err(suite.endorse_execute(sender, &msg).unwrap_err()),
                ContractError::NotOwner
            );
        }
    }
    // A forged hook.
    let forged = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: stranger.to_string(),
        amount: Uint128::new(1_000 * GUT),
        msg: to_json_binary(&ReceiveMsg::BondEndorser {}).unwrap(),
    });
    assert_eq!(
        endorsement_err(suite.endorse_execute(&stranger, &forged).unwrap_err()),
        ContractError::WrongToken {
            expected: suite.gut.clone(),
            got: stranger.clone()
        }
    );
    // Out-of-bounds parameters, even from the owner.
    let owner = suite.owner.clone();
    let mut params = default_endorsement_params();
    params.rating_half_life_seconds = 60;
    assert!(matches!(
        endorsement_err(
            suite
                .endorse_execute(&owner, &ExecuteMsg::UpdateParams { params })
                .unwrap_err()
        ),
        ContractError::ParamOutOfBounds {
            name: "rating_half_life_seconds",
            ..
        }
    ));
    let over = ExecuteMsg::Slash {
        endorser: auditor.to_string(),
        provider: provider.to_string(),
        attribute: Attribute::Region,
        fraction: Decimal::percent(101),
    };
    assert!(matches!(
        endorsement_err(suite.endorse_execute(&owner, &over).unwrap_err()),
        ContractError::ParamOutOfBounds {
            name: "fraction",
            ..
        }
    ));
}

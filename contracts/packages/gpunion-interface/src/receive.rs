//! The guard a contract runs on a CW20 `Receive` before it believes the hook inside.
//!
//! A CW20 `Send` reaches the receiving contract as `Receive(Cw20ReceiveMsg)` executed by
//! the token contract: `info.sender` is the token, `receive.sender` the account whose
//! tokens moved. Anyone may execute `Receive` directly, so a contract that takes GUT
//! checks who called before it credits anything.

use cosmwasm_std::{Addr, Api, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::address::{self, InvalidAddress};

/// Why a `Receive` is refused, in the order [`check`] tests it.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum ReceiveError {
    /// The hook came from another contract than the accepted token.
    #[error("only {expected} is accepted, got a hook from {got}")]
    WrongToken { expected: Addr, got: Addr },

    /// The hook carries no tokens.
    #[error("the amount sent must be greater than zero")]
    ZeroAmount,

    /// The account named as the sender is not an address of this chain.
    #[error(transparent)]
    InvalidSender(#[from] InvalidAddress),
}

/// A `Receive` that passed [`check`]: `amount` (never zero) of the accepted token, sent by
/// `sender` (a valid address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub sender: Addr,
    pub amount: Uint128,
}

/// Accepts `receive`, executed by `caller`, only if `caller` is `token`, the amount is
/// not zero and the hook's sender is a valid address.
pub fn check(
    api: &dyn Api,
    token: &Addr,
    caller: &Addr,
    receive: &Cw20ReceiveMsg,
) -> Result<Payment, ReceiveError> {
    if caller != token {
        return Err(ReceiveError::WrongToken {
            expected: token.clone(),
            got: caller.clone(),
        });
    }
    if receive.amount.is_zero() {
        return Err(ReceiveError::ZeroAmount);
    }
    Ok(Payment {
        sender: address::validate(api, &receive.sender)?,
        amount: receive.amount,
    })
}

/// Implements `From<ReceiveError>` for a contract error with the variants
/// `WrongToken { expected, got }`, `ZeroAmount { what }` (`what` is "amount sent") and
/// `InvalidAddress(InvalidAddress)`, as the market's and the endorsement contract's are,
/// so a refused `Receive` fails with the contract's own typed error.
#[macro_export]
macro_rules! impl_from_receive_error {
    ($error:ty) => {
        impl From<$crate::receive::ReceiveError> for $error {
            fn from(err: $crate::receive::ReceiveError) -> Self {
                use $crate::receive::ReceiveError;
                match err {
                    ReceiveError::WrongToken { expected, got } => {
                        Self::WrongToken { expected, got }
                    }
                    ReceiveError::ZeroAmount => Self::ZeroAmount {
                        what: "amount sent",
                    },
                    ReceiveError::InvalidSender(err) => Self::InvalidAddress(err),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::Binary;
    use cosmwasm_std::testing::MockApi;

    use super::*;

    fn receive(sender: &str, amount: u128) -> Cw20ReceiveMsg {
        Cw20ReceiveMsg {
            sender: sender.to_string(),
            amount: Uint128::new(amount),
            msg: Binary::default(),
        }
    }

    #[test]
    fn a_send_of_the_token_passes_with_its_sender_and_amount() {
        let api = MockApi::default();
        let (token, alice) = (api.addr_make("gut"), api.addr_make("alice"));
        assert_eq!(
            check(&api, &token, &token, &receive(alice.as_str(), 5)),
            Ok(Payment {
                sender: alice,
                amount: Uint128::new(5),
            })
        );
    }

    #[test]
    fn another_token_is_refused_before_anything_else() {
        let api = MockApi::default();
        let (token, other) = (api.addr_make("gut"), api.addr_make("other"));
        assert_eq!(
            check(&api, &token, &other, &receive("not an address", 0)),
            Err(ReceiveError::WrongToken {
                expected: token,
                got: other,
            })
        );
    }

    #[test]
    fn a_zero_amount_is_refused_before_the_sender_is_read() {
        let api = MockApi::default();
        let token = api.addr_make("gut");
        assert_eq!(
            check(&api, &token, &token, &receive("not an address", 0)),
            Err(ReceiveError::ZeroAmount)
        );
    }

    #[test]
    fn an_invalid_sender_is_refused_with_the_address_error() {
        let api = MockApi::default();
        let token = api.addr_make("gut");
        let expected = address::validate(&api, "not an address").unwrap_err();
        assert_eq!(
            check(&api, &token, &token, &receive("not an address", 1)),
            Err(ReceiveError::InvalidSender(expected))
        );
    }

    /// A contract error named as the market's.
    #[derive(Debug, PartialEq)]
    enum ContractError {
        WrongToken { expected: Addr, got: Addr },
        ZeroAmount { what: &'static str },
        InvalidAddress(InvalidAddress),
    }

    crate::impl_from_receive_error!(ContractError);

    #[test]
    fn each_refusal_becomes_the_contract_s_own_variant() {
        let api = MockApi::default();
        let (token, other) = (api.addr_make("gut"), api.addr_make("other"));
        let refused = |caller: &Addr, sender: &str, amount: u128| {
            ContractError::from(check(&api, &token, caller, &receive(sender, amount)).unwrap_err())
        };
        assert_eq!(
            refused(&other, "x", 1),
            ContractError::WrongToken {
                expected: token.clone(),
                got: other.clone(),
            }
        );
        assert_eq!(
            refused(&token, "x", 0),
            ContractError::ZeroAmount {
                what: "amount sent"
            }
        );
        assert_eq!(
            refused(&token, "x", 1),
            ContractError::InvalidAddress(address::validate(&api, "x").unwrap_err())
        );
    }
}

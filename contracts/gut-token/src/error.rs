use cosmwasm_std::{StdError, Uint128};
use thiserror::Error;

/// Errors of the GUT token: its own rules, and cw20-base's errors passed through.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    /// A CW20 rule enforced by cw20-base (cap exceeded, unauthorized, no allowance...).
    #[error(transparent)]
    Cw20(#[from] cw20_base::ContractError),

    #[error(transparent)]
    InvalidAddress(#[from] gpunion_interface::address::InvalidAddress),

    #[error("{action} amount must be greater than zero")]
    ZeroAmount { action: &'static str },

    #[error(
        "token swap allocation of {requested} ugut exceeds the minable share of {minable} ugut"
    )]
    SwapAllocationTooLarge {
        requested: Uint128,
        minable: Uint128,
    },

    #[error("treasury and token swap must be different accounts, both are {address}")]
    TreasuryIsTokenSwap { address: String },

    #[error("the minter cannot be removed: the minable share must stay mintable")]
    MinterRemoval,
}

use cosmwasm_std::{Addr, OverflowError, StdError, Uint128};
use gpunion_interface::endorsement::Attribute;
use gpunion_interface::stake::StakeError;
use gpunion_interface::validate::InputError;
use thiserror::Error;

/// Everything the endorsement contract rejects, with the data that explains it.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    #[error("invalid input: {0}")]
    Input(#[from] InputError),

    #[error("only the owner may do this")]
    NotOwner,

    #[error("only GUT ({expected}) is accepted, got a hook from {got}")]
    WrongToken { expected: Addr, got: Addr },

    #[error(transparent)]
    InvalidAddress(#[from] gpunion_interface::address::InvalidAddress),

    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },

    #[error("parameter {name} = {value} is outside [{min}, {max}]")]
    ParamOutOfBounds {
        name: &'static str,
        value: String,
        min: String,
        max: String,
    },

    #[error("lease {id} not found in the market")]
    LeaseNotFound { id: u64 },

    #[error("only the customer of lease {id} may rate it")]
    NotLeaseCustomer { id: u64 },

    #[error("lease {id} has not finished after being served")]
    LeaseNotFinished { id: u64 },

    #[error("lease {id} is already rated")]
    AlreadyRated { id: u64 },

    #[error("score {score} is outside 1..=5")]
    InvalidScore { score: u8 },

    #[error("{address} is not a provider in the market")]
    ProviderNotFound { address: String },

    #[error("{address} is not a bonded endorser")]
    NotEndorser { address: Addr },

    #[error("endorser stake of {stake} ugut is below the minimum of {min} ugut")]
    StakeTooLow { stake: Uint128, min: Uint128 },

    #[error("endorser {address} is unbonding")]
    Unbonding { address: Addr },

    #[error("endorser {address} still has {count} endorsements: revoke them first")]
    HasEndorsements { address: Addr, count: u32 },

    #[error("stake unbonds at {until}, it is {now}")]
    StillUnbonding { until: u64, now: u64 },

    #[error("{attribute:?} of {provider} is already endorsed by this endorser")]
    AlreadyEndorsed {
        provider: Addr,
        attribute: Attribute,
    },

    #[error("no {attribute:?} endorsement of {provider} by {endorser}")]
    EndorsementNotFound {
        endorser: Addr,
        provider: Addr,
        attribute: Attribute,
    },

    #[error("provider {provider} has the maximum of {max} endorsements")]
    TooManyEndorsements { provider: Addr, max: u32 },

    #[error("claim {claim:?} does not match the declared {attribute:?} {declared:?}")]
    ClaimMismatch {
        attribute: Attribute,
        claim: String,
        declared: String,
    },
}

// A refused GUT `Receive` and a parameter out of range fail with the variants above.
gpunion_interface::impl_from_receive_error!(ContractError);
gpunion_interface::impl_from_out_of_bounds!(ContractError);

/// An endorser that is not bonded has nothing to claim: `NotEndorser`.
impl From<StakeError> for ContractError {
    fn from(err: StakeError) -> Self {
        match err {
            StakeError::Unbonding { address, .. } => Self::Unbonding { address },
            StakeError::NotUnbonding { address } => Self::NotEndorser { address },
            StakeError::StillUnbonding { until, now } => Self::StillUnbonding { until, now },
            StakeError::Overflow(err) => Self::Overflow(err),
        }
    }
}

use cosmwasm_std::{StdError, Uint128};
use gpunion_interface::bounds::OutOfBounds;
use thiserror::Error;
use x16s::CompactTargetError;

/// Everything a mining message can be refused for.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    InvalidAddress(#[from] gpunion_interface::address::InvalidAddress),

    #[error("parameter {name}: {reason}")]
    InvalidParameter { name: &'static str, reason: String },

    #[error("target bits: {0}")]
    Bits(#[from] CompactTargetError),

    #[error("the token {token} has no minter cap")]
    UncappedToken { token: String },

    #[error("a header is 80 bytes, found {length}")]
    HeaderLength { length: usize },

    #[error("header version {found} is not the accepted {expected}")]
    HeaderVersion { expected: u32, found: u32 },

    #[error("stale previous hash {found}: the challenge is {expected}")]
    StalePrevious { expected: String, found: String },

    #[error("the header commits to another miner or chain than {miner} on {chain_id}")]
    WrongCommitment { miner: String, chain_id: String },

    #[error("header time {time} is more than {window} s from block time {block_time}")]
    TimeOutOfWindow {
        time: u32,
        block_time: u64,
        window: u64,
    },

    #[error("header bits {found:#010x} are not the challenge's {expected:#010x}")]
    WrongBits { expected: u32, found: u32 },

    #[error("hash {hash} is above the target {target}")]
    InsufficientWork { hash: String, target: String },

    #[error("the emission cap of {cap} ugut is reached: mining pays no more")]
    CapReached { cap: Uint128 },

    #[error("only GUT ({token}) may be received")]
    UnknownToken { token: String },

    #[error("only the token swap may return GUT to the pool")]
    NotTokenSwap,

    #[error("the received amount must be greater than zero")]
    ZeroAmount,
}

impl From<OutOfBounds> for ContractError {
    fn from(err: OutOfBounds) -> Self {
        Self::InvalidParameter {
            name: err.name,
            reason: format!("{} is outside {}..={}", err.value, err.min, err.max),
        }
    }
}

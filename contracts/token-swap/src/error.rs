use cosmwasm_std::{StdError, Timestamp, Uint128};
use thiserror::Error;

use gpunion_interface::token_swap::address::AddressError;
use gpunion_interface::token_swap::signed_message::SignatureFormatError;

/// Everything a token-swap message can be refused for.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error("only the owner may do this")]
    Unauthorized,

    #[error(transparent)]
    InvalidAddress(#[from] gpunion_interface::address::InvalidAddress),

    #[error("invalid old-chain address {address:?}: {reason}")]
    InvalidOldAddress {
        address: String,
        reason: AddressError,
    },

    #[error("the Merkle root must be 32 bytes, found {length}")]
    InvalidRoot { length: usize },

    #[error("proof element {index} must be 32 bytes, found {length}")]
    InvalidProofElement { index: usize, length: usize },

    #[error("a proof has at most {max} elements, found {found}")]
    ProofTooLong { max: usize, found: usize },

    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },

    #[error("the message magic must be 1 to {max} bytes, found {found}")]
    InvalidMagic { max: usize, found: usize },

    #[error("the claim deadline {deadline} is not in the future")]
    DeadlineInPast { deadline: Timestamp },

    #[error("the swap is already connected to its token")]
    AlreadyConnected,

    #[error("the swap is not connected to its token yet")]
    NotConnected,

    #[error("this contract holds {held} ugut of the token, the allocation is {expected}")]
    AllocationNotHeld { held: Uint128, expected: Uint128 },

    #[error("claims closed at {deadline}")]
    ClaimWindowClosed { deadline: Timestamp },

    #[error("claims are open until {deadline}: nothing can be returned before")]
    ClaimWindowOpen { deadline: Timestamp },

    #[error("{old_address} has already claimed")]
    AlreadyClaimed { old_address: String },

    #[error("the proof does not place ({old_address}, {amount}) in the snapshot")]
    InvalidProof {
        old_address: String,
        amount: Uint128,
    },

    #[error("malformed signature: {0}")]
    SignatureFormat(#[from] SignatureFormatError),

    #[error("the signature does not recover a public key: {reason}")]
    SignatureRecovery { reason: String },

    #[error("the signature is by {signer}, not by {old_address}")]
    SignerMismatch { old_address: String, signer: String },

    #[error("nothing left to return")]
    NothingToReturn,
}

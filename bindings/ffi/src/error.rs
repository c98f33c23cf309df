//! One error for every call, keeping the SDK's kinds: Python raises a subclass of
//! `GpunionError` per kind, Kotlin a subclass of the sealed `GpunionException`.

use gpunion_sdk::Error;

use crate::market::LeaseState;

/// Everything a GPUnion call can fail with; each kind is one of the SDK's error kinds
/// with the same data, as plain values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum GpunionError {
    /// No answer from an endpoint (refused, reset, timeout); with fail-over, the last
    /// endpoint tried.
    #[error("network error at {endpoint}: {detail}")]
    Network { endpoint: String, detail: String },
    /// The node answered with a JSON-RPC error.
    #[error("RPC error from {endpoint}: {detail}")]
    Rpc { endpoint: String, detail: String },
    /// The chain refused a transaction or query outside the wasm module, e.g. code 5 of
    /// codespace `sdk`: insufficient funds.
    #[error("chain rejected it (code {code}, codespace {codespace}): {log}")]
    ChainRejected {
        code: u32,
        codespace: String,
        log: String,
    },
    /// A contract returned an error; `log` carries the contract's own error text.
    #[error("contract error (code {code}): {log}")]
    Contract { code: u32, log: String },
    /// Waited `seconds` for `what` without an answer.
    #[error("timed out after {seconds} s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
    /// The nonce search failed; the chain was not involved.
    #[error("nonce search failed: {detail}")]
    Search { detail: String },
    /// A record the action needs does not exist on chain (a lease, a provider).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The caller's input is unusable (mnemonic, address, amount, URL, file); a
    /// mnemonic is never echoed.
    #[error("bad input: {detail}")]
    BadInput { detail: String },
    /// Bytes from the network or a file did not decode as `what`.
    #[error("cannot decode {what}: {detail}")]
    Decode { what: String, detail: String },
    /// The node served a header that does not verify: nothing it sent was believed.
    #[error("header {height} rejected: {reason}")]
    HeaderRejected { height: u64, reason: String },
    /// The node's proof of `what` does not verify: the value was not returned.
    #[error("proof of {what} at height {height} rejected: {reason}")]
    ProofRejected {
        what: String,
        height: u64,
        reason: String,
    },
    /// The trusted header is older than the trusting period: configure a new anchor.
    #[error("trusted header {height} is older than the trusting period")]
    TrustExpired { height: u64 },
    /// A verified read without a trust anchor.
    #[error("no trust anchor configured: cannot verify {what}")]
    NoTrustAnchor { what: String },
    /// The light client's trust store could not be read or written.
    #[error("trust store {path}: {detail}")]
    Store { path: String, detail: String },
    /// The lease ended (`state`) before it gave what the caller waited for;
    /// `refunded` ugut (a decimal) went back to the customer.
    #[error("lease {id} ended {state:?} without a result; refunded {refunded} ugut")]
    LeaseEnded {
        id: u64,
        state: LeaseState,
        refunded: String,
    },
    /// A peer could not be reached or its stream failed.
    #[error("peer {peer}: {detail}")]
    Peer { peer: String, detail: String },
    /// The provider refused the lease link request, saying why.
    #[error("the provider refused: {detail}")]
    AccessRefused { detail: String },
}

impl From<Error> for GpunionError {
    fn from(err: Error) -> Self {
        match err {
            Error::Network { endpoint, message } => Self::Network {
                endpoint,
                detail: message,
            },
            Error::Rpc { endpoint, message } => Self::Rpc {
                endpoint,
                detail: message,
            },
            Error::ChainRejected {
                code,
                codespace,
                log,
            } => Self::ChainRejected {
                code,
                codespace,
                log,
            },
            Error::Contract { code, message } => Self::Contract { code, log: message },
            Error::Timeout { what, seconds } => Self::Timeout { what, seconds },
            Error::Search(detail) => Self::Search { detail },
            Error::NotFound { what } => Self::NotFound { what },
            Error::BadInput(detail) => Self::BadInput { detail },
            Error::Decode { what, message } => Self::Decode {
                what,
                detail: message,
            },
            Error::HeaderRejected { height, reason } => Self::HeaderRejected { height, reason },
            Error::ProofRejected {
                what,
                height,
                reason,
            } => Self::ProofRejected {
                what,
                height,
                reason,
            },
            Error::TrustExpired { height } => Self::TrustExpired { height },
            Error::NoTrustAnchor { what } => Self::NoTrustAnchor { what },
            Error::Store { path, message } => Self::Store {
                path,
                detail: message,
            },
            Error::LeaseEnded {
                id,
                state,
                refunded,
            } => Self::LeaseEnded {
                id,
                state: state.into(),
                refunded: refunded.to_string(),
            },
            Error::Peer { peer, message } => Self::Peer {
                peer,
                detail: message,
            },
            Error::AccessRefused(why) => Self::AccessRefused {
                detail: why.to_string(),
            },
            // The SDK's enum is non-exhaustive: a kind added there shows up here as bad
            // input until it gets its own variant, never as a panic.
            other => Self::BadInput {
                detail: other.to_string(),
            },
        }
    }
}

/// Results of the bindings.
pub type Result<T, E = GpunionError> = std::result::Result<T, E>;

/// An amount of ugut (or ustake) from the SDK as the bindings' `u64`: GUT's whole supply
/// cap (1.002 × 10^15 ugut) fits with room to spare, so a larger value is a decoding
/// error, never a silent truncation.
pub(crate) fn amount(value: u128, what: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| GpunionError::Decode {
        what: what.to_string(),
        detail: format!("{value} does not fit in 64 bits"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_kinds_keep_their_data() {
        let err = GpunionError::from(Error::from_abci(5, "sdk", "insufficient funds"));
        assert_eq!(
            err,
            GpunionError::ChainRejected {
                code: 5,
                codespace: "sdk".into(),
                log: "insufficient funds".into()
            }
        );
        let err = GpunionError::from(Error::NotFound {
            what: "lease 9".into(),
        });
        assert_eq!(err.to_string(), "lease 9 not found");
    }

    #[test]
    fn amounts_over_64_bits_are_decode_errors() {
        assert_eq!(amount(7, "x"), Ok(7));
        assert!(matches!(
            amount(u128::from(u64::MAX) + 1, "balance"),
            Err(GpunionError::Decode { .. })
        ));
    }
}

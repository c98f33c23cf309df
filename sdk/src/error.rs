//! The one error type of the SDK.

/// Everything that can go wrong talking to a GPUnion chain. Callers match on the variant;
/// none of them carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No answer from an endpoint (connection refused, reset, HTTP failure, request
    /// timeout). With several endpoints, the one tried last.
    #[error("network error at {endpoint}: {message}")]
    Network { endpoint: String, message: String },
    /// The node answered with a JSON-RPC error (e.g. an unknown transaction hash).
    #[error("RPC error from {endpoint}: {message}")]
    Rpc { endpoint: String, message: String },
    /// The chain refused a transaction or a query: an ABCI code other than 0 outside
    /// the wasm module (e.g. code 5 of `sdk`: insufficient funds; 32: wrong sequence).
    #[error("chain rejected it (code {code}, codespace {codespace}): {log}")]
    ChainRejected {
        code: u32,
        codespace: String,
        log: String,
    },
    /// A contract returned an error (codespace `wasm`); `message` is the chain's log,
    /// which carries the contract's own error text.
    #[error("contract error (code {code}): {message}")]
    Contract { code: u32, message: String },
    /// Waited `seconds` for `what` without an answer.
    #[error("timed out after {seconds} s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
    /// The nonce searcher failed (a GPU that stopped working, a shader that does not
    /// compile); the chain was not involved.
    #[error("nonce search failed: {0}")]
    Search(String),
    /// A record the action needs does not exist on chain (an unknown lease, an address
    /// that is not a provider).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The caller's input is unusable (bad mnemonic, address, amount, URL, file).
    #[error("bad input: {0}")]
    BadInput(String),
    /// Bytes from the network (or a file) did not decode as `what`.
    #[error("cannot decode {what}: {message}")]
    Decode { what: String, message: String },
    /// The node served a header at `height` that does not verify against the trusted
    /// state (wrong hash, bad or missing signatures, another chain): it lies or is
    /// broken. Nothing it sent was believed.
    #[error("header {height} rejected: {reason}")]
    HeaderRejected { height: u64, reason: String },
    /// The node's proof of `what` at state height `height` does not verify against
    /// the app hash of the verified header at `height + 1`: the value it sent is forged
    /// or the proof is broken. The value was not returned.
    #[error("proof of {what} at height {height} rejected: {reason}")]
    ProofRejected {
        what: String,
        height: u64,
        reason: String,
    },
    /// The newest trusted header (at `height`) is older than the trusting period:
    /// skipping verification from it is no longer safe, and a new trust anchor is needed.
    #[error(
        "trusted header {height} is older than the trusting period: configure a new trust anchor"
    )]
    TrustExpired { height: u64 },
    /// A verified read was asked of a client that has no light client (no trust anchor
    /// configured); use the `*_unverified` query or configure one.
    #[error("no trust anchor configured: cannot verify {what}")]
    NoTrustAnchor { what: String },
    /// The light client's trust store could not be read or written.
    #[error("trust store {path}: {message}")]
    Store { path: String, message: String },
    /// Lease `id` was settled (`state`: closed, expired, lapsed) before it gave what
    /// the caller waited for; `refunded` ugut went back to the customer.
    #[error("lease {id} ended {state:?} without a result; refunded {refunded} ugut")]
    LeaseEnded {
        id: u64,
        state: gpunion_interface::market::LeaseState,
        refunded: u128,
    },
    /// A peer could not be reached or its stream failed (`peer`: its libp2p peer id).
    #[error("peer {peer}: {message}")]
    Peer { peer: String, message: String },
    /// The provider refused the lease link request, saying why.
    #[error("the provider refused: {0}")]
    AccessRefused(gpunion_interface::lease_link::AccessError),
}

/// Results of the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// ABCI code of `sdk` for a signature with the wrong account sequence.
pub const CODE_WRONG_SEQUENCE: u32 = 32;

impl Error {
    /// The error for a non-zero ABCI `code`: [`Error::Contract`] when the wasm module
    /// raised it, [`Error::ChainRejected`] otherwise.
    ///
    /// Errors that come back through a gRPC query path (transaction simulation, smart
    /// queries) lose their module code on the way: the SDK reports them as `sdk` code 6
    /// (unknown request) or 18 (invalid request) with the original error in the log.
    /// For those the original kind is recovered from the log's well-known wording, so a
    /// wrong sequence or a contract error in simulation matches like one in a block.
    pub fn from_abci(code: u32, codespace: &str, log: &str) -> Self {
        let contract = |code| Error::Contract {
            code,
            message: log.to_string(),
        };
        let rejected = |code, codespace: &str| Error::ChainRejected {
            code,
            codespace: codespace.to_string(),
            log: log.to_string(),
        };
        if codespace == "wasm" {
            return contract(code);
        }
        if codespace == "sdk" && (code == 6 || code == 18) {
            if log.contains("incorrect account sequence") {
                return rejected(CODE_WRONG_SEQUENCE, "sdk");
            }
            if log.contains("wasm contract failed") {
                return contract(code);
            }
            if log.contains("insufficient funds") {
                return rejected(5, "sdk");
            }
        }
        rejected(code, codespace)
    }

    /// Whether this is a wrong-sequence rejection (code 32 of `sdk`).
    pub fn is_sequence_mismatch(&self) -> bool {
        matches!(self, Error::ChainRejected { code, codespace, .. }
            if *code == CODE_WRONG_SEQUENCE && codespace == "sdk")
    }

    /// Whether the endpoint could not be reached (worth trying another one).
    pub fn is_network(&self) -> bool {
        matches!(self, Error::Network { .. })
    }

    pub(crate) fn decode(what: &str, err: impl std::fmt::Display) -> Self {
        Error::Decode {
            what: what.to_string(),
            message: err.to_string(),
        }
    }

    pub(crate) fn bad_input(what: impl std::fmt::Display) -> Self {
        Error::BadInput(what.to_string())
    }
}

/// The sequence the chain expected, from the log of a wrong-sequence rejection:
/// `account sequence mismatch, expected 7, got 5: incorrect account sequence`.
pub fn expected_sequence(log: &str) -> Option<u64> {
    let rest = &log[log.find("expected ")? + "expected ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Maps an error of tendermint-rpc at `endpoint`: JSON-RPC error answers become
/// [`Error::Rpc`], every transport failure [`Error::Network`].
/// The message of a tendermint-rpc error without the location and backtrace its
/// `Display` appends: `HTTP error\n\nCaused by:\n    refused\n\nLocation: …` becomes
/// `HTTP error: refused`.
fn without_trace(text: &str) -> String {
    let head = text.split("Location:").next().unwrap_or(text);
    head.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "Caused by:")
        .map(|l| {
            l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':')
                .trim()
        })
        .collect::<Vec<_>>()
        .join(": ")
}

pub(crate) fn from_rpc(endpoint: &str, err: tendermint_rpc::Error) -> Error {
    use tendermint_rpc::error::ErrorDetail;
    // The detail, not the error itself: tendermint-rpc's `Display` of an error carries
    // a captured backtrace.
    let message = match err.detail() {
        ErrorDetail::Response(e) => e.source.to_string(),
        _ => without_trace(&err.to_string()),
    };
    match err.detail() {
        ErrorDetail::Response(_) | ErrorDetail::Server(_) | ErrorDetail::MethodNotFound(_) => {
            Error::Rpc {
                endpoint: endpoint.to_string(),
                message: message.clone(),
            }
        }
        ErrorDetail::Parse(_) | ErrorDetail::Serde(_) => Error::Decode {
            what: format!("RPC answer from {endpoint}"),
            message: message.clone(),
        },
        _ => Error::Network {
            endpoint: endpoint.to_string(),
            message: message.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_sequence_is_parsed_from_the_log() {
        let log = "account sequence mismatch, expected 17, got 15: incorrect account sequence";
        assert_eq!(expected_sequence(log), Some(17));
        assert_eq!(expected_sequence("out of gas"), None);
        assert_eq!(expected_sequence("expected x"), None);
    }

    #[test]
    fn abci_errors_map_by_codespace() {
        let wasm = Error::from_abci(5, "wasm", "Unauthorized: execute wasm contract failed");
        assert!(matches!(wasm, Error::Contract { code: 5, .. }));
        let seq = Error::from_abci(32, "sdk", "account sequence mismatch, expected 2, got 1");
        assert!(seq.is_sequence_mismatch());
        let funds = Error::from_abci(5, "sdk", "insufficient funds");
        assert!(matches!(funds, Error::ChainRejected { code: 5, .. }));
        assert!(!funds.is_sequence_mismatch());
    }

    #[test]
    fn errors_through_grpc_queries_keep_their_kind() {
        let seq = Error::from_abci(
            6,
            "sdk",
            "account sequence mismatch, expected 9, got 8: incorrect account sequence With gas wanted: '0'",
        );
        assert!(seq.is_sequence_mismatch());
        let contract = Error::from_abci(
            6,
            "sdk",
            "Overflow: Cannot Sub with 0 and 1: execute wasm contract failed",
        );
        assert!(matches!(contract, Error::Contract { code: 6, .. }));
        let query = Error::from_abci(
            18,
            "sdk",
            "Generic error: unknown: query wasm contract failed: invalid request",
        );
        assert!(matches!(query, Error::Contract { .. }));
        let funds = Error::from_abci(
            6,
            "sdk",
            "spendable balance 1ustake is smaller than 2ustake: insufficient funds",
        );
        assert!(matches!(funds, Error::ChainRejected { code: 5, .. }));
        let other = Error::from_abci(6, "sdk", "something else");
        assert!(matches!(other, Error::ChainRejected { code: 6, .. }));
    }

    #[test]
    fn transport_failures_are_network_errors() {
        let err = from_rpc(
            "http://127.0.0.1:1",
            tendermint_rpc::Error::io(std::io::Error::other("refused")),
        );
        assert!(err.is_network());
        let Error::Network { message, .. } = err else {
            unreachable!()
        };
        assert!(message.contains("refused"), "{message}");
        assert!(!message.contains("Location"), "{message}");
        let err = from_rpc(
            "http://x",
            tendermint_rpc::Error::server("tx not found".into()),
        );
        assert!(matches!(err, Error::Rpc { .. }));
        let answer = tendermint_rpc::response_error::ResponseError::new(
            tendermint_rpc::response_error::Code::InternalError,
            Some("tx already exists in cache".into()),
        );
        match from_rpc("http://x", tendermint_rpc::Error::response(answer)) {
            Error::Rpc { message, .. } => {
                assert!(message.contains("tx already exists in cache"), "{message}");
                assert!(!message.contains("backtrace"), "{message}");
            }
            other => panic!("expected an RPC error, got {other:?}"),
        }
    }
}

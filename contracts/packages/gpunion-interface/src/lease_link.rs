//! The lease link: the protocol a lease's customer speaks with its provider over libp2p
//! (`gpunion-p2p`), for what the chain does not carry: the job's status and live logs,
//! the result straight from the provider, cancelling, and ports forwarded into a running
//! container.
//!
//! One stream per request, in size-limited JSON frames ([`MAX_FRAME_BYTES`]):
//!
//! 1. customer → provider: [`Hello`] (the lease and what is asked);
//! 2. provider → customer: [`Challenge`] (a fresh nonce and the chain id);
//! 3. customer → provider: [`Proof`]: the customer's secp256k1 public key and its
//!    signature of [`access_sign_bytes`], which name the chain, the lease, both peer ids
//!    and the nonce; so a signature is good for one stream with one provider only (no
//!    replay, no use by another provider or another peer);
//! 4. provider → customer: [`Answer`]: refused with an [`AccessError`], or granted after
//!    the provider checked, on chain and light-client verified, that the key's address
//!    is the lease's customer and the lease is open;
//! 5. then the request's own traffic: a [`LeaseStatus`] frame (status, cancel);
//!    [`LogFrame`]s; [`ResultFrame`]s; or, for a port forward, raw bytes both ways until
//!    either side closes.
//!
//! Anything out of order, malformed or over the limit closes that stream with an error;
//! other streams and leases are unaffected.

use cosmwasm_schema::cw_serde;

/// The libp2p protocol name (its version is part of it).
pub const PROTOCOL: &str = "/gpunion/lease/1.0.0";
/// The largest frame either side reads or writes.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Bytes of a challenge's nonce.
pub const NONCE_BYTES: usize = 32;
/// The most bytes of log text in one [`LogFrame::Text`].
pub const MAX_LOG_CHUNK: usize = 16 * 1024;

/// The first frame: which lease, and what the customer wants.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Hello {
    pub lease_id: u64,
    pub request: Request,
}

/// What a customer can ask of its lease's provider.
#[cw_serde]
pub enum Request {
    /// The job's state on the node.
    Status,
    /// The job's output so far (stdout and stderr of a container, the node's log of a
    /// bundle); with `follow`, then what it writes until it ends.
    Logs { follow: bool },
    /// Connect to `port` inside the lease's running container (its own network
    /// namespace); the stream then carries the bytes.
    Forward { port: u16 },
    /// The finished job's result folder, straight from the provider (IPFS keeps the
    /// durable copy): [`ResultFrame`]s, each file's bytes after its header.
    Result,
    /// Stop the job now (or never start it): the node posts a result that says so
    /// (`FailureKind::Cancelled`) and the lease settles for the time used. Answered with
    /// a [`LeaseStatus`].
    Cancel,
}

/// The provider's challenge.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// [`NONCE_BYTES`] random bytes, hex.
    pub nonce: String,
    /// The chain the lease is on.
    pub chain_id: String,
}

/// The customer's answer to the challenge.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// The customer's compressed secp256k1 public key (33 bytes), hex.
    pub public_key: String,
    /// ECDSA signature (64 bytes `r || s`, hex) of SHA-256 of [`access_sign_bytes`]: what
    /// a Cosmos key signs.
    pub signature: String,
}

/// Whether the request is served.
#[cw_serde]
pub enum Answer {
    Granted,
    Refused(AccessError),
}

/// Why a request is refused. Each says what the customer can do about it.
#[cw_serde]
#[derive(Eq)]
pub enum AccessError {
    /// The chain has no such lease.
    NoSuchLease { lease_id: u64 },
    /// The lease is another provider's.
    NotThisProvider { lease_id: u64 },
    /// The signing key's address is not the lease's customer.
    NotTheCustomer { lease_id: u64, address: String },
    /// The signature or key does not verify.
    BadSignature { reason: String },
    /// The lease is not open for this (not accepted yet, over, or outside its window).
    NotOpen { lease_id: u64, reason: String },
    /// The request cannot be served for this lease (no container to forward into, a
    /// job that has not started).
    Unavailable { reason: String },
    /// The provider could not read the chain now: try again.
    ChainUnavailable { reason: String },
    /// A frame was out of order or malformed.
    Protocol { reason: String },
}

impl std::fmt::Display for AccessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccessError::NoSuchLease { lease_id } => write!(f, "lease {lease_id} does not exist"),
            AccessError::NotThisProvider { lease_id } => {
                write!(f, "lease {lease_id} is not this provider's")
            }
            AccessError::NotTheCustomer { lease_id, address } => {
                write!(f, "{address} is not the customer of lease {lease_id}")
            }
            AccessError::BadSignature { reason } => write!(f, "bad signature: {reason}"),
            AccessError::NotOpen { lease_id, reason } => {
                write!(f, "lease {lease_id} is not open: {reason}")
            }
            AccessError::Unavailable { reason } => write!(f, "unavailable: {reason}"),
            AccessError::ChainUnavailable { reason } => {
                write!(f, "the provider cannot read the chain now: {reason}")
            }
            AccessError::Protocol { reason } => write!(f, "protocol error: {reason}"),
        }
    }
}

/// The job's state on the provider's node.
#[cw_serde]
pub struct LeaseStatus {
    pub lease_id: u64,
    /// `waiting` (accepted, not started), `running`, `finished`, `failed`, `cancelled`
    /// or `unknown`.
    pub job: String,
    /// Bytes of output so far (stdout and stderr).
    pub output_bytes: u64,
    /// The result's CID once published.
    pub result_cid: Option<String>,
}

/// One frame of a log stream.
#[cw_serde]
pub enum LogFrame {
    /// Output from `source` (`stdout`, `stderr` or `log`), at most [`MAX_LOG_CHUNK`].
    Text { source: String, text: String },
    /// The job ended (`finished`) or the stream stops (`not following`).
    End { reason: String },
}

/// One frame of a result download.
#[cw_serde]
pub enum ResultFrame {
    /// A folder of the result (`path` as for a file), sent before what it holds: empty
    /// folders are part of a result too.
    Folder { path: String },
    /// A file of the result folder: `path` relative to it (`/`-separated, no `..`), then
    /// exactly `size` raw bytes on the stream.
    File { path: String, size: u64 },
    /// The folder is complete: `files` files, `bytes` bytes in all.
    End { files: u64, bytes: u64 },
}

/// The bytes a customer signs to use lease `lease_id` on the provider with peer id
/// `provider_peer`, from its own peer `customer_peer`, answering `nonce` (hex): plain
/// text, one field per line, so that a wallet showing it shows what is signed.
pub fn access_sign_bytes(
    chain_id: &str,
    lease_id: u64,
    provider_peer: &str,
    customer_peer: &str,
    nonce: &str,
) -> Vec<u8> {
    format!(
        "GPUnion lease access\nchain: {chain_id}\nlease: {lease_id}\nprovider peer: {provider_peer}\ncustomer peer: {customer_peer}\nnonce: {nonce}\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_text_names_every_field_so_none_can_be_swapped() {
        let base = access_sign_bytes("c", 7, "P", "C", "00");
        assert_eq!(
            String::from_utf8(base.clone()).unwrap(),
            "GPUnion lease access\nchain: c\nlease: 7\nprovider peer: P\ncustomer peer: C\nnonce: 00\n"
        );
        for other in [
            access_sign_bytes("d", 7, "P", "C", "00"),
            access_sign_bytes("c", 8, "P", "C", "00"),
            access_sign_bytes("c", 7, "Q", "C", "00"),
            access_sign_bytes("c", 7, "P", "D", "00"),
            access_sign_bytes("c", 7, "P", "C", "01"),
        ] {
            assert_ne!(other, base);
        }
    }

    #[test]
    fn unknown_fields_and_requests_are_refused() {
        assert!(serde_json::from_str::<Hello>(r#"{"lease_id":1,"request":"status"}"#).is_ok());
        assert!(
            serde_json::from_str::<Hello>(r#"{"lease_id":1,"request":"status","x":1}"#).is_err()
        );
        assert!(serde_json::from_str::<Hello>(r#"{"lease_id":1,"request":"shell"}"#).is_err());
        assert!(
            serde_json::from_str::<Hello>(r#"{"lease_id":1,"request":{"forward":{"port":70000}}}"#)
                .is_err()
        );
    }
}

//! The one error type of the crate: a caller matches on what went wrong, and each
//! message tells a person what to do about it.

use std::path::PathBuf;
use std::time::Duration;

use crate::Cid;

/// Everything that can go wrong talking to Kubo or writing what it sends.
#[derive(Debug, thiserror::Error)]
pub enum IpfsError {
    /// Nothing answers at the RPC API address: Kubo is not running there.
    #[error("no IPFS node answers at {api}; start one with `ipfs/kubo up` (or set IPFS_API)")]
    NotRunning {
        /// The RPC API address that was tried.
        api: String,
    },
    /// The CID was not found within the timeout: no connected peer has it.
    #[error("{cid} was not found within {timeout:?}: no connected IPFS peer provides it")]
    NotFound {
        /// The CID that was looked for.
        cid: Cid,
        /// How long it was looked for.
        timeout: Duration,
    },
    /// The content behind the CID is larger than the caller allowed; the download was
    /// cut off there.
    #[error("{cid} is larger than the limit of {limit} bytes; the download was cut off")]
    TooLarge {
        /// The CID being fetched.
        cid: Cid,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A string is not a CID this crate accepts.
    #[error("malformed CID {input:?}: {reason}")]
    MalformedCid {
        /// The string as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The CID names a file (or other non-directory), where a directory was expected.
    #[error("{cid} is not a directory")]
    NotADirectory {
        /// The CID that is not a directory.
        cid: Cid,
    },
    /// An entry of a fetched directory would land outside the destination (`..`, an
    /// absolute path), or is a link or special file: nothing of it was written.
    #[error(
        "{cid} holds the entry {entry:?}, which is not a plain file or folder inside the destination"
    )]
    UnsafeEntry {
        /// The CID being fetched.
        cid: Cid,
        /// The entry's name as Kubo sent it.
        entry: String,
    },
    /// The RPC API address given is not an http(s) URL.
    #[error("bad IPFS RPC API address {api:?}: {reason}")]
    BadApiUrl {
        /// The address as given.
        api: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Kubo answered with an error (or an answer this client cannot read).
    #[error("Kubo answered {status}: {message}")]
    Kubo {
        /// The HTTP status of the answer: 200 for an error inside a streamed answer, 0
        /// when the connection broke before an answer.
        status: u16,
        /// Kubo's message, or what could not be read.
        message: String,
    },
    /// Reading or writing a local file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl IpfsError {
    /// An `Io` error for `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        IpfsError::Io {
            path: path.into(),
            source,
        }
    }

    /// An `Io` error of kind `kind` with a message, for local conditions that are not an
    /// OS error (a symbolic link in a bundle, a name that is not UTF-8).
    pub(crate) fn local(path: impl Into<PathBuf>, kind: std::io::ErrorKind, message: &str) -> Self {
        Self::io(path, std::io::Error::new(kind, message.to_owned()))
    }
}

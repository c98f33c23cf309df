//! The embedded light client: an app or a provider believes nothing the RPC node says
//! about state unless it is proven against a header that the client verified itself.
//!
//! - Headers ([`LightClient`]): from a configured trust anchor (height and hash), later
//!   headers are verified with tendermint-rs's pure verifier by skipping verification
//!   (trust threshold 1/3), bisecting when a skip lacks trust, within the trusting
//!   period. The newest trusted block is kept in a [`TrustStore`] on disk.
//! - State ([`proof`]): contract storage is read with `prove=true` and its ICS-23 proofs
//!   (IAVL, then multistore) are checked against the app hash of the verified header
//!   above the read's height.
//!
//! Decisions and the trust-on-first-use anchor of the local testnet: `docs/adr/05-light-client.md`.

mod client;
#[cfg(test)]
mod fake_chain_tests;
mod io;
pub mod proof;
mod store;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
/// The share of a trusted validator set's power that must sign a skipped-to header.
pub use tendermint_light_client_verifier::types::TrustThreshold;

pub use client::{LightClient, StateAt, Verified};
pub use io::LightIo;
pub use store::TrustStore;

/// The block the client trusts without verification: its height and hash, obtained out
/// of band (a configuration file, a block explorer, the genesis of a chain you started).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustAnchor {
    pub height: u64,
    /// The block hash, hex (upper or lower case).
    pub hash: tendermint::Hash,
}

/// How the light client verifies and where it keeps its trust.
#[derive(Debug, Clone)]
pub struct LightOptions {
    /// Where verification starts when the store holds nothing from this anchor.
    pub anchor: TrustAnchor,
    /// How long a verified header may serve as the base of a skip; must be shorter than
    /// the chain's unbonding period (21 days on wasmd's defaults).
    pub trusting_period: Duration,
    /// How far a header's time may be ahead of the local clock.
    pub clock_drift: Duration,
    /// The share of the trusted validators' power that must sign a skipped-to header.
    pub trust_threshold: TrustThreshold,
    /// Directory of the [`TrustStore`]; `None` keeps trust in memory only.
    pub store_dir: Option<PathBuf>,
    /// A verified read reuses the newest verified header if it was fetched this recently,
    /// instead of asking the node for a newer one: reads may then lag the chain by this
    /// much (never behind the caller's own included transactions, see
    /// [`crate::Rpc::observed_height`]). Zero: every read asks for the newest header.
    pub max_header_age: Duration,
    /// How long a read waits for the header that proves a height it must see.
    pub header_wait: Duration,
}

impl LightOptions {
    /// Defaults around `anchor`: trusting period 14 days, clock drift 10 s, threshold
    /// 1/3, headers reused for 1 s, store in [`default_store_dir`].
    pub fn new(anchor: TrustAnchor) -> Self {
        Self {
            anchor,
            trusting_period: Duration::from_secs(14 * 24 * 3600),
            clock_drift: Duration::from_secs(10),
            trust_threshold: TrustThreshold::ONE_THIRD,
            store_dir: default_store_dir(),
            max_header_age: Duration::from_secs(1),
            header_wait: Duration::from_secs(30),
        }
    }

    /// The same options keeping trust under `dir` (`None`: in memory).
    pub fn with_store_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.store_dir = dir;
        self
    }

    /// The verifier's options.
    fn verifier_options(&self) -> tendermint_light_client_verifier::options::Options {
        tendermint_light_client_verifier::options::Options {
            trust_threshold: self.trust_threshold,
            trusting_period: self.trusting_period,
            clock_drift: self.clock_drift,
        }
    }
}

/// `$GPUNION_LIGHT_STORE`, else `$XDG_STATE_HOME/gpunion/light`, else
/// `$HOME/.local/state/gpunion/light`; `None` if none of them is set.
pub fn default_store_dir() -> Option<PathBuf> {
    let env = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    env("GPUNION_LIGHT_STORE")
        .map(PathBuf::from)
        .or_else(|| env("XDG_STATE_HOME").map(|d| PathBuf::from(d).join("gpunion/light")))
        .or_else(|| env("HOME").map(|d| PathBuf::from(d).join(".local/state/gpunion/light")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_reads_from_deployment_json() {
        let hash = "AB".repeat(32);
        let anchor: TrustAnchor =
            serde_json::from_str(&format!(r#"{{"height": 1, "hash": "{hash}"}}"#)).unwrap();
        assert_eq!(anchor.height, 1);
        assert_eq!(anchor.hash.to_string(), hash);
        assert!(serde_json::from_str::<TrustAnchor>(r#"{"height": 1, "hash": "xyz"}"#).is_err());
    }

    #[test]
    fn store_without_file_is_empty_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let anchor = TrustAnchor {
            height: 1,
            hash: tendermint::Hash::None,
        };
        let store = TrustStore::new(dir.path(), "gpunion-local");
        assert_eq!(store.load("gpunion-local", &anchor).unwrap(), None);
        std::fs::write(store.path(), "{").unwrap();
        assert!(matches!(
            store.load("gpunion-local", &anchor),
            Err(crate::Error::Store { .. })
        ));
    }
}

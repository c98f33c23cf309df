//! Input rules shared by the contracts and their clients.
//!
//! Each check returns an [`InputError`] naming the field, so a contract can wrap it in
//! its own typed error and a client can reject bad input before sending it.

use thiserror::Error;

/// Longest GPU model name, wgpu feature name or other short label.
pub const MAX_LABEL_LEN: usize = 64;
/// Most wgpu feature names in a compute-capability summary.
pub const MAX_FEATURES: usize = 32;
/// Longest CID accepted (CIDv1 in base32 of a sha2-256 multihash is 59 characters).
pub const MAX_CID_LEN: usize = 128;
/// Shortest CID accepted.
pub const MIN_CID_LEN: usize = 46;
/// Longest libp2p peer id (base58).
pub const MAX_PEER_ID_LEN: usize = 128;
/// Most multiaddrs a provider may publish.
pub const MAX_MULTIADDRS: usize = 8;
/// Longest multiaddr.
pub const MAX_MULTIADDR_LEN: usize = 256;
/// Longest geohash (12 characters is about 3.7 cm).
pub const MAX_GEOHASH_LEN: usize = 12;
/// Most GPUs (lease slots) on one provider record; a bigger machine registers twice.
pub const MAX_GPU_COUNT: u32 = 16;
/// Longest output hash posted with a result (sha-512).
pub const MAX_OUTPUT_HASH_LEN: usize = 64;

const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE32_LOWER: &str = "abcdefghijklmnopqrstuvwxyz234567";
/// The geohash alphabet (base32 without a, i, l, o).
pub const GEOHASH_ALPHABET: &str = "0123456789bcdefghjkmnpqrstuvwxyz";

/// Why a field was rejected.
#[derive(Error, Debug, PartialEq, Eq, Clone)]
pub enum InputError {
    #[error("{field} is empty")]
    Empty { field: &'static str },

    #[error("{field} is {len} long, over the limit of {max}")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },

    #[error("{field} has {count} entries, over the limit of {max}")]
    TooMany {
        field: &'static str,
        count: usize,
        max: usize,
    },

    #[error("{field} {value:?} is malformed: {reason}")]
    Malformed {
        field: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// A non-empty string of at most `max` bytes.
pub fn bounded(field: &'static str, value: &str, max: usize) -> Result<(), InputError> {
    if value.is_empty() {
        return Err(InputError::Empty { field });
    }
    if value.len() > max {
        return Err(InputError::TooLong {
            field,
            len: value.len(),
            max,
        });
    }
    Ok(())
}

fn malformed(field: &'static str, value: &str, reason: &'static str) -> InputError {
    InputError::Malformed {
        field,
        value: value.chars().take(MAX_CID_LEN).collect(),
        reason,
    }
}

/// An IPFS CID: CIDv0 (`Qm` + 44 base58 characters) or CIDv1 in lower-case base32
/// (multibase prefix `b`), the two forms Kubo prints.
pub fn cid(field: &'static str, value: &str) -> Result<(), InputError> {
    bounded(field, value, MAX_CID_LEN)?;
    if value.len() < MIN_CID_LEN {
        return Err(malformed(field, value, "shorter than any CID"));
    }
    if let Some(rest) = value.strip_prefix("Qm") {
        if value.len() != 46 || !rest.chars().all(|c| BASE58.contains(c)) {
            return Err(malformed(field, value, "not a CIDv0 (Qm + 44 base58)"));
        }
        return Ok(());
    }
    match value.strip_prefix('b') {
        Some(rest) if rest.chars().all(|c| BASE32_LOWER.contains(c)) => Ok(()),
        _ => Err(malformed(
            field,
            value,
            "not a CIDv0 or a base32 CIDv1 (b + a-z2-7)",
        )),
    }
}

/// An ISO 3166-1 alpha-2 country code: two upper-case ASCII letters.
pub fn country(value: &str) -> Result<(), InputError> {
    bounded("country", value, 2)?;
    if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(malformed("country", value, "not two upper-case letters"));
    }
    Ok(())
}

/// A geohash of 1 to 12 characters of the geohash alphabet.
pub fn geohash(value: &str) -> Result<(), InputError> {
    bounded("geohash", value, MAX_GEOHASH_LEN)?;
    if !value.chars().all(|c| GEOHASH_ALPHABET.contains(c)) {
        return Err(malformed("geohash", value, "outside the geohash alphabet"));
    }
    Ok(())
}

/// A libp2p peer id in base58 (`12D3KooW…` for Ed25519 keys, `Qm…` for RSA).
pub fn peer_id(value: &str) -> Result<(), InputError> {
    bounded("peer id", value, MAX_PEER_ID_LEN)?;
    let known_prefix = value.starts_with("12D3Koo") || value.starts_with("Qm");
    if !known_prefix || !value.chars().all(|c| BASE58.contains(c)) {
        return Err(malformed("peer id", value, "not a base58 libp2p peer id"));
    }
    Ok(())
}

/// A textual multiaddr: starts with `/`, printable ASCII, no spaces.
pub fn multiaddr(value: &str) -> Result<(), InputError> {
    bounded("multiaddr", value, MAX_MULTIADDR_LEN)?;
    if !value.starts_with('/') || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(malformed("multiaddr", value, "not a textual multiaddr"));
    }
    Ok(())
}

/// At most `max` entries.
pub fn count(field: &'static str, count: usize, max: usize) -> Result<(), InputError> {
    if count > max {
        return Err(InputError::TooMany { field, count, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cids_of_both_versions_pass_and_others_fail() {
        cid("cid", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG").unwrap();
        cid(
            "cid",
            "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        )
        .unwrap();
        assert!(cid("cid", "").is_err());
        assert!(cid("cid", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbd0").is_err());
        assert!(
            cid(
                "cid",
                "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd!"
            )
            .is_err()
        );
        assert!(cid("cid", &format!("b{}", "a".repeat(200))).is_err());
    }

    #[test]
    fn regions_and_peers() {
        country("DE").unwrap();
        assert!(country("de").is_err());
        assert!(country("DEU").is_err());
        geohash("u33dc0").unwrap();
        assert!(geohash("u33a").is_err());
        assert!(geohash("u33dc0u33dc0u").is_err());
        peer_id("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA").unwrap();
        assert!(peer_id("12D3KooW0").is_err());
        multiaddr("/ip4/1.2.3.4/udp/4001/quic-v1").unwrap();
        assert!(multiaddr("ip4/1.2.3.4").is_err());
    }
}

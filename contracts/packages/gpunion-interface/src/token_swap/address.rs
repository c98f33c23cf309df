//! Base58Check P2PKH addresses of the distribution chain.

use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

/// Version byte + HASH160 of a public key: the 21 bytes a P2PKH address encodes.
pub type AddressPayload = [u8; 21];

/// Why an old-chain address string is not a P2PKH address of the expected chain.
#[derive(thiserror::Error, Debug, PartialEq, Eq)]
pub enum AddressError {
    #[error("not base58: {0}")]
    Base58(String),
    #[error("checksum mismatch")]
    Checksum,
    #[error("expected 21 bytes before the checksum, found {0}")]
    Length(usize),
    #[error("version byte {found} is not the distribution chain's {expected}")]
    Version { expected: u8, found: u8 },
}

/// Decodes a Base58Check P2PKH address and checks its version byte.
pub fn decode_p2pkh(address: &str, version: u8) -> Result<AddressPayload, AddressError> {
    let raw = bs58::decode(address)
        .into_vec()
        .map_err(|e| AddressError::Base58(e.to_string()))?;
    let Some(body_len) = raw.len().checked_sub(4) else {
        return Err(AddressError::Length(raw.len()));
    };
    let (body, checksum) = raw.split_at(body_len);
    if checksum != &double_sha256(body)[..4] {
        return Err(AddressError::Checksum);
    }
    let payload: AddressPayload = body
        .try_into()
        .map_err(|_| AddressError::Length(body.len()))?;
    if payload[0] != version {
        return Err(AddressError::Version {
            expected: version,
            found: payload[0],
        });
    }
    Ok(payload)
}

/// The canonical Base58Check form of an address of the chain with `version` (what the
/// swap keys claims by, whatever spelling a claimant used).
pub fn canonical_p2pkh(address: &str, version: u8) -> Result<String, AddressError> {
    decode_p2pkh(address, version).map(|payload| encode_p2pkh(&payload))
}

/// Encodes a P2PKH payload (version + HASH160) as Base58Check.
pub fn encode_p2pkh(payload: &AddressPayload) -> String {
    let mut raw = payload.to_vec();
    raw.extend_from_slice(&double_sha256(payload)[..4]);
    bs58::encode(raw).into_string()
}

/// The P2PKH payload of a SEC1-encoded public key (compressed or not: they differ).
pub fn p2pkh_of_pubkey(pubkey: &[u8], version: u8) -> AddressPayload {
    let hash160 = Ripemd160::digest(Sha256::digest(pubkey));
    let mut payload = [0u8; 21];
    payload[0] = version;
    payload[1..].copy_from_slice(&hash160);
    payload
}

/// SHA-256 applied twice, as Bitcoin-family chains hash.
pub fn double_sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(Sha256::digest(data)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_version_and_checksum() {
        // Bitcoin's genesis coinbase address (version 0).
        let satoshi = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        let payload = decode_p2pkh(satoshi, 0).expect("valid address");
        assert_eq!(encode_p2pkh(&payload), satoshi);
        assert_eq!(
            decode_p2pkh(satoshi, 55),
            Err(AddressError::Version {
                expected: 55,
                found: 0
            })
        );
        assert_eq!(
            decode_p2pkh("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", 0),
            Err(AddressError::Checksum)
        );
        assert!(matches!(
            decode_p2pkh("0OIl", 0),
            Err(AddressError::Base58(_))
        ));
        assert_eq!(decode_p2pkh("1", 0), Err(AddressError::Length(1)));
    }

    #[test]
    fn derives_the_address_of_a_known_key() {
        // Public key of private key 1 (the generator point), compressed.
        let g = hex_literal("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        assert_eq!(
            encode_p2pkh(&p2pkh_of_pubkey(&g, 0)),
            "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"
        );
    }

    fn hex_literal(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }
}

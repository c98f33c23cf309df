//! Content identifiers, checked before they reach Kubo or a contract.
//!
//! Two forms are accepted: CIDv0 (`Qm…`, 46 base58btc characters, a sha2-256
//! multihash of dag-pb) and CIDv1 in a multibase (base32 `b`/`B`, base58btc `z`,
//! base16 `f`/`F`). A CIDv1 is kept and shown in its canonical form, base32 lower case,
//! the form Kubo answers with, so two spellings of one CID compare equal.

use std::fmt;
use std::str::FromStr;

use data_encoding::{BASE32_NOPAD, HEXLOWER_PERMISSIVE};
use serde::{Deserialize, Serialize};

use crate::IpfsError;

/// The multihash code of sha2-256, the only hash of a CIDv0.
const SHA2_256: u64 = 0x12;
/// A CIDv0's string length: base58btc of the 34-byte multihash.
const V0_LEN: usize = 46;
/// A varint of more than 9 bytes does not fit the multiformats spec (63 bits at most).
const MAX_VARINT_BYTES: usize = 9;

/// The digest lengths of the multihash functions a CID of this network may carry;
/// another code is accepted when its digest has the length the multihash declares.
const DIGEST_LENGTHS: &[(u64, usize)] = &[
    (0x11, 20), // sha1
    (SHA2_256, 32),
    (0x13, 64),   // sha2-512
    (0x14, 64),   // sha3-512
    (0x15, 48),   // sha3-384
    (0x16, 32),   // sha3-256
    (0x17, 28),   // sha3-224
    (0x1b, 32),   // keccak-256
    (0x1e, 32),   // blake3 (default length)
    (0xb220, 32), // blake2b-256
    (0xb240, 64), // blake2b-512
    (0xb260, 32), // blake2s-256
];

/// An IPFS content identifier (CIDv0 or CIDv1), validated when parsed.
///
/// Parse one with [`str::parse`]; it prints, serializes and compares in its canonical
/// string form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cid(String);

impl Cid {
    /// The canonical string form (`Qm…` for v0, base32 `b…` for v1).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The CID version: 0 or 1.
    pub fn version(&self) -> u8 {
        if self.0.starts_with("Qm") { 0 } else { 1 }
    }
}

impl fmt::Display for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Cid {
    type Err = IpfsError;

    fn from_str(input: &str) -> Result<Cid, IpfsError> {
        parse(input).map_err(|reason| IpfsError::MalformedCid {
            input: input.to_owned(),
            reason,
        })
    }
}

impl TryFrom<String> for Cid {
    type Error = IpfsError;

    fn try_from(input: String) -> Result<Cid, IpfsError> {
        input.parse()
    }
}

impl From<Cid> for String {
    fn from(cid: Cid) -> String {
        cid.0
    }
}

/// Parses and checks `input`, giving the canonical form or why it is not a CID.
fn parse(input: &str) -> Result<Cid, String> {
    if input.is_empty() {
        return Err("empty string".into());
    }
    if input.starts_with("Qm") {
        return parse_v0(input);
    }
    let (base, payload) = input.split_at(input.chars().next().map_or(0, char::len_utf8));
    let bytes = match base {
        "b" if payload.bytes().all(|c| !c.is_ascii_uppercase()) => base32(payload)?,
        "B" if payload.bytes().all(|c| !c.is_ascii_lowercase()) => base32(payload)?,
        "b" | "B" => return Err("base32 with mixed letter case".into()),
        "z" => bs58::decode(payload)
            .into_vec()
            .map_err(|e| format!("invalid base58btc: {e}"))?,
        "f" | "F" => HEXLOWER_PERMISSIVE
            .decode(payload.as_bytes())
            .map_err(|e| format!("invalid base16: {e}"))?,
        _ => {
            return Err(format!(
                "unsupported multibase prefix {base:?} (expected 'b', 'B', 'z', 'f' or 'F', or a CIDv0 'Qm…')"
            ));
        }
    };
    check_v1(&bytes)?;
    Ok(Cid(format!(
        "b{}",
        BASE32_NOPAD.encode(&bytes).to_ascii_lowercase()
    )))
}

fn base32(payload: &str) -> Result<Vec<u8>, String> {
    BASE32_NOPAD
        .decode(payload.to_ascii_uppercase().as_bytes())
        .map_err(|e| format!("invalid base32: {e}"))
}

/// A CIDv0 is a bare base58btc sha2-256 multihash.
fn parse_v0(input: &str) -> Result<Cid, String> {
    if input.len() != V0_LEN {
        return Err(format!(
            "a CIDv0 has {V0_LEN} characters, this has {}",
            input.len()
        ));
    }
    let bytes = bs58::decode(input)
        .into_vec()
        .map_err(|e| format!("invalid base58btc: {e}"))?;
    match bytes.as_slice() {
        [0x12, 0x20, digest @ ..] if digest.len() == 32 => Ok(Cid(input.to_owned())),
        _ => Err("a CIDv0 must be a sha2-256 multihash (0x12 0x20 + 32 bytes)".into()),
    }
}

/// Checks the binary form of a CIDv1: version, codec, multihash code, length, digest.
fn check_v1(bytes: &[u8]) -> Result<(), String> {
    let mut rest = bytes;
    let version = varint(&mut rest, "version")?;
    if version != 1 {
        return Err(format!(
            "unsupported CID version {version} in a multibase string"
        ));
    }
    varint(&mut rest, "codec")?;
    let code = varint(&mut rest, "multihash code")?;
    let length = varint(&mut rest, "digest length")?;
    if u64::try_from(rest.len()).ok() != Some(length) {
        return Err(format!(
            "the multihash declares a {length}-byte digest, {} bytes follow",
            rest.len()
        ));
    }
    match DIGEST_LENGTHS.iter().find(|(c, _)| *c == code) {
        Some((_, expected)) if *expected != rest.len() => Err(format!(
            "multihash 0x{code:x} has {expected}-byte digests, not {}",
            rest.len()
        )),
        _ if rest.is_empty() => Err("empty digest".into()),
        _ => Ok(()),
    }
}

/// Reads one unsigned LEB128 varint (multiformats unsigned-varint) off the front of `rest`.
fn varint(rest: &mut &[u8], what: &str) -> Result<u64, String> {
    let mut value = 0u64;
    for (i, byte) in rest.iter().enumerate().take(MAX_VARINT_BYTES) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            if i > 0 && *byte == 0 {
                return Err(format!("{what}: varint not minimally encoded"));
            }
            *rest = &rest[i + 1..];
            return Ok(value);
        }
    }
    Err(format!("{what}: truncated or overlong varint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V0: &str = "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR";
    const V1_DIR: &str = "bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi";
    const V1_RAW: &str = "bafkreiey5jxe6ilpf62lnh77tm5ejbbmhbugzjuf6p2v3remlu73ced34q";

    fn reason(input: &str) -> String {
        match input.parse::<Cid>() {
            Err(IpfsError::MalformedCid { input: got, reason }) => {
                assert_eq!(got, input);
                reason
            }
            other => panic!("{input:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn good_v0_and_v1() {
        let v0: Cid = V0.parse().unwrap();
        assert_eq!((v0.as_str(), v0.version()), (V0, 0));
        for s in [V1_DIR, V1_RAW] {
            let cid: Cid = s.parse().unwrap();
            assert_eq!((cid.to_string().as_str(), cid.version()), (s, 1));
        }
    }

    #[test]
    fn other_bases_of_a_v1_are_the_same_cid() {
        let canonical: Cid = V1_DIR.parse().unwrap();
        let bytes = base32(&V1_DIR[1..]).unwrap();
        let upper = format!("B{}", V1_DIR[1..].to_ascii_uppercase());
        let z = format!("z{}", bs58::encode(&bytes).into_string());
        let f = format!("f{}", data_encoding::HEXLOWER.encode(&bytes));
        for s in [upper, z, f] {
            assert_eq!(s.parse::<Cid>().unwrap(), canonical, "{s}");
        }
    }

    #[test]
    fn serde_as_a_string() {
        let cid: Cid = V1_DIR.parse().unwrap();
        let json = serde_json::to_string(&cid).unwrap();
        assert_eq!(json, format!("\"{V1_DIR}\""));
        assert_eq!(serde_json::from_str::<Cid>(&json).unwrap(), cid);
        assert!(serde_json::from_str::<Cid>("\"bafy\"").is_err());
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(reason(""), "empty string");
        assert!(reason("hello world").contains("multibase prefix"));
        assert!(reason("/ipfs/bafy").contains("multibase prefix"));
        assert!(reason("bafybei!!!").contains("base32"));
        assert!(reason("é").contains("multibase prefix"));
    }

    #[test]
    fn bad_base() {
        assert!(
            reason("mAXASIA").contains("multibase prefix"),
            "base64 is not accepted"
        );
        let mixed = format!("b{}", V1_DIR[1..].replacen('a', "A", 1));
        assert!(reason(&mixed).contains("mixed"));
        assert!(
            reason(&V0.replace('b', "0")).contains("base58"),
            "0 is not base58"
        );
    }

    #[test]
    fn bad_length() {
        assert!(reason(&V0[..45]).contains("46 characters"));
        let mut cut = base32(&V1_DIR[1..]).unwrap();
        cut.truncate(cut.len() - 5);
        let cut = format!("b{}", BASE32_NOPAD.encode(&cut).to_ascii_lowercase());
        assert!(reason(&cut).contains("27 bytes follow"));
        // A sha2-256 multihash claiming 31 bytes, with 31 bytes after it.
        let mut bytes = vec![0x01, 0x70, 0x12, 31];
        bytes.extend([7; 31]);
        let short = format!("b{}", BASE32_NOPAD.encode(&bytes).to_ascii_lowercase());
        assert!(reason(&short).contains("32-byte digests"));
        // Trailing bytes after the digest.
        let mut long = base32(&V1_RAW[1..]).unwrap();
        long.push(0);
        let long = format!("b{}", BASE32_NOPAD.encode(&long).to_ascii_lowercase());
        assert!(reason(&long).contains("33 bytes follow"));
    }

    #[test]
    fn bad_version_and_varints() {
        let mut v2 = base32(&V1_RAW[1..]).unwrap();
        v2[0] = 2;
        let v2 = format!("b{}", BASE32_NOPAD.encode(&v2).to_ascii_lowercase());
        assert!(reason(&v2).contains("version 2"));
        let truncated = format!(
            "b{}",
            BASE32_NOPAD.encode(&[0x01, 0x80]).to_ascii_lowercase()
        );
        assert!(reason(&truncated).contains("varint"));
    }
}

//! The Bitcoin-family signed-message format (`signmessage` / `verifymessage`).
//!
//! digest = SHA-256d(varstr(magic) ‖ varstr(message)), where varstr is a compact-size
//! length followed by the bytes and magic is the chain's, e.g. "Bitcoin Signed Message:\n".
//! The 65-byte signature is a header byte (27 + recovery id, + 4 when the key is
//! compressed) followed by r and s.

use super::address::double_sha256;

/// A parsed 65-byte compact recoverable signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactSignature<'a> {
    /// r ‖ s, 64 bytes.
    pub rs: &'a [u8],
    /// Recovery id, 0..=3.
    pub recovery_id: u8,
    /// Whether the signer's address hashes the compressed public key.
    pub compressed: bool,
}

/// Why a signature is not a compact recoverable one.
#[derive(thiserror::Error, Debug, PartialEq, Eq)]
pub enum SignatureFormatError {
    #[error("a signed-message signature is 65 bytes, found {0}")]
    Length(usize),
    #[error("header byte {0} is not a P2PKH signature header (27..=34)")]
    Header(u8),
}

/// Splits a compact signature into its parts.
pub fn parse_signature(signature: &[u8]) -> Result<CompactSignature<'_>, SignatureFormatError> {
    let [header, rs @ ..] = signature else {
        return Err(SignatureFormatError::Length(0));
    };
    if rs.len() != 64 {
        return Err(SignatureFormatError::Length(signature.len()));
    }
    let flags = header
        .checked_sub(27)
        .filter(|flags| *flags < 8)
        .ok_or(SignatureFormatError::Header(*header))?;
    Ok(CompactSignature {
        rs,
        recovery_id: flags & 3,
        compressed: flags & 4 != 0,
    })
}

/// The digest a wallet signs for `message` under the chain's `magic`.
pub fn message_digest(magic: &str, message: &str) -> [u8; 32] {
    let mut data = Vec::with_capacity(magic.len() + message.len() + 18);
    push_varstr(&mut data, magic.as_bytes());
    push_varstr(&mut data, message.as_bytes());
    double_sha256(&data)
}

fn push_varstr(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len() as u64;
    match len {
        0..0xfd => out.push(len as u8),
        0xfd..=0xffff => {
            out.push(0xfd);
            out.extend_from_slice(&(len as u16).to_le_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xfe);
            out.extend_from_slice(&(len as u32).to_le_bytes());
        }
        _ => {
            out.push(0xff);
            out.extend_from_slice(&len.to_le_bytes());
        }
    }
    out.extend_from_slice(bytes);
}

/// Compresses an uncompressed SEC1 public key (0x04 ‖ x ‖ y) to 0x02/0x03 ‖ x.
/// Returns `None` for anything that is not a 65-byte uncompressed key.
pub fn compress_pubkey(uncompressed: &[u8]) -> Option<[u8; 33]> {
    let [0x04, xy @ ..] = uncompressed else {
        return None;
    };
    if xy.len() != 64 {
        return None;
    }
    let mut compressed = [0u8; 33];
    compressed[0] = 0x02 | (xy[63] & 1);
    compressed[1..].copy_from_slice(&xy[..32]);
    Some(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_matches_bitcoin_core() {
        // `bitcoin-cli signmessage` hashes this exact preimage for message "hello".
        let mut expected = vec![24];
        expected.extend_from_slice(b"Bitcoin Signed Message:\n");
        expected.push(5);
        expected.extend_from_slice(b"hello");
        assert_eq!(
            message_digest("Bitcoin Signed Message:\n", "hello"),
            double_sha256(&expected)
        );
    }

    #[test]
    fn long_messages_use_a_three_byte_length() {
        let mut out = Vec::new();
        push_varstr(&mut out, &[7u8; 300]);
        assert_eq!(&out[..3], &[0xfd, 0x2c, 0x01]);
        assert_eq!(out.len(), 303);
    }

    #[test]
    fn signature_headers_are_checked() {
        let mut sig = [0u8; 65];
        sig[0] = 31;
        let parsed = parse_signature(&sig).expect("valid header");
        assert_eq!((parsed.recovery_id, parsed.compressed), (0, true));
        sig[0] = 30;
        let parsed = parse_signature(&sig).expect("valid header");
        assert_eq!((parsed.recovery_id, parsed.compressed), (3, false));
        sig[0] = 35;
        assert_eq!(parse_signature(&sig), Err(SignatureFormatError::Header(35)));
        assert_eq!(
            parse_signature(&sig[..64]),
            Err(SignatureFormatError::Length(64))
        );
        assert_eq!(parse_signature(&[]), Err(SignatureFormatError::Length(0)));
    }
}

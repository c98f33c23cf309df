//! An old distribution-chain key (compressed P2PKH) that signs as the old wallet's
//! `signmessage` does, for the token-swap tests (`sdk/tests/e2e.rs`, `sdk/tests/cli.rs`:
//! included with `#[path]`, as the other test files have no use for it).

use gpunion_interface::token_swap::address::{AddressPayload, encode_p2pkh, p2pkh_of_pubkey};
use gpunion_interface::token_swap::signed_message::message_digest;

/// Version byte of the old chain's P2PKH addresses in the tests (Pigeoncoin's).
pub const OLD_VERSION: u8 = 55;

/// A secp256k1 key whose secret is 32 bytes of `seed`.
pub struct OldWallet(k256::ecdsa::SigningKey);

impl OldWallet {
    pub fn new(seed: u8) -> Self {
        Self(k256::ecdsa::SigningKey::from_bytes(&[seed; 32].into()).unwrap())
    }

    pub fn payload(&self) -> AddressPayload {
        let pubkey = self.0.verifying_key().to_encoded_point(true);
        p2pkh_of_pubkey(pubkey.as_bytes(), OLD_VERSION)
    }

    pub fn address(&self) -> String {
        encode_p2pkh(&self.payload())
    }

    /// The 65-byte `signmessage` signature of `message` under the chain's `magic`.
    pub fn sign_message(&self, magic: &str, message: &str) -> Vec<u8> {
        let digest = message_digest(magic, message);
        let (signature, recovery_id) = self.0.sign_prehash_recoverable(&digest).unwrap();
        let mut out = vec![27 + recovery_id.to_byte() + 4];
        out.extend_from_slice(&signature.to_bytes());
        out
    }
}

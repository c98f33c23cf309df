//! An encrypted keystore: one BIP-39 mnemonic in a JSON file, encrypted with a key
//! derived from a passphrase (scrypt) under ChaCha20-Poly1305, the address bound in as
//! associated data. The mnemonic never touches the disk in the clear.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::keys::Wallet;

/// The file format's version.
pub const KEYSTORE_VERSION: u32 = 1;
/// scrypt cost (2^15 × 8 × 128 bytes = 32 MiB, about 0.1 s): slows a guessing attacker.
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;

/// Where a keystore's mnemonic came from: made here, or one of the public test keys
/// (which anyone can read, so only for a local testnet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyOrigin {
    /// Generated from the operating system's randomness.
    Generated,
    /// A public test key from `testnet/accounts.json`.
    PublicTestKey,
}

/// A keystore file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keystore {
    pub version: u32,
    /// The address the mnemonic derives (checked on decryption).
    pub address: String,
    pub origin: KeyOrigin,
    pub kdf: ScryptParams,
    /// 12-byte ChaCha20-Poly1305 nonce, hex.
    pub nonce: String,
    /// Encrypted mnemonic with its tag, hex.
    pub ciphertext: String,
}

/// scrypt's parameters and salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScryptParams {
    pub log_n: u8,
    pub r: u32,
    pub p: u32,
    /// 16 random bytes, hex.
    pub salt: String,
}

/// A new random 24-word BIP-39 English mnemonic.
pub fn generate_mnemonic() -> Result<String> {
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy)
        .map_err(|e| Error::bad_input(format!("no randomness from the OS: {e}")))?;
    Ok(
        bip32::Mnemonic::from_entropy(entropy, bip32::Language::English)
            .phrase()
            .to_string(),
    )
}

fn derive_key(passphrase: &str, params: &ScryptParams) -> Result<Key> {
    let salt = hex::decode(&params.salt).map_err(|e| Error::decode("keystore salt", e))?;
    let scrypt_params = scrypt::Params::new(params.log_n, params.r, params.p, 32)
        .map_err(|e| Error::decode("keystore scrypt parameters", e))?;
    let mut key = [0u8; 32];
    scrypt::scrypt(passphrase.as_bytes(), &salt, &scrypt_params, &mut key)
        .map_err(|e| Error::decode("keystore key derivation", e))?;
    Ok(Key::from(key))
}

impl Keystore {
    /// Encrypts `mnemonic` (which must derive a valid wallet under `prefix`) with
    /// `passphrase`. An empty passphrase is refused.
    pub fn encrypt(
        mnemonic: &str,
        prefix: &str,
        passphrase: &str,
        origin: KeyOrigin,
    ) -> Result<Self> {
        if passphrase.is_empty() {
            return Err(Error::bad_input("the keystore passphrase is empty"));
        }
        let wallet = Wallet::from_mnemonic(mnemonic, prefix)?;
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut salt)
            .and_then(|()| getrandom::fill(&mut nonce))
            .map_err(|e| Error::bad_input(format!("no randomness from the OS: {e}")))?;
        let kdf = ScryptParams {
            log_n: SCRYPT_LOG_N,
            r: SCRYPT_R,
            p: SCRYPT_P,
            salt: hex::encode(salt),
        };
        let address = wallet.address().to_string();
        let cipher = ChaCha20Poly1305::new(&derive_key(passphrase, &kdf)?);
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: mnemonic.as_bytes(),
                    aad: address.as_bytes(),
                },
            )
            .map_err(|_| Error::bad_input("keystore encryption failed"))?;
        Ok(Self {
            version: KEYSTORE_VERSION,
            address,
            origin,
            kdf,
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        })
    }

    /// Decrypts the mnemonic and derives its wallet; a wrong passphrase (or an edited
    /// file) is [`Error::BadInput`] saying so, without any detail of the secret.
    pub fn unlock(&self, passphrase: &str, prefix: &str) -> Result<Wallet> {
        if self.version != KEYSTORE_VERSION {
            return Err(Error::decode(
                "keystore",
                format!(
                    "version {} (this build reads {KEYSTORE_VERSION})",
                    self.version
                ),
            ));
        }
        let nonce = hex::decode(&self.nonce).map_err(|e| Error::decode("keystore nonce", e))?;
        if nonce.len() != 12 {
            return Err(Error::decode("keystore nonce", "not 12 bytes"));
        }
        let ciphertext =
            hex::decode(&self.ciphertext).map_err(|e| Error::decode("keystore ciphertext", e))?;
        let cipher = ChaCha20Poly1305::new(&derive_key(passphrase, &self.kdf)?);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: self.address.as_bytes(),
                },
            )
            .map_err(|_| {
                Error::bad_input("wrong keystore passphrase (or the keystore file was altered)")
            })?;
        let mnemonic = String::from_utf8(plain).map_err(|e| Error::decode("keystore", e))?;
        let wallet = Wallet::from_mnemonic(&mnemonic, prefix)?;
        if wallet.address().as_ref() != self.address {
            return Err(Error::bad_input(format!(
                "the keystore derives {} under prefix {prefix}, not {}",
                wallet.address(),
                self.address
            )));
        }
        Ok(wallet)
    }

    /// Reads a keystore file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::bad_input(format!("cannot read keystore {}: {e}", path.display()))
        })?;
        serde_json::from_str(&text).map_err(|e| Error::decode("keystore", e))
    }

    /// Writes the keystore to a new file (readable by its owner only); refuses to
    /// overwrite an existing one, which may hold the only copy of a funded key.
    pub fn save(&self, path: &Path) -> Result<()> {
        use std::io::Write as _;
        let io = |e: std::io::Error| {
            Error::bad_input(format!("cannot write keystore {}: {e}", path.display()))
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(io)?;
        let json = serde_json::to_string_pretty(self).map_err(|e| Error::decode("keystore", e))?;
        file.write_all(json.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 24-word phrase of all-zero entropy (bip32 reads 24-word phrases only).
    const PHRASE: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art";

    #[test]
    fn round_trip_and_wrong_passphrase() {
        let k = Keystore::encrypt(PHRASE, "wasm", "hunter2", KeyOrigin::Generated).unwrap();
        assert!(!k.ciphertext.contains(&hex::encode("abandon")));
        let wallet = k.unlock("hunter2", "wasm").unwrap();
        assert_eq!(wallet.address().as_ref(), k.address);
        let err = k.unlock("hunter3", "wasm").unwrap_err();
        assert!(
            err.to_string().contains("wrong keystore passphrase"),
            "{err}"
        );
    }

    #[test]
    fn altered_address_is_refused() {
        let mut k = Keystore::encrypt(PHRASE, "wasm", "pw", KeyOrigin::Generated).unwrap();
        k.address = "wasm1attacker".into();
        assert!(k.unlock("pw", "wasm").is_err());
    }

    #[test]
    fn empty_passphrase_is_refused() {
        assert!(Keystore::encrypt(PHRASE, "wasm", "", KeyOrigin::Generated).is_err());
    }

    #[test]
    fn generated_mnemonics_are_valid_and_differ() {
        let a = generate_mnemonic().unwrap();
        let b = generate_mnemonic().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.split_whitespace().count(), 24);
        Wallet::from_mnemonic(&a, "wasm").unwrap();
    }

    #[test]
    fn save_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.json");
        let k = Keystore::encrypt(PHRASE, "wasm", "pw", KeyOrigin::PublicTestKey).unwrap();
        k.save(&path).unwrap();
        assert_eq!(Keystore::load(&path).unwrap(), k);
        assert!(k.save(&path).is_err());
    }
}

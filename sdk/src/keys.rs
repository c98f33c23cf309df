//! Keys: a BIP-39 mnemonic becomes a secp256k1 signing key and a bech32 address.

use bip32::{DerivationPath, Language, Mnemonic};
use cosmrs::AccountId;
use cosmrs::crypto::{PublicKey, secp256k1::SigningKey};

use crate::error::{Error, Result};

/// The Cosmos HD path (coin type 118), account 0, first address: what `wasmd keys add`
/// and Keplr use.
pub const HD_PATH: &str = "m/44'/118'/0'/0/0";

/// A signing key and its address. `Debug` shows the address only: the key and the
/// mnemonic it came from are never printed or logged.
pub struct Wallet {
    key: SigningKey,
    public_key: PublicKey,
    address: AccountId,
}

impl Wallet {
    /// Derives the key at [`HD_PATH`] from a BIP-39 English mnemonic (no passphrase),
    /// with addresses under the bech32 `prefix` (`wasm` on a local wasmd).
    pub fn from_mnemonic(phrase: &str, prefix: &str) -> Result<Self> {
        Self::from_mnemonic_at(phrase, prefix, HD_PATH)
    }

    /// Like [`Wallet::from_mnemonic`], at another HD path.
    pub fn from_mnemonic_at(phrase: &str, prefix: &str, path: &str) -> Result<Self> {
        // The phrase is not echoed back in the error: it may be a real secret with a typo.
        let normalized = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let mnemonic = Mnemonic::new(normalized, Language::English)
            .map_err(|_| Error::bad_input("the mnemonic is not a valid BIP-39 English phrase"))?;
        let path: DerivationPath = path
            .parse()
            .map_err(|_| Error::bad_input(format!("bad HD path {path}")))?;
        let seed = mnemonic.to_seed("");
        let key = SigningKey::derive_from_path(seed.as_bytes(), &path)
            .map_err(|_| Error::bad_input("key derivation failed"))?;
        let public_key = key.public_key();
        let address = public_key
            .account_id(prefix)
            .map_err(|e| Error::bad_input(format!("bad bech32 prefix {prefix:?}: {e}")))?;
        Ok(Self {
            key,
            public_key,
            address,
        })
    }

    /// The bech32 account address.
    pub fn address(&self) -> &AccountId {
        &self.address
    }

    /// The compressed secp256k1 public key.
    pub fn public_key(&self) -> PublicKey {
        self.public_key
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("address", &self.address.as_ref())
            .finish_non_exhaustive()
    }
}

/// Parses a bech32 address, checking its prefix when one is given.
pub fn parse_address(address: &str, prefix: Option<&str>) -> Result<AccountId> {
    let id: AccountId = address
        .parse()
        .map_err(|e| Error::bad_input(format!("bad address {address:?}: {e}")))?;
    match prefix {
        Some(p) if id.prefix() != p => Err(Error::bad_input(format!(
            "address {address} has prefix {}, expected {p}",
            id.prefix()
        ))),
        _ => Ok(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // testnet/accounts.json: public test keys, checked against `wasmd keys add --recover`.
    const VALIDATOR: &str = "oval army slide sense latin task genuine gossip enable rough pool human risk shove fabric cargo future harbor habit welcome once boss shrimp member";

    #[test]
    fn known_mnemonic_gives_known_address() {
        let wallet = Wallet::from_mnemonic(VALIDATOR, "wasm").unwrap();
        assert_eq!(
            wallet.address().as_ref(),
            "wasm1q9p9mcrjnnakay6lflyznrgpp7hge6zfngk2vl"
        );
    }

    #[test]
    fn extra_whitespace_is_ignored_and_prefix_applies() {
        let spaced = format!("  {}\n", VALIDATOR.replace(' ', "   "));
        let wallet = Wallet::from_mnemonic(&spaced, "cosmos").unwrap();
        assert!(wallet.address().as_ref().starts_with("cosmos1"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let wallet = Wallet::from_mnemonic(VALIDATOR, "wasm").unwrap();
        let shown = format!("{wallet:?}");
        assert!(shown.contains("wasm1q9p9"));
        assert!(!shown.contains("oval"));
        assert!(!shown.to_lowercase().contains("key"));
    }

    #[test]
    fn bad_mnemonic_is_bad_input_without_the_phrase() {
        let err = Wallet::from_mnemonic("oval army slide", "wasm").unwrap_err();
        assert!(matches!(err, Error::BadInput(_)));
        assert!(!err.to_string().contains("oval"));
    }

    #[test]
    fn address_prefix_is_checked() {
        let addr = "wasm1q9p9mcrjnnakay6lflyznrgpp7hge6zfngk2vl";
        assert!(parse_address(addr, Some("wasm")).is_ok());
        assert!(matches!(
            parse_address(addr, Some("cosmos")),
            Err(Error::BadInput(_))
        ));
        assert!(parse_address("wasm1nope", None).is_err());
    }
}

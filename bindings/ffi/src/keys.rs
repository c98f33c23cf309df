//! Keys: a wallet made from a new or imported BIP-39 mnemonic. Its secret stays on the
//! Rust side; only [`Wallet::export_mnemonic`] hands it out.

use gpunion_sdk::keystore::generate_mnemonic;

use crate::error::Result;

/// A BIP-39 mnemonic and the address it derives (Cosmos HD path `m/44'/118'/0'/0/0`).
/// Printing a wallet shows its address only.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Wallet {
    mnemonic: String,
    prefix: String,
    address: String,
}

impl Wallet {
    /// The SDK's wallet for this mnemonic (derived again: the SDK's key is not `Clone`).
    pub(crate) fn sdk_wallet(&self) -> Result<gpunion_sdk::Wallet> {
        Ok(gpunion_sdk::Wallet::from_mnemonic(
            &self.mnemonic,
            &self.prefix,
        )?)
    }
}

#[uniffi::export]
impl Wallet {
    /// A new wallet from a fresh random 24-word mnemonic, with addresses under the
    /// bech32 `prefix` (`wasm` on a local wasmd).
    #[uniffi::constructor]
    pub fn generate(prefix: String) -> Result<Self> {
        Self::from_mnemonic(generate_mnemonic()?, prefix)
    }

    /// Imports a BIP-39 English mnemonic (no passphrase). A bad phrase raises
    /// `BadInput` without echoing it.
    #[uniffi::constructor]
    pub fn from_mnemonic(mnemonic: String, prefix: String) -> Result<Self> {
        let wallet = gpunion_sdk::Wallet::from_mnemonic(&mnemonic, &prefix)?;
        Ok(Self {
            address: wallet.address().to_string(),
            mnemonic: wallet_phrase(mnemonic),
            prefix,
        })
    }

    /// The bech32 account address.
    pub fn address(&self) -> String {
        self.address.clone()
    }

    /// The mnemonic: the wallet's secret. The one call that hands it out.
    pub fn export_mnemonic(&self) -> String {
        self.mnemonic.clone()
    }
}

/// The phrase as the SDK reads it: words separated by single spaces.
fn wallet_phrase(mnemonic: String) -> String {
    mnemonic.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wallet({})", self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::GpunionError;

    // testnet/accounts.json: a public test key.
    const VALIDATOR: &str = "oval army slide sense latin task genuine gossip enable rough pool human risk shove fabric cargo future harbor habit welcome once boss shrimp member";

    #[test]
    fn imported_wallet_shows_its_address_only() {
        let wallet = Wallet::from_mnemonic(format!(" {VALIDATOR}\n"), "wasm".into()).unwrap();
        assert_eq!(
            wallet.address(),
            "wasm1q9p9mcrjnnakay6lflyznrgpp7hge6zfngk2vl"
        );
        assert_eq!(wallet.export_mnemonic(), VALIDATOR);
        for shown in [format!("{wallet:?}"), wallet.to_string()] {
            assert!(shown.contains("wasm1q9p9"), "{shown}");
            assert!(!shown.contains("oval"), "{shown}");
        }
    }

    #[test]
    fn generated_wallets_differ_and_reimport() {
        let a = Wallet::generate("wasm".into()).unwrap();
        let b = Wallet::generate("wasm".into()).unwrap();
        assert_ne!(a.address(), b.address());
        assert_eq!(a.export_mnemonic().split(' ').count(), 24);
        let again = Wallet::from_mnemonic(a.export_mnemonic(), "wasm".into()).unwrap();
        assert_eq!(again.address(), a.address());
    }

    #[test]
    fn bad_mnemonic_is_bad_input() {
        let err = Wallet::from_mnemonic("oval army slide".into(), "wasm".into()).unwrap_err();
        assert!(matches!(err, GpunionError::BadInput { .. }));
        assert!(!err.to_string().contains("oval"));
    }
}

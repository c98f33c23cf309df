//! Who may use a lease's link: the signature check (the key signed this stream's
//! challenge) and the lease check (the key's address is the customer of an open lease of
//! this provider, as the chain says).

use cosmrs::crypto::PublicKey;
use gpunion_interface::lease_link::AccessError;
use gpunion_interface::market::{Lease, LeaseState};
use k256::ecdsa::signature::Verifier as _;
use k256::ecdsa::{Signature, VerifyingKey};

/// The address (bech32 with `prefix`) of the key that signed `message`, or why the proof
/// does not hold. `public_key` and `signature` are hex, as in the interface's `Proof`.
pub fn verify_proof(
    public_key: &str,
    signature: &str,
    message: &[u8],
    prefix: &str,
) -> Result<String, AccessError> {
    let bad = |reason: &str| AccessError::BadSignature {
        reason: reason.into(),
    };
    let key_bytes = hex::decode(public_key).map_err(|_| bad("the public key is not hex"))?;
    let key =
        VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| bad("not a secp256k1 public key"))?;
    let signature_bytes = hex::decode(signature).map_err(|_| bad("the signature is not hex"))?;
    let signature =
        Signature::from_slice(&signature_bytes).map_err(|_| bad("not a 64-byte signature"))?;
    key.verify(message, &signature)
        .map_err(|_| bad("it does not sign this challenge with this key"))?;
    let account = PublicKey::from(key)
        .account_id(prefix)
        .map_err(|e| bad(&format!("no address: {e}")))?;
    Ok(account.to_string())
}

/// What a granted request may need of the lease's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// In any state: a result (the node keeps it after the lease ends).
    Any,
    /// Accepted or not yet: status.
    Listed,
    /// Active and inside its window: logs, port forwards.
    Open,
}

/// Checks that `lease` (as read from the chain at block time `now`; `None`: it does not
/// exist) is this `provider`'s, that `customer` is its customer, and that it is in the
/// state `need` asks for.
pub fn check_lease(
    lease_id: u64,
    lease: Option<&Lease>,
    now: u64,
    provider: &str,
    customer: &str,
    need: Need,
) -> Result<(), AccessError> {
    let lease = lease.ok_or(AccessError::NoSuchLease { lease_id })?;
    if lease.provider.as_str() != provider {
        return Err(AccessError::NotThisProvider { lease_id });
    }
    if lease.customer.as_str() != customer {
        return Err(AccessError::NotTheCustomer {
            lease_id,
            address: customer.into(),
        });
    }
    let not_open = |reason: String| AccessError::NotOpen { lease_id, reason };
    match (need, lease.state) {
        (Need::Any, _) => Ok(()),
        (Need::Listed, LeaseState::Pending | LeaseState::Active) => Ok(()),
        (Need::Open, LeaseState::Active) if now < lease.start => Err(not_open(format!(
            "it starts at {} (chain time now {now})",
            lease.start
        ))),
        (Need::Open, LeaseState::Active) if now >= lease.end => {
            Err(not_open(format!("it ended at {}", lease.end)))
        }
        (Need::Open, LeaseState::Active) => Ok(()),
        (_, state) => Err(not_open(format!("it is {state:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpunion_interface::lease_link::access_sign_bytes;
    use k256::ecdsa::SigningKey;
    use k256::ecdsa::signature::Signer as _;

    fn key(seed: u8) -> (SigningKey, String) {
        let key = SigningKey::from_slice(&[seed; 32]).unwrap();
        let address = PublicKey::from(*key.verifying_key())
            .account_id("wasm")
            .unwrap()
            .to_string();
        (key, address)
    }

    fn sign(key: &SigningKey, message: &[u8]) -> (String, String) {
        let signature: Signature = key.sign(message);
        (
            hex::encode(key.verifying_key().to_sec1_bytes()),
            hex::encode(signature.to_bytes()),
        )
    }

    #[test]
    fn a_signature_of_this_challenge_gives_the_signers_address() {
        let (alice, address) = key(1);
        let message = access_sign_bytes("c", 1, "P", "C", "ab");
        let (public, signature) = sign(&alice, &message);
        assert_eq!(
            verify_proof(&public, &signature, &message, "wasm"),
            Ok(address)
        );
    }

    #[test]
    fn replayed_forged_and_malformed_proofs_are_refused() {
        let (alice, _) = key(1);
        let (mallory, _) = key(2);
        let message = access_sign_bytes("c", 1, "P", "C", "ab");
        let (public, signature) = sign(&alice, &message);
        // Replayed on another stream: that stream's challenge has another nonce.
        let other_nonce = access_sign_bytes("c", 1, "P", "C", "cd");
        // Used by another provider, or from another peer.
        let other_provider = access_sign_bytes("c", 1, "Q", "C", "ab");
        let other_customer_peer = access_sign_bytes("c", 1, "P", "D", "ab");
        for message in [&other_nonce, &other_provider, &other_customer_peer] {
            assert!(matches!(
                verify_proof(&public, &signature, message, "wasm"),
                Err(AccessError::BadSignature { .. })
            ));
        }
        // Mallory's signature presented with Alice's key, and the reverse.
        let (mallory_public, mallory_signature) = sign(&mallory, &message);
        for (k, s) in [(&public, &mallory_signature), (&mallory_public, &signature)] {
            assert!(verify_proof(k, s, &message, "wasm").is_err());
        }
        for (k, s) in [
            ("zz", signature.as_str()),
            ("02", signature.as_str()),
            (public.as_str(), "00"),
            (public.as_str(), ""),
            ("", ""),
        ] {
            assert!(matches!(
                verify_proof(k, s, &message, "wasm"),
                Err(AccessError::BadSignature { .. })
            ));
        }
    }

    fn lease(state: LeaseState) -> Lease {
        crate::provider::test_lease(state)
    }

    #[test]
    fn only_the_customer_of_an_open_lease_of_this_provider_gets_in() {
        let active = lease(LeaseState::Active);
        assert_eq!(
            check_lease(7, Some(&active), 150, "prov", "alice", Need::Open),
            Ok(())
        );
        let refusals = [
            check_lease(7, None, 150, "prov", "alice", Need::Open),
            check_lease(7, Some(&active), 150, "other", "alice", Need::Open),
            check_lease(7, Some(&active), 150, "prov", "mallory", Need::Open),
            check_lease(7, Some(&active), 99, "prov", "alice", Need::Open),
            check_lease(7, Some(&active), 200, "prov", "alice", Need::Open),
            check_lease(
                7,
                Some(&lease(LeaseState::Closed)),
                150,
                "prov",
                "alice",
                Need::Listed,
            ),
            check_lease(
                7,
                Some(&lease(LeaseState::Pending)),
                150,
                "prov",
                "alice",
                Need::Open,
            ),
        ];
        assert!(matches!(refusals[0], Err(AccessError::NoSuchLease { .. })));
        assert!(matches!(
            refusals[1],
            Err(AccessError::NotThisProvider { .. })
        ));
        assert!(matches!(
            refusals[2],
            Err(AccessError::NotTheCustomer { .. })
        ));
        for refusal in &refusals[3..] {
            assert!(
                matches!(refusal, Err(AccessError::NotOpen { .. })),
                "{refusal:?}"
            );
        }
        assert_eq!(
            check_lease(
                7,
                Some(&lease(LeaseState::Pending)),
                0,
                "prov",
                "alice",
                Need::Listed
            ),
            Ok(())
        );
    }
}

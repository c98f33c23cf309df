//! ICS-23 proofs of a key in one store of a Cosmos SDK multistore, checked against an app
//! hash. Pure: no I/O.
//!
//! A `prove=true` ABCI query on `/store/<store>/key` answers with two proof operations:
//! `ics23:iavl` proves the key's value (or its absence) under the store's root, and
//! `ics23:simple` proves that root under the multistore root, the app hash. The answer at
//! height H is proven by the app hash in header H + 1.

use ics23::{
    CommitmentProof, ExistenceProof, HostFunctionsManager, calculate_existence_root,
    commitment_proof::Proof,
};
use prost::Message;
use tendermint::merkle::proof::ProofOps;

const IAVL_OP: &str = "ics23:iavl";
const MULTISTORE_OP: &str = "ics23:simple";

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The answer carried no proof at all.
    #[error("the node sent no proof")]
    Missing,
    /// The operations are not `ics23:iavl` then `ics23:simple`.
    #[error("unexpected proof operations {0:?}")]
    Shape(Vec<String>),
    /// An operation proves another key than the one asked for.
    #[error("the {op} proof is for key {found}, not {wanted}")]
    WrongKey {
        op: &'static str,
        found: String,
        wanted: String,
    },
    /// An operation's bytes are not a commitment proof.
    #[error("cannot decode the {op} proof: {message}")]
    Decode { op: &'static str, message: String },
    /// The store proof does not prove this value (or this absence) of the key.
    #[error("the store proof does not prove the {0}")]
    Store(&'static str),
    /// The store's root does not lead to the verified app hash.
    #[error("the store root is not in the verified app hash")]
    AppHash,
}

/// One stored entry: its full key in the store and its value.
pub type StoreEntry = (Vec<u8>, Vec<u8>);

/// Checks that `proof` proves `value` (`None`: absence) at `key` in store `store` under
/// `app_hash`.
pub fn verify_store_value(
    proof: Option<&ProofOps>,
    app_hash: &[u8],
    store: &str,
    key: &[u8],
    value: Option<&[u8]>,
) -> Result<(), ProofError> {
    verify_store(proof, app_hash, store, key, value).map(|_| ())
}

/// Checks the answer to a query of `key` like [`verify_store_value`] and returns the
/// first entry of the store at or after `key`: `key` itself when it is set (`value`),
/// else the right neighbour that the absence proof must show (`None`: no key follows).
/// The neighbour is proven in the same tree and adjacent to the absent key, so walking
/// entry by entry from a prefix proves a range complete: a node can neither add nor hide
/// an entry.
pub fn verify_store_successor(
    proof: Option<&ProofOps>,
    app_hash: &[u8],
    store: &str,
    key: &[u8],
    value: Option<&[u8]>,
) -> Result<Option<StoreEntry>, ProofError> {
    let iavl_proof = verify_store(proof, app_hash, store, key, value)?;
    if let Some(value) = value {
        return Ok(Some((key.to_vec(), value.to_vec())));
    }
    match iavl_proof.proof {
        Some(Proof::Nonexist(absent)) => Ok(absent.right.map(|right| (right.key, right.value))),
        _ => Err(ProofError::Decode {
            op: IAVL_OP,
            message: "an absence without an absence proof".to_string(),
        }),
    }
}

/// [`verify_store_value`], returning the checked store proof.
fn verify_store(
    proof: Option<&ProofOps>,
    app_hash: &[u8],
    store: &str,
    key: &[u8],
    value: Option<&[u8]>,
) -> Result<CommitmentProof, ProofError> {
    let ops = &proof.ok_or(ProofError::Missing)?.ops;
    let [iavl, multistore] = ops.as_slice() else {
        return Err(ProofError::Shape(
            ops.iter().map(|o| o.field_type.clone()).collect(),
        ));
    };
    if iavl.field_type != IAVL_OP || multistore.field_type != MULTISTORE_OP {
        return Err(ProofError::Shape(vec![
            iavl.field_type.clone(),
            multistore.field_type.clone(),
        ]));
    }
    expect_key(IAVL_OP, &iavl.key, key)?;
    expect_key(MULTISTORE_OP, &multistore.key, store.as_bytes())?;
    let iavl_proof = decode(IAVL_OP, &iavl.data)?;
    let multistore_proof = decode(MULTISTORE_OP, &multistore.data)?;

    // The store's root, as the store proof computes it; the multistore proof then says
    // whether that root is the one committed in the app hash.
    let store_root = store_root(&iavl_proof)?;
    let spec = ics23::iavl_spec();
    let store_ok = match value {
        Some(value) => ics23::verify_membership::<HostFunctionsManager>(
            &iavl_proof,
            &spec,
            &store_root,
            key,
            value,
        ),
        None => ics23::verify_non_membership::<HostFunctionsManager>(
            &iavl_proof,
            &spec,
            &store_root,
            key,
        ),
    };
    if !store_ok {
        return Err(ProofError::Store(if value.is_some() {
            "value"
        } else {
            "absence"
        }));
    }
    if !ics23::verify_membership::<HostFunctionsManager>(
        &multistore_proof,
        &ics23::tendermint_spec(),
        &app_hash.to_vec(),
        store.as_bytes(),
        &store_root,
    ) {
        return Err(ProofError::AppHash);
    }
    Ok(iavl_proof)
}

fn expect_key(op: &'static str, found: &[u8], wanted: &[u8]) -> Result<(), ProofError> {
    if found == wanted {
        return Ok(());
    }
    Err(ProofError::WrongKey {
        op,
        found: hex::encode(found),
        wanted: hex::encode(wanted),
    })
}

fn decode(op: &'static str, bytes: &[u8]) -> Result<CommitmentProof, ProofError> {
    CommitmentProof::decode(bytes).map_err(|e| ProofError::Decode {
        op,
        message: e.to_string(),
    })
}

/// The root a store proof leads to: from the existence proof, or from either neighbour
/// of an absence proof.
fn store_root(proof: &CommitmentProof) -> Result<Vec<u8>, ProofError> {
    let existence: Option<&ExistenceProof> = match &proof.proof {
        Some(Proof::Exist(exist)) => Some(exist),
        Some(Proof::Nonexist(absent)) => absent.left.as_ref().or(absent.right.as_ref()),
        _ => None,
    };
    let existence = existence.ok_or(ProofError::Decode {
        op: IAVL_OP,
        message: "neither an existence nor an absence proof".to_string(),
    })?;
    calculate_existence_root::<HostFunctionsManager>(existence).map_err(|e| ProofError::Decode {
        op: IAVL_OP,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tendermint::merkle::proof::ProofOp;
    use tendermint_rpc::endpoint::abci_query::AbciQuery;

    /// Answers of the local chain (wasmd v0.61.14) to `/store/wasm/key` with `prove=true`
    /// at one height: the treasury's GUT balance, a key that is not set, and the app hash
    /// of the header above.
    const RECORDED: &str = include_str!("testdata/proofs.json");

    fn recorded() -> (Vec<u8>, AbciQuery, AbciQuery) {
        let json: serde_json::Value = serde_json::from_str(RECORDED).unwrap();
        let app_hash = hex::decode(json["app_hash"].as_str().unwrap()).unwrap();
        let present = serde_json::from_value(json["present"].clone()).unwrap();
        let absent = serde_json::from_value(json["absent"].clone()).unwrap();
        (app_hash, present, absent)
    }

    #[test]
    fn recorded_value_verifies_and_a_changed_one_does_not() {
        let (app_hash, present, _) = recorded();
        let check = |value: &[u8], app_hash: &[u8]| {
            verify_store_value(
                present.proof.as_ref(),
                app_hash,
                "wasm",
                &present.key,
                Some(value),
            )
        };
        assert_eq!(check(&present.value, &app_hash), Ok(()));
        assert_eq!(
            check(b"\"99999999999999\"", &app_hash),
            Err(ProofError::Store("value"))
        );
        let mut other_hash = app_hash.clone();
        other_hash[0] ^= 1;
        assert_eq!(check(&present.value, &other_hash), Err(ProofError::AppHash));
        // Absence of a key that is set cannot be proven with its proof.
        assert_eq!(
            verify_store_value(
                present.proof.as_ref(),
                &app_hash,
                "wasm",
                &present.key,
                None
            ),
            Err(ProofError::Store("absence"))
        );
        // Nor can the proof of one store pass for another.
        assert!(matches!(
            verify_store_value(
                present.proof.as_ref(),
                &app_hash,
                "bank",
                &present.key,
                Some(&present.value)
            ),
            Err(ProofError::WrongKey { .. })
        ));
    }

    #[test]
    fn recorded_absence_verifies_and_a_claimed_value_does_not() {
        let (app_hash, _, absent) = recorded();
        assert!(absent.value.is_empty());
        let proof = absent.proof.as_ref();
        assert_eq!(
            verify_store_value(proof, &app_hash, "wasm", &absent.key, None),
            Ok(())
        );
        assert_eq!(
            verify_store_value(proof, &app_hash, "wasm", &absent.key, Some(b"\"1\"")),
            Err(ProofError::Store("value"))
        );
    }

    #[test]
    fn an_absence_proves_the_next_entry_and_a_moved_neighbour_does_not_verify() {
        let (app_hash, present, absent) = recorded();
        let proof = absent.proof.as_ref();
        let (next_key, next_value) =
            verify_store_successor(proof, &app_hash, "wasm", &absent.key, None)
                .unwrap()
                .expect("a key follows the absent one");
        assert!(next_key > absent.key);
        assert!(!next_value.is_empty());
        // A set key is its own successor.
        assert_eq!(
            verify_store_successor(
                present.proof.as_ref(),
                &app_hash,
                "wasm",
                &present.key,
                Some(&present.value)
            ),
            Ok(Some((present.key.clone(), present.value.clone())))
        );
        // A node that names another right neighbour (hiding the real one) breaks the
        // proof: the neighbour's key is hashed into the root.
        let mut ops = proof.unwrap().clone();
        let mut decoded = decode(IAVL_OP, &ops.ops[0].data).unwrap();
        if let Some(Proof::Nonexist(absent)) = &mut decoded.proof
            && let Some(right) = &mut absent.right
        {
            right.key.push(0);
        }
        ops.ops[0].data = decoded.encode_to_vec();
        assert!(verify_store_successor(Some(&ops), &app_hash, "wasm", &absent.key, None).is_err());
    }

    fn op(field_type: &str, key: &[u8], data: Vec<u8>) -> ProofOp {
        ProofOp {
            field_type: field_type.to_string(),
            key: key.to_vec(),
            data,
        }
    }

    #[test]
    fn missing_or_misshapen_proofs_are_refused() {
        assert_eq!(
            verify_store_value(None, b"h", "wasm", b"k", None),
            Err(ProofError::Missing)
        );
        let one = ProofOps {
            ops: vec![op(IAVL_OP, b"k", vec![])],
        };
        assert!(matches!(
            verify_store_value(Some(&one), b"h", "wasm", b"k", None),
            Err(ProofError::Shape(_))
        ));
        let other_key = ProofOps {
            ops: vec![
                op(IAVL_OP, b"x", vec![]),
                op(MULTISTORE_OP, b"wasm", vec![]),
            ],
        };
        assert!(matches!(
            verify_store_value(Some(&other_key), b"h", "wasm", b"k", None),
            Err(ProofError::WrongKey { op: IAVL_OP, .. })
        ));
        let garbage = ProofOps {
            ops: vec![
                op(IAVL_OP, b"k", vec![0xff, 0xff]),
                op(MULTISTORE_OP, b"wasm", vec![]),
            ],
        };
        assert!(matches!(
            verify_store_value(Some(&garbage), b"h", "wasm", b"k", None),
            Err(ProofError::Decode { .. })
        ));
    }
}

//! What the node remembers about its leases, in an embedded database (redb), so that a
//! restart after a crash or `kill -9` resumes where it stood: every step that has an
//! effect on chain (accept, post, close) or costs compute (a job) is recorded before
//! the next one is taken. The chain stays the authority: on restart each record is
//! reconciled with the lease as the market reports it.

use std::path::Path;

use cosmwasm_std::Uint128;
use redb::{Database, ReadableDatabase as _, ReadableTable as _, TableDefinition};
use serde::{Deserialize, Serialize};

/// Lease records by lease id, JSON-encoded.
const LEASES: TableDefinition<u64, &[u8]> = TableDefinition::new("leases");
/// What the records are about: `market`, the market contract's address (lease ids are
/// that contract's: another market's lease 1 is another lease).
const META: TableDefinition<&str, &str> = TableDefinition::new("meta");

/// Where the node stands with one lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase")]
pub enum Phase {
    /// Accepted on chain; the job has not started.
    Accepted,
    /// The job was started (`attempt` counts starts; a crash mid-job leaves this).
    Running { attempt: u32 },
    /// The customer stopped the job; the result saying so is being published (a crash
    /// here publishes it again, never reruns the job).
    Cancelling,
    /// The job ended and its result folder is in IPFS, not yet posted.
    Ran {
        result_cid: String,
        output_hash: Option<String>,
        /// The trace root of a deterministic job (hex).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trace_root: Option<String>,
        succeeded: bool,
    },
    /// The result is on chain; the lease still needs closing.
    Posted { result_cid: String },
    /// Refused (`reason`), or finished and closed (or found final on chain).
    Done { outcome: DoneOutcome },
}

/// How a lease ended for the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoneOutcome {
    /// Rejected before acceptance, with the reason sent in the transaction memo.
    Rejected { reason: String },
    /// Served and closed; `paid` is what the lease paid the node in ugut (gross).
    Closed { paid: Uint128 },
    /// Found in a final state on chain (closed by the customer, expired, lapsed).
    Final { state: String },
}

/// One lease as the node remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseRecord {
    pub lease_id: u64,
    pub phase: Phase,
    /// The workload's CID.
    pub workload_cid: String,
    /// Unix seconds of the last change.
    pub updated_at: u64,
}

/// Why the state database failed.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The database could not be opened (another `gpu-node serve` holds it, or the
    /// file is not a redb database).
    #[error("cannot open the node's state {path}: {message}")]
    Open { path: String, message: String },
    /// A read or write failed.
    #[error("the node's state database failed: {0}")]
    Database(String),
    /// A record did not decode (written by another version?).
    #[error("lease {lease_id}'s record does not decode: {message}")]
    Decode { lease_id: u64, message: String },
    /// The records are another market's (the deployment now names a new one).
    #[error(
        "the node's state is about the leases of market {recorded}, but the deployment names market {now} \
         (redeployed?): use a new node home, or remove state.redb to forget the old market's leases"
    )]
    OtherMarket { recorded: String, now: String },
}

fn db_error(e: impl std::fmt::Display) -> StateError {
    StateError::Database(e.to_string())
}

/// The node's lease records.
#[derive(Debug)]
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (or creates) the database at `path` for the leases of the market at
    /// address `market`; refuses one about another market's. redb locks the file: a
    /// second node on the same home fails here instead of serving the same leases twice.
    pub fn open(path: &Path, market: &str) -> Result<Self, StateError> {
        let db = Database::create(path).map_err(|e| StateError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let txn = db.begin_write().map_err(db_error)?;
        txn.open_table(LEASES).map_err(db_error)?;
        {
            let mut meta = txn.open_table(META).map_err(db_error)?;
            let recorded = meta
                .get("market")
                .map_err(db_error)?
                .map(|v| v.value().to_string());
            match recorded {
                Some(recorded) if recorded != market => {
                    return Err(StateError::OtherMarket {
                        recorded,
                        now: market.into(),
                    });
                }
                Some(_) => {}
                None => {
                    meta.insert("market", market).map_err(db_error)?;
                }
            }
        }
        txn.commit().map_err(db_error)?;
        Ok(Self { db })
    }

    /// The record of `lease_id`, if any.
    pub fn get(&self, lease_id: u64) -> Result<Option<LeaseRecord>, StateError> {
        let txn = self.db.begin_read().map_err(db_error)?;
        let table = txn.open_table(LEASES).map_err(db_error)?;
        match table.get(lease_id).map_err(db_error)? {
            Some(bytes) => decode(lease_id, bytes.value()).map(Some),
            None => Ok(None),
        }
    }

    /// Writes `record`, durably (committed before this returns).
    pub fn put(&self, record: &LeaseRecord) -> Result<(), StateError> {
        let bytes = serde_json::to_vec(record).map_err(db_error)?;
        let txn = self.db.begin_write().map_err(db_error)?;
        {
            let mut table = txn.open_table(LEASES).map_err(db_error)?;
            table
                .insert(record.lease_id, bytes.as_slice())
                .map_err(db_error)?;
        }
        txn.commit().map_err(db_error)
    }

    /// Every record, by lease id.
    pub fn all(&self) -> Result<Vec<LeaseRecord>, StateError> {
        let txn = self.db.begin_read().map_err(db_error)?;
        let table = txn.open_table(LEASES).map_err(db_error)?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(db_error)? {
            let (id, bytes) = entry.map_err(db_error)?;
            out.push(decode(id.value(), bytes.value())?);
        }
        Ok(out)
    }

    /// Records not yet done: what a restart must pick up.
    pub fn unfinished(&self) -> Result<Vec<LeaseRecord>, StateError> {
        Ok(self
            .all()?
            .into_iter()
            .filter(|r| !matches!(r.phase, Phase::Done { .. }))
            .collect())
    }
}

fn decode(lease_id: u64, bytes: &[u8]) -> Result<LeaseRecord, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Decode {
        lease_id,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, phase: Phase) -> LeaseRecord {
        LeaseRecord {
            lease_id: id,
            phase,
            workload_cid: "bafy".into(),
            updated_at: 1,
        }
    }

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        {
            let store = Store::open(&path, "market").unwrap();
            store.put(&record(1, Phase::Accepted)).unwrap();
            store
                .put(&record(2, Phase::Running { attempt: 1 }))
                .unwrap();
            store
                .put(&record(
                    3,
                    Phase::Done {
                        outcome: DoneOutcome::Closed {
                            paid: Uint128::new(5),
                        },
                    },
                ))
                .unwrap();
            store
                .put(&record(
                    1,
                    Phase::Posted {
                        result_cid: "bafyresult".into(),
                    },
                ))
                .unwrap();
        }
        let store = Store::open(&path, "market").unwrap();
        assert_eq!(
            store.get(1).unwrap().unwrap().phase,
            Phase::Posted {
                result_cid: "bafyresult".into()
            }
        );
        let unfinished: Vec<u64> = store
            .unfinished()
            .unwrap()
            .iter()
            .map(|r| r.lease_id)
            .collect();
        assert_eq!(unfinished, vec![1, 2]);
        assert_eq!(store.get(9).unwrap(), None);
    }

    #[test]
    fn a_second_node_on_the_same_state_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        let _first = Store::open(&path, "market").unwrap();
        assert!(matches!(
            Store::open(&path, "market"),
            Err(StateError::Open { .. })
        ));
    }

    #[test]
    fn a_state_about_another_market_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        drop(Store::open(&path, "wasm1old").unwrap());
        assert!(matches!(
            Store::open(&path, "wasm1new"),
            Err(StateError::OtherMarket { recorded, now }) if recorded == "wasm1old" && now == "wasm1new"
        ));
        Store::open(&path, "wasm1old").unwrap();
    }
}

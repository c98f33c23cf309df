//! Step 1 of the token swap: the distribution chain's balances at a height become a
//! Merkle root (for the token-swap contract) and one proof file per address (for the
//! holders' claims).
//!
//! Input: a CSV of `address,amount` rows (a header row is allowed), the format an RPC
//! dump of the old chain is converted to; amounts are decimal coins with up to 8 decimals.
//! One old coin swaps for one GUT; what lies below 1 ugut is dust and is reported.

pub mod amount;

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use gpunion_interface::token_swap::address::{self, AddressPayload};
use gpunion_interface::token_swap::merkle::{self, MerkleTree};
use gpunion_interface::token_swap::proof_file::ProofFile;
use serde::{Deserialize, Serialize};

use crate::amount::{AmountError, OldAmount};

/// One holder in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Canonical Base58Check address.
    pub address: String,
    pub payload: AddressPayload,
    /// What the holder may claim, in ugut.
    pub ugut: u128,
}

/// A built snapshot: entries in input order and their tree.
#[derive(Debug)]
pub struct Snapshot {
    pub entries: Vec<Entry>,
    pub tree: MerkleTree,
    pub summary: Summary,
}

/// What goes into the token-swap contract's instantiation, and the audit figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Merkle root, hex.
    pub merkle_root: String,
    /// Sum of all claimable amounts, in ugut: the swap's `total_allocation`.
    pub total_allocation: String,
    pub holders: usize,
    pub snapshot_height: u64,
    pub address_version: u8,
    /// Rows whose balance is under 1 ugut: nothing to claim, left out.
    pub skipped_dust_rows: usize,
    /// Old base units below 1 ugut dropped in conversion, over all rows.
    pub dust_old_units: String,
}

/// Why a balance file cannot be snapshotted; row numbers count from 1 with the header.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read the balances: {0}")]
    Read(#[from] csv::Error),
    #[error("row {row}: expected 2 columns (address,amount), found {found}")]
    Columns { row: u64, found: usize },
    #[error("row {row}: address {address:?}: {reason}")]
    Address {
        row: u64,
        address: String,
        reason: address::AddressError,
    },
    #[error("row {row}: {reason}")]
    Amount { row: u64, reason: AmountError },
    #[error("row {row}: {address} appears a second time")]
    Duplicate { row: u64, address: String },
    #[error("the balances hold no claimable amount")]
    Empty,
    #[error("the total overflows 128 bits")]
    Overflow,
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

impl Snapshot {
    /// Reads `address,amount` rows; `progress` is called every 100,000 rows.
    pub fn from_csv(
        input: impl Read,
        address_version: u8,
        snapshot_height: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<Self, SnapshotError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(input);
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        let (mut total, mut dust, mut skipped) = (0u128, 0u128, 0usize);
        for (index, record) in reader.records().enumerate() {
            let record = record?;
            let row = index as u64 + 1;
            if row.is_multiple_of(100_000) {
                progress(row);
            }
            if record.len() != 2 {
                return Err(SnapshotError::Columns {
                    row,
                    found: record.len(),
                });
            }
            let (text, amount_text) = (&record[0], &record[1]);
            if row == 1 && text.eq_ignore_ascii_case("address") {
                continue;
            }
            let payload = address::decode_p2pkh(text, address_version).map_err(|reason| {
                SnapshotError::Address {
                    row,
                    address: text.to_string(),
                    reason,
                }
            })?;
            let canonical = address::encode_p2pkh(&payload);
            if !seen.insert(payload) {
                return Err(SnapshotError::Duplicate {
                    row,
                    address: canonical,
                });
            }
            let amount = OldAmount::parse(amount_text)
                .map_err(|reason| SnapshotError::Amount { row, reason })?;
            let (ugut, row_dust) = amount.to_ugut();
            dust += row_dust;
            if ugut == 0 {
                skipped += 1;
                continue;
            }
            total = total.checked_add(ugut).ok_or(SnapshotError::Overflow)?;
            entries.push(Entry {
                address: canonical,
                payload,
                ugut,
            });
        }
        let leaves = entries
            .iter()
            .map(|e| merkle::leaf(&e.payload, e.ugut))
            .collect();
        let tree = MerkleTree::new(leaves).ok_or(SnapshotError::Empty)?;
        let summary = Summary {
            merkle_root: hex::encode(tree.root()),
            total_allocation: total.to_string(),
            holders: entries.len(),
            snapshot_height,
            address_version,
            skipped_dust_rows: skipped,
            dust_old_units: dust.to_string(),
        };
        Ok(Self {
            entries,
            tree,
            summary,
        })
    }

    /// The claim data of entry `index`.
    pub fn proof_file(&self, index: usize) -> Option<ProofFile> {
        let entry = self.entries.get(index)?;
        Some(ProofFile::new(
            entry.address.clone(),
            entry.ugut,
            &self.tree.proof(index)?,
        ))
    }

    /// Writes `snapshot.json` and `proofs/<address>.json` under `dir`; `progress` is
    /// called every 100,000 files.
    pub fn write(&self, dir: &Path, mut progress: impl FnMut(usize)) -> Result<(), SnapshotError> {
        let proofs = dir.join("proofs");
        std::fs::create_dir_all(&proofs).map_err(|source| write_error(&proofs, source))?;
        for index in 0..self.entries.len() {
            let file = self.proof_file(index).expect("index in range");
            write_json(&proofs.join(format!("{}.json", file.old_address)), &file)?;
            if (index + 1).is_multiple_of(100_000) {
                progress(index + 1);
            }
        }
        write_json(&dir.join("snapshot.json"), &self.summary)
    }
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), SnapshotError> {
    let text = serde_json::to_string_pretty(value).expect("plain data serializes");
    std::fs::write(path, text + "\n").map_err(|source| write_error(path, source))
}

fn write_error(path: &Path, source: std::io::Error) -> SnapshotError {
    SnapshotError::Write {
        path: path.display().to_string(),
        source,
    }
}

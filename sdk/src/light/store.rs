//! The light client's trusted state on disk: the newest verified light block of one chain,
//! with the anchor it was reached from, so a restart resumes there instead of starting
//! over from the anchor.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tendermint_light_client_verifier::types::LightBlock;

use crate::error::{Error, Result};
use crate::light::TrustAnchor;

/// What one store file holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    chain_id: String,
    anchor: TrustAnchor,
    trusted: LightBlock,
}

/// One chain's trusted light block, in `<dir>/<chain id>.json`, written atomically
/// (temporary file, then rename).
#[derive(Debug, Clone)]
pub struct TrustStore {
    path: PathBuf,
}

impl TrustStore {
    /// The store of chain `chain_id` under `dir`.
    pub fn new(dir: impl AsRef<Path>, chain_id: &str) -> Self {
        let name: String = chain_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Self {
            path: dir.as_ref().join(format!("{name}.json")),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored trusted block, if there is one reached from `anchor` on `chain_id`. A
    /// store written from another anchor (e.g. a local chain restarted from a new
    /// genesis) is ignored: the anchor is the root of trust, not the file.
    pub fn load(&self, chain_id: &str, anchor: &TrustAnchor) -> Result<Option<LightBlock>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error(e)),
        };
        let stored: Stored = serde_json::from_str(&text).map_err(|e| self.error(e))?;
        Ok((stored.chain_id == chain_id && stored.anchor == *anchor).then_some(stored.trusted))
    }

    /// Replaces the stored block with `trusted`.
    pub fn save(&self, chain_id: &str, anchor: &TrustAnchor, trusted: &LightBlock) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.error(e))?;
        }
        let json = serde_json::to_vec(&Stored {
            chain_id: chain_id.to_string(),
            anchor: anchor.clone(),
            trusted: trusted.clone(),
        })
        .map_err(|e| self.error(e))?;
        let temp = self
            .path
            .with_extension(format!("json.{}.tmp", std::process::id()));
        std::fs::write(&temp, json).map_err(|e| self.error(e))?;
        std::fs::rename(&temp, &self.path).map_err(|e| self.error(e))
    }

    fn error(&self, e: impl std::fmt::Display) -> Error {
        Error::Store {
            path: self.path.display().to_string(),
            message: e.to_string(),
        }
    }
}

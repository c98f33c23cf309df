//! The node's home folder and what every provider command opens from it: the
//! configuration (file, then environment, then flags) and the unlocked key.

use std::path::{Path, PathBuf};

use gpu_node::provider::config::{self, Config, ConfigError, KEYSTORE_FILE, Overrides};
use gpunion_sdk::keystore::Keystore;
use gpunion_sdk::{Chain, Deployment, Signer};

/// Options every provider command takes.
#[derive(clap::Args, Clone, Debug)]
pub struct HomeOptions {
    /// The node's home: config.toml, keystore.json, identity.key, state.redb, jobs/.
    #[arg(long, env = "GPUNION_NODE_HOME", default_value_os_t = default_home())]
    pub home: PathBuf,
    #[command(flatten)]
    pub overrides: Overrides,
}

fn default_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
        .join(".gpunion")
        .join("node")
}

/// Why a provider command could not start.
#[derive(Debug, thiserror::Error)]
pub enum HomeError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Chain(#[from] gpunion_sdk::Error),
}

/// A node's opened home: its settings and chain connection.
pub struct Opened {
    pub home: PathBuf,
    pub config: Config,
    pub chain: Chain,
}

impl HomeOptions {
    /// Reads the configuration and connects to the chain it names.
    pub fn open(&self) -> Result<Opened, HomeError> {
        let config = Config::load(&self.home)?.with(&self.overrides);
        let chain = Chain::new(Deployment::load(&config.deployment)?)?;
        Ok(Opened {
            home: self.home.clone(),
            config,
            chain,
        })
    }
}

impl Opened {
    /// Unlocks the keystore (passphrase from the environment or a prompt).
    pub fn signer(&self) -> Result<Signer, HomeError> {
        let keystore = Keystore::load(&self.home.join(KEYSTORE_FILE))?;
        let passphrase = config::passphrase(false)?;
        let wallet = keystore.unlock(&passphrase, &self.chain.deployment().prefix())?;
        Ok(self.chain.signer(wallet))
    }
}

/// `path` made absolute against the current directory, so a config written by
/// `init` keeps pointing at the same file wherever the node is started.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

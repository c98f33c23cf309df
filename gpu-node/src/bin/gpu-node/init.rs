//! `gpu-node init`: a new node home with its configuration, an encrypted keystore
//! holding a new key (or, with `--testnet-key`, one of the public test keys), and a
//! libp2p identity and the dashboard's token.

use std::path::PathBuf;

use gpu_node::provider::config::{self, Config, ConfigError, KEYSTORE_FILE};
use gpu_node::provider::identity;
use gpunion_sdk::keystore::{KeyOrigin, Keystore, generate_mnemonic};
use gpunion_sdk::{Deployment, TestAccounts};

use crate::home::{HomeError, HomeOptions, absolute};

/// Options of `gpu-node init`.
#[derive(clap::Args)]
pub struct Options {
    #[command(flatten)]
    home: HomeOptions,
    /// Use this public test key from --accounts instead of a new key. Anyone can read
    /// those keys: for a local testnet only.
    #[arg(long)]
    testnet_key: Option<String>,
    /// The public test keys.
    #[arg(long, default_value = "testnet/accounts.json")]
    accounts: PathBuf,
}

/// Why `init` failed.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(transparent)]
    Home(#[from] HomeError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Chain(#[from] gpunion_sdk::Error),
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    /// The home already holds a node: its key may be the only copy of a funded one.
    #[error("{0} already holds a node (config.toml or keystore.json); use another --home")]
    Exists(String),
}

/// Creates the node's home.
pub fn run(options: &Options) -> Result<(), InitError> {
    let home = &options.home.home;
    let keystore_path = home.join(KEYSTORE_FILE);
    if home.join(config::CONFIG_FILE).exists() || keystore_path.exists() {
        return Err(InitError::Exists(home.display().to_string()));
    }
    std::fs::create_dir_all(home).map_err(|e| ConfigError::Io {
        path: home.clone(),
        message: e.to_string(),
    })?;
    let mut config = Config::default().with(&options.home.overrides);
    config.deployment = absolute(&config.deployment);
    config.dashboard = config.dashboard.with_new_token()?;
    let prefix = Deployment::load(&config.deployment)
        .map(|d| d.prefix())
        .unwrap_or_else(|_| "wasm".into());
    let (mnemonic, origin) = match &options.testnet_key {
        Some(name) => {
            let accounts = TestAccounts::load(&options.accounts)?;
            eprintln!("warning: {name} is a PUBLIC test key; use it on a local testnet only");
            (
                accounts.get(name)?.mnemonic.clone(),
                KeyOrigin::PublicTestKey,
            )
        }
        None => (generate_mnemonic()?, KeyOrigin::Generated),
    };
    let passphrase = config::passphrase(true)?;
    let keystore = Keystore::encrypt(&mnemonic, &prefix, &passphrase, origin)?;
    keystore.save(&keystore_path)?;
    config.save(home)?;
    let peer = identity::load_or_create(home)?.public().to_peer_id();
    println!("node home   {}", home.display());
    println!("address     {}", keystore.address);
    println!("peer id     {peer}");
    println!("keystore    {} (encrypted)", keystore_path.display());
    println!("config      {}", home.join(config::CONFIG_FILE).display());
    println!(
        "dashboard   {} (once `gpu-node serve` runs)",
        config.dashboard.url(config.metrics_listen)
    );
    println!(
        "token       {} (the dashboard's actions need it; also in config.toml [dashboard])",
        config.dashboard.token
    );
    println!(
        "next: fund {} with GUT for the stake ({} ugut) and gas, then `gpu-node register --home {}`",
        keystore.address,
        config.provider.stake,
        home.display()
    );
    Ok(())
}

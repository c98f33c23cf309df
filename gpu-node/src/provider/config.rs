//! The node's configuration: a TOML file in the node's home, then environment
//! variables, then command-line flags, each overriding the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file in the node's home holding [`Config`].
pub const CONFIG_FILE: &str = "config.toml";
/// The encrypted keystore in the node's home.
pub const KEYSTORE_FILE: &str = "keystore.json";
/// The state database in the node's home.
pub const STATE_FILE: &str = "state.redb";
/// Where jobs' bundles and results are kept, in the node's home.
pub const JOBS_DIR: &str = "jobs";
/// The environment variable a keystore passphrase may come from (else a prompt).
pub const PASSPHRASE_ENV: &str = "GPUNION_KEYSTORE_PASSPHRASE";

/// Everything `gpu-node serve` and `register` need to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The deployment written by testnet/deploy (chain id, endpoints, contracts).
    pub deployment: PathBuf,
    /// Kubo's RPC API.
    pub ipfs_api: String,
    /// Where `/metrics` and `/status` are served (keep it on loopback or a private
    /// network: it is unauthenticated).
    pub metrics_listen: SocketAddr,
    pub provider: ProviderSettings,
    pub limits: JobLimits,
    pub mining: MiningSettings,
    /// Container images (leases of kind `OciImage`); absent in an older file: the
    /// defaults.
    #[serde(default)]
    pub containers: ContainerSettings,
    /// The lease link over libp2p (customers' live logs and port forwards); absent in
    /// an older file: the defaults.
    #[serde(default)]
    pub p2p: P2pSettings,
    /// The provider's dashboard (the web app's node pages, the node's status API);
    /// absent in an older file: no token, so the node takes no actions.
    #[serde(default)]
    pub dashboard: DashboardSettings,
}

/// The dashboard: the web app that shows this node, and the token its actions need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardSettings {
    /// The secret that actions on the node's API (pause, resume, price, withdraw) must
    /// carry as `Authorization: Bearer <token>`; empty: actions are refused.
    pub token: String,
    /// The web app the dashboard is opened in: the only origin the node's API answers
    /// a browser for, and the start of the URL `serve` prints.
    pub web_url: String,
}

impl Default for DashboardSettings {
    fn default() -> Self {
        Self {
            token: String::new(),
            web_url: "http://127.0.0.1:4173".into(),
        }
    }
}

impl DashboardSettings {
    /// Settings with a new random token (32 bytes, hex).
    pub fn with_new_token(self) -> Result<Self, ConfigError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| ConfigError::Random(e.to_string()))?;
        Ok(Self {
            token: hex::encode(bytes),
            ..self
        })
    }

    /// The dashboard's URL for a node whose API is at `api` (its `metrics_listen`).
    pub fn url(&self, api: SocketAddr) -> String {
        format!(
            "{}/#/node?api=http://{api}",
            self.web_url.trim_end_matches('/')
        )
    }
}

/// The node's libp2p host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct P2pSettings {
    /// Serve the lease link.
    pub enabled: bool,
    /// Multiaddrs to listen on (port 0: a free one each start; a fixed port for an
    /// announced address).
    pub listen: Vec<String>,
    /// Master nodes (`/ip4/…/tcp/…/p2p/<id>`): the node keeps a relay reservation on
    /// each, so customers reach it behind a NAT.
    pub masters: Vec<String>,
    /// Public multiaddrs to publish on the market (a port forwarded on the router);
    /// `register` adds a relayed address through each master.
    pub announce: Vec<String>,
}

impl Default for P2pSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: vec![
                "/ip4/0.0.0.0/tcp/0".into(),
                "/ip4/0.0.0.0/udp/0/quic-v1".into(),
            ],
            masters: Vec::new(),
            announce: Vec::new(),
        }
    }
}

/// What the node offers on the market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    /// Price of one GPU for one hour, ugut.
    pub price_per_hour: u64,
    /// Stake sent with `register`, ugut.
    pub stake: u64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Geohash of the machine's location (1 to 12 characters).
    pub geohash: String,
    /// Join the market's check pool: be drawn (and paid the check fee) to re-run other
    /// providers' deterministic jobs and to referee their disputes.
    #[serde(default)]
    pub check_pool: bool,
}

/// Limits every job runs under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobLimits {
    /// Largest bundle fetched from IPFS, MiB (cut off while streaming).
    pub max_bundle_mib: u64,
    /// Memory limit of a job's process, MiB.
    pub memory_limit_mib: u64,
    /// Longest a job may run, seconds (also capped by the manifest and the lease's end).
    pub max_job_seconds: u64,
    /// How long a bundle's CID may take to be found in IPFS, seconds.
    pub fetch_timeout_seconds: u64,
}

/// Mining between leases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MiningSettings {
    /// Mine GUT with the GPU while no lease is running.
    pub enabled: bool,
}

/// Container jobs: run under runc as root, each in its own sandbox (see
/// `docs/adr/10-oci-executor.md` for which limits the machine's cgroups enforce).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContainerSettings {
    /// Take leases of container images (they need runc and root; without either,
    /// `serve` refuses such leases with the reason).
    pub enabled: bool,
    /// Largest image (its layout folder, as fetched from IPFS), MiB.
    pub max_image_mib: u64,
    /// Most bytes the image's layers may unpack to, MiB.
    pub max_unpacked_mib: u64,
    /// Memory of a container (its cgroup's limit), MiB.
    pub memory_limit_mib: u64,
    /// CPU of a container, thousandths of a core.
    pub cpu_millis: u64,
    /// Processes and threads at once in a container.
    pub pids: u32,
    /// Largest output folder returned, MiB.
    pub max_output_mib: u64,
    /// Most bytes of standard output, and of standard error, kept, KiB.
    pub log_cap_kib: u64,
}

impl Default for ContainerSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_image_mib: 2048,
            max_unpacked_mib: 4096,
            memory_limit_mib: 4096,
            cpu_millis: 2000,
            pids: 256,
            max_output_mib: 256,
            log_cap_kib: 1024,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            deployment: PathBuf::from("testnet/deployment.json"),
            ipfs_api: "http://127.0.0.1:5001".into(),
            metrics_listen: SocketAddr::from(([127, 0, 0, 1], 9464)),
            provider: ProviderSettings {
                price_per_hour: 3_600_000,
                stake: 1_000_000_000,
                country: "DE".into(),
                geohash: "u33d".into(),
                check_pool: true,
            },
            limits: JobLimits {
                max_bundle_mib: 64,
                memory_limit_mib: 8192,
                max_job_seconds: 600,
                fetch_timeout_seconds: 20,
            },
            mining: MiningSettings { enabled: true },
            containers: ContainerSettings::default(),
            p2p: P2pSettings::default(),
            dashboard: DashboardSettings::default(),
        }
    }
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The node's home has no config: `gpu-node init` makes one.
    #[error("no {} in {}: run `gpu-node init --home {}` first", CONFIG_FILE, .home.display(), .home.display())]
    NotInitialized { home: PathBuf },
    /// The file does not parse; `message` names the field.
    #[error("{}: {message}", .path.display())]
    Parse { path: PathBuf, message: String },
    /// A file could not be read or written.
    #[error("{}: {message}", .path.display())]
    Io { path: PathBuf, message: String },
    /// The operating system gave no randomness for the dashboard's token.
    #[error("no randomness for the dashboard token: {0}")]
    Random(String),
    /// The keystore passphrase could not be read.
    #[error("no keystore passphrase: set {PASSPHRASE_ENV} or run in a terminal ({0})")]
    Passphrase(String),
}

/// Overrides of the file's settings from the environment and flags (clap reads the
/// environment variable when the flag is absent).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Overrides {
    /// The deployment JSON.
    #[arg(long, env = "GPUNION_DEPLOYMENT")]
    pub deployment: Option<PathBuf>,
    /// Kubo's RPC API URL.
    #[arg(long, env = "IPFS_API")]
    pub ipfs_api: Option<String>,
    /// Address of the /metrics and /status endpoint.
    #[arg(long, env = "GPUNION_NODE_METRICS")]
    pub metrics_listen: Option<SocketAddr>,
    /// Price of one GPU-hour, ugut.
    #[arg(long, env = "GPUNION_NODE_PRICE")]
    pub price_per_hour: Option<u64>,
    /// Registration stake, ugut.
    #[arg(long, env = "GPUNION_NODE_STAKE")]
    pub stake: Option<u64>,
    /// Country code (ISO 3166-1 alpha-2).
    #[arg(long, env = "GPUNION_NODE_COUNTRY")]
    pub country: Option<String>,
    /// Geohash of the machine's location.
    #[arg(long, env = "GPUNION_NODE_GEOHASH")]
    pub geohash: Option<String>,
    /// Largest job wall time, seconds.
    #[arg(long, env = "GPUNION_NODE_MAX_JOB_SECONDS")]
    pub max_job_seconds: Option<u64>,
    /// Largest bundle, MiB.
    #[arg(long, env = "GPUNION_NODE_MAX_BUNDLE_MIB")]
    pub max_bundle_mib: Option<u64>,
    /// Do not mine between leases.
    #[arg(long, env = "GPUNION_NODE_NO_MINING")]
    pub no_mining: bool,
    /// The web app the dashboard is opened in (the one origin the node's API answers).
    #[arg(long, env = "GPUNION_NODE_WEB_URL")]
    pub web_url: Option<String>,
}

impl Config {
    /// Reads `<home>/config.toml`.
    pub fn load(home: &Path) -> Result<Self, ConfigError> {
        let path = home.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::NotInitialized {
                    home: home.to_path_buf(),
                });
            }
            Err(e) => {
                return Err(ConfigError::Io {
                    path,
                    message: e.to_string(),
                });
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path,
            message: e.to_string(),
        })
    }

    /// Writes `<home>/config.toml`, readable by its owner only (it holds the
    /// dashboard's token).
    pub fn save(&self, home: &Path) -> Result<(), ConfigError> {
        use std::io::Write as _;
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        let path = home.join(CONFIG_FILE);
        let text = toml::to_string_pretty(self).map_err(|e| ConfigError::Parse {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let io = |e: std::io::Error| ConfigError::Io {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(io)?;
        // A file made before by someone else's umask keeps its mode through `open`.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)
    }

    /// Gives the config file in `home` a dashboard token if it has none (a home made
    /// before the dashboard existed); returns whether it made one.
    pub fn ensure_dashboard_token(home: &Path) -> Result<bool, ConfigError> {
        let mut config = Self::load(home)?;
        if !config.dashboard.token.is_empty() {
            return Ok(false);
        }
        config.dashboard = config.dashboard.with_new_token()?;
        config.save(home)?;
        Ok(true)
    }

    /// The settings with `overrides` applied.
    pub fn with(mut self, overrides: &Overrides) -> Self {
        let o = overrides.clone();
        if let Some(v) = o.deployment {
            self.deployment = v;
        }
        if let Some(v) = o.ipfs_api {
            self.ipfs_api = v;
        }
        if let Some(v) = o.metrics_listen {
            self.metrics_listen = v;
        }
        if let Some(v) = o.price_per_hour {
            self.provider.price_per_hour = v;
        }
        if let Some(v) = o.stake {
            self.provider.stake = v;
        }
        if let Some(v) = o.country {
            self.provider.country = v;
        }
        if let Some(v) = o.geohash {
            self.provider.geohash = v;
        }
        if let Some(v) = o.max_job_seconds {
            self.limits.max_job_seconds = v;
        }
        if let Some(v) = o.max_bundle_mib {
            self.limits.max_bundle_mib = v;
        }
        if o.no_mining {
            self.mining.enabled = false;
        }
        if let Some(v) = o.web_url {
            self.dashboard.web_url = v;
        }
        self
    }
}

/// The keystore passphrase: from [`PASSPHRASE_ENV`], else asked on the terminal
/// (twice when `confirm`, for a new keystore).
pub fn passphrase(confirm: bool) -> Result<String, ConfigError> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    let first = rpassword::prompt_password("keystore passphrase: ")
        .map_err(|e| ConfigError::Passphrase(e.to_string()))?;
    if confirm {
        let second = rpassword::prompt_password("again: ")
            .map_err(|e| ConfigError::Passphrase(e.to_string()))?;
        if first != second {
            return Err(ConfigError::Passphrase("the two entries differ".into()));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.provider.price_per_hour = 10;
        config.save(dir.path()).unwrap();
        let loaded = Config::load(dir.path()).unwrap();
        assert_eq!(loaded, config);
        let overridden = loaded.with(&Overrides {
            price_per_hour: Some(20),
            no_mining: true,
            ..Default::default()
        });
        assert_eq!(overridden.provider.price_per_hour, 20);
        assert!(!overridden.mining.enabled);
        assert_eq!(overridden.provider.country, "DE");
    }

    #[test]
    fn an_older_file_without_containers_gets_their_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let text = toml::to_string(&Config::default()).unwrap();
        let start = text.find("[containers]").unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), &text[..start]).unwrap();
        let loaded = Config::load(dir.path()).unwrap();
        assert_eq!(loaded.containers, ContainerSettings::default());
    }

    #[test]
    fn an_older_file_without_a_dashboard_has_no_token_and_a_new_token_is_secret() {
        let dir = tempfile::tempdir().unwrap();
        let text = toml::to_string(&Config::default()).unwrap();
        let start = text.find("[dashboard]").unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), &text[..start]).unwrap();
        let loaded = Config::load(dir.path()).unwrap();
        assert_eq!(loaded.dashboard.token, "");

        assert!(Config::ensure_dashboard_token(dir.path()).unwrap());
        let mut config = Config::load(dir.path()).unwrap();
        assert_eq!(config.dashboard.token.len(), 64);
        assert!(!Config::ensure_dashboard_token(dir.path()).unwrap());
        assert_eq!(Config::load(dir.path()).unwrap(), config, "kept once made");
        config.dashboard = config.dashboard.with_new_token().unwrap();
        let other = DashboardSettings::default().with_new_token().unwrap();
        assert_ne!(config.dashboard.token, other.token);
        config.save(dir.path()).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join(CONFIG_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the config holds a secret");
        assert_eq!(Config::load(dir.path()).unwrap(), config);
        assert_eq!(
            config.dashboard.url("127.0.0.1:9464".parse().unwrap()),
            "http://127.0.0.1:4173/#/node?api=http://127.0.0.1:9464"
        );
    }

    #[test]
    fn a_bad_field_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let text = toml::to_string(&Config::default())
            .unwrap()
            .replace("price_per_hour = 3600000", "price_per_hour = \"lots\"");
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("price_per_hour"), "{err}");
    }

    #[test]
    fn missing_config_says_to_init() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gpu-node init"), "{err}");
    }
}

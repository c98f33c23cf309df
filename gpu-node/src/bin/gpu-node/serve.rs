//! `gpu-node serve`: assembles the provider's parts from the node's home and runs
//! its event loop until SIGINT or SIGTERM; prints the dashboard's URL.

use std::sync::Arc;
use std::time::Duration;

use gpu_node::gpu::Gpu;
use gpu_node::miner::{GpuSearch, Kernels, MinerError};
use gpu_node::provider::config::{Config, JOBS_DIR, STATE_FILE};
use gpu_node::provider::dashboard::access::Access;
use gpu_node::provider::dashboard::board::{Board, GpuInfo};
use gpu_node::provider::dashboard::errors::RecentErrors;
use gpu_node::provider::dashboard::server::Api;
use gpu_node::provider::job::JobSettings;
use gpu_node::provider::metrics::Metrics;
use gpu_node::provider::mining::MinerControl;
use gpu_node::provider::p2p::{self, LinkParts, P2pError};
use gpu_node::provider::serve::{Node, ServeError};
use gpu_node::provider::state::{StateError, Store};
use gpu_node::provider::{attributes, containers, identity};
use gpunion_interface::job::Allowance;
use gpunion_ipfs::{IpfsError, Kubo};
use gpunion_sdk::flows::ProviderAgent;
use gpunion_sdk::miner::MiningAgent;

use crate::home::{HomeError, HomeOptions};

/// Options of `gpu-node serve`.
#[derive(clap::Args)]
pub struct Options {
    #[command(flatten)]
    home: HomeOptions,
    /// Logs as JSON lines (for a log collector) instead of text.
    #[arg(long, env = "GPUNION_NODE_LOG_JSON")]
    log_json: bool,
}

/// Why `serve` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeCommandError {
    #[error(transparent)]
    Home(#[from] HomeError),
    #[error(transparent)]
    Chain(#[from] gpunion_sdk::Error),
    #[error(transparent)]
    Ipfs(#[from] IpfsError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error(transparent)]
    Gpu(#[from] MinerError),
    #[error(transparent)]
    P2p(#[from] P2pError),
    #[error("{what}: {message}")]
    Io { what: String, message: String },
}

/// Runs the node.
pub fn run(options: &Options) -> Result<(), ServeCommandError> {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let text = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    // The last warnings go to the dashboard as well as to the log.
    let errors = RecentErrors::default();
    let logger = tracing_subscriber::registry()
        .with(filter)
        .with(errors.clone());
    if options.log_json {
        logger.with(text.json()).init();
    } else {
        logger.with(text).init();
    }
    if Config::ensure_dashboard_token(&options.home.home).map_err(HomeError::from)? {
        tracing::info!("made the dashboard's token: config.toml [dashboard] token");
    }
    let opened = options.home.open()?;
    let signer = opened.signer()?;
    let config = &opened.config;
    let io = |what: &str| {
        let what = what.to_string();
        move |e: std::io::Error| ServeCommandError::Io {
            what,
            message: e.to_string(),
        }
    };
    let market_address = opened.chain.market()?.address().to_string();
    let store = Store::open(&opened.home.join(STATE_FILE), &market_address)?;
    let jobs_dir = opened.home.join(JOBS_DIR);
    std::fs::create_dir_all(&jobs_dir).map_err(io("the jobs folder"))?;
    let gpu = Arc::new(Gpu::new().map_err(MinerError::from)?);
    tracing::info!(adapter = %gpu.describe(), "GPU");
    let gpu_info = GpuInfo {
        adapter: gpu.describe(),
        backend: gpu.backend(),
        memory_mib: gpu.memory_mib(),
    };
    let kubo = Kubo::new(&config.ipfs_api)?;
    let executable = std::env::current_exe().map_err(io("the gpu-node executable"))?;
    let allowance = Allowance::for_capability(
        &attributes::capability(&gpu),
        gpu.memory_mib(),
        config.limits.max_bundle_mib << 20,
        config.limits.max_job_seconds,
    );
    let settings = JobSettings {
        executable,
        jobs_dir,
        kubo: kubo.clone(),
        allowance,
        max_bundle_bytes: config.limits.max_bundle_mib << 20,
        fetch_timeout: Duration::from_secs(config.limits.fetch_timeout_seconds),
        memory_limit_mib: config.limits.memory_limit_mib,
        containers: match containers::container_jobs(&config.containers, &opened.home) {
            Ok(jobs) => {
                tracing::info!(
                    runc = %jobs.runc.binary.display(),
                    nvidia_gpus = jobs.gpus.gpus.len(),
                    driver_files = jobs.driver.files.len(),
                    "container jobs on"
                );
                Some(jobs)
            }
            Err(why) => {
                tracing::warn!(%why, "container jobs off");
                None
            }
        },
    };
    let runtime = tokio::runtime::Runtime::new().map_err(io("the async runtime"))?;
    runtime.block_on(async {
        let version = kubo.version().await?;
        tracing::info!(kubo = %version, api = kubo.api_url(), "IPFS");
        let chain = &opened.chain;
        let market = chain.market()?;
        let params = market.config().await?.params;
        let metrics = Metrics::new();
        let miner = if config.mining.enabled {
            let kernels = Kernels::for_mining(gpu.clone())?;
            let search = GpuSearch::new(kernels, Duration::from_millis(200));
            let pause = search.pause_switch();
            let agent = MiningAgent::with_search(signer.clone(), chain.mining()?, search);
            MinerControl::new(Some(agent), pause, metrics.clone())
        } else {
            MinerControl::new(None, Default::default(), metrics.clone())
        };
        let listener = tokio::net::TcpListener::bind(config.metrics_listen)
            .await
            .map_err(io("the metrics address"))?;
        let (cancel_requests, cancels) = tokio::sync::mpsc::channel(16);
        let p2p = if config.p2p.enabled {
            let keypair = identity::load_or_create(&opened.home)
                .map_err(|e| ServeCommandError::Io {
                    what: "the libp2p identity".into(),
                    message: e.to_string(),
                })?;
            let parts = LinkParts {
                provider: signer.address().to_string(),
                chain_id: chain.deployment().chain_id.clone(),
                market: market.clone(),
                jobs_dir: settings.jobs_dir.clone(),
                runc: settings.containers.as_ref().map(|c| c.runc.clone()),
                cancels: cancel_requests,
            };
            let host = p2p::start(&config.p2p, keypair, parts).await?;
            tracing::info!(peer = %host.peer_id(), masters = config.p2p.masters.len(), "lease link on libp2p");
            Some(host)
        } else {
            None
        };
        let board = Board::new(
            signer.address().to_string(),
            p2p.as_ref().map(|h| h.peer_id().to_string()),
            gpu_info,
            metrics.clone(),
            errors,
        );
        let (action_requests, actions) = tokio::sync::mpsc::channel(4);
        let api = Api {
            board: board.clone(),
            metrics: metrics.clone(),
            access: Arc::new(Access::new(&config.dashboard)),
            actions: action_requests,
            jobs_dir: settings.jobs_dir.clone(),
        };
        tokio::spawn(api.serve(listener));
        let dashboard = config.dashboard.url(config.metrics_listen);
        tracing::info!(address = %config.metrics_listen, "metrics on /metrics, the dashboard's API on /api/status");
        println!("dashboard  {dashboard}");
        tracing::info!(%dashboard, "open the dashboard");
        let node = Node {
            p2p,
            cancels,
            actions,
            board,
            agent: ProviderAgent::new(signer.clone(), market.clone(), chain.gut()?),
            rpc: chain.rpc().clone(),
            market_address: market.address().to_string(),
            store,
            metrics,
            miner,
            jobs: Arc::new(settings),
            max_job: Duration::from_secs(config.limits.max_job_seconds),
            check_pool: config.provider.check_pool,
            // Well inside the grace period: three heartbeats per grace.
            heartbeat_every: Duration::from_secs((params.heartbeat_grace_seconds / 3).max(5)),
        };
        node.serve().await?;
        Ok(())
    })
}

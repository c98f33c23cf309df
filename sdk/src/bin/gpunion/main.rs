//! `gpunion`: the command line over the GPUnion SDK.

mod job;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use futures::StreamExt;
use gpunion_sdk::events;
use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::miner::{MiningAgent, MiningProgress};
use gpunion_sdk::msg::market::{ProviderAttributes, ProviderFilter, Workload, WorkloadKind};
use gpunion_sdk::{Chain, Deployment, Error, Result, Rpc, Signer, TestAccounts, TxOutcome};

#[derive(Parser)]
#[command(
    name = "gpunion",
    version,
    about = "GPUnion command line: keys, GUT, mining, market"
)]
struct Cli {
    /// Deployment written by testnet/deploy (endpoints, chain id, contract addresses).
    #[arg(
        long,
        env = "GPUNION_DEPLOYMENT",
        default_value = "testnet/deployment.json",
        global = true
    )]
    deployment: PathBuf,
    /// RPC endpoints, in order of preference (default: the deployment's). Repeatable.
    #[arg(long = "rpc", global = true)]
    rpc: Vec<String>,
    /// Name of a test account in --accounts to sign with.
    #[arg(long, global = true)]
    key: Option<String>,
    /// The public test keys.
    #[arg(long, default_value = "testnet/accounts.json", global = true)]
    accounts: PathBuf,
    /// Read the signing mnemonic from this environment variable instead of --key.
    #[arg(long, global = true)]
    mnemonic_env: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Chain id, latest height and the endpoint that answered.
    Status,
    /// Bank balance in the fee denom.
    Balance { address: Option<String> },
    /// The GUT token.
    Gut {
        #[command(subcommand)]
        command: GutCommand,
    },
    /// The mining contract's current challenge.
    Challenge,
    /// Mines solutions on the CPU and submits them.
    Mine {
        /// How many solutions.
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
    /// As a miner (--key): consents to a provider naming this account as the mining
    /// address that vouches for its hashrate (needed before it registers with it).
    MiningLink { provider: String },
    /// The token swap.
    Swap {
        #[command(subcommand)]
        command: SwapCommand,
    },
    /// A provider's side of the market (signs with --key).
    Provider {
        #[command(subcommand)]
        command: ProviderCommand,
    },
    /// Providers matching a filter, cheapest first.
    Providers {
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        gpu_model: Option<String>,
        #[arg(long)]
        max_price: Option<u128>,
    },
    /// Prints transactions matching a CometBFT event query as they are included, e.g.
    /// "wasm.action='open_lease'" (over the RPC endpoint's WebSocket).
    Watch {
        query: String,
        /// Stop after this many transactions.
        #[arg(long)]
        count: Option<usize>,
    },
    /// A customer's leases (signs with --key).
    Lease {
        #[command(subcommand)]
        command: LeaseCommand,
    },
    /// A customer's GPU jobs: run a bundle end to end (signs with --key; Kubo's API
    /// from IPFS_API, default http://127.0.0.1:5001).
    Job {
        #[command(subcommand)]
        command: job::JobCommand,
    },
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Registers with a stake (ugut) and attributes given as a JSON file
    /// (the market's ProviderAttributes).
    Register {
        #[arg(long)]
        stake: u128,
        #[arg(long)]
        attributes: PathBuf,
    },
    /// The provider's record and status.
    Show { address: Option<String> },
    /// Sends a heartbeat.
    Heartbeat,
    /// Leases waiting for acceptance.
    Pending,
    /// Accepts a pending lease.
    Accept { lease_id: u64 },
    /// Withdraws what a lease has earned so far.
    Withdraw { lease_id: u64 },
    /// Posts a lease's result CID.
    Result { lease_id: u64, cid: String },
}

#[derive(Subcommand)]
enum LeaseCommand {
    /// Opens a lease starting now, depositing what the duration costs.
    Open {
        #[arg(long)]
        provider: String,
        /// Seconds.
        #[arg(long)]
        duration: u64,
        /// IPFS CID of the workload.
        #[arg(long)]
        cid: String,
        /// The workload is an OCI image layout (default: a WGSL job bundle).
        #[arg(long)]
        oci: bool,
        /// Highest price per hour accepted, in ugut.
        #[arg(long)]
        max_price: u128,
    },
    /// One lease.
    Show { lease_id: u64 },
    /// Closes a lease.
    Close { lease_id: u64 },
    /// Rates the provider of a finished lease (1 to 5).
    Rate { lease_id: u64, score: u8 },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// The address of the signing key.
    Show,
}

#[derive(Subcommand)]
enum GutCommand {
    /// Name, symbol, decimals, supply.
    Info,
    /// GUT balance in ugut (default: the signer's).
    Balance { address: Option<String> },
    /// Transfers AMOUNT ugut to RECIPIENT.
    Transfer { recipient: String, amount: u128 },
}

#[derive(Subcommand)]
enum SwapCommand {
    /// Totals claimed and returned.
    Stats,
    /// Whether an old address has claimed.
    Claimed { old_address: String },
}

fn progress(line: &str) {
    eprintln!("gpunion: {line}");
}

fn print_tx(tx: &TxOutcome) {
    println!(
        "tx {} in block {} (gas {}/{})",
        tx.hash, tx.height, tx.gas_used, tx.gas_wanted
    );
}

fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Decode {
        what: "answer".into(),
        message: e.to_string(),
    })?;
    println!("{text}");
    Ok(())
}

struct Context {
    cli: Cli,
    chain: Chain,
}

impl Context {
    fn new(cli: Cli) -> Result<Self> {
        let deployment = Deployment::load(&cli.deployment)?;
        let urls = if cli.rpc.is_empty() {
            vec![deployment.rpc.clone()]
        } else {
            cli.rpc.clone()
        };
        let chain = Chain::with_rpc(deployment, Rpc::new(&urls)?)?;
        Ok(Self { cli, chain })
    }

    fn signer(&self) -> Result<Signer> {
        let mnemonic = match (&self.cli.mnemonic_env, &self.cli.key) {
            (Some(var), _) => std::env::var(var)
                .map_err(|_| Error::BadInput(format!("environment variable {var} is not set")))?,
            (None, Some(name)) => TestAccounts::load(&self.cli.accounts)?
                .get(name)?
                .mnemonic
                .clone(),
            (None, None) => {
                return Err(Error::BadInput(
                    "give --key NAME or --mnemonic-env VAR".into(),
                ));
            }
        };
        Ok(self.chain.signer(self.chain.wallet(&mnemonic)?))
    }

    fn address_or_signer(&self, address: &Option<String>) -> Result<String> {
        match address {
            Some(a) => Ok(a.clone()),
            None => Ok(self.signer()?.address().to_string()),
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(cli)?;
    let chain = &ctx.chain;
    match &ctx.cli.command {
        Command::Keys {
            command: KeysCommand::Show,
        } => println!("{}", ctx.signer()?.address()),
        Command::Status => {
            let status = chain.rpc().status().await?;
            println!("chain {}", status.node_info.network);
            println!("height {}", status.sync_info.latest_block_height);
            println!("time {}", status.sync_info.latest_block_time);
            println!("endpoint {}", chain.rpc().healthy_endpoint());
        }
        Command::Balance { address } => {
            let address = ctx.address_or_signer(address)?;
            let denom = &chain.deployment().denom;
            println!("{} {denom}", chain.rpc().balance(&address, denom).await?);
        }
        Command::Gut { command } => {
            let gut = chain.gut()?;
            match command {
                GutCommand::Info => json(&gut.token_info().await?)?,
                GutCommand::Balance { address } => {
                    println!(
                        "{} ugut",
                        gut.balance(&ctx.address_or_signer(address)?).await?
                    )
                }
                GutCommand::Transfer { recipient, amount } => {
                    let signer = ctx.signer()?;
                    progress("sending the transfer, then waiting for inclusion");
                    print_tx(&gut.transfer(&signer, recipient, *amount).await?);
                }
            }
        }
        Command::Challenge => json(&chain.mining()?.challenge().await?)?,
        Command::Mine { count } => {
            let signer = ctx.signer()?;
            let miner = MiningAgent::new(signer.clone(), chain.mining()?);
            let gut = chain.gut()?;
            for i in 1..=*count {
                let started = Instant::now();
                let mut last_report = Instant::now();
                let solution = miner
                    .mine_one(|p| {
                        // Searching reports come every batch: show one every 2 s.
                        let periodic = matches!(p, MiningProgress::Searching { .. });
                        if !periodic || last_report.elapsed().as_secs() >= 2 {
                            progress(&format!("solution {i}/{count}: {p}"));
                            last_report = Instant::now();
                        }
                    })
                    .await?;
                println!(
                    "solved {solution}, after {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            println!("GUT balance {} ugut", gut.balance(signer.address()).await?);
        }
        Command::MiningLink { provider } => {
            let tx = chain
                .market()?
                .consent_mining_link(&ctx.signer()?, provider)
                .await?;
            print_tx(&tx);
        }
        Command::Provider { command } => provider_command(&ctx, command).await?,
        Command::Providers {
            country,
            gpu_model,
            max_price,
        } => {
            let filter = ProviderFilter {
                country: country.clone(),
                gpu_model: gpu_model.clone(),
                max_price_per_hour: max_price.map(Into::into),
                ..ProviderFilter::default()
            };
            let mut found = chain.market()?.all_providers(Some(filter)).await?;
            found.sort_by_key(|p| p.provider.attributes.price_per_hour);
            json(&found)?
        }
        Command::Lease { command } => lease_command(&ctx, command).await?,
        Command::Job { command } => {
            let customer = Customer::new(
                ctx.signer()?,
                chain.market()?,
                chain.gut()?,
                chain.endorsement().ok(),
            );
            job::run(&customer, command).await?
        }
        Command::Watch { query, count } => {
            let endpoint = chain.rpc().healthy_endpoint();
            let mut stream = events::subscribe_txs(&endpoint, query).await?;
            progress(&format!("watching {query} at {endpoint}"));
            let mut seen = 0;
            while let Some(note) = stream.next().await {
                let note = note?;
                let wasm: Vec<String> = note
                    .events
                    .iter()
                    .filter(|e| e.kind == "wasm")
                    .flat_map(|e| e.attributes.iter().map(|(k, v)| format!("{k}={v}")))
                    .collect();
                println!("block {}: {}", note.height, wasm.join(" "));
                seen += 1;
                if count.is_some_and(|c| seen >= c) {
                    break;
                }
            }
        }
        Command::Swap { command } => {
            let swap = chain.token_swap()?;
            match command {
                SwapCommand::Stats => json(&swap.stats().await?)?,
                SwapCommand::Claimed { old_address } => json(&swap.claim_of(old_address).await?)?,
            }
        }
    }
    Ok(())
}

async fn provider_command(ctx: &Context, command: &ProviderCommand) -> Result<()> {
    let chain = &ctx.chain;
    let market = chain.market()?;
    if let ProviderCommand::Show { address } = command {
        return json(&market.provider(&ctx.address_or_signer(address)?).await?);
    }
    let agent = ProviderAgent::new(ctx.signer()?, market, chain.gut()?);
    match command {
        ProviderCommand::Register { stake, attributes } => {
            let text = std::fs::read_to_string(attributes).map_err(|e| {
                Error::BadInput(format!("cannot read {}: {e}", attributes.display()))
            })?;
            let attributes: ProviderAttributes = serde_json::from_str(&text)
                .map_err(|e| Error::BadInput(format!("{}: {e}", attributes.display())))?;
            progress("registering, waiting for inclusion");
            print_tx(&agent.register(*stake, attributes).await?);
        }
        ProviderCommand::Show { .. } => {}
        ProviderCommand::Heartbeat => print_tx(&agent.heartbeat().await?),
        ProviderCommand::Pending => json(&agent.pending_leases().await?)?,
        ProviderCommand::Accept { lease_id } => print_tx(&agent.accept(*lease_id).await?),
        ProviderCommand::Withdraw { lease_id } => match agent.withdraw(*lease_id).await? {
            Some(tx) => print_tx(&tx),
            None => println!("nothing to withdraw yet"),
        },
        ProviderCommand::Result { lease_id, cid } => {
            print_tx(&agent.post_result(*lease_id, cid, None).await?)
        }
    }
    Ok(())
}

async fn lease_command(ctx: &Context, command: &LeaseCommand) -> Result<()> {
    let chain = &ctx.chain;
    let market = chain.market()?;
    if let LeaseCommand::Show { lease_id } = command {
        return json(&market.lease(*lease_id).await?);
    }
    let customer = Customer::new(
        ctx.signer()?,
        market,
        chain.gut()?,
        chain.endorsement().ok(),
    );
    match command {
        LeaseCommand::Open {
            provider,
            duration,
            cid,
            oci,
            max_price,
        } => {
            let kind = if *oci {
                WorkloadKind::OciImage
            } else {
                WorkloadKind::WgslBundle
            };
            let workload = Workload {
                cid: cid.clone(),
                kind,
            };
            progress("opening the lease, waiting for inclusion");
            let (id, tx) = customer
                .open_lease(provider, *duration, workload, *max_price)
                .await?;
            println!("lease {id}");
            print_tx(&tx);
        }
        LeaseCommand::Show { .. } => {}
        LeaseCommand::Close { lease_id } => print_tx(&customer.close(*lease_id).await?),
        LeaseCommand::Rate { lease_id, score } => {
            print_tx(&customer.rate(*lease_id, *score, None).await?)
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gpunion: error: {err}");
            ExitCode::FAILURE
        }
    }
}

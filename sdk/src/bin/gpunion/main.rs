//! `gpunion`: the command line over the GPUnion SDK.

mod endorser;
mod job;
mod keeper;
mod link;
mod swap;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand};
use futures::StreamExt;
use gpunion_sdk::events;
use gpunion_sdk::flows::{Customer, ProviderAgent};
use gpunion_sdk::miner::{MiningAgent, MiningProgress};
use gpunion_sdk::msg::market::{
    LeaseResult, ProviderAttributes, ProviderFilter, Workload, WorkloadKind,
};
use gpunion_sdk::{Chain, Deployment, Error, Result, Rpc, Signer, TestAccounts, TxOutcome};

#[derive(Parser)]
#[command(
    name = "gpunion",
    version,
    about = "GPUnion command line: keys, GUT, mining, market, token swap, keeper"
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
    /// Print the result as JSON on stdout (progress stays on stderr), for scripts.
    #[arg(long, global = true)]
    json: bool,
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
    /// Bank balance in the fee denom (proven).
    Balance { address: Option<String> },
    /// The GUT token.
    Gut {
        #[command(subcommand)]
        command: GutCommand,
    },
    /// The market's parameters and the GUT it holds (proven).
    Market {
        #[command(subcommand)]
        command: MarketCommand,
    },
    /// The mining contract's current challenge.
    Challenge,
    /// Mines solutions on the CPU and submits them.
    Mine {
        /// How many solutions.
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
    /// A miner's proven X16S hashrate: its work in the recent complete windows of
    /// block time over their length (zero for an address that never solved).
    Hashrate { address: String },
    /// As a miner (--key): consents to a provider naming this account as the mining
    /// address that vouches for its hashrate (needed before it registers with it).
    MiningLink { provider: String },
    /// The token swap: its figures, and claiming an old-chain balance as GUT.
    Swap {
        #[command(subcommand)]
        command: swap::SwapCommand,
    },
    /// A provider's side of the market (signs with --key).
    Provider {
        #[command(subcommand)]
        command: ProviderCommand,
    },
    /// Providers matching a filter, cheapest first, each with its claimed X16S
    /// hashrate next to the proven one (`hashrate`: claimed, proven, ratio_permille).
    Providers {
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        gpu_model: Option<String>,
        #[arg(long)]
        max_price: Option<u128>,
        /// Only providers that run container images (OCI) leases.
        #[arg(long)]
        oci: bool,
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
    /// An endorser's side: bond GUT, vouch for providers' claims, revoke, unbond.
    Endorser {
        #[command(subcommand)]
        command: endorser::EndorserCommand,
    },
    /// A provider's reputation: rating, reliability, endorsement and hardware parts
    /// (claimed and proven hashrate), and score.
    Reputation { provider: String },
    /// Providers the endorsement contract recommends for a request, best first.
    Recommend(endorser::RecommendArgs),
    /// Settles every overdue lease of the market, for everyone, until Ctrl-C: reclaims
    /// leases not accepted in time, expires leases whose provider stopped heartbeating
    /// (the signer pays the fees).
    ///
    /// A lease still pending after its accept deadline is reclaimed (the customer
    /// refunded in full); a running lease whose provider stopped heartbeating for longer
    /// than the lease's grace (seconds and blocks) is expired (the customer refunded what
    /// was not served and paid a slash of the provider's stake). Nobody pays the fees
    /// back, so a transaction is sent only when the chain will accept it: the contract's
    /// own conditions are checked at the latest block's time, not the local clock.
    ///
    /// Lease ids are walked forward from --from once; later passes re-read only the
    /// leases still open. The market is read with unverified smart queries: the contract
    /// re-checks every condition, so a lying node can only make the keeper waste a fee
    /// on a refused transaction or hide a lease from it. Network errors are logged and
    /// retried with backoff; a lease someone else settled first counts as done. Ctrl-C
    /// stops it cleanly. With --json each action is one JSON line on stdout.
    Keeper(keeper::KeeperArgs),
    /// Prints a shell completion script, e.g. `gpunion completions bash > /etc/bash_completion.d/gpunion`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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
    /// Rejects a pending lease (the customer is refunded in full); the reason goes in
    /// the transaction's memo, where the customer reads it.
    Reject {
        lease_id: u64,
        #[arg(long)]
        reason: String,
    },
    /// Stops taking new leases (open ones go on).
    Pause,
    /// Takes new leases again.
    Resume,
    /// Leaves the market: with no open lease, the stake starts unbonding.
    Leave,
    /// Takes the stake back once unbonding is over.
    ClaimStake,
    /// Adds AMOUNT ugut to the stake.
    TopUp { amount: u128 },
    /// Replaces the declared attributes with a JSON file (the market's ProviderAttributes).
    Update {
        #[arg(long)]
        attributes: PathBuf,
    },
    /// Withdraws what a lease has earned so far.
    Withdraw { lease_id: u64 },
    /// Posts a lease's result CID.
    Result { lease_id: u64, cid: String },
}

#[derive(Subcommand)]
enum MarketCommand {
    /// Owner, token, treasury, parameters (minimum stake, fee, slash, grace, accept
    /// window) and the next lease id.
    Config,
    /// GUT held in escrow for open leases and as provider stakes.
    Escrow,
}

#[derive(Subcommand)]
enum LeaseCommand {
    /// Lists leases in id order, proven complete (no node can hide one): yours as
    /// customer, or another customer's or a provider's. One page; continue with
    /// `--after` the last id shown.
    List {
        /// List this provider's leases instead.
        #[arg(long, conflicts_with = "customer")]
        provider: Option<String>,
        /// List this customer's leases (default: the signer's).
        #[arg(long)]
        customer: Option<String>,
        /// Only leases with ids above this one.
        #[arg(long)]
        after: Option<u64>,
        /// At most this many (10 by default, 30 at most).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Opens a lease starting now, depositing what the duration costs.
    Open {
        /// The provider's address.
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
        /// Book it to start later, at this unix time in seconds (default: now). The
        /// provider is reserved for you and keeps mining until then.
        #[arg(long)]
        start: Option<u64>,
    },
    /// Lengthens an open lease, paying for the extra seconds at the lease's price.
    Extend {
        lease_id: u64,
        #[arg(long)]
        seconds: u64,
    },
    /// Ends a lease whose provider stopped heartbeating (anyone may): the customer is
    /// refunded what was not served and the provider's stake slashed.
    Expire { lease_id: u64 },
    /// Takes back the deposit of a lease the provider never accepted in time.
    Reclaim { lease_id: u64 },
    /// Settles every one of your leases that is overdue now: reclaims those the
    /// provider did not accept in time and expires those whose provider stopped
    /// heartbeating; prints what it did (nothing when none is overdue).
    Settle,
    /// One lease with what it has earned and what its provider could withdraw (proven).
    Show { lease_id: u64 },
    /// Closes a lease.
    Close { lease_id: u64 },
    /// Rates the provider of a finished lease (1 to 5).
    Rate { lease_id: u64, score: u8 },
    /// Has the lease's result checked by another provider (a deterministic WGSL job),
    /// paying the market's check fee.
    Check { lease_id: u64 },
    /// The lease's check: its state, who checked and refereed, the verdict (proven).
    CheckShow { lease_id: u64 },
    /// Draws another checker or referee once the drawn one let its deadline pass (the
    /// fee comes back when nobody is left).
    CheckTimeout { lease_id: u64 },
    /// Takes back the fee of a check still waiting for the result.
    CheckCancel { lease_id: u64 },
    /// The job's state, asked of the lease's provider over libp2p.
    Status {
        lease_id: u64,
        #[command(flatten)]
        p2p: P2pOptions,
    },
    /// Stops the job on the provider now, over libp2p: its result says it was stopped
    /// and the lease settles for the time used.
    Stop {
        lease_id: u64,
        #[command(flatten)]
        p2p: P2pOptions,
    },
    /// The job's output (stdout and stderr), from the provider over libp2p.
    Logs {
        lease_id: u64,
        /// Keep streaming until the job ends.
        #[arg(long, short)]
        follow: bool,
        #[command(flatten)]
        p2p: P2pOptions,
    },
    /// Downloads the finished job's result straight from the provider over libp2p
    /// (not from IPFS) and checks it against the hash on chain.
    Result {
        lease_id: u64,
        /// Folder to save it in (made; default `result-<lease>`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The job bundle of a WGSL lease (its outputs' hash needs it).
        #[arg(long)]
        bundle: Option<PathBuf>,
        #[command(flatten)]
        p2p: P2pOptions,
    },
    /// Forwards a local port to a port inside the lease's running container, like
    /// `ssh -L`: `8888:8888` (LOCAL:REMOTE) or `8888`. Runs until Ctrl-C.
    Forward {
        lease_id: u64,
        mapping: String,
        #[command(flatten)]
        p2p: P2pOptions,
    },
}

/// How the command line reaches a provider over libp2p.
#[derive(clap::Args)]
struct P2pOptions {
    /// Master nodes (relays to providers behind NATs), `/ip4/…/p2p/<id>`. Repeatable.
    #[arg(long = "master", env = "GPUNION_MASTERS", value_delimiter = ',')]
    masters: Vec<String>,
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

/// How results are printed: text for people, or JSON (`--json`) for scripts. Progress
/// always goes to stderr, so stdout holds only the result.
pub struct Output {
    json: bool,
}

impl Output {
    /// Progress for a person waiting.
    pub fn progress(&self, line: &str) {
        eprintln!("gpunion: {line}");
    }

    /// A value the chain answered (always JSON: contracts' answers are JSON).
    pub fn value<T: serde::Serialize>(&self, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(|e| Error::Decode {
            what: "answer".into(),
            message: e.to_string(),
        })?;
        println!("{text}");
        Ok(())
    }

    /// A result that reads as `text` for a person and as `json` for a script.
    pub fn fact(&self, text: &str, json: serde_json::Value) -> Result<()> {
        if self.json {
            self.value(&json)
        } else {
            println!("{text}");
            Ok(())
        }
    }

    /// One of a stream of results (a long-running command's actions): a line for a
    /// person, or one compact JSON line for a script.
    pub fn event(&self, text: &str, json: &serde_json::Value) {
        if self.json {
            println!("{json}");
        } else {
            println!("{text}");
        }
    }

    /// An included transaction.
    pub fn tx(&self, tx: &TxOutcome) -> Result<()> {
        self.fact(&tx_line(tx), tx_json(tx))
    }
}

/// An included transaction, for a person.
fn tx_line(tx: &TxOutcome) -> String {
    format!(
        "tx {} in block {} (gas {}/{})",
        tx.hash, tx.height, tx.gas_used, tx.gas_wanted
    )
}

/// An included transaction, for a script.
fn tx_json(tx: &TxOutcome) -> serde_json::Value {
    serde_json::json!({
        "tx": tx.hash,
        "height": tx.height,
        "gas_used": tx.gas_used,
        "gas_wanted": tx.gas_wanted,
    })
}

/// Reads a JSON file of the market's ProviderAttributes.
fn read_attributes(path: &PathBuf) -> Result<ProviderAttributes> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::BadInput(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::BadInput(format!("{}: {e}", path.display())))
}

/// The parsed command line and the chain it names.
pub struct Context {
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

    /// The signing key (--key or --mnemonic-env).
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

    /// `address`, or the signer's when none is given.
    fn address_or_signer(&self, address: &Option<String>) -> Result<String> {
        match address {
            Some(a) => Ok(a.clone()),
            None => Ok(self.signer()?.address().to_string()),
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let out = Output { json: cli.json };
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "gpunion",
            &mut std::io::stdout(),
        );
        return Ok(());
    }
    let ctx = Context::new(cli)?;
    let chain = &ctx.chain;
    match &ctx.cli.command {
        Command::Keys {
            command: KeysCommand::Show,
        } => {
            let address = ctx.signer()?.address().to_string();
            out.fact(&address, serde_json::json!({ "address": address }))?
        }
        Command::Status => {
            let status = chain.rpc().status().await?;
            let endpoint = chain.rpc().healthy_endpoint();
            out.fact(
                &format!(
                    "chain {}\nheight {}\ntime {}\nendpoint {endpoint}",
                    status.node_info.network,
                    status.sync_info.latest_block_height,
                    status.sync_info.latest_block_time
                ),
                serde_json::json!({
                    "chain_id": status.node_info.network.to_string(),
                    "height": status.sync_info.latest_block_height.value(),
                    "time": status.sync_info.latest_block_time.to_string(),
                    "endpoint": endpoint,
                }),
            )?
        }
        Command::Balance { address } => {
            let address = ctx.address_or_signer(address)?;
            let denom = &chain.deployment().denom;
            let amount = chain.balance(&address, denom).await?.value;
            out.fact(
                &format!("{amount} {denom}"),
                serde_json::json!({ "address": address, "amount": amount.to_string(), "denom": denom }),
            )?
        }
        Command::Market { command } => {
            let market = chain.market()?;
            match command {
                MarketCommand::Config => out.value(&market.config().await?)?,
                MarketCommand::Escrow => out.value(&market.escrow_totals().await?)?,
            }
        }
        Command::Gut { command } => {
            let gut = chain.gut()?;
            match command {
                GutCommand::Info => out.value(&gut.token_info().await?)?,
                GutCommand::Balance { address } => {
                    let address = ctx.address_or_signer(address)?;
                    let amount = gut.balance(&address).await?;
                    out.fact(
                        &format!("{amount} ugut"),
                        serde_json::json!({ "address": address, "ugut": amount.to_string() }),
                    )?
                }
                GutCommand::Transfer { recipient, amount } => {
                    let signer = ctx.signer()?;
                    out.progress("sending the transfer, then waiting for inclusion");
                    out.tx(&gut.transfer(&signer, recipient, *amount).await?)?
                }
            }
        }
        Command::Challenge => out.value(&chain.mining()?.challenge().await?)?,
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
                            out.progress(&format!("solution {i}/{count}: {p}"));
                            last_report = Instant::now();
                        }
                    })
                    .await?;
                let seconds = started.elapsed().as_secs_f64();
                out.fact(
                    &format!("solved {solution}, after {seconds:.1} s"),
                    serde_json::json!({ "solution": solution.to_string(), "seconds": seconds }),
                )?;
            }
            let balance = gut.balance(signer.address()).await?;
            out.fact(
                &format!("GUT balance {balance} ugut"),
                serde_json::json!({ "ugut": balance.to_string() }),
            )?
        }
        Command::Hashrate { address } => out.value(&chain.mining()?.hashrate(address).await?)?,
        Command::MiningLink { provider } => {
            let tx = chain
                .market()?
                .consent_mining_link(&ctx.signer()?, provider)
                .await?;
            out.tx(&tx)?
        }
        Command::Provider { command } => provider_command(&ctx, &out, command).await?,
        Command::Providers {
            country,
            gpu_model,
            max_price,
            oci,
        } => {
            let filter = ProviderFilter {
                country: country.clone(),
                gpu_model: gpu_model.clone(),
                max_price_per_hour: max_price.map(Into::into),
                workload: oci.then_some(WorkloadKind::OciImage),
                ..ProviderFilter::default()
            };
            let mut found = chain.market()?.all_providers(Some(filter)).await?;
            found.sort_by_key(|p| p.provider.attributes.price_per_hour);
            out.value(&found)?
        }
        Command::Lease { command } => lease_command(&ctx, &out, command).await?,
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
            out.progress(&format!("watching {query} at {endpoint}"));
            let mut seen = 0;
            while let Some(note) = stream.next().await {
                let note = note?;
                let wasm: Vec<String> = note
                    .events
                    .iter()
                    .filter(|e| e.kind == "wasm")
                    .flat_map(|e| e.attributes.iter().map(|(k, v)| format!("{k}={v}")))
                    .collect();
                out.fact(
                    &format!("block {}: {}", note.height, wasm.join(" ")),
                    serde_json::json!({ "height": note.height, "wasm": wasm }),
                )?;
                seen += 1;
                if count.is_some_and(|c| seen >= c) {
                    break;
                }
            }
        }
        Command::Swap { command } => swap::run(&ctx, &out, command).await?,
        Command::Keeper(args) => keeper::run(&ctx, &out, args).await?,
        Command::Endorser { command } => endorser::run(&ctx, &out, command).await?,
        Command::Reputation { provider } => endorser::reputation(&ctx, &out, provider).await?,
        Command::Recommend(args) => endorser::recommend(&ctx, &out, args).await?,
        Command::Completions { .. } => unreachable!("answered before connecting"),
    }
    Ok(())
}

async fn provider_command(ctx: &Context, out: &Output, command: &ProviderCommand) -> Result<()> {
    let chain = &ctx.chain;
    let market = chain.market()?;
    if let ProviderCommand::Show { address } = command {
        return out.value(&market.provider(&ctx.address_or_signer(address)?).await?);
    }
    let signer = ctx.signer()?;
    let agent = ProviderAgent::new(signer.clone(), market.clone(), chain.gut()?);
    let tx = match command {
        ProviderCommand::Register { stake, attributes } => {
            let attributes = read_attributes(attributes)?;
            out.progress("registering, waiting for inclusion");
            agent.register(*stake, attributes).await?
        }
        ProviderCommand::Show { .. } => unreachable!("read above"),
        ProviderCommand::Heartbeat => agent.heartbeat().await?,
        ProviderCommand::Pending => return out.value(&agent.pending_leases().await?),
        ProviderCommand::Accept { lease_id } => agent.accept(*lease_id).await?,
        ProviderCommand::Reject { lease_id, reason } => agent.reject(*lease_id, reason).await?,
        ProviderCommand::Withdraw { lease_id } => match agent.withdraw(*lease_id).await? {
            Some(tx) => tx,
            None => {
                return out.fact(
                    "nothing to withdraw yet",
                    serde_json::json!({ "tx": null, "withdrawn": "0" }),
                );
            }
        },
        ProviderCommand::Result { lease_id, cid } => {
            let result = LeaseResult {
                cid: cid.clone(),
                output_hash: None,
                trace_root: None,
            };
            agent.post_result(*lease_id, result).await?
        }
        ProviderCommand::Pause => market.pause(&signer).await?,
        ProviderCommand::Resume => market.resume(&signer).await?,
        ProviderCommand::Leave => market.leave(&signer).await?,
        ProviderCommand::ClaimStake => market.claim_stake(&signer).await?,
        ProviderCommand::TopUp { amount } => {
            market.top_up_stake(&signer, &chain.gut()?, *amount).await?
        }
        ProviderCommand::Update { attributes } => {
            market
                .update_provider(&signer, read_attributes(attributes)?)
                .await?
        }
    };
    out.tx(&tx)
}

async fn lease_command(ctx: &Context, out: &Output, command: &LeaseCommand) -> Result<()> {
    let chain = &ctx.chain;
    let market = chain.market()?;
    match command {
        LeaseCommand::Show { lease_id } => return out.value(&market.lease_now(*lease_id).await?),
        LeaseCommand::CheckShow { lease_id } => return out.value(&market.check(*lease_id).await?),
        LeaseCommand::List {
            provider: Some(provider),
            after,
            limit,
            ..
        } => {
            let page = market.leases_by_provider(provider, *after, *limit).await?;
            return out.value(&page.leases);
        }
        LeaseCommand::List {
            customer,
            after,
            limit,
            ..
        } => {
            let customer = ctx.address_or_signer(customer)?;
            let page = market.leases_by_customer(&customer, *after, *limit).await?;
            return out.value(&page.leases);
        }
        LeaseCommand::Status { lease_id, p2p } => {
            let signer = ctx.signer()?;
            let (link, reached) = link::reach(&market, &p2p.masters, *lease_id, out).await?;
            let status = link
                .status(signer.wallet(), reached.peer, *lease_id)
                .await?;
            return out.value(&status);
        }
        LeaseCommand::Stop { lease_id, p2p } => {
            let signer = ctx.signer()?;
            let (link, reached) = link::reach(&market, &p2p.masters, *lease_id, out).await?;
            let status = link
                .cancel(signer.wallet(), reached.peer, *lease_id)
                .await?;
            return out.value(&status);
        }
        LeaseCommand::Logs {
            lease_id,
            follow,
            p2p,
        } => {
            let signer = ctx.signer()?;
            let (link, reached) = link::reach(&market, &p2p.masters, *lease_id, out).await?;
            let end = link
                .logs(
                    signer.wallet(),
                    reached.peer,
                    *lease_id,
                    *follow,
                    |source, text| {
                        use std::io::Write as _;
                        if source == "stderr" {
                            eprint!("{text}");
                        } else {
                            print!("{text}");
                            let _ = std::io::stdout().flush();
                        }
                    },
                )
                .await?;
            out.progress(&format!("-- {end}"));
            return Ok(());
        }
        LeaseCommand::Result {
            lease_id,
            out: folder,
            bundle,
            p2p,
        } => {
            let signer = ctx.signer()?;
            let lease = market
                .lease(*lease_id)
                .await?
                .ok_or_else(|| Error::NotFound {
                    what: format!("lease {lease_id}"),
                })?;
            let bundle = job::result_bundle(&market, &lease, bundle.as_deref()).await?;
            let folder = folder
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("result-{lease_id}")));
            let (link, reached) = link::reach(&market, &p2p.masters, *lease_id, out).await?;
            let files = link
                .download(
                    signer.wallet(),
                    reached.peer,
                    *lease_id,
                    &folder,
                    gpunion_sdk::job::MAX_RESULT_BYTES,
                    |_| {},
                )
                .await?;
            out.progress(&format!("{files} files saved in {}", folder.display()));
            let (report, hash, _) =
                gpunion_sdk::job::check_result(bundle.as_ref(), &lease, &folder, &mut |_| {})?;
            let text = match hash {
                Some(hash) => format!("output hash {} (matches the chain)", hex::encode(hash)),
                None => format!("the job failed: {:?}", report.outcome),
            };
            return out.fact(
                &text,
                serde_json::json!({ "files": files, "output_hash": hash.map(hex::encode), "report": report }),
            );
        }
        LeaseCommand::Forward {
            lease_id,
            mapping,
            p2p,
        } => {
            let signer = ctx.signer()?;
            let (link, reached) = link::reach(&market, &p2p.masters, *lease_id, out).await?;
            return link::forward(link, reached, signer, *lease_id, mapping, out).await;
        }
        _ => {}
    }
    let signer = ctx.signer()?;
    let customer = Customer::new(
        signer.clone(),
        market.clone(),
        chain.gut()?,
        chain.endorsement().ok(),
    );
    let tx = match command {
        LeaseCommand::Open {
            provider,
            duration,
            cid,
            oci,
            max_price,
            start,
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
            out.progress("opening the lease, waiting for inclusion");
            let (id, tx) = customer
                .book_lease(provider, *start, *duration, workload, *max_price)
                .await?;
            let mut json = tx_json(&tx);
            json["lease_id"] = id.into();
            return out.fact(&format!("lease {id}\n{}", tx_line(&tx)), json);
        }
        LeaseCommand::Show { .. }
        | LeaseCommand::CheckShow { .. }
        | LeaseCommand::List { .. }
        | LeaseCommand::Status { .. }
        | LeaseCommand::Logs { .. }
        | LeaseCommand::Stop { .. }
        | LeaseCommand::Result { .. }
        | LeaseCommand::Forward { .. } => unreachable!("done above"),
        LeaseCommand::Close { lease_id } => customer.close(*lease_id).await?,
        LeaseCommand::Extend { lease_id, seconds } => customer.extend(*lease_id, *seconds).await?,
        LeaseCommand::Expire { lease_id } => market.expire_lease(&signer, *lease_id).await?,
        LeaseCommand::Reclaim { lease_id } => market.reclaim_lapsed(&signer, *lease_id).await?,
        LeaseCommand::Settle => {
            let settled = customer.settle_overdue().await?;
            let (lines, json): (Vec<_>, Vec<_>) = settled.iter().map(keeper::describe).unzip();
            let text = if lines.is_empty() {
                "no lease of yours is overdue".to_string()
            } else {
                lines.join("\n")
            };
            return out.fact(&text, serde_json::Value::Array(json));
        }
        LeaseCommand::Rate { lease_id, score } => customer.rate(*lease_id, *score, None).await?,
        LeaseCommand::Check { lease_id } => customer.request_check(*lease_id).await?,
        LeaseCommand::CheckTimeout { lease_id } => customer.timeout_check(*lease_id).await?,
        LeaseCommand::CheckCancel { lease_id } => market.cancel_check(&signer, *lease_id).await?,
    };
    out.tx(&tx)
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

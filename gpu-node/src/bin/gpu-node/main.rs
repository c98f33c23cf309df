//! `gpu-node`: the GPUnion provider daemon. `init` makes a node's home (config,
//! encrypted key, identity), `register` puts the measured machine on the market,
//! `serve` runs the provider (leases served, mining between them), `status` reports;
//! `masternode` runs a relay and bootstrap node of the P2P network;
//! `job run` runs a bundle locally; `mine` and `bench` run the X16S miner alone.

mod bench;
mod home;
mod init;
mod job;
mod masternode;
mod mine;
mod power;
mod register;
mod serve;
mod status;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// GPUnion provider daemon.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Makes a node home: config.toml, an encrypted keystore with a new key (or a
    /// public test key with --testnet-key), a libp2p identity.
    Init(init::Options),
    /// Measures the machine and registers it on the market (or updates it).
    Register(register::Options),
    /// Serves the market's leases: accepts, runs each job from IPFS on the GPU, posts
    /// the result, settles; mines between leases. Metrics on /metrics.
    Serve(serve::Options),
    /// The running node's status and the provider's record on the market.
    Status(status::Options),
    /// X16S hashrate of the GPU (each word mode the adapter runs, each workgroup size
    /// asked for, with its power draw where the driver reports it) and of the CPU
    /// reference on all cores, side by side.
    Bench(bench::Options),
    /// Mines GUT on the GPU: solves the mining contract's challenges and submits them.
    Mine(mine::Options),
    /// Runs a master node of the P2P network: relay for providers behind NATs,
    /// Kademlia bootstrap, AutoNAT server.
    Masternode(masternode::Options),
    /// WGSL job bundles: `job run <BUNDLE> --out <DIR>` runs one as the node would.
    #[command(subcommand)]
    Job(job::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bench(options) => bench::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Mine(options) => mine::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Job(command) => job::run(command),
        Command::Masternode(options) => masternode::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Init(options) => init::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Register(options) => register::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Serve(options) => serve::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
        Command::Status(options) => status::run(&options)
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("gpu-node: {error}");
            ExitCode::FAILURE
        }
    }
}

//! `gpu-node`: the GPUnion provider daemon. So far: the X16S miner, on the chain
//! (`mine`) and as a benchmark (`bench`), and WGSL job bundles run locally
//! (`job run`).

mod bench;
mod job;
mod mine;

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
    /// X16S hashrate of the GPU (each word mode the adapter runs) and of the CPU
    /// reference on all cores, side by side.
    Bench(bench::Options),
    /// Mines GUT on the GPU: solves the mining contract's challenges and submits them.
    Mine(mine::Options),
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
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("gpu-node: {error}");
            ExitCode::FAILURE
        }
    }
}

//! `gpu-node`: the GPUnion provider daemon. So far it benchmarks the X16S miner.

mod bench;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bench(options) => bench::run(&options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gpu-node: {error}");
            ExitCode::FAILURE
        }
    }
}

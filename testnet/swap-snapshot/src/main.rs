//! `swap-snapshot`: distribution-chain balances -> Merkle root and proof files.

use std::fs::File;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use swap_snapshot::Snapshot;

/// Builds the token swap's Merkle snapshot from a CSV of `address,amount` balances.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// CSV of base58 P2PKH address and decimal coin amount, one holder per row.
    #[arg(long)]
    balances: PathBuf,
    /// Version byte of the old chain's P2PKH addresses (Pigeoncoin: 55).
    #[arg(long)]
    address_version: u8,
    /// Old-chain height the balances were taken at.
    #[arg(long)]
    height: u64,
    /// Directory for snapshot.json and proofs/.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("swap-snapshot: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let input = File::open(&args.balances)
        .map_err(|e| format!("cannot open {}: {e}", args.balances.display()))?;
    let snapshot = Snapshot::from_csv(input, args.address_version, args.height, |rows| {
        eprintln!("swap-snapshot: read {rows} rows");
    })
    .map_err(|e| e.to_string())?;
    eprintln!(
        "swap-snapshot: {} holders, writing proofs to {}",
        snapshot.entries.len(),
        args.out.display()
    );
    snapshot
        .write(&args.out, |files| {
            eprintln!("swap-snapshot: wrote {files} proofs")
        })
        .map_err(|e| e.to_string())?;
    let summary = serde_json::to_string_pretty(&snapshot.summary).map_err(|e| e.to_string())?;
    println!("{summary}");
    Ok(())
}

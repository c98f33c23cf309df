//! `gpu-node job`: run a job bundle locally (`run`), and the executor process the
//! node starts for every job (`exec`, hidden).

use std::{path::PathBuf, process::ExitCode, time::Duration};

use gpu_node::executor::{JobRequest, isolate, run_isolated};
use gpunion_interface::job::{Allowance, JobOutcome, LOG_FILE, OUTPUTS_DIR, REPORT_FILE};
use gpunion_interface::trace::TRACE_FILE;

/// Memory limit of `gpu-node job run`'s executor, MiB.
const DEFAULT_MEMORY_LIMIT_MIB: u64 = 4096;

/// Subcommands of `gpu-node job`.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Runs a job bundle in an isolated executor process, as the node runs a
    /// customer's, and prints the outcome, timings, output hash and files.
    Run(RunOptions),
    /// The executor process: runs one job and writes its result folder.
    #[command(hide = true)]
    Exec(ExecOptions),
}

/// Options of `gpu-node job run`.
#[derive(clap::Args)]
pub struct RunOptions {
    /// The bundle's folder (with `job.json`).
    bundle: PathBuf,
    /// The result folder (report.json, log.txt, outputs/).
    #[arg(long)]
    out: PathBuf,
    /// Wall clock limit in seconds (the manifest's time limit applies if smaller).
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    /// The executor's memory limit, MiB.
    #[arg(long, default_value_t = DEFAULT_MEMORY_LIMIT_MIB)]
    memory_limit_mib: u64,
    /// Run a deterministic job only up to and including this dispatch (as a referee
    /// does), recording its trace so far.
    #[arg(long)]
    until: Option<u64>,
}

/// Options of `gpu-node job exec`.
#[derive(clap::Args)]
pub struct ExecOptions {
    #[arg(long)]
    bundle: PathBuf,
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    memory_limit_mib: u64,
    /// The allowance as JSON (default: `Allowance::default()`).
    #[arg(long)]
    allowance: Option<String>,
    /// Run a deterministic job only up to and including this dispatch.
    #[arg(long)]
    until: Option<u64>,
}

/// Runs a `gpu-node job` subcommand.
pub fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Run(options) => run_local(&options),
        Command::Exec(options) => {
            let allowance = match &options.allowance {
                Some(json) => {
                    serde_json::from_str(json).map_err(|e| format!("--allowance: {e}"))?
                }
                None => Allowance::default(),
            };
            let code = isolate::exec_child(
                &options.bundle,
                &options.out,
                &allowance,
                options.memory_limit_mib,
                options.until,
            );
            Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
        }
    }
}

fn run_local(options: &RunOptions) -> Result<ExitCode, String> {
    let request = JobRequest {
        executable: std::env::current_exe().map_err(|e| format!("finding gpu-node itself: {e}"))?,
        bundle_dir: options.bundle.clone(),
        out_dir: options.out.clone(),
        allowance: Allowance {
            max_time_seconds: options.seconds.max(Allowance::default().max_time_seconds),
            ..Allowance::default()
        },
        wall_clock: Duration::from_secs(options.seconds),
        memory_limit_mib: options.memory_limit_mib,
        until: options.until,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))?;
    let report = runtime
        .block_on(run_isolated(&request))
        .map_err(|e| e.to_string())?;
    let t = report.timings;
    match &report.outcome {
        JobOutcome::Succeeded => println!("outcome:  succeeded"),
        JobOutcome::Failed(failure) => {
            println!("outcome:  failed ({:?})", failure.kind);
            if let Some(field) = &failure.field {
                println!("field:    {field}");
            }
            println!("message:  {}", failure.message);
        }
    }
    println!(
        "timings:  validate {} ms, compile {} ms, compute {} ms, readback {} ms, total {} ms",
        t.validate_ms, t.compile_ms, t.compute_ms, t.readback_ms, t.total_ms
    );
    if let Some(hash) = &report.output_hash {
        println!("output hash: {hash}");
    }
    if let Some(root) = &report.trace_root {
        println!(
            "trace root:  {root} ({})",
            options.out.join(TRACE_FILE).display()
        );
    }
    for file in &report.outputs {
        println!(
            "  {}/{}/{} ({} bytes, buffer {})",
            options.out.display(),
            OUTPUTS_DIR,
            file.file,
            file.bytes,
            file.buffer
        );
    }
    println!(
        "report: {}, log: {}",
        options.out.join(REPORT_FILE).display(),
        options.out.join(LOG_FILE).display()
    );
    Ok(match report.outcome {
        JobOutcome::Succeeded => ExitCode::SUCCESS,
        JobOutcome::Failed(_) => ExitCode::FAILURE,
    })
}

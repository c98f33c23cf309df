//! `job-bench`: what isolation costs. Runs the Mandelbrot bundle (`shaders/jobs/`)
//! N times in this process (`executor::run_in_process`, one GPU opened beforehand,
//! as a node without isolation would keep it) and N times through
//! `executor::run_isolated` (a `gpu-node job exec` process per job, which opens the
//! GPU each time), and prints each job's time and the ratio, in the same run.
//!
//! ```sh
//! cargo run --release -p gpu-node --bin job-bench -- [RUNS] [BUNDLE]
//! ```
//! The `gpu-node` executable is looked for next to this one (build it first:
//! `cargo build --release -p gpu-node`).

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::{Duration, Instant},
};

use gpu_node::{
    executor::{JobRequest, run_in_process, run_isolated},
    gpu::Gpu,
};
use gpunion_interface::job::{Allowance, JobOutcome, JobReport};

fn main() -> ExitCode {
    match bench() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("job-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn check(report: &JobReport) -> Result<(), String> {
    match &report.outcome {
        JobOutcome::Succeeded => Ok(()),
        JobOutcome::Failed(failure) => Err(format!("the job failed: {failure:?}")),
    }
}

fn summary(label: &str, times: &[Duration]) -> f64 {
    let ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    let min = ms.iter().copied().fold(f64::INFINITY, f64::min);
    let list: Vec<String> = ms.iter().map(|t| format!("{t:.0}")).collect();
    println!(
        "{label:<12} mean {mean:7.1} ms, min {min:7.1} ms   [{}]",
        list.join(", ")
    );
    mean
}

fn bench() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let runs: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("RUNS: {e}"))?,
        None => 10,
    };
    let bundle: PathBuf = args.next().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders/jobs/mandelbrot")
    });
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let executable = me.with_file_name("gpu-node");
    if !executable.exists() {
        return Err(format!(
            "{} not found: build it first (cargo build -p gpu-node)",
            executable.display()
        ));
    }
    let out = std::env::temp_dir().join(format!("gpunion-job-bench-{}", std::process::id()));
    let allowance = Allowance::default();

    let opening = Instant::now();
    let gpu = Gpu::new().map_err(|e| e.to_string())?;
    let open_time = opening.elapsed();
    println!("adapter: {}", gpu.describe());
    println!("bundle:  {} ({runs} runs each)", bundle.display());
    println!(
        "opening the GPU once: {:.0} ms",
        open_time.as_secs_f64() * 1e3
    );

    let mut in_process = Vec::with_capacity(runs);
    let mut compute_ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let report =
            run_in_process(&gpu, &bundle, &out, &allowance, None).map_err(|e| e.to_string())?;
        in_process.push(started.elapsed());
        check(&report)?;
        compute_ms.push(report.timings.compute_ms);
    }

    let request = JobRequest {
        executable,
        bundle_dir: bundle.clone(),
        out_dir: out.clone(),
        allowance,
        wall_clock: Duration::from_secs(600),
        memory_limit_mib: 4096,
        until: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut isolated = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let report = runtime
            .block_on(run_isolated(&request))
            .map_err(|e| e.to_string())?;
        isolated.push(started.elapsed());
        check(&report)?;
    }
    let _ = std::fs::remove_dir_all(&out);

    println!("per job (bundle load, compile, compute, readback, PNG, report):");
    let a = summary("in-process", &in_process);
    let b = summary("isolated", &isolated);
    println!(
        "isolated / in-process: {:.2}x ({:+.0} ms per job: process start, GPU opening, report round trip)",
        b / a,
        b - a
    );
    Ok(())
}

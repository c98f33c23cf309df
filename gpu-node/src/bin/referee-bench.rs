//! `referee-bench`: a referee's work against a full re-run. Runs the deterministic
//! 10-dispatch example (`shaders/jobs/matmul-power`) N times each way in this process
//! (one GPU opened beforehand): whole, recording its trace (what a checker does);
//! only to dispatch 0, 4 and 9 (what a referee does when the traces first differ
//! there); and whole without a trace (the same bundle not claiming determinism: what
//! recording the trace costs). Prints each mean and its ratio to the full re-run, from
//! the same run.
//!
//! ```sh
//! cargo run --release -p gpu-node --bin referee-bench -- [RUNS]
//! ```

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use gpu_node::{executor::run_in_process, gpu::Gpu};
use gpunion_interface::job::{Allowance, JobOutcome, MANIFEST_FILE};

fn main() -> ExitCode {
    match bench() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("referee-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Mean milliseconds of `runs` runs of `bundle` (to dispatch `until`).
fn measure(
    gpu: &Gpu,
    bundle: &Path,
    out: &Path,
    until: Option<u64>,
    runs: usize,
) -> Result<f64, String> {
    let mut total = 0.0;
    for _ in 0..runs {
        let started = Instant::now();
        let report = run_in_process(gpu, bundle, out, &Allowance::default(), until)
            .map_err(|e| e.to_string())?;
        total += started.elapsed().as_secs_f64() * 1e3;
        if let JobOutcome::Failed(failure) = &report.outcome {
            return Err(format!("the job failed: {failure:?}"));
        }
    }
    Ok(total / runs as f64)
}

/// A copy of `bundle` that does not claim determinism (no trace is recorded).
fn untraced(bundle: &Path, dir: &Path) -> Result<PathBuf, String> {
    let copy = dir.join("untraced");
    std::fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(bundle).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().ok_or("a file without a name")?;
        std::fs::copy(&path, copy.join(name)).map_err(|e| e.to_string())?;
    }
    let manifest = copy.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(
        &manifest,
        text.replace("\"deterministic\": true", "\"deterministic\": false"),
    )
    .map_err(|e| e.to_string())?;
    Ok(copy)
}

fn bench() -> Result<(), String> {
    let runs: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|e| format!("RUNS: {e}"))?,
        None => 10,
    };
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders/jobs/matmul-power");
    let dir = std::env::temp_dir().join(format!("gpunion-referee-bench-{}", std::process::id()));
    let out = dir.join("out");
    let gpu = Gpu::new().map_err(|e| e.to_string())?;
    println!("adapter: {}", gpu.describe());
    println!("bundle:  {} ({runs} runs each)", bundle.display());
    // One run first: shader compilation caches warm up for every measured way alike.
    measure(&gpu, &bundle, &out, None, 1)?;

    let full = measure(&gpu, &bundle, &out, None, runs)?;
    println!("full re-run, traced (checker)       {full:8.1} ms   1.00");
    for until in [0, 4, 9] {
        let partial = measure(&gpu, &bundle, &out, Some(until), runs)?;
        println!(
            "referee to dispatch {until} ({:2} of 10)    {partial:8.1} ms   {:.2}",
            until + 1,
            partial / full
        );
    }
    let plain = untraced(&bundle, &dir)?;
    let untraced = measure(&gpu, &plain, &out, None, runs)?;
    println!(
        "full run, no trace                  {untraced:8.1} ms   {:.2}",
        untraced / full
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

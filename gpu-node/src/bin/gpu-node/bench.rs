//! `gpu-node bench`: X16S hashes per second on the GPU, in each word mode the adapter
//! runs, and on the CPU reference with one thread per core, in the same run.

use std::{
    sync::Arc,
    thread,
    time::{Duration, Instant},
};

use gpu_node::{
    gpu::Gpu,
    miner::{GpuSearch, Input, Kernels, MinerError, bench_header, measure_hashrate},
};
use indicatif::{ProgressBar, ProgressStyle};
use x16s::FUNCTIONS;

/// Options of `gpu-node bench`.
#[derive(clap::Args)]
pub struct Options {
    /// Seconds to measure each path.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Invocations per workgroup.
    #[arg(long, default_value_t = 64)]
    workgroup_size: u32,
    /// Also time each function alone on the GPU (a middle step over one batch).
    #[arg(long)]
    per_function: bool,
}

fn bar(label: &str, seconds: u64) -> ProgressBar {
    let bar = ProgressBar::new(seconds * 1000);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>22} [{bar:30}] {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_owned());
    bar
}

/// Hashes per second of the full chain on the GPU, searching a target no hash meets.
fn gpu_hashrate(kernels: Kernels, seconds: u64) -> Result<f64, MinerError> {
    let label = format!("GPU ({})", kernels.mode());
    let mut miner = GpuSearch::new(kernels, Duration::from_millis(200));
    let bar = bar(&label, seconds);
    bar.set_message("compiling the order's 16 pipelines");
    let rate = measure_hashrate(&mut miner, Duration::from_secs(seconds), |progress| {
        bar.set_position(progress.elapsed.as_millis() as u64);
        bar.set_message(format!(
            "{} ({} hashes)",
            format_rate(progress.hashrate()),
            progress.hashes
        ));
    })?;
    bar.finish_with_message(format!(
        "{}, batch {} nonces",
        format_rate(rate),
        miner.batch()
    ));
    Ok(rate)
}

/// Hashes per second of the CPU reference, one thread per core.
fn cpu_hashrate(seconds: u64) -> f64 {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let bar = bar(&format!("CPU ({threads} threads)"), seconds);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let total: u64 = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let header = bench_header();
                    let mut hashes = 0u64;
                    while Instant::now() < deadline {
                        let nonce = (t as u32) << 28 | hashes as u32;
                        std::hint::black_box(header.with_nonce(nonce).hash());
                        hashes += 1;
                    }
                    hashes
                })
            })
            .collect();
        while Instant::now() < deadline {
            bar.set_position(started.elapsed().as_millis() as u64);
            thread::sleep(Duration::from_millis(100));
        }
        workers
            .into_iter()
            .map(|w| w.join().expect("a CPU worker"))
            .sum()
    });
    let rate = total as f64 / started.elapsed().as_secs_f64();
    bar.finish_with_message(format_rate(rate));
    rate
}

/// Nanoseconds per hash of each function alone on the GPU (middle step, one batch).
fn per_function(kernels: &Kernels, batch: u32) -> Result<(), MinerError> {
    let states: Vec<[u8; 64]> = (0..batch)
        .map(|i| core::array::from_fn(|b| (i as u8) ^ (b as u8)))
        .collect();
    for (index, function) in FUNCTIONS.iter().enumerate() {
        let started = Instant::now();
        kernels.step_digests(index, Input::States(&states[..64]))?;
        let compile = started.elapsed();
        let started = Instant::now();
        kernels.step_digests(index, Input::States(&states))?;
        let ns = started.elapsed().as_nanos() as f64 / f64::from(batch);
        println!(
            "{:>22}  {ns:>9.1} ns/hash  (compiled in {:.2} s, {})",
            function.name,
            compile.as_secs_f64(),
            kernels.mode()
        );
    }
    Ok(())
}

fn format_rate(rate: f64) -> String {
    match rate {
        r if r >= 1e6 => format!("{:.2} MH/s", r / 1e6),
        r if r >= 1e3 => format!("{:.1} kH/s", r / 1e3),
        r => format!("{r:.0} H/s"),
    }
}

/// Runs the benchmark and prints a summary table.
pub fn run(options: &Options) -> Result<(), MinerError> {
    let gpu = Arc::new(Gpu::new()?);
    println!("adapter: {}", gpu.describe());
    let mut rows = Vec::new();
    for mode in gpu.word_modes() {
        let kernels = Kernels::new(gpu.clone(), mode, options.workgroup_size)?;
        if options.per_function {
            per_function(&kernels, 1 << 14)?;
        }
        rows.push((
            format!("GPU, 64-bit words as {mode}"),
            gpu_hashrate(kernels, options.seconds)?,
        ));
    }
    let cpu = cpu_hashrate(options.seconds);
    println!();
    println!("| X16S path | hashrate | vs CPU |");
    println!("|---|---|---|");
    for (label, rate) in &rows {
        println!("| {label} | {} | {:.2}x |", format_rate(*rate), rate / cpu);
    }
    println!(
        "| CPU reference (x16s crate), all cores | {} | 1.00x |",
        format_rate(cpu)
    );
    Ok(())
}

//! `gpu-node bench`: X16S hashes per second on the GPU, in each word mode the adapter
//! runs and each workgroup size asked for, with the GPU's power draw where the driver
//! reports it, beside the CPU reference with one thread per core, in the same run.

use std::{
    sync::Arc,
    thread,
    time::{Duration, Instant},
};

use gpu_node::{
    gpu::{Gpu, WordMode},
    miner::{GpuSearch, Kernels, MinerError, measure_hashrate},
};
use indicatif::{ProgressBar, ProgressStyle};
use x16s::FUNCTIONS;

use crate::power::{MeanPower, PowerMeter};

/// Options of `gpu-node bench`.
#[derive(clap::Args)]
pub struct Options {
    /// Seconds to measure each path.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Invocations per workgroup; several (`64,128,256`) are each measured (default:
    /// 256, or the adapter's largest if less).
    #[arg(long, value_delimiter = ',')]
    workgroup_size: Vec<u32>,
    /// Also time each function alone on the GPU (a middle step over a full batch).
    #[arg(long)]
    per_function: bool,
    /// Skip the CPU reference (its column is then empty).
    #[arg(long)]
    no_cpu: bool,
}

/// A progress bar of `len` steps labelled `label`.
fn bar(label: &str, len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>28} [{bar:30}] {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_owned());
    bar
}

/// One measured GPU configuration.
struct GpuRow {
    mode: WordMode,
    workgroup_size: u32,
    batch: u32,
    rate: f64,
    watts: Option<f64>,
}

/// Hashes per second of the full chain on the GPU, searching a target no hash meets,
/// with the mean power drawn after the first second; returns the settled batch too.
fn gpu_hashrate(
    miner: &mut GpuSearch,
    seconds: u64,
    meter: Option<&PowerMeter>,
) -> Result<GpuRow, MinerError> {
    let (mode, workgroup_size) = (miner.kernels().mode(), miner.kernels().workgroup_size());
    let label = format!("GPU ({mode}, workgroup {workgroup_size})");
    let bar = bar(&label, seconds * 1000);
    bar.set_message("compiling the order's 16 pipelines");
    let mut power = MeanPower::default();
    let rate = measure_hashrate(miner, Duration::from_secs(seconds), |progress| {
        if progress.elapsed > Duration::from_secs(1) {
            power.add(meter.and_then(PowerMeter::watts));
        }
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
    Ok(GpuRow {
        mode,
        workgroup_size,
        batch: miner.batch(),
        rate,
        watts: power.mean(),
    })
}

/// Hashes per second of the CPU reference, one thread per core.
fn cpu_hashrate(seconds: u64) -> f64 {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let bar = bar(&format!("CPU ({threads} threads)"), seconds * 1000);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let total: u64 = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let header = gpu_node::miner::bench_header();
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

/// Nanoseconds per hash of each function alone on the GPU: a middle step over `batch`
/// states (the function's digests of as many nonces), repeated in one command buffer
/// until it takes a tenth of a second.
fn per_function(kernels: &Kernels, batch: u32) -> Result<Vec<f64>, MinerError> {
    let label = format!(
        "per function ({}, wg {})",
        kernels.mode(),
        kernels.workgroup_size()
    );
    let progress = bar(&label, FUNCTIONS.len() as u64);
    let header = gpu_node::miner::bench_header();
    let mut times = Vec::new();
    for (index, function) in FUNCTIONS.iter().enumerate() {
        progress.set_message(function.name);
        let once = kernels.time_step(index, &header, batch, 1)?;
        let repeats = (0.1 / once.as_secs_f64().max(1e-6)).clamp(1.0, 64.0) as usize;
        let took = kernels.time_step(index, &header, batch, repeats)?;
        times.push(took.as_nanos() as f64 / (f64::from(batch) * repeats as f64));
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(times)
}

fn format_rate(rate: f64) -> String {
    match rate {
        r if r >= 1e6 => format!("{:.2} MH/s", r / 1e6),
        r if r >= 1e3 => format!("{:.1} kH/s", r / 1e3),
        r => format!("{r:.0} H/s"),
    }
}

/// Runs the benchmark and prints a summary table (and, with `--per-function`, each
/// function's time per hash in every configuration).
pub fn run(options: &Options) -> Result<(), MinerError> {
    let gpu = Arc::new(Gpu::new()?);
    let adapter = gpu.describe();
    println!("adapter: {adapter}");
    let meter = PowerMeter::open(gpu.name());
    match &meter {
        Some(meter) => println!(
            "power: NVML, {:.0} W at rest",
            meter.watts().unwrap_or_default()
        ),
        None => println!("power: not reported by this driver"),
    }
    let workgroup_sizes = match options.workgroup_size.as_slice() {
        [] => vec![Kernels::default_workgroup_size(&gpu)],
        sizes => sizes.to_vec(),
    };
    let mut rows = Vec::new();
    let mut functions = Vec::new();
    for mode in gpu.word_modes() {
        for &workgroup_size in &workgroup_sizes {
            let kernels = Kernels::new(gpu.clone(), mode, workgroup_size)?;
            let mut miner = GpuSearch::new(kernels, Duration::from_millis(200));
            let row = gpu_hashrate(&mut miner, options.seconds, meter.as_ref())?;
            if options.per_function {
                let times = per_function(miner.kernels(), row.batch)?;
                functions.push((mode, workgroup_size, times));
            }
            rows.push(row);
        }
    }
    let cpu = (!options.no_cpu).then(|| cpu_hashrate(options.seconds));
    println!();
    println!("| adapter | X16S path | workgroup | batch | hashrate | W | kH/J | vs CPU |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in &rows {
        let watts = row.watts.map_or("—".into(), |w| format!("{w:.0}"));
        let per_joule = row
            .watts
            .map_or("—".into(), |w| format!("{:.1}", row.rate / w / 1e3));
        let versus = cpu.map_or("—".into(), |cpu| format!("{:.2}x", row.rate / cpu));
        println!(
            "| {} | GPU, 64-bit words as {} | {} | {} | {} | {watts} | {per_joule} | {versus} |",
            gpu.name(),
            row.mode,
            row.workgroup_size,
            row.batch,
            format_rate(row.rate)
        );
    }
    if let Some(cpu) = cpu {
        let threads = thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "| CPU | x16s reference, {threads} threads | — | — | {} | — | — | 1.00x |",
            format_rate(cpu)
        );
    }
    if !functions.is_empty() {
        println!();
        println!("Each function alone, ns per hash (middle step on a batch of its own digests):");
        println!();
        let header: Vec<String> = functions
            .iter()
            .map(|(mode, wg, _)| format!("{mode} wg {wg}"))
            .collect();
        println!("| function | {} |", header.join(" | "));
        println!("|---|{}", "---|".repeat(functions.len()));
        for (index, function) in FUNCTIONS.iter().enumerate() {
            let cells: Vec<String> = functions
                .iter()
                .map(|(_, _, times)| format!("{:.2}", times[index]))
                .collect();
            println!("| {} | {} |", function.name, cells.join(" | "));
        }
        let sums: Vec<String> = functions
            .iter()
            .map(|(_, _, times)| format!("{:.2}", times.iter().sum::<f64>()))
            .collect();
        println!("| sum of the 16 | {} |", sums.join(" | "));
    }
    Ok(())
}

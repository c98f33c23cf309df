//! `x16s bench`: per-thread speed of this crate next to sphlib's C, measured in the
//! same run (the C side by the reference driver's bench mode).

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Why the comparison could not be made.
#[derive(Debug)]
pub enum BenchError {
    /// The reference driver is not built.
    DriverMissing(PathBuf),
    /// The driver failed or printed something unexpected.
    Driver(String),
}

impl std::fmt::Display for BenchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DriverMissing(path) => {
                write!(
                    f,
                    "sphlib reference driver missing at {}: run x16s/reference/build-sphlib",
                    path.display()
                )
            }
            Self::Driver(message) => write!(f, "sphlib reference driver: {message}"),
        }
    }
}

/// sphlib's timings as printed by `sphlib_driver bench`.
struct SphlibTimings {
    /// Nanoseconds per 64-byte input, in X16S index order.
    function_ns: Vec<f64>,
    hashes_per_second: f64,
}

fn driver_path() -> PathBuf {
    let cache = std::env::var_os("GPUNION_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/gpunion")
        });
    cache.join("x16s-hash-1.0.1/sphlib_driver")
}

fn sphlib_timings(millis: u64) -> Result<SphlibTimings, BenchError> {
    let path = driver_path();
    if !path.is_file() {
        return Err(BenchError::DriverMissing(path));
    }
    let output = Command::new(&path)
        .args(["bench", &millis.to_string()])
        .output()
        .map_err(|e| BenchError::Driver(e.to_string()))?;
    if !output.status.success() {
        return Err(BenchError::Driver(format!("exited with {}", output.status)));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut timings = SphlibTimings {
        function_ns: Vec::new(),
        hashes_per_second: 0.0,
    };
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let number = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| BenchError::Driver(format!("bad line {line:?}")))
        };
        match fields[..] {
            ["fn", name, ns] => {
                let expected = x16s::FUNCTIONS[timings.function_ns.len()].name;
                if name != expected {
                    return Err(BenchError::Driver(format!(
                        "expected {expected}, got {name}"
                    )));
                }
                timings.function_ns.push(number(ns)?);
            }
            ["x16s", rate] => timings.hashes_per_second = number(rate)?,
            _ => return Err(BenchError::Driver(format!("bad line {line:?}"))),
        }
    }
    if timings.function_ns.len() != x16s::FUNCTIONS.len() || timings.hashes_per_second == 0.0 {
        return Err(BenchError::Driver("incomplete output".into()));
    }
    Ok(timings)
}

/// Runs `step` in batches until `budget` has passed; returns the count and the time taken.
fn time_for(budget: Duration, mut step: impl FnMut(usize)) -> (usize, Duration) {
    let start = Instant::now();
    let mut count = 0;
    while start.elapsed() < budget {
        for k in 0..64 {
            step(k);
        }
        count += 64;
    }
    (count, start.elapsed())
}

/// Nanoseconds per 64-byte input of `digest`.
fn function_ns(digest: fn(&[u8]) -> [u8; 64], budget: Duration) -> f64 {
    let mut block: [u8; 64] = std::array::from_fn(|i| (i * 7 + 1) as u8);
    let (count, elapsed) = time_for(budget, |_| {
        block[0] ^= black_box(digest(black_box(&block)))[0];
    });
    elapsed.as_nanos() as f64 / count as f64
}

/// X16S hashes per second of 80-byte headers whose nonce and previous hash vary, so
/// that all function orders are exercised.
fn hashes_per_second(budget: Duration) -> f64 {
    let mut header: [u8; 80] = std::array::from_fn(|i| (i * 7 + 1) as u8);
    let (count, elapsed) = time_for(budget, |k| {
        header[76] = k as u8;
        header[4 + (k & 7)] = header[4 + (k & 7)].wrapping_add(1);
        header[77] ^= black_box(x16s::hash(black_box(&header)))[0];
    });
    count as f64 / elapsed.as_secs_f64()
}

/// Prints the comparison table (Markdown) for `x16s/README.md`.
pub fn run(millis: u64) -> Result<(), BenchError> {
    let budget = Duration::from_millis(millis);
    let sphlib = sphlib_timings(millis)?;
    println!("| function | x16s (ns / 64 B) | sphlib C (ns / 64 B) | speed-up |");
    println!("|---|---:|---:|---:|");
    let mut total = (0.0, 0.0);
    for (function, c_ns) in x16s::FUNCTIONS.iter().zip(&sphlib.function_ns) {
        let rust_ns = function_ns(function.digest, budget);
        total = (total.0 + rust_ns, total.1 + c_ns);
        println!(
            "| {} | {rust_ns:.0} | {c_ns:.0} | {:.2}× |",
            function.name,
            c_ns / rust_ns
        );
    }
    println!(
        "| sum of 16 | {:.0} | {:.0} | {:.2}× |",
        total.0,
        total.1,
        total.1 / total.0
    );
    let rate = hashes_per_second(budget);
    println!();
    println!("| X16S, 80-byte headers, one thread | x16s | sphlib C | speed-up |");
    println!("|---|---:|---:|---:|");
    println!(
        "| kH/s | {:.1} | {:.1} | {:.2}× |",
        rate / 1e3,
        sphlib.hashes_per_second / 1e3,
        rate / sphlib.hashes_per_second
    );
    Ok(())
}

//! `x16s bench`: per-thread speed of this crate next to sphlib's C, measured in the
//! same run (the C side by the reference driver's bench mode).

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

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

/// CPU time used by this thread: on a machine shared with other work, wall time
/// would count their share too. (The C driver measures the same way.)
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: clock_gettime writes one timespec (64-bit fields on 64-bit Linux) to a valid pointer.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(time.seconds as u64, time.nanoseconds as u32)
}

/// Elsewhere, wall time since the first call.
#[cfg(not(target_os = "linux"))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// Runs `step` in batches until `budget` has passed; returns the count and the time taken.
fn time_for(budget: Duration, mut step: impl FnMut(usize)) -> (usize, Duration) {
    let start = thread_cpu_time();
    let mut count = 0;
    loop {
        for k in 0..64 {
            step(k);
        }
        count += 64;
        let elapsed = thread_cpu_time() - start;
        if elapsed >= budget {
            return (count, elapsed);
        }
    }
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

/// Alternating C and Rust measurements (of thread CPU time) are repeated this many times and the best of
/// each kept, so that load from other processes on a shared machine skews them less.
const REPEATS: usize = 3;

/// Prints the comparison table (Markdown) for `x16s/README.md`.
pub fn run(millis: u64) -> Result<(), BenchError> {
    let budget = Duration::from_millis(millis);
    let mut c_ns = vec![f64::INFINITY; x16s::FUNCTIONS.len()];
    let mut rust_ns = c_ns.clone();
    let (mut c_rate, mut rust_rate) = (0.0f64, 0.0f64);
    for _ in 0..REPEATS {
        let sphlib = sphlib_timings(millis)?;
        for (i, function) in x16s::FUNCTIONS.iter().enumerate() {
            c_ns[i] = c_ns[i].min(sphlib.function_ns[i]);
            rust_ns[i] = rust_ns[i].min(function_ns(function.digest, budget));
        }
        c_rate = c_rate.max(sphlib.hashes_per_second);
        rust_rate = rust_rate.max(hashes_per_second(budget));
    }
    println!("| function | x16s (ns / 64 B) | sphlib C (ns / 64 B) | speed-up |");
    println!("|---|---:|---:|---:|");
    for ((function, rust), c) in x16s::FUNCTIONS.iter().zip(&rust_ns).zip(&c_ns) {
        println!(
            "| {} | {rust:.0} | {c:.0} | {:.2}× |",
            function.name,
            c / rust
        );
    }
    let (rust_total, c_total) = (rust_ns.iter().sum::<f64>(), c_ns.iter().sum::<f64>());
    println!(
        "| sum of 16 | {rust_total:.0} | {c_total:.0} | {:.2}× |",
        c_total / rust_total
    );
    println!();
    println!("| X16S, 80-byte headers, one thread | x16s | sphlib C | speed-up |");
    println!("|---|---:|---:|---:|");
    println!(
        "| kH/s | {:.1} | {:.1} | {:.2}× |",
        rust_rate / 1e3,
        c_rate / 1e3,
        rust_rate / c_rate
    );
    println!();
    println!("Best of {REPEATS} alternating runs of about {millis} ms per item.");
    Ok(())
}

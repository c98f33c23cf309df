//! The job executor end to end, each job in its own `gpu-node job exec` process as
//! the node runs them: the example bundles of `shaders/jobs/` against CPU references
//! (exact: both use integer arithmetic), and broken or hostile bundles, each of which
//! must end in a report naming its cause.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use gpu_node::executor::{JobRequest, isolate::ORPHAN_EXIT_CODE, run_isolated};
use gpunion_interface::job::{
    Allowance, FailureKind, JobFailure, JobOutcome, JobReport, LOG_FILE, OUTPUTS_DIR, REPORT_FILE,
    output_hash,
};
use gpunion_interface::trace::{TRACE_FILE, Trace};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders/jobs")
}

fn request(bundle_dir: &Path, out_dir: &Path) -> JobRequest {
    JobRequest {
        executable: env!("CARGO_BIN_EXE_gpu-node").into(),
        bundle_dir: bundle_dir.to_owned(),
        out_dir: out_dir.to_owned(),
        allowance: Allowance::default(),
        wall_clock: Duration::from_secs(120),
        memory_limit_mib: 1024,
        until: None,
    }
}

/// Runs `request` and checks the result folder holds the report it returned and a log.
async fn run(request: &JobRequest) -> JobReport {
    let report = run_isolated(request).await.expect("the node side works");
    let saved: JobReport =
        serde_json::from_slice(&fs::read(request.out_dir.join(REPORT_FILE)).unwrap()).unwrap();
    assert_eq!(saved, report);
    let log = fs::read_to_string(request.out_dir.join(LOG_FILE)).unwrap();
    assert!(!log.is_empty());
    report
}

fn succeeded(report: &JobReport, out_dir: &Path) {
    assert_eq!(
        report.outcome,
        JobOutcome::Succeeded,
        "{}",
        fs::read_to_string(out_dir.join(LOG_FILE)).unwrap_or_default()
    );
}

fn failure_of(report: &JobReport) -> &JobFailure {
    match &report.outcome {
        JobOutcome::Failed(failure) => failure,
        JobOutcome::Succeeded => panic!("the job should have failed: {report:?}"),
    }
}

/// The Mandelbrot bundle's iteration counts and RGBA8 image, as `mandelbrot.wgsl`
/// computes them (same fixed-point integers, so the match is exact).
fn mandelbrot_reference(view: &[u8]) -> (Vec<u32>, Vec<u8>) {
    let word = |i: usize| u32::from_le_bytes(view[4 * i..4 * i + 4].try_into().unwrap());
    let (width, height, max) = (word(0), word(1), word(2));
    let (left, top, step) = (word(3) as i32, word(4) as i32, word(5) as i32);
    const FRACTION_BITS: u32 = 12;
    let four = 4i32 << FRACTION_BITS;
    let mut iterations = Vec::new();
    let mut image = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let cr = left.wrapping_add((x as i32).wrapping_mul(step));
            let ci = top.wrapping_sub((y as i32).wrapping_mul(step));
            let (mut zr, mut zi, mut n) = (0i32, 0i32, 0u32);
            while n < max {
                let zr2 = zr.wrapping_mul(zr) >> FRACTION_BITS;
                let zi2 = zi.wrapping_mul(zi) >> FRACTION_BITS;
                if zr2.wrapping_add(zi2) > four {
                    break;
                }
                zi = (2i32.wrapping_mul(zr).wrapping_mul(zi) >> FRACTION_BITS).wrapping_add(ci);
                zr = zr2.wrapping_sub(zi2).wrapping_add(cr);
                n += 1;
            }
            iterations.push(n);
            let rgb = if n < max {
                let t = (n * 255) / max;
                [(t * 9) & 255, (t * 5) & 255, 255 - t]
            } else {
                [0, 0, 0]
            };
            image.extend([rgb[0] as u8, rgb[1] as u8, rgb[2] as u8, 255]);
        }
    }
    (iterations, image)
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes(w.try_into().unwrap()))
        .collect()
}

#[tokio::test]
async fn mandelbrot_matches_the_cpu_reference() {
    let bundle = examples().join("mandelbrot");
    let out = tempfile::tempdir().unwrap();
    let report = run(&request(&bundle, out.path())).await;
    succeeded(&report, out.path());

    let (iterations, image) = mandelbrot_reference(&fs::read(bundle.join("view.bin")).unwrap());
    let outputs = out.path().join(OUTPUTS_DIR);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        fs::File::open(outputs.join("image.png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (256, 256));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let gpu_iterations = words(&fs::read(outputs.join("iterations.bin")).unwrap());
    let differing = gpu_iterations
        .iter()
        .zip(&iterations)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, 0, "pixels whose iteration count differs");
    assert!(pixels == image, "the PNG differs from the reference image");
    // Both sets and escapes are in the picture.
    assert!(iterations.contains(&64) && iterations.contains(&1));

    // The hash is over the buffers in output order (image, iterations), as read back.
    let iteration_bytes: Vec<u8> = iterations.iter().flat_map(|n| n.to_le_bytes()).collect();
    let expected = output_hash([("image", &image[..]), ("iterations", &iteration_bytes[..])]);
    assert_eq!(report.output_hash.unwrap().as_slice(), expected);
    let files: Vec<_> = report.outputs.iter().map(|o| o.file.as_str()).collect();
    assert_eq!(files, ["image.png", "iterations.bin"]);
}

#[tokio::test]
async fn matmul_matches_the_cpu_reference() {
    let bundle = examples().join("matmul");
    let out = tempfile::tempdir().unwrap();
    let report = run(&request(&bundle, out.path())).await;
    succeeded(&report, out.path());

    const N: usize = 64;
    let a = words(&fs::read(bundle.join("a.bin")).unwrap());
    let b = words(&fs::read(bundle.join("b.bin")).unwrap());
    let mut c = vec![0u32; N * N];
    for row in 0..N {
        for column in 0..N {
            c[row * N + column] = (0..N).fold(0u32, |sum, k| {
                sum.wrapping_add(a[row * N + k].wrapping_mul(b[k * N + column]))
            });
        }
    }
    let gpu = words(&fs::read(out.path().join(OUTPUTS_DIR).join("c.bin")).unwrap());
    assert!(gpu == c, "C differs from the CPU's A x B");
    // The inputs are large enough that products wrap: the reference is not trivial.
    assert!(a.iter().any(|&x| x > 1 << 24));
}

/// The CPU's `x · b` for 64 x 64 u32 matrices, wrapping like WGSL's u32.
fn multiply(x: &[u32], b: &[u32]) -> Vec<u32> {
    const N: usize = 64;
    let mut y = vec![0u32; N * N];
    for row in 0..N {
        for column in 0..N {
            y[row * N + column] = (0..N).fold(0u32, |sum, k| {
                sum.wrapping_add(x[row * N + k].wrapping_mul(b[k * N + column]))
            });
        }
    }
    y
}

fn bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[tokio::test]
async fn a_deterministic_job_records_the_trace_the_cpu_computes_and_stops_where_asked() {
    let bundle = examples().join("matmul-power");
    let out = tempfile::tempdir().unwrap();
    let report = run(&request(&bundle, out.path())).await;
    succeeded(&report, out.path());

    // The state after each dispatch: x and y in manifest order, as the trace hashes them.
    let b = words(&fs::read(bundle.join("b.bin")).unwrap());
    let mut x = words(&fs::read(bundle.join("x.bin")).unwrap());
    let mut y = vec![0u32; x.len()];
    let mut states = vec![];
    for i in 0..10 {
        if i % 2 == 0 {
            y = multiply(&x, &b);
        } else {
            x = multiply(&y, &b);
        }
        states.push(output_hash([("x", &bytes(&x)[..]), ("y", &bytes(&y)[..])]));
    }
    let expected = Trace::new(states.clone());
    let saved: Trace =
        serde_json::from_slice(&fs::read(out.path().join(TRACE_FILE)).unwrap()).unwrap();
    assert_eq!(saved, expected);
    assert_eq!(
        report.trace_root.unwrap().as_slice(),
        expected.root().unwrap()
    );
    let gpu_x = words(&fs::read(out.path().join(OUTPUTS_DIR).join("x.bin")).unwrap());
    assert!(gpu_x == x, "X differs from the CPU's A x B^10");

    // A referee's run to dispatch 4: the first five states, no outputs.
    let partial = tempfile::tempdir().unwrap();
    let mut until = request(&bundle, partial.path());
    until.until = Some(4);
    let report = run(&until).await;
    succeeded(&report, partial.path());
    let prefix = Trace::new(states[..5].iter().copied());
    assert_eq!(
        report.trace_root.unwrap().as_slice(),
        prefix.root().unwrap()
    );
    assert_eq!(report.output_hash, None);
    assert!(!partial.path().join(OUTPUTS_DIR).exists());

    // A job that does not claim determinism cannot be run part of the way.
    let refused = tempfile::tempdir().unwrap();
    let mut partial_matmul = request(&examples().join("matmul"), refused.path());
    partial_matmul.until = Some(0);
    let report = run(&partial_matmul).await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Manifest);
    assert_eq!(failure.field.as_deref(), Some("deterministic"));
    assert!(!refused.path().join(TRACE_FILE).exists());
}

const DOUBLE_WGSL: &str = r#"
@group(0) @binding(0) var<storage, read> input: array<u32, 64>;
@group(0) @binding(1) var<storage, read_write> output: array<u32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    output[id.x] = input[id.x] * 2u;
}
"#;

/// A small valid bundle in `dir`: `output = 2 * input` over 64 words; `wgsl` and
/// `json` (the manifest) replace its files when given.
fn write_double(dir: &Path, wgsl: Option<&str>, json: Option<&str>) {
    let manifest = r#"{
      "version": 1, "name": "double", "shaders": ["double.wgsl"],
      "buffers": [
        {"name": "input", "group": 0, "binding": 0, "size": 256, "usage": "storage_read", "initial": {"file": "input.bin"}},
        {"name": "output", "group": 0, "binding": 1, "size": 256, "usage": "storage_read_write", "initial": "zeros"}
      ],
      "dispatches": [{"shader": "double.wgsl", "entry_point": "main", "workgroups": [1, 1, 1]}],
      "outputs": [{"buffer": "output", "file": "output.bin", "format": "raw"}],
      "time_limit_seconds": 30
    }"#;
    fs::write(dir.join("job.json"), json.unwrap_or(manifest)).unwrap();
    fs::write(dir.join("double.wgsl"), wgsl.unwrap_or(DOUBLE_WGSL)).unwrap();
    let input: Vec<u8> = (0..64u32).flat_map(|i| i.to_le_bytes()).collect();
    fs::write(dir.join("input.bin"), input).unwrap();
}

/// Runs the double bundle after `edit` (which may rewrite its files) with `allowance`.
async fn run_double(edit: impl FnOnce(&Path), allowance: Allowance) -> JobReport {
    let bundle = tempfile::tempdir().unwrap();
    write_double(bundle.path(), None, None);
    edit(bundle.path());
    let out = tempfile::tempdir().unwrap();
    let mut request = request(bundle.path(), out.path());
    request.allowance = allowance;
    run(&request).await
}

fn edit_manifest(dir: &Path, from: &str, to: &str) {
    let path = dir.join("job.json");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} is in the manifest");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[tokio::test]
async fn the_small_bundle_runs() {
    let bundle = tempfile::tempdir().unwrap();
    write_double(bundle.path(), None, None);
    let out = tempfile::tempdir().unwrap();
    let report = run(&request(bundle.path(), out.path())).await;
    succeeded(&report, out.path());
    let output = words(&fs::read(out.path().join(OUTPUTS_DIR).join("output.bin")).unwrap());
    assert_eq!(output, (0..64).map(|i| 2 * i).collect::<Vec<u32>>());
}

#[tokio::test]
async fn a_malformed_manifest_names_the_field() {
    let report = run_double(
        |dir| edit_manifest(dir, r#""usage": "storage_read", "#, ""),
        Allowance::default(),
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Manifest);
    assert_eq!(failure.field.as_deref(), Some("buffers[0]"));
    assert!(
        failure.message.contains("missing field `usage`"),
        "{failure:?}"
    );

    let report = run_double(
        |dir| edit_manifest(dir, r#""size": 256"#, r#""size": "256""#),
        Allowance::default(),
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Manifest);
    assert_eq!(failure.field.as_deref(), Some("buffers[0].size"));
}

#[tokio::test]
async fn wgsl_that_does_not_validate_is_a_shader_failure() {
    let report = run_double(
        |dir| {
            let wgsl = DOUBLE_WGSL.replace("input[id.x] * 2u", "input[id.x] * 2.0");
            fs::write(dir.join("double.wgsl"), wgsl).unwrap();
        },
        Allowance::default(),
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Shader, "{failure:?}");
    assert_eq!(failure.field.as_deref(), Some("double.wgsl"));
}

#[tokio::test]
async fn a_binding_mismatch_is_a_binding_failure() {
    let report = run_double(
        |dir| edit_manifest(dir, r#""usage": "storage_read""#, r#""usage": "uniform""#),
        Allowance::default(),
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Binding, "{failure:?}");
    assert_eq!(failure.field.as_deref(), Some("buffers[0].usage"));
}

#[tokio::test]
async fn buffers_over_the_allowance_are_refused() {
    let report = run_double(
        |_| {},
        Allowance {
            max_total_buffer_bytes: 300,
            ..Allowance::default()
        },
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::OverAllowance, "{failure:?}");
    assert_eq!(failure.field.as_deref(), Some("buffers"));
}

#[tokio::test]
async fn a_missing_initial_contents_file_names_the_buffer() {
    let report = run_double(
        |dir| fs::remove_file(dir.join("input.bin")).unwrap(),
        Allowance::default(),
    )
    .await;
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::Manifest, "{failure:?}");
    assert_eq!(failure.field.as_deref(), Some("buffers[0].initial"));
    assert!(failure.message.contains("input.bin"));
}

/// A shader that never ends, as far as any time limit can tell: every invocation
/// loops on atomics the compiler cannot drop, waiting for a flag nothing sets.
/// lavapipe stops any loop after 65,535 iterations (llvmpipe's guard against hung
/// shaders), so the job is 65,535 x 65,535 workgroups of 64 such invocations:
/// about 2.8e14 atomic additions, days on lavapipe, hours on a GPU.
const ENDLESS_WGSL: &str = r#"
@group(0) @binding(0) var<storage, read_write> state: array<atomic<u32>, 2>;

@compute @workgroup_size(64)
fn main() {
    loop {
        atomicAdd(&state[0], 1u);
        if (atomicLoad(&state[1]) == 1u) {
            break;
        }
    }
}
"#;

fn write_endless(dir: &Path, time_limit_seconds: u64) {
    let manifest = format!(
        r#"{{
      "version": 1, "name": "endless", "shaders": ["endless.wgsl"],
      "buffers": [{{"name": "state", "group": 0, "binding": 0, "size": 8, "usage": "storage_read_write", "initial": "zeros"}}],
      "dispatches": [{{"shader": "endless.wgsl", "entry_point": "main", "workgroups": [65535, 65535, 1]}}],
      "outputs": [{{"buffer": "state", "file": "state.bin", "format": "raw"}}],
      "time_limit_seconds": {time_limit_seconds}
    }}"#
    );
    fs::write(dir.join("job.json"), manifest).unwrap();
    fs::write(dir.join("endless.wgsl"), ENDLESS_WGSL).unwrap();
}

#[tokio::test]
async fn a_shader_that_never_ends_is_killed_at_the_time_limit() {
    const LIMIT: Duration = Duration::from_secs(3);
    let bundle = tempfile::tempdir().unwrap();
    write_endless(bundle.path(), LIMIT.as_secs());
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let report = run(&request(bundle.path(), out.path())).await;
    let elapsed = started.elapsed();
    let failure = failure_of(&report);
    assert_eq!(failure.kind, FailureKind::TimedOut, "{failure:?}");
    assert_eq!(failure.field.as_deref(), Some("time_limit_seconds"));
    // Killed at the limit, not before; the slack is the kill and the report.
    assert!(elapsed >= LIMIT, "{elapsed:?}");
    assert!(elapsed < LIMIT + Duration::from_secs(2), "{elapsed:?}");
    assert!(!out.path().join(OUTPUTS_DIR).exists());

    // The node's wall clock applies when it is the smaller limit.
    let mut request = request(bundle.path(), out.path());
    write_endless(bundle.path(), 60);
    request.wall_clock = LIMIT;
    let started = Instant::now();
    let report = run(&request).await;
    assert_eq!(failure_kind(&report), FailureKind::TimedOut);
    assert!(started.elapsed() < LIMIT + Duration::from_secs(2));
}

fn failure_kind(report: &JobReport) -> FailureKind {
    failure_of(report).kind
}

#[tokio::test]
async fn a_job_over_the_memory_limit_runs_out_of_memory() {
    // Two 100 MiB buffers under a 200 MiB limit: opening lavapipe alone takes about
    // 100 MiB of it (gpu-node/README.md).
    let bundle = tempfile::tempdir().unwrap();
    let manifest = r#"{
      "version": 1, "name": "big", "shaders": ["big.wgsl"],
      "buffers": [
        {"name": "a", "group": 0, "binding": 0, "size": 104857600, "usage": "storage_read_write", "initial": "zeros"},
        {"name": "b", "group": 0, "binding": 1, "size": 104857600, "usage": "storage_read_write", "initial": "zeros"}
      ],
      "dispatches": [{"shader": "big.wgsl", "entry_point": "main", "workgroups": [1, 1, 1]}],
      "outputs": [{"buffer": "a", "file": "a.bin", "format": "raw"}],
      "time_limit_seconds": 30
    }"#;
    let wgsl = r#"
@group(0) @binding(0) var<storage, read_write> a: array<u32>;
@group(0) @binding(1) var<storage, read_write> b: array<u32>;
@compute @workgroup_size(1)
fn main() { a[0] = b[1]; }
"#;
    fs::write(bundle.path().join("job.json"), manifest).unwrap();
    fs::write(bundle.path().join("big.wgsl"), wgsl).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut request = request(bundle.path(), out.path());
    request.memory_limit_mib = 200;
    let report = run(&request).await;
    assert_eq!(
        failure_kind(&report),
        FailureKind::OutOfMemory,
        "{report:?}"
    );
}

#[test]
fn the_executor_exits_when_its_parent_is_gone() {
    // What a `kill -9` of the node does to the pipe: its end closes. The child, busy
    // on an endless shader, must notice and exit.
    let bundle = tempfile::tempdir().unwrap();
    write_endless(bundle.path(), 60);
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gpu-node"))
        .args(["job", "exec", "--memory-limit-mib", "1024", "--bundle"])
        .arg(bundle.path())
        .arg("--out")
        .arg(out.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "still running its job");
    drop(child.stdin.take());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(ORPHAN_EXIT_CODE));
            break;
        }
        if started.elapsed() > Duration::from_secs(5) {
            child.kill().unwrap();
            panic!("the executor outlived its parent's pipe by 5 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

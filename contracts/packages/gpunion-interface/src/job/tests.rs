//! The manifest's checks, the output hash and the checked-in JSON schema; with the
//! `bundle` feature, loading bundles (the examples, and broken ones).

use super::*;

/// A valid one-buffer, one-dispatch manifest to break field by field.
fn manifest() -> Manifest {
    Manifest {
        version: MANIFEST_VERSION,
        name: "double".into(),
        shaders: vec!["double.wgsl".into()],
        buffers: vec![
            BufferSpec {
                name: "input".into(),
                group: 0,
                binding: 0,
                size: 256,
                usage: BufferUsage::StorageRead,
                initial: Initial::File("input.bin".into()),
            },
            BufferSpec {
                name: "output".into(),
                group: 0,
                binding: 1,
                size: 256,
                usage: BufferUsage::StorageReadWrite,
                initial: Initial::Zeros,
            },
        ],
        dispatches: vec![Dispatch {
            shader: "double.wgsl".into(),
            entry_point: "main".into(),
            workgroups: [1, 1, 1],
        }],
        outputs: vec![OutputSpec {
            buffer: "output".into(),
            file: "output.bin".into(),
            format: OutputFormat::Raw,
        }],
        time_limit_seconds: 10,
        deterministic: false,
    }
}

/// The field `change` breaks, as `check` names it.
fn broken(change: impl FnOnce(&mut Manifest)) -> ManifestError {
    let mut m = manifest();
    change(&mut m);
    m.check(&Allowance::default())
        .expect_err("the change breaks a rule")
}

#[test]
fn a_valid_manifest_passes() {
    manifest().check(&Allowance::default()).unwrap();
}

#[test]
fn each_rule_names_its_field() {
    let cases: Vec<(ManifestError, &str)> = vec![
        (broken(|m| m.version = 2), "version"),
        (broken(|m| m.name.clear()), "name"),
        (broken(|m| m.time_limit_seconds = 0), "time_limit_seconds"),
        (broken(|m| m.time_limit_seconds = 601), "time_limit_seconds"),
        (broken(|m| m.shaders.clear()), "shaders"),
        (
            broken(|m| m.shaders.push("double.wgsl".into())),
            "shaders[1]",
        ),
        (broken(|m| m.shaders[0] = "../x.wgsl".into()), "shaders[0]"),
        (
            broken(|m| m.shaders[0] = "/etc/x.wgsl".into()),
            "shaders[0]",
        ),
        (broken(|m| m.shaders[0] = "a//b.wgsl".into()), "shaders[0]"),
        (broken(|m| m.buffers[1].name.clear()), "buffers[1].name"),
        (
            broken(|m| m.buffers[1].name = "input".into()),
            "buffers[1].name",
        ),
        (broken(|m| m.buffers[1].binding = 0), "buffers[1].binding"),
        (broken(|m| m.buffers[1].group = 4), "buffers[1].group"),
        (broken(|m| m.buffers[1].size = 0), "buffers[1].size"),
        (broken(|m| m.buffers[1].size = 6), "buffers[1].size"),
        (
            broken(|m| m.buffers[0].initial = Initial::File("a/../../b".into())),
            "buffers[0].initial",
        ),
        (broken(|m| m.dispatches.clear()), "dispatches"),
        (
            broken(|m| m.dispatches[0].shader = "other.wgsl".into()),
            "dispatches[0].shader",
        ),
        (
            broken(|m| m.dispatches[0].entry_point.clear()),
            "dispatches[0].entry_point",
        ),
        (
            broken(|m| m.dispatches[0].workgroups = [1, 0, 1]),
            "dispatches[0].workgroups[1]",
        ),
        (
            broken(|m| m.dispatches[0].workgroups = [1, 1, 70_000]),
            "dispatches[0].workgroups[2]",
        ),
        (broken(|m| m.outputs.clear()), "outputs"),
        (
            broken(|m| m.outputs[0].buffer = "nope".into()),
            "outputs[0].buffer",
        ),
        (
            broken(|m| m.outputs[0].file = "..".into()),
            "outputs[0].file",
        ),
        (
            broken(|m| {
                m.outputs[0].format = OutputFormat::Rgba8Png {
                    width: 8,
                    height: 4,
                }
            }),
            "outputs[0].format",
        ),
        (
            broken(|m| {
                let mut second = m.outputs[0].clone();
                second.file = "again.bin".into();
                m.outputs.push(second);
            }),
            "outputs[1].buffer",
        ),
    ];
    for (error, field) in cases {
        assert_eq!(error.field(), field, "{error}");
        assert!(error.to_string().starts_with(field), "{error}");
    }
    // An 8x8 image fits the 256-byte buffer.
    let mut m = manifest();
    m.outputs[0].format = OutputFormat::Rgba8Png {
        width: 8,
        height: 8,
    };
    m.check(&Allowance::default()).unwrap();
}

#[test]
fn allowance_limits_are_over_allowance_failures() {
    let allowance = Allowance {
        max_buffer_bytes: 256,
        max_total_buffer_bytes: 400,
        ..Allowance::default()
    };
    let mut m = manifest();
    m.buffers[1].size = 260;
    let error = m.check(&allowance).unwrap_err();
    assert_eq!(
        error,
        ManifestError::OverAllowance {
            field: "buffers[1].size".into(),
            value: 260,
            limit: 256
        }
    );
    assert_eq!(error.failure().kind, FailureKind::OverAllowance);
    let error = manifest().check(&allowance).unwrap_err();
    assert_eq!(error.field(), "buffers");
    assert_eq!(error.kind(), FailureKind::OverAllowance);
    assert_eq!(broken(|m| m.version = 0).kind(), FailureKind::Manifest);
}

#[test]
fn output_hash_frames_names_and_data() {
    let one = output_hash([("ab", &b"c"[..])]);
    // Moving a byte from the name to the data changes the hash.
    assert_ne!(one, output_hash([("a", &b"bc"[..])]));
    // Order matters.
    let x = output_hash([("x", &[1u8][..]), ("y", &[2u8][..])]);
    assert_ne!(x, output_hash([("y", &[2u8][..]), ("x", &[1u8][..])]));
    // The framing, spelled out.
    let mut framed = Vec::new();
    framed.extend_from_slice(&2u32.to_le_bytes());
    framed.extend_from_slice(b"ab");
    framed.extend_from_slice(&1u64.to_le_bytes());
    framed.extend_from_slice(b"c");
    assert_eq!(one, <[u8; 32]>::from(Sha256::digest(&framed)));
}

#[test]
fn reports_round_trip_as_json() {
    let report = JobReport::failed(
        JobFailure {
            kind: FailureKind::TimedOut,
            field: Some("time_limit_seconds".into()),
            message: "stopped after 3 s".into(),
        },
        JobTimings::default(),
    );
    let json = cosmwasm_std::to_json_string(&report).unwrap();
    assert!(json.contains(r#""failed":{"kind":"timed_out""#), "{json}");
    assert_eq!(cosmwasm_std::from_json::<JobReport>(&json).unwrap(), report);
}

/// `shaders/jobs/manifest.schema.json` is the schema of today's [`Manifest`]. Run with
/// `GPUNION_WRITE_SCHEMA=1` to rewrite it after changing the format.
#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shaders/jobs/manifest.schema.json");
    let schema = cosmwasm_schema::schema_for!(Manifest);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("GPUNION_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == text,
        "{} is stale: regenerate it with GPUNION_WRITE_SCHEMA=1 cargo test -p gpunion-interface job::tests::checked_in_schema_is_current",
        path.display()
    );
}

#[cfg(feature = "bundle")]
mod bundle {
    use std::{fs, path::Path};

    use super::super::bundle::{Bundle, BundleError};
    use super::*;

    const DOUBLE: &str = r#"
@group(0) @binding(0) var<storage, read> input: array<u32, 64>;
@group(0) @binding(1) var<storage, read_write> output: array<u32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    output[id.x] = input[id.x] * 2u;
}
"#;

    /// A bundle of [`manifest`] (after `change`) with `wgsl` as its shader.
    fn write(dir: &Path, wgsl: &str, change: impl FnOnce(&mut Manifest)) {
        let mut m = manifest();
        change(&mut m);
        fs::write(
            dir.join(MANIFEST_FILE),
            cosmwasm_std::to_json_vec(&m).unwrap(),
        )
        .unwrap();
        fs::write(dir.join("double.wgsl"), wgsl).unwrap();
        fs::write(dir.join("input.bin"), [7u8; 256]).unwrap();
    }

    fn load(wgsl: &str, change: impl FnOnce(&mut Manifest)) -> Result<Bundle, BundleError> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), wgsl, change);
        Bundle::load(dir.path(), &Allowance::default())
    }

    fn examples() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shaders/jobs")
    }

    #[test]
    fn the_examples_load() {
        for name in ["mandelbrot", "matmul", "matmul-power"] {
            let bundle = Bundle::load(&examples().join(name), &Allowance::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!bundle.manifest().dispatches.is_empty());
        }
    }

    #[test]
    fn a_deterministic_bundle_computes_with_integers_only() {
        let deterministic = |m: &mut Manifest| m.deterministic = true;
        assert!(load(DOUBLE, deterministic).is_ok());
        let refused = [
            // A float in a local computation, converted back to an integer.
            (
                "",
                "output[id.x] = u32(f32(input[id.x]) * 0.5);",
                "floating point",
            ),
            // Atomics: results depend on the order invocations run in.
            (
                "var<workgroup> counter: atomic<u32>;\n",
                "output[id.x] = atomicAdd(&counter, 1u);",
                "atomics",
            ),
        ];
        for (global, body, what) in refused {
            let wgsl = DOUBLE
                .replace("output[id.x] = input[id.x] * 2u;", body)
                .replace("@compute", &format!("{global}@compute"));
            // Without the claim the same shader is a valid job.
            assert!(load(&wgsl, |_| {}).is_ok(), "{body}");
            let error = load(&wgsl, deterministic).unwrap_err();
            match &error {
                BundleError::NotDeterministic { file, reason } => {
                    assert_eq!(file, "double.wgsl");
                    assert!(reason.contains(what), "{reason}");
                }
                other => panic!("{body}: {other}"),
            }
            assert_eq!(error.kind(), FailureKind::Shader);
        }
        let matmul = Bundle::load(&examples().join("matmul-power"), &Allowance::default()).unwrap();
        assert!(matmul.manifest().deterministic);
    }

    #[test]
    fn a_valid_bundle_loads_with_its_contents() {
        let bundle = load(DOUBLE, |_| {}).unwrap();
        assert_eq!(bundle.initial(0), Some(&[7u8; 256][..]));
        assert_eq!(bundle.initial(1), None);
        assert_eq!(bundle.shaders()[0].source, DOUBLE);
    }

    fn parse_error(json: &str) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), DOUBLE, |_| {});
        fs::write(dir.path().join(MANIFEST_FILE), json).unwrap();
        match Bundle::load(dir.path(), &Allowance::default()).unwrap_err() {
            BundleError::Parse { field, message } => (field, message),
            other => panic!("not a parse error: {other}"),
        }
    }

    #[test]
    fn malformed_manifests_name_the_field() {
        let good = serde_json::to_value(manifest()).unwrap();

        let mut missing = good.clone();
        missing["buffers"][1]
            .as_object_mut()
            .unwrap()
            .remove("usage");
        let (field, message) = parse_error(&missing.to_string());
        assert_eq!(field, "buffers[1]");
        assert!(message.contains("missing field `usage`"), "{message}");

        let mut wrong = good.clone();
        wrong["buffers"][0]["size"] = "big".into();
        let (field, message) = parse_error(&wrong.to_string());
        assert_eq!(field, "buffers[0].size");
        assert!(message.contains("invalid type"), "{message}");

        let mut unknown = good;
        unknown["dispatches"][0]["threads"] = 64.into();
        let (field, _) = parse_error(&unknown.to_string());
        assert_eq!(field, "dispatches[0].threads");

        let error = load(DOUBLE, |m| m.buffers[0].size = 6).unwrap_err();
        assert_eq!(error.field(), Some("buffers[0].size"));
        assert_eq!(error.kind(), FailureKind::Manifest);
    }

    #[test]
    fn wgsl_that_fails_is_a_shader_error() {
        let error = load("fn main( {", |_| {}).unwrap_err();
        assert!(matches!(error, BundleError::Wgsl { .. }), "{error}");
        // Parses, but storing to a read-only buffer does not validate.
        let invalid = DOUBLE.replace("output[id.x] = input[id.x] * 2u;", "input[id.x] = 1u;");
        let error = load(&invalid, |_| {}).unwrap_err();
        assert!(matches!(
            error,
            BundleError::Wgsl { .. } | BundleError::Invalid { .. }
        ));
        assert_eq!(error.kind(), FailureKind::Shader);
        assert_eq!(error.field(), Some("double.wgsl"));
        let error = load(DOUBLE, |m| m.dispatches[0].entry_point = "run".into()).unwrap_err();
        assert!(matches!(error, BundleError::NoEntryPoint { .. }), "{error}");
        assert_eq!(error.field(), Some("dispatches[0].entry_point"));
    }

    #[test]
    fn binding_mismatches_name_the_buffer() {
        let error = load(DOUBLE, |m| {
            m.buffers[0].usage = BufferUsage::StorageReadWrite
        })
        .unwrap_err();
        assert!(
            matches!(error, BundleError::UsageMismatch { .. }),
            "{error}"
        );
        assert_eq!(error.field(), Some("buffers[0].usage"));
        assert_eq!(error.kind(), FailureKind::Binding);

        let error = load(DOUBLE, |m| m.buffers[1].binding = 5).unwrap_err();
        assert!(matches!(error, BundleError::Unbound { .. }), "{error}");
        assert_eq!(error.field(), Some("buffers[1]"));

        let two = DOUBLE.replace("binding(1)", "binding(2)");
        let error = load(&two, |m| {
            m.buffers[1].binding = 2;
            m.buffers.push(BufferSpec {
                name: "extra".into(),
                group: 1,
                binding: 0,
                size: 4,
                usage: BufferUsage::Uniform,
                initial: Initial::Zeros,
            });
        })
        .unwrap_err();
        assert_eq!(error.field(), Some("buffers[2]"), "{error}");

        let error = load(DOUBLE, |m| {
            m.buffers.remove(0);
        })
        .unwrap_err();
        assert!(matches!(error, BundleError::Undeclared { .. }), "{error}");
        assert_eq!(error.field(), Some("dispatches[0]"));

        let error = load(DOUBLE, |m| {
            m.buffers[1].size = 128;
            m.outputs[0].buffer = "output".into();
        })
        .unwrap_err();
        assert!(
            matches!(error, BundleError::TooSmall { needed: 256, .. }),
            "{error}"
        );
    }

    #[test]
    fn files_must_be_there_and_fit() {
        let error = load(DOUBLE, |m| {
            m.buffers[0].initial = Initial::File("missing.bin".into())
        })
        .unwrap_err();
        assert!(matches!(error, BundleError::MissingFile { .. }), "{error}");
        assert_eq!(error.field(), Some("buffers[0].initial"));
        assert_eq!(error.kind(), FailureKind::Manifest);

        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), DOUBLE, |_| {});
        fs::write(dir.path().join("input.bin"), [7u8; 255]).unwrap();
        let error = Bundle::load(dir.path(), &Allowance::default()).unwrap_err();
        assert!(
            matches!(
                error,
                BundleError::ContentsSize {
                    found: 255,
                    expected: 256,
                    ..
                }
            ),
            "{error}"
        );

        let small = Allowance {
            max_bundle_bytes: 300,
            ..Allowance::default()
        };
        let error = Bundle::load(dir.path(), &small).unwrap_err();
        assert!(matches!(error, BundleError::TooLarge { .. }), "{error}");
        assert_eq!(error.kind(), FailureKind::OverAllowance);
    }
}

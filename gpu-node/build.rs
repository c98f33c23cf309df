//! Embeds the WGSL of the X16S functions: every `shaders/x16s/functions/<name>.wgsl`
//! becomes an entry `(name, source)` of `FUNCTION_SOURCES` in `$OUT_DIR/function_sources.rs`.

use std::{env, fs, path::Path};

fn main() {
    let functions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders/x16s/functions");
    println!("cargo:rerun-if-changed={}", functions.display());
    let mut entries: Vec<(String, String)> = fs::read_dir(&functions)
        .unwrap_or_else(|e| panic!("reading {}: {e}", functions.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wgsl"))
        .map(|path| {
            let name = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let path = path.canonicalize().expect("an existing file");
            (name, path.display().to_string())
        })
        .collect();
    entries.sort();
    let body: String = entries
        .iter()
        .map(|(name, path)| format!("    ({name:?}, include_str!({path:?})),\n"))
        .collect();
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("function_sources.rs");
    fs::write(
        out,
        format!("/// The WGSL of each X16S function, by sphlib name.\npub(crate) const FUNCTION_SOURCES: &[(&str, &str)] = &[\n{body}];\n"),
    )
    .expect("writing function_sources.rs");
}

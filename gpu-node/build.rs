//! Embeds the WGSL of the X16S functions and of the libraries they share:
//! every `shaders/x16s/functions/<name>.wgsl` becomes an entry `(name, source)` of
//! `FUNCTION_SOURCES`, every `shaders/x16s/lib/<name>.wgsl` one of `LIBRARY_SOURCES`,
//! in `$OUT_DIR/sources.rs`.

use std::{env, fs, path::Path};

/// `const NAME: &[(&str, &str)]` with an `include_str!` entry per WGSL file in `dir`.
fn sources(name: &str, dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wgsl"))
        .map(|path| {
            let stem = path.file_stem().expect("a file name").to_string_lossy();
            let path = path.canonicalize().expect("an existing file");
            (stem.into_owned(), path.display().to_string())
        })
        .collect();
    entries.sort();
    let body: String = entries
        .iter()
        .map(|(stem, path)| format!("    ({stem:?}, include_str!({path:?})),\n"))
        .collect();
    format!("pub(crate) const {name}: &[(&str, &str)] = &[\n{body}];\n")
}

fn main() {
    let shaders = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders/x16s");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("sources.rs");
    let text = format!(
        "/// The WGSL of each X16S function, by sphlib name.\n{}\n/// The WGSL libraries functions ask for with `// requires: <name>`.\n{}",
        sources("FUNCTION_SOURCES", &shaders.join("functions")),
        sources("LIBRARY_SOURCES", &shaders.join("lib")),
    );
    fs::write(out, text).expect("writing sources.rs");
}

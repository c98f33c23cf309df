//! Embeds the WGSL of the X16S functions and of the libraries they share:
//! every `shaders/x16s/functions/<name>.wgsl` becomes an entry `(name, source)` of
//! `FUNCTION_SOURCES`, every `shaders/x16s/lib/<name>.wgsl` one of `LIBRARY_SOURCES`,
//! in `$OUT_DIR/sources.rs`.

use std::{env, fs, path::Path};

/// `const NAME: &[(&str, &str)]` with an `include_str!` entry per WGSL file in
/// `shaders/x16s/<dir>`. The paths are written relative to the crate, so the
/// generated file does not tie a build to one checkout.
fn sources(name: &str, shaders: &Path, dir: &str) -> String {
    let dir_path = shaders.join(dir);
    println!("cargo:rerun-if-changed={}", dir_path.display());
    let mut stems: Vec<String> = fs::read_dir(&dir_path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir_path.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wgsl"))
        .map(|path| {
            path.file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    stems.sort();
    let body: String = stems
        .iter()
        .map(|stem| {
            format!(
                "    ({stem:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../shaders/x16s/{dir}/{stem}.wgsl\"))),\n"
            )
        })
        .collect();
    format!("pub(crate) const {name}: &[(&str, &str)] = &[\n{body}];\n")
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let shaders = Path::new(&manifest).join("../shaders/x16s");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("sources.rs");
    let text = format!(
        "/// The WGSL of each X16S function, by sphlib name.\n{}\n/// The WGSL libraries functions ask for with `// requires: <name>`.\n{}",
        sources("FUNCTION_SOURCES", &shaders, "functions"),
        sources("LIBRARY_SOURCES", &shaders, "lib"),
    );
    fs::write(out, text).expect("writing sources.rs");
}

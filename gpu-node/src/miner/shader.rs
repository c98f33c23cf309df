//! WGSL assembly: one module per (function, step, word mode) from the files in
//! `shaders/x16s/`.

use crate::gpu::WordMode;

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

const KERNEL: &str = include_str!("../../../shaders/x16s/kernel.wgsl");
const COMMON: &str = include_str!("../../../shaders/x16s/common.wgsl");
const W64_NATIVE: &str = include_str!("../../../shaders/x16s/w64_native.wgsl");
const W64_PAIR: &str = include_str!("../../../shaders/x16s/w64_pair.wgsl");

/// Where a function sits in the chain, which decides its input and output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// Hashes the 80-byte header with the nonce put in; writes the 64-byte state.
    First,
    /// Hashes the 64-byte state in place.
    Middle,
    /// Hashes the 64-byte state and records the nonces whose hash meets the target.
    Last,
}

impl Step {
    fn index(self) -> u32 {
        match self {
            Self::First => 0,
            Self::Middle => 1,
            Self::Last => 2,
        }
    }

    fn message_bytes(self) -> u32 {
        match self {
            Self::First => 80,
            Self::Middle | Self::Last => 64,
        }
    }
}

/// The WGSL of the function called `name` (sphlib's name, as in `x16s::FUNCTIONS`).
pub(crate) fn function_source(name: &str) -> Option<&'static str> {
    FUNCTION_SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, source)| *source)
}

/// The libraries a function's WGSL asks for with `// requires: <name>` lines
/// (files `shaders/x16s/lib/<name>.wgsl`), in the order asked.
fn libraries(function: &str) -> impl Iterator<Item = &'static str> + '_ {
    function
        .lines()
        .filter_map(|line| line.trim().strip_prefix("// requires:"))
        .map(|name| {
            let name = name.trim();
            LIBRARY_SOURCES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, source)| *source)
                .unwrap_or_else(|| panic!("shaders/x16s/lib/{name}.wgsl does not exist"))
        })
}

/// The complete module for one step of `name`, or `None` when the function has no WGSL.
pub(crate) fn module(
    name: &str,
    step: Step,
    mode: WordMode,
    workgroup_size: u32,
) -> Option<String> {
    let function = function_source(name)?;
    let prelude = match mode {
        WordMode::Native => W64_NATIVE,
        WordMode::Pair => W64_PAIR,
    };
    let libraries: String = libraries(function).collect::<Vec<_>>().join("\n");
    Some(format!(
        "const STEP: u32 = {}u;\nconst MSG_BYTES: u32 = {}u;\nconst WORKGROUP_SIZE: u32 = {workgroup_size}u;\n{prelude}\n{COMMON}\n{libraries}\n{}\n{function}",
        step.index(),
        step.message_bytes(),
        KERNEL.replace("X16S_FN", name),
    ))
}

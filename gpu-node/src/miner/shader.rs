//! WGSL assembly: one module per (function, step, word mode) from the files in
//! `shaders/x16s/`.

use gpunion_interface::mining::header::{HEADER_LEN, NONCE_OFFSET};

use super::MinerError;
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

/// How many interleaved copies of each look-up table a module keeps in workgroup memory
/// (`bank32` / `bank64` in `common.wgsl`): one per bank (32 of 4-byte entries, 16 of
/// 8-byte ones), or fewer where the adapter's workgroup memory cannot hold a 256-entry
/// table that many times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TableCopies {
    /// Copies of a table of 4-byte entries.
    pub(crate) words: u32,
    /// Copies of a table of 8-byte entries.
    pub(crate) doubles: u32,
}

impl TableCopies {
    /// The copies that fit one 256-entry table in `workgroup_bytes` (the adapter's
    /// `max_compute_workgroup_storage_size`): 32 KiB gives every lane its own bank.
    pub(crate) fn fitting(workgroup_bytes: u32) -> Self {
        let copies = |entry_bytes: u32, most: u32| {
            let fit = (workgroup_bytes / (256 * entry_bytes)).max(1);
            (1 << fit.ilog2()).min(most)
        };
        Self {
            words: copies(4, 32),
            doubles: copies(8, 16),
        }
    }
}

/// The source called `name` in one of the embedded tables.
fn find(sources: &[(&str, &'static str)], name: &str) -> Option<&'static str> {
    sources
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, source)| *source)
}

/// The libraries `function` (the WGSL of `name`) asks for with `// requires: <name>`
/// lines, joined in the order asked.
fn libraries(name: &'static str, function: &str) -> Result<String, MinerError> {
    let sources = function
        .lines()
        .filter_map(|line| line.trim().strip_prefix("// requires:"))
        .map(|library| {
            let library = library.trim();
            find(LIBRARY_SOURCES, library).ok_or_else(|| MinerError::MissingLibrary {
                function: name,
                library: library.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sources.join("\n"))
}

/// The complete module for one step of `name` (sphlib's name, as in `x16s::FUNCTIONS`):
/// the step's constants, the word prelude, `common.wgsl`, the function's libraries
/// (`shaders/x16s/lib/`), the kernel and the function.
pub(crate) fn module(
    name: &'static str,
    step: Step,
    mode: WordMode,
    workgroup_size: u32,
    copies: TableCopies,
) -> Result<String, MinerError> {
    let function =
        find(FUNCTION_SOURCES, name).ok_or(MinerError::MissingShader { function: name })?;
    let libraries = libraries(name, function)?;
    let prelude = match mode {
        WordMode::Native => W64_NATIVE,
        WordMode::Pair => W64_PAIR,
    };
    Ok(format!(
        "const STEP: u32 = {}u;\nconst MSG_BYTES: u32 = {}u;\nconst WORKGROUP_SIZE: u32 = {workgroup_size}u;\nconst HEADER_WORDS: u32 = {}u;\nconst NONCE_WORD: u32 = {}u;\nconst BANK32_COPIES: u32 = {}u;\nconst BANK64_COPIES: u32 = {}u;\n{prelude}\n{COMMON}\n{libraries}\n{}\n{function}",
        step.index(),
        step.message_bytes(),
        HEADER_LEN / 4,
        NONCE_OFFSET / 4,
        copies.words,
        copies.doubles,
        KERNEL.replace("X16S_FN", name),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_without_wgsl_is_a_typed_error() {
        let copies = TableCopies::fitting(32 << 10);
        let err = module("sha3000", Step::First, WordMode::Pair, 64, copies).unwrap_err();
        assert!(
            matches!(
                err,
                MinerError::MissingShader {
                    function: "sha3000"
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_missing_library_is_a_typed_error() {
        let err = libraries("echo512", "// requires: aes\n// requires: nowhere\n").unwrap_err();
        assert!(
            matches!(&err, MinerError::MissingLibrary { function: "echo512", library } if library == "nowhere"),
            "{err}"
        );
    }

    #[test]
    fn table_copies_fill_the_banks_within_the_workgroup_memory() {
        let banks = TableCopies {
            words: 32,
            doubles: 16,
        };
        assert_eq!(TableCopies::fitting(32 << 10), banks);
        assert_eq!(TableCopies::fitting(48 << 10), banks);
        assert_eq!(
            TableCopies::fitting(16 << 10),
            TableCopies {
                words: 16,
                doubles: 8
            }
        );
        assert_eq!(
            TableCopies::fitting(1024),
            TableCopies {
                words: 1,
                doubles: 1
            }
        );
    }

    #[test]
    fn a_module_holds_its_libraries_and_constants() {
        let copies = TableCopies::fitting(16 << 10);
        let module = module("fugue512", Step::Last, WordMode::Native, 128, copies).unwrap();
        assert!(module.starts_with("const STEP: u32 = 2u;\nconst MSG_BYTES: u32 = 64u;\nconst WORKGROUP_SIZE: u32 = 128u;\nconst HEADER_WORDS: u32 = 20u;\nconst NONCE_WORD: u32 = 19u;\nconst BANK32_COPIES: u32 = 16u;\nconst BANK64_COPIES: u32 = 8u;\n"));
        assert_eq!(module.matches("fn aes_round(").count(), 1);
        assert!(module.contains("alias w64 = u64;"));
        assert!(module.contains("fugue512_hash(&msg)"));
        assert!(!module.contains("X16S_FN"));
    }
}

//! Shared by the integration tests: the reference vectors, hex, a seeded random
//! stream, and the sphlib reference driver built by `x16s/reference/build-sphlib`.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The reference vectors (`tests/vectors/x16s.txt`), read at test time.
pub fn vectors() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/x16s.txt");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the X16S vectors at {path}: {e}"))
}

pub fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A seeded SplitMix64 stream, so that a failing random case can be reproduced.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes()[..chunk.len()]);
        }
    }

    pub fn header(&mut self) -> [u8; 80] {
        let mut header = [0u8; 80];
        self.fill(&mut header);
        header
    }
}

/// The sphlib reference driver (C, from the PyPI sdist x16s-hash 1.0.1).
pub struct Sphlib(PathBuf);

impl Sphlib {
    /// Finds the driver where `x16s/reference/build-sphlib` puts it; panics (never
    /// skips) when it is missing, naming the script that builds it.
    pub fn locate() -> Self {
        let cache = std::env::var_os("GPUNION_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/gpunion")
            });
        let path = cache.join("x16s-hash-1.0.1/sphlib_driver");
        assert!(
            path.is_file(),
            "the sphlib reference driver is missing at {}: run x16s/reference/build-sphlib (scripts/bootstrap runs it)",
            path.display()
        );
        Self(path)
    }

    /// Runs the driver in `mode` over `inputs`, one hex line each, and returns its output lines.
    fn run(&self, mode: &[&str], inputs: impl Iterator<Item = Vec<u8>>) -> Vec<Vec<u8>> {
        let mut child = Command::new(&self.0)
            .args(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.0.display()));
        let mut lines = String::new();
        let mut count = 0;
        for input in inputs {
            lines.push_str(&hex(&input));
            lines.push('\n');
            count += 1;
        }
        // Feed stdin from another thread: the driver answers line by line, and a full
        // stdout pipe would otherwise block both sides.
        let mut stdin = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
        let output = child.wait_with_output().expect("driver output");
        writer
            .join()
            .expect("writer thread")
            .expect("write to the driver");
        assert!(
            output.status.success(),
            "{} {mode:?} failed: {}",
            self.0.display(),
            output.status
        );
        let digests: Vec<Vec<u8>> = String::from_utf8(output.stdout)
            .expect("hex output")
            .lines()
            .map(unhex)
            .collect();
        assert_eq!(
            digests.len(),
            count,
            "the driver answered {} of {count} lines",
            digests.len()
        );
        digests
    }

    /// sphlib's digests of `inputs` with function `index` (X16S index order).
    pub fn digests(&self, index: usize, inputs: &[Vec<u8>]) -> Vec<Vec<u8>> {
        self.run(&["fn", &index.to_string()], inputs.iter().cloned())
    }

    /// sphlib's X16S of each header.
    pub fn x16s(&self, headers: &[[u8; 80]]) -> Vec<Vec<u8>> {
        self.run(&["x16s"], headers.iter().map(|h| h.to_vec()))
    }
}

//! Known-answer tests of SIMD-512, ECHO-512, Hamsi-512 and Fugue-512 against the shared
//! X16S reference vectors (sphlib outputs).

use x16s::functions::{echo512, fugue512, hamsi512, simd512};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/vectors/x16s.txt"
));

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// The single-function answer for `name` on the message labelled `label` (`empty`, `abc`).
fn single(name: &str, label: &str) -> Vec<u8> {
    VECTORS
        .lines()
        .find_map(|line| {
            let mut fields = line.split_whitespace();
            (fields.next() == Some(name) && fields.next() == Some(label))
                .then(|| unhex(fields.next().expect("digest")))
        })
        .unwrap_or_else(|| panic!("no {name} {label} vector"))
}

/// `(input, expected output)` of the per-step chain entry for `name`: each step hashes the
/// previous step's output (step 0 hashes the genesis header).
fn chain_step(name: &str) -> (Vec<u8>, Vec<u8>) {
    let mut lines = VECTORS.lines();
    lines
        .by_ref()
        .find(|l| l.starts_with("## mainnet genesis header"))
        .expect("genesis section");
    let mut input = unhex(lines.next().expect("genesis header"));
    for line in lines.filter(|l| l.starts_with("step ")) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let output = unhex(fields[3]);
        if fields[2] == name {
            return (input, output);
        }
        input = output;
    }
    panic!("no chain step for {name}");
}

fn check(name: &str, hash: fn(&[u8]) -> [u8; 64]) {
    assert_eq!(hash(b"").as_slice(), single(name, "empty"), "{name}(\"\")");
    assert_eq!(
        hash(b"abc").as_slice(),
        single(name, "abc"),
        "{name}(\"abc\")"
    );
    let (input, expected) = chain_step(name);
    assert_eq!(input.len(), 64, "chain inputs after step 0 are 64 bytes");
    assert_eq!(hash(&input).as_slice(), expected, "{name} chain step");
}

#[test]
fn simd512_matches_vectors() {
    check("simd512", simd512);
}

#[test]
fn echo512_matches_vectors() {
    check("echo512", echo512);
}

#[test]
fn fugue512_matches_vectors() {
    check("fugue512", fugue512);
}

#[test]
fn hamsi512_matches_vectors() {
    check("hamsi512", hamsi512);
}

//! The reference vectors (`tests/vectors/x16s.txt`, sphlib outputs):
//! single-function answers, the mainnet genesis header, its per-step chain and the
//! whitepaper's shuffle example.

mod common;

use common::{hex, unhex, vectors};
use x16s::{FUNCTIONS, HashFunction};

fn function(name: &str) -> &'static HashFunction {
    FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function named {name}"))
}

/// The lines of the section whose `## ` heading starts with `heading`, comments removed.
fn section(text: &str, heading: &str) -> Vec<String> {
    text.lines()
        .skip_while(|line| {
            !line
                .strip_prefix("## ")
                .is_some_and(|h| h.starts_with(heading))
        })
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn genesis_header() -> ([u8; 80], Vec<String>) {
    let lines = section(&vectors(), "mainnet genesis header");
    let header = unhex(&lines[0]).try_into().expect("an 80-byte header");
    (header, lines)
}

#[test]
fn single_function_answers() {
    let lines = section(&vectors(), "single-function KATs");
    for line in &lines {
        let [name, label, digest] = line.split_whitespace().collect::<Vec<_>>()[..] else {
            panic!("bad KAT line: {line}");
        };
        let input: &[u8] = match label {
            "empty" => b"",
            "abc" => b"abc",
            _ => panic!("unknown KAT input {label}"),
        };
        assert_eq!(
            hex(&(function(name).digest)(input)),
            digest,
            "{name}({label})"
        );
    }
    assert_eq!(
        lines.len(),
        2 * FUNCTIONS.len(),
        "every function has an empty and an abc answer"
    );
}

#[test]
fn genesis_header_hash() {
    let (header, lines) = genesis_header();
    let (raw, displayed) = lines[1].split_once("  rev:").expect("hash line with rev:");
    let hash = x16s::hash(&header);
    assert_eq!(hex(&hash), raw);
    let reversed: Vec<u8> = hash.iter().rev().copied().collect();
    assert_eq!(hex(&reversed), displayed);
    assert_eq!(
        x16s::meets_target(
            &hash,
            u32::from_le_bytes(header[72..76].try_into().unwrap())
        ),
        Ok(true)
    );
}

#[test]
fn genesis_chain_steps() {
    let (header, _) = genesis_header();
    let steps = section(&vectors(), "per-step chain");
    assert_eq!(steps.len(), 16);
    let mut input = header.to_vec();
    for (index, line) in steps.iter().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, step, name, digest] = fields[..] else {
            panic!("bad step line: {line}")
        };
        assert_eq!(step.parse::<usize>().unwrap(), index);
        assert_eq!(FUNCTIONS[index].name, name, "index order of FUNCTIONS");
        let output = (FUNCTIONS[index].digest)(&input);
        assert_eq!(hex(&output), digest, "step {index} {name}");
        input = output.to_vec();
    }
}

#[test]
fn whitepaper_shuffle_example() {
    let text = vectors();
    let example = section(&text, "shuffle example");
    assert!(example.is_empty(), "the example is written as comments");
    let line = text
        .lines()
        .find(|l| l.contains("give the function order"))
        .expect("the whitepaper example line");
    let words: Vec<&str> = line.split_whitespace().collect();
    let digits = words[words.iter().position(|w| *w == "give").unwrap() - 1];
    let expected = words.last().unwrap();
    // The displayed hash is byte-reversed: its last 16 digits are bytes 7 down to 0.
    let mut prev = [0u8; 32];
    for (k, byte) in unhex(digits).into_iter().enumerate() {
        prev[7 - k] = byte;
    }
    let order: String = x16s::order(&prev)
        .iter()
        .map(|i| format!("{i:x}"))
        .collect();
    assert_eq!(order, *expected);
}

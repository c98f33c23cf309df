//! The WGSL X16S against the CPU reference (`x16s`), bit for bit, on the adapter wgpu
//! finds (lavapipe in CI), in every word mode it supports: every function alone on
//! the shared vectors, first in the order on headers, in the middle on random states;
//! the full chain with every function in every position; nonce search and pausing.
//! No adapter is a failure, not a skip.

use std::sync::{Arc, OnceLock};

use gpu_node::{
    gpu::{Gpu, WordMode},
    miner::{GpuSearch, Input, Job, Kernels, Outcome},
};
use gpunion_interface::mining::header::Header;
use rand::{RngExt as _, SeedableRng as _, rngs::StdRng};
use x16s::{FUNCTIONS, Target};

/// The kernels of each word mode the adapter runs, built once for all tests.
fn kernels() -> &'static [Kernels] {
    static KERNELS: OnceLock<Vec<Kernels>> = OnceLock::new();
    KERNELS.get_or_init(|| {
        let gpu = Arc::new(Gpu::new().unwrap_or_else(|e| {
            panic!("the shader tests need a wgpu adapter (lavapipe in CI): {e}")
        }));
        eprintln!("adapter: {}", gpu.describe());
        gpu.word_modes()
            .into_iter()
            .map(|mode| Kernels::new(gpu.clone(), mode, 64).expect("kernels"))
            .collect()
    })
}

fn index_of(name: &str) -> usize {
    FUNCTIONS
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function named {name}"))
}

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("bad hex {text}: {e}"))
}

/// The mainnet genesis header and its per-step chain `(function name, digest)`
/// from the X16S reference vectors (`x16s/tests/vectors/x16s.txt`).
fn genesis_chain() -> (Header, Vec<(String, [u8; 64])>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../x16s/tests/vectors/x16s.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let header_line = text
        .lines()
        .skip_while(|l| !l.starts_with("## mainnet genesis header"))
        .nth(1)
        .expect("the genesis header line");
    let header = Header::from_slice(&unhex(header_line)).expect("80 bytes");
    let steps = text
        .lines()
        .filter_map(|l| l.strip_prefix("step "))
        .map(|l| {
            let [_, name, digest] = l.split_whitespace().collect::<Vec<_>>()[..] else {
                panic!("bad step line {l}");
            };
            (name.to_owned(), unhex(digest).try_into().expect("64 bytes"))
        })
        .collect::<Vec<_>>();
    assert_eq!(steps.len(), 16, "the vectors have 16 steps");
    (header, steps)
}

/// The bytes the CPU reference hashes for `header` with `nonce`.
fn with_nonce(header: &Header, nonce: u32) -> [u8; 80] {
    header.with_nonce(nonce).encode()
}

/// A previous hash whose X16S order is `order`: moving `order[15]`, then `order[14]`,
/// ..., then `order[0]` to the front of `0..16` leaves exactly `order`.
fn previous_hash_for(order: [u8; 16]) -> [u8; 32] {
    let mut list: Vec<u8> = (0..16).collect();
    let mut prev = [0u8; 32];
    for (i, &function) in order.iter().rev().enumerate() {
        let position = list
            .iter()
            .position(|&f| f == function)
            .expect("a permutation") as u8;
        list.remove(usize::from(position));
        list.insert(0, function);
        let byte = &mut prev[(15 - i) / 2];
        *byte |= if i % 2 == 0 { position << 4 } else { position };
    }
    assert_eq!(x16s::order(&prev), order);
    prev
}

fn random_header(rng: &mut StdRng, order: [u8; 16]) -> Header {
    Header {
        prev_hash: previous_hash_for(order),
        ..Header::decode(&rng.random())
    }
}

/// One function alone: the shared per-step vector, 40 nonces of random headers as the
/// first step, and 40 random 64-byte states as a middle step.
fn check_function(name: &str) {
    let function = index_of(name);
    let (genesis, steps) = genesis_chain();
    let step = steps
        .iter()
        .position(|(n, _)| n == name)
        .expect("a step per function");
    let mut rng = StdRng::seed_from_u64(function as u64);
    let header = Header::decode(&rng.random());
    let states: Vec<[u8; 64]> = (0..40).map(|_| rng.random()).collect();
    for kernels in kernels() {
        let mode = kernels.mode();
        let vector = if step == 0 {
            let input = Input::Header {
                header: &genesis,
                nonce_base: genesis.nonce,
                count: 1,
            };
            kernels.step_digests(function, input)
        } else {
            kernels.step_digests(function, Input::States(&[steps[step - 1].1]))
        }
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            hex::encode(vector[0]),
            hex::encode(steps[step].1),
            "{name} ({mode}) on the genesis chain's step {step}"
        );

        let base = 0xffff_ffe0; // wraps past u32::MAX
        let input = Input::Header {
            header: &header,
            nonce_base: base,
            count: 40,
        };
        let digests = kernels
            .step_digests(function, input)
            .unwrap_or_else(|e| panic!("{e}"));
        for (i, digest) in digests.iter().enumerate() {
            let nonce = base.wrapping_add(i as u32);
            let expected = (FUNCTIONS[function].digest)(&with_nonce(&header, nonce));
            assert_eq!(
                hex::encode(digest),
                hex::encode(expected),
                "{name} ({mode}) first, nonce {nonce:#x}"
            );
        }

        let digests = kernels
            .step_digests(function, Input::States(&states))
            .unwrap_or_else(|e| panic!("{e}"));
        for (state, digest) in states.iter().zip(&digests) {
            let expected = (FUNCTIONS[function].digest)(state);
            assert_eq!(
                hex::encode(digest),
                hex::encode(expected),
                "{name} ({mode}) on state {}",
                hex::encode(state)
            );
        }
    }
}

macro_rules! function_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_function(stringify!($name));
            }
        )*
    };
}

function_tests!(
    blake512,
    bmw512,
    groestl512,
    jh512,
    keccak512,
    skein512,
    luffa512,
    cubehash512,
    shavite512,
    simd512,
    echo512,
    hamsi512,
    fugue512,
    shabal512,
    whirlpool,
    sha512,
);

/// Full X16S on 16 orders forming a Latin square (every function in every position
/// once), plus 4 random orders, 16 nonces each, against `x16s::hash`.
#[test]
fn full_chain_with_every_function_in_every_position() {
    let mut rng = StdRng::seed_from_u64(16);
    let mut orders: Vec<[u8; 16]> = (0..16u8)
        .map(|shift| core::array::from_fn(|p| (p as u8 + shift) % 16))
        .collect();
    for _ in 0..4 {
        let prev: [u8; 32] = rng.random();
        orders.push(x16s::order(&prev));
    }
    for kernels in kernels() {
        for order in &orders {
            let header = random_header(&mut rng, *order);
            let base: u32 = rng.random();
            let digests = kernels
                .chain_digests(&header, base, 16)
                .unwrap_or_else(|e| panic!("{e}"));
            for (i, digest) in digests.iter().enumerate() {
                let nonce = base.wrapping_add(i as u32);
                let expected = x16s::hash(&with_nonce(&header, nonce));
                assert_eq!(
                    hex::encode(&digest[..32]),
                    hex::encode(expected),
                    "order {order:x?} ({}), nonce {nonce:#x}",
                    kernels.mode()
                );
            }
        }
    }
}

/// An easy target (about 1 hash in 256 meets it).
fn easy_target() -> Target {
    Target::from_compact(0x2000_ffff).expect("a valid compact target")
}

/// The GPU reports exactly the nonces whose CPU hash meets the target.
#[test]
fn search_finds_exactly_the_nonces_the_cpu_finds() {
    let mut rng = StdRng::seed_from_u64(7);
    let prev: [u8; 32] = rng.random();
    let header = random_header(&mut rng, x16s::order(&prev));
    let target = easy_target();
    let base = 1000;
    let mut expected: Vec<u32> = (base..base + 2048)
        .filter(|&nonce| target.is_met_by(&x16s::hash(&with_nonce(&header, nonce))))
        .collect();
    assert!(!expected.is_empty(), "the target is easy enough to be met");
    for kernels in kernels() {
        let mut found = kernels
            .search(&header, &target, base, 2048)
            .unwrap_or_else(|e| panic!("{e}"));
        found.nonces.sort_unstable();
        expected.sort_unstable();
        assert_eq!(found.count as usize, expected.len(), "{}", kernels.mode());
        assert_eq!(found.nonces, expected, "{}", kernels.mode());
    }
}

/// The miner returns a solution the CPU check accepted, and stops at a pause.
#[test]
fn miner_solves_and_pauses() {
    let gpu = kernels()[0].gpu().clone();
    let mode = kernels()[0].mode();
    let mut miner = GpuSearch::new(
        Kernels::new(gpu, mode, 64).expect("kernels"),
        std::time::Duration::from_millis(50),
    );
    let mut rng = StdRng::seed_from_u64(8);
    let prev: [u8; 32] = rng.random();
    let job = Job {
        header: random_header(&mut rng, x16s::order(&prev)),
        target: easy_target(),
    };

    let Outcome::Solved(solution) = miner.search(&job, 0..1 << 20, |_| {}).expect("search") else {
        panic!("an easy target is met within 2^20 nonces");
    };
    assert_eq!(solution.header, job.header.with_nonce(solution.nonce));
    assert_eq!(solution.hash, x16s::hash(&solution.header.encode()));
    assert!(job.target.is_met_by(&solution.hash));

    let pause = miner.pause_switch();
    let impossible = Job {
        target: Target::from_le_bytes([0; 32]),
        ..job
    };
    let mut batches = 0;
    let outcome = miner
        .search(&impossible, 0..1 << 32, |progress| {
            batches += 1;
            assert_eq!(progress.rejected, 0);
            pause.pause();
        })
        .expect("search");
    assert_eq!(
        batches, 1,
        "the pause takes effect after the batch in flight"
    );
    let Outcome::Paused { next_nonce } = outcome else {
        panic!("paused, got {outcome:?}")
    };
    assert!(next_nonce > 0 && next_nonce < 1 << 32);
}

#[test]
fn word_modes_include_pairs() {
    assert!(kernels().iter().any(|k| k.mode() == WordMode::Pair));
}

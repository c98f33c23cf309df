//! Criterion benchmarks: X16S of 80-byte headers (with varying previous hashes, so
//! every function order is exercised) and each function on a 64-byte input, the
//! size it sees inside the chain. For the comparison with sphlib's C, run
//! `x16s bench` (see the crate README).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn chain(c: &mut Criterion) {
    let mut group = c.benchmark_group("x16s");
    group.throughput(Throughput::Elements(1));
    let mut header: [u8; 80] = std::array::from_fn(|i| (i * 7 + 1) as u8);
    let mut counter = 0u8;
    group.bench_function("hash_80_byte_header", |b| {
        b.iter(|| {
            counter = counter.wrapping_add(1);
            header[4 + usize::from(counter & 7)] = counter;
            x16s::hash(black_box(&header))
        })
    });
    group.finish();
}

fn functions(c: &mut Criterion) {
    let mut group = c.benchmark_group("function_64_bytes");
    let block: [u8; 64] = std::array::from_fn(|i| (i * 7 + 1) as u8);
    for function in &x16s::FUNCTIONS {
        group.bench_function(function.name, |b| {
            b.iter(|| (function.digest)(black_box(&block)))
        });
    }
    group.finish();
}

criterion_group!(benches, chain, functions);
criterion_main!(benches);

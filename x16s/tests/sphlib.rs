//! Differential tests against sphlib's C (the reference driver built by
//! `x16s/reference/build-sphlib`): each function on inputs of 0..=200 bytes, each
//! function first in the chain, and X16S on thousands of random headers. A missing
//! driver fails these tests.

mod common;

use common::{Random, Sphlib, hex};
use x16s::FUNCTIONS;

#[test]
fn every_function_matches_sphlib_on_inputs_of_0_to_200_bytes() {
    let sphlib = Sphlib::locate();
    let mut random = Random::new(1);
    let inputs: Vec<Vec<u8>> = (0..=200)
        .map(|len| {
            let mut input = vec![0u8; len];
            random.fill(&mut input);
            input
        })
        .collect();
    for (index, function) in FUNCTIONS.iter().enumerate() {
        for (input, expected) in inputs.iter().zip(sphlib.digests(index, &inputs)) {
            assert_eq!(
                hex(&(function.digest)(input)),
                hex(&expected),
                "{} of {} bytes",
                function.name,
                input.len()
            );
        }
    }
}

#[test]
fn every_function_first_in_the_order_matches_sphlib() {
    let sphlib = Sphlib::locate();
    let mut random = Random::new(2);
    let mut headers = Vec::new();
    for index in 0..16u8 {
        let header = std::iter::repeat_with(|| random.header())
            .find(|h| x16s::order(h[4..36].try_into().unwrap())[0] == index)
            .expect("some random header starts with each function");
        headers.push(header);
    }
    let headers_as_inputs: Vec<Vec<u8>> = headers.iter().map(|h| h.to_vec()).collect();
    for (index, header) in headers.iter().enumerate() {
        let expected = &sphlib.digests(index, &headers_as_inputs[index..=index])[0];
        assert_eq!(
            hex(&(FUNCTIONS[index].digest)(header)),
            hex(expected),
            "{} of a header",
            FUNCTIONS[index].name
        );
    }
    for (header, expected) in headers.iter().zip(sphlib.x16s(&headers)) {
        assert_eq!(
            hex(&x16s::hash(header)),
            hex(&expected),
            "X16S of {}",
            hex(header)
        );
    }
}

#[test]
fn x16s_matches_sphlib_on_random_headers() {
    let sphlib = Sphlib::locate();
    let mut random = Random::new(3);
    let headers: Vec<[u8; 80]> = (0..4000).map(|_| random.header()).collect();
    for (header, expected) in headers.iter().zip(sphlib.x16s(&headers)) {
        assert_eq!(
            hex(&x16s::hash(header)),
            hex(&expected),
            "X16S of {}",
            hex(header)
        );
    }
}

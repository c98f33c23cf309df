//! The 16 hash functions of X16S, each `fn(&[u8]) -> [u8; 64]`, in X16S index order.

/// Calls `step::<I>(args)` for each listed `I`: a loop whose index must be a
/// compile-time constant for the step to compile to straight code.
macro_rules! unroll {
    ($step:ident $args:tt; $($i:literal),*) => {
        $( $step::<$i> $args; )*
    };
}
pub(crate) use unroll;

mod blake;
mod bmw;
mod cubehash;
mod echo;
mod fugue;
mod groestl;
mod hamsi;
mod luffa;
mod rustcrypto;
mod shavite;
mod simd;
mod skein;
mod whirlpool;

pub use blake::blake512;
pub use bmw::bmw512;
pub use cubehash::cubehash512;
pub use echo::echo512;
pub use fugue::fugue512;
pub use groestl::groestl512;
pub use hamsi::hamsi512;
pub use luffa::luffa512;
pub use rustcrypto::{jh512, keccak512, sha512, shabal512};
pub use shavite::shavite512;
pub use simd::simd512;
pub use skein::skein512;
pub use whirlpool::whirlpool;

/// One of the 16 X16S hash functions: its sphlib name and the function itself.
#[derive(Clone, Copy, Debug)]
pub struct HashFunction {
    /// The function's name as in sphlib and the test vectors, e.g. `"blake512"`.
    pub name: &'static str,
    /// The function: any input to a 64-byte digest.
    pub digest: fn(&[u8]) -> [u8; 64],
}

/// The 16 functions in X16S index order (the digits of [`crate::order`]).
pub const FUNCTIONS: [HashFunction; 16] = [
    HashFunction {
        name: "blake512",
        digest: blake512,
    },
    HashFunction {
        name: "bmw512",
        digest: bmw512,
    },
    HashFunction {
        name: "groestl512",
        digest: groestl512,
    },
    HashFunction {
        name: "jh512",
        digest: jh512,
    },
    HashFunction {
        name: "keccak512",
        digest: keccak512,
    },
    HashFunction {
        name: "skein512",
        digest: skein512,
    },
    HashFunction {
        name: "luffa512",
        digest: luffa512,
    },
    HashFunction {
        name: "cubehash512",
        digest: cubehash512,
    },
    HashFunction {
        name: "shavite512",
        digest: shavite512,
    },
    HashFunction {
        name: "simd512",
        digest: simd512,
    },
    HashFunction {
        name: "echo512",
        digest: echo512,
    },
    HashFunction {
        name: "hamsi512",
        digest: hamsi512,
    },
    HashFunction {
        name: "fugue512",
        digest: fugue512,
    },
    HashFunction {
        name: "shabal512",
        digest: shabal512,
    },
    HashFunction {
        name: "whirlpool",
        digest: whirlpool,
    },
    HashFunction {
        name: "sha512",
        digest: sha512,
    },
];

/// Asserts that a function's portable code (what wasm runs) gives the digests of the
/// code its public function dispatches to on this machine (which the differential
/// tests check against sphlib), for every message length up to 300 bytes: several
/// blocks of every function, and every tail and padding case.
#[cfg(test)]
fn assert_portable_matches_dispatched(
    portable: fn(&[u8]) -> [u8; 64],
    dispatched: fn(&[u8]) -> [u8; 64],
) {
    let data: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
    for len in 0..=data.len() {
        assert_eq!(
            portable(&data[..len]),
            dispatched(&data[..len]),
            "{len} bytes"
        );
    }
}

//! The 16 hash functions of X16S, each `fn(&[u8]) -> [u8; 64]`, in X16S index order.

mod blake;
mod bmw;
mod cubehash;
mod echo;
mod fugue;
mod hamsi;
mod luffa;
mod rustcrypto;
mod shavite;
mod simd;

pub use blake::blake512;
pub use bmw::bmw512;
pub use cubehash::cubehash512;
pub use echo::echo512;
pub use fugue::fugue512;
pub use hamsi::hamsi512;
pub use luffa::luffa512;
pub use rustcrypto::{groestl512, jh512, keccak512, sha512, shabal512, skein512, whirlpool};
pub use shavite::shavite512;
pub use simd::simd512;

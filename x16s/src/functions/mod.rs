//! The 16 hash functions of X16S, each `fn(&[u8]) -> [u8; 64]`, in X16S index order.

mod echo;
mod fugue;
mod hamsi;
mod simd;

pub use echo::echo512;
pub use fugue::fugue512;
pub use hamsi::hamsi512;
pub use simd::simd512;

//! The four X16S functions that RustCrypto crates compute exactly as sphlib does
//! (checked by the known-answer and differential tests), and the adapter that the
//! portable paths of Grøstl-512 and Whirlpool share. They live in one file because each is a
//! one-line adapter to [`Digest`]; the functions written here get a file of their own.

use sha2::digest::Digest;

/// Any 512-bit [`Digest`] of `data`, as an array.
pub(super) fn digest512<D: Digest>(data: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out.copy_from_slice(&D::digest(data));
    out
}

/// JH-512 (final round version, 42 rounds).
pub fn jh512(data: &[u8]) -> [u8; 64] {
    digest512::<jh::Jh512>(data)
}

/// Keccak-512 with the original Keccak padding (0x01), not SHA3-512's.
pub fn keccak512(data: &[u8]) -> [u8; 64] {
    digest512::<sha3::Keccak512>(data)
}

/// Shabal-512.
pub fn shabal512(data: &[u8]) -> [u8; 64] {
    digest512::<shabal::Shabal512>(data)
}

/// SHA-512.
pub fn sha512(data: &[u8]) -> [u8; 64] {
    digest512::<sha2::Sha512>(data)
}

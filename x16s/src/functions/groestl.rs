//! Grøstl-512 (final round version, Gauravaram et al., "Grøstl – a SHA-3 candidate"
//! v2.0.1), as in sphlib.
//!
//! The portable path is the RustCrypto `groestl` crate (checked against sphlib by the
//! known-answer and differential tests); on x86-64 with AES-NI our own
//! implementation on AES rounds takes over.

#[cfg(target_arch = "x86_64")]
mod aes_ni;

/// Grøstl-512 digest of `data`.
///
/// On x86-64 processors with AES-NI and SSSE3 the permutations use them (detected at
/// run time); everywhere else, and as the reference, the RustCrypto crate.
pub fn groestl512(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_aes_ni() {
        return aes_ni::digest(data);
    }
    portable(data)
}

/// The portable Grøstl-512: RustCrypto's.
fn portable(data: &[u8]) -> [u8; 64] {
    super::rustcrypto::digest512::<groestl::Groestl512>(data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(super::portable, super::groestl512);
    }
}

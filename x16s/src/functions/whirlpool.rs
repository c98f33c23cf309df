//! Whirlpool (Barreto and Rijmen, the final ISO/IEC 10118-3 version), as in sphlib.
//!
//! The portable path is the RustCrypto `whirlpool` crate (checked against sphlib by
//! the known-answer and differential tests); on x86-64 with AVX-512 VBMI and GFNI our
//! own implementation, with the whole 8 × 8 byte state in one register, takes over.

#[cfg(target_arch = "x86_64")]
mod avx512;

/// Whirlpool digest of `data`.
///
/// On x86-64 processors with AVX-512 (F, BW, VBMI) and GFNI the rounds use them
/// (detected at run time); everywhere else, and as the reference, the RustCrypto crate.
pub fn whirlpool(data: &[u8]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512vbmi_gfni() {
        // SAFETY: AVX-512F, BW, VBMI and GFNI have just been detected.
        return unsafe { avx512::digest(data) };
    }
    portable(data)
}

/// The portable Whirlpool: RustCrypto's.
fn portable(data: &[u8]) -> [u8; 64] {
    super::rustcrypto::digest512::<::whirlpool::Whirlpool>(data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn portable_matches_dispatched() {
        super::super::assert_portable_matches_dispatched(super::portable, super::whirlpool);
    }
}

//! Runtime detection of the x86_64 features that the fast paths use (no_std, via
//! `cpufeatures`). Every fast path is the portable code compiled a second time with
//! the feature enabled, or an intrinsic with the same result, chosen per call.

cpufeatures::new!(avx2, "avx2");
cpufeatures::new!(aes_ni, "aes", "sse2", "ssse3");
cpufeatures::new!(gfni_avx, "gfni", "avx");
cpufeatures::new!(vaes_gfni, "vaes", "gfni", "avx2", "aes", "ssse3");
cpufeatures::new!(avx512vl, "avx512f", "avx512vl");
cpufeatures::new!(avx512vbmi_gfni, "avx512f", "avx512bw", "avx512vbmi", "gfni");

/// Whether the CPU has AVX2.
pub(crate) fn has_avx2() -> bool {
    avx2::get()
}

/// Whether the CPU has AES-NI, and with it SSSE3 (every processor with AES-NI has
/// it; Fugue's fast path shuffles bytes with it).
pub(crate) fn has_aes_ni() -> bool {
    aes_ni::get()
}

/// Whether the CPU has VAES and GFNI (AES rounds and GF(2^8) products on 256-bit
/// registers), with AVX2, AES-NI and SSSE3.
pub(crate) fn has_vaes_gfni() -> bool {
    vaes_gfni::get()
}

/// Whether the CPU has GFNI (products in GF(2^8), the AES field, on whole registers)
/// and AVX (three-operand forms of the SSE instructions).
pub(crate) fn has_gfni_avx() -> bool {
    gfni_avx::get()
}

/// Whether the CPU has AVX-512F with AVX-512VL (the AVX-512 instructions, such as
/// ternary logic, rotations and two-table permutes, on 256-bit registers).
pub(crate) fn has_avx512vl() -> bool {
    avx512vl::get()
}

/// Whether the CPU has AVX-512F, BW and VBMI (byte permutes across a 512-bit register)
/// and GFNI.
pub(crate) fn has_avx512vbmi_gfni() -> bool {
    avx512vbmi_gfni::get()
}

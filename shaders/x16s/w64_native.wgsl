// 64-bit words as native u64: adapters with wgpu's SHADER_INT64 feature.
// The same operations as w64_pair.wgsl; hash functions use only these.

alias w64 = u64;

fn w64c(hi: u32, lo: u32) -> w64 { return (u64(hi) << 32u) | u64(lo); }
fn w64_lo(a: w64) -> u32 { return u32(a & 0xfffffffflu); }
fn w64_hi(a: w64) -> u32 { return u32(a >> 32u); }
fn w64_add(a: w64, b: w64) -> w64 { return a + b; }
fn w64_sub(a: w64, b: w64) -> w64 { return a - b; }
fn w64_xor(a: w64, b: w64) -> w64 { return a ^ b; }
fn w64_and(a: w64, b: w64) -> w64 { return a & b; }
fn w64_or(a: w64, b: w64) -> w64 { return a | b; }
fn w64_not(a: w64) -> w64 { return ~a; }
fn w64_shl(a: w64, n: u32) -> w64 { return a << n; }
fn w64_shr(a: w64, n: u32) -> w64 { return a >> n; }
fn w64_rotl(a: w64, n: u32) -> w64 { return (a << n) | (a >> ((64u - n) & 63u)); }
fn w64_rotr(a: w64, n: u32) -> w64 { return (a >> n) | (a << ((64u - n) & 63u)); }

// 64-bit words as pairs of u32 (x: low half, y: high half): any adapter.
// The same operations as w64_native.wgsl; hash functions use only these.
// Rotation and shift counts are in 0..64.

alias w64 = vec2<u32>;

fn w64c(hi: u32, lo: u32) -> w64 { return vec2<u32>(lo, hi); }
fn w64_lo(a: w64) -> u32 { return a.x; }
fn w64_hi(a: w64) -> u32 { return a.y; }
fn w64_add(a: w64, b: w64) -> w64 {
    let lo = a.x + b.x;
    return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn w64_sub(a: w64, b: w64) -> w64 {
    return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}
fn w64_xor(a: w64, b: w64) -> w64 { return a ^ b; }
fn w64_and(a: w64, b: w64) -> w64 { return a & b; }
fn w64_or(a: w64, b: w64) -> w64 { return a | b; }
fn w64_not(a: w64) -> w64 { return ~a; }
fn w64_shl(a: w64, n: u32) -> w64 {
    if (n == 0u) { return a; }
    if (n >= 32u) { return vec2<u32>(0u, a.x << (n - 32u)); }
    return vec2<u32>(a.x << n, (a.y << n) | (a.x >> (32u - n)));
}
fn w64_shr(a: w64, n: u32) -> w64 {
    if (n == 0u) { return a; }
    if (n >= 32u) { return vec2<u32>(a.y >> (n - 32u), 0u); }
    return vec2<u32>((a.x >> n) | (a.y << (32u - n)), a.y >> n);
}
fn w64_rotr(a: w64, n: u32) -> w64 {
    if (n == 0u) { return a; }
    if (n == 32u) { return a.yx; }
    if (n < 32u) {
        return vec2<u32>((a.x >> n) | (a.y << (32u - n)), (a.y >> n) | (a.x << (32u - n)));
    }
    let m = n - 32u;
    return vec2<u32>((a.y >> m) | (a.x << (32u - m)), (a.x >> m) | (a.y << (32u - m)));
}
fn w64_rotl(a: w64, n: u32) -> w64 { return w64_rotr(a, (64u - n) & 63u); }

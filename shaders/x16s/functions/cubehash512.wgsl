// CubeHash16/32-512 (CubeHash "rev2": r = 16 rounds per b = 32-byte block, 10r
// rounds of initialization and finalization), as sphlib's sph_cubehash512.
//
// The 32-word state x[00000..11111] is kept as eight vec4s: x0..x3 hold x[0jklm]
// (words 0..15), y0..y3 hold x[1jklm] (words 16..31), 4 consecutive words each.
// The round's swaps then become vec4 exchanges and swizzles.

struct CubehashState {
    x0: vec4<u32>, x1: vec4<u32>, x2: vec4<u32>, x3: vec4<u32>,
    y0: vec4<u32>, y1: vec4<u32>, y2: vec4<u32>, y3: vec4<u32>,
}

// The state after initialization with h/8 = 64, b = 32, r = 16 (x0 = 64, x1 = 32,
// x2 = 16, then 10r rounds); the same words as sphlib's IV512.
const CUBEHASH512_IV = CubehashState(
    vec4<u32>(0x2aea2a61u, 0x50f494d4u, 0x2d538b8bu, 0x4167d83eu),
    vec4<u32>(0x3fee2313u, 0xc701cf8cu, 0xcc39968eu, 0x50ac5695u),
    vec4<u32>(0x4d42c787u, 0xa647a8b3u, 0x97cf0befu, 0x825b4537u),
    vec4<u32>(0xeef864d2u, 0xf22090c4u, 0xd0e5cd33u, 0xa23911aeu),
    vec4<u32>(0xfcd398d9u, 0x148fe485u, 0x1b017befu, 0xb6444532u),
    vec4<u32>(0x6a536159u, 0x2ff5781cu, 0x91fa7934u, 0x0dbadea9u),
    vec4<u32>(0xd65c8a2bu, 0xa5a70e75u, 0xb1c62456u, 0xbc796576u),
    vec4<u32>(0x1921c8f7u, 0xe7989af1u, 0x7795d246u, 0xd43e3b44u),
);

fn cubehash512_rotl(v: vec4<u32>, n: u32) -> vec4<u32> {
    return (v << vec4<u32>(n)) | (v >> vec4<u32>(32u - n));
}

// `count` CubeHash rounds.
fn cubehash512_rounds(state: CubehashState, count: u32) -> CubehashState {
    var s = state;
    for (var r = 0u; r < count; r++) {
        // Add x[0jklm] into x[1jklm]; rotate x[0jklm] left by 7; swap x[00klm] with
        // x[01klm]; xor x[1jklm] into x[0jklm]; swap x[1jk0m] with x[1jk1m].
        s.y0 += s.x0; s.y1 += s.x1; s.y2 += s.x2; s.y3 += s.x3;
        var t0 = cubehash512_rotl(s.x2, 7u); var t1 = cubehash512_rotl(s.x3, 7u);
        var t2 = cubehash512_rotl(s.x0, 7u); var t3 = cubehash512_rotl(s.x1, 7u);
        s.x0 = t0 ^ s.y0; s.x1 = t1 ^ s.y1; s.x2 = t2 ^ s.y2; s.x3 = t3 ^ s.y3;
        s.y0 = s.y0.zwxy; s.y1 = s.y1.zwxy; s.y2 = s.y2.zwxy; s.y3 = s.y3.zwxy;
        // Add x[0jklm] into x[1jklm]; rotate x[0jklm] left by 11; swap x[0j0lm] with
        // x[0j1lm]; xor x[1jklm] into x[0jklm]; swap x[1jkl0] with x[1jkl1].
        s.y0 += s.x0; s.y1 += s.x1; s.y2 += s.x2; s.y3 += s.x3;
        t0 = cubehash512_rotl(s.x1, 11u); t1 = cubehash512_rotl(s.x0, 11u);
        t2 = cubehash512_rotl(s.x3, 11u); t3 = cubehash512_rotl(s.x2, 11u);
        s.x0 = t0 ^ s.y0; s.x1 = t1 ^ s.y1; s.x2 = t2 ^ s.y2; s.x3 = t3 ^ s.y3;
        s.y0 = s.y0.yxwz; s.y1 = s.y1.yxwz; s.y2 = s.y2.yxwz; s.y3 = s.y3.yxwz;
    }
    return s;
}

fn cubehash512_prepare(lid: u32) {}

fn cubehash512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The padded message: MSG_BYTES bytes, 0x80, zeros to a whole number of blocks.
    const BLOCKS = MSG_BYTES / 32u + 1u;
    var m: array<u32, 24>; // zero-initialized
    for (var i = 0u; i < MSG_BYTES / 4u; i++) { m[i] = (*msg)[i]; }
    m[MSG_BYTES / 4u] = 0x80u;

    // Each block is xored into the first 8 words, then r rounds.
    var s = CUBEHASH512_IV;
    for (var b = 0u; b < BLOCKS; b++) {
        s.x0 ^= vec4<u32>(m[8u * b], m[8u * b + 1u], m[8u * b + 2u], m[8u * b + 3u]);
        s.x1 ^= vec4<u32>(m[8u * b + 4u], m[8u * b + 5u], m[8u * b + 6u], m[8u * b + 7u]);
        s = cubehash512_rounds(s, 16u);
    }
    // Finalization: xor 1 into x[11111], then 10r rounds.
    s.y3.w ^= 1u;
    s = cubehash512_rounds(s, 160u);

    // The digest: words x[00000..01111], little-endian.
    var out: array<u32, 16>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = s.x0[i]; out[4u + i] = s.x1[i]; out[8u + i] = s.x2[i]; out[12u + i] = s.x3[i];
    }
    return out;
}

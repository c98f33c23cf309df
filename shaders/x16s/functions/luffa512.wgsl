// Luffa-512 (Luffa v2: w = 5 sub-permutations Q_0..Q_4 of 8 steps on 256-bit words,
// 32-byte message blocks read as big-endian words), as sphlib's sph_luffa512.

// A 256-bit word as eight 32-bit words a0..a7: lo = (a0, a1, a2, a3), hi = (a4, .., a7);
// a7 is the most significant in the GF(2^256) arithmetic of the message injection.
struct LuffaWord {
    lo: vec4<u32>,
    hi: vec4<u32>,
}

// The chaining values V_0..V_4, as named words (never indexed at run time).
struct LuffaState {
    v0: LuffaWord, v1: LuffaWord, v2: LuffaWord, v3: LuffaWord, v4: LuffaWord,
}

// The initial chaining values (the spec's IV; sphlib's V_INIT).
const LUFFA512_IV = LuffaState(
    LuffaWord(vec4<u32>(0x6d251e69u, 0x44b051e0u, 0x4eaa6fb4u, 0xdbf78465u),
              vec4<u32>(0x6e292011u, 0x90152df4u, 0xee058139u, 0xdef610bbu)),
    LuffaWord(vec4<u32>(0xc3b44b95u, 0xd9d2f256u, 0x70eee9a0u, 0xde099fa3u),
              vec4<u32>(0x5d9b0557u, 0x8fc944b3u, 0xcf1ccf0eu, 0x746cd581u)),
    LuffaWord(vec4<u32>(0xf7efc89du, 0x5dba5781u, 0x04016ce5u, 0xad659c05u),
              vec4<u32>(0x0306194fu, 0x666d1836u, 0x24aa230au, 0x8b264ae7u)),
    LuffaWord(vec4<u32>(0x858075d5u, 0x36d79cceu, 0xe571f7d7u, 0x204b1f67u),
              vec4<u32>(0x35870c6au, 0x57e9e923u, 0x14bcb808u, 0x7cde72ceu)),
    LuffaWord(vec4<u32>(0x6c68e9beu, 0x5ec41e22u, 0xc825b7c7u, 0xaffb4363u),
              vec4<u32>(0xf5df3999u, 0x0fc688f1u, 0xb07224ccu, 0x03e86ceau)),
);

// Step constants of Q_j (the spec's, as sphlib's RC<j>0/RC<j>4): entry 8j + r holds
// the constants added to a0 and a4 at step r.
const LUFFA512_RC = array<vec2<u32>, 40>(
    vec2u(0x303994a6u, 0xe0337818u), vec2u(0xc0e65299u, 0x441ba90du), vec2u(0x6cc33a12u, 0x7f34d442u), vec2u(0xdc56983eu, 0x9389217fu),
    vec2u(0x1e00108fu, 0xe5a8bce6u), vec2u(0x7800423du, 0x5274baf4u), vec2u(0x8f5b7882u, 0x26889ba7u), vec2u(0x96e1db12u, 0x9a226e9du),
    vec2u(0xb6de10edu, 0x01685f3du), vec2u(0x70f47aaeu, 0x05a17cf4u), vec2u(0x0707a3d4u, 0xbd09cacau), vec2u(0x1c1e8f51u, 0xf4272b28u),
    vec2u(0x707a3d45u, 0x144ae5ccu), vec2u(0xaeb28562u, 0xfaa7ae2bu), vec2u(0xbaca1589u, 0x2e48f1c1u), vec2u(0x40a46f3eu, 0xb923c704u),
    vec2u(0xfc20d9d2u, 0xe25e72c1u), vec2u(0x34552e25u, 0xe623bb72u), vec2u(0x7ad8818fu, 0x5c58a4a4u), vec2u(0x8438764au, 0x1e38e2e7u),
    vec2u(0xbb6de032u, 0x78e38b9du), vec2u(0xedb780c8u, 0x27586719u), vec2u(0xd9847356u, 0x36eda57fu), vec2u(0xa2c78434u, 0x703aace7u),
    vec2u(0xb213afa5u, 0xe028c9bfu), vec2u(0xc84ebe95u, 0x44756f91u), vec2u(0x4e608a22u, 0x7e8fce32u), vec2u(0x56d858feu, 0x956548beu),
    vec2u(0x343b138fu, 0xfe191be2u), vec2u(0xd0ec4e3du, 0x3cb226e5u), vec2u(0x2ceb4882u, 0x5944a28eu), vec2u(0xb3ad2208u, 0xa1c4c355u),
    vec2u(0xf0d2e9e3u, 0x5090d577u), vec2u(0xac11d7fau, 0x2d1925abu), vec2u(0x1bcb66f2u, 0xb46496acu), vec2u(0x6f2d9bc9u, 0xd1925ab0u),
    vec2u(0x78602649u, 0x29131ab6u), vec2u(0x8edae952u, 0x0fc053c3u), vec2u(0x3b6ba548u, 0x3f014f0cu), vec2u(0xedae9520u, 0xfc053c31u),
);

// LUFFA512_RC in workgroup memory (320 bytes): indexed by run-time step numbers, a
// const array would be copied whole at each lookup.
var<workgroup> luffa512_rc: array<vec2<u32>, 40>;

fn luffa512_xor(a: LuffaWord, b: LuffaWord) -> LuffaWord { return LuffaWord(a.lo ^ b.lo, a.hi ^ b.hi); }

// Multiplication by 2 in GF(2^256) with Luffa's polynomial x^256 + x^10 + x^5 + x^2 + 1
// (on 32-bit words: the top word a7 goes into a0, a1, a3 and a4).
fn luffa512_times2(x: LuffaWord) -> LuffaWord {
    let top = x.hi.w;
    return LuffaWord(vec4<u32>(top, x.lo.x ^ top, x.lo.y, x.lo.z ^ top),
                     vec4<u32>(x.lo.w ^ top, x.hi.x, x.hi.y, x.hi.z));
}

// The xor of V_0..V_4.
fn luffa512_sum(v: LuffaState) -> LuffaWord {
    return luffa512_xor(luffa512_xor(luffa512_xor(v.v0, v.v1), luffa512_xor(v.v2, v.v3)), v.v4);
}

// The message injection MI for w = 5 (the spec's figure, as sphlib's MI5).
fn luffa512_inject(v: LuffaState, m: LuffaWord) -> LuffaState {
    let sum = luffa512_times2(luffa512_sum(v));
    var a0 = luffa512_xor(v.v0, sum);
    var a1 = luffa512_xor(v.v1, sum);
    var a2 = luffa512_xor(v.v2, sum);
    var a3 = luffa512_xor(v.v3, sum);
    var a4 = luffa512_xor(v.v4, sum);
    let b = luffa512_xor(luffa512_times2(a0), a1);
    a1 = luffa512_xor(luffa512_times2(a1), a2);
    a2 = luffa512_xor(luffa512_times2(a2), a3);
    a3 = luffa512_xor(luffa512_times2(a3), a4);
    a4 = luffa512_xor(luffa512_times2(a4), a0);
    a0 = luffa512_xor(luffa512_times2(b), a4);
    a4 = luffa512_xor(luffa512_times2(a4), a3);
    a3 = luffa512_xor(luffa512_times2(a3), a2);
    a2 = luffa512_xor(luffa512_times2(a2), a1);
    a1 = luffa512_xor(luffa512_times2(a1), b);
    // V_j ^= M * 2^j.
    let m2 = luffa512_times2(m);
    let m4 = luffa512_times2(m2);
    let m8 = luffa512_times2(m4);
    let m16 = luffa512_times2(m8);
    return LuffaState(luffa512_xor(a0, m), luffa512_xor(a1, m2), luffa512_xor(a2, m4),
                      luffa512_xor(a3, m8), luffa512_xor(a4, m16));
}

// SubCrumb: the 4-bit S-box, bitsliced over the four words (a0, a1, a2, a3) of x.
fn luffa512_sub_crumb(x: vec4<u32>) -> vec4<u32> {
    var a0 = x.x; var a1 = x.y; var a2 = x.z; var a3 = x.w;
    var t = a0;
    a0 |= a1; a2 ^= a3; a1 = ~a1; a0 ^= a3; a3 &= t; a1 ^= a3; a3 ^= a2;
    a2 &= a0; a0 = ~a0; a2 ^= a1; a1 |= a3; t ^= a1; a3 ^= a2; a2 &= a1; a1 ^= a0;
    return vec4<u32>(t, a1, a2, a3);
}

fn luffa512_rotl(x: vec4<u32>, n: u32) -> vec4<u32> {
    return (x << vec4<u32>(n)) | (x >> vec4<u32>((32u - n) & 31u));
}

// Q_j: the tweak (a4..a7 rotated left by j), then 8 steps of SubCrumb, MixWord and
// AddConstant.
fn luffa512_q(w: LuffaWord, j: u32) -> LuffaWord {
    var lo = w.lo;
    var hi = luffa512_rotl(w.hi, j);
    for (var r = 0u; r < 8u; r++) {
        // SubCrumb on (a0, a1, a2, a3) and on (a5, a6, a7, a4).
        lo = luffa512_sub_crumb(lo);
        hi = luffa512_sub_crumb(hi.yzwx).wxyz;
        // MixWord on the pairs (a_k, a_{k+4}), k = 0..3.
        hi ^= lo;
        lo = luffa512_rotl(lo, 2u) ^ hi;
        hi = luffa512_rotl(hi, 14u) ^ lo;
        lo = luffa512_rotl(lo, 10u) ^ hi;
        hi = luffa512_rotl(hi, 1u);
        // AddConstant.
        let c = luffa512_rc[8u * j + r];
        lo.x ^= c.x;
        hi.x ^= c.y;
    }
    return LuffaWord(lo, hi);
}

fn luffa512_prepare(lid: u32) {
    for (var i = lid; i < 40u; i += WORKGROUP_SIZE) { luffa512_rc[i] = LUFFA512_RC[i]; }
}

fn luffa512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The padded message (MSG_BYTES bytes, 0x80, zeros) as big-endian words, in
    // 32-byte blocks, then two blank blocks for the two output rounds.
    const BLOCKS = MSG_BYTES / 32u + 1u;
    var m: array<u32, 40>; // zero-initialized
    for (var i = 0u; i < MSG_BYTES / 4u; i++) { m[i] = bswap32((*msg)[i]); }
    m[MSG_BYTES / 4u] = 0x80000000u;

    var v = LUFFA512_IV;
    var out: array<u32, 16>;
    for (var b = 0u; b < BLOCKS + 2u; b++) {
        // A round: message injection, then the permutation Q_0..Q_4.
        let k = 8u * b;
        v = luffa512_inject(v, LuffaWord(vec4<u32>(m[k], m[k + 1u], m[k + 2u], m[k + 3u]),
                                         vec4<u32>(m[k + 4u], m[k + 5u], m[k + 6u], m[k + 7u])));
        v = LuffaState(luffa512_q(v.v0, 0u), luffa512_q(v.v1, 1u), luffa512_q(v.v2, 2u),
                       luffa512_q(v.v3, 3u), luffa512_q(v.v4, 4u));
        // After each blank round, 256 output bits: the xor of V_0..V_4, big-endian.
        if (b >= BLOCKS) {
            let y = luffa512_sum(v);
            let o = 8u * (b - BLOCKS);
            for (var i = 0u; i < 4u; i++) {
                out[o + i] = bswap32(y.lo[i]);
                out[o + 4u + i] = bswap32(y.hi[i]);
            }
        }
    }
    return out;
}

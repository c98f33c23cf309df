// requires: aes
// SHAvite-3-512 (second-round tweaked version), as sphlib's sph_shavite512, of the
// MSG_BYTES-byte message: one 128-byte block through the compression function C_512,
// a Davies-Meyer 14-round Feistel cipher whose round keys are expanded on the fly.

// The IV, as four 128-bit quarters.
const SHAVITE512_IV = array<vec4<u32>, 4>(
    vec4<u32>(0x72fccdd8u, 0x79ca4727u, 0x128a077bu, 0x40d55aecu),
    vec4<u32>(0xd1901a06u, 0x430ae307u, 0xb29f5cd1u, 0xdf07fbfcu),
    vec4<u32>(0x8e45d73du, 0x681ab538u, 0xbde86578u, 0xdd577e47u),
    vec4<u32>(0xe275eadeu, 0x502d9fcdu, 0xb9357178u, 0x022a4b9au)
);

// The 128-bit bit counter (the message length in bits, then three zero words) enters
// the nonlinear key chunks 1, 5, 9, 13 (round-key words 32, 164, 316, 440): for chunk
// 4k + 1 in group (SHAVITE512_COUNTER_GROUP >> 4k) & 15, its first word at lane
// (SHAVITE512_COUNTER_LANE >> 4k) & 15, lane 3 complemented. Packed as nibbles so that
// no array is indexed at run time.
const SHAVITE512_COUNTER_GROUP = 0x6710u;
const SHAVITE512_COUNTER_LANE = 0x1230u;

fn shavite512_prepare(lid: u32) { aes_prepare(lid); }

// Nonlinear expansion of round-key group g in round r (odd):
// rk[u..u+4] = AES(rk[u-31], rk[u-30], rk[u-29], rk[u-32]) ^ rk[u-4..u], and the counter.
fn shavite512_nonlinear(rk: ptr<function, array<vec4<u32>, 8>>, g: u32, r: u32, bits: u32) {
    var x = aes_round((*rk)[g].yzwx) ^ (*rk)[(g + 7u) % 8u];
    let k = r / 4u;
    if (r % 4u == 1u && g == ((SHAVITE512_COUNTER_GROUP >> (4u * k)) & 0xfu)) {
        let lane = (SHAVITE512_COUNTER_LANE >> (4u * k)) & 0xfu;
        x ^= select(vec4<u32>(0u), vec4<u32>(bits), vec4<u32>(0u, 1u, 2u, 3u) == vec4<u32>(lane));
        x.w ^= 0xffffffffu;
    }
    (*rk)[g] = x;
}

// Linear expansion of round-key group g: rk[u] = rk[u-32] ^ rk[u-7].
fn shavite512_linear(rk: ptr<function, array<vec4<u32>, 8>>, g: u32) {
    (*rk)[g] ^= vec4<u32>((*rk)[(g + 6u) % 8u].yzw, (*rk)[(g + 7u) % 8u].x);
}

// A Feistel function: four AES rounds of x, keyed by round-key groups g..g+4.
fn shavite512_f(x: vec4<u32>, rk: ptr<function, array<vec4<u32>, 8>>, g: u32) -> vec4<u32> {
    let x1 = aes_round(x ^ (*rk)[g]);
    let x2 = aes_round(x1 ^ (*rk)[g + 1u]);
    let x3 = aes_round(x2 ^ (*rk)[g + 2u]);
    return aes_round(x3 ^ (*rk)[g + 3u]);
}

// Words 4g..4g+4 of the padded block.
fn shavite512_block_group(block: ptr<function, array<u32, 32>>, g: u32) -> vec4<u32> {
    return vec4<u32>((*block)[4u * g], (*block)[4u * g + 1u], (*block)[4u * g + 2u], (*block)[4u * g + 3u]);
}

fn shavite512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    let bits = MSG_BYTES * 8u;
    // The padded block: message, 0x80, the 64-bit bit count at byte 110 and the
    // 16-bit digest size 512 at byte 126.
    var block: array<u32, 32>;
    for (var t = 0u; t < MSG_BYTES / 4u; t++) { block[t] = (*msg)[t]; }
    block[MSG_BYTES / 4u] = 0x80u;
    block[27] = bits << 16u;
    block[28] = bits >> 16u;
    block[31] = 512u << 16u;

    // The 32 round-key words of the current round, as eight groups of four; round 0
    // uses the block itself. Groups are updated in order, each from the ones before
    // it, and spelled out so that every index is a constant (a run-time index would
    // put the keys in scratch memory).
    var rk = array<vec4<u32>, 8>(
        shavite512_block_group(&block, 0u), shavite512_block_group(&block, 1u),
        shavite512_block_group(&block, 2u), shavite512_block_group(&block, 3u),
        shavite512_block_group(&block, 4u), shavite512_block_group(&block, 5u),
        shavite512_block_group(&block, 6u), shavite512_block_group(&block, 7u));
    // The chaining value's quarters.
    var p0 = SHAVITE512_IV[0];
    var p1 = SHAVITE512_IV[1];
    var p2 = SHAVITE512_IV[2];
    var p3 = SHAVITE512_IV[3];
    for (var r = 0u; r < 14u; r++) {
        if (r % 2u == 1u) {
            shavite512_nonlinear(&rk, 0u, r, bits);
            shavite512_nonlinear(&rk, 1u, r, bits);
            shavite512_nonlinear(&rk, 2u, r, bits);
            shavite512_nonlinear(&rk, 3u, r, bits);
            shavite512_nonlinear(&rk, 4u, r, bits);
            shavite512_nonlinear(&rk, 5u, r, bits);
            shavite512_nonlinear(&rk, 6u, r, bits);
            shavite512_nonlinear(&rk, 7u, r, bits);
        } else if (r > 0u) {
            shavite512_linear(&rk, 0u);
            shavite512_linear(&rk, 1u);
            shavite512_linear(&rk, 2u);
            shavite512_linear(&rk, 3u);
            shavite512_linear(&rk, 4u);
            shavite512_linear(&rk, 5u);
            shavite512_linear(&rk, 6u);
            shavite512_linear(&rk, 7u);
        }
        // Two Feistel functions of a right quarter XORed into the left one, then the
        // quarters rotate right by one.
        let left0 = p0 ^ shavite512_f(p1, &rk, 0u);
        let left2 = p2 ^ shavite512_f(p3, &rk, 4u);
        p0 = p3;
        p2 = p1;
        p1 = left0;
        p3 = left2;
    }

    // Davies-Meyer feed-forward.
    let h = array<vec4<u32>, 4>(SHAVITE512_IV[0] ^ p0, SHAVITE512_IV[1] ^ p1,
                                SHAVITE512_IV[2] ^ p2, SHAVITE512_IV[3] ^ p3);
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = h[i / 4u][i % 4u]; }
    return out;
}

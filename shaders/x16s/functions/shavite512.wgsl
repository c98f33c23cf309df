// requires: aes
// SHAvite-3-512 (second-round tweaked version), as sphlib's sph_shavite512, of the
// MSG_BYTES-byte message: one 128-byte block through the compression function C_512,
// a Davies-Meyer 14-round Feistel cipher whose round keys are expanded on the fly.

const SHAVITE512_IV = array<u32, 16>(
    0x72fccdd8u, 0x79ca4727u, 0x128a077bu, 0x40d55aecu,
    0xd1901a06u, 0x430ae307u, 0xb29f5cd1u, 0xdf07fbfcu,
    0x8e45d73du, 0x681ab538u, 0xbde86578u, 0xdd577e47u,
    0xe275eadeu, 0x502d9fcdu, 0xb9357178u, 0x022a4b9au
);

// The 128-bit bit counter (the message length in bits, then three zero words) enters
// the nonlinear key chunks 1, 5, 9, 13 (round-key words 32, 164, 316, 440) in group
// SHAVITE512_COUNTER_GROUP[k] of chunk 4k + 1, its first word at lane
// SHAVITE512_COUNTER_LANE[k], lane 3 complemented.
const SHAVITE512_COUNTER_GROUP = array<u32, 4>(0u, 1u, 7u, 6u);
const SHAVITE512_COUNTER_LANE = array<u32, 4>(0u, 3u, 2u, 1u);

fn shavite512_prepare(lid: u32) { aes_prepare(lid); }

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
    // uses the block itself.
    var rk: array<vec4<u32>, 8>;
    for (var g = 0u; g < 8u; g++) {
        rk[g] = vec4<u32>(block[4u * g], block[4u * g + 1u], block[4u * g + 2u], block[4u * g + 3u]);
    }
    var p: array<vec4<u32>, 4>;
    for (var i = 0u; i < 4u; i++) {
        p[i] = vec4<u32>(SHAVITE512_IV[4u * i], SHAVITE512_IV[4u * i + 1u],
                         SHAVITE512_IV[4u * i + 2u], SHAVITE512_IV[4u * i + 3u]);
    }
    for (var r = 0u; r < 14u; r++) {
        if (r % 2u == 1u) {
            // Nonlinear expansion: rk[u..u+4] = AES(rk[u-31], rk[u-30], rk[u-29], rk[u-32]) ^ rk[u-4..u].
            for (var g = 0u; g < 8u; g++) {
                var x = aes_round(rk[g].yzwx) ^ rk[(g + 7u) % 8u];
                if (r % 4u == 1u && g == SHAVITE512_COUNTER_GROUP[r / 4u]) {
                    x[SHAVITE512_COUNTER_LANE[r / 4u]] ^= bits;
                    x.w ^= 0xffffffffu;
                }
                rk[g] = x;
            }
        } else if (r > 0u) {
            // Linear expansion: rk[u] = rk[u-32] ^ rk[u-7].
            for (var g = 0u; g < 8u; g++) {
                rk[g] ^= vec4<u32>(rk[(g + 6u) % 8u].yzw, rk[(g + 7u) % 8u].x);
            }
        }
        // Two Feistel functions, each four keyed AES rounds of a right quarter XORed
        // into the left one, then the quarters rotate right by one.
        for (var half = 0u; half < 2u; half++) {
            var x = p[2u * half + 1u];
            for (var a = 0u; a < 4u; a++) { x = aes_round(x ^ rk[4u * half + a]); }
            p[2u * half] ^= x;
        }
        p = array<vec4<u32>, 4>(p[3], p[0], p[1], p[2]);
    }

    // Davies-Meyer feed-forward.
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = SHAVITE512_IV[i] ^ p[i / 4u][i % 4u]; }
    return out;
}

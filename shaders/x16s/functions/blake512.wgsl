// BLAKE-512 (the SHA-3 finalist, 16 rounds), as sphlib's `sph_blake512`, of the
// MSG_BYTES-byte message: one 128-byte block (the padding fits, as MSG_BYTES <= 111),
// zero salt. Message and chaining words are big-endian.

// The initial chaining value (SHA-512's), each word as (high word, low word).
const BLAKE512_IV = array<u32, 16>(
    0x6a09e667u, 0xf3bcc908u, 0xbb67ae85u, 0x84caa73bu,
    0x3c6ef372u, 0xfe94f82bu, 0xa54ff53au, 0x5f1d36f1u,
    0x510e527fu, 0xade682d1u, 0x9b05688cu, 0x2b3e6c1fu,
    0x1f83d9abu, 0xfb41bd6bu, 0x5be0cd19u, 0x137e2179u
);
// The constants: the first 1024 bits of the fraction of pi, as (high word, low word).
const BLAKE512_PI = array<u32, 32>(
    0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u,
    0xa4093822u, 0x299f31d0u, 0x082efa98u, 0xec4e6c89u,
    0x452821e6u, 0x38d01377u, 0xbe5466cfu, 0x34e90c6cu,
    0xc0ac29b7u, 0xc97c50ddu, 0x3f84d5b5u, 0xb5470917u,
    0x9216d5d9u, 0x8979fb1bu, 0xd1310ba6u, 0x98dfb5acu,
    0x2ffd72dbu, 0xd01adfb7u, 0xb8e1afedu, 0x6a267e96u,
    0xba7c9045u, 0xf12c7f99u, 0x24a19947u, 0xb3916cf7u,
    0x0801f2e2u, 0x858efc16u, 0x636920d8u, 0x71574e69u
);
// The message permutations sigma_0..sigma_9 (round r uses sigma_{r mod 10}).
const BLAKE512_SIGMA = array<u32, 160>(
    0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u,
    14u, 10u, 4u, 8u, 9u, 15u, 13u, 6u, 1u, 12u, 0u, 2u, 11u, 7u, 5u, 3u,
    11u, 8u, 12u, 0u, 5u, 2u, 15u, 13u, 10u, 14u, 3u, 6u, 7u, 1u, 9u, 4u,
    7u, 9u, 3u, 1u, 13u, 12u, 11u, 14u, 2u, 6u, 5u, 10u, 4u, 0u, 15u, 8u,
    9u, 0u, 5u, 7u, 2u, 4u, 10u, 15u, 14u, 1u, 11u, 12u, 6u, 8u, 3u, 13u,
    2u, 12u, 6u, 10u, 0u, 11u, 8u, 3u, 4u, 13u, 7u, 5u, 15u, 14u, 1u, 9u,
    12u, 5u, 1u, 15u, 14u, 13u, 4u, 10u, 0u, 7u, 6u, 3u, 9u, 2u, 8u, 11u,
    13u, 11u, 7u, 14u, 12u, 1u, 3u, 9u, 5u, 0u, 15u, 4u, 8u, 6u, 2u, 10u,
    6u, 15u, 14u, 9u, 11u, 3u, 0u, 8u, 12u, 2u, 13u, 7u, 1u, 4u, 10u, 5u,
    10u, 2u, 8u, 4u, 7u, 6u, 1u, 5u, 15u, 11u, 9u, 14u, 3u, 12u, 13u, 0u
);

// Copies of the permutations and constants for the run-time lookups of the rounds
// (a const array indexed at run time may be copied per lookup).
var<workgroup> blake512_sigma: array<u32, 160>;
var<workgroup> blake512_pi: array<w64, 16>;

fn blake512_prepare(lid: u32) {
    for (var j = lid; j < 160u; j += WORKGROUP_SIZE) { blake512_sigma[j] = BLAKE512_SIGMA[j]; }
    for (var j = lid; j < 16u; j += WORKGROUP_SIZE) {
        blake512_pi[j] = w64c(BLAKE512_PI[2u * j], BLAKE512_PI[2u * j + 1u]);
    }
}

// G_i of round r on the words (a, b, c, d) of v, with the message pair
// x = sigma_r(2i), y = sigma_r(2i + 1): adds m_x ^ pi_y, then m_y ^ pi_x.
fn blake512_g(v: ptr<function, array<w64, 16>>, m: ptr<function, array<w64, 16>>,
              r: u32, i: u32, a: u32, b: u32, c: u32, d: u32) {
    let s = 16u * (r % 10u) + 2u * i;
    let x = blake512_sigma[s];
    let y = blake512_sigma[s + 1u];
    (*v)[a] = w64_add(w64_add((*v)[a], (*v)[b]), w64_xor((*m)[x], blake512_pi[y]));
    (*v)[d] = w64_rotr(w64_xor((*v)[d], (*v)[a]), 32u);
    (*v)[c] = w64_add((*v)[c], (*v)[d]);
    (*v)[b] = w64_rotr(w64_xor((*v)[b], (*v)[c]), 25u);
    (*v)[a] = w64_add(w64_add((*v)[a], (*v)[b]), w64_xor((*m)[y], blake512_pi[x]));
    (*v)[d] = w64_rotr(w64_xor((*v)[d], (*v)[a]), 16u);
    (*v)[c] = w64_add((*v)[c], (*v)[d]);
    (*v)[b] = w64_rotr(w64_xor((*v)[b], (*v)[c]), 11u);
}

fn blake512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The padded block: message, 0x80, zeros, 0x01 at byte 111, the 128-bit bit length.
    var m: array<w64, 16>; // zero-initialised
    for (var t = 0u; t < MSG_BYTES / 8u; t++) { m[t] = w64_be((*msg)[2u * t], (*msg)[2u * t + 1u]); }
    m[MSG_BYTES / 8u] = w64c(0x80000000u, 0u);
    m[13] = w64_or(m[13], w64c(0u, 1u));
    let bits = w64c(0u, MSG_BYTES * 8u);
    m[15] = bits;

    // Initialisation: chaining value, the first 8 constants, the counter (the bit
    // length) xored into v12 and v13 (its high half, zero, into v14 and v15).
    var v: array<w64, 16>;
    for (var j = 0u; j < 8u; j++) {
        v[j] = w64c(BLAKE512_IV[2u * j], BLAKE512_IV[2u * j + 1u]);
        v[j + 8u] = blake512_pi[j];
    }
    v[12] = w64_xor(v[12], bits);
    v[13] = w64_xor(v[13], bits);

    // 16 rounds: G on the columns, then on the diagonals.
    for (var r = 0u; r < 16u; r++) {
        blake512_g(&v, &m, r, 0u, 0u, 4u, 8u, 12u);
        blake512_g(&v, &m, r, 1u, 1u, 5u, 9u, 13u);
        blake512_g(&v, &m, r, 2u, 2u, 6u, 10u, 14u);
        blake512_g(&v, &m, r, 3u, 3u, 7u, 11u, 15u);
        blake512_g(&v, &m, r, 4u, 0u, 5u, 10u, 15u);
        blake512_g(&v, &m, r, 5u, 1u, 6u, 11u, 12u);
        blake512_g(&v, &m, r, 6u, 2u, 7u, 8u, 13u);
        blake512_g(&v, &m, r, 7u, 3u, 4u, 9u, 14u);
    }

    // Finalisation h_j ^ v_j ^ v_{j+8} (zero salt), big-endian output.
    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        let h = w64_xor(w64c(BLAKE512_IV[2u * j], BLAKE512_IV[2u * j + 1u]), w64_xor(v[j], v[j + 8u]));
        out[2u * j] = bswap32(w64_hi(h));
        out[2u * j + 1u] = bswap32(w64_lo(h));
    }
    return out;
}

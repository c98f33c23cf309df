// Skein-512-512 (version 1.3), as sphlib's `sph_skein512`, of the MSG_BYTES-byte
// message: UBI over 64-byte message blocks (the last one zero-padded), then the
// output block. UBI is Threefish-512 keyed with the chaining value, xored with the
// block. Words are little-endian.

// The chaining value after the configuration block for a 512-bit output, each word
// as (high word, low word).
const SKEIN512_IV = array<u32, 16>(
    0x4903adffu, 0x749c51ceu, 0x0d95de39u, 0x9746df03u,
    0x8fd19341u, 0x27c79bceu, 0x9a255629u, 0xff352cb1u,
    0x5db62599u, 0xdf6ca7b0u, 0xeabe394cu, 0xa9d5c3f4u,
    0x991112c7u, 0x1a75b523u, 0xae18a40bu, 0x660fcc33u
);
// The key schedule parity constant C240.
const SKEIN512_C240_HI: u32 = 0x1bd11bdau;
const SKEIN512_C240_LO: u32 = 0xa9fc1a22u;
// MIX rotation constants of rounds 8d..8d+3 and 8d+4..8d+7, four per round.
const SKEIN512_ROT_A = array<u32, 16>(46u, 36u, 19u, 37u, 33u, 27u, 14u, 42u, 17u, 49u, 36u, 39u, 44u, 9u, 54u, 56u);
const SKEIN512_ROT_B = array<u32, 16>(39u, 30u, 34u, 24u, 13u, 50u, 10u, 17u, 25u, 29u, 39u, 43u, 8u, 35u, 56u, 22u);
// Tweak high words: block type (48: message, 63: output) << 24, first flag bit 30,
// final flag bit 31.
const SKEIN512_TYPE_MESSAGE: u32 = 0x30000000u;
const SKEIN512_TYPE_OUTPUT: u32 = 0x3f000000u;
const SKEIN512_FIRST: u32 = 0x40000000u;
const SKEIN512_FINAL: u32 = 0x80000000u;

fn skein512_mix(v: ptr<function, array<w64, 8>>, a: u32, b: u32, r: u32) {
    (*v)[a] = w64_add((*v)[a], (*v)[b]);
    (*v)[b] = w64_xor(w64_rotl((*v)[b], r), (*v)[a]);
}

// Four Threefish rounds with rotations r; the word permutation (of order 4) is
// applied by renaming: these are the pairs each round mixes.
fn skein512_four_rounds(v: ptr<function, array<w64, 8>>, r: array<u32, 16>) {
    skein512_mix(v, 0u, 1u, r[0]); skein512_mix(v, 2u, 3u, r[1]); skein512_mix(v, 4u, 5u, r[2]); skein512_mix(v, 6u, 7u, r[3]);
    skein512_mix(v, 2u, 1u, r[4]); skein512_mix(v, 4u, 7u, r[5]); skein512_mix(v, 6u, 5u, r[6]); skein512_mix(v, 0u, 3u, r[7]);
    skein512_mix(v, 4u, 1u, r[8]); skein512_mix(v, 6u, 3u, r[9]); skein512_mix(v, 0u, 5u, r[10]); skein512_mix(v, 2u, 7u, r[11]);
    skein512_mix(v, 6u, 1u, r[12]); skein512_mix(v, 0u, 7u, r[13]); skein512_mix(v, 2u, 5u, r[14]); skein512_mix(v, 4u, 3u, r[15]);
}

// Adds subkey s (key words k[s..s+8] mod 9, tweak words t[s], t[s+1] mod 3 to words
// 5 and 6, s to word 7), then rotates k and t by one word for subkey s + 1.
fn skein512_inject(v: ptr<function, array<w64, 8>>, k: ptr<function, array<w64, 9>>,
                   t: ptr<function, array<w64, 3>>, s: u32) {
    for (var i = 0u; i < 8u; i++) { (*v)[i] = w64_add((*v)[i], (*k)[i]); }
    (*v)[5] = w64_add((*v)[5], (*t)[0]);
    (*v)[6] = w64_add((*v)[6], (*t)[1]);
    (*v)[7] = w64_add((*v)[7], w64c(0u, s));
    let k0 = (*k)[0];
    for (var i = 0u; i < 8u; i++) { (*k)[i] = (*k)[i + 1u]; }
    (*k)[8] = k0;
    let t0 = (*t)[0];
    (*t)[0] = (*t)[1];
    (*t)[1] = (*t)[2];
    (*t)[2] = t0;
}

// One UBI step: Threefish-512 of block m under key h and tweak (t0, t1), xored with m.
fn skein512_ubi(h: array<w64, 8>, t0: w64, t1: w64, m: array<w64, 8>) -> array<w64, 8> {
    // The key words and their parity word, the tweak words and their xor.
    var k: array<w64, 9>;
    k[8] = w64c(SKEIN512_C240_HI, SKEIN512_C240_LO);
    for (var i = 0u; i < 8u; i++) {
        k[i] = h[i];
        k[8] = w64_xor(k[8], h[i]);
    }
    var t = array<w64, 3>(t0, t1, w64_xor(t0, t1));
    var v = m;
    // 72 rounds, a subkey before the first and after every fourth.
    skein512_inject(&v, &k, &t, 0u);
    for (var s = 1u; s < 18u; s += 2u) {
        skein512_four_rounds(&v, SKEIN512_ROT_A);
        skein512_inject(&v, &k, &t, s);
        skein512_four_rounds(&v, SKEIN512_ROT_B);
        skein512_inject(&v, &k, &t, s + 1u);
    }
    for (var i = 0u; i < 8u; i++) { v[i] = w64_xor(v[i], m[i]); }
    return v;
}

fn skein512_prepare(lid: u32) {}

fn skein512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var h: array<w64, 8>;
    for (var j = 0u; j < 8u; j++) { h[j] = w64c(SKEIN512_IV[2u * j], SKEIN512_IV[2u * j + 1u]); }

    // Message blocks: tweak position = bytes processed so far, the first block and
    // the final (zero-padded) one flagged.
    let blocks = (MSG_BYTES + 63u) / 64u;
    for (var b = 0u; b < blocks; b++) {
        var m: array<w64, 8>; // zero-initialised
        for (var i = 0u; i < 8u; i++) {
            let w = 8u * b + i;
            if (w < MSG_BYTES / 8u) { m[i] = w64_le((*msg)[2u * w], (*msg)[2u * w + 1u]); }
        }
        var flags = SKEIN512_TYPE_MESSAGE;
        if (b == 0u) { flags |= SKEIN512_FIRST; }
        if (b == blocks - 1u) { flags |= SKEIN512_FINAL; }
        h = skein512_ubi(h, w64c(0u, min(64u * (b + 1u), MSG_BYTES)), w64c(flags, 0u), m);
    }

    // Output: UBI of the 8-byte counter 0 as a single block.
    var zero: array<w64, 8>; // zero-initialised
    h = skein512_ubi(h, w64c(0u, 8u), w64c(SKEIN512_TYPE_OUTPUT | SKEIN512_FIRST | SKEIN512_FINAL, 0u), zero);

    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        out[2u * j] = w64_lo(h[j]);
        out[2u * j + 1u] = w64_hi(h[j]);
    }
    return out;
}

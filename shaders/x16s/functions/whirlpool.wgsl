// Whirlpool (ISO/IEC 10118-3, the final version of Barreto and Rijmen), as sphlib:
// Miyaguchi-Preneel over the 10-round block cipher W on 8 x 8-byte states. Rows are
// little-endian 64-bit words (byte j of row i is state byte 8i + j), so message and
// digest bytes need no swapping.

// Tables read at run-time indices are private variables: naga copies a const array into
// a temporary at each run-time index.
// The S-box, four entries per little-endian word (the specification's table).
var<private> WHIRLPOOL_SBOX: array<u32, 64> = array<u32, 64>(
    0xe8c62318u, 0x4f01b887u, 0xf5d2a636u, 0x52916f79u, 0x8e9bbc60u, 0x357b0ca3u, 0xc2d7e01du, 0x57fe4b2eu,
    0xe5377715u, 0xda4af09fu, 0x0a29c958u, 0x856ba0b1u, 0xf4105dbdu, 0x67053ecbu, 0x8b4127e4u, 0xd8957da7u,
    0x667ceefbu, 0x9e4717ddu, 0x07bf2dcau, 0x33835aadu, 0x71aa0263u, 0xd94919c8u, 0x885be3f2u, 0xb032269au,
    0x80d50fe9u, 0x4834cdbeu, 0x5f907affu, 0xae1a6820u, 0x229354b4u, 0x1273f164u, 0xecc30840u, 0x3d8da1dbu,
    0x2bcf0097u, 0x1bd68276u, 0x506aafb5u, 0xef30f345u, 0xeaa2553fu, 0xc02fba65u, 0x4dfd1cdeu, 0x8a067592u,
    0x1f0ee6b2u, 0x96a8d462u, 0x5925c5f9u, 0x4c397284u, 0x8c38785eu, 0x61e2a5d1u, 0x1e9c21b3u, 0x04fcc743u,
    0x0d6d9951u, 0x247edffau, 0x11ceab3bu, 0xebb74e8fu, 0xf794813cu, 0xd32c13b9u, 0x03c46ee7u, 0xa97f4456u,
    0x53c1bb2au, 0x6c9d0bdcu, 0x46f67431u, 0xe11489acu, 0x09693a16u, 0xedd0b670u, 0xa49842ccu, 0x86f85c28u
);
// The first row of the circulant MDS matrix of θ: cir(1, 1, 4, 1, 8, 5, 2, 9).
var<private> WHIRLPOOL_MDS: array<u32, 8> = array<u32, 8>(1u, 1u, 4u, 1u, 8u, 5u, 2u, 9u);

// The combined γ, θ tables: T_j[x] is row S[x] * cir(...) rotated left by 8j bits. Only
// T_0 is stored, in BANK64_COPIES interleaved copies (32 KiB, one per pair of banks:
// bank64 in common.wgsl); T_j is T_0 rotated.
var<workgroup> whirlpool_t0: array<w64, 256u * BANK64_COPIES>;

// a * b in GF(2^8) modulo Whirlpool's polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d), b < 16.
fn whirlpool_gf_mul(a: u32, b: u32) -> u32 {
    var r = 0u;
    var p = a;
    for (var i = 0u; i < 4u; i++) {
        r ^= select(0u, p, ((b >> i) & 1u) == 1u);
        p = (p << 1u) ^ select(0u, 0x11du, p >= 0x80u);
    }
    return r;
}

fn whirlpool_prepare(lid: u32) {
    for (var x = lid; x < 256u; x += WORKGROUP_SIZE) {
        let s = (WHIRLPOOL_SBOX[x / 4u] >> (8u * (x % 4u))) & 0xffu;
        var half = vec2<u32>(0u, 0u);
        for (var j = 0u; j < 8u; j++) {
            half[j / 4u] |= whirlpool_gf_mul(s, WHIRLPOOL_MDS[j]) << (8u * (j % 4u));
        }
        let row = w64c(half.y, half.x);
        for (var copy = 0u; copy < BANK64_COPIES; copy++) { whirlpool_t0[x * BANK64_COPIES + copy] = row; }
    }
}

// Row i of one round of W with round key row k_i: γ (S-box), π (byte j of each row
// moves j rows down), θ (the MDS matrix) as look-ups: the xor over j of T_j[byte j of
// row i - j], then σ[k] (key addition).
fn whirlpool_row(x: ptr<function, array<w64, 8>>, i: u32, k_i: w64) -> w64 {
    var lo = k_i;           // T_0..T_3, from bytes 0..3
    var hi = w64c(0u, 0u);  // T_4..T_7 before their common rotation, from bytes 4..7
    for (var j = 0u; j < 4u; j++) {
        let b_lo = (w64_lo((*x)[(i + 8u - j) % 8u]) >> (8u * j)) & 0xffu;
        let b_hi = (w64_hi((*x)[(i + 4u - j) % 8u]) >> (8u * j)) & 0xffu;
        lo = w64_xor(lo, w64_rotl(whirlpool_t0[bank64(b_lo)], 8u * j));
        hi = w64_xor(hi, w64_rotl(whirlpool_t0[bank64(b_hi)], 8u * j));
    }
    return w64_xor(lo, w64_rotr(hi, 32u));
}

// One round of W with round key k, its rows spelled out so that every state index is
// a constant (a run-time index would put the state in scratch memory).
fn whirlpool_round(x: ptr<function, array<w64, 8>>, k: ptr<function, array<w64, 8>>) {
    *x = array<w64, 8>(
        whirlpool_row(x, 0u, (*k)[0]), whirlpool_row(x, 1u, (*k)[1]),
        whirlpool_row(x, 2u, (*k)[2]), whirlpool_row(x, 3u, (*k)[3]),
        whirlpool_row(x, 4u, (*k)[4]), whirlpool_row(x, 5u, (*k)[5]),
        whirlpool_row(x, 6u, (*k)[6]), whirlpool_row(x, 7u, (*k)[7]));
}

// The padded message has (MSG_BYTES + 96) / 64 blocks: the message, a 1 bit, zeros and
// the 256-bit big-endian bit length ending the last block.
const WHIRLPOOL_BLOCKS = (MSG_BYTES + 96u) / 64u;

// Little-endian word w of block b of the padded message.
fn whirlpool_block_word(msg: ptr<function, array<u32, 20>>, b: u32, w: u32) -> u32 {
    let i = 16u * b + w;
    if (i < MSG_BYTES / 4u) { return (*msg)[i]; }
    if (i == MSG_BYTES / 4u) { return 0x80u; }
    if (i == 16u * WHIRLPOOL_BLOCKS - 1u) { return bswap32(MSG_BYTES * 8u); }
    return 0u;
}

// a xor b, row by row. The states (h, k, s) are indexed by constants only: one
// run-time index would put all of a state in scratch memory.
fn whirlpool_xor(a: array<w64, 8>, b: array<w64, 8>) -> array<w64, 8> {
    return array<w64, 8>(w64_xor(a[0], b[0]), w64_xor(a[1], b[1]), w64_xor(a[2], b[2]), w64_xor(a[3], b[3]),
                         w64_xor(a[4], b[4]), w64_xor(a[5], b[5]), w64_xor(a[6], b[6]), w64_xor(a[7], b[7]));
}

fn whirlpool_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var h: array<w64, 8>;  // H_0 = 0
    for (var b = 0u; b < WHIRLPOOL_BLOCKS; b++) {
        var m: array<w64, 8>;
        for (var i = 0u; i < 8u; i++) {
            m[i] = w64_le(whirlpool_block_word(msg, b, 2u * i), whirlpool_block_word(msg, b, 2u * i + 1u));
        }
        // W_H(m): the key schedule runs W's round on the key with the constants c_r.
        var k = h;
        var s = whirlpool_xor(m, k);
        for (var r = 0u; r < 10u; r++) {
            // The round constant c_r: row 0 is S-box entries 8r..8r+8, the rest zero.
            var c: array<w64, 8>;
            c[0] = w64_le(WHIRLPOOL_SBOX[2u * r], WHIRLPOOL_SBOX[2u * r + 1u]);
            whirlpool_round(&k, &c);
            whirlpool_round(&s, &k);
        }
        // Miyaguchi-Preneel: H_b = W_H(m) xor H xor m.
        h = whirlpool_xor(h, whirlpool_xor(s, m));
    }
    let d = h;
    var out: array<u32, 16>;
    for (var i = 0u; i < 8u; i++) {
        out[2u * i] = w64_lo(d[i]);
        out[2u * i + 1u] = w64_hi(d[i]);
    }
    return out;
}

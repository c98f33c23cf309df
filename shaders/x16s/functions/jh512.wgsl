// JH-512 (Wu, "The Hash Function JH", round-3 version: 42 rounds of E8), in the
// bitsliced form of the reference and sphlib. The 1024-bit state is eight 128-bit
// words y0..y7, each kept as two little-endian 64-bit halves: s[2i + h] is half h
// (bytes 8h..8h+8) of y_i, so message and digest bytes need no swapping.

// H(0) of JH-512 (state bytes 0..128), little-endian 32-bit words (private, as
// JH512_RC below).
var<private> JH512_IV: array<u32, 32> = array<u32, 32>(
    0x964bd16fu, 0x17aa003eu, 0x052e6a63u, 0x43d5157au, 0x8d5e228au, 0x0bef970cu, 0x591234e9u, 0x61c3b3f2u,
    0xc1a01d89u, 0x1e806f53u, 0x6b05a92au, 0x806d2beau, 0xdbcc8e58u, 0xa6ba7520u, 0x763a0fa9u, 0xf73bf8bau,
    0x05e66901u, 0x694ae341u, 0x8e8ab546u, 0x5ae66f2eu, 0xd0a74710u, 0x243c84c1u, 0xb1716e3bu, 0x99c15a2du,
    0xecf657cfu, 0x56f8b19du, 0x7c8806a7u, 0x56b11657u, 0xdffcc2e3u, 0xfb1785e6u, 0x78465a54u, 0x4bdd8cccu
);
// The 42 round constants C_r of E8 (32 bytes each, as the specification and sphlib),
// little-endian 32-bit words. A private variable rather than a const: naga copies a
// const array into a temporary at each run-time index (here, each look-up of
// jh512_prepare), which made JH-512 slow to compile and to run.
var<private> JH512_RC: array<u32, 336> = array<u32, 336>(
    0xa2ded572u, 0x67f815dfu, 0x0a15847bu, 0x571523b7u, 0x90d6ab81u, 0xf6875a4du, 0xc54f9f4eu, 0x402bd1c3u,
    0xe03a98eau, 0x9cfa455cu, 0x99d2c503u, 0x9a99b266u, 0xb4960266u, 0x8a53bbf2u, 0x1a1456b5u, 0x31a2db88u,
    0x5c5aa303u, 0xdb0e199au, 0x0ab23f40u, 0x1044c187u, 0x8019051cu, 0x1d959e84u, 0xadeb336fu, 0xdccde75eu,
    0x9213ba10u, 0x416bbf02u, 0x156578dcu, 0xd027bbf7u, 0x39812c0au, 0x5078aa37u, 0xd2bf1a3fu, 0xd3910041u,
    0x0d5a2d42u, 0x907eccf6u, 0x9c9f62ddu, 0xce97c092u, 0x0ba75c18u, 0xac442bc7u, 0xd665dfd1u, 0x23fcc663u,
    0x036c6e97u, 0x1ab8e09eu, 0x7e450521u, 0xa8ec6c44u, 0xbb03f1eeu, 0xfa618e5du, 0xb29796fdu, 0x97818394u,
    0x37858e4au, 0x2f3003dbu, 0x2d8d672au, 0x956a9ffbu, 0x8173fe8au, 0x6c69b8f8u, 0x4672c78au, 0x14427fc0u,
    0x8f15f4c5u, 0xc45ec7bdu, 0xa76f4475u, 0x80bb118fu, 0xb775de52u, 0xbc88e4aeu, 0x1e00b882u, 0xf4a3a698u,
    0x338ff48eu, 0x1563a3a9u, 0x24565faau, 0x89f9b7d5u, 0x20edf1b6u, 0xfde05a7cu, 0x5ae9ca36u, 0x362c4206u,
    0x433529ceu, 0x3d98fe4eu, 0x74f93a53u, 0xa74b9a73u, 0x591ff5d0u, 0x86814e6fu, 0x81ad9d0eu, 0x9f5ad8afu,
    0x670605a7u, 0x6a6234eeu, 0xbe280b8bu, 0x2717b96eu, 0x26077447u, 0x3f1080c6u, 0x6f7ea0e0u, 0x7b487ec6u,
    0xa50a550du, 0xc0a4f84au, 0x9fe7e391u, 0x9ef18e97u, 0x81727686u, 0xd48d6050u, 0x415a9e7eu, 0x62b0e5f3u,
    0xec1f9ffcu, 0x7a205440u, 0x001ae4e3u, 0x84c9f4ceu, 0xf594d74fu, 0xd895fa9du, 0x117e2e55u, 0xa554c324u,
    0x2872df5bu, 0x286efebdu, 0xe27ff578u, 0xb2c4a50fu, 0xef7c8905u, 0x2ed349eeu, 0x85937e44u, 0x7f5928ebu,
    0x37695f70u, 0x4a3124b3u, 0xf128865eu, 0x65e4d61du, 0x04771bc7u, 0xe720b951u, 0xe843fe74u, 0x8a87d423u,
    0xa3e8297du, 0xf2947692u, 0x097acbddu, 0xc1d9309bu, 0xfb301b1du, 0xe01bdc5bu, 0x4f4924dau, 0xbf829cf2u,
    0x31bae7a4u, 0xffbf70b4u, 0x0544320du, 0x48bcf8deu, 0x32fcae3bu, 0x39d3bb53u, 0xc1c39f45u, 0xa08b29e0u,
    0xfd05c9e5u, 0x0f09aef7u, 0x12347094u, 0x34f19042u, 0x01b771a2u, 0x95ed44e3u, 0x368e3be9u, 0x4a982f4fu,
    0x631d4088u, 0x15f66ca0u, 0x4b44c147u, 0xffaf5287u, 0xf14abb7eu, 0x30c60ae2u, 0xc5b67046u, 0xe68c6eccu,
    0x56a4d5a4u, 0x00ca4fbdu, 0x4b849ddau, 0xae183ec8u, 0x45ce5773u, 0xadd16430u, 0x68cea6e8u, 0x67255c14u,
    0xf28cdaa3u, 0x16e10ecbu, 0x5806e933u, 0x9a99949au, 0x20b2601fu, 0x7b846fc2u, 0x7facced1u, 0x1885d1a0u,
    0xa15b5932u, 0xd319dd8du, 0xc01c9a50u, 0x46b4a5aau, 0x67633d9fu, 0xba6b04e4u, 0xab19caf6u, 0x7eee560bu,
    0xea79b11fu, 0x742128a9u, 0x35f7bde9u, 0xee51363bu, 0x5aac571du, 0x76d35075u, 0xfec2463au, 0x01707da3u,
    0xafc135f7u, 0x42d8a498u, 0x20eced78u, 0x79676b9eu, 0x15638341u, 0xa8db3aeau, 0x4d3bc3fau, 0x832c8332u,
    0x1f3b40a7u, 0xf347271cu, 0x34f04059u, 0x9a762db7u, 0x6c4e3ee7u, 0xfd4f21d2u, 0x398dfdb8u, 0xef5957dcu,
    0x490c9b8du, 0xdaeb492bu, 0x49d7a25bu, 0x0d70f368u, 0xd0ae3b7du, 0x84558d7au, 0xf0e9a5f5u, 0x658ef8e4u,
    0xf4a2b8a0u, 0x533b1036u, 0x9e07a80cu, 0x5aec3e75u, 0x92946891u, 0x4f88e856u, 0x555cb05bu, 0x4cbcbaf8u,
    0x993bbbe3u, 0x7b9487f3u, 0xd6f4da75u, 0x5d1c6b72u, 0x28acae64u, 0x6db334dcu, 0x50a5346cu, 0x71db28b8u,
    0xf2e261f8u, 0x2a518d10u, 0x3364dbe3u, 0xfc75dd59u, 0xf1bcac1cu, 0xa23fce43u, 0x3cd1bb67u, 0xb043e802u,
    0xca5b0a33u, 0x75a12988u, 0x4d19347fu, 0x5c5316b4u, 0xc3943b92u, 0x1e4d790eu, 0xd7757479u, 0x3fafeeb6u,
    0xf7d4a8eau, 0x21391abeu, 0x097ef45cu, 0x5127234cu, 0x5324a326u, 0xd23c32bau, 0x4a17a344u, 0xadd5a66du,
    0xa63e1db5u, 0x08c9f2afu, 0x983d5983u, 0x563c6b91u, 0xa17cf84cu, 0x4d608672u, 0xcc3ee246u, 0xf6c76e08u,
    0xb333982fu, 0x5e76bcb1u, 0xa566d62bu, 0x2ae6c4efu, 0xe8b6f406u, 0x36d4c1beu, 0x1582ee74u, 0x6321efbcu,
    0x0d4ec1fdu, 0x69c953f4u, 0xc45a7da7u, 0x26585806u, 0x1614c17eu, 0x16fae006u, 0x3daf907eu, 0x3f9d6328u,
    0xe3f2c9d2u, 0x0cd29b00u, 0x30ceaa5fu, 0x300cd4b7u, 0x16512a74u, 0x9832e0f2u, 0xd830eb0du, 0x9af8cee3u,
    0x7b9ec54bu, 0x9279f1b5u, 0x6ee651ffu, 0xd3688604u, 0x574d239bu, 0x316796e6u, 0xf3a6e6ccu, 0x05750a17u,
    0xd98176b1u, 0xce6c3213u, 0x8452173cu, 0x62a205f8u, 0xb3cb2bf4u, 0x47154778u, 0x825446ffu, 0x486a9323u,
    0x0758df38u, 0x65655e4eu, 0x897cfcf2u, 0x8e5086fcu, 0x442e7031u, 0x86ca0bd0u, 0xa20940f0u, 0x4e477830u,
    0x39eea065u, 0x8338f7d1u, 0x37e95ef7u, 0xbd3a2ce4u, 0x26b29721u, 0x6ff81301u, 0xd1ed44a3u, 0xe7de9fefu,
    0x15dfa08bu, 0xd9922576u, 0xf6f7853cu, 0xbe42dc12u, 0x7ceca7d8u, 0x7eb027abu, 0xda7d8d53u, 0xdea83eaau,
    0x93ce25aau, 0xd86902bdu, 0xfd43f65au, 0xf908731au, 0xdaef5fc0u, 0xa5194a17u, 0x33664d97u, 0x6a21fd4cu,
    0x3198b435u, 0x701541dbu, 0xbb0f1eeau, 0x9b54cdedu, 0xa163d09au, 0x72409751u, 0xbf9d75f6u, 0xe26f4791u
);
// The round constants as 64-bit words: round r's are words 4r..4r+4.
var<workgroup> jh512_rc: array<w64, 168>;

fn jh512_prepare(lid: u32) {
    for (var j = lid; j < 168u; j += WORKGROUP_SIZE) {
        jh512_rc[j] = w64_le(JH512_RC[2u * j], JH512_RC[2u * j + 1u]);
    }
}

// The padded message has (MSG_BYTES + 127) / 64 blocks of 64 bytes: the message, a 1 bit,
// zeros, and the 64-bit big-endian bit length ending the last block.
const JH512_BLOCKS = (MSG_BYTES + 127u) / 64u;

// Little-endian word w of block b of the padded message.
fn jh512_block_word(msg: ptr<function, array<u32, 20>>, b: u32, w: u32) -> u32 {
    let i = 16u * b + w;
    if (i < MSG_BYTES / 4u) { return (*msg)[i]; }
    if (i == MSG_BYTES / 4u) { return 0x80u; }
    if (i == 16u * JH512_BLOCKS - 1u) { return bswap32(MSG_BYTES * 8u); }
    return 0u;
}

// SWAP_j (j < 6) of one 64-bit half: exchanges adjacent groups of n = 2^j bits,
// ((x >> n) & m) | ((x & m) << n), with m = 0x5555.. (j = 0), 0x3333.., 0x0f0f..,
// 0x00ff.., 0x0000ffff.. (j = 4): 2^32 - 1 divided by 2^n + 1; for j = 5 all ones (the
// shifts alone pick the 32-bit groups).
fn jh512_swap(x: w64, j: u32) -> w64 {
    let n = 1u << j;
    let m32 = select(0xffffffffu / ((1u << n) + 1u), 0xffffffffu, j >= 5u);
    let m = w64c(m32, m32);
    return w64_or(w64_and(w64_shr(x, n), m), w64_shl(w64_and(x, m), n));
}

// The S-box (S0 or S1 chosen by the constant bit) on words q, q + 4, q + 8, q + 12:
// y0, y2, y4, y6 with the first 128 bits of C_r, y1, y3, y5, y7 with the last;
// q = 2 * parity + half.
fn jh512_sbox(s: ptr<function, array<w64, 16>>, q: u32, c: w64) {
    var x0 = (*s)[q];
    var x1 = (*s)[q + 4u];
    var x2 = (*s)[q + 8u];
    var x3 = w64_not((*s)[q + 12u]);
    x0 = w64_xor(x0, w64_and(c, w64_not(x2)));
    let t = w64_xor(c, w64_and(x0, x1));
    x0 = w64_xor(x0, w64_and(x2, x3));
    x3 = w64_xor(x3, w64_and(w64_not(x1), x2));
    x1 = w64_xor(x1, w64_and(x0, x2));
    x2 = w64_xor(x2, w64_and(x0, w64_not(x3)));
    x0 = w64_xor(x0, w64_or(x1, x3));
    x3 = w64_xor(x3, w64_and(x1, x2));
    x1 = w64_xor(x1, w64_and(t, x0));
    x2 = w64_xor(x2, t);
    (*s)[q] = x0;
    (*s)[q + 4u] = x1;
    (*s)[q + 8u] = x2;
    (*s)[q + 12u] = x3;
}

// L, the MDS code over GF(2^4) between (y0, y2, y4, y6) and (y1, y3, y5, y7), on
// half h of each word.
fn jh512_l(s: ptr<function, array<w64, 16>>, h: u32) {
    (*s)[2u + h] = w64_xor((*s)[2u + h], (*s)[4u + h]);
    (*s)[6u + h] = w64_xor((*s)[6u + h], (*s)[8u + h]);
    (*s)[10u + h] = w64_xor((*s)[10u + h], w64_xor((*s)[12u + h], (*s)[h]));
    (*s)[14u + h] = w64_xor((*s)[14u + h], (*s)[h]);
    (*s)[h] = w64_xor((*s)[h], (*s)[6u + h]);
    (*s)[4u + h] = w64_xor((*s)[4u + h], (*s)[10u + h]);
    (*s)[8u + h] = w64_xor((*s)[8u + h], w64_xor((*s)[14u + h], (*s)[2u + h]));
    (*s)[12u + h] = w64_xor((*s)[12u + h], (*s)[2u + h]);
}

// P's SWAP_j on the odd word y_i (SWAP_6 exchanges its halves).
fn jh512_p(s: ptr<function, array<w64, 16>>, i: u32, j: u32) {
    let lo = (*s)[2u * i];
    let hi = (*s)[2u * i + 1u];
    (*s)[2u * i] = select(jh512_swap(lo, j), hi, j == 6u);
    (*s)[2u * i + 1u] = select(jh512_swap(hi, j), lo, j == 6u);
}

// Round r of E8, j = r mod 7: S-boxes, the linear transformation L and the
// permutation P. Spelled out so that every state index is a constant (a run-time
// index would put the state in scratch memory).
fn jh512_round(s: ptr<function, array<w64, 16>>, r: u32, j: u32) {
    jh512_sbox(s, 0u, jh512_rc[4u * r]);
    jh512_sbox(s, 1u, jh512_rc[4u * r + 1u]);
    jh512_sbox(s, 2u, jh512_rc[4u * r + 2u]);
    jh512_sbox(s, 3u, jh512_rc[4u * r + 3u]);
    jh512_l(s, 0u);
    jh512_l(s, 1u);
    jh512_p(s, 1u, j);
    jh512_p(s, 3u, j);
    jh512_p(s, 5u, j);
    jh512_p(s, 7u, j);
}

// E8: 42 rounds. One round per iteration keeps the code small (unrolling them made
// compiling slow); j = r mod 7 is a run-time value, so SWAP_j has no table or branch.
fn jh512_e8(s: ptr<function, array<w64, 16>>) {
    for (var r = 0u; r < 42u; r++) { jh512_round(s, r, r % 7u); }
}

// Block m xored into the eight state words first..first + 8, with constant indices.
fn jh512_xor_block(s: ptr<function, array<w64, 16>>, m: ptr<function, array<w64, 8>>, first: u32) {
    (*s)[first] = w64_xor((*s)[first], (*m)[0]);
    (*s)[first + 1u] = w64_xor((*s)[first + 1u], (*m)[1]);
    (*s)[first + 2u] = w64_xor((*s)[first + 2u], (*m)[2]);
    (*s)[first + 3u] = w64_xor((*s)[first + 3u], (*m)[3]);
    (*s)[first + 4u] = w64_xor((*s)[first + 4u], (*m)[4]);
    (*s)[first + 5u] = w64_xor((*s)[first + 5u], (*m)[5]);
    (*s)[first + 6u] = w64_xor((*s)[first + 6u], (*m)[6]);
    (*s)[first + 7u] = w64_xor((*s)[first + 7u], (*m)[7]);
}

fn jh512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The state is indexed by constants only (one run-time index would put all of it
    // in scratch memory): H(0) is built in its own array and copied whole.
    var iv: array<w64, 16>;
    for (var i = 0u; i < 16u; i++) { iv[i] = w64_le(JH512_IV[2u * i], JH512_IV[2u * i + 1u]); }
    var s = iv;
    // F8 per block: the block into the first half of the state, E8, the block into
    // the second half.
    for (var b = 0u; b < JH512_BLOCKS; b++) {
        var m: array<w64, 8>;
        for (var i = 0u; i < 8u; i++) {
            m[i] = w64_le(jh512_block_word(msg, b, 2u * i), jh512_block_word(msg, b, 2u * i + 1u));
        }
        jh512_xor_block(&s, &m, 0u);
        jh512_e8(&s);
        jh512_xor_block(&s, &m, 8u);
    }
    // The digest: the last 512 bits of the state.
    let d = array<w64, 8>(s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]);
    var out: array<u32, 16>;
    for (var i = 0u; i < 8u; i++) {
        out[2u * i] = w64_lo(d[i]);
        out[2u * i + 1u] = w64_hi(d[i]);
    }
    return out;
}

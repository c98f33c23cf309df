// requires: aes
// ECHO-512 (SHA-3 round-2 ECHO, salt zero), as sphlib's sph_echo512, of the
// MSG_BYTES-byte message: one 128-byte block. The state is sixteen 128-bit words
// (four AES columns each): the 1024-bit chaining value, then the block.

fn echo512_prepare(lid: u32) { aes_prepare(lid); }

// Bytewise multiplication by 2 in GF(2^8) of sixteen bytes.
fn echo512_double(x: vec4<u32>) -> vec4<u32> {
    return (((x & vec4<u32>(0x80808080u)) >> vec4<u32>(7u)) * 0x1bu) ^ ((x & vec4<u32>(0x7f7f7f7fu)) << vec4<u32>(1u));
}

// 128-bit word i of the padded block.
fn echo512_block_word(block: ptr<function, array<u32, 32>>, i: u32) -> vec4<u32> {
    return vec4<u32>((*block)[4u * i], (*block)[4u * i + 1u], (*block)[4u * i + 2u], (*block)[4u * i + 3u]);
}

// BIG.SubWords of one word: two AES rounds, keyed by the running counter k (starting
// at the message's bit count; it stays under 2^32) and the zero salt.
fn echo512_sub_word(x: vec4<u32>, k: u32) -> vec4<u32> {
    return aes_round(aes_round(x) ^ vec4<u32>(k, 0u, 0u, 0u));
}

// BIG.MixColumns of the column of words col..col+4: the AES MixColumns matrix, bytewise.
fn echo512_mix_column(s: ptr<function, array<vec4<u32>, 16>>, col: u32) {
    let a = (*s)[col]; let b = (*s)[col + 1u]; let c = (*s)[col + 2u]; let d = (*s)[col + 3u];
    let ab = a ^ b; let bc = b ^ c; let cd = c ^ d;
    let ab2 = echo512_double(ab); let bc2 = echo512_double(bc); let cd2 = echo512_double(cd);
    (*s)[col] = ab2 ^ bc ^ d;
    (*s)[col + 1u] = bc2 ^ a ^ cd;
    (*s)[col + 2u] = cd2 ^ ab ^ d;
    (*s)[col + 3u] = ab2 ^ bc2 ^ cd2 ^ ab ^ c;
}

fn echo512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    let bits = MSG_BYTES * 8u;
    // The padded block (spec §2.4): message, 0x80, the 16-bit digest size 512 at
    // byte 110 and the 128-bit bit count at byte 112.
    var block: array<u32, 32>;
    for (var t = 0u; t < MSG_BYTES / 4u; t++) { block[t] = (*msg)[t]; }
    block[MSG_BYTES / 4u] = 0x80u;
    block[27] = 512u << 16u;
    block[28] = bits;

    // Initial chaining value (spec §2.3): every word holds the digest size in bits.
    // The state is indexed by constants only: one run-time index would put all of it
    // in scratch memory.
    let iv = vec4<u32>(512u, 0u, 0u, 0u);
    var s = array<vec4<u32>, 16>(iv, iv, iv, iv, iv, iv, iv, iv,
        echo512_block_word(&block, 0u), echo512_block_word(&block, 1u),
        echo512_block_word(&block, 2u), echo512_block_word(&block, 3u),
        echo512_block_word(&block, 4u), echo512_block_word(&block, 5u),
        echo512_block_word(&block, 6u), echo512_block_word(&block, 7u));
    for (var r = 0u; r < 10u; r++) {
        // BIG.SubWords and BIG.ShiftRows: the word at column c, row i (index 4c + i)
        // comes from column c + i.
        let k = bits + 16u * r;
        s = array<vec4<u32>, 16>(
            echo512_sub_word(s[0], k), echo512_sub_word(s[5], k + 5u),
            echo512_sub_word(s[10], k + 10u), echo512_sub_word(s[15], k + 15u),
            echo512_sub_word(s[4], k + 4u), echo512_sub_word(s[9], k + 9u),
            echo512_sub_word(s[14], k + 14u), echo512_sub_word(s[3], k + 3u),
            echo512_sub_word(s[8], k + 8u), echo512_sub_word(s[13], k + 13u),
            echo512_sub_word(s[2], k + 2u), echo512_sub_word(s[7], k + 7u),
            echo512_sub_word(s[12], k + 12u), echo512_sub_word(s[1], k + 1u),
            echo512_sub_word(s[6], k + 6u), echo512_sub_word(s[11], k + 11u));
        // BIG.MixColumns.
        echo512_mix_column(&s, 0u);
        echo512_mix_column(&s, 4u);
        echo512_mix_column(&s, 8u);
        echo512_mix_column(&s, 12u);
    }

    // BIG.Final: chaining value ^ block ^ both halves of the state; the digest is its
    // first four words.
    let d = array<vec4<u32>, 4>(iv ^ echo512_block_word(&block, 0u) ^ s[0] ^ s[8],
                                iv ^ echo512_block_word(&block, 1u) ^ s[1] ^ s[9],
                                iv ^ echo512_block_word(&block, 2u) ^ s[2] ^ s[10],
                                iv ^ echo512_block_word(&block, 3u) ^ s[3] ^ s[11]);
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = d[i / 4u][i % 4u]; }
    return out;
}

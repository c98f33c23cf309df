// requires: aes
// ECHO-512 (SHA-3 round-2 ECHO, salt zero), as sphlib's sph_echo512, of the
// MSG_BYTES-byte message: one 128-byte block. The state is sixteen 128-bit words
// (four AES columns each): the 1024-bit chaining value, then the block.

fn echo512_prepare(lid: u32) { aes_prepare(lid); }

// Bytewise multiplication by 2 in GF(2^8) of sixteen bytes.
fn echo512_double(x: vec4<u32>) -> vec4<u32> {
    return (((x & vec4<u32>(0x80808080u)) >> vec4<u32>(7u)) * 0x1bu) ^ ((x & vec4<u32>(0x7f7f7f7fu)) << vec4<u32>(1u));
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
    var s: array<vec4<u32>, 16>;
    for (var i = 0u; i < 8u; i++) {
        s[i] = vec4<u32>(512u, 0u, 0u, 0u);
        s[8u + i] = vec4<u32>(block[4u * i], block[4u * i + 1u], block[4u * i + 2u], block[4u * i + 3u]);
    }
    for (var r = 0u; r < 10u; r++) {
        // BIG.SubWords: two AES rounds on each word, keyed by the running counter
        // (starting at the message's bit count; it stays under 2^32) and the zero salt.
        for (var i = 0u; i < 16u; i++) {
            s[i] = aes_round(aes_round(s[i]) ^ vec4<u32>(bits + 16u * r + i, 0u, 0u, 0u));
        }
        // BIG.ShiftRows: the word at column c, row r (index 4c + r) comes from column c + r.
        let old = s;
        for (var i = 0u; i < 16u; i++) { s[i] = old[(i / 4u + i % 4u) % 4u * 4u + i % 4u]; }
        // BIG.MixColumns: the AES MixColumns matrix on each column of four words, bytewise.
        for (var col = 0u; col < 16u; col += 4u) {
            let a = s[col]; let b = s[col + 1u]; let c = s[col + 2u]; let d = s[col + 3u];
            let ab = a ^ b; let bc = b ^ c; let cd = c ^ d;
            let ab2 = echo512_double(ab); let bc2 = echo512_double(bc); let cd2 = echo512_double(cd);
            s[col] = ab2 ^ bc ^ d;
            s[col + 1u] = bc2 ^ a ^ cd;
            s[col + 2u] = cd2 ^ ab ^ d;
            s[col + 3u] = ab2 ^ bc2 ^ cd2 ^ ab ^ c;
        }
    }

    // BIG.Final: chaining value ^ block ^ both halves of the state; the digest is its
    // first four words.
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) {
        let chain = select(0u, 512u, i % 4u == 0u);
        out[i] = chain ^ block[i] ^ s[i / 4u][i % 4u] ^ s[8u + i / 4u][i % 4u];
    }
    return out;
}

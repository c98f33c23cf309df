// Grøstl-512 (Gauravaram et al., "Grøstl – a SHA-3 candidate" v2.0.1, final round), as
// sphlib. The 8 x 16-byte states of P and Q are 16 columns, each a little-endian 64-bit
// word (byte i of column j is state byte 8j + i, in row i), so message and digest bytes
// need no swapping.

// Grøstl's S-box and GF(2^8) are AES's: the library's AES_SBOX and aes_gf_mul.
// requires: aes

// Tables read at run-time indices are private variables: naga copies a const array into
// a temporary at each run-time index.
// Column 0 of MixBytes' matrix B = circ(2, 2, 3, 4, 5, 3, 5, 7): what row 0 of a column
// contributes to rows 0..7.
var<private> GROESTL512_MIX: array<u32, 8> = array<u32, 8>(2u, 7u, 5u, 3u, 5u, 4u, 3u, 2u);
// ShiftBytes: row i of output column j comes from column j + shift[i] (mod 16), with
// Grøstl-512's shift vectors (0, 1, 2, 3, 4, 5, 6, 11) for P and (1, 3, 5, 11, 0, 2, 4, 6)
// for Q, packed as nibbles (shift[i] in bits 4i..4i+4) so that no array is indexed.
const GROESTL512_SHIFT_P = 0xb6543210u;
const GROESTL512_SHIFT_Q = 0x6420b531u;

// SubBytes and MixBytes as look-ups: T_i[x] is what byte x in row i adds to its column,
// S[x] * (column 0 of B) rotated left by 8i bits. Only T_0 is stored, in BANK64_COPIES
// interleaved copies (32 KiB, one per pair of banks: bank64 in common.wgsl); T_i is T_0
// rotated.
var<workgroup> groestl512_t0: array<w64, 256u * BANK64_COPIES>;

fn groestl512_prepare(lid: u32) {
    for (var x = lid; x < 256u; x += WORKGROUP_SIZE) {
        let s = AES_SBOX[x];
        var half = vec2<u32>(0u, 0u);
        for (var i = 0u; i < 8u; i++) {
            half[i / 4u] |= aes_gf_mul(s, GROESTL512_MIX[i]) << (8u * (i % 4u));
        }
        let col = w64c(half.y, half.x);
        for (var copy = 0u; copy < BANK64_COPIES; copy++) { groestl512_t0[x * BANK64_COPIES + copy] = col; }
    }
}

// Byte `row` of column `col` after AddRoundConstant of round r: P xors (col << 4) ^ r
// into row 0; Q complements every byte and xors (col << 4) ^ r into row 7.
fn groestl512_byte(x: ptr<function, array<w64, 16>>, col: u32, row: u32, r: u32, q: u32) -> u32 {
    let word = select(w64_lo((*x)[col]), w64_hi((*x)[col]), row >= 4u);
    let b = (word >> (8u * (row % 4u))) & 0xffu;
    let c = (col << 4u) ^ r;
    if (q == 0u) { return b ^ select(0u, c, row == 0u); }
    return b ^ 0xffu ^ select(0u, c, row == 7u);
}

// T_i[b] for i = 0..3 (T_(4+i) is T_i rotated by 32 bits).
fn groestl512_t(i: u32, b: u32) -> w64 { return w64_rotl(groestl512_t0[bank64(b)], 8u * i); }

// Column j of round r after AddRoundConstant, SubBytes, ShiftBytes and MixBytes: the
// xor over rows i of T_i[row i of column j + shift[i]].
fn groestl512_column(x: ptr<function, array<w64, 16>>, j: u32, r: u32, q: u32) -> w64 {
    let shift = select(GROESTL512_SHIFT_P, GROESTL512_SHIFT_Q, q == 1u);
    var lo = w64c(0u, 0u);  // T_0..T_3, rows 0..3
    var hi = w64c(0u, 0u);  // T_4..T_7 before their common rotation, rows 4..7
    for (var i = 0u; i < 4u; i++) {
        let from_lo = (j + ((shift >> (4u * i)) & 0xfu)) % 16u;
        let from_hi = (j + ((shift >> (4u * i + 16u)) & 0xfu)) % 16u;
        lo = w64_xor(lo, groestl512_t(i, groestl512_byte(x, from_lo, i, r, q)));
        hi = w64_xor(hi, groestl512_t(i, groestl512_byte(x, from_hi, 4u + i, r, q)));
    }
    return w64_xor(lo, w64_rotr(hi, 32u));
}

// The 14-round permutation P (q = 0) or Q (q = 1). The columns are spelled out so
// that every state index is a constant (a run-time index would put the state in
// scratch memory).
fn groestl512_perm(state: array<w64, 16>, q: u32) -> array<w64, 16> {
    var x = state;
    for (var r = 0u; r < 14u; r++) {
        x = array<w64, 16>(
            groestl512_column(&x, 0u, r, q), groestl512_column(&x, 1u, r, q),
            groestl512_column(&x, 2u, r, q), groestl512_column(&x, 3u, r, q),
            groestl512_column(&x, 4u, r, q), groestl512_column(&x, 5u, r, q),
            groestl512_column(&x, 6u, r, q), groestl512_column(&x, 7u, r, q),
            groestl512_column(&x, 8u, r, q), groestl512_column(&x, 9u, r, q),
            groestl512_column(&x, 10u, r, q), groestl512_column(&x, 11u, r, q),
            groestl512_column(&x, 12u, r, q), groestl512_column(&x, 13u, r, q),
            groestl512_column(&x, 14u, r, q), groestl512_column(&x, 15u, r, q));
    }
    return x;
}

// Little-endian word w of the padded message, one 128-byte block: the message, a 1 bit,
// zeros, and the block count (1) as a 64-bit big-endian number ending the block.
fn groestl512_block_word(msg: ptr<function, array<u32, 20>>, w: u32) -> u32 {
    if (w < MSG_BYTES / 4u) { return (*msg)[w]; }
    if (w == MSG_BYTES / 4u) { return 0x80u; }
    if (w == 31u) { return 0x01000000u; }
    return 0u;
}

// a xor b, column by column. The states are indexed by constants only: one run-time
// index would put all of a state in scratch memory.
fn groestl512_xor(a: array<w64, 16>, b: array<w64, 16>) -> array<w64, 16> {
    return array<w64, 16>(
        w64_xor(a[0], b[0]), w64_xor(a[1], b[1]), w64_xor(a[2], b[2]), w64_xor(a[3], b[3]),
        w64_xor(a[4], b[4]), w64_xor(a[5], b[5]), w64_xor(a[6], b[6]), w64_xor(a[7], b[7]),
        w64_xor(a[8], b[8]), w64_xor(a[9], b[9]), w64_xor(a[10], b[10]), w64_xor(a[11], b[11]),
        w64_xor(a[12], b[12]), w64_xor(a[13], b[13]), w64_xor(a[14], b[14]), w64_xor(a[15], b[15]));
}

fn groestl512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The IV: the digest size in bits (512) as a big-endian number ending the state.
    var h: array<w64, 16>;
    h[15] = w64c(0x00020000u, 0u);
    var m: array<w64, 16>;
    for (var j = 0u; j < 16u; j++) {
        m[j] = w64_le(groestl512_block_word(msg, 2u * j), groestl512_block_word(msg, 2u * j + 1u));
    }
    // Compression f(h, m) = P(h ^ m) ^ Q(m) ^ h.
    h = groestl512_xor(h, groestl512_xor(groestl512_perm(groestl512_xor(h, m), 0u), groestl512_perm(m, 1u)));
    // Output transformation: the last 512 bits of P(h) ^ h.
    let d = groestl512_xor(groestl512_perm(h, 0u), h);
    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        out[2u * j] = w64_lo(d[8u + j]);
        out[2u * j + 1u] = w64_hi(d[8u + j]);
    }
    return out;
}

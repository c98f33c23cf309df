// requires: aes
// Fugue-512 (Halevi, Hall, Jutla: "The Hash Function Fugue" 2.0), as sphlib's
// sph_fugue512, of the MSG_BYTES-byte message. The state is 36 columns of four bytes,
// each a big-endian u32. Rotations (RORn) move no data (but once per final round):
// logical column i lives at physical (o + i) % 36, and o is a constant at every call
// site, so the state is indexed by constants only.

// The initial state (spec §4.3): the first 20 columns zero, then the IV.
const FUGUE512_INIT = array<u32, 36>(
    0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u,
    0x8807a57eu, 0xe616af75u, 0xc5d3e4dbu, 0xac9ab027u,
    0xd915f117u, 0xb6eecc54u, 0x06e8020bu, 0x4a92efd1u,
    0xaac6e2c9u, 0xddb21398u, 0xcae65838u, 0x437f203fu,
    0x25ea78e7u, 0x951fddd6u, 0xda6ed11du, 0xe13e3567u
);

// FUGUE512_MIX[bank32(x)]: S(x) times column 0 of the matrix M (spec §2.3.1,
// (1, 1, 7, 4)), packed big-endian; column r of M gives it rotated right by 8r bits.
// BANK32_COPIES interleaved copies, one per bank (bank32 in common.wgsl).
var<workgroup> FUGUE512_MIX: array<u32, 256u * BANK32_COPIES>;

fn fugue512_prepare(lid: u32) {
    for (var j = lid; j < 256u; j += WORKGROUP_SIZE) {
        let s = AES_SBOX[j];
        let column = (s << 24u) | (s << 16u) | (aes_gf_mul(s, 7u) << 8u) | aes_gf_mul(s, 4u);
        for (var copy = 0u; copy < BANK32_COPIES; copy++) { FUGUE512_MIX[j * BANK32_COPIES + copy] = column; }
    }
}

fn fugue512_at(o: u32, i: u32) -> u32 { return (o + i) % 36u; }

// S-box of each byte of column w, times the matching column of M: component `row`
// is what byte `row` contributes.
fn fugue512_sub_mix(w: u32) -> vec4<u32> {
    return vec4<u32>(FUGUE512_MIX[bank32(w >> 24u)], rotr32(FUGUE512_MIX[bank32((w >> 16u) & 0xffu)], 8u),
                     rotr32(FUGUE512_MIX[bank32((w >> 8u) & 0xffu)], 16u), rotr32(FUGUE512_MIX[bank32(w & 0xffu)], 24u));
}

// Byte `row` of component `row` of x, for each row (big-endian: row 0 is the top byte).
fn fugue512_bytes_on_diagonal(x: vec4<u32>) -> u32 {
    let y = x & vec4<u32>(0xff000000u, 0x00ff0000u, 0x0000ff00u, 0x000000ffu);
    return y.x | y.y | y.z | y.w;
}

// SMIX (spec §2.3) of logical columns 0..3: S-box every byte, then the super-mix N,
// which is M on the diagonal 4x4 blocks plus row-transposed M off them.
fn fugue512_smix(s: ptr<function, array<u32, 36>>, o: u32) {
    let t0 = fugue512_sub_mix((*s)[o]);
    let t1 = fugue512_sub_mix((*s)[fugue512_at(o, 1u)]);
    let t2 = fugue512_sub_mix((*s)[fugue512_at(o, 2u)]);
    let t3 = fugue512_sub_mix((*s)[fugue512_at(o, 3u)]);
    // Diagonal: column j gets all its own products (c[j]); off the diagonal, byte
    // `row` gathers the products of row `row` of the other columns (r[row], rotated
    // into column k's byte `row`).
    let c = vec4<u32>(t0.x ^ t0.y ^ t0.z ^ t0.w, t1.x ^ t1.y ^ t1.z ^ t1.w,
                      t2.x ^ t2.y ^ t2.z ^ t2.w, t3.x ^ t3.y ^ t3.z ^ t3.w);
    let r = t0 ^ t1 ^ t2 ^ t3 ^ vec4<u32>(t0.x, t1.y, t2.z, t3.w);
    (*s)[o] = fugue512_bytes_on_diagonal(c ^ r);
    (*s)[fugue512_at(o, 1u)] = fugue512_bytes_on_diagonal(c.yzwx ^ ((r << vec4<u32>(8u)) | (r >> vec4<u32>(24u))));
    (*s)[fugue512_at(o, 2u)] = fugue512_bytes_on_diagonal(c.zwxy ^ ((r << vec4<u32>(16u)) | (r >> vec4<u32>(16u))));
    (*s)[fugue512_at(o, 3u)] = fugue512_bytes_on_diagonal(c.wxyz ^ ((r << vec4<u32>(24u)) | (r >> vec4<u32>(8u))));
}

// CMIX, then SMIX, with logical column 0 (after ROR3) at physical p.
fn fugue512_cmix_smix(s: ptr<function, array<u32, 36>>, p: u32) {
    for (var j = 0u; j < 3u; j++) {
        let x = (*s)[fugue512_at(p, 4u + j)];
        (*s)[fugue512_at(p, j)] ^= x;
        (*s)[fugue512_at(p, 18u + j)] ^= x;
    }
    fugue512_smix(s, p);
}

// The round R for one input word (spec §4.2): TIX (when `tix`), then four times ROR3,
// CMIX, SMIX; without TIX, a quarter of the first phase of G.
fn fugue512_round(s: ptr<function, array<u32, 36>>, o: u32, word: u32, tix: bool) {
    if (tix) {
        (*s)[fugue512_at(o, 22u)] ^= (*s)[o];
        (*s)[o] = word;
        (*s)[fugue512_at(o, 8u)] ^= word;
        (*s)[fugue512_at(o, 1u)] ^= (*s)[fugue512_at(o, 24u)];
        (*s)[fugue512_at(o, 4u)] ^= (*s)[fugue512_at(o, 27u)];
        (*s)[fugue512_at(o, 7u)] ^= (*s)[fugue512_at(o, 30u)];
    }
    // Unrolled by hand so that every column index is a constant.
    fugue512_cmix_smix(s, fugue512_at(o, 33u));
    fugue512_cmix_smix(s, fugue512_at(o, 30u));
    fugue512_cmix_smix(s, fugue512_at(o, 27u));
    fugue512_cmix_smix(s, fugue512_at(o, 24u));
}

// The words, with TIX, then the first phase of G: 32 rounds of ROR3, CMIX, SMIX,
// four per word slot, without TIX.
const FUGUE512_WORDS = MSG_BYTES / 4u + 2u;
const FUGUE512_ROUNDS = FUGUE512_WORDS + 8u;

// Round i of those, with logical column 0 at physical o.
fn fugue512_round_i(s: ptr<function, array<u32, 36>>, msg: ptr<function, array<u32, 20>>, i: u32, o: u32) {
    fugue512_round(s, o, fugue512_word(msg, i), i < FUGUE512_WORDS);
}

// Column 0 XORed into logical columns `cols`.
fn fugue512_xor_from_0(s: ptr<function, array<u32, 36>>, o: u32, cols: vec4<u32>) {
    let x = (*s)[o];
    for (var k = 0u; k < 4u; k++) { (*s)[fugue512_at(o, cols[k])] ^= x; }
}

// The second phase of G (spec §4.2), logical column 0 at physical o: 13 rounds of
// four column XORs, each followed by ROR9, ROR9, ROR9, ROR8 and SMIX. A round rotates
// by 35 columns, one short of a full turn; the data then moves one column to bring
// logical column 0 back to o.
fn fugue512_final(s: ptr<function, array<u32, 36>>, o: u32) {
    for (var r = 0u; r < 13u; r++) {
        fugue512_xor_from_0(s, o, vec4<u32>(4u, 9u, 18u, 27u));
        fugue512_smix(s, fugue512_at(o, 27u));
        fugue512_xor_from_0(s, fugue512_at(o, 27u), vec4<u32>(4u, 10u, 18u, 27u));
        fugue512_smix(s, fugue512_at(o, 18u));
        fugue512_xor_from_0(s, fugue512_at(o, 18u), vec4<u32>(4u, 10u, 19u, 27u));
        fugue512_smix(s, fugue512_at(o, 9u));
        fugue512_xor_from_0(s, fugue512_at(o, 9u), vec4<u32>(4u, 10u, 19u, 28u));
        fugue512_smix(s, fugue512_at(o, 1u));
        // One column left, spelled out: a 35-step copy loop may stay a loop, and its
        // run-time indices would put the whole state in scratch memory.
        let x = *s;
        *s = array<u32, 36>(
            x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12],
            x[13], x[14], x[15], x[16], x[17], x[18], x[19], x[20], x[21], x[22], x[23], x[24],
            x[25], x[26], x[27], x[28], x[29], x[30], x[31], x[32], x[33], x[34], x[35], x[0]);
    }
    fugue512_xor_from_0(s, o, vec4<u32>(4u, 9u, 18u, 27u));
}

// Input word w: the message as big-endian words, then the 64-bit big-endian bit
// count (spec §4.1; the message needs no zero padding).
fn fugue512_word(msg: ptr<function, array<u32, 20>>, w: u32) -> u32 {
    if (w < MSG_BYTES / 4u) { return bswap32((*msg)[w]); }
    return select(MSG_BYTES * 8u, 0u, w == MSG_BYTES / 4u);
}

// Logical columns first..first + 4 (logical column 0 at physical o), as little-endian words.
fn fugue512_columns(s: ptr<function, array<u32, 36>>, o: u32, first: u32) -> vec4<u32> {
    return vec4<u32>(bswap32((*s)[fugue512_at(o, first)]), bswap32((*s)[fugue512_at(o, first + 1u)]),
                     bswap32((*s)[fugue512_at(o, first + 2u)]), bswap32((*s)[fugue512_at(o, first + 3u)]));
}

fn fugue512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var s = FUGUE512_INIT;
    // Logical column 0 is at physical 0 for round 0, and each round rotates by 12
    // columns, so for round i it is at (36 - 12 (i % 3)) % 36: three rounds per
    // iteration, each with a constant offset, then the rest (a constant count). (A
    // switch on i % 3 instead ran all three cases for every round on lavapipe.)
    for (var i = 0u; i + 3u <= FUGUE512_ROUNDS; i += 3u) {
        fugue512_round_i(&s, msg, i, 0u);
        fugue512_round_i(&s, msg, i + 1u, 24u);
        fugue512_round_i(&s, msg, i + 2u, 12u);
    }
    let rest = FUGUE512_ROUNDS - FUGUE512_ROUNDS % 3u;
    if (FUGUE512_ROUNDS % 3u >= 1u) { fugue512_round_i(&s, msg, rest, 0u); }
    if (FUGUE512_ROUNDS % 3u == 2u) { fugue512_round_i(&s, msg, rest + 1u, 24u); }
    let o = (36u - 12u * (FUGUE512_ROUNDS % 3u)) % 36u;
    fugue512_final(&s, o);

    // The digest: logical columns 1..4, 9..12, 18..21 and 27..30, read with constant
    // indices only (one run-time index would put the whole state in scratch memory).
    let d = array<vec4<u32>, 4>(fugue512_columns(&s, o, 1u), fugue512_columns(&s, o, 9u),
                                fugue512_columns(&s, o, 18u), fugue512_columns(&s, o, 27u));
    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = d[i / 4u][i % 4u]; }
    return out;
}

// requires: aes
// Fugue-512 (Halevi, Hall, Jutla: "The Hash Function Fugue" 2.0), as sphlib's
// sph_fugue512, of the MSG_BYTES-byte message. The state is 36 columns of four bytes,
// each a big-endian u32. Rotations (RORn) move no data (but once per final round):
// logical column i lives at physical (o + i) % 36, and o is a constant at every call
// site, so the state is indexed by constants only.

// Initial value of the last 16 columns (spec §4.3); the first 20 are zero.
const FUGUE512_IV = array<u32, 16>(
    0x8807a57eu, 0xe616af75u, 0xc5d3e4dbu, 0xac9ab027u,
    0xd915f117u, 0xb6eecc54u, 0x06e8020bu, 0x4a92efd1u,
    0xaac6e2c9u, 0xddb21398u, 0xcae65838u, 0x437f203fu,
    0x25ea78e7u, 0x951fddd6u, 0xda6ed11du, 0xe13e3567u
);
// First logical columns of the four 4-column groups that make the digest.
const FUGUE512_OUT = array<u32, 4>(1u, 9u, 18u, 27u);

// FUGUE512_MIX[x]: S(x) times column 0 of the matrix M (spec §2.3.1, (1, 1, 7, 4)),
// packed big-endian; column r of M gives it rotated right by 8r bits.
var<workgroup> FUGUE512_MIX: array<u32, 256>;

fn fugue512_prepare(lid: u32) {
    for (var j = lid; j < 256u; j += WORKGROUP_SIZE) {
        let s = AES_SBOX[j];
        FUGUE512_MIX[j] = (s << 24u) | (s << 16u) | (aes_gf_mul(s, 7u) << 8u) | aes_gf_mul(s, 4u);
    }
}

fn fugue512_at(o: u32, i: u32) -> u32 { return (o + i) % 36u; }

// SMIX (spec §2.3) of logical columns 0..3: S-box every byte, then the super-mix N,
// which is M on the diagonal 4x4 blocks plus row-transposed M off them.
fn fugue512_smix(s: ptr<function, array<u32, 36>>, o: u32) {
    // t[j][row]: S-box of byte `row` of column j, times column `row` of M.
    var t: array<vec4<u32>, 4>;
    for (var j = 0u; j < 4u; j++) {
        let w = (*s)[fugue512_at(o, j)];
        t[j] = vec4<u32>(FUGUE512_MIX[w >> 24u], rotr32(FUGUE512_MIX[(w >> 16u) & 0xffu], 8u),
                         rotr32(FUGUE512_MIX[(w >> 8u) & 0xffu], 16u), rotr32(FUGUE512_MIX[w & 0xffu], 24u));
    }
    // Diagonal: column j gets all its own products; off the diagonal, byte `row`
    // gathers the products of row `row` of the other columns.
    let c = vec4<u32>(t[0].x ^ t[0].y ^ t[0].z ^ t[0].w, t[1].x ^ t[1].y ^ t[1].z ^ t[1].w,
                      t[2].x ^ t[2].y ^ t[2].z ^ t[2].w, t[3].x ^ t[3].y ^ t[3].z ^ t[3].w);
    let r = t[0] ^ t[1] ^ t[2] ^ t[3] ^ vec4<u32>(t[0].x, t[1].y, t[2].z, t[3].w);
    for (var k = 0u; k < 4u; k++) {
        var x = 0u;
        for (var b = 0u; b < 4u; b++) {
            x |= (c[(k + b) % 4u] ^ rotl32(r[b], 8u * k)) & (0xff000000u >> (8u * b));
        }
        (*s)[fugue512_at(o, k)] = x;
    }
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
    for (var k = 1u; k <= 4u; k++) {
        let p = fugue512_at(o, 36u - 3u * k);
        for (var j = 0u; j < 3u; j++) {
            let x = (*s)[fugue512_at(p, 4u + j)];
            (*s)[fugue512_at(p, j)] ^= x;
            (*s)[fugue512_at(p, 18u + j)] ^= x;
        }
        fugue512_smix(s, p);
    }
}

// Logical column 0 is at physical 0 when the first word arrives, and each round
// rotates by 12 columns, so for word w it is at (36 - 12 (w % 3)) % 36: one
// constant per branch.
fn fugue512_round_for_word(s: ptr<function, array<u32, 36>>, w: u32, word: u32, tix: bool) {
    switch (w % 3u) {
        case 0u: { fugue512_round(s, 0u, word, tix); }
        case 1u: { fugue512_round(s, 24u, word, tix); }
        default: { fugue512_round(s, 12u, word, tix); }
    }
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
        let first = (*s)[0];
        for (var i = 0u; i < 35u; i++) { (*s)[i] = (*s)[i + 1u]; }
        (*s)[35] = first;
    }
    fugue512_xor_from_0(s, o, vec4<u32>(4u, 9u, 18u, 27u));
}

// Input word w: the message as big-endian words, then the 64-bit big-endian bit
// count (spec §4.1; the message needs no zero padding).
fn fugue512_word(msg: ptr<function, array<u32, 20>>, w: u32) -> u32 {
    if (w < MSG_BYTES / 4u) { return bswap32((*msg)[w]); }
    return select(MSG_BYTES * 8u, 0u, w == MSG_BYTES / 4u);
}

fn fugue512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var s: array<u32, 36>;
    for (var i = 0u; i < 16u; i++) { s[20u + i] = FUGUE512_IV[i]; }
    let words = MSG_BYTES / 4u + 2u;
    for (var w = 0u; w < words; w++) { fugue512_round_for_word(&s, w, fugue512_word(msg, w), true); }
    // G, first phase: 32 rounds of ROR3, CMIX, SMIX, four per word slot.
    for (var w = words; w < words + 8u; w++) { fugue512_round_for_word(&s, w, 0u, false); }
    // Where logical column 0 is after the first phase, as in fugue512_round_for_word.
    let o = (36u - 12u * ((words + 8u) % 3u)) % 36u;
    fugue512_final(&s, o);

    var out: array<u32, 16>;
    for (var i = 0u; i < 16u; i++) { out[i] = bswap32(s[fugue512_at(o, FUGUE512_OUT[i / 4u] + i % 4u)]); }
    return out;
}

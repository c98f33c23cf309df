// BLUE MIDNIGHT WISH 512 (round-2 tweaked), as sphlib's `sph_bmw512`, of the
// MSG_BYTES-byte message: one padded 128-byte block, then the final compression
// of the chaining value under the constant chaining value. Words are little-endian.

fn bmw512_s(x: w64, r1: u32, l1: u32, rot1: u32, rot2: u32) -> w64 {
    return w64_xor(w64_xor(w64_shr(x, r1), w64_shl(x, l1)), w64_xor(w64_rotl(x, rot1), w64_rotl(x, rot2)));
}
fn bmw512_s0(x: w64) -> w64 { return bmw512_s(x, 1u, 3u, 4u, 37u); }
fn bmw512_s1(x: w64) -> w64 { return bmw512_s(x, 1u, 2u, 13u, 43u); }
fn bmw512_s2(x: w64) -> w64 { return bmw512_s(x, 2u, 1u, 19u, 53u); }
fn bmw512_s3(x: w64) -> w64 { return bmw512_s(x, 2u, 2u, 28u, 59u); }
fn bmw512_s4(x: w64) -> w64 { return w64_xor(w64_shr(x, 1u), x); }
fn bmw512_s5(x: w64) -> w64 { return w64_xor(w64_shr(x, 2u), x); }

// W_j of f0: x[a] ± x[b] ± x[c] ± x[d] ± x[e], bit k of neg set when the (k+2)-th
// term is subtracted.
fn bmw512_w(x: ptr<function, array<w64, 16>>, a: u32, b: u32, c: u32, d: u32, e: u32, neg: u32) -> w64 {
    let terms = array<u32, 4>(b, c, d, e);
    var sum = (*x)[a];
    for (var k = 0u; k < 4u; k++) {
        if ((neg & (1u << k)) != 0u) { sum = w64_sub(sum, (*x)[terms[k]]); } else { sum = w64_add(sum, (*x)[terms[k]]); }
    }
    return sum;
}

// M_i rotated left by i + 1 (i mod 16).
fn bmw512_rm(m: ptr<function, array<w64, 16>>, i: u32) -> w64 { return w64_rotl((*m)[i & 15u], (i & 15u) + 1u); }

// The term of Q_{j+16} from the message and the chaining value:
// (rotl(M_j) + rotl(M_{j+3}) - rotl(M_{j+10}) + K_{j+16}) ^ H_{j+7}.
fn bmw512_add_element(m: ptr<function, array<w64, 16>>, h: ptr<function, array<w64, 16>>, j: u32, k: w64) -> w64 {
    let sum = w64_add(w64_sub(w64_add(bmw512_rm(m, j), bmw512_rm(m, j + 3u)), bmw512_rm(m, j + 10u)), k);
    return w64_xor(sum, (*h)[(j + 7u) & 15u]);
}

// The compression function: the new chaining value from block m and chaining value h.
fn bmw512_compress(m: ptr<function, array<w64, 16>>, h: ptr<function, array<w64, 16>>) -> array<w64, 16> {
    var x: array<w64, 16>;
    for (var j = 0u; j < 16u; j++) { x[j] = w64_xor((*m)[j], (*h)[j]); }

    // f0: Q_j = s_{j mod 5}(W_j) + H_{j+1}.
    var q: array<w64, 32>;
    q[0] = bmw512_s0(bmw512_w(&x, 5u, 7u, 10u, 13u, 14u, 0x1u));
    q[1] = bmw512_s1(bmw512_w(&x, 6u, 8u, 11u, 14u, 15u, 0x9u));
    q[2] = bmw512_s2(bmw512_w(&x, 0u, 7u, 9u, 12u, 15u, 0x4u));
    q[3] = bmw512_s3(bmw512_w(&x, 0u, 1u, 8u, 10u, 13u, 0x5u));
    q[4] = bmw512_s4(bmw512_w(&x, 1u, 2u, 9u, 11u, 14u, 0xcu));
    q[5] = bmw512_s0(bmw512_w(&x, 3u, 2u, 10u, 12u, 15u, 0x5u));
    q[6] = bmw512_s1(bmw512_w(&x, 4u, 0u, 3u, 11u, 13u, 0x7u));
    q[7] = bmw512_s2(bmw512_w(&x, 1u, 4u, 5u, 12u, 14u, 0xfu));
    q[8] = bmw512_s3(bmw512_w(&x, 2u, 5u, 6u, 13u, 15u, 0xbu));
    q[9] = bmw512_s4(bmw512_w(&x, 0u, 3u, 6u, 7u, 14u, 0x5u));
    q[10] = bmw512_s0(bmw512_w(&x, 8u, 1u, 4u, 7u, 15u, 0x7u));
    q[11] = bmw512_s1(bmw512_w(&x, 8u, 0u, 2u, 5u, 9u, 0x7u));
    q[12] = bmw512_s2(bmw512_w(&x, 1u, 3u, 6u, 9u, 10u, 0x6u));
    q[13] = bmw512_s3(bmw512_w(&x, 2u, 4u, 7u, 10u, 11u, 0x0u));
    q[14] = bmw512_s4(bmw512_w(&x, 3u, 5u, 8u, 11u, 12u, 0xdu));
    q[15] = bmw512_s0(bmw512_w(&x, 12u, 4u, 6u, 9u, 13u, 0x7u));
    for (var j = 0u; j < 16u; j++) { q[j] = w64_add(q[j], (*h)[(j + 1u) & 15u]); }

    // f1: Q_16..Q_31; K_i = i * 0x0555555555555555, stepped from K_16.
    var k = w64c(0x55555555u, 0x55555550u);
    let k_step = w64c(0x05555555u, 0x55555555u);
    // expand1 (two rounds): s1, s2, s3, s0 cyclically on the 16 previous words.
    for (var i = 16u; i < 18u; i++) {
        var sum = bmw512_add_element(m, h, i - 16u, k);
        k = w64_add(k, k_step);
        for (var t = i - 16u; t < i; t += 4u) {
            sum = w64_add(sum, w64_add(w64_add(bmw512_s1(q[t]), bmw512_s2(q[t + 1u])),
                                       w64_add(bmw512_s3(q[t + 2u]), bmw512_s0(q[t + 3u]))));
        }
        q[i] = sum;
    }
    // expand2 (14 rounds): the 14 words before the last two, every other one
    // rotated, then s4 and s5 of the last two.
    for (var i = 18u; i < 32u; i++) {
        let b = i - 16u;
        var sum = bmw512_add_element(m, h, b, k);
        k = w64_add(k, k_step);
        sum = w64_add(sum, w64_add(q[b], w64_rotl(q[b + 1u], 5u)));
        sum = w64_add(sum, w64_add(q[b + 2u], w64_rotl(q[b + 3u], 11u)));
        sum = w64_add(sum, w64_add(q[b + 4u], w64_rotl(q[b + 5u], 27u)));
        sum = w64_add(sum, w64_add(q[b + 6u], w64_rotl(q[b + 7u], 32u)));
        sum = w64_add(sum, w64_add(q[b + 8u], w64_rotl(q[b + 9u], 37u)));
        sum = w64_add(sum, w64_add(q[b + 10u], w64_rotl(q[b + 11u], 43u)));
        sum = w64_add(sum, w64_add(q[b + 12u], w64_rotl(q[b + 13u], 53u)));
        q[i] = w64_add(sum, w64_add(bmw512_s4(q[b + 14u]), bmw512_s5(q[b + 15u])));
    }

    // f2: fold Q and the message into the new chaining value.
    var xl = q[16];
    for (var j = 17u; j < 24u; j++) { xl = w64_xor(xl, q[j]); }
    var xh = xl;
    for (var j = 24u; j < 32u; j++) { xh = w64_xor(xh, q[j]); }
    // The shifted terms of H_0..H_7 and of H_8..H_15.
    let lo = array<w64, 8>(
        w64_xor(w64_shl(xh, 5u), w64_shr(q[16], 5u)),
        w64_xor(w64_shr(xh, 7u), w64_shl(q[17], 8u)),
        w64_xor(w64_shr(xh, 5u), w64_shl(q[18], 5u)),
        w64_xor(w64_shr(xh, 1u), w64_shl(q[19], 5u)),
        w64_xor(w64_shr(xh, 3u), q[20]),
        w64_xor(w64_shl(xh, 6u), w64_shr(q[21], 6u)),
        w64_xor(w64_shr(xh, 4u), w64_shl(q[22], 6u)),
        w64_xor(w64_shr(xh, 11u), w64_shl(q[23], 2u))
    );
    let hi = array<w64, 8>(
        w64_xor(w64_shl(xl, 8u), q[23]),
        w64_xor(w64_shr(xl, 6u), q[16]),
        w64_xor(w64_shl(xl, 6u), q[17]),
        w64_xor(w64_shl(xl, 4u), q[18]),
        w64_xor(w64_shr(xl, 3u), q[19]),
        w64_xor(w64_shr(xl, 4u), q[20]),
        w64_xor(w64_shr(xl, 7u), q[21]),
        w64_xor(w64_shr(xl, 2u), q[22])
    );
    var d: array<w64, 16>;
    for (var j = 0u; j < 8u; j++) {
        d[j] = w64_add(w64_xor(lo[j], (*m)[j]), w64_xor(w64_xor(xl, q[24u + j]), q[j]));
    }
    for (var j = 0u; j < 8u; j++) {
        d[8u + j] = w64_add(w64_add(w64_rotl(d[(j + 4u) & 7u], j + 9u),
                                    w64_xor(w64_xor(xh, q[24u + j]), (*m)[8u + j])),
                            w64_xor(hi[j], q[8u + j]));
    }
    return d;
}

fn bmw512_prepare(lid: u32) {}

fn bmw512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    // The padded block: message, 0x80, zeros, the 64-bit bit length.
    var m: array<w64, 16>; // zero-initialised
    for (var t = 0u; t < MSG_BYTES / 8u; t++) { m[t] = w64_le((*msg)[2u * t], (*msg)[2u * t + 1u]); }
    m[MSG_BYTES / 8u] = w64c(0u, 0x80u);
    m[15] = w64c(0u, MSG_BYTES * 8u);

    // The initial chaining value: the bytes 0x80..0xff, word i = 0x(80+8i)(81+8i)..(87+8i);
    // the final one: 0xaaaaaaaaaaaaaaa0 + i.
    var h: array<w64, 16>;
    var final_h: array<w64, 16>;
    for (var i = 0u; i < 16u; i++) {
        h[i] = w64c(0x80818283u + 0x08080808u * i, 0x84858687u + 0x08080808u * i);
        final_h[i] = w64c(0xaaaaaaaau, 0xaaaaaaa0u + i);
    }
    var chain = bmw512_compress(&m, &h);
    let result = bmw512_compress(&chain, &final_h);

    // The digest: the last 8 words.
    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        out[2u * j] = w64_lo(result[8u + j]);
        out[2u * j + 1u] = w64_hi(result[8u + j]);
    }
    return out;
}

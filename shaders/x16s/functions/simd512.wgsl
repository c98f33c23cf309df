// SIMD-512 (Leurent, Bouillaguet, Fouque: "SIMD Is a Message Digest", v1.1 with the
// round-2 tweak), as sphlib: the MSG_BYTES-byte message as one zero-filled 128-byte
// block, then the length block.

// A state row of eight 32-bit lanes: lanes 0..3 in lo, 4..7 in hi.
struct SimdRow {
    lo: vec4<u32>,
    hi: vec4<u32>,
}

// The state (and chaining value): rows A, B, C, D.
struct SimdState {
    a: SimdRow, b: SimdRow, c: SimdRow, d: SimdRow,
}

// Initial chaining value of SIMD-512 (spec appendix, IV for n = 512).
const SIMD512_IV = SimdState(
    SimdRow(vec4<u32>(0x0ba16b95u, 0x72f999adu, 0x9fecc2aeu, 0xba3264fcu),
            vec4<u32>(0x5e894929u, 0x8e9f30e5u, 0x2f1daa37u, 0xf0f2c558u)),
    SimdRow(vec4<u32>(0xac506643u, 0xa90635a5u, 0xe25b878bu, 0xaab7878fu),
            vec4<u32>(0x88817f7au, 0x0a02892bu, 0x559a7550u, 0x598f657eu)),
    SimdRow(vec4<u32>(0x7eef60a1u, 0x6b70e3e8u, 0x9c1714d1u, 0xb958e2a8u),
            vec4<u32>(0xab02675eu, 0xed1c014fu, 0xcd8d65bbu, 0xfdb7a257u)),
    SimdRow(vec4<u32>(0x09254899u, 0xd699c7bcu, 0x9019b6dcu, 0x2b9022e4u),
            vec4<u32>(0x8fa14956u, 0x21bf9bd3u, 0xb94d0943u, 0x6ffddc22u)),
);

// Rotation amounts π0..π3 of the four rounds (spec §2.4.2); the feed-forward keeps
// those of the last round.
const SIMD512_ROTATIONS = array<vec4<u32>, 4>(
    vec4<u32>(3u, 23u, 17u, 27u), vec4<u32>(28u, 19u, 22u, 7u),
    vec4<u32>(29u, 9u, 15u, 5u), vec4<u32>(4u, 13u, 10u, 25u)
);

// The step permutations p^(k) (spec §2.4.1): lane n is fed from lane
// n ^ SIMD512_PERMUTATION_XOR[k]; step i of round r uses k = (i + r) mod 7.
const SIMD512_PERMUTATION_XOR = array<u32, 7>(1u, 6u, 2u, 3u, 5u, 7u, 4u);

// The message-word permutation (spec §2.3.3): which group of 16 transform outputs
// feeds step i of round r, at 8r + i.
const SIMD512_WORD_GROUPS = array<u32, 32>(
    4u, 6u, 0u, 2u, 7u, 5u, 3u, 1u,
    15u, 11u, 12u, 8u, 9u, 13u, 10u, 14u,
    1u, 2u, 7u, 4u, 6u, 5u, 0u, 3u,
    6u, 0u, 1u, 7u, 3u, 5u, 4u, 2u
);

// α^j mod 257 for j < 256, α = 41 the 256th root of unity of SIMD-512's transform
// (spec §2.3.1), in workgroup memory (1 KiB), and the tables derived from it.
var<workgroup> simd512_powers: array<i32, 256>;

// SIMD512_ROTATIONS, SIMD512_PERMUTATION_XOR and SIMD512_WORD_GROUPS in workgroup
// memory: indexed by run-time round and step numbers, a const array would be copied
// whole at each lookup.
var<workgroup> simd512_rotations: array<vec4<u32>, 4>;
var<workgroup> simd512_permutation_xor: array<u32, 7>;
var<workgroup> simd512_word_groups: array<u32, 32>;

// The transform works on 4 values at a time (see simd512_expand). Lane l of entry q:
// α^(4q + l) (the first stage's twists); entry h4 - 1 + u, for the stage of half
// size h = 4 h4 >= 4: α^((128 / h) (4u + l)) (the butterflies' twiddles); the offset
// α^(-i) added to y_i, at simd512_position(i) = 4q + l.
var<workgroup> simd512_twists: array<vec4<i32>, 32>;
var<workgroup> simd512_twiddles: array<vec4<i32>, 31>;
var<workgroup> simd512_offsets: array<vec4<i32>, 64>;

// The length block depends on MSG_BYTES only, so its message words (spec §2.3.2) are
// computed once: lanes 0..3 and 4..7 of the word of step i of round r at 2(8r + i)
// and 2(8r + i) + 1.
var<workgroup> simd512_length_words: array<vec4<u32>, 64>;

fn simd512_prepare(lid: u32) {
    for (var j = lid; j < 256u; j += WORKGROUP_SIZE) {
        // Square and multiply over the 8 bits of j.
        var p = 1i;
        var b = 41i;
        for (var bit = 0u; bit < 8u; bit++) {
            if (((j >> bit) & 1u) != 0u) { p = p * b % 257i; }
            b = b * b % 257i;
        }
        simd512_powers[j] = p;
        if (j < 32u) {
            simd512_word_groups[j] = SIMD512_WORD_GROUPS[j];
            if (j < 7u) { simd512_permutation_xor[j] = SIMD512_PERMUTATION_XOR[j]; }
            if (j < 4u) { simd512_rotations[j] = SIMD512_ROTATIONS[j]; }
        }
    }
    // Uniform control flow: every invocation of the workgroup runs prepare.
    workgroupBarrier();
    for (var j = lid; j < 256u; j += WORKGROUP_SIZE) {
        let q = j / 4u;
        let l = j % 4u;
        if (j < 128u) { simd512_twists[q][l] = simd512_powers[j]; }
        if (j < 124u) {
            let h4 = 1u << firstLeadingBit(q + 1u);
            simd512_twiddles[q][l] = simd512_powers[(32u / h4) * (4u * (q + 1u - h4) + l)];
        }
        simd512_offsets[q][l] = simd512_powers[(256u - simd512_position(j)) % 256u];
        let idx = simd512_word_indices(j / 64u, (j / 8u) % 8u, j % 8u);
        let lanes = vec4<i32>(simd512_length_y(idx.x), simd512_length_y(idx.y), 0, 0);
        simd512_length_words[q][l] = simd512_pack(lanes.xxxx, lanes.yyyy, j / 64u).x;
    }
}

// A representative of x mod 257 of magnitude at most |x| / 256 + 256 (as 256 ≡ -1).
fn simd512_fold(x: vec4<i32>) -> vec4<i32> { return (x & vec4<i32>(0xff)) - (x >> vec4<u32>(8u)); }

// The representative of x mod 257 in -128..=128, for |x| < 2^17.
fn simd512_centered(x: vec4<i32>) -> vec4<i32> {
    let r = simd512_fold(simd512_fold(simd512_fold(x))); // -512..=767, -2..=257, -1..=256
    return select(r, r - vec4<i32>(257), r > vec4<i32>(128));
}

// Where the transform by decimation in frequency leaves y_i: index bitrev8(i).
fn simd512_position(i: u32) -> u32 { return reverseBits(i) >> 24u; }

// y_i of the length block (message length under 2^16 bits: bytes x_0, x_1 only):
// x_0 + x_1 α^i, plus the offsets α^(-i) and α^(-3i) of the final block.
fn simd512_length_y(i: u32) -> i32 {
    let x0 = i32((MSG_BYTES * 8u) & 0xffu);
    let x1 = i32((MSG_BYTES * 8u) >> 8u);
    let y = x0 + x1 * simd512_powers[i] + simd512_powers[(256u - i) % 256u]
        + simd512_powers[(768u - 3u * i) % 256u];
    return simd512_centered(vec4<i32>(y)).x;
}

// A butterfly of the transform by decimation in frequency: (a, b) <- (a + b, (a - b) t),
// the product folded.
struct SimdPair {
    sum: vec4<i32>,
    difference: vec4<i32>,
}

fn simd512_butterfly(a: vec4<i32>, b: vec4<i32>, t: vec4<i32>) -> SimdPair {
    return SimdPair(a + b, simd512_fold((a - b) * t));
}

// The transform's 4-byte slice q of the block.
fn simd512_bytes(block: ptr<function, array<u32, 32>>, q: u32) -> vec4<i32> {
    return vec4<i32>((vec4<u32>((*block)[q]) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xffu));
}

// Two stages, of half sizes h = 4 h4 and h / 2, in one pass over y: the stage of h joins
// entries p, p + h4 / 2 with p + h4, p + 3 h4 / 2; that of h / 2 then joins each pair of
// results.
fn simd512_radix4(y: ptr<function, array<vec4<i32>, 64>>, h4: u32) {
    let hh = h4 / 2u;
    for (var k = 0u; k < 16u; k++) {
        let u = k % hh;
        let p = 4u * (k - u) + u;
        let ac = simd512_butterfly((*y)[p], (*y)[p + 2u * hh], simd512_twiddles[h4 - 1u + u]);
        let bd = simd512_butterfly((*y)[p + hh], (*y)[p + 3u * hh], simd512_twiddles[h4 - 1u + hh + u]);
        let t = simd512_twiddles[hh - 1u + u];
        let ab = simd512_butterfly(ac.sum, bd.sum, t);
        let cd = simd512_butterfly(ac.difference, bd.difference, t);
        (*y)[p] = ab.sum;
        (*y)[p + hh] = ab.difference;
        (*y)[p + 2u * hh] = cd.sum;
        (*y)[p + 3u * hh] = cd.difference;
    }
}

// The expanded message y_0..y_255 (spec §2.3.1) of a 128-byte block, each in
// -128..=128, y_i at simd512_position(i) = 4q + l in lane l of y[q]: the 256-point
// transform of the block zero-extended, plus the transform of X^255 (α^(255 i) =
// α^(-i)). The stages of half size h join entries u and u + h at 2h·block + u, u < h,
// by butterflies with twiddles α^((128 / h) u), two stages per pass over y. Sums are
// left unreduced and products folded, so values stay under 2^17 and products under 2^26.
// The result goes to z in the layout simd512_word reads.
fn simd512_expand(block: ptr<function, array<u32, 32>>, z: ptr<function, array<vec4<i32>, 64>>) {
    var y: array<vec4<i32>, 64>;
    // The first stage pairs x_j with the zero x_(j+128): (x_j, x_j α^j); then the stage
    // of h = 64, straight from the block.
    for (var q = 0u; q < 16u; q++) {
        let x = simd512_bytes(block, q);
        let x16 = simd512_bytes(block, q + 16u);
        let t = simd512_twiddles[15u + q];
        let lo = simd512_butterfly(x, x16, t);
        let hi = simd512_butterfly(simd512_fold(x * simd512_twists[q]), simd512_fold(x16 * simd512_twists[q + 16u]), t);
        y[q] = lo.sum;
        y[q + 16u] = lo.difference;
        y[q + 32u] = hi.sum;
        y[q + 48u] = hi.difference;
    }
    // The stages of h = 32, 16, then 8, 4.
    simd512_radix4(&y, 8u);
    simd512_radix4(&y, 2u);
    // The stages of h = 2 (twiddles 1, α^64) and h = 1 (twiddle 1) within each entry,
    // the offsets, and the layout of the message words: position 128c + 16k' + 4G + L
    // (y[32c + 4k' + G] lane L) to z[32c + 8L + 2G + k' / 4] lane k' % 4, a 4x4
    // transpose of the entries of k' = 4h..4h + 3.
    for (var e = 0u; e < 16u; e++) {
        let source = 32u * (e / 8u) + 16u * ((e / 4u) % 2u) + e % 4u;
        var v: array<vec4<i32>, 4>;
        for (var m = 0u; m < 4u; m++) {
            let x = y[source + 4u * m];
            let t = simd512_fold(vec4<i32>(x.xy + x.zw, x.xy - x.zw) * vec4<i32>(1, 1, 1, simd512_powers[64]));
            let u = vec4<i32>(t.xz + t.yw, t.xz - t.yw).xzyw;
            v[m] = simd512_centered(u + simd512_offsets[source + 4u * m]);
        }
        let to = 32u * (e / 8u) + 2u * (e % 4u) + (e / 4u) % 2u;
        (*z)[to] = vec4<i32>(v[0].x, v[1].x, v[2].x, v[3].x);
        (*z)[to + 8u] = vec4<i32>(v[0].y, v[1].y, v[2].y, v[3].y);
        (*z)[to + 16u] = vec4<i32>(v[0].z, v[1].z, v[2].z, v[3].z);
        (*z)[to + 24u] = vec4<i32>(v[0].w, v[1].w, v[2].w, v[3].w);
    }
}

// Which y feed lane k of the message word of step i of round r (spec §2.3.2, inner
// codes): lo, hi = 16g + 2k and 16g + 2k + 1 (rounds 0, 1), 16g + 2k and that + 128
// (round 2), 16g + 2k + 1 and that + 128 (round 3), g the step's word group.
fn simd512_word_indices(r: u32, i: u32, k: u32) -> vec2<u32> {
    let lo = 16u * simd512_word_groups[8u * r + i] + select(0u, 1u, r == 3u) + 2u * k;
    return vec2<u32>(lo, lo + select(1u, 128u, r >= 2u));
}

// The lane of a message word of round r: y_lo and y_hi times 185 (rounds 0, 1) or 233
// (rounds 2, 3), 16 bits each.
fn simd512_pack(lo: vec4<i32>, hi: vec4<i32>, r: u32) -> vec4<u32> {
    let factor = vec4<i32>(select(185i, 233i, r >= 2u));
    return (vec4<u32>(lo * factor) & vec4<u32>(0xffffu)) + (vec4<u32>(hi * factor) << vec4<u32>(16u));
}

// The message word of step i of round r: from the expanded message z (see
// simd512_expand), or for the length block from simd512_length_words. The group g's
// y_(16g + 2k + c) sit in lane k' % 4 of z[32c + 8L + 2G + k' / 4], with 4G + L =
// bitrev4(g) and k' = bitrev3(k): entries A, B hold k = 0, 4, 2, 6 and 1, 5, 3, 7.
fn simd512_word(z: ptr<function, array<vec4<i32>, 64>>, length_block: bool, r: u32, i: u32) -> SimdRow {
    let step = 8u * r + i;
    if (length_block) { return SimdRow(simd512_length_words[2u * step], simd512_length_words[2u * step + 1u]); }
    let g = reverseBits(simd512_word_groups[step]) >> 28u;
    // lo: c = 1 in round 3, else 0; hi: lo + 1 (c = 1) in rounds 0, 1, else lo + 128
    // (g < 8: L + 1).
    let lo = 32u * select(0u, 1u, r == 3u) + 8u * (g % 4u) + 2u * (g / 4u);
    let hi = lo + select(32u, 8u, r >= 2u);
    let a = (*z)[lo];
    let b = (*z)[lo + 1u];
    let c = (*z)[hi];
    let d = (*z)[hi + 1u];
    return SimdRow(simd512_pack(vec4<i32>(a.x, b.x, a.z, b.z), vec4<i32>(c.x, d.x, c.z, d.z), r),
                   simd512_pack(vec4<i32>(a.y, b.y, a.w, b.w), vec4<i32>(c.y, d.y, c.w, d.w), r));
}

fn simd512_xor(x: SimdRow, y: SimdRow) -> SimdRow { return SimdRow(x.lo ^ y.lo, x.hi ^ y.hi); }

fn simd512_rotl(x: SimdRow, n: u32) -> SimdRow {
    let m = vec4<u32>((32u - n) & 31u);
    return SimdRow((x.lo << vec4<u32>(n)) | (x.lo >> m), (x.hi << vec4<u32>(n)) | (x.hi >> m));
}

// The step permutation p^(k) with p = simd512_permutation_xor[k]: lane n takes lane
// n ^ p, as a swap of the halves (bit 2) and swizzles (bits 0, 1).
fn simd512_permute(x: SimdRow, p: u32) -> SimdRow {
    let swap = (p & 4u) != 0u;
    var lo = select(x.lo, x.hi, swap);
    var hi = select(x.hi, x.lo, swap);
    if ((p & 1u) != 0u) { lo = lo.yxwz; hi = hi.yxwz; }
    if ((p & 2u) != 0u) { lo = lo.zwxy; hi = hi.zwxy; }
    return SimdRow(lo, hi);
}

// The Boolean function of a step: MAJ, else IF.
fn simd512_phi(a: vec4<u32>, b: vec4<u32>, c: vec4<u32>, maj: bool) -> vec4<u32> {
    return select(((b ^ c) & a) ^ c, (a & b) | ((a | b) & c), maj);
}

// One step (spec §2.4.1) on the state s, with message word w, rotations r then s,
// permutation p^(k) and the Boolean function MAJ (else IF):
// (A, B, C, D) <- ((D + W + φ(A, B, C)) <<< s + p^(k)(A <<< r), A <<< r, B, C).
fn simd512_step(st: SimdState, w: SimdRow, r: u32, s: u32, k: u32, maj: bool) -> SimdState {
    let a = st.a;
    let b = st.b;
    let c = st.c;
    let rotated = simd512_rotl(a, r);
    let t = simd512_rotl(SimdRow(st.d.lo + w.lo + simd512_phi(a.lo, b.lo, c.lo, maj),
                                 st.d.hi + w.hi + simd512_phi(a.hi, b.hi, c.hi, maj)), s);
    let fed = simd512_permute(rotated, simd512_permutation_xor[k]);
    return SimdState(SimdRow(t.lo + fed.lo, t.hi + fed.hi), rotated, b, c);
}

// Row j (words 8j..8j+8) of a block.
fn simd512_block_row(block: ptr<function, array<u32, 32>>, j: u32) -> SimdRow {
    return SimdRow(vec4<u32>((*block)[8u * j], (*block)[8u * j + 1u], (*block)[8u * j + 2u], (*block)[8u * j + 3u]),
                   vec4<u32>((*block)[8u * j + 4u], (*block)[8u * j + 5u], (*block)[8u * j + 6u], (*block)[8u * j + 7u]));
}

// The compression function (spec §2.4) of the block (little-endian words) with
// expanded message z: the state is the chaining value XOR the block; four rounds of
// eight steps, IF in the first four and MAJ in the others; then the feed-forward,
// four IF steps with the chaining value rows as message words.
fn simd512_compress(chain: SimdState, block: ptr<function, array<u32, 32>>,
                    z: ptr<function, array<vec4<i32>, 64>>, length_block: bool) -> SimdState {
    var st = SimdState(simd512_xor(chain.a, simd512_block_row(block, 0u)), simd512_xor(chain.b, simd512_block_row(block, 1u)),
                       simd512_xor(chain.c, simd512_block_row(block, 2u)), simd512_xor(chain.d, simd512_block_row(block, 3u)));
    for (var r = 0u; r < 4u; r++) {
        let pi = simd512_rotations[r];
        for (var i = 0u; i < 8u; i++) {
            st = simd512_step(st, simd512_word(z, length_block, r, i), pi[i % 4u], pi[(i + 1u) % 4u], (i + r) % 7u, i >= 4u);
        }
    }
    // Step i of the feed-forward uses rotations π3[i], π3[i + 1] and p^((i + 4) mod 7).
    let pi = simd512_rotations[3];
    st = simd512_step(st, chain.a, pi.x, pi.y, 4u, false);
    st = simd512_step(st, chain.b, pi.y, pi.z, 5u, false);
    st = simd512_step(st, chain.c, pi.z, pi.w, 6u, false);
    return simd512_step(st, chain.d, pi.w, pi.x, 0u, false);
}

fn simd512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var block: array<u32, 32>;
    var z: array<vec4<i32>, 64>;
    for (var j = 0u; j < MSG_BYTES / 4u; j++) { block[j] = (*msg)[j]; }
    simd512_expand(&block, &z);
    var chain = simd512_compress(SIMD512_IV, &block, &z, false);
    // Padding (spec §2.5): the length block holds the message length in bits,
    // little-endian, and takes the final expansion offsets (its words precomputed).
    block = array<u32, 32>();
    block[0] = MSG_BYTES * 8u;
    chain = simd512_compress(chain, &block, &z, true);

    // The digest: rows A and B.
    let a = chain.a;
    let b = chain.b;
    return array<u32, 16>(a.lo.x, a.lo.y, a.lo.z, a.lo.w, a.hi.x, a.hi.y, a.hi.z, a.hi.w,
                          b.lo.x, b.lo.y, b.lo.z, b.lo.w, b.hi.x, b.hi.y, b.hi.z, b.hi.w);
}

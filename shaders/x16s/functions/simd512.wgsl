// SIMD-512 (Leurent, Bouillaguet, Fouque: "SIMD Is a Message Digest", v1.1 with the
// round-2 tweak), as sphlib: the MSG_BYTES-byte message as one zero-filled 128-byte
// block, then the length block.

// Initial chaining value of SIMD-512 (spec appendix, IV for n = 512): rows A, B, C, D.
const SIMD512_IV = array<u32, 32>(
    0x0ba16b95u, 0x72f999adu, 0x9fecc2aeu, 0xba3264fcu, 0x5e894929u, 0x8e9f30e5u, 0x2f1daa37u, 0xf0f2c558u,
    0xac506643u, 0xa90635a5u, 0xe25b878bu, 0xaab7878fu, 0x88817f7au, 0x0a02892bu, 0x559a7550u, 0x598f657eu,
    0x7eef60a1u, 0x6b70e3e8u, 0x9c1714d1u, 0xb958e2a8u, 0xab02675eu, 0xed1c014fu, 0xcd8d65bbu, 0xfdb7a257u,
    0x09254899u, 0xd699c7bcu, 0x9019b6dcu, 0x2b9022e4u, 0x8fa14956u, 0x21bf9bd3u, 0xb94d0943u, 0x6ffddc22u
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
// (spec §2.3.1), in workgroup memory (1 KiB).
var<workgroup> simd512_powers: array<i32, 256>;

// The tables above, in workgroup memory: indexed by run-time round and step numbers,
// a const array would be copied whole at each lookup.
var<workgroup> simd512_rotations: array<vec4<u32>, 4>;
var<workgroup> simd512_permutation_xor: array<u32, 7>;
var<workgroup> simd512_word_groups: array<u32, 32>;

fn simd512_prepare(lid: u32) {
    for (var j = lid; j < 32u; j += WORKGROUP_SIZE) {
        simd512_word_groups[j] = SIMD512_WORD_GROUPS[j];
        if (j < 7u) { simd512_permutation_xor[j] = SIMD512_PERMUTATION_XOR[j]; }
        if (j < 4u) { simd512_rotations[j] = SIMD512_ROTATIONS[j]; }
    }
    for (var j = lid; j < 256u; j += WORKGROUP_SIZE) {
        // Square and multiply over the 8 bits of j.
        var p = 1i;
        var b = 41i;
        for (var bit = 0u; bit < 8u; bit++) {
            if (((j >> bit) & 1u) != 0u) { p = p * b % 257i; }
            b = b * b % 257i;
        }
        simd512_powers[j] = p;
    }
}

// A representative of x mod 257 of magnitude at most |x| / 256 + 256 (as 256 ≡ -1).
fn simd512_fold(x: i32) -> i32 { return (x & 0xff) - (x >> 8u); }

// The representative of x mod 257 in -128..=128, for |x| < 2^17.
fn simd512_centered(x: i32) -> i32 {
    let r = simd512_fold(simd512_fold(simd512_fold(x))); // -512..=767, -2..=257, -1..=256
    return select(r, r - 257i, r > 128i);
}

// Where the transform by decimation in frequency leaves y_i: index bitrev8(i).
fn simd512_position(i: u32) -> u32 { return reverseBits(i) >> 24u; }

// The expanded message y_0..y_255 (spec §2.3.1) of the 128-byte block, each in
// -128..=128, y_i at simd512_position(i): the 256-point transform of the block
// zero-extended, plus the transform of X^255 (α^(255 i) = α^(-i)), and of X^253 too
// (α^(-3i)) for the length block. Sums are left unreduced and products folded, so
// values stay under 2^16 and products under 2^25.
fn simd512_expand(block: ptr<function, array<u32, 32>>, y: ptr<function, array<i32, 256>>, last: bool) {
    if (last) {
        // The length block has two nonzero bytes (lengths under 2^16 bits): the
        // transform is x_0 + x_1 α^i directly.
        let x0 = i32((*block)[0] & 0xffu);
        let x1 = i32(((*block)[0] >> 8u) & 0xffu);
        for (var p = 0u; p < 256u; p++) {
            (*y)[p] = x0 + simd512_fold(x1 * simd512_powers[simd512_position(p)]);
        }
    } else {
        // The first stage pairs x_j with the zero x_(j+128): (x_j, x_j α^j).
        for (var j = 0u; j < 128u; j++) {
            let x = i32(((*block)[j / 4u] >> (8u * (j % 4u))) & 0xffu);
            (*y)[j] = x;
            (*y)[j + 128u] = simd512_fold(x * simd512_powers[j]);
        }
        // The stages joining halves of h = 64, 32, .., 1: butterflies
        // (x, y) <- (x + y, (x - y) α^((128 / h) u)) at 2h·block + u, u < h.
        for (var stage = 1u; stage < 8u; stage++) {
            let h = 128u >> stage;
            for (var k = 0u; k < 128u; k++) {
                let u = k % h;
                let lo = 2u * (k - u) + u;
                let a = (*y)[lo];
                let b = (*y)[lo + h];
                (*y)[lo] = a + b;
                (*y)[lo + h] = simd512_fold((a - b) * simd512_powers[(128u / h) * u]);
            }
        }
    }
    for (var p = 0u; p < 256u; p++) {
        let i = simd512_position(p);
        var offset = simd512_powers[(256u - i) % 256u];
        if (last) { offset += simd512_powers[(768u - 3u * i) % 256u]; }
        (*y)[p] = simd512_centered((*y)[p] + offset);
    }
}

// The message word W of step i of round r (spec §2.3.2, inner codes): lane k packs
// y_lo and y_hi times 185 (rounds 0, 1) or 233 (rounds 2, 3), with lo, hi =
// 16g + 2k and 16g + 2k + 1 (rounds 0, 1), 16g + 2k and that + 128 (round 2),
// 16g + 2k + 1 and that + 128 (round 3), g the step's word group.
fn simd512_word(y: ptr<function, array<i32, 256>>, r: u32, i: u32) -> array<u32, 8> {
    let base = 16u * simd512_word_groups[8u * r + i] + select(0u, 1u, r == 3u);
    let step = select(1u, 128u, r >= 2u);
    let factor = select(185i, 233i, r >= 2u);
    var w: array<u32, 8>;
    for (var k = 0u; k < 8u; k++) {
        let lo = u32((*y)[simd512_position(base + 2u * k)] * factor);
        let hi = u32((*y)[simd512_position(base + 2u * k + step)] * factor);
        w[k] = (lo & 0xffffu) + (hi << 16u);
    }
    return w;
}

// One step (spec §2.4.1) on the rows A, B, C, D of s, with message word w, rotations
// r then s, permutation p^(k) and the Boolean function MAJ (else IF).
fn simd512_step(st: ptr<function, array<u32, 32>>, w: array<u32, 8>, r: u32, s: u32, k: u32, maj: bool) {
    var rotated: array<u32, 8>;
    var t: array<u32, 8>;
    for (var n = 0u; n < 8u; n++) {
        let a = (*st)[n];
        let b = (*st)[8u + n];
        let c = (*st)[16u + n];
        let phi = select(((b ^ c) & a) ^ c, (a & b) | ((a | b) & c), maj);
        rotated[n] = rotl32(a, r);
        t[n] = rotl32((*st)[24u + n] + w[n] + phi, s);
    }
    for (var n = 0u; n < 8u; n++) {
        (*st)[24u + n] = (*st)[16u + n];
        (*st)[16u + n] = (*st)[8u + n];
        (*st)[8u + n] = rotated[n];
        (*st)[n] = t[n] + rotated[n ^ simd512_permutation_xor[k]];
    }
}

// The compression function (spec §2.4) of the block (little-endian words) with
// expanded message y: the state is the chaining value XOR the block; four rounds of
// eight steps, IF in the first four and MAJ in the others; then the feed-forward,
// four IF steps with the chaining value rows as message words.
fn simd512_compress(chain: ptr<function, array<u32, 32>>, block: ptr<function, array<u32, 32>>, y: ptr<function, array<i32, 256>>) {
    var st: array<u32, 32>;
    for (var j = 0u; j < 32u; j++) { st[j] = (*chain)[j] ^ (*block)[j]; }
    for (var r = 0u; r < 4u; r++) {
        let pi = simd512_rotations[r];
        for (var i = 0u; i < 8u; i++) {
            simd512_step(&st, simd512_word(y, r, i), pi[i % 4u], pi[(i + 1u) % 4u], (i + r) % 7u, i >= 4u);
        }
    }
    let pi = simd512_rotations[3];
    for (var i = 0u; i < 4u; i++) {
        var w: array<u32, 8>;
        for (var n = 0u; n < 8u; n++) { w[n] = (*chain)[8u * i + n]; }
        simd512_step(&st, w, pi[i], pi[(i + 1u) % 4u], (i + 4u) % 7u, false);
    }
    *chain = st;
}

fn simd512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var chain = SIMD512_IV;
    var block: array<u32, 32>;
    var y: array<i32, 256>;
    for (var j = 0u; j < MSG_BYTES / 4u; j++) { block[j] = (*msg)[j]; }
    simd512_expand(&block, &y, false);
    simd512_compress(&chain, &block, &y);
    // Padding (spec §2.5): the length block holds the message length in bits,
    // little-endian, and takes the final expansion offsets.
    block = array<u32, 32>();
    block[0] = MSG_BYTES * 8u;
    simd512_expand(&block, &y, true);
    simd512_compress(&chain, &block, &y);

    var out: array<u32, 16>;
    for (var j = 0u; j < 16u; j++) { out[j] = chain[j]; }
    return out;
}

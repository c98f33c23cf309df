// Shabal-512 (the SHA-3 round-2 specification: r = 12 words of A, p = 3 loops of the
// keyed permutation, 3 final rounds), as sphlib's sph_shabal512 and RustCrypto's shabal.
// The message is one full 64-byte block and a last, padded block.

struct ShabalState {
    a: array<u32, 12>,
    b: array<u32, 16>,
    c: array<u32, 16>,
}

// A, B, C after the prefix blocks of the 512-bit variant (the spec's initial values,
// as shabal's INIT_512).
const SHABAL512_IV = ShabalState(
    array<u32, 12>(
        0x20728dfdu, 0x46c0bd53u, 0xe782b699u, 0x55304632u,
        0x71b4ef90u, 0x0ea9e82cu, 0xdbb930f1u, 0xfad06b8bu,
        0xbe0cae40u, 0x8bd14410u, 0x76d2adacu, 0x28acab7fu,
    ),
    array<u32, 16>(
        0xc1099cb7u, 0x07b385f3u, 0xe7442c26u, 0xcc8ad640u,
        0xeb6f56c7u, 0x1ea81aa9u, 0x73b9d314u, 0x1de85d08u,
        0x48910a5au, 0x893b22dbu, 0xc5a0df44u, 0xbbc4324eu,
        0x72d2f240u, 0x75941d99u, 0x6d8bde82u, 0xa1a7502bu,
    ),
    array<u32, 16>(
        0xd9bf68d1u, 0x58bad750u, 0x56028cb2u, 0x8134f359u,
        0xb5d469d8u, 0x941a8cc2u, 0x418b2a6eu, 0x04052780u,
        0x7f07d787u, 0x5194358fu, 0x3c60d665u, 0xbe97d79au,
        0x950c3434u, 0xaed9a06du, 0x2537dc8du, 0x7cdb5969u,
    ),
);

// The keyed permutation P_{M,C}(A, B): rotate B, 3 loops of 16 steps, then add C into A.
fn shabal512_perm(s: ptr<function, ShabalState>, m: ptr<function, array<u32, 16>>) {
    for (var j = 0u; j < 16u; j++) { (*s).b[j] = rotl32((*s).b[j], 17u); }
    for (var loop_ = 0u; loop_ < 3u; loop_++) {
        for (var j = 0u; j < 16u; j++) {
            // Step i = 16 loop_ + j: A[i mod 12] from A[i - 1 mod 12], C[8 - j mod 16],
            // B[j + 13], B[j + 9], B[j + 6] (mod 16) and M[j]; then B[j].
            let a0 = (4u * loop_ + j) % 12u;
            let a1 = (4u * loop_ + j + 11u) % 12u;
            let u = ((*s).a[a0] ^ (rotl32((*s).a[a1], 15u) * 5u) ^ (*s).c[(24u - j) % 16u]) * 3u;
            (*s).a[a0] = u ^ (*s).b[(j + 13u) % 16u] ^ ((*s).b[(j + 9u) % 16u] & ~(*s).b[(j + 6u) % 16u]) ^ (*m)[j];
            (*s).b[j] = ~(rotl32((*s).b[j], 1u) ^ (*s).a[a0]);
        }
    }
    for (var k = 0u; k < 12u; k++) {
        (*s).a[k] += (*s).c[(k + 11u) % 16u] + (*s).c[(k + 15u) % 16u] + (*s).c[(k + 3u) % 16u];
    }
}

fn shabal512_swap_bc(s: ptr<function, ShabalState>) {
    let t = (*s).b;
    (*s).b = (*s).c;
    (*s).c = t;
}

fn shabal512_prepare(lid: u32) {}

fn shabal512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var s = SHABAL512_IV;

    // The first block (counter W = 1): B += M, A[0..2] ^= W, P, C -= M, swap B and C.
    var m: array<u32, 16>;
    for (var j = 0u; j < 16u; j++) { m[j] = (*msg)[j]; }
    for (var j = 0u; j < 16u; j++) { s.b[j] += m[j]; }
    s.a[0] ^= 1u;
    shabal512_perm(&s, &m);
    for (var j = 0u; j < 16u; j++) { s.c[j] -= m[j]; }
    shabal512_swap_bc(&s);

    // The last block (W = 2): the rest of the message, 0x80, zeros.
    for (var j = 0u; j < 16u; j++) { m[j] = 0u; }
    for (var j = 0u; j < MSG_BYTES / 4u - 16u; j++) { m[j] = (*msg)[16u + j]; }
    m[MSG_BYTES / 4u - 16u] = 0x80u;
    for (var j = 0u; j < 16u; j++) { s.b[j] += m[j]; }
    // Its round, then the 3 final rounds (swap B and C, A[0..2] ^= W, P), W unchanged.
    for (var r = 0u; r < 4u; r++) {
        if (r > 0u) { shabal512_swap_bc(&s); }
        s.a[0] ^= 2u;
        shabal512_perm(&s, &m);
    }

    // The digest: B, little-endian words.
    return s.b;
}

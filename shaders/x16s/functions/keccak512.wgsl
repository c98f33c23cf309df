// Keccak-512 (the SHA-3 submission, as sphlib and RustCrypto's `sha3::Keccak512`):
// Keccak-f[1600], rate 72 bytes (9 lanes), the original padding 0x01 ... 0x80
// (not SHA3-512's 0x06). Lanes are little-endian; lane x + 5y is a[x + 5 * y].

const KECCAK512_RATE_LANES: u32 = 9u;

// Round constants of the iota step (as the RustCrypto `keccak` crate, the output
// of the LFSR of the Keccak reference), each as (high word, low word).
const KECCAK512_RC = array<u32, 48>(
    0x00000000u, 0x00000001u, 0x00000000u, 0x00008082u,
    0x80000000u, 0x0000808au, 0x80000000u, 0x80008000u,
    0x00000000u, 0x0000808bu, 0x00000000u, 0x80000001u,
    0x80000000u, 0x80008081u, 0x80000000u, 0x00008009u,
    0x00000000u, 0x0000008au, 0x00000000u, 0x00000088u,
    0x00000000u, 0x80008009u, 0x00000000u, 0x8000000au,
    0x00000000u, 0x8000808bu, 0x80000000u, 0x0000008bu,
    0x80000000u, 0x00008089u, 0x80000000u, 0x00008003u,
    0x80000000u, 0x00008002u, 0x80000000u, 0x00000080u,
    0x00000000u, 0x0000800au, 0x80000000u, 0x8000000au,
    0x80000000u, 0x80008081u, 0x80000000u, 0x00008080u,
    0x00000000u, 0x80000001u, 0x80000000u, 0x80008008u
);

// Keccak-f[1600]: 24 rounds of theta, rho and pi, chi, iota.
fn keccak512_permute(a: ptr<function, array<w64, 25>>) {
    for (var round = 0u; round < 24u; round++) {
        // theta: xor each lane with the parities of two neighbouring columns.
        var c: array<w64, 5>;
        for (var x = 0u; x < 5u; x++) {
            c[x] = w64_xor(w64_xor(w64_xor((*a)[x], (*a)[x + 5u]), w64_xor((*a)[x + 10u], (*a)[x + 15u])), (*a)[x + 20u]);
        }
        for (var x = 0u; x < 5u; x++) {
            let d = w64_xor(c[(x + 4u) % 5u], w64_rotl(c[(x + 1u) % 5u], 1u));
            for (var y = 0u; y < 25u; y += 5u) { (*a)[x + y] = w64_xor((*a)[x + y], d); }
        }
        // rho and pi in place: follow the cycle of pi from lane 1, rotating each lane
        // by its rho offset as it moves.
        let t = (*a)[1];
        (*a)[1] = w64_rotl((*a)[6], 44u);
        (*a)[6] = w64_rotl((*a)[9], 20u);
        (*a)[9] = w64_rotl((*a)[22], 61u);
        (*a)[22] = w64_rotl((*a)[14], 39u);
        (*a)[14] = w64_rotl((*a)[20], 18u);
        (*a)[20] = w64_rotl((*a)[2], 62u);
        (*a)[2] = w64_rotl((*a)[12], 43u);
        (*a)[12] = w64_rotl((*a)[13], 25u);
        (*a)[13] = w64_rotl((*a)[19], 8u);
        (*a)[19] = w64_rotl((*a)[23], 56u);
        (*a)[23] = w64_rotl((*a)[15], 41u);
        (*a)[15] = w64_rotl((*a)[4], 27u);
        (*a)[4] = w64_rotl((*a)[24], 14u);
        (*a)[24] = w64_rotl((*a)[21], 2u);
        (*a)[21] = w64_rotl((*a)[8], 55u);
        (*a)[8] = w64_rotl((*a)[16], 45u);
        (*a)[16] = w64_rotl((*a)[5], 36u);
        (*a)[5] = w64_rotl((*a)[3], 28u);
        (*a)[3] = w64_rotl((*a)[18], 21u);
        (*a)[18] = w64_rotl((*a)[17], 15u);
        (*a)[17] = w64_rotl((*a)[11], 10u);
        (*a)[11] = w64_rotl((*a)[7], 6u);
        (*a)[7] = w64_rotl((*a)[10], 3u);
        (*a)[10] = w64_rotl(t, 1u);
        // chi: each row becomes b[x] ^ (~b[x + 1] & b[x + 2]).
        for (var y = 0u; y < 25u; y += 5u) {
            var b: array<w64, 5>;
            for (var x = 0u; x < 5u; x++) { b[x] = (*a)[y + x]; }
            for (var x = 0u; x < 5u; x++) {
                (*a)[y + x] = w64_xor(b[x], w64_and(w64_not(b[(x + 1u) % 5u]), b[(x + 2u) % 5u]));
            }
        }
        // iota
        (*a)[0] = w64_xor((*a)[0], w64c(KECCAK512_RC[2u * round], KECCAK512_RC[2u * round + 1u]));
    }
}

fn keccak512_prepare(lid: u32) {}

fn keccak512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var a: array<w64, 25>; // zero-initialised
    // Absorb the full blocks (one 72-byte block when MSG_BYTES is 80).
    let full_blocks = MSG_BYTES / (8u * KECCAK512_RATE_LANES);
    for (var b = 0u; b < full_blocks; b++) {
        for (var i = 0u; i < KECCAK512_RATE_LANES; i++) {
            let w = 2u * (KECCAK512_RATE_LANES * b + i);
            a[i] = w64_xor(a[i], w64_le((*msg)[w], (*msg)[w + 1u]));
        }
        keccak512_permute(&a);
    }
    // The last block: the remaining lanes, then the padding byte 0x01 and the final 0x80.
    let done = KECCAK512_RATE_LANES * full_blocks;
    let rest = MSG_BYTES / 8u - done;
    for (var i = 0u; i < rest; i++) {
        a[i] = w64_xor(a[i], w64_le((*msg)[2u * (done + i)], (*msg)[2u * (done + i) + 1u]));
    }
    a[rest] = w64_xor(a[rest], w64c(0u, 0x01u));
    a[KECCAK512_RATE_LANES - 1u] = w64_xor(a[KECCAK512_RATE_LANES - 1u], w64c(0x80000000u, 0u));
    keccak512_permute(&a);

    // Squeeze: the first 8 lanes, little-endian.
    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        out[2u * j] = w64_lo(a[j]);
        out[2u * j + 1u] = w64_hi(a[j]);
    }
    return out;
}

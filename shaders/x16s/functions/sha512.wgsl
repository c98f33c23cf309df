// SHA-512 (FIPS 180-4) of the MSG_BYTES-byte message: one 128-byte block.

// Round constants, each as (high word, low word).
const SHA512_K = array<u32, 160>(
    0x428a2f98u, 0xd728ae22u, 0x71374491u, 0x23ef65cdu,
    0xb5c0fbcfu, 0xec4d3b2fu, 0xe9b5dba5u, 0x8189dbbcu,
    0x3956c25bu, 0xf348b538u, 0x59f111f1u, 0xb605d019u,
    0x923f82a4u, 0xaf194f9bu, 0xab1c5ed5u, 0xda6d8118u,
    0xd807aa98u, 0xa3030242u, 0x12835b01u, 0x45706fbeu,
    0x243185beu, 0x4ee4b28cu, 0x550c7dc3u, 0xd5ffb4e2u,
    0x72be5d74u, 0xf27b896fu, 0x80deb1feu, 0x3b1696b1u,
    0x9bdc06a7u, 0x25c71235u, 0xc19bf174u, 0xcf692694u,
    0xe49b69c1u, 0x9ef14ad2u, 0xefbe4786u, 0x384f25e3u,
    0x0fc19dc6u, 0x8b8cd5b5u, 0x240ca1ccu, 0x77ac9c65u,
    0x2de92c6fu, 0x592b0275u, 0x4a7484aau, 0x6ea6e483u,
    0x5cb0a9dcu, 0xbd41fbd4u, 0x76f988dau, 0x831153b5u,
    0x983e5152u, 0xee66dfabu, 0xa831c66du, 0x2db43210u,
    0xb00327c8u, 0x98fb213fu, 0xbf597fc7u, 0xbeef0ee4u,
    0xc6e00bf3u, 0x3da88fc2u, 0xd5a79147u, 0x930aa725u,
    0x06ca6351u, 0xe003826fu, 0x14292967u, 0x0a0e6e70u,
    0x27b70a85u, 0x46d22ffcu, 0x2e1b2138u, 0x5c26c926u,
    0x4d2c6dfcu, 0x5ac42aedu, 0x53380d13u, 0x9d95b3dfu,
    0x650a7354u, 0x8baf63deu, 0x766a0abbu, 0x3c77b2a8u,
    0x81c2c92eu, 0x47edaee6u, 0x92722c85u, 0x1482353bu,
    0xa2bfe8a1u, 0x4cf10364u, 0xa81a664bu, 0xbc423001u,
    0xc24b8b70u, 0xd0f89791u, 0xc76c51a3u, 0x0654be30u,
    0xd192e819u, 0xd6ef5218u, 0xd6990624u, 0x5565a910u,
    0xf40e3585u, 0x5771202au, 0x106aa070u, 0x32bbd1b8u,
    0x19a4c116u, 0xb8d2d0c8u, 0x1e376c08u, 0x5141ab53u,
    0x2748774cu, 0xdf8eeb99u, 0x34b0bcb5u, 0xe19b48a8u,
    0x391c0cb3u, 0xc5c95a63u, 0x4ed8aa4au, 0xe3418acbu,
    0x5b9cca4fu, 0x7763e373u, 0x682e6ff3u, 0xd6b2b8a3u,
    0x748f82eeu, 0x5defb2fcu, 0x78a5636fu, 0x43172f60u,
    0x84c87814u, 0xa1f0ab72u, 0x8cc70208u, 0x1a6439ecu,
    0x90befffau, 0x23631e28u, 0xa4506cebu, 0xde82bde9u,
    0xbef9a3f7u, 0xb2c67915u, 0xc67178f2u, 0xe372532bu,
    0xca273eceu, 0xea26619cu, 0xd186b8c7u, 0x21c0c207u,
    0xeada7dd6u, 0xcde0eb1eu, 0xf57d4f7fu, 0xee6ed178u,
    0x06f067aau, 0x72176fbau, 0x0a637dc5u, 0xa2c898a6u,
    0x113f9804u, 0xbef90daeu, 0x1b710b35u, 0x131c471bu,
    0x28db77f5u, 0x23047d84u, 0x32caab7bu, 0x40c72493u,
    0x3c9ebe0au, 0x15c9bebcu, 0x431d67c4u, 0x9c100d4cu,
    0x4cc5d4beu, 0xcb3e42b6u, 0x597f299cu, 0xfc657e2au,
    0x5fcb6fabu, 0x3ad6faecu, 0x6c44198cu, 0x4a475817u
);
const SHA512_IV = array<u32, 16>(
    0x6a09e667u, 0xf3bcc908u, 0xbb67ae85u, 0x84caa73bu,
    0x3c6ef372u, 0xfe94f82bu, 0xa54ff53au, 0x5f1d36f1u,
    0x510e527fu, 0xade682d1u, 0x9b05688cu, 0x2b3e6c1fu,
    0x1f83d9abu, 0xfb41bd6bu, 0x5be0cd19u, 0x137e2179u
);

// The round constants in workgroup memory: naga copies a `const` array into a
// temporary whenever it is indexed by a run-time value.
var<workgroup> sha512_k: array<u32, 160>;

fn sha512_prepare(lid: u32) {
    for (var j = lid; j < 160u; j += WORKGROUP_SIZE) { sha512_k[j] = SHA512_K[j]; }
}

fn sha512_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16> {
    var w: array<w64, 16>;
    for (var t = 0u; t < MSG_BYTES / 8u; t++) { w[t] = w64_be((*msg)[2u * t], (*msg)[2u * t + 1u]); }
    w[MSG_BYTES / 8u] = w64c(0x80000000u, 0u);
    for (var t = MSG_BYTES / 8u + 1u; t < 15u; t++) { w[t] = w64c(0u, 0u); }
    w[15] = w64c(0u, MSG_BYTES * 8u);

    var s: array<w64, 8>;
    for (var j = 0u; j < 8u; j++) { s[j] = w64c(SHA512_IV[2u * j], SHA512_IV[2u * j + 1u]); }
    var a = s[0]; var b = s[1]; var c = s[2]; var d = s[3];
    var e = s[4]; var f = s[5]; var g = s[6]; var h = s[7];
    for (var t = 0u; t < 80u; t++) {
        if (t >= 16u) {
            let w15 = w[(t + 1u) % 16u];
            let w2 = w[(t + 14u) % 16u];
            let s0 = w64_xor(w64_xor(w64_rotr(w15, 1u), w64_rotr(w15, 8u)), w64_shr(w15, 7u));
            let s1 = w64_xor(w64_xor(w64_rotr(w2, 19u), w64_rotr(w2, 61u)), w64_shr(w2, 6u));
            w[t % 16u] = w64_add(w64_add(w[t % 16u], s0), w64_add(w[(t + 9u) % 16u], s1));
        }
        let sum1 = w64_xor(w64_xor(w64_rotr(e, 14u), w64_rotr(e, 18u)), w64_rotr(e, 41u));
        let ch = w64_xor(w64_and(e, f), w64_and(w64_not(e), g));
        let k = w64c(sha512_k[2u * t], sha512_k[2u * t + 1u]);
        let t1 = w64_add(w64_add(w64_add(h, sum1), w64_add(ch, k)), w[t % 16u]);
        let sum0 = w64_xor(w64_xor(w64_rotr(a, 28u), w64_rotr(a, 34u)), w64_rotr(a, 39u));
        let maj = w64_xor(w64_xor(w64_and(a, b), w64_and(a, c)), w64_and(b, c));
        let t2 = w64_add(sum0, maj);
        h = g; g = f; f = e; e = w64_add(d, t1);
        d = c; c = b; b = a; a = w64_add(t1, t2);
    }
    s[0] = w64_add(s[0], a); s[1] = w64_add(s[1], b); s[2] = w64_add(s[2], c); s[3] = w64_add(s[3], d);
    s[4] = w64_add(s[4], e); s[5] = w64_add(s[5], f); s[6] = w64_add(s[6], g); s[7] = w64_add(s[7], h);

    var out: array<u32, 16>;
    for (var j = 0u; j < 8u; j++) {
        out[2u * j] = bswap32(w64_hi(s[j]));
        out[2u * j + 1u] = bswap32(w64_lo(s[j]));
    }
    return out;
}

// One X16S step over a batch of nonces, for the function whose file is appended
// (X16S_FN is replaced by its name). The host prepends:
//   const STEP: u32          0: first step (hashes the 80-byte header with the nonce),
//                            1: middle step (64-byte state in, 64-byte state out),
//                            2: last step (64-byte state in, nonces meeting the target out)
//   const MSG_BYTES: u32     80 on the first step, 64 otherwise
//   const WORKGROUP_SIZE: u32
//   const HEADER_WORDS: u32  20: the mining header's length in words
//   const NONCE_WORD: u32    19: where its nonce sits (gpunion_interface's header layout)
// and the w64 prelude (native u64 or u32 pairs) and common.wgsl.
//
// Each function file defines
//   fn X16S_FN_prepare(lid: u32)       workgroup-table set-up (may do nothing)
//   fn X16S_FN_hash(msg: ptr<function, array<u32, 20>>) -> array<u32, 16>
// hashing the first MSG_BYTES bytes of msg (little-endian words) to 64 bytes.

struct Params {
    header: array<vec4<u32>, 5>,
    hash_target: array<vec4<u32>, 2>,
    nonce_base: u32,
    count: u32,
    found_capacity: u32,
    reserved: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
// 16 words per nonce: the digest of the previous step, overwritten by this one.
@group(0) @binding(1) var<storage, read_write> states: array<u32>;
// found[0]: how many nonces met the target; found[1..]: the first found_capacity of them.
@group(0) @binding(2) var<storage, read_write> found: array<atomic<u32>>;

fn header_word(i: u32) -> u32 { return params.header[i / 4u][i % 4u]; }
fn target_word(i: u32) -> u32 { return params.hash_target[i / 4u][i % 4u]; }

// Whether the first 32 bytes of a digest, read as a little-endian 256-bit number,
// are at or under the target.
fn meets_target(digest: array<u32, 16>) -> bool {
    for (var k = 7i; k >= 0i; k--) {
        let h = digest[k];
        let t = target_word(u32(k));
        if (h != t) { return h < t; }
    }
    return true;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    x16s_lane = lid;
    X16S_FN_prepare(lid);
    workgroupBarrier();
    let i = gid.x;
    if (i >= params.count) { return; }
    let nonce = params.nonce_base + i;
    var msg: array<u32, 20>;
    if (STEP == 0u) {
        for (var w = 0u; w < HEADER_WORDS; w++) { msg[w] = header_word(w); }
        msg[NONCE_WORD] = nonce;
    } else {
        for (var w = 0u; w < 16u; w++) { msg[w] = states[i * 16u + w]; }
    }
    let digest = X16S_FN_hash(&msg);
    if (STEP == 2u) {
        if (meets_target(digest)) {
            let slot = atomicAdd(&found[0], 1u);
            if (slot < params.found_capacity) { atomicStore(&found[1u + slot], nonce); }
        }
    } else {
        for (var w = 0u; w < 16u; w++) { states[i * 16u + w] = digest[w]; }
    }
}

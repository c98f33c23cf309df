// C = A x B for 64 x 64 matrices of u32, row-major, arithmetic modulo 2^32 (WGSL's
// u32 wraps, like Rust's wrapping_mul / wrapping_add): exact, so the CPU reference
// in gpu-node/tests/jobs.rs must agree bit for bit.

const N: u32 = 64u;
const WORKGROUP: u32 = 8u;

@group(0) @binding(0) var<storage, read> a: array<u32, 4096>;
@group(0) @binding(1) var<storage, read> b: array<u32, 4096>;
@group(0) @binding(2) var<storage, read_write> c: array<u32, 4096>;

@compute @workgroup_size(WORKGROUP, WORKGROUP)
fn multiply(@builtin(global_invocation_id) id: vec3<u32>) {
    let row = id.y;
    let column = id.x;
    var sum = 0u;
    for (var k = 0u; k < N; k += 1u) {
        sum += a[row * N + k] * b[k * N + column];
    }
    c[row * N + column] = sum;
}

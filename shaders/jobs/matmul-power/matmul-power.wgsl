// X = A x B^10 for 64 x 64 matrices of u32, row-major, arithmetic modulo 2^32: ten
// dispatches, each multiplying by B, between two read-write buffers in turn (x to y,
// then y to x). Integer arithmetic only, no atomics, no two invocations writing one
// element: the job is deterministic (job.json says so), every adapter computes the
// same bits after every dispatch, and its result can be checked by another provider.

const N: u32 = 64u;
const WORKGROUP: u32 = 8u;

@group(0) @binding(0) var<storage, read> b: array<u32, 4096>;
@group(0) @binding(1) var<storage, read_write> x: array<u32, 4096>;
@group(0) @binding(2) var<storage, read_write> y: array<u32, 4096>;

fn product(row: u32, column: u32, from_x: bool) -> u32 {
    var sum = 0u;
    for (var k = 0u; k < N; k += 1u) {
        var left: u32;
        if from_x {
            left = x[row * N + k];
        } else {
            left = y[row * N + k];
        }
        sum += left * b[k * N + column];
    }
    return sum;
}

// y = x B
@compute @workgroup_size(WORKGROUP, WORKGROUP)
fn x_to_y(@builtin(global_invocation_id) id: vec3<u32>) {
    y[id.y * N + id.x] = product(id.y, id.x, true);
}

// x = y B
@compute @workgroup_size(WORKGROUP, WORKGROUP)
fn y_to_x(@builtin(global_invocation_id) id: vec3<u32>) {
    x[id.y * N + id.x] = product(id.y, id.x, false);
}

// The Mandelbrot set in fixed-point integers (12 fractional bits), so that the CPU
// reference in gpu-node/tests/jobs.rs computes the very same image: WGSL's i32
// arithmetic wraps and `>>` on i32 is arithmetic, exactly like Rust's wrapping_*
// and `>>`, while f32 results may differ between adapters (fused multiply-add).
//
// Two passes: `iterate` counts the iterations before each pixel escapes, `colour`
// turns counts into RGBA8 pixels.

struct View {
    width: u32,
    height: u32,
    max_iterations: u32,
    // The complex plane's left edge and top edge, and the step between pixels, in
    // fixed point (value * 4096).
    left: i32,
    top: i32,
    step: i32,
    reserved0: u32,
    reserved1: u32,
}

const FRACTION_BITS: u32 = 12u;
const WORKGROUP: u32 = 8u;

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read_write> iterations: array<u32>;
@group(0) @binding(2) var<storage, read_write> image: array<u32>;

@compute @workgroup_size(WORKGROUP, WORKGROUP)
fn iterate(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= view.width || id.y >= view.height) {
        return;
    }
    let cr = view.left + i32(id.x) * view.step;
    let ci = view.top - i32(id.y) * view.step;
    let four = 4 << FRACTION_BITS;
    var zr = 0;
    var zi = 0;
    var n = 0u;
    loop {
        if (n >= view.max_iterations) {
            break;
        }
        let zr2 = (zr * zr) >> FRACTION_BITS;
        let zi2 = (zi * zi) >> FRACTION_BITS;
        if (zr2 + zi2 > four) {
            break;
        }
        zi = ((2 * zr * zi) >> FRACTION_BITS) + ci;
        zr = zr2 - zi2 + cr;
        n += 1u;
    }
    iterations[id.y * view.width + id.x] = n;
}

@compute @workgroup_size(WORKGROUP, WORKGROUP)
fn colour(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= view.width || id.y >= view.height) {
        return;
    }
    let i = id.y * view.width + id.x;
    let n = iterations[i];
    var rgb = vec3<u32>(0u, 0u, 0u);
    if (n < view.max_iterations) {
        let t = (n * 255u) / view.max_iterations;
        rgb = vec3<u32>((t * 9u) & 255u, (t * 5u) & 255u, 255u - t);
    }
    // RGBA8 bytes in memory order: a little-endian u32 holds R in its low byte.
    image[i] = rgb.x | (rgb.y << 8u) | (rgb.z << 16u) | (255u << 24u);
}

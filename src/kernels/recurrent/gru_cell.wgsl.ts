import { wgsl } from '../webgpu/program.js';

/**
 * Fused GRU gates (resetAfter): one thread per (row, unit). xz, hz [B, 3U]
 * (z, r, h), h_prev [B, U] → out [B, U] = z·h_prev + (1 − z)·ĥ.
 */
export const source = wgsl`
struct Params {
  size: u32,
  units: u32,
  act: u32,
  rec_act: u32,
}

@group(0) @binding(0) var<storage, read> xz: array<f32>;
@group(0) @binding(1) var<storage, read> hz: array<f32>;
@group(0) @binding(2) var<storage, read> h_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg: u32 = 64u;

// NaN stays NaN, as on the CPU; the test reads the bits (WGSL lets implementations
// assume finite floats: SwiftShader's max(NaN, 0) is 0 and exp(NaN) +Inf).
fn is_nan_f(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

fn activate(code: u32, x: f32) -> f32 {
  if (is_nan_f(x)) { return x; }
  switch code {
    case 1u: { return max(x, 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-x)); }
    case 3u: { return clamp(0.2 * x + 0.5, 0.0, 1.0); }
    case 4u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * wg;
  if (idx >= params.size) { return; }
  let u = params.units;
  let b = idx / u;
  let j = idx - b * u;
  let gb = b * 3u * u + j;
  let zg = activate(params.rec_act, xz[gb] + hz[gb]);
  let r = activate(params.rec_act, xz[gb + u] + hz[gb + u]);
  let hh = activate(params.act, xz[gb + 2u * u] + r * hz[gb + 2u * u]);
  out[idx] = zg * h_prev[idx] + (1.0 - zg) * hh;
}
`;

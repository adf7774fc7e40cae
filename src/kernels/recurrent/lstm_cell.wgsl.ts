import { wgsl } from '../webgpu/program.js';

/**
 * Fused LSTM gates: one thread per (row, unit). z [B, 4U] (i, f, c, o),
 * c_prev [B, U] → two outputs c [B, U] and h [B, U]. Activation codes: 0 linear, 1 relu,
 * 2 sigmoid, 3 hardSigmoid, 4 tanh (`recurrent/spec.ts`).
 */
export const source = wgsl`
struct Params {
  size: u32,
  units: u32,
  act: u32,
  rec_act: u32,
}

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> c_prev: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> h: array<f32>;
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
  let zb = b * 4u * u + j;
  let i = activate(params.rec_act, z[zb]);
  let f = activate(params.rec_act, z[zb + u]);
  let g = activate(params.act, z[zb + 2u * u]);
  let o = activate(params.rec_act, z[zb + 3u * u]);
  let cn = f * c_prev[idx] + i * g;
  c[idx] = cn;
  h[idx] = o * activate(params.act, cn);
}
`;

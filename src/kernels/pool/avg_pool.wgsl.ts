import { wgsl } from '../webgpu/program.js';

/**
 * avgPool forward, NHWC: one thread per output element. Window taps skip padding: max ignores them, avg divides by the number of
 * in-bounds taps (TensorFlow's rule). Pool windows have no dilation (dh, dw unused).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> x: array<V>;
@group(0) @binding(1) var<storage, read_write> out: array<V>;

@group(0) @binding(2) var<uniform> params: Params;

// WGSL rejects a non-finite constant, so the NaN's bits sit in a private variable.
var<private> NAN_BITS: u32 = 0x7fc00000u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let c = idx % params.in_c;
  let ow = (idx / params.in_c) % params.out_w;
  let oh = (idx / (params.in_c * params.out_w)) % params.out_h;
  let n = idx / (params.in_c * params.out_w * params.out_h);
  // The window's in-bounds taps, rows [h0, h1) × columns [w0, w1), bounds found once (no per-tap tests).
  let y0 = i32(oh * params.sh) - i32(params.pad_top);
  let x0 = i32(ow * params.sw) - i32(params.pad_left);
  let h0 = max(y0, 0);
  let h1 = min(y0 + i32(params.fh), i32(params.in_h));
  let w0 = max(x0, 0);
  let w1 = min(x0 + i32(params.fw), i32(params.in_w));
  var total = V(0.0);
  for (var ih = h0; ih < h1; ih++) {
    var p = ((n * params.in_h + u32(ih)) * params.in_w + u32(w0)) * params.in_c + c;
    for (var iw = w0; iw < w1; iw++) {
      total += x[p];
      p += params.in_c;
    }
  }
  let count = u32(max(h1 - h0, 0) * max(w1 - w0, 0));
  // A window entirely in explicit padding has no taps: 0/0 = NaN, as on the CPU and in TensorFlow.js.
  out[idx] = select(V(bitcast<f32>(NAN_BITS)), total / f32(max(count, 1u)), count > 0u);
}
`;

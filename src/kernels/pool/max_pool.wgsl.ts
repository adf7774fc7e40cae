import { wgsl } from '../webgpu/program.js';

/**
 * maxPool forward, NHWC: one thread per output element (four channels per
 * thread in the vec4 variant, where in_c counts vec4s); the first maximum of
 * the window wins, NaN propagates. Window taps skip padding: max ignores them, avg divides by the number of
 * in-bounds taps (TensorFlow's rule). Pool windows have no dilation (dh, dw unused).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> x: array<V>;
@group(0) @binding(1) var<storage, read_write> out: array<V>;

@group(0) @binding(2) var<uniform> params: Params;

// NaN test on the bits: WGSL lets implementations assume finite floats, and SwiftShader folds e != e to false.
fn is_nan_v(v: V) -> VB { return (bitcast<VU>(v) & VU(0x7fffffffu)) > VU(0x7f800000u); }
// -Inf for a window lying entirely in explicit padding (as the CPU and TensorFlow.js give). WGSL
// rejects a non-finite constant, so the bits sit in a private variable.
var<private> NEG_INF_BITS: u32 = 0xff800000u;

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
  var best = V(bitcast<f32>(NEG_INF_BITS));
  var first = true;
  for (var ih = h0; ih < h1; ih++) {
    var p = ((n * params.in_h + u32(ih)) * params.in_w + u32(w0)) * params.in_c + c;
    for (var iw = w0; iw < w1; iw++) {
      let e = x[p];
      best = select(best, e, VB(first) | (e > best) | is_nan_v(e));
      first = false;
      p += params.in_c;
    }
  }
  out[idx] = best;
}
`;

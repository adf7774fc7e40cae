import { wgsl } from '../webgpu/program.js';

/**
 * maxPool forward, NHWC: one thread per output element (four channels per
 * thread in the vec4 variant, where in_c counts vec4s); the first maximum of
 * the window wins, NaN propagates. Follows the `window.wgsl.ts` parts
 * (aliases, Params, window walk).
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

// Output element idx (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(idx: u32) {
  let o = out_pos(idx);
  let t = window_taps(o.oh, o.ow);
  var best = V(bitcast<f32>(NEG_INF_BITS));
  var first = true;
  for (var ih = t.h0; ih < t.h1; ih++) {
    var p = x_at(o.n, ih, t.w0, o.c);
    for (var iw = t.w0; iw < t.w1; iw++) {
      let e = x[p];
      best = select(best, e, VB(first) | (e > best) | is_nan_v(e));
      first = false;
      p += params.in_c;
    }
  }
  out[idx] = best;
}
`;

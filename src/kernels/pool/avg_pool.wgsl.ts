import { wgsl } from '../webgpu/program.js';

/**
 * avgPool forward, NHWC: one thread per output element (four channels per
 * thread in the vec4 variant, where in_c counts vec4s), the mean of the
 * window's in-bounds taps. Follows the `window.wgsl.ts` parts (aliases,
 * Params, window walk).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> x: array<V>;
@group(0) @binding(1) var<storage, read_write> out: array<V>;

@group(0) @binding(2) var<uniform> params: Params;

// WGSL rejects a non-finite constant, so the NaN's bits sit in a private variable.
var<private> NAN_BITS: u32 = 0x7fc00000u;

// Output element idx (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(idx: u32) {
  let o = out_pos(idx);
  let t = window_taps(o.oh, o.ow);
  var total = V(0.0);
  for (var ih = t.h0; ih < t.h1; ih++) {
    var p = x_at(o.n, ih, t.w0, o.c);
    for (var iw = t.w0; iw < t.w1; iw++) {
      total += x[p];
      p += params.in_c;
    }
  }
  let count = u32(max(t.h1 - t.h0, 0) * max(t.w1 - t.w0, 0));
  // A window entirely in explicit padding has no taps: 0/0 = NaN, as on the CPU and in TensorFlow.js.
  out[idx] = select(V(bitcast<f32>(NAN_BITS)), total / f32(max(count, 1u)), count > 0u);
}
`;

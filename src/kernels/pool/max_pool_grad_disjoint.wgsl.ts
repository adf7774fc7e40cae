import { wgsl } from '../webgpu/program.js';

/**
 * maxPool gradient, NHWC, for windows that do not overlap (fh <= sh and
 * fw <= sw, as in the usual 2×2 stride-2 pool): one thread per dy element
 * (four channels per thread in the vec4 variant, where in_c counts vec4s).
 * It finds its window's first maximum once (in-bounds taps in row-major
 * order, a later tap only winning when strictly greater, as the CPU kernel
 * picks it) and writes the whole stride cell the window owns: dy at that
 * maximum, 0 elsewhere. Cell (oh, ow) is rows [oh·sh − pad_top,
 * (oh+1)·sh − pad_top) × the same for columns, clamped to the input, with the
 * first and last cells stretched to the input's edges, so the cells tile the
 * input exactly once and every dx element is written by one thread (no
 * zero-fill, no atomics). Needs out_h, out_w >= 1. Follows the
 * `window.wgsl.ts` parts (aliases, Params, window walk, first_max).
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<V>;
@group(0) @binding(1) var<storage, read> x: array<V>;
@group(0) @binding(2) var<storage, read_write> out: array<V>;

@group(0) @binding(3) var<uniform> params: Params;

// [start, end) of stride cell o along one axis of length n (see above).
fn cell(o: u32, s: u32, pad: u32, last: u32, n: u32) -> vec2<i32> {
  let lo = select(clamp(i32(o * s) - i32(pad), 0, i32(n)), 0, o == 0u);
  let hi = select(clamp(i32((o + 1u) * s) - i32(pad), 0, i32(n)), i32(n), o == last);
  return vec2<i32>(lo, hi);
}

// dy element idx: one window (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(idx: u32) {
  let o = out_pos(idx);
  let at = first_max(o.n, o.c, window_taps(o.oh, o.ow));
  let g = dy[idx];
  let rows = cell(o.oh, params.sh, params.pad_top, params.out_h - 1u, params.in_h);
  let cols = cell(o.ow, params.sw, params.pad_left, params.out_w - 1u, params.in_w);
  for (var ih = rows.x; ih < rows.y; ih++) {
    var p = x_at(o.n, ih, cols.x, o.c);
    for (var iw = cols.x; iw < cols.y; iw++) {
      out[p] = select(V(0.0), g, VI(ih * i32(params.in_w) + iw) == at);
      p += params.in_c;
    }
  }
}
`;

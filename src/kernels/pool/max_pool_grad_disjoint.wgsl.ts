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
 * zero-fill, no atomics). Needs out_h, out_w >= 1.
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

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * (nwg.x * 64u);
  if (idx >= params.size) { return; }
  let cc = params.in_c;
  let c = idx % cc;
  let ow = (idx / cc) % params.out_w;
  let oh = (idx / (cc * params.out_w)) % params.out_h;
  let n = idx / (cc * params.out_w * params.out_h);
  let img = n * params.in_h;
  // The window's in-bounds taps: rows [h0, h1), columns [w0, w1).
  let y0 = i32(oh * params.sh) - i32(params.pad_top);
  let x0 = i32(ow * params.sw) - i32(params.pad_left);
  let h0 = max(y0, 0);
  let h1 = min(y0 + i32(params.fh), i32(params.in_h));
  let w0 = max(x0, 0);
  let w1 = min(x0 + i32(params.fw), i32(params.in_w));
  var best = V(0.0);
  var at = VI(-1);
  for (var ih = h0; ih < h1; ih++) {
    var p = ((img + u32(ih)) * params.in_w + u32(w0)) * cc + c;
    for (var iw = w0; iw < w1; iw++) {
      let e = x[p];
      let take = (at < VI(0)) | (e > best);
      best = select(best, e, take);
      at = select(at, VI(ih * i32(params.in_w) + iw), take);
      p += cc;
    }
  }
  let g = dy[idx];
  let rows = cell(oh, params.sh, params.pad_top, params.out_h - 1u, params.in_h);
  let cols = cell(ow, params.sw, params.pad_left, params.out_w - 1u, params.in_w);
  for (var ih = rows.x; ih < rows.y; ih++) {
    var p = ((img + u32(ih)) * params.in_w + u32(cols.x)) * cc + c;
    for (var iw = cols.x; iw < cols.y; iw++) {
      out[p] = select(V(0.0), g, VI(ih * i32(params.in_w) + iw) == at);
      p += cc;
    }
  }
}
`;

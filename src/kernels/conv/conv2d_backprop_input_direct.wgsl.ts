import { wgsl } from '../webgpu/program.js';

/**
 * conv2d gradient with respect to x, NHWC, as an implicit GEMM without
 * workgroup memory: the variant for software adapters (SwiftShader), where
 * workgroup barriers are expensive; hardware GPUs get the tiled
 * `conv2d_backprop_input.wgsl.ts`. Same mapping (gather form, deterministic):
 *   M = batch·in_h·in_w (input pixels), N = in_c, K = fh·fw·out_c,
 *   A[pixel, (fy, fx, oc)] = dy[n, oh, ow, oc] where (oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left)
 *                            is this pixel (0 if off the stride grid or outside dy),
 *   B[(fy, fx, oc), ic]    = filter[fy, fx, ic, oc] (contiguous along K),   C[pixel, ic] = dx[n, ih, iw, ic].
 * Each thread computes a 4×4 block of C (4 input pixels × 4 input channels) in
 * four vec4 accumulators, reading A and B straight from global memory. It
 * walks the filter taps, finds once per tap which output pixel (if any) each
 * of its 4 pixels gathers from, skips the tap when none does, then runs over
 * the output channels. Threads are numbered flat (`gid.x + gid.y·nwg.x·WG`,
 * so the runtime may fold the dispatch into 2-D), column block fastest.
 *
 * Rows past M and columns past N are clamped to the last one instead of
 * branched on: their results land in accumulator lanes that are never stored.
 * `size` = M. The filter binding is `filt`: `filter` is a WGSL reserved word.
 *
 * Two shaders: `vec4Source` ('conv2d_backprop_input_direct_vec4') when in_c
 * and out_c are both multiples of 4, binding every array as array<vec4<f32>>:
 * one load fetches 4 K steps of a row of A (4 channels of dy) or of a column
 * of B (4 output channels of the filter), and each of the 16 outputs takes a
 * dot product of two of them; `source` ('conv2d_backprop_input_direct') for any
 * channel counts, one K step at a time.
 */
export const source = wgsl`
struct Params {
  size: u32,
  batch: u32,
  in_h: u32,
  in_w: u32,
  in_c: u32,
  out_h: u32,
  out_w: u32,
  out_c: u32,
  fh: u32,
  fw: u32,
  sh: u32,
  sw: u32,
  dh: u32,
  dw: u32,
  pad_top: u32,
  pad_left: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> filt: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

// Index of the output pixel (n, oh, ow) that reads input pixel (n, ih, iw) through tap (fy, fx), or -1 if none does.
fn dy_pixel(n: u32, ih: u32, iw: u32, fy: u32, fx: u32) -> i32 {
  let th = i32(ih + params.pad_top) - i32(fy * params.dh);
  let tw = i32(iw + params.pad_left) - i32(fx * params.dw);
  if (th < 0 || tw < 0 || u32(th) % params.sh != 0u || u32(tw) % params.sw != 0u) { return -1; }
  let oh = u32(th) / params.sh;
  let ow = u32(tw) / params.sw;
  if (oh >= params.out_h || ow >= params.out_w) { return -1; }
  return i32((n * params.out_h + oh) * params.out_w + ow);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * WG);
  let m = params.size;
  let n_blocks = (params.in_c + 3u) / 4u;
  let c0 = (t % n_blocks) * 4u;
  let r0 = (t / n_blocks) * 4u;
  if (r0 >= m) { return; }
  let cl = params.in_c - 1u;
  let cols = vec4<u32>(c0, min(c0 + 1u, cl), min(c0 + 2u, cl), min(c0 + 3u, cl));
  // The 4 input pixels (rows of A) as (n, ih, iw).
  var pn = vec4<u32>();
  var pih = vec4<u32>();
  var piw = vec4<u32>();
  for (var r = 0u; r < 4u; r++) {
    let p = min(r0 + r, m - 1u);
    piw[r] = p % params.in_w;
    pih[r] = (p / params.in_w) % params.in_h;
    pn[r] = p / (params.in_w * params.in_h);
  }
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var fy = 0u; fy < params.fh; fy++) {
    for (var fx = 0u; fx < params.fw; fx++) {
      let p = vec4<i32>(dy_pixel(pn.x, pih.x, piw.x, fy, fx), dy_pixel(pn.y, pih.y, piw.y, fy, fx),
                        dy_pixel(pn.z, pih.z, piw.z, fy, fx), dy_pixel(pn.w, pih.w, piw.w, fy, fx));
      let ok = p >= vec4<i32>(0);
      if (!any(ok)) { continue; }
      let db = vec4<u32>(max(p, vec4<i32>(0))) * params.out_c;
      // Column ic of B at K step (fy, fx, oc) is filt[(tap · in_c + ic) · out_c + oc].
      let fb = (fy * params.fw + fx) * params.in_c * params.out_c;
      let fcol = fb + cols * params.out_c;
      for (var oc = 0u; oc < params.out_c; oc++) {
        let b = vec4<f32>(filt[fcol.x + oc], filt[fcol.y + oc], filt[fcol.z + oc], filt[fcol.w + oc]);
        acc0 += select(0.0, dy[db.x + oc], ok.x) * b;
        acc1 += select(0.0, dy[db.y + oc], ok.y) * b;
        acc2 += select(0.0, dy[db.z + oc], ok.z) * b;
        acc3 += select(0.0, dy[db.w + oc], ok.w) * b;
      }
    }
  }
  store_row(r0, c0, acc0);
  store_row(r0 + 1u, c0, acc1);
  store_row(r0 + 2u, c0, acc2);
  store_row(r0 + 3u, c0, acc3);
}

// C[r, c0..c0+3] = dx[pixel r, channels c0..c0+3], clipped to M×N.
fn store_row(r: u32, c0: u32, v: vec4<f32>) {
  if (r >= params.size) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < params.in_c) { out[r * params.in_c + c0 + j] = v[j]; }
  }
}
`;

export const vec4Source = wgsl`
struct Params {
  size: u32,
  batch: u32,
  in_h: u32,
  in_w: u32,
  in_c: u32,
  out_h: u32,
  out_w: u32,
  out_c: u32,
  fh: u32,
  fw: u32,
  sh: u32,
  sw: u32,
  dh: u32,
  dw: u32,
  pad_top: u32,
  pad_left: u32,
}

// in_c and out_c are multiples of 4: dy[i] and filt[i] hold 4 output channels, out[i] 4 input channels.
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> filt: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

// Index of the output pixel (n, oh, ow) that reads input pixel (n, ih, iw) through tap (fy, fx), or -1 if none does.
fn dy_pixel(n: u32, ih: u32, iw: u32, fy: u32, fx: u32) -> i32 {
  let th = i32(ih + params.pad_top) - i32(fy * params.dh);
  let tw = i32(iw + params.pad_left) - i32(fx * params.dw);
  if (th < 0 || tw < 0 || u32(th) % params.sh != 0u || u32(tw) % params.sw != 0u) { return -1; }
  let oh = u32(th) / params.sh;
  let ow = u32(tw) / params.sw;
  if (oh >= params.out_h || ow >= params.out_w) { return -1; }
  return i32((n * params.out_h + oh) * params.out_w + ow);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * WG);
  let m = params.size;
  let n4 = params.in_c / 4u;
  let oc4 = params.out_c / 4u;
  let c4 = t % n4;
  let r0 = (t / n4) * 4u;
  if (r0 >= m) { return; }
  var pn = vec4<u32>();
  var pih = vec4<u32>();
  var piw = vec4<u32>();
  for (var r = 0u; r < 4u; r++) {
    let p = min(r0 + r, m - 1u);
    piw[r] = p % params.in_w;
    pih[r] = (p / params.in_w) % params.in_h;
    pn[r] = p / (params.in_w * params.in_h);
  }
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var fy = 0u; fy < params.fh; fy++) {
    for (var fx = 0u; fx < params.fw; fx++) {
      let p = vec4<i32>(dy_pixel(pn.x, pih.x, piw.x, fy, fx), dy_pixel(pn.y, pih.y, piw.y, fy, fx),
                        dy_pixel(pn.z, pih.z, piw.z, fy, fx), dy_pixel(pn.w, pih.w, piw.w, fy, fx));
      let ok = p >= vec4<i32>(0);
      if (!any(ok)) { continue; }
      let db = vec4<u32>(max(p, vec4<i32>(0))) * oc4;
      // Column ic = 4·c4 + j of B, K steps (fy, fx, 4i..4i+3), is filt[(tap · in_c + ic) · oc4 + i].
      let f0 = ((fy * params.fw + fx) * params.in_c + c4 * 4u) * oc4;
      for (var i = 0u; i < oc4; i++) {
        let b0 = filt[f0 + i];
        let b1 = filt[f0 + oc4 + i];
        let b2 = filt[f0 + 2u * oc4 + i];
        let b3 = filt[f0 + 3u * oc4 + i];
        let a0 = select(vec4<f32>(), dy[db.x + i], ok.x);
        let a1 = select(vec4<f32>(), dy[db.y + i], ok.y);
        let a2 = select(vec4<f32>(), dy[db.z + i], ok.z);
        let a3 = select(vec4<f32>(), dy[db.w + i], ok.w);
        acc0 += vec4<f32>(dot(a0, b0), dot(a0, b1), dot(a0, b2), dot(a0, b3));
        acc1 += vec4<f32>(dot(a1, b0), dot(a1, b1), dot(a1, b2), dot(a1, b3));
        acc2 += vec4<f32>(dot(a2, b0), dot(a2, b1), dot(a2, b2), dot(a2, b3));
        acc3 += vec4<f32>(dot(a3, b0), dot(a3, b1), dot(a3, b2), dot(a3, b3));
      }
    }
  }
  out[r0 * n4 + c4] = acc0;
  if (r0 + 1u < m) { out[(r0 + 1u) * n4 + c4] = acc1; }
  if (r0 + 2u < m) { out[(r0 + 2u) * n4 + c4] = acc2; }
  if (r0 + 3u < m) { out[(r0 + 3u) * n4 + c4] = acc3; }
}
`;

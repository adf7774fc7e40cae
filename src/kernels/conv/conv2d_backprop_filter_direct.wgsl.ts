import { wgsl } from '../webgpu/program.js';

/**
 * conv2d gradient with respect to the filter, NHWC, as an implicit GEMM
 * without workgroup memory: the variant for software adapters (SwiftShader),
 * where workgroup barriers are expensive; hardware GPUs get the tiled
 * `conv2d_backprop_filter.wgsl.ts`. Same mapping:
 *   M = fh·fw·in_c (filter rows), N = out_c, K = batch·out_h·out_w (output pixels),
 *   A[(fy, fx, ic), pixel] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic] (0 in the padding),
 *   B[pixel, oc]           = dy[n, oh, ow, oc],   C[(fy, fx, ic), oc] = dW[fy, fx, ic, oc].
 * Each thread computes a 4×4 block of C (4 filter rows × 4 output channels) in
 * four vec4 accumulators, reading A and B straight from global memory, and
 * walks K as nested loops over (n, oh, ow) so that the gather index needs no
 * division; an output row whose taps all fall in the padding is skipped
 * whole. Threads are numbered flat (`gid.x + gid.y·nwg.x·WG`, so the runtime
 * may fold the dispatch into 2-D), column block fastest.
 *
 * Rows past M and columns past N are clamped to the last one instead of
 * branched on: their results land in accumulator lanes that are never stored.
 * `size` = M.
 *
 * Two shaders: `vec4Source` ('conv2d_backprop_filter_direct_vec4') when in_c
 * and out_c are both multiples of 4, binding every array as array<vec4<f32>>:
 * the 4 rows of a block are then 4 channels of one tap, so each K step is one
 * vec4 load of x, one of dy, and their outer product; `source`
 * ('conv2d_backprop_filter_direct') for any channel counts, where the 4 rows may
 * belong to different taps and are gathered one by one.
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

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * WG);
  let m = params.size;
  let n_blocks = (params.out_c + 3u) / 4u;
  let c0 = (t % n_blocks) * 4u;
  let r0 = (t / n_blocks) * 4u;
  if (r0 >= m) { return; }
  let cl = params.out_c - 1u;
  let cols = vec4<u32>(c0, min(c0 + 1u, cl), min(c0 + 2u, cl), min(c0 + 3u, cl));
  // The 4 filter rows (fy, fx, ic) as offsets from a window's corner: x row = oh·sh + off_h, column = ow·sw + off_w.
  var off_h = vec4<i32>();
  var off_w = vec4<i32>();
  var ic = vec4<i32>();
  for (var r = 0u; r < 4u; r++) {
    let row = min(r0 + r, m - 1u);
    let tap = row / params.in_c;
    ic[r] = i32(row % params.in_c);
    off_h[r] = i32((tap / params.fw) * params.dh) - i32(params.pad_top);
    off_w[r] = i32((tap % params.fw) * params.dw) - i32(params.pad_left);
  }
  let in_h = vec4<i32>(i32(params.in_h));
  let in_w = vec4<i32>(i32(params.in_w));
  let zero = vec4<i32>(0);
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var n = 0u; n < params.batch; n++) {
    for (var oh = 0u; oh < params.out_h; oh++) {
      let ih = vec4<i32>(i32(oh * params.sh)) + off_h;
      let ok_h = (ih >= zero) & (ih < in_h);
      if (!any(ok_h)) { continue; }
      let x_row = (vec4<i32>(i32(n * params.in_h)) + ih) * in_w;
      // B row k = (n, oh, ow) starts at dy[k · out_c].
      var kb = ((n * params.out_h + oh) * params.out_w) * params.out_c;
      for (var ow = 0u; ow < params.out_w; ow++) {
        let iw = vec4<i32>(i32(ow * params.sw)) + off_w;
        let ok = ok_h & (iw >= zero) & (iw < in_w);
        let xi = vec4<u32>(select(zero, (x_row + iw) * i32(params.in_c) + ic, ok));
        let b = vec4<f32>(dy[kb + cols.x], dy[kb + cols.y], dy[kb + cols.z], dy[kb + cols.w]);
        kb += params.out_c;
        acc0 += select(0.0, x[xi.x], ok.x) * b;
        acc1 += select(0.0, x[xi.y], ok.y) * b;
        acc2 += select(0.0, x[xi.z], ok.z) * b;
        acc3 += select(0.0, x[xi.w], ok.w) * b;
      }
    }
  }
  store_row(r0, c0, acc0);
  store_row(r0 + 1u, c0, acc1);
  store_row(r0 + 2u, c0, acc2);
  store_row(r0 + 3u, c0, acc3);
}

// C[r, c0..c0+3] = dW[filter row r, channels c0..c0+3], clipped to M×N.
fn store_row(r: u32, c0: u32, v: vec4<f32>) {
  if (r >= params.size) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < params.out_c) { out[r * params.out_c + c0 + j] = v[j]; }
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

// in_c and out_c are multiples of 4: x[i] holds 4 input channels of a pixel, dy[i] and out[i] 4 output channels.
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * WG);
  let m = params.size;
  let n4 = params.out_c / 4u;
  let ic4 = params.in_c / 4u;
  let c4 = t % n4;
  let r0 = (t / n4) * 4u;
  if (r0 >= m) { return; }
  // Rows r0..r0+3 are channels ic..ic+3 of one tap (fy, fx), as in_c is a multiple of 4.
  let tap = r0 / params.in_c;
  let i4 = (r0 % params.in_c) / 4u;
  let off_h = i32((tap / params.fw) * params.dh) - i32(params.pad_top);
  let off_w = i32((tap % params.fw) * params.dw) - i32(params.pad_left);
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var n = 0u; n < params.batch; n++) {
    for (var oh = 0u; oh < params.out_h; oh++) {
      let ih = i32(oh * params.sh) + off_h;
      if (ih < 0 || ih >= i32(params.in_h)) { continue; }
      let x_row = (n * params.in_h + u32(ih)) * params.in_w;
      let k_row = (n * params.out_h + oh) * params.out_w;
      for (var ow = 0u; ow < params.out_w; ow++) {
        let iw = i32(ow * params.sw) + off_w;
        if (iw < 0 || iw >= i32(params.in_w)) { continue; }
        let a = x[(x_row + u32(iw)) * ic4 + i4];
        let b = dy[(k_row + ow) * n4 + c4];
        acc0 += a.x * b;
        acc1 += a.y * b;
        acc2 += a.z * b;
        acc3 += a.w * b;
      }
    }
  }
  out[r0 * n4 + c4] = acc0;
  out[(r0 + 1u) * n4 + c4] = acc1;
  out[(r0 + 2u) * n4 + c4] = acc2;
  out[(r0 + 3u) * n4 + c4] = acc3;
}
`;

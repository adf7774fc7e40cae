import { wgsl } from '../webgpu/program.js';

/**
 * conv2d forward, NHWC, as an implicit GEMM without workgroup memory: the
 * variant for software adapters (SwiftShader), where workgroup barriers are
 * expensive; hardware GPUs get the tiled `conv2d.wgsl.ts`. Same mapping:
 *   M = batch·out_h·out_w (output pixels), N = out_c, K = fh·fw·in_c,
 *   A[pixel, (fy, fx, ic)] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic] (0 in the padding),
 *   B[(fy, fx, ic), oc]    = filter[fy, fx, ic, oc],   C[pixel, oc] = out[n, oh, ow, oc].
 * Each thread computes a 4×4 block of C (4 pixels × 4 output channels) in four
 * vec4 accumulators, reading A and B straight from global memory. It walks the
 * filter taps, finds once per tap where each of its 4 pixels reads x (or that
 * it reads padding), then runs over the input channels. Threads are numbered
 * flat (`gid.x + gid.y·nwg.x·WG`, so the runtime may fold the dispatch into
 * 2-D), column block fastest, so neighbours share their x reads.
 *
 * Rows past M and columns past N are clamped to the last one instead of
 * branched on: their results land in accumulator lanes that are never stored.
 * `size` = M. The filter binding is `filt`: `filter` is a WGSL reserved word.
 *
 * Two shaders: `vec4Source` ('conv2d_direct_vec4') when in_c and out_c are
 * both multiples of 4, binding every array as array<vec4<f32>> so each load
 * fetches 4 channels (4 K steps of A, 4 columns of B); `source`
 * ('conv2d_direct') for any channel counts, one K step at a time.
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
@group(0) @binding(1) var<storage, read> filt: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

// Index of the input pixel (n, ih, iw) that output pixel (n, oh, ow) reads through tap (fy, fx), or -1 in the padding.
fn x_pixel(n: u32, oh: u32, ow: u32, fy: u32, fx: u32) -> i32 {
  let ih = i32(oh * params.sh + fy * params.dh) - i32(params.pad_top);
  let iw = i32(ow * params.sw + fx * params.dw) - i32(params.pad_left);
  if (ih < 0 || ih >= i32(params.in_h) || iw < 0 || iw >= i32(params.in_w)) { return -1; }
  return i32((n * params.in_h + u32(ih)) * params.in_w + u32(iw));
}

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
  // The 4 output pixels (rows of A) as (n, oh, ow).
  var pn = vec4<u32>();
  var poh = vec4<u32>();
  var pow_ = vec4<u32>();
  for (var r = 0u; r < 4u; r++) {
    let p = min(r0 + r, m - 1u);
    pow_[r] = p % params.out_w;
    poh[r] = (p / params.out_w) % params.out_h;
    pn[r] = p / (params.out_w * params.out_h);
  }
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var fy = 0u; fy < params.fh; fy++) {
    for (var fx = 0u; fx < params.fw; fx++) {
      let p = vec4<i32>(x_pixel(pn.x, poh.x, pow_.x, fy, fx), x_pixel(pn.y, poh.y, pow_.y, fy, fx),
                        x_pixel(pn.z, poh.z, pow_.z, fy, fx), x_pixel(pn.w, poh.w, pow_.w, fy, fx));
      let ok = p >= vec4<i32>(0);
      if (!any(ok)) { continue; }
      let xb = vec4<u32>(max(p, vec4<i32>(0))) * params.in_c;
      // Row k = (fy, fx, ic) of B starts at filt[k · out_c].
      var kb = (fy * params.fw + fx) * params.in_c * params.out_c;
      for (var ic = 0u; ic < params.in_c; ic++) {
        let b = vec4<f32>(filt[kb + cols.x], filt[kb + cols.y], filt[kb + cols.z], filt[kb + cols.w]);
        kb += params.out_c;
        acc0 += select(0.0, x[xb.x + ic], ok.x) * b;
        acc1 += select(0.0, x[xb.y + ic], ok.y) * b;
        acc2 += select(0.0, x[xb.z + ic], ok.z) * b;
        acc3 += select(0.0, x[xb.w + ic], ok.w) * b;
      }
    }
  }
  store_row(r0, c0, acc0);
  store_row(r0 + 1u, c0, acc1);
  store_row(r0 + 2u, c0, acc2);
  store_row(r0 + 3u, c0, acc3);
}

// C[r, c0..c0+3] = out[pixel r, channels c0..c0+3], clipped to M×N.
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

// in_c and out_c are multiples of 4: x[i] holds channels 4i..4i+3 of a pixel, filt[i] and out[i] 4 output channels.
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> filt: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 64u;

// Index of the input pixel (n, ih, iw) that output pixel (n, oh, ow) reads through tap (fy, fx), or -1 in the padding.
fn x_pixel(n: u32, oh: u32, ow: u32, fy: u32, fx: u32) -> i32 {
  let ih = i32(oh * params.sh + fy * params.dh) - i32(params.pad_top);
  let iw = i32(ow * params.sw + fx * params.dw) - i32(params.pad_left);
  if (ih < 0 || ih >= i32(params.in_h) || iw < 0 || iw >= i32(params.in_w)) { return -1; }
  return i32((n * params.in_h + u32(ih)) * params.in_w + u32(iw));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * (nwg.x * WG);
  let m = params.size;
  let n4 = params.out_c / 4u;
  let ic4 = params.in_c / 4u;
  let c4 = t % n4;
  let r0 = (t / n4) * 4u;
  if (r0 >= m) { return; }
  var pn = vec4<u32>();
  var poh = vec4<u32>();
  var pow_ = vec4<u32>();
  for (var r = 0u; r < 4u; r++) {
    let p = min(r0 + r, m - 1u);
    pow_[r] = p % params.out_w;
    poh[r] = (p / params.out_w) % params.out_h;
    pn[r] = p / (params.out_w * params.out_h);
  }
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var fy = 0u; fy < params.fh; fy++) {
    for (var fx = 0u; fx < params.fw; fx++) {
      let p = vec4<i32>(x_pixel(pn.x, poh.x, pow_.x, fy, fx), x_pixel(pn.y, poh.y, pow_.y, fy, fx),
                        x_pixel(pn.z, poh.z, pow_.z, fy, fx), x_pixel(pn.w, poh.w, pow_.w, fy, fx));
      let ok = p >= vec4<i32>(0);
      if (!any(ok)) { continue; }
      let xb = vec4<u32>(max(p, vec4<i32>(0))) * ic4;
      // B[k, c4] for k = (fy, fx, ic) is filt[k · n4 + c4]; 4 consecutive k are n4 apart.
      var kb = (fy * params.fw + fx) * params.in_c * n4 + c4;
      for (var i = 0u; i < ic4; i++) {
        let b0 = filt[kb];
        let b1 = filt[kb + n4];
        let b2 = filt[kb + 2u * n4];
        let b3 = filt[kb + 3u * n4];
        kb += 4u * n4;
        let a0 = select(vec4<f32>(), x[xb.x + i], ok.x);
        let a1 = select(vec4<f32>(), x[xb.y + i], ok.y);
        let a2 = select(vec4<f32>(), x[xb.z + i], ok.z);
        let a3 = select(vec4<f32>(), x[xb.w + i], ok.w);
        acc0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
        acc1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
        acc2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
        acc3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
      }
    }
  }
  out[r0 * n4 + c4] = acc0;
  if (r0 + 1u < m) { out[(r0 + 1u) * n4 + c4] = acc1; }
  if (r0 + 2u < m) { out[(r0 + 2u) * n4 + c4] = acc2; }
  if (r0 + 3u < m) { out[(r0 + 3u) * n4 + c4] = acc3; }
}
`;

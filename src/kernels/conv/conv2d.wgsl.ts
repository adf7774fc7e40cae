import { wgsl } from '../webgpu/program.js';

/**
 * conv2d forward, NHWC, as an implicit GEMM tiled in workgroup memory (the
 * variant for hardware GPUs; `conv2d_direct.wgsl.ts` is the one for software
 * adapters). The product is C = A·B with
 *   M = batch·out_h·out_w (output pixels), N = out_c, K = fh·fw·in_c,
 *   A[pixel, (fy, fx, ic)] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic]
 *                            (0 where that position is in the padding),
 *   B[(fy, fx, ic), oc]    = filter[fy, fx, ic, oc] (the filter read as a row-major [K, out_c] matrix),
 *   C[pixel, oc]           = out[n, oh, ow, oc].
 * A is never materialised (no im2col buffer): `load_a` computes the gather
 * index of each element as the tile is copied into workgroup memory.
 *
 * The loop is the one of `mat_mul.wgsl.ts`: a workgroup of WG_X×WG_Y threads
 * computes a (WG_Y·4)×(WG_X·4) tile of C, each thread a 4×4 register block,
 * stepping over K in slices of TILE_K (zero-filled past the edges). Workgroups
 * are numbered flat, `wid.x + wid.y·nwg.x`, so the runtime may fold a long
 * dispatch into 2-D. `size` = M. The filter binding is `filt`: `filter` is a
 * WGSL reserved word.
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

override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;
override TILE_K: u32 = 16u;

// tile_a[kk * WG_Y + r / 4][r % 4] = A[row0 + r, k0 + kk]; tile_b[kk * WG_X + c / 4][c % 4] = B[k0 + kk, col0 + c].
var<workgroup> tile_a: array<vec4<f32>, WG_Y * TILE_K>;
var<workgroup> tile_b: array<vec4<f32>, TILE_K * WG_X>;

// A[r, k]: output pixel r = (n, oh, ow), k = (fy, fx, ic); 0 in the padding or past the edges.
fn load_a(r: u32, k: u32) -> f32 {
  if (r >= params.size || k >= params.fh * params.fw * params.in_c) { return 0.0; }
  let ow = r % params.out_w;
  let oh = (r / params.out_w) % params.out_h;
  let n = r / (params.out_w * params.out_h);
  let ic = k % params.in_c;
  let tap = k / params.in_c;
  let fx = tap % params.fw;
  let fy = tap / params.fw;
  let ih = i32(oh * params.sh + fy * params.dh) - i32(params.pad_top);
  let iw = i32(ow * params.sw + fx * params.dw) - i32(params.pad_left);
  if (ih < 0 || ih >= i32(params.in_h) || iw < 0 || iw >= i32(params.in_w)) { return 0.0; }
  return x[((n * params.in_h + u32(ih)) * params.in_w + u32(iw)) * params.in_c + ic];
}

// B[k, c] = filter[fy, fx, ic, c] with k = (fy, fx, ic): the filter's flat layout is already [K, out_c].
fn load_b(k: u32, c: u32) -> f32 {
  if (k >= params.fh * params.fw * params.in_c || c >= params.out_c) { return 0.0; }
  return filt[k * params.out_c + c];
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let tm = WG_Y * 4u;
  let tn = WG_X * 4u;
  let wn = (params.out_c + tn - 1u) / tn;
  let g = wid.x + wid.y * nwg.x;
  let row0 = (g / wn) * tm;
  let col0 = (g % wn) * tn;
  // A folded dispatch may round up: the spare workgroups leave together (uniform, before any barrier).
  if (row0 >= params.size) { return; }
  let kdim = params.fh * params.fw * params.in_c;
  let tid = lid.y * WG_X + lid.x;
  let nthreads = WG_X * WG_Y;
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var k0 = 0u; k0 < kdim; k0 += TILE_K) {
    // k varies fastest: neighbouring threads read neighbouring channels of x.
    for (var i = tid; i < tm * TILE_K; i += nthreads) {
      let kk = i % TILE_K;
      let r = i / TILE_K;
      tile_a[kk * WG_Y + r / 4u][r % 4u] = load_a(row0 + r, k0 + kk);
    }
    for (var i = tid; i < TILE_K * tn; i += nthreads) {
      let c = i % tn;
      let kk = i / tn;
      tile_b[kk * WG_X + c / 4u][c % 4u] = load_b(k0 + kk, col0 + c);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      let av = tile_a[kk * WG_Y + lid.y];
      let bv = tile_b[kk * WG_X + lid.x];
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
    workgroupBarrier();
  }
  let r0 = row0 + lid.y * 4u;
  let c0 = col0 + lid.x * 4u;
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

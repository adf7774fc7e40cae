import { wgsl } from '../webgpu/program.js';

/**
 * conv2d forward's slots for the GEMM cores (composed by `composeGemm`,
 * matmul/gemm.ts): NHWC conv as an implicit GEMM, A never materialised,
 *   M = batch·out_h·out_w (output pixels), N = out_c, K = fh filter rows × (fw·in_c),
 *   A[pixel, (fy, fx, ic)] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic]
 *                            (0 where that position is in the padding, multiplied like im2col's zeros),
 *   B[(fy, fx, ic), oc]    = filter[fy, fx, ic, oc] (the filter read as a row-major [K, out_c] matrix),
 *   C[pixel, oc]           = out[n, oh, ow, oc].
 * K's outer step is a filter row fy: along one row of x, the inner index
 * ki = fx·in_c + ic walks memory contiguously (with dw = 1; a dilation adds
 * fx·(dw − 1)·in_c), so a thread finds its 4 pixels once, where their x row
 * starts and which ki lie inside x once per filter row, then reads x with no
 * division. Pixels past M and channels past N are clamped to the last one.
 * The filter binding is `filt`: `filter` is a WGSL reserved word.
 */
export const dims = wgsl`
fn gemm_dims() -> GemmDims {
  return GemmDims(params.size, params.out_c, params.fh, params.fw * params.in_c, 0u);
}
`;

/** Where output pixels read x, shared by the scalar and vec4 forms of A (offsets in channels). */
export const pixels = wgsl`
struct OutPixels {
  n: vec4<u32>,
  oh: vec4<u32>,
  ow: vec4<u32>,
}

// The block's output pixels r0..r0+3 (clamped to M) as (n, oh, ow).
fn gemm_a_rows(bi: u32, r0: u32) -> OutPixels {
  let p = min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.size - 1u));
  return OutPixels(p / (params.out_w * params.out_h), (p / params.out_w) % params.out_h, p % params.out_w);
}

// Each pixel's window along filter row fy: x offset (in channels) of its tap fx = 0, which may lie in
// the padding, and the inner indices [lo, hi) = [fx_lo·in_c, fx_hi·in_c) whose taps are inside x.
struct XRows {
  base: vec4<i32>,
  lo: vec4<u32>,
  hi: vec4<u32>,
}

fn gemm_a_cursor(px: OutPixels, fy: u32) -> XRows {
  let ih = vec4<i32>(px.oh * params.sh + fy * params.dh) - i32(params.pad_top);
  let iw0 = vec4<i32>(px.ow * params.sw) - i32(params.pad_left);
  let dw = i32(params.dw);
  // fx_lo = ceil(-iw0 / dw) clamped at 0; fx_hi = ceil((in_w - iw0) / dw) clamped to [0, fw].
  let fx_lo = vec4<u32>(max((dw - 1 - iw0) / dw, vec4<i32>(0)));
  let fx_hi = vec4<u32>(clamp((i32(params.in_w) - iw0 + dw - 1) / dw, vec4<i32>(0), vec4<i32>(i32(params.fw))));
  let row_ok = (ih >= vec4<i32>(0)) & (ih < vec4<i32>(i32(params.in_h)));
  let c = i32(params.in_c);
  let base = ((vec4<i32>(px.n * params.in_h) + ih) * i32(params.in_w) + iw0) * c;
  return XRows(base, select(vec4<u32>(0u), fx_lo * params.in_c, row_ok), select(vec4<u32>(0u), fx_hi * params.in_c, row_ok));
}

// Offset of inner index ki from a window's tap fx = 0: ki itself when dw = 1.
fn x_step(ki: u32) -> i32 {
  if (params.dw == 1u) { return i32(ki); }
  return i32(ki + (ki / params.in_c) * (params.dw - 1u) * params.in_c);
}
`;

/** A as array<f32>: one channel per k. */
export const loadA = wgsl`
fn gemm_a_col(t: XRows, ki: u32) -> vec4<T> {
  let ok = (vec4<u32>(ki) >= t.lo) & (vec4<u32>(ki) < t.hi);
  let i = vec4<u32>(select(vec4<i32>(0), t.base + x_step(ki), ok));
  return select(vec4<T>(), vec4<T>(x[i.x], x[i.y], x[i.z], x[i.w]), ok);
}
`;

/** A as array<vec4<f32>> (in_c a multiple of 4): 4 channels of a pixel per load. */
export const loadA4 = wgsl`
fn gemm_a_block(t: XRows, ki4: u32) -> array<vec4<T>, 4> {
  let ki = ki4 * 4u;
  let ok = (vec4<u32>(ki) >= t.lo) & (vec4<u32>(ki) < t.hi);
  let i = vec4<u32>(select(vec4<i32>(0), t.base + x_step(ki), ok)) / 4u;
  let z = vec4<T>();
  return array<vec4<T>, 4>(select(z, x[i.x], ok.x), select(z, x[i.y], ok.y), select(z, x[i.z], ok.z), select(z, x[i.w], ok.w));
}
`;

/** B as array<f32>: row k = (fy, fx, ic) of the filter starts at filt[k · out_c]. */
export const loadB = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  return min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.out_c - 1u));
}

fn gemm_b_cursor(cols: vec4<u32>, fy: u32) -> vec4<u32> {
  return fy * params.fw * params.in_c * params.out_c + cols;
}

fn gemm_b_row(p: vec4<u32>, ki: u32) -> vec4<T> {
  let o = ki * params.out_c;
  return vec4<T>(filt[p.x + o], filt[p.y + o], filt[p.z + o], filt[p.w + o]);
}
`;

/** B as array<vec4<f32>> (out_c a multiple of 4): one load is a row of the block. */
export const loadB4 = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> u32 {
  return c0 / 4u;
}

fn gemm_b_cursor(c4: u32, fy: u32) -> u32 {
  return fy * params.fw * params.in_c * (params.out_c / 4u) + c4;
}

fn gemm_b_block(p: u32, i: u32) -> array<vec4<T>, 4> {
  let n4 = params.out_c / 4u;
  let k = p + i * 4u * n4;
  return array<vec4<T>, 4>(filt[k], filt[k + n4], filt[k + 2u * n4], filt[k + 3u * n4]);
}
`;

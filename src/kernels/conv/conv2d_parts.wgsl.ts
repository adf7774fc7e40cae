import { wgsl } from '../webgpu/program.js';

/**
 * conv2d forward's slots for the GEMM cores (composed by `composeGemm`,
 * matmul/gemm.ts): NHWC conv as an implicit GEMM, A never materialised,
 *   M = batch·out_h·out_w (output pixels), N = out_c, K = (fh·fw taps) × in_c,
 *   A[pixel, (fy, fx, ic)] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic]
 *                            (0 where that position is in the padding, multiplied like im2col's zeros),
 *   B[(fy, fx, ic), oc]    = filter[fy, fx, ic, oc] (the filter read as a row-major [K, out_c] matrix),
 *   C[pixel, oc]           = out[n, oh, ow, oc].
 * A thread finds its 4 pixels once, where they read x once per tap, then
 * walks the input channels. Pixels past M and channels past N are clamped to
 * the last one. The filter binding is `filt`: `filter` is a WGSL reserved word.
 */
export const dims = wgsl`
fn gemm_dims() -> GemmDims {
  return GemmDims(params.size, params.out_c, params.fh * params.fw, params.in_c, 0u);
}
`;

/** Where output pixels read x, shared by the scalar and vec4 forms of A. */
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

// The flat x pixel (n, ih, iw) each output pixel reads through tap (fy, fx); ok false in the padding.
struct Taps {
  pixel: vec4<u32>,
  ok: vec4<bool>,
}

fn x_pixels(px: OutPixels, tap: u32) -> Taps {
  let ih = vec4<i32>(px.oh * params.sh + (tap / params.fw) * params.dh) - i32(params.pad_top);
  let iw = vec4<i32>(px.ow * params.sw + (tap % params.fw) * params.dw) - i32(params.pad_left);
  let ok = (ih >= vec4<i32>(0)) & (ih < vec4<i32>(i32(params.in_h))) & (iw >= vec4<i32>(0)) & (iw < vec4<i32>(i32(params.in_w)));
  let pixel = (px.n * params.in_h + vec4<u32>(max(ih, vec4<i32>(0)))) * params.in_w + vec4<u32>(max(iw, vec4<i32>(0)));
  return Taps(select(vec4<u32>(0u), pixel, ok), ok);
}
`;

/** A as array<f32>: each pixel's channel 0, then one channel per k. */
export const loadA = wgsl`
fn gemm_a_cursor(px: OutPixels, tap: u32) -> Taps {
  let t = x_pixels(px, tap);
  return Taps(t.pixel * params.in_c, t.ok);
}

fn gemm_a_col(t: Taps, ic: u32) -> vec4<T> {
  return select(vec4<T>(), vec4<T>(x[t.pixel.x + ic], x[t.pixel.y + ic], x[t.pixel.z + ic], x[t.pixel.w + ic]), t.ok);
}
`;

/** A as array<vec4<f32>> (in_c a multiple of 4): 4 channels of a pixel per load. */
export const loadA4 = wgsl`
fn gemm_a_cursor(px: OutPixels, tap: u32) -> Taps {
  let t = x_pixels(px, tap);
  return Taps(t.pixel * (params.in_c / 4u), t.ok);
}

fn gemm_a_block(t: Taps, i: u32) -> array<vec4<T>, 4> {
  let z = vec4<T>();
  return array<vec4<T>, 4>(select(z, x[t.pixel.x + i], t.ok.x), select(z, x[t.pixel.y + i], t.ok.y),
                           select(z, x[t.pixel.z + i], t.ok.z), select(z, x[t.pixel.w + i], t.ok.w));
}
`;

/** B as array<f32>: row k = (tap, ic) of the filter starts at filt[k · out_c]. */
export const loadB = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  return min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.out_c - 1u));
}

fn gemm_b_cursor(cols: vec4<u32>, tap: u32) -> vec4<u32> {
  return tap * params.in_c * params.out_c + cols;
}

fn gemm_b_row(p: vec4<u32>, ic: u32) -> vec4<T> {
  let o = ic * params.out_c;
  return vec4<T>(filt[p.x + o], filt[p.y + o], filt[p.z + o], filt[p.w + o]);
}
`;

/** B as array<vec4<f32>> (out_c a multiple of 4): one load is a row of the block. */
export const loadB4 = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> u32 {
  return c0 / 4u;
}

fn gemm_b_cursor(c4: u32, tap: u32) -> u32 {
  return tap * params.in_c * (params.out_c / 4u) + c4;
}

fn gemm_b_block(p: u32, i: u32) -> array<vec4<T>, 4> {
  let n4 = params.out_c / 4u;
  let k = p + i * 4u * n4;
  return array<vec4<T>, 4>(filt[k], filt[k + n4], filt[k + 2u * n4], filt[k + 3u * n4]);
}
`;

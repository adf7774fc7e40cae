import { wgsl } from '../webgpu/program.js';

/**
 * conv2d's gradient with respect to x, as slots for the GEMM cores (composed
 * by `composeGemm`, matmul/gemm.ts): each input pixel gathers from the output
 * pixels whose window covers it (no atomics, deterministic), an implicit GEMM
 *   M = batch·in_h·in_w (input pixels), N = in_c, K = (fh·fw taps) × out_c,
 *   A[pixel, (fy, fx, oc)] = dy[n, oh, ow, oc] where (oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left)
 *                            is this pixel (0 if that position is off the stride grid or outside dy),
 *   B[(fy, fx, oc), ic]    = filter[fy, fx, ic, oc] (contiguous along K: a transposed operand),
 *   C[pixel, ic]           = dx[n, ih, iw, ic].
 * Pixels past M and channels past N are clamped to the last one.
 */
export const dims = wgsl`
fn gemm_dims() -> GemmDims {
  return GemmDims(params.size, params.in_c, params.fh * params.fw, params.out_c, 0u);
}
`;

/** Which dy pixel each input pixel gathers from, shared by the scalar and vec4 forms of A. */
export const pixels = wgsl`
struct InPixels {
  n: vec4<u32>,
  ih: vec4<u32>,
  iw: vec4<u32>,
}

// The block's input pixels r0..r0+3 (clamped to M) as (n, ih, iw).
fn gemm_a_rows(bi: u32, r0: u32) -> InPixels {
  let p = min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.size - 1u));
  return InPixels(p / (params.in_w * params.in_h), (p / params.in_w) % params.in_h, p % params.in_w);
}

// The flat dy pixel (n, oh, ow) that reads each input pixel through tap (fy, fx); ok false when none does.
struct Taps {
  pixel: vec4<u32>,
  ok: vec4<bool>,
}

fn dy_pixels(px: InPixels, tap: u32) -> Taps {
  let th = vec4<i32>(px.ih + params.pad_top) - i32((tap / params.fw) * params.dh);
  let tw = vec4<i32>(px.iw + params.pad_left) - i32((tap % params.fw) * params.dw);
  let uh = vec4<u32>(max(th, vec4<i32>(0)));
  let uw = vec4<u32>(max(tw, vec4<i32>(0)));
  let oh = uh / params.sh;
  let ow = uw / params.sw;
  let on_grid = (th >= vec4<i32>(0)) & (tw >= vec4<i32>(0)) & (uh % params.sh == vec4<u32>(0u)) & (uw % params.sw == vec4<u32>(0u));
  let ok = on_grid & (oh < vec4<u32>(params.out_h)) & (ow < vec4<u32>(params.out_w));
  return Taps(select(vec4<u32>(0u), (px.n * params.out_h + oh) * params.out_w + ow, ok), ok);
}
`;

/** A as array<f32>: each pixel's dy channel 0, then one channel per k. */
export const loadA = wgsl`
fn gemm_a_cursor(px: InPixels, tap: u32) -> Taps {
  let t = dy_pixels(px, tap);
  return Taps(t.pixel * params.out_c, t.ok);
}

fn gemm_a_col(t: Taps, oc: u32) -> vec4<T> {
  return select(vec4<T>(), vec4<T>(dy[t.pixel.x + oc], dy[t.pixel.y + oc], dy[t.pixel.z + oc], dy[t.pixel.w + oc]), t.ok);
}
`;

/** A as array<vec4<f32>> (out_c a multiple of 4): 4 dy channels per load. */
export const loadA4 = wgsl`
fn gemm_a_cursor(px: InPixels, tap: u32) -> Taps {
  let t = dy_pixels(px, tap);
  return Taps(t.pixel * (params.out_c / 4u), t.ok);
}

fn gemm_a_block(t: Taps, i: u32) -> array<vec4<T>, 4> {
  let z = vec4<T>();
  return array<vec4<T>, 4>(select(z, dy[t.pixel.x + i], t.ok.x), select(z, dy[t.pixel.y + i], t.ok.y),
                           select(z, dy[t.pixel.z + i], t.ok.z), select(z, dy[t.pixel.w + i], t.ok.w));
}
`;

/** B as array<f32>: column ic at K step (tap, oc) is filt[(tap · in_c + ic) · out_c + oc]. */
export const loadB = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  return min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.in_c - 1u));
}

fn gemm_b_cursor(cols: vec4<u32>, tap: u32) -> vec4<u32> {
  return (tap * params.in_c + cols) * params.out_c;
}

fn gemm_b_row(p: vec4<u32>, oc: u32) -> vec4<T> {
  return vec4<T>(filt[p.x + oc], filt[p.y + oc], filt[p.z + oc], filt[p.w + oc]);
}
`;

/** B as array<vec4<f32>> (in_c and out_c multiples of 4): a load is a column over 4 k's, so the block is transposed. */
export const loadB4 = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  return vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u);
}

fn gemm_b_cursor(cols: vec4<u32>, tap: u32) -> vec4<u32> {
  return (tap * params.in_c + cols) * (params.out_c / 4u);
}

fn gemm_b_block(p: vec4<u32>, i: u32) -> array<vec4<T>, 4> {
  return transpose4(filt[p.x + i], filt[p.y + i], filt[p.z + i], filt[p.w + i]);
}
`;

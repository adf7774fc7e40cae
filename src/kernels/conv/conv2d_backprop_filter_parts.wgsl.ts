import { wgsl } from '../webgpu/program.js';

/**
 * conv2d's gradient with respect to the filter, as slots for the GEMM cores
 * (composed by `composeGemm`, matmul/gemm.ts), an implicit GEMM
 *   M = fh·fw·in_c (filter rows), N = out_c, K = (batch·out_h rows) × out_w (output pixels),
 *   A[(fy, fx, ic), pixel] = x[n, oh·sh + fy·dh − pad_top, ow·sw + fx·dw − pad_left, ic]
 *                            (0 where that position is in the padding): im2col transposed,
 *   B[pixel, oc]           = dy[n, oh, ow, oc] (dy read as a row-major [K, out_c] matrix),
 *   C[(fy, fx, ic), oc]    = dW[fy, fx, ic, oc].
 * K's outer step is an output row (n, oh), so a thread checks the row of x
 * once per step and walks ow without division. Rows past M and columns past N
 * are clamped to the last one.
 */
export const dims = wgsl`
fn gemm_dims() -> GemmDims {
  return GemmDims(params.size, params.out_c, params.batch * params.out_h, params.out_w, 0u);
}
`;

/** A as array<f32>, any in_c: the 4 rows may belong to different taps. */
export const loadA = wgsl`
// The block's filter rows (fy, fx, ic), clamped to M, as channel and offsets from a window's corner:
// x row = oh·sh + off_h, column = ow·sw + off_w.
struct FilterRows {
  ic: vec4<u32>,
  off_h: vec4<i32>,
  off_w: vec4<i32>,
}

fn gemm_a_rows(bi: u32, r0: u32) -> FilterRows {
  let r = min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.size - 1u));
  let tap = r / params.in_c;
  return FilterRows(r % params.in_c, vec4<i32>((tap / params.fw) * params.dh) - i32(params.pad_top),
                    vec4<i32>((tap % params.fw) * params.dw) - i32(params.pad_left));
}

// Output row ko = (n, oh): where each filter row reads x's row (x_row: its first pixel), and whether that row exists.
struct XRows {
  x_row: vec4<i32>,
  ok: vec4<bool>,
  ic: vec4<u32>,
  off_w: vec4<i32>,
}

fn gemm_a_cursor(f: FilterRows, ko: u32) -> XRows {
  let n = ko / params.out_h;
  let ih = vec4<i32>(i32((ko % params.out_h) * params.sh)) + f.off_h;
  let ok = (ih >= vec4<i32>(0)) & (ih < vec4<i32>(i32(params.in_h)));
  return XRows((vec4<i32>(i32(n * params.in_h)) + ih) * i32(params.in_w), ok, f.ic, f.off_w);
}

fn gemm_a_col(c: XRows, ow: u32) -> vec4<T> {
  let iw = vec4<i32>(i32(ow * params.sw)) + c.off_w;
  let ok = c.ok & (iw >= vec4<i32>(0)) & (iw < vec4<i32>(i32(params.in_w)));
  let i = vec4<u32>(select(vec4<i32>(0), (c.x_row + iw) * i32(params.in_c), ok)) + c.ic;
  return select(vec4<T>(), vec4<T>(x[i.x], x[i.y], x[i.z], x[i.w]), ok);
}
`;

/**
 * A as array<vec4<f32>> (in_c a multiple of 4), for the direct core: the 4
 * rows of a block are 4 channels of one tap, so a column of the block is one
 * vec4 load of x.
 */
export const loadA4 = wgsl`
// The block's tap as offsets from a window's corner (x row = oh·sh + off_h, column = ow·sw + off_w) and its channel group.
struct FilterRows {
  i4: u32,
  off_h: i32,
  off_w: i32,
}

fn gemm_a_rows(bi: u32, r0: u32) -> FilterRows {
  let tap = r0 / params.in_c;
  return FilterRows((r0 % params.in_c) / 4u, i32((tap / params.fw) * params.dh) - i32(params.pad_top),
                    i32((tap % params.fw) * params.dw) - i32(params.pad_left));
}

// Output row ko = (n, oh): the first pixel of the x row the block reads (in pixels), and whether that row exists.
struct XRow {
  x_row: i32,
  ok: bool,
  i4: u32,
  off_w: i32,
}

fn gemm_a_cursor(f: FilterRows, ko: u32) -> XRow {
  let ih = i32((ko % params.out_h) * params.sh) + f.off_h;
  let ok = ih >= 0 && ih < i32(params.in_h);
  return XRow(i32((ko / params.out_h) * params.in_h) * i32(params.in_w) + ih * i32(params.in_w), ok, f.i4, f.off_w);
}

fn gemm_a_col(c: XRow, ow: u32) -> vec4<T> {
  let iw = i32(ow * params.sw) + c.off_w;
  let ok = c.ok && iw >= 0 && iw < i32(params.in_w);
  return select(vec4<T>(), x[u32(select(0, c.x_row + iw, ok)) * (params.in_c / 4u) + c.i4], ok);
}
`;

/** B as array<f32>: row k = (n, oh, ow) of dy starts at dy[k · out_c]. */
export const loadB = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> vec4<u32> {
  return min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(params.out_c - 1u));
}

fn gemm_b_cursor(cols: vec4<u32>, ko: u32) -> vec4<u32> {
  return ko * params.out_w * params.out_c + cols;
}

fn gemm_b_row(p: vec4<u32>, ow: u32) -> vec4<T> {
  let o = ow * params.out_c;
  return vec4<T>(dy[p.x + o], dy[p.y + o], dy[p.z + o], dy[p.w + o]);
}
`;

/** B as array<vec4<f32>> (out_c a multiple of 4), for the direct core: a row of the block is one vec4 load of dy. */
export const loadB4 = wgsl`
fn gemm_b_cols(bi: u32, c0: u32) -> u32 {
  return c0 / 4u;
}

fn gemm_b_cursor(c4: u32, ko: u32) -> u32 {
  return ko * params.out_w * (params.out_c / 4u) + c4;
}

fn gemm_b_row(p: u32, ow: u32) -> vec4<T> {
  return dy[p + ow * (params.out_c / 4u)];
}
`;

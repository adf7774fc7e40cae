import { wgsl } from '../webgpu/program.js';

/**
 * avgPool gradient, NHWC: one thread per input element (`gatherGrad` of
 * `window.wgsl.ts`) gathers dy/count over the windows covering it, count
 * being each window's number of in-bounds taps.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@group(0) @binding(2) var<uniform> params: Params;

// Window (oh, ow)'s share of dx at (n, ih, iw, c): its dy over its number of in-bounds taps.
fn window_grad(n: u32, oh: u32, ow: u32, c: u32, ih: u32, iw: u32) -> f32 {
  let t = window_taps(oh, ow);
  let count = f32((t.h1 - t.h0) * (t.w1 - t.w0));
  return dy[((n * params.out_h + oh) * params.out_w + ow) * params.in_c + c] / count;
}
`;

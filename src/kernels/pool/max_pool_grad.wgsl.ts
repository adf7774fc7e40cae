import { wgsl } from '../webgpu/program.js';

/**
 * maxPool gradient, NHWC, for overlapping windows: one thread per input
 * element (`gatherGrad` of `window.wgsl.ts`); for every window covering it,
 * `window_grad` finds the window's first maximum (`first_max`, as the CPU
 * kernel does) and takes that window's dy when it is this element.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<V>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@group(0) @binding(3) var<uniform> params: Params;

// Window (oh, ow)'s share of dx at (n, ih, iw, c): its dy when (ih, iw) is its first maximum.
fn window_grad(n: u32, oh: u32, ow: u32, c: u32, ih: u32, iw: u32) -> f32 {
  if (first_max(n, c, window_taps(oh, ow)) != i32(ih * params.in_w + iw)) { return 0.0; }
  return dy[((n * params.out_h + oh) * params.out_w + ow) * params.in_c + c];
}
`;

import { wgsl } from '../webgpu/program.js';

/** Copies one concat input (viewed as [outer, inner]) into its column block of the output ([outer, out_inner]). */
export const main = wgsl`
struct Params {
  size: u32,
  inner: u32,
  out_inner: u32,
  offset: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let o = i / params.inner;
  let k = i % params.inner;
  out[o * params.out_inner + params.offset + k] = x[i];
}
`;

import { wgsl } from '../webgpu/program.js';

/** oneHot: out[i, d] = indices[i] == d ? on : off (values passed as raw bits). */
export const main = wgsl`
struct Params {
  size: u32,
  depth: u32,
  on_bits: u32,
  off_bits: u32,
}

@group(0) @binding(0) var<storage, read> indices: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let d = i % params.depth;
  out[i] = select(params.off_bits, params.on_bits, indices[i / params.depth] == i32(d));
}
`;

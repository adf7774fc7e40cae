import { wgsl } from '../webgpu/program.js';

/** gather along an axis: x viewed as [outer, dim, inner], indices flat [n]; out [outer, n, inner]. An out-of-range index writes 0 here (never read out: the runtime's index_check reports it as an error). */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let k = i % params.inner;
  let j = (i / params.inner) % params.n;
  let o = i / (params.inner * params.n);
  let idx = indices[j];
  if (idx < 0 || u32(idx) >= params.dim) { out[i] = 0u; return; }
  out[i] = x[(o * params.dim + u32(idx)) * params.inner + k];
}
`;

import { wgsl } from '../webgpu/program.js';

/**
 * scatterAdd without atomics (deterministic): one thread per output element
 * [outer, dim, inner] loops over the n indices and sums the matching dy rows
 * (dy viewed as [outer, n, inner]). Composed by `webgpu.ts` after `alias T = <f32|i32>;`.
 */
export const main = wgsl`
@group(0) @binding(0) var<storage, read> dy: array<T>;
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;
@group(0) @binding(3) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let k = i % params.inner;
  let d = i32((i / params.inner) % params.dim);
  let o = i / (params.inner * params.dim);
  var acc = T(0);
  for (var j = 0u; j < params.n; j++) {
    if (indices[j] == d) { acc += dy[(o * params.n + j) * params.inner + k]; }
  }
  out[i] = acc;
}
`;

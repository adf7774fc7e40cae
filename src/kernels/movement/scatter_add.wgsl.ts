import { wgsl } from '../webgpu/program.js';

/**
 * scatterAdd without atomics (deterministic): one thread per output element
 * [outer, dim, inner] loops over the n indices and sums the matching dy rows
 * (dy viewed as [outer, n, inner]). `alias T` is set per dtype by `webgpu.ts` (`typedShader`).
 */
export const source = wgsl`
alias T = f32;

struct Params {
  size: u32,
  dim: u32,
  n: u32,
  inner: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<T>;
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;
@group(0) @binding(3) var<uniform> params: Params;

override wg: u32 = 64u;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
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

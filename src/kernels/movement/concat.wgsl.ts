import { wgsl } from '../webgpu/program.js';

/** Copies one concat input (viewed as [outer, inner]) into its column block of the output ([outer, out_inner]). */
export const source = wgsl`
struct Params {
  size: u32,
  inner: u32,
  out_inner: u32,
  offset: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 64u;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  let o = i / params.inner;
  let k = i % params.inner;
  out[o * params.out_inner + params.offset + k] = x[i];
}
`;

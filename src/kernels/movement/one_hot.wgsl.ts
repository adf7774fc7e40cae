import { wgsl } from '../webgpu/program.js';

/** oneHot: out[i, d] = indices[i] == d ? on : off (values passed as raw bits). */
export const source = wgsl`
struct Params {
  size: u32,
  depth: u32,
  on_bits: u32,
  off_bits: u32,
}

@group(0) @binding(0) var<storage, read> indices: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 64u;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  let d = i % params.depth;
  out[i] = select(params.off_bits, params.on_bits, indices[i / params.depth] == i32(d));
}
`;

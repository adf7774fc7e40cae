import { wgsl } from './program.js';

/** dtype conversion on raw bits. mode: 0 copy, 1 f32->i32, 2 i32->f32, 3 f32->bool, 4 i32->bool. */
export const source = wgsl`
struct Params {
  size: u32,
  mode: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg: u32 = 64u;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  let v = x[i];
  var r = v;
  switch (params.mode) {
    case 1u: { r = bitcast<u32>(i32(bitcast<f32>(v))); }
    case 2u: { r = bitcast<u32>(f32(bitcast<i32>(v))); }
    case 3u: { r = select(0u, 1u, bitcast<f32>(v) != 0.0); }
    case 4u: { r = select(0u, 1u, v != 0u); }
    default: { }
  }
  out[i] = r;
}
`;

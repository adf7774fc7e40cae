import { wgsl } from '../webgpu/program.js';

/** out = condition ? a : b with broadcasting (bitwise, any dtype; rank <= 8). */
export const source = wgsl`
struct Params {
  size: u32,
  rank: u32,
  out_shape: array<vec4<u32>, 2>,
  c_strides: array<vec4<u32>, 2>,
  a_strides: array<vec4<u32>, 2>,
  b_strides: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<storage, read> condition: array<u32>;
@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg: u32 = 64u;

@compute @workgroup_size(wg)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * wg;
  if (i >= params.size) { return; }
  var rem = i;
  var ci = 0u;
  var ai = 0u;
  var bi = 0u;
  for (var d = i32(params.rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let n = params.out_shape[du / 4u][du % 4u];
    let c = rem % n;
    rem = rem / n;
    ci += c * params.c_strides[du / 4u][du % 4u];
    ai += c * params.a_strides[du / 4u][du % 4u];
    bi += c * params.b_strides[du / 4u][du % 4u];
  }
  out[i] = select(b[bi], a[ai], condition[ci] != 0u);
}
`;

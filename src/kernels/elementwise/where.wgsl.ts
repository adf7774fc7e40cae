import { wgsl } from '../webgpu/program.js';

/** out = condition ? a : b with broadcasting (bitwise, any dtype; rank <= 8). */
export const main = wgsl`
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

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  var rem = i;
  var ci = 0u;
  var ai = 0u;
  var bi = 0u;
  for (var d = i32(params.rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let c = pop_coord(&rem, du);
    ci += c * params.c_strides[du / 4u][du % 4u];
    ai += c * params.a_strides[du / 4u][du % 4u];
    bi += c * params.b_strides[du / 4u][du % 4u];
  }
  out[i] = select(b[bi], a[ai], condition[ci] != 0u);
}
`;

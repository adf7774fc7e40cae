import { wgsl } from '../webgpu/program.js';

/**
 * Strided bitwise copy (any dtype, 4 bytes per element): transpose, slice, pad
 * and tile. Output coord c maps to input coord `c + begin` (tile: modulo the
 * input dim); out-of-range coords take `pad_bits`.
 */
export const main = wgsl`
struct Params {
  size: u32,
  rank: u32,
  tile: u32,
  pad_bits: u32,
  out_shape: array<vec4<u32>, 2>,
  in_shape: array<vec4<u32>, 2>,
  in_strides: array<vec4<u32>, 2>,
  begin: array<vec4<i32>, 2>,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

// Output element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  var rem = i;
  var src = 0u;
  var inside = true;
  for (var d = i32(params.rank) - 1; d >= 0; d--) {
    let du = u32(d);
    let c = pop_coord(&rem, du);
    let m = i32(params.in_shape[du / 4u][du % 4u]);
    var ic = i32(c) + params.begin[du / 4u][du % 4u];
    if (params.tile != 0u) { ic = ic % m; }
    if (ic < 0 || ic >= m) { inside = false; }
    src += u32(max(ic, 0)) * params.in_strides[du / 4u][du % 4u];
  }
  if (inside) { out[i] = x[src]; } else { out[i] = params.pad_bits; }
}
`;

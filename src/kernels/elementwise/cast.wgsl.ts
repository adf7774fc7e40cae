import { wgsl } from '../webgpu/program.js';

/**
 * dtype conversion on raw bits. mode: 0 copy, 1 f32->i32, 2 i32->f32, 3 f32->bool, 4 i32->bool.
 * f32->i32 and f32->bool work on the bit pattern, as the CPU backend behaves: truncation toward
 * zero wrapped modulo 2^32 (JavaScript's ToInt32, what an Int32Array store does), NaN and ±Inf
 * to 0; NaN and subnormals are 'true'. WGSL may assume finite floats, so no float compare is used.
 */
export const main = wgsl`
struct Params {
  size: u32,
  mode: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

fn f32_bits_to_i32(bits: u32) -> u32 {
  let e = (bits >> 23u) & 0xffu;
  if (e == 0xffu || e < 127u) { return 0u; }  // NaN, ±Inf; |x| < 1
  let m = (bits & 0x7fffffu) | 0x800000u;      // 24-bit significand: |x| = m * 2^(p - 23)
  let p = e - 127u;
  var mag = 0u;
  if (p <= 23u) { mag = m >> (23u - p); } else if (p - 23u < 32u) { mag = m << (p - 23u); }
  return select(mag, 0u - mag, (bits >> 31u) == 1u);  // u32 arithmetic wraps: two's complement
}

// Element i (threads and bounds: perElement of webgpu/element.wgsl.ts).
fn element(i: u32) {
  let v = x[i];
  var r = v;
  switch (params.mode) {
    case 1u: { r = f32_bits_to_i32(v); }
    case 2u: { r = bitcast<u32>(f32(bitcast<i32>(v))); }
    case 3u: { r = select(0u, 1u, (v & 0x7fffffffu) != 0u); }
    case 4u: { r = select(0u, 1u, v != 0u); }
    default: { }
  }
  out[i] = r;
}
`;

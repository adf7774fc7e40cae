import { wgsl } from '../webgpu/program.js';

/**
 * Batched C = A·B without workgroup memory: each thread computes a 4×4 block
 * of C straight from A and B (read through row/column strides, so transposes
 * are free), keeping the block in four vec4 accumulators. It is chosen on
 * software adapters, where workgroup barriers are expensive and the tiled
 * kernel (`mat_mul.wgsl.ts`) runs several times slower; real GPUs get the
 * tiled one. Same params and bindings as the tiled kernel.
 */
export const source = wgsl`
alias T = f32;

struct Params {
  m: u32,
  n: u32,
  k: u32,
  batch: u32,
  a_off: u32,
  b_off: u32,
  c_off: u32,
  a_bs: u32,
  b_bs: u32,
  a_rs: u32,
  a_cs: u32,
  b_rs: u32,
  b_cs: u32,
}

@group(0) @binding(0) var<storage, read> a: array<T>;
@group(0) @binding(1) var<storage, read> b: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;
@group(0) @binding(3) var<uniform> params: Params;

override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

fn load_a(base: u32, r: u32, k: u32) -> T {
  if (r >= params.m) { return T(0); }
  return a[base + r * params.a_rs + k * params.a_cs];
}

fn load_b4(base: u32, k: u32, c: u32) -> vec4<T> {
  var v = vec4<T>();
  for (var j = 0u; j < 4u; j++) {
    if (c + j < params.n) { v[j] = b[base + k * params.b_rs + (c + j) * params.b_cs]; }
  }
  return v;
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r0 = gid.y * 4u;
  let c0 = gid.x * 4u;
  if (r0 >= params.m || c0 >= params.n) { return; }
  let bi = gid.z;
  let a_base = params.a_off + bi * params.a_bs;
  let b_base = params.b_off + bi * params.b_bs;
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var k = 0u; k < params.k; k++) {
    let bv = load_b4(b_base, k, c0);
    acc0 += load_a(a_base, r0, k) * bv;
    acc1 += load_a(a_base, r0 + 1u, k) * bv;
    acc2 += load_a(a_base, r0 + 2u, k) * bv;
    acc3 += load_a(a_base, r0 + 3u, k) * bv;
  }
  let c_base = params.c_off + bi * params.m * params.n;
  store_row(c_base, r0, c0, acc0);
  store_row(c_base, r0 + 1u, c0, acc1);
  store_row(c_base, r0 + 2u, c0, acc2);
  store_row(c_base, r0 + 3u, c0, acc3);
}

fn store_row(c_base: u32, r: u32, c0: u32, v: vec4<T>) {
  if (r >= params.m) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < params.n) { out[c_base + r * params.n + c0 + j] = v[j]; }
  }
}
`;

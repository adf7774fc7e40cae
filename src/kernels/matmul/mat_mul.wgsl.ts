import { wgsl } from '../webgpu/program.js';

/**
 * Batched C = A·B, tiled in workgroup memory: a workgroup of WG_X×WG_Y threads
 * computes a (WG_Y·4)×(WG_X·4) tile of C, each thread a 4×4 register block,
 * stepping over K in slices of TILE_K that all threads first copy into shared
 * memory (zero-filled past the edges). A and B are read through row/column
 * strides, so transposeA/transposeB cost nothing. Batches are the z workgroup
 * index; a batch stride of 0 broadcasts. `alias T` is f32 (or i32).
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

override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;
override TILE_K: u32 = 16u;

// tile_a holds A's tile transposed, four rows per vec4: tile_a[kk * tm/4 + r/4][r % 4] = A[row0 + r, k0 + kk];
// tile_b holds B's tile, four columns per vec4: tile_b[kk * tn/4 + c/4][c % 4] = B[k0 + kk, col0 + c].
var<workgroup> tile_a: array<vec4<T>, WG_Y * TILE_K>;
var<workgroup> tile_b: array<vec4<T>, TILE_K * WG_X>;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tm = WG_Y * 4u;
  let tn = WG_X * 4u;
  let row0 = wid.y * tm;
  let col0 = wid.x * tn;
  let bi = wid.z;
  let a_base = params.a_off + bi * params.a_bs;
  let b_base = params.b_off + bi * params.b_bs;
  let tid = lid.y * WG_X + lid.x;
  let nthreads = WG_X * WG_Y;
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var k0 = 0u; k0 < params.k; k0 += TILE_K) {
    for (var i = tid; i < tm * TILE_K; i += nthreads) {
      let r = i % tm;
      let kk = i / tm;
      var v = T(0);
      if (row0 + r < params.m && k0 + kk < params.k) { v = a[a_base + (row0 + r) * params.a_rs + (k0 + kk) * params.a_cs]; }
      tile_a[kk * WG_Y + r / 4u][r % 4u] = v;
    }
    for (var i = tid; i < TILE_K * tn; i += nthreads) {
      let c = i % tn;
      let kk = i / tn;
      var v = T(0);
      if (k0 + kk < params.k && col0 + c < params.n) { v = b[b_base + (k0 + kk) * params.b_rs + (col0 + c) * params.b_cs]; }
      tile_b[kk * WG_X + c / 4u][c % 4u] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      let av = tile_a[kk * WG_Y + lid.y];
      let bv = tile_b[kk * WG_X + lid.x];
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
    workgroupBarrier();
  }
  let c_base = params.c_off + bi * params.m * params.n;
  let r0 = row0 + lid.y * 4u;
  let c0 = col0 + lid.x * 4u;
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

import { wgsl } from '../webgpu/program.js';

/**
 * The tiled GEMM core (hardware GPUs), composed with an op's slots by
 * `composeGemm` (gemm.ts). A workgroup of WG_X×WG_Y threads computes a
 * (WG_Y·4)×(WG_X·4) tile of C, each thread a 4×4 register block, stepping
 * over K in slices of TILE_K that all threads first copy into workgroup memory
 * (zero past K). K is walked flat; element k is (k / k_inner, k % k_inner) of
 * the loaders' outer × inner split. Workgroups are numbered flat,
 * `wid.x + wid.y·nwg.x`, so the runtime may fold a long dispatch into 2-D;
 * `wid.z` is the batch.
 */
export const source = wgsl`
override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;
override TILE_K: u32 = 16u;

// tile_a[kk * WG_Y + i] = A[row0 + 4i .. row0 + 4i + 3, k0 + kk]; tile_b[kk * WG_X + j] = B[k0 + kk, col0 + 4j .. col0 + 4j + 3].
var<workgroup> tile_a: array<vec4<T>, WG_Y * TILE_K>;
var<workgroup> tile_b: array<vec4<T>, TILE_K * WG_X>;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let d = gemm_dims();
  let wn = (d.n + WG_X * 4u - 1u) / (WG_X * 4u);
  let g = wid.x + wid.y * nwg.x;
  let row0 = (g / wn) * WG_Y * 4u;
  let col0 = (g % wn) * WG_X * 4u;
  // A folded dispatch may round up: the spare workgroups leave together (uniform, before any barrier).
  if (row0 >= d.m) { return; }
  let bi = wid.z;
  let kdim = d.k_outer * d.k_inner;
  let tid = lid.y * WG_X + lid.x;
  let nthreads = WG_X * WG_Y;
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var k0 = 0u; k0 < kdim; k0 += TILE_K) {
    // k varies fastest: neighbouring threads read neighbouring channels of a conv input.
    for (var i = tid; i < WG_Y * TILE_K; i += nthreads) {
      let k = k0 + i % TILE_K;
      let r = row0 + (i / TILE_K) * 4u;
      var v = vec4<T>();
      if (k < kdim && r < d.m) { v = gemm_a_col(gemm_a_cursor(gemm_a_rows(bi, r), k / d.k_inner), k % d.k_inner); }
      tile_a[(i % TILE_K) * WG_Y + i / TILE_K] = v;
    }
    for (var i = tid; i < TILE_K * WG_X; i += nthreads) {
      let k = k0 + i / WG_X;
      let c = col0 + (i % WG_X) * 4u;
      var v = vec4<T>();
      if (k < kdim && c < d.n) { v = gemm_b_row(gemm_b_cursor(gemm_b_cols(bi, c), k / d.k_inner), k % d.k_inner); }
      tile_b[i] = v;
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
  let r0 = row0 + lid.y * 4u;
  let c0 = col0 + lid.x * 4u;
  store_row(d, bi, r0, c0, acc0);
  store_row(d, bi, r0 + 1u, c0, acc1);
  store_row(d, bi, r0 + 2u, c0, acc2);
  store_row(d, bi, r0 + 3u, c0, acc3);
}

// C[r, c0..c0+3] through the epilogue, clipped to M×N.
fn store_row(d: GemmDims, bi: u32, r: u32, c0: u32, acc: vec4<T>) {
  if (r >= d.m || c0 >= d.n) { return; }
  let v = gemm_epilogue(c0, acc);
  let base = d.c_off + (bi * d.m + r) * d.n;
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < d.n) { out[base + c0 + j] = v[j]; }
  }
}
`;

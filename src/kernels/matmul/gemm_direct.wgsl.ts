import { wgsl } from '../webgpu/program.js';

/**
 * The direct GEMM core (software adapters, where workgroup barriers are
 * expensive), composed with an op's slots by `composeGemm` (gemm.ts). Each
 * thread computes a 4×4 block of C straight from A and B, one k per step:
 * acc_i += A[r0 + i, k] · B[k, c0..c0+3], with A's column and B's row each
 * read as one vec4 (`gemm_a_col`, `gemm_b_row`: four scalar loads, or one
 * vec4 load where the operand is contiguous along M or N). K is walked as
 * k_outer × k_inner so a loader finds its gather index once per outer step.
 * A workgroup of WG_X×WG_Y threads covers WG_Y row blocks × WG_X column
 * blocks; workgroups are numbered flat, `wid.x + wid.y·nwg.x` (the runtime may
 * fold a long dispatch into 2-D); `wid.z` is the batch.
 */
export const source = wgsl`
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let d = gemm_dims();
  let wn = ((d.n + 3u) / 4u + WG_X - 1u) / WG_X;
  let g = wid.x + wid.y * nwg.x;
  let r0 = ((g / wn) * WG_Y + lid.y) * 4u;
  let c0 = ((g % wn) * WG_X + lid.x) * 4u;
  if (r0 >= d.m || c0 >= d.n) { return; }
  let bi = wid.z;
  let rows = gemm_a_rows(bi, r0);
  let cols = gemm_b_cols(bi, c0);
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var ko = 0u; ko < d.k_outer; ko++) {
    let a = gemm_a_cursor(rows, ko);
    let b = gemm_b_cursor(cols, ko);
    for (var ki = 0u; ki < d.k_inner; ki++) {
      let av = gemm_a_col(a, ki);
      let bv = gemm_b_row(b, ki);
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
  }
  store_row(d, bi, r0, c0, acc0);
  store_row(d, bi, r0 + 1u, c0, acc1);
  store_row(d, bi, r0 + 2u, c0, acc2);
  store_row(d, bi, r0 + 3u, c0, acc3);
}

// C[r, c0..c0+3] through the epilogue, clipped to M×N.
fn store_row(d: GemmDims, bi: u32, r: u32, c0: u32, acc: vec4<T>) {
  if (r >= d.m) { return; }
  let v = gemm_epilogue(c0, acc);
  let base = d.c_off + (bi * d.m + r) * d.n;
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < d.n) { out[base + c0 + j] = v[j]; }
  }
}
`;

import { wgsl } from '../webgpu/program.js';

/**
 * The vec4 GEMM core (software adapters, operands aligned to 4), composed
 * with an op's slots by `composeGemm` (gemm.ts). Each thread computes a 4×4
 * block of C, four k's per step: `gemm_a_block` gives rows r0..r0+3 of A over
 * k = 4·ki4..4·ki4+3 and `gemm_b_block` rows 4·ki4..4·ki4+3 of B over columns
 * c0..c0+3, each as four vec4 (a loader whose operand is stored the other way
 * round transposes the 4×4 block in registers), and
 *   acc_i += a_i.x·b_0 + a_i.y·b_1 + a_i.z·b_2 + a_i.w·b_3.
 * Needs N and k_inner to be multiples of 4 (the launch code checks); C is
 * bound as array<vec4<T>>. Thread layout as in the direct core: WG_X×WG_Y
 * threads cover WG_Y row blocks × WG_X column blocks, workgroups numbered
 * flat (`wid.x + wid.y·nwg.x`), `wid.z` the batch.
 */
export const source = wgsl`
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let d = gemm_dims();
  let n4 = d.n / 4u;
  let wn = (n4 + WG_X - 1u) / WG_X;
  let g = wid.x + wid.y * nwg.x;
  let r0 = ((g / wn) * WG_Y + lid.y) * 4u;
  let c4 = (g % wn) * WG_X + lid.x;
  if (r0 >= d.m || c4 >= n4) { return; }
  let bi = wid.z;
  let rows = gemm_a_rows(bi, r0);
  let cols = gemm_b_cols(bi, c4 * 4u);
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var ko = 0u; ko < d.k_outer; ko++) {
    let a = gemm_a_cursor(rows, ko);
    let b = gemm_b_cursor(cols, ko);
    for (var ki4 = 0u; ki4 < d.k_inner / 4u; ki4++) {
      let ab = gemm_a_block(a, ki4);
      let bb = gemm_b_block(b, ki4);
      acc0 += ab[0].x * bb[0] + ab[0].y * bb[1] + ab[0].z * bb[2] + ab[0].w * bb[3];
      acc1 += ab[1].x * bb[0] + ab[1].y * bb[1] + ab[1].z * bb[2] + ab[1].w * bb[3];
      acc2 += ab[2].x * bb[0] + ab[2].y * bb[1] + ab[2].z * bb[2] + ab[2].w * bb[3];
      acc3 += ab[3].x * bb[0] + ab[3].y * bb[1] + ab[3].z * bb[2] + ab[3].w * bb[3];
    }
  }
  let base = (d.c_off + (bi * d.m + r0) * d.n) / 4u + c4;
  out[base] = gemm_epilogue(c4 * 4u, acc0);
  if (r0 + 1u < d.m) { out[base + n4] = gemm_epilogue(c4 * 4u, acc1); }
  if (r0 + 2u < d.m) { out[base + 2u * n4] = gemm_epilogue(c4 * 4u, acc2); }
  if (r0 + 3u < d.m) { out[base + 3u * n4] = gemm_epilogue(c4 * 4u, acc3); }
}

// For loaders whose operand is stored the other way round: element [j] is (t0[j], t1[j], t2[j], t3[j]).
fn transpose4(t0: vec4<T>, t1: vec4<T>, t2: vec4<T>, t3: vec4<T>) -> array<vec4<T>, 4> {
  return array<vec4<T>, 4>(vec4<T>(t0.x, t1.x, t2.x, t3.x), vec4<T>(t0.y, t1.y, t2.y, t3.y),
                           vec4<T>(t0.z, t1.z, t2.z, t3.z), vec4<T>(t0.w, t1.w, t2.w, t3.w));
}
`;

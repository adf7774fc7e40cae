import { wgsl } from '../webgpu/program.js';

/**
 * Batched C = A·B with vec4 loads and stores, no workgroup memory: each thread
 * computes a 4×4 block of C (rows r0..r0+3, columns 4·c4..4·c4+3) in four
 * vec4 accumulators. Per step it reads a 4×4 block of A and a 4×4 block of B
 * as four vec4 each, so it needs the contiguous dimension of every operand to
 * be a multiple of 4 (K and N; M too when A is transposed); `webgpu.ts`
 * falls back to the scalar direct kernel otherwise. Used on software adapters
 * (SwiftShader: about 5× the scalar direct kernel at 1024², see
 * bench/RESULTS.md); real GPUs get the tiled kernel.
 *
 * TRANS_A / TRANS_B are override constants, so each pipeline compiles only one
 * of the two load paths:
 *  - A as stored [M, K]: a vec4 is one row of A over 4 k's, used as is;
 *    A stored [K, M] (transposeA): a vec4 is 4 rows at one k, and the 4×4 block
 *    is transposed in registers.
 *  - B as stored [K, N]: a vec4 is one row of B over 4 columns, and
 *    acc_r += a_r.x·b_0 + a_r.y·b_1 + a_r.z·b_2 + a_r.w·b_3;
 *    B stored [N, K] (transposeB): a vec4 is one column of B over 4 k's, and
 *    acc_r[c] += dot(a_r, bt_c).
 * Params are those of the scalar kernels, in elements (offsets are multiples
 * of 4 whenever this kernel is chosen); the row/column strides are implied by
 * TRANS_A / TRANS_B and go unused.
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

@group(0) @binding(0) var<storage, read> a: array<vec4<T>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<T>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<T>>;
@group(0) @binding(3) var<uniform> params: Params;

override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;
override TRANS_A: bool = false;
override TRANS_B: bool = false;

// Row r of A over 4 k's, or zeros past the last row (M need not be a multiple of 4 here).
fn a_row(i: u32, ok: bool) -> vec4<T> {
  if (!ok) { return vec4<T>(); }
  return a[i];
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = params.m;
  let n4 = params.n / 4u;
  let k4 = params.k / 4u;
  let m4 = m / 4u;
  let r0 = gid.y * 4u;
  let c4 = gid.x;
  if (r0 >= m || c4 >= n4) { return; }
  let bi = gid.z;
  let a_base = (params.a_off + bi * params.a_bs) / 4u;
  let b_base = (params.b_off + bi * params.b_bs) / 4u;
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var kk = 0u; kk < k4; kk++) {
    // a0..a3: rows r0..r0+3 of A, each over k = 4kk..4kk+3.
    var a0: vec4<T>;
    var a1: vec4<T>;
    var a2: vec4<T>;
    var a3: vec4<T>;
    if (TRANS_A) {
      let i = a_base + kk * 4u * m4 + r0 / 4u;
      let t0 = a[i];
      let t1 = a[i + m4];
      let t2 = a[i + 2u * m4];
      let t3 = a[i + 3u * m4];
      a0 = vec4<T>(t0.x, t1.x, t2.x, t3.x);
      a1 = vec4<T>(t0.y, t1.y, t2.y, t3.y);
      a2 = vec4<T>(t0.z, t1.z, t2.z, t3.z);
      a3 = vec4<T>(t0.w, t1.w, t2.w, t3.w);
    } else {
      let i = a_base + r0 * k4 + kk;
      a0 = a[i];
      a1 = a_row(i + k4, r0 + 1u < m);
      a2 = a_row(i + 2u * k4, r0 + 2u < m);
      a3 = a_row(i + 3u * k4, r0 + 3u < m);
    }
    if (TRANS_B) {
      // t_c: column 4·c4 + c of B over k = 4kk..4kk+3.
      let i = b_base + c4 * 4u * k4 + kk;
      let t0 = b[i];
      let t1 = b[i + k4];
      let t2 = b[i + 2u * k4];
      let t3 = b[i + 3u * k4];
      acc0 += vec4<T>(dot(a0, t0), dot(a0, t1), dot(a0, t2), dot(a0, t3));
      acc1 += vec4<T>(dot(a1, t0), dot(a1, t1), dot(a1, t2), dot(a1, t3));
      acc2 += vec4<T>(dot(a2, t0), dot(a2, t1), dot(a2, t2), dot(a2, t3));
      acc3 += vec4<T>(dot(a3, t0), dot(a3, t1), dot(a3, t2), dot(a3, t3));
    } else {
      // b_j: row 4kk + j of B over columns 4·c4..4·c4+3.
      let i = b_base + kk * 4u * n4 + c4;
      let b0 = b[i];
      let b1 = b[i + n4];
      let b2 = b[i + 2u * n4];
      let b3 = b[i + 3u * n4];
      acc0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
      acc1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
      acc2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
      acc3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
    }
  }
  let c_base = (params.c_off + bi * m * params.n) / 4u;
  store4(c_base, r0, c4, acc0);
  store4(c_base, r0 + 1u, c4, acc1);
  store4(c_base, r0 + 2u, c4, acc2);
  store4(c_base, r0 + 3u, c4, acc3);
}

fn store4(c_base: u32, r: u32, c4: u32, v: vec4<T>) {
  if (r >= params.m) { return; }
  out[c_base + r * (params.n / 4u) + c4] = v;
}
`;

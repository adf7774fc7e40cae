/**
 * CPU matMul, batched with broadcast batch dims; transposes are read through
 * strides, never materialised. fusedMatMul (Dense's fused epilogue) runs the
 * same gemm and then adds the bias and applies the activation in one pass.
 *
 * All products go through one routine, `gemm`, blocked the way GotoBLAS /
 * BLIS do it, scaled down to what a JavaScript engine can keep in registers:
 *
 *  1. k is cut into blocks of KC. For each block, B's [KC, N] slab is copied
 *     ("packed") into panels of NR = 4 columns: panel p holds
 *     B(k, 4p..4p+3) for k = 0..KC-1 as one contiguous run, zero-padded past N.
 *  2. Rows of A are taken MC at a time and packed the same way into panels of
 *     MR = 4 rows: A(4q..4q+3, k) contiguous for each k. An MC×KC block of A
 *     (64·256 doubles = 128 KiB) stays in L2 while every B panel visits it.
 *  3. The micro-kernel multiplies one A panel by one B panel: a 4×4 tile of C
 *     kept in 16 local variables (registers), updated by rank-1 steps
 *     c[r][s] += a[r]·b[s] over the KC values of k. Each step loads 8 numbers
 *     for 16 multiply-adds, and both panels (2 × 8 KiB) sit in L1.
 *
 * Packing is what makes strides free: A(i, k) = a[aOff + i·ars + k·acs] and
 * B(k, j) = b[bOff + k·brs + j·bcs] are read once per block whatever the
 * transposes, and the micro-kernel only ever walks contiguous Float64Arrays
 * (no float32 → float64 conversion in the hot loop). Edge tiles are computed
 * on the zero padding and only their valid part is stored.
 */
import { cellActivationCodes } from '../recurrent/spec.js';
import { matMulBatches } from './batches.js';
import type { FloatArray, TypedArray } from '../types.js';
import type { CpuKernel } from '../cpu/cpu_tensor.js';

/** Depth of a k block: an A and a B panel (4·KC doubles each) fit in L1 together. */
const KC = 256;
/** Rows of A packed at a time: MC·KC doubles stay in L2. */
const MC = 64;

// Packing buffers, grown on demand and reused (kernels run one at a time).
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(4 * KC);

/** A `TypedArray` strided view of one matrix operand: element (r, c) = data[off + r·rs + c·cs]. */
export interface MatView {
  data: TypedArray;
  off: number;
  rs: number;
  cs: number;
}

/**
 * Packs B(k0..k0+kc-1, 0..N-1) into 4-column panels: panel p at p·4·kc,
 * element (k, s) at p·4·kc + 4k + s; columns past N are zero.
 */
function packBPanels(b: MatView, k0: number, kc: number, N: number, out: Float64Array): void {
  const { data, off, rs, cs } = b;
  const panels = (N + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    const j = 4 * p;
    const base = p * 4 * kc;
    const w = Math.min(4, N - j);
    for (let k = 0; k < kc; k++) {
      const src = off + (k0 + k) * rs + j * cs;
      const dst = base + 4 * k;
      if (w === 4) {
        out[dst] = data[src];
        out[dst + 1] = data[src + cs];
        out[dst + 2] = data[src + 2 * cs];
        out[dst + 3] = data[src + 3 * cs];
      } else {
        for (let s = 0; s < 4; s++) out[dst + s] = s < w ? data[src + s * cs] : 0;
      }
    }
  }
}

/** Packs A(i0..i0+mc-1, k0..k0+kc-1) into 4-row panels: element (r, k) of panel q at q·4·kc + 4k + r. */
function packAPanels(a: MatView, i0: number, mc: number, k0: number, kc: number, out: Float64Array): void {
  const { data, off, rs, cs } = a;
  const panels = (mc + 3) >> 2;
  for (let q = 0; q < panels; q++) {
    const i = i0 + 4 * q;
    const base = q * 4 * kc;
    const h = Math.min(4, i0 + mc - i);
    for (let r = 0; r < 4; r++) {
      if (r >= h) {
        for (let k = 0; k < kc; k++) out[base + 4 * k + r] = 0;
        continue;
      }
      const src = off + (i + r) * rs + k0 * cs;
      for (let k = 0; k < kc; k++) out[base + 4 * k + r] = data[src + k * cs];
    }
  }
}

/**
 * C(i0+r, j0+s) (+)= Σ_k Ap[r, k] Bp[k, s] for the 4×4 tile, r < h, s < w.
 * `add` false overwrites C (first k block of a fresh product).
 */
function microKernel(
  kc: number, ap: Float64Array, aBase: number, bp: Float64Array, bBase: number,
  c: FloatArray | Int32Array, cIdx: number, ldc: number, h: number, w: number, add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aBase;
  let bi = bBase;
  for (let k = 0; k < kc; k++, ai += 4, bi += 4) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (h === 4 && w === 4) {
    let o = cIdx;
    if (add) {
      c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
      c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
      c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
      c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    } else {
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += ldc;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += ldc;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += ldc;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
    return;
  }
  // Ragged edge tile: store only the valid h×w corner.
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < h; r++) {
    for (let s = 0; s < w; s++) {
      const o = cIdx + r * ldc + s;
      c[o] = add ? c[o] + tile[4 * r + s] : tile[4 * r + s];
    }
  }
}

/**
 * C = A·B (or C += A·B when `accumulate`) for one [M, K] × [K, N] product,
 * A and B read through strided views, C stored row-major [M, N] from `cOff`.
 * See the file comment for the blocking scheme.
 */
export function gemm(
  M: number, N: number, K: number,
  a: MatView, b: MatView,
  c: FloatArray | Int32Array, cOff: number, accumulate: boolean,
): void {
  if (K === 0) {
    if (!accumulate) c.fill(0, cOff, cOff + M * N);
    return;
  }
  const nPanels = (N + 3) >> 2;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    const add = accumulate || k0 > 0;
    if (packB.length < nPanels * 4 * kc) packB = new Float64Array(nPanels * 4 * KC);
    packBPanels(b, k0, kc, N, packB);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = Math.min(MC, M - i0);
      const mPanels = (mc + 3) >> 2;
      if (packA.length < mPanels * 4 * kc) packA = new Float64Array(mPanels * 4 * KC);
      packAPanels(a, i0, mc, k0, kc, packA);
      // The B panel (4·kc) is reused by all MC/4 A panels before moving on.
      for (let p = 0; p < nPanels; p++) {
        const j = 4 * p;
        const w = Math.min(4, N - j);
        for (let q = 0; q < mPanels; q++) {
          const i = i0 + 4 * q;
          microKernel(kc, packA, q * 4 * kc, packB, p * 4 * kc, c, cOff + i * N + j, N, Math.min(4, M - i), w, add);
        }
      }
    }
  }
}

/** matMul(a, b, transposeA, transposeB): rank ≥ 2, batch dims broadcast. */
export const matMulKernel: CpuKernel<'matMul'> = ([a, b], out, { transposeA, transposeB }) => {
  const { M, N, K, forEach } = matMulBatches(a.shape, b.shape, out.shape, transposeA);
  // A(i, k): stored row-major [M, K], or [K, M] when transposed; B(k, j) likewise.
  const av: MatView = { data: a.values, off: 0, rs: transposeA ? 1 : K, cs: transposeA ? M : 1 };
  const bv: MatView = { data: b.values, off: 0, rs: transposeB ? 1 : N, cs: transposeB ? K : 1 };
  const c = out.values as FloatArray | Int32Array;
  forEach((bi, ao, bo) => {
    av.off = ao * M * K;
    bv.off = bo * K * N;
    gemm(M, N, K, av, bv, c, bi * M * N, false);
  });
};

/**
 * The fused epilogue of fusedMatMul and fusedConv2d: c[off + i·N + j] =
 * act(c[…] + bias[j]) for `rows` rows of N, in place (activation code from
 * `cellActivationCodes`; the loop is chosen once, outside the elements).
 * NaN stays NaN through every activation.
 */
export function biasActInPlace(c: FloatArray, off: number, rows: number, N: number, bs: ArrayLike<number>, code: number): void {
  for (let i = 0, o = off; i < rows; i++) {
    switch (code) {
      case 1:
        for (let j = 0; j < N; j++, o++) {
          const z = c[o] + bs[j];
          c[o] = z < 0 ? 0 : z;
        }
        break;
      case 2:
        for (let j = 0; j < N; j++, o++) c[o] = 1 / (1 + Math.exp(-(c[o] + bs[j])));
        break;
      case 4:
        for (let j = 0; j < N; j++, o++) c[o] = Math.tanh(c[o] + bs[j]);
        break;
      default:
        for (let j = 0; j < N; j++, o++) c[o] += bs[j];
    }
  }
}

/**
 * fusedMatMul (rank 2): C = op(A)·op(B) by `gemm`, then one pass over C
 * adding bias[j] and applying the activation in place (`biasActInPlace`).
 */
export const fusedMatMulKernel: CpuKernel<'fusedMatMul'> = ([a, b, bias], out, { transposeA, transposeB, activation }) => {
  const M = out.shape[0];
  const N = out.shape[1];
  const K = transposeA ? a.shape[0] : a.shape[1];
  const av: MatView = { data: a.values, off: 0, rs: transposeA ? 1 : K, cs: transposeA ? M : 1 };
  const bv: MatView = { data: b.values, off: 0, rs: transposeB ? 1 : N, cs: transposeB ? K : 1 };
  const c = out.values as FloatArray;
  gemm(M, N, K, av, bv, c, 0, false);
  biasActInPlace(c, 0, M, N, bias.values, cellActivationCodes[activation]);
};

/**
 * CPU matMul, batched with broadcast batch dims, transposes read through
 * strides (never materialised).
 *
 * Two loop shapes keep the innermost loop on contiguous memory:
 *  - B not transposed (B[k, n] rows contiguous): C[i, :] += Σ_k A[i, k] B[k, :],
 *    with k unrolled by 4 so each pass over a C row reads 4 B rows (8 flops per
 *    C load/store). A is only read as scalars, so transposeA is just a stride.
 *  - B transposed (B stored [n, k]): C[i, j] = A[i, :] · B[j, :], four columns
 *    of C at a time so each A element loaded serves 4 dot products.
 * k is blocked so the B rows in use stay in cache.
 */
import { broadcastStrides } from '../elementwise/spec.js';
import type { FloatArray, TypedArray } from '../types.js';
import { sizeOf } from '../types.js';
import type { CpuKernel } from './cpu_tensor.js';

const K_BLOCK = 128;

/**
 * C[cOff + i*N + j] += Σ_k A(i, k) B(k, j) for one matrix, where
 * A(i, k) = a[aOff + i*ars + k*acs] and B is stored [K, N] row-major.
 */
export function gemmBRows(
  M: number, N: number, K: number,
  a: TypedArray, aOff: number, ars: number, acs: number,
  b: TypedArray, bOff: number,
  c: FloatArray | Int32Array, cOff: number,
): void {
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    const k1 = Math.min(K, k0 + K_BLOCK);
    for (let i = 0; i < M; i++) {
      const ci = cOff + i * N;
      const ai = aOff + i * ars;
      let k = k0;
      for (; k + 3 < k1; k += 4) {
        const a0 = a[ai + k * acs];
        const a1 = a[ai + (k + 1) * acs];
        const a2 = a[ai + (k + 2) * acs];
        const a3 = a[ai + (k + 3) * acs];
        const b0 = bOff + k * N;
        const b1 = b0 + N;
        const b2 = b1 + N;
        const b3 = b2 + N;
        for (let j = 0; j < N; j++) {
          c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
        }
      }
      for (; k < k1; k++) {
        const a0 = a[ai + k * acs];
        const b0 = bOff + k * N;
        for (let j = 0; j < N; j++) c[ci + j] += a0 * b[b0 + j];
      }
    }
  }
}

/**
 * C[cOff + i*N + j] = Σ_k A(i, k) B[j, k] for one matrix, B stored [N, K]
 * row-major, A(i, k) = a[aOff + i*ars + k*acs].
 */
export function gemmBCols(
  M: number, N: number, K: number,
  a: TypedArray, aOff: number, ars: number, acs: number,
  b: TypedArray, bOff: number,
  c: FloatArray | Int32Array, cOff: number,
): void {
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * ars;
    const ci = cOff + i * N;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      const b0 = bOff + j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const av = a[ai + k * acs];
        s0 += av * b[b0 + k];
        s1 += av * b[b1 + k];
        s2 += av * b[b2 + k];
        s3 += av * b[b3 + k];
      }
      c[ci + j] = s0;
      c[ci + j + 1] = s1;
      c[ci + j + 2] = s2;
      c[ci + j + 3] = s3;
    }
    for (; j < N; j++) {
      const b0 = bOff + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ai + k * acs] * b[b0 + k];
      c[ci + j] = s;
    }
  }
}

/** matMul(a, b, transposeA, transposeB): rank ≥ 2, batch dims broadcast. */
export const matMulKernel: CpuKernel<'matMul'> = ([a, b], out, { transposeA, transposeB }) => {
  const ar = a.shape.length;
  const M = out.shape[out.shape.length - 2];
  const N = out.shape[out.shape.length - 1];
  const K = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const batchShape = out.shape.slice(0, -2);
  const nBatch = sizeOf(batchShape);
  const aBatch = broadcastStrides(a.shape.slice(0, -2), batchShape);
  const bBatch = broadcastStrides(b.shape.slice(0, -2), batchShape);
  const aMat = M * K;
  const bMat = K * N;
  // A(i, k): row-major [M, K], or [K, M] when transposed.
  const ars = transposeA ? 1 : K;
  const acs = transposeA ? M : 1;
  const c = out.values as FloatArray | Int32Array;
  const coord = new Array<number>(batchShape.length).fill(0);
  for (let bi = 0; bi < nBatch; bi++) {
    let ao = 0;
    let bo = 0;
    for (let d = 0; d < coord.length; d++) {
      ao += coord[d] * aBatch[d];
      bo += coord[d] * bBatch[d];
    }
    if (transposeB) gemmBCols(M, N, K, a.values, ao * aMat, ars, acs, b.values, bo * bMat, c, bi * M * N);
    else gemmBRows(M, N, K, a.values, ao * aMat, ars, acs, b.values, bo * bMat, c, bi * M * N);
    for (let d = coord.length - 1; d >= 0; d--) {
      if (++coord[d] < batchShape[d]) break;
      coord[d] = 0;
    }
  }
};

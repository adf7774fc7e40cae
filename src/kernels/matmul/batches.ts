/**
 * The batch walk of a (batched) matMul, shared by the CPU and wasm kernels:
 * the GEMM sizes M, N, K and, for each output matrix, which A and B matrices
 * it multiplies (batch dims broadcast as NumPy's do).
 */
import { broadcastStrides } from '../elementwise/spec.js';
import { sizeOf } from '../types.js';

/** GEMM sizes of out = op(A)·op(B), out [..., M, N], with K read from A (transposed or not). */
export interface MatMulBatches {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  /** Calls fn(outIndex, aIndex, bIndex) for each output matrix, in order; indices count matrices, not floats. */
  forEach(fn: (bi: number, ai: number, bj: number) => void): void;
}

/** The batches of matMul(a, b) with output shape `outShape`. */
export function matMulBatches(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[], transposeA: boolean): MatMulBatches {
  const ar = aShape.length;
  const M = outShape[outShape.length - 2];
  const N = outShape[outShape.length - 1];
  const K = transposeA ? aShape[ar - 2] : aShape[ar - 1];
  const batchShape = outShape.slice(0, -2);
  const nBatch = sizeOf(batchShape);
  const aBatch = broadcastStrides(aShape.slice(0, -2), batchShape);
  const bBatch = broadcastStrides(bShape.slice(0, -2), batchShape);
  return {
    M,
    N,
    K,
    forEach(fn) {
      const coord = new Array<number>(batchShape.length).fill(0);
      for (let bi = 0; bi < nBatch; bi++) {
        let ao = 0;
        let bo = 0;
        for (let d = 0; d < coord.length; d++) {
          ao += coord[d] * aBatch[d];
          bo += coord[d] * bBatch[d];
        }
        fn(bi, ao, bo);
        for (let d = coord.length - 1; d >= 0; d--) {
          if (++coord[d] < batchShape[d]) break;
          coord[d] = 0;
        }
      }
    },
  };
}

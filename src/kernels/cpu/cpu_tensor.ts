/** What a CPU kernel sees of a tensor: its values, shape and dtype. */
import type { MultiOutputOp, OpAttrMap, OpName } from '../op_names.js';
import type { DType, FloatArray, TypedArray } from '../types.js';

export interface CpuTensor {
  readonly values: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Scratch allocation for kernels that need temporaries. */
export interface CpuContext {
  /** A zeroed float array of the backend's precision. */
  floats(size: number): FloatArray;
}

/**
 * A CPU kernel fills `out` (already allocated with the spec's shape and dtype,
 * zeroed) from `inputs`.
 */
export type CpuKernel<K extends OpName> = (inputs: readonly CpuTensor[], out: CpuTensor, attrs: OpAttrMap[K], ctx: CpuContext) => void;

/** A multi-output op's CPU kernel: like `CpuKernel`, with one `out` per output in `multiOutputNames` order. */
export type CpuMultiKernel<K extends OpName> = (inputs: readonly CpuTensor[], outs: readonly CpuTensor[], attrs: OpAttrMap[K], ctx: CpuContext) => void;

/** The CPU kernel type of op `K` (for the registry). */
export type CpuKernelOf<K extends OpName> = K extends MultiOutputOp ? CpuMultiKernel<K> : CpuKernel<K>;

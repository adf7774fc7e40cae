/**
 * The type of a WebGPU kernel: turns (inputs, attrs, output shape/dtype) into
 * one or more `Launch`es via `rt.launch` and returns the output's handle; a
 * multi-output op's kernel gets every output's shape/dtype and returns one
 * handle per output (its launch binds them all, so one dispatch writes them).
 */
import type { MultiOutputOp, OpAttrMap, OpName } from '../op_names.js';
import type { OutputInfo } from '../spec.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import type { WebGpuBackend } from './backend.js';

/** The kernel of a single-output op. */
export type GpuKernel<K extends OpName> = (
  rt: WebGpuBackend,
  inputs: readonly TensorInfo[],
  attrs: OpAttrMap[K],
  outShape: readonly number[],
  outDtype: DType,
) => DataId;

/** The kernel of a multi-output op: one handle per output, in `multiOutputNames` order. */
export type GpuMultiKernel<K extends OpName> = (rt: WebGpuBackend, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outputs: readonly OutputInfo[]) => DataId[];

/** The WebGPU kernel type of op `K` (for the registries). */
export type GpuKernelOf<K extends OpName> = K extends MultiOutputOp ? GpuMultiKernel<K> : GpuKernel<K>;

/** Workgroup count for `n` threads with workgroups of `wg` (at least 1). */
export function groups(n: number, wg = 64): number {
  return Math.max(1, Math.ceil(n / wg));
}

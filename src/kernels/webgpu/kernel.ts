/**
 * The type of a WebGPU kernel: turns (inputs, attrs, output shape/dtype) into
 * one or more `Launch`es via `rt.launch` and returns the output's handle.
 */
import type { OpAttrMap, OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import type { WebGpuBackend } from './backend.js';

export type GpuKernel<K extends OpName> = (
  rt: WebGpuBackend,
  inputs: readonly TensorInfo[],
  attrs: OpAttrMap[K],
  outShape: readonly number[],
  outDtype: DType,
) => DataId;

/** Workgroup count for `n` threads with workgroups of `wg` (at least 1). */
export function groups(n: number, wg = 64): number {
  return Math.max(1, Math.ceil(n / wg));
}

/**
 * The type of a WebGPU kernel: turns (inputs, attrs, output shape/dtype) into
 * one or more `Launch`es via `rt.launch` and returns the output's handle (a
 * multi-output op's kernel gets every output's shape/dtype and returns one
 * handle per output: its launch binds them all, so one dispatch writes
 * them); and the small launch helpers the family kernels share.
 */
import type { MultiOutputOp, OpAttrMap, OpName } from '../op_names.js';
import type { OutputInfo } from '../spec.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import type { WebGpuBackend } from './backend.js';
import type { ShaderDef } from './program.js';

/** A WebGPU kernel of op K. */
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

/** WGSL scalar type that stores `d` (bool is stored as i32). */
export const wgslScalar = (d: DType): 'f32' | 'i32' => (d === 'float32' ? 'f32' : 'i32');

/** Raw 32-bit pattern of `v` stored as `dtype`. */
export function bitsOf(v: number, dtype: DType): number {
  if (dtype === 'float32') return new Uint32Array(new Float32Array([v]).buffer)[0];
  if (dtype === 'bool') return v ? 1 : 0;
  return (v | 0) >>> 0;
}

/** Throws unless `shape` has rank <= 8 (the shaders' fixed-size shape arrays). */
export function checkRank8(op: string, shape: readonly number[]): void {
  if (shape.length > 8) throw new Error(`webgpu: ${op} supports rank <= 8, got rank ${shape.length}`);
}

/** One dispatch of `shader` over `wgs` workgroups writing one new output of `shape`/`dtype`. */
export function launchOne(rt: WebGpuBackend, shader: ShaderDef, inputs: TensorInfo[], shape: readonly number[], dtype: DType, params: Record<string, number | readonly number[]>, wgs: number): DataId {
  return rt.launch({ shader, inputs, outputs: [{ shape, dtype }], params, workgroups: [wgs] })[0];
}

/** [outer, dim, inner] split of `shape` around `axis`. */
export function splitAxis(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

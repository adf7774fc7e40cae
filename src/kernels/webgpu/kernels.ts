/** The WebGPU kernel registry (partial: a missing op throws a clear error). */
import type { OpName } from '../op_names.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import type { GpuKernelOf } from './kernel.js';
import { matMul, matMulBiasAct } from './mat_mul.js';
import { convPoolKernels } from './conv_pool.js';
import { simpleKernels } from './simple.js';

export const gpuKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  ...elementwiseKernels,
  ...simpleKernels,
  matMul,
  matMulBiasAct,
  ...convPoolKernels,
  ...fusedKernels,
};

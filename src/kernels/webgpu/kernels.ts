/** The WebGPU kernel registry (partial: a missing op throws a clear error). */
import type { OpName } from '../op_names.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import type { GpuKernel } from './kernel.js';
import { matMul, fusedMatMul } from './mat_mul.js';
import { convPoolKernels } from './conv_pool.js';
import { simpleKernels } from './simple.js';

export const gpuKernels: Partial<{ [K in OpName]: GpuKernel<K> }> = {
  ...elementwiseKernels,
  ...simpleKernels,
  matMul,
  fusedMatMul,
  ...convPoolKernels,
  ...fusedKernels,
};

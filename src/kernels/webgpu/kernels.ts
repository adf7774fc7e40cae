/** The WebGPU kernel registry: the family kernels collected (partial: a missing op throws a clear error). */
import { convKernels } from '../conv/webgpu.js';
import { elementwiseKernels } from '../elementwise/webgpu.js';
import { fusedMatMul, matMul } from '../matmul/webgpu.js';
import { movementKernels } from '../movement/webgpu.js';
import type { OpName } from '../op_names.js';
import { optimizerKernels } from '../optimizer/webgpu.js';
import { poolKernels } from '../pool/webgpu.js';
import { recurrentKernels } from '../recurrent/webgpu.js';
import { reduceKernels } from '../reduce/webgpu.js';
import type { GpuKernelOf } from './kernel.js';

/** Every op with a WebGPU kernel. */
export const gpuKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  ...elementwiseKernels,
  ...movementKernels,
  ...reduceKernels,
  matMul,
  fusedMatMul,
  ...convKernels,
  ...poolKernels,
  ...recurrentKernels,
  ...optimizerKernels,
};

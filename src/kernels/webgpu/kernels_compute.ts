import type { OpName } from '../op_names.js';
import type { GpuKernel } from './kernel.js';

export const computeKernels: Partial<{ [K in OpName]: GpuKernel<K> }> = {};

/**
 * max/avg pooling and their gradients on WebGPU: one thread per output
 * element, with the window `Params` of the conv shaders (`windowParams`)
 * filled from the shared geometry in `conv/spec.ts`.
 */
import type { WindowInfo } from '../conv/spec.js';
import { poolInfo } from '../conv/spec.js';
import { windowParams } from '../conv/webgpu.js';
import type { OpName } from '../op_names.js';
import type { DataId, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';
import { groups } from '../webgpu/kernel.js';
import type { ShaderDef } from '../webgpu/program.js';
import { source as avgPoolGradSrc } from './avg_pool_grad.wgsl.js';
import { source as avgPoolSrc } from './avg_pool.wgsl.js';
import { source as maxPoolGradSrc } from './max_pool_grad.wgsl.js';
import { source as maxPoolSrc } from './max_pool.wgsl.js';

/** Every pool shader, by name (tests reflect and compile them all). */
export const poolShaders: Record<string, ShaderDef> = {
  max_pool: { name: 'max_pool', source: maxPoolSrc },
  avg_pool: { name: 'avg_pool', source: avgPoolSrc },
  max_pool_grad: { name: 'max_pool_grad', source: maxPoolGradSrc },
  avg_pool_grad: { name: 'avg_pool_grad', source: avgPoolGradSrc },
};

function run(rt: WebGpuBackend, shader: ShaderDef, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, threads: number): DataId {
  return rt.launch({ shader, inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params: windowParams(w, threads), workgroups: [groups(threads)] })[0];
}

const maxPool: GpuKernel<'maxPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('maxPool', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, poolShaders.max_pool, [x], outShape, w, sizeOf(outShape));
};

const avgPool: GpuKernel<'avgPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('avgPool', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, poolShaders.avg_pool, [x], outShape, w, sizeOf(outShape));
};

const maxPoolGrad: GpuKernel<'maxPoolGrad'> = (rt, [dy, x], a, outShape) => {
  const w = poolInfo('maxPoolGrad', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, poolShaders.max_pool_grad, [dy, x], outShape, w, sizeOf(outShape));
};

const avgPoolGrad: GpuKernel<'avgPoolGrad'> = (rt, [dy], a, outShape) => {
  const w = poolInfo('avgPoolGrad', a.xShape, a.filterSize, a.strides, a.pad);
  return run(rt, poolShaders.avg_pool_grad, [dy], outShape, w, sizeOf(outShape));
};

/** The WebGPU pool kernels. */
export const poolKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  maxPool,
  avgPool,
  maxPoolGrad,
  avgPoolGrad,
};

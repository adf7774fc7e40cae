/**
 * max/avg pooling and their gradients on WebGPU: one thread per output
 * element (four channels per thread in the _vec4 variants, channels a
 * multiple of 4), with the window `Params` of the conv shaders
 * (`windowParams`) filled from the shared geometry in `conv/spec.ts`.
 * maxPoolGrad of windows that do not overlap runs one thread per window
 * (`max_pool_grad_disjoint`); of overlapping ones, one per dx element.
 * The shaders are composed from the `window.wgsl.ts` parts (one window walk).
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
import { composeShader } from '../webgpu/program.js';
import { perElement } from '../webgpu/element.wgsl.js';
import { main as avgPoolGradMain } from './avg_pool_grad.wgsl.js';
import { main as avgPoolMain } from './avg_pool.wgsl.js';
import { main as maxPoolGradDisjointMain } from './max_pool_grad_disjoint.wgsl.js';
import { main as maxPoolGradMain } from './max_pool_grad.wgsl.js';
import { main as maxPoolMain } from './max_pool.wgsl.js';
import { firstMax, gatherGrad, lanes1, lanes4, params, walk } from './window.wgsl.js';

/** The pool shaders' `window.wgsl.ts` parts, one channel (lanes1) or four (lanes4) per thread: aliases, window Params, the window walk. */
const base = (lanes: string): string[] => [lanes, params, walk];

/** Every pool shader, by name (tests reflect and compile them all): the shared parts, then each shader's bindings and element(idx) (the one-thread-per-dx-element gradients: their window_grad and the shared gatherGrad), then the shared one-thread-per-element main. */
export const poolShaders: Record<string, ShaderDef> = {
  max_pool: composeShader('max_pool', [...base(lanes1), maxPoolMain, perElement]),
  avg_pool: composeShader('avg_pool', [...base(lanes1), avgPoolMain, perElement]),
  max_pool_grad: composeShader('max_pool_grad', [...base(lanes1), firstMax, maxPoolGradMain, gatherGrad, perElement]),
  avg_pool_grad: composeShader('avg_pool_grad', [...base(lanes1), avgPoolGradMain, gatherGrad, perElement]),
  max_pool_grad_disjoint: composeShader('max_pool_grad_disjoint', [...base(lanes1), firstMax, maxPoolGradDisjointMain, perElement]),
  max_pool_vec4: composeShader('max_pool_vec4', [...base(lanes4), maxPoolMain, perElement]),
  avg_pool_vec4: composeShader('avg_pool_vec4', [...base(lanes4), avgPoolMain, perElement]),
  max_pool_grad_disjoint_vec4: composeShader('max_pool_grad_disjoint_vec4', [...base(lanes4), firstMax, maxPoolGradDisjointMain, perElement]),
};

function run(rt: WebGpuBackend, shader: ShaderDef, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, threads: number): DataId {
  return rt.launch({ shader, inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params: windowParams(w, threads), workgroups: [groups(threads)] })[0];
}

/**
 * One thread per element of `perThread` (an output or dy shape), or, with the
 * `${name}_vec4` shader when the channels are a multiple of 4, one per four
 * channels (params count channels in vec4s there).
 */
function runPool(rt: WebGpuBackend, name: string, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, perThread: readonly number[]): DataId {
  const threads = sizeOf(perThread);
  if (w.inC % 4 !== 0) return run(rt, poolShaders[name], inputs, outShape, w, threads);
  const w4 = { ...w, inC: w.inC / 4, outC: w.outC / 4 };
  return run(rt, poolShaders[`${name}_vec4`], inputs, outShape, w4, threads / 4);
}

const maxPool: GpuKernel<'maxPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('maxPool', x.shape, a.filterSize, a.strides, a.pad);
  return runPool(rt, 'max_pool', [x], outShape, w, outShape);
};

const avgPool: GpuKernel<'avgPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('avgPool', x.shape, a.filterSize, a.strides, a.pad);
  return runPool(rt, 'avg_pool', [x], outShape, w, outShape);
};

const maxPoolGrad: GpuKernel<'maxPoolGrad'> = (rt, [dy, x], a, outShape) => {
  const w = poolInfo('maxPoolGrad', x.shape, a.filterSize, a.strides, a.pad);
  // Windows that do not overlap: one thread per window writes its whole stride cell (4× fewer threads for 2×2/2,
  // each window's maximum found once); otherwise one thread per dx element gathers from every window covering it.
  if (w.fh <= w.sh && w.fw <= w.sw && w.outH > 0 && w.outW > 0) return runPool(rt, 'max_pool_grad_disjoint', [dy, x], outShape, w, dy.shape);
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

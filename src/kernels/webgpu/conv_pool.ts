/**
 * conv2d (and both gradients) and max/avg pooling (and gradients) on WebGPU.
 * Every shader takes the same window `Params` (see `conv2d.wgsl.ts`), filled
 * from the shared geometry in `conv/spec.ts`, so the GPU and CPU kernels agree
 * on 'same'/'valid'/explicit padding by construction. Threads are flat
 * (folded into 2-D by the runtime past 65,535 workgroups).
 */
import type { WindowInfo } from '../conv/spec.js';
import { convInfo, poolInfo } from '../conv/spec.js';
import type { OpName } from '../op_names.js';
import type { DataId, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { source as avgPoolGradSrc } from './avg_pool_grad.wgsl.js';
import { source as avgPoolSrc } from './avg_pool.wgsl.js';
import type { WebGpuBackend } from './backend.js';
import { source as convFilterSrc } from './conv2d_backprop_filter.wgsl.js';
import { source as convInputSrc } from './conv2d_backprop_input.wgsl.js';
import { source as convSrc } from './conv2d.wgsl.js';
import type { GpuKernel } from './kernel.js';
import { groups } from './kernel.js';
import { source as maxPoolGradSrc } from './max_pool_grad.wgsl.js';
import { source as maxPoolSrc } from './max_pool.wgsl.js';
import type { ShaderDef } from './program.js';

export const convPoolShaders: Record<string, ShaderDef> = {
  conv2d: { name: 'conv2d', source: convSrc },
  conv2d_backprop_input: { name: 'conv2d_backprop_input', source: convInputSrc },
  conv2d_backprop_filter: { name: 'conv2d_backprop_filter', source: convFilterSrc },
  max_pool: { name: 'max_pool', source: maxPoolSrc },
  avg_pool: { name: 'avg_pool', source: avgPoolSrc },
  max_pool_grad: { name: 'max_pool_grad', source: maxPoolGradSrc },
  avg_pool_grad: { name: 'avg_pool_grad', source: avgPoolGradSrc },
};

function windowParams(w: WindowInfo, size: number): Record<string, number> {
  return {
    size,
    batch: w.batch,
    in_h: w.inH,
    in_w: w.inW,
    in_c: w.inC,
    out_h: w.outH,
    out_w: w.outW,
    out_c: w.outC,
    fh: w.fh,
    fw: w.fw,
    sh: w.sh,
    sw: w.sw,
    dh: w.dh,
    dw: w.dw,
    pad_top: w.padTop,
    pad_left: w.padLeft,
  };
}

function run(rt: WebGpuBackend, shader: ShaderDef, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, threads: number): DataId {
  return rt.launch({ shader, inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params: windowParams(w, threads), workgroups: [groups(threads)] })[0];
}

const conv2d: GpuKernel<'conv2d'> = (rt, [x, f], a, outShape) => {
  const w = convInfo('conv2d', x.shape, f.shape, a.strides, a.dilations, a.pad);
  const threads = w.batch * w.outH * w.outW * Math.ceil(w.outC / 4);
  return run(rt, convPoolShaders.conv2d, [x, f], outShape, w, threads);
};

const conv2dBackpropInput: GpuKernel<'conv2dBackpropInput'> = (rt, [dy, f], a, outShape) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, f.shape, a.strides, a.dilations, a.pad);
  return run(rt, convPoolShaders.conv2d_backprop_input, [dy, f], outShape, w, sizeOf(outShape));
};

const conv2dBackpropFilter: GpuKernel<'conv2dBackpropFilter'> = (rt, [x, dy], a, outShape) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  return run(rt, convPoolShaders.conv2d_backprop_filter, [x, dy], outShape, w, sizeOf(outShape));
};

const maxPool: GpuKernel<'maxPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('maxPool', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, convPoolShaders.max_pool, [x], outShape, w, sizeOf(outShape));
};

const avgPool: GpuKernel<'avgPool'> = (rt, [x], a, outShape) => {
  const w = poolInfo('avgPool', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, convPoolShaders.avg_pool, [x], outShape, w, sizeOf(outShape));
};

const maxPoolGrad: GpuKernel<'maxPoolGrad'> = (rt, [dy, x], a, outShape) => {
  const w = poolInfo('maxPoolGrad', x.shape, a.filterSize, a.strides, a.pad);
  return run(rt, convPoolShaders.max_pool_grad, [dy, x], outShape, w, sizeOf(outShape));
};

const avgPoolGrad: GpuKernel<'avgPoolGrad'> = (rt, [dy], a, outShape) => {
  const w = poolInfo('avgPoolGrad', a.xShape, a.filterSize, a.strides, a.pad);
  return run(rt, convPoolShaders.avg_pool_grad, [dy], outShape, w, sizeOf(outShape));
};

export const convPoolKernels: Partial<{ [K in OpName]: GpuKernel<K> }> = {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool,
  avgPool,
  maxPoolGrad,
  avgPoolGrad,
};

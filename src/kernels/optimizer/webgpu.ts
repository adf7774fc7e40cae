/**
 * The Adam step on WebGPU (`optimizer/spec.ts`): one elementwise-style
 * dispatch, one thread per weight, writing w', m', v' (three outputs).
 */
import type { OpName } from '../op_names.js';
import { sizeOf } from '../types.js';
import type { GpuKernelOf, GpuMultiKernel } from '../webgpu/kernel.js';
import { groups } from '../webgpu/kernel.js';
import type { ShaderDef } from '../webgpu/program.js';
import { main as adamMain } from './adam_update.wgsl.js';
import { perElement } from '../webgpu/element.wgsl.js';
import { composeShader } from '../webgpu/program.js';
import { adamCorrections } from './spec.js';

/** Every optimizer shader, by name (tests reflect and compile them all). */
export const optimizerShaders: Record<string, ShaderDef> = {
  adam_update: composeShader('adam_update', [adamMain, perElement]),
};

/** adamUpdate: w', m', v' as three outputs of one dispatch. */
const adamUpdate: GpuMultiKernel<'adamUpdate'> = (rt, inputs, attrs, outputs) => {
  const [c1, c2] = adamCorrections(attrs);
  const size = sizeOf(inputs[0].shape);
  return rt.launch({
    shader: optimizerShaders.adam_update,
    inputs: [...inputs],
    outputs: outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })),
    params: { size, learning_rate: attrs.learningRate, beta1: attrs.beta1, beta2: attrs.beta2, epsilon: attrs.epsilon, correction1: c1, correction2: c2 },
    workgroups: [groups(size)],
  });
};

/** The WebGPU optimizer kernels. */
export const optimizerKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  adamUpdate,
};

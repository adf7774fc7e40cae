/**
 * WebGPU kernels of the fused ops (`fused/spec.ts`): the LSTM/GRU cell gates,
 * their backward ops and the Adam step, one elementwise-style dispatch each
 * (one thread per (row, unit), or per element for Adam).
 */
import type { CellAttrs } from '../fused/spec.js';
import { adamCorrections, cellActivationCodes } from '../fused/spec.js';
import type { OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { source as adamSrc } from './adam_update.wgsl.js';
import type { WebGpuBackend } from './backend.js';
import { source as gruSrc } from './gru_cell.wgsl.js';
import { source as gruGradSrc } from './gru_cell_grad.wgsl.js';
import type { GpuKernel } from './kernel.js';
import { groups } from './kernel.js';
import { source as lstmSrc } from './lstm_cell.wgsl.js';
import { source as lstmGradSrc } from './lstm_cell_grad.wgsl.js';
import type { ShaderDef } from './program.js';

/** Every fused shader, by name (tests reflect and compile them all). */
export const fusedShaders: Record<string, ShaderDef> = {
  lstm_cell: { name: 'lstm_cell', source: lstmSrc },
  lstm_cell_grad: { name: 'lstm_cell_grad', source: lstmGradSrc },
  gru_cell: { name: 'gru_cell', source: gruSrc },
  gru_cell_grad: { name: 'gru_cell_grad', source: gruGradSrc },
  adam_update: { name: 'adam_update', source: adamSrc },
};

/** A cell kernel: one thread per (row, unit); `gates` is the gate count of input 0. */
function cellKernel<K extends 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad'>(shader: ShaderDef, gates: number): GpuKernel<K> {
  return (rt: WebGpuBackend, inputs: readonly TensorInfo[], attrs, outShape: readonly number[], outDtype: DType): DataId => {
    const a = attrs as CellAttrs;
    const x = inputs[0].shape;
    const units = x[x.length - 1] / gates;
    const size = sizeOf(x) / gates;
    return rt.launch({
      shader,
      inputs: [...inputs],
      outputs: [{ shape: outShape, dtype: outDtype }],
      params: { size, units: Math.max(units, 1), act: cellActivationCodes[a.activation], rec_act: cellActivationCodes[a.recurrentActivation] },
      workgroups: [groups(size)],
    })[0];
  };
}

const adamUpdate: GpuKernel<'adamUpdate'> = (rt, inputs, attrs, outShape, outDtype) => {
  const [c1, c2] = adamCorrections(attrs);
  const size = sizeOf(inputs[0].shape);
  return rt.launch({
    shader: fusedShaders.adam_update,
    inputs: [...inputs],
    outputs: [{ shape: outShape, dtype: outDtype }],
    params: { size, learning_rate: attrs.learningRate, beta1: attrs.beta1, beta2: attrs.beta2, epsilon: attrs.epsilon, correction1: c1, correction2: c2 },
    workgroups: [groups(size)],
  })[0];
};

export const fusedKernels: Partial<{ [K in OpName]: GpuKernel<K> }> = {
  lstmCell: cellKernel(fusedShaders.lstm_cell, 4),
  lstmCellGrad: cellKernel(fusedShaders.lstm_cell_grad, 4),
  gruCell: cellKernel(fusedShaders.gru_cell, 3),
  gruCellGrad: cellKernel(fusedShaders.gru_cell_grad, 3),
  adamUpdate,
};

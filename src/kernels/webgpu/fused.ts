/**
 * WebGPU kernels of the fused ops (`fused/spec.ts`): the LSTM/GRU cell gates,
 * their backward ops and the Adam step, one elementwise-style dispatch each
 * (one thread per (row, unit), or per element for Adam) that writes every
 * output of the op.
 */
import type { CellAttrs } from '../fused/spec.js';
import { adamCorrections, cellActivationCodes } from '../fused/spec.js';
import type { OpName } from '../op_names.js';
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { source as adamSrc } from './adam_update.wgsl.js';
import { source as gruSrc } from './gru_cell.wgsl.js';
import { source as gruGradSrc } from './gru_cell_grad.wgsl.js';
import type { GpuKernel, GpuKernelOf, GpuMultiKernel } from './kernel.js';
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

/** Workgroups and the params every cell shader takes: one thread per (row, unit); `gates` is the gate count of input 0. */
function cellLaunch(inputs: readonly TensorInfo[], attrs: CellAttrs, gates: number): { params: Record<string, number>; workgroups: [number] } {
  const x = inputs[0].shape;
  const units = x[x.length - 1] / gates;
  const size = sizeOf(x) / gates;
  return {
    params: { size, units: Math.max(units, 1), act: cellActivationCodes[attrs.activation], rec_act: cellActivationCodes[attrs.recurrentActivation] },
    workgroups: [groups(size)],
  };
}

/** gruCell: one output h. */
const gruCell: GpuKernel<'gruCell'> = (rt, inputs, attrs, outShape, outDtype) =>
  rt.launch({ shader: fusedShaders.gru_cell, inputs: [...inputs], outputs: [{ shape: outShape, dtype: outDtype }], ...cellLaunch(inputs, attrs, 3) })[0];

/** A multi-output cell kernel: one dispatch binds every output. */
function multiCellKernel<K extends 'lstmCell' | 'lstmCellGrad' | 'gruCellGrad'>(shader: ShaderDef, gates: number): GpuMultiKernel<K> {
  return (rt, inputs, attrs, outputs) => rt.launch({ shader, inputs: [...inputs], outputs: outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })), ...cellLaunch(inputs, attrs as CellAttrs, gates) });
}

/** adamUpdate: w', m', v' as three outputs of one dispatch. */
const adamUpdate: GpuMultiKernel<'adamUpdate'> = (rt, inputs, attrs, outputs) => {
  const [c1, c2] = adamCorrections(attrs);
  const size = sizeOf(inputs[0].shape);
  return rt.launch({
    shader: fusedShaders.adam_update,
    inputs: [...inputs],
    outputs: outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })),
    params: { size, learning_rate: attrs.learningRate, beta1: attrs.beta1, beta2: attrs.beta2, epsilon: attrs.epsilon, correction1: c1, correction2: c2 },
    workgroups: [groups(size)],
  });
};

export const fusedKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  lstmCell: multiCellKernel(fusedShaders.lstm_cell, 4),
  lstmCellGrad: multiCellKernel(fusedShaders.lstm_cell_grad, 4),
  gruCell,
  gruCellGrad: multiCellKernel(fusedShaders.gru_cell_grad, 3),
  adamUpdate,
};

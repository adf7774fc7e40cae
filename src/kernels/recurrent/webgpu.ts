/**
 * WebGPU kernels of the recurrent cells (`spec.ts`): the LSTM/GRU cell gates
 * and their backward ops, one elementwise-style dispatch each (one thread
 * per (row, unit)) that writes every output of the op.
 */
import type { CellAttrs } from './spec.js';
import { cellActivationCodes } from './spec.js';
import type { OpName } from '../op_names.js';
import type { TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import { activation, derivative, params } from './cell.wgsl.js';
import { main as gruMain } from './gru_cell.wgsl.js';
import { main as gruGradMain } from './gru_cell_grad.wgsl.js';
import type { GpuKernel, GpuKernelOf, GpuMultiKernel } from '../webgpu/kernel.js';
import { groups } from '../webgpu/kernel.js';
import { main as lstmMain } from './lstm_cell.wgsl.js';
import { main as lstmGradMain } from './lstm_cell_grad.wgsl.js';
import type { ShaderDef } from '../webgpu/program.js';
import { composeShader } from '../webgpu/program.js';
import { perElement } from '../webgpu/element.wgsl.js';

/** Every recurrent-cell shader, by name (tests reflect and compile them all): the `cell.wgsl.ts` parts (params, activations, and derivatives for the backward ones), then the cell's bindings and element(idx), and the shared one-thread-per-element main. */
export const recurrentShaders: Record<string, ShaderDef> = {
  lstm_cell: composeShader('lstm_cell', [params, activation, lstmMain, perElement]),
  lstm_cell_grad: composeShader('lstm_cell_grad', [params, activation, derivative, lstmGradMain, perElement]),
  gru_cell: composeShader('gru_cell', [params, activation, gruMain, perElement]),
  gru_cell_grad: composeShader('gru_cell_grad', [params, activation, derivative, gruGradMain, perElement]),
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
  rt.launch({ shader: recurrentShaders.gru_cell, inputs: [...inputs], outputs: [{ shape: outShape, dtype: outDtype }], ...cellLaunch(inputs, attrs, 3) })[0];

/** A multi-output cell kernel: one dispatch binds every output. */
function multiCellKernel<K extends 'lstmCell' | 'lstmCellGrad' | 'gruCellGrad'>(shader: ShaderDef, gates: number): GpuMultiKernel<K> {
  return (rt, inputs, attrs, outputs) => rt.launch({ shader, inputs: [...inputs], outputs: outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })), ...cellLaunch(inputs, attrs as CellAttrs, gates) });
}

/** The WebGPU LSTM/GRU cell kernels: each writes every output of its op in one dispatch. */
export const recurrentKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  lstmCell: multiCellKernel(recurrentShaders.lstm_cell, 4),
  lstmCellGrad: multiCellKernel(recurrentShaders.lstm_cell_grad, 4),
  gruCell,
  gruCellGrad: multiCellKernel(recurrentShaders.gru_cell_grad, 3),
};

/**
 * WebGPU kernels of the recurrent cells (`spec.ts`): the LSTM/GRU cell gates
 * and their backward ops, one elementwise-style dispatch each (one thread
 * per (row, unit)).
 */
import type { CellAttrs } from './spec.js';
import { cellActivationCodes } from './spec.js';
import type { OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import { source as gruSrc } from './gru_cell.wgsl.js';
import { source as gruGradSrc } from './gru_cell_grad.wgsl.js';
import type { GpuKernel } from '../webgpu/kernel.js';
import { groups } from '../webgpu/kernel.js';
import { source as lstmSrc } from './lstm_cell.wgsl.js';
import { source as lstmGradSrc } from './lstm_cell_grad.wgsl.js';
import type { ShaderDef } from '../webgpu/program.js';

/** Every recurrent-cell shader, by name (tests reflect and compile them all). */
export const recurrentShaders: Record<string, ShaderDef> = {
  lstm_cell: { name: 'lstm_cell', source: lstmSrc },
  lstm_cell_grad: { name: 'lstm_cell_grad', source: lstmGradSrc },
  gru_cell: { name: 'gru_cell', source: gruSrc },
  gru_cell_grad: { name: 'gru_cell_grad', source: gruGradSrc },
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

/** The WebGPU LSTM/GRU cell kernels. */
export const recurrentKernels: Partial<{ [K in OpName]: GpuKernel<K> }> = {
  lstmCell: cellKernel(recurrentShaders.lstm_cell, 4),
  lstmCellGrad: cellKernel(recurrentShaders.lstm_cell_grad, 4),
  gruCell: cellKernel(recurrentShaders.gru_cell, 3),
  gruCellGrad: cellKernel(recurrentShaders.gru_cell_grad, 3),
};

/**
 * The LSTM and GRU cells' attributes, activation codes and specs (the cell
 * gate math with its fused backward ops, one kernel where the composition
 * takes many). The activation codes are also the fused epilogue's of
 * fusedMatMul and fusedConv2d.
 *
 * Several outputs: lstmCell (c, h), its backward (dz, dcPrev) and gruCell's
 * backward (dxz, dhz, dhPrev) write each result to its own buffer
 * (`multiOutputNames` in op_names.ts); nothing is packed and sliced apart.
 */
import type { OpSpec, OutputInfo, SpecInput, SpecOf } from '../spec.js';
import type { DType } from '../types.js';

/** Activations a fused cell supports (hardSigmoid is tfjs's clip(0.2x + 0.5, 0, 1)). */
export type CellActivation = 'linear' | 'relu' | 'sigmoid' | 'hardSigmoid' | 'tanh';

/** Attributes of the fused cells and their backward ops. */
export interface CellAttrs {
  /** Candidate/output activation (Keras `activation`, default tanh). */
  activation: CellActivation;
  /** Gate activation (Keras `recurrent_activation`, default sigmoid). */
  recurrentActivation: CellActivation;
}

/** The code each kernel switches on (WGSL `params.act` / `params.rec_act`). */
export const cellActivationCodes: Readonly<Record<CellActivation, number>> = { linear: 0, relu: 1, sigmoid: 2, hardSigmoid: 3, tanh: 4 };

/** True when `name` is an activation the fused cells support. */
export function isCellActivation(name: string): name is CellActivation {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(cellActivationCodes, name);
}

const f32 = (): DType => 'float32';
/** [B, k·U] from an input of shape [B, G·U] with G gates (input 0). */
const lastTimes = (gates: number, k: number) => (ins: readonly SpecInput[]): number[] => {
  const s = ins[0].shape;
  return [...s.slice(0, -1), (s[s.length - 1] / gates) * k];
};

type CellOp = 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad';

/** Specs of the cell ops: [B, k·U] outputs packed along the last axis. */
/** float32 outputs of shape [B, k·U] for each k in `ks`, from input 0 of shape [B, G·U]. */
const cellOutputs = (gates: number, ...ks: number[]) => (ins: readonly SpecInput[]): OutputInfo[] =>
  ks.map((k) => ({ shape: lastTimes(gates, k)(ins), dtype: 'float32' }));

export const recurrentSpecs: { readonly [K in CellOp]: SpecOf<K> } = {
  lstmCell: { outputs: cellOutputs(4, 1, 1) },
  lstmCellGrad: { outputs: cellOutputs(4, 4, 1) },
  gruCell: { outputShape: lastTimes(3, 1), outputDtype: f32 } satisfies OpSpec<'gruCell'>,
  gruCellGrad: { outputs: cellOutputs(3, 3, 3, 1) },
};

/**
 * The LSTM and GRU cells' attributes, activation codes and specs (the cell
 * gate math with its fused backward ops, one kernel where the composition
 * takes many). The activation codes are also the fused epilogue's of
 * fusedMatMul and fusedConv2d.
 *
 * Packed outputs: the engine's ops have one output, so the cells concatenate
 * their results along the last axis ([B, 2U] = [c | h] for lstmCell); the
 * public helpers in `tensor/ops/fused.ts` slice them apart.
 */
import type { OpSpec, SpecInput } from '../spec.js';
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
export const recurrentSpecs: { readonly [K in CellOp]: OpSpec<K> } = {
  lstmCell: { outputShape: lastTimes(4, 2), outputDtype: f32 },
  lstmCellGrad: { outputShape: lastTimes(4, 5), outputDtype: f32 },
  gruCell: { outputShape: lastTimes(3, 1), outputDtype: f32 },
  gruCellGrad: { outputShape: lastTimes(3, 7), outputDtype: f32 },
};

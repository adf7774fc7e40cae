/**
 * Specs of the fused ops (one kernel where the composition takes many): the
 * LSTM and GRU cell gate math with their fused backward ops, the Adam
 * step, and fusedMatMul (Dense's act(a·b + bias) in one kernel). Both
 * backends share the activation codes and Adam's bias corrections defined
 * here.
 *
 * Packed outputs: the engine's ops have one output, so ops with several
 * results concatenate them along the last axis ([B, 2U] = [c | h] for
 * lstmCell) or stack them on a new leading axis ([3, ...shape] for
 * adamUpdate); the public helpers in `tensor/ops/fused.ts` slice them apart.
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

/** Attributes of adamUpdate. `step` is the 1-based iteration t. */
export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
}

/** Activations fusedMatMul supports (Dense's fused epilogue). */
export type MatMulActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Attributes of fusedMatMul: the transposes of a and b, and the activation. */
export interface FusedMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: MatMulActivation;
}

/** True when `name` is an activation fusedMatMul supports. */
export function isMatMulActivation(name: string): name is MatMulActivation {
  return name === 'linear' || name === 'relu' || name === 'sigmoid' || name === 'tanh';
}

/** The code each kernel switches on (WGSL `params.act` / `params.rec_act`). */
export const cellActivationCodes: Readonly<Record<CellActivation, number>> = { linear: 0, relu: 1, sigmoid: 2, hardSigmoid: 3, tanh: 4 };

/** True when `name` is an activation the fused cells support. */
export function isCellActivation(name: string): name is CellActivation {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(cellActivationCodes, name);
}

/**
 * Adam's bias corrections [1 − β1ᵗ, 1 − β2ᵗ], with βᵗ rounded to float32 as
 * TensorFlow.js keeps it in float32 variables.
 */
export function adamCorrections(a: AdamAttrs): [number, number] {
  return [1 - Math.fround(a.beta1 ** a.step), 1 - Math.fround(a.beta2 ** a.step)];
}

const f32 = (): DType => 'float32';
/** [B, k·U] from an input of shape [B, G·U] with G gates (input 0). */
const lastTimes = (gates: number, k: number) => (ins: readonly SpecInput[]): number[] => {
  const s = ins[0].shape;
  return [...s.slice(0, -1), (s[s.length - 1] / gates) * k];
};

// fusedMatMul's spec sits next to matMul's in `kernels/spec.ts` (it shares matMulShape).
type FusedOp = 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad' | 'adamUpdate';

export const fusedSpecs: { readonly [K in FusedOp]: OpSpec<K> } = {
  lstmCell: { outputShape: lastTimes(4, 2), outputDtype: f32 },
  lstmCellGrad: { outputShape: lastTimes(4, 5), outputDtype: f32 },
  gruCell: { outputShape: lastTimes(3, 1), outputDtype: f32 },
  gruCellGrad: { outputShape: lastTimes(3, 7), outputDtype: f32 },
  adamUpdate: { outputShape: (ins) => [3, ...ins[0].shape], outputDtype: f32 },
};

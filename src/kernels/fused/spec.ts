/**
 * Specs of the fused ops (one kernel where the composition takes many): the
 * LSTM and GRU cell gate math with their fused backward ops, the Adam
 * step, and matMulBiasAct (Dense's act(a·b + bias) in one kernel). Both
 * backends share the activation codes and Adam's bias corrections defined
 * here.
 *
 * Several outputs: lstmCell (c, h), its backward (dz, dcPrev), gruCell's
 * backward (dxz, dhz, dhPrev) and adamUpdate (w', m', v') write each result
 * to its own buffer (`multiOutputNames` in op_names.ts); nothing is packed
 * and sliced apart.
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

/** Attributes of adamUpdate. `step` is the 1-based iteration t. */
export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
}

/** Activations matMulBiasAct supports (Dense's fused epilogue). */
export type MatMulActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Attributes of matMulBiasAct: the transposes of a and b, and the activation. */
export interface MatMulBiasActAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: MatMulActivation;
}

/** True when `name` is an activation matMulBiasAct supports. */
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
/** float32 outputs of shape [B, k·U] for each k in `ks`, from input 0 of shape [B, G·U]. */
const cellOutputs = (gates: number, ...ks: number[]) => (ins: readonly SpecInput[]): OutputInfo[] =>
  ks.map((k) => ({ shape: lastTimes(gates, k)(ins), dtype: 'float32' }));

// matMulBiasAct's spec sits next to matMul's in `kernels/spec.ts` (it shares matMulShape).
type FusedOp = 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad' | 'adamUpdate';

export const fusedSpecs: { readonly [K in FusedOp]: SpecOf<K> } = {
  lstmCell: { outputs: cellOutputs(4, 1, 1) },
  lstmCellGrad: { outputs: cellOutputs(4, 4, 1) },
  gruCell: { outputShape: lastTimes(3, 1), outputDtype: f32 } satisfies OpSpec<'gruCell'>,
  gruCellGrad: { outputs: cellOutputs(3, 3, 3, 1) },
  adamUpdate: { outputs: (ins) => [0, 1, 2].map(() => ({ shape: [...ins[0].shape], dtype: 'float32' })) },
};

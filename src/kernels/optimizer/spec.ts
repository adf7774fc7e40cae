/**
 * adamUpdate's attributes, bias corrections and spec. It has three outputs
 * (w', m', v', each of w's shape; `multiOutputNames` in op_names.ts), which
 * its kernels write in one pass.
 */
import type { SpecOf } from '../spec.js';

/** Attributes of adamUpdate. `step` is the 1-based iteration t. */
export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
}

/**
 * Adam's bias corrections [1 − β1ᵗ, 1 − β2ᵗ], with βᵗ rounded to float32 as
 * TensorFlow.js keeps it in float32 variables.
 */
export function adamCorrections(a: AdamAttrs): [number, number] {
  return [1 - Math.fround(a.beta1 ** a.step), 1 - Math.fround(a.beta2 ** a.step)];
}

/** Output shape and dtype of adamUpdate. */
export const optimizerSpecs: { readonly [K in 'adamUpdate']: SpecOf<K> } = {
  adamUpdate: { outputs: (ins) => [0, 1, 2].map(() => ({ shape: [...ins[0].shape], dtype: 'float32' })) },
};

/**
 * adamUpdate's attributes, bias corrections and spec. The engine's ops have
 * one output, so the new [w, m, v] are stacked on a new leading axis
 * ([3, ...shape]); `tensor/ops/fused.ts` slices them apart.
 */
import type { OpSpec } from '../spec.js';

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
export const optimizerSpecs: { readonly [K in 'adamUpdate']: OpSpec<K> } = {
  adamUpdate: { outputShape: (ins) => [3, ...ins[0].shape], outputDtype: () => 'float32' },
};

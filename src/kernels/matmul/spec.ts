/** Specs of matMul and fusedMatMul (Dense's act(a·b + bias) in one kernel), and fusedMatMul's attributes. */
import { broadcastShapes } from '../elementwise/spec.js';
import type { OpSpec } from '../spec.js';
import { fmtShape } from '../types.js';

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

/** Output shape of a (batched) matMul; batch dims broadcast. */
export function matMulShape(a: readonly number[], b: readonly number[], tA: boolean, tB: boolean): number[] {
  const m = tA ? a[a.length - 1] : a[a.length - 2];
  const ka = tA ? a[a.length - 2] : a[a.length - 1];
  const kb = tB ? b[b.length - 1] : b[b.length - 2];
  const n = tB ? b[b.length - 2] : b[b.length - 1];
  if (ka !== kb) throw new Error(`matMul: inner dimensions differ: ${fmtShape(a)} x ${fmtShape(b)} (transposeA=${tA}, transposeB=${tB})`);
  const batch = broadcastShapes('matMul', a.slice(0, -2), b.slice(0, -2));
  return [...batch, m, n];
}

/** Output shape and dtype of matMul and fusedMatMul. */
export const matMulSpecs: { readonly [K in 'matMul' | 'fusedMatMul']: OpSpec<K> } = {
  matMul: { outputShape: (ins, a) => matMulShape(ins[0].shape, ins[1].shape, a.transposeA, a.transposeB), outputDtype: (ins) => ins[0].dtype },
  fusedMatMul: { outputShape: (ins, a) => matMulShape(ins[0].shape, ins[1].shape, a.transposeA, a.transposeB), outputDtype: () => 'float32' },
};

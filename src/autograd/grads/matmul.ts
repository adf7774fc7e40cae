/**
 * Gradient rules of matMul and fusedMatMul. fusedMatMul's rule is composed of
 * primitive ops (matMul, sum, elementwise), so grads of grads work through
 * it. Each rule has its derivative in a comment above it.
 */
import type { MatMulActivation } from '../../kernels/matmul/spec.js';
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { needs, reduceTo } from '../rule.js';

/** dz = dy·act'(z) for y = act(z), written in terms of y (the fused epilogue's derivative, shared with fusedConv2d). */
export function actGrad(dy: Tensor, y: Tensor, activation: MatMulActivation): Tensor {
  switch (activation) {
    case 'relu':
      // step(y) = step(z) (y > 0 exactly where z > 0; NaN stays NaN, as relu's own rule gives): one kernel, no bool mask.
      return ops.mul(dy, ops.step(y));
    case 'sigmoid':
      return ops.mul(dy, ops.mul(y, ops.sub(1, y)));
    case 'tanh':
      return ops.mul(dy, ops.sub(1, ops.square(y)));
    default:
      return dy;
  }
}

/** matMul's and fusedMatMul's gradient rules. */
export const matMulRules: { readonly [K in ('matMul' | 'fusedMatMul') & OpName]: GradRule<K> | 'nondiff' } = {
  // C = op(A)·op(B): dA, dB from the four transpose cases; broadcast batch dims summed back
  matMul: (dy, { inputs: [a, b], attrs: { transposeA: tA, transposeB: tB } }) => {
    let da: Tensor, db: Tensor;
    if (!tA && !tB) {
      da = ops.matMul(dy, b, false, true);
      db = ops.matMul(a, dy, true, false);
    } else if (!tA && tB) {
      da = ops.matMul(dy, b, false, false);
      db = ops.matMul(dy, a, true, false);
    } else if (tA && !tB) {
      da = ops.matMul(b, dy, false, true);
      db = ops.matMul(a, dy, false, false);
    } else {
      da = ops.matMul(b, dy, true, true);
      db = ops.matMul(dy, a, true, true);
    }
    return [reduceTo(da, a.shape), reduceTo(db, b.shape)];
  },
  // y = act(z), z = op(A)·op(B) + bias: dz = dy·act'(z) from y (relu y > 0, sigmoid y(1 − y), tanh 1 − y², linear 1);
  // dA, dB as matMul's rule with dz (op(A) = Aᵀ swaps the product's order); dbias = Σ_rows dz
  fusedMatMul: (dy, ctx) => {
    const { inputs: [a, b], output: y, attrs: { transposeA: tA, transposeB: tB, activation } } = ctx;
    const dz = actGrad(dy, y, activation);
    // (an input that needs no gradient, such as the data into the first Dense layer, is skipped)
    const da = !needs(ctx, 0) ? null : tA ? ops.matMul(b, dz, tB, true) : ops.matMul(dz, b, false, !tB);
    const db = !needs(ctx, 1) ? null : tB ? ops.matMul(dz, a, true, tA) : ops.matMul(a, dz, !tA, false);
    return [da, db, needs(ctx, 2) ? ops.sum(dz, 0) : null];
  },
};

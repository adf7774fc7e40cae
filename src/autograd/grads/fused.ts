/**
 * Gradient rules of the fused ops. Each cell's backward is itself one fused
 * kernel (its derivative is in the kernel's comment, `kernels/cpu/fused.ts`);
 * the backward ops and adamUpdate are 'nondiff' (no grads of grads through a
 * fused cell). The rules of fusedMatMul and fusedConv2d are composed of
 * primitive ops (matMul or the conv gradients, sum, elementwise), so grads
 * of grads work through them.
 */
import type { OpName } from '../../kernels/op_names.js';
import type { MatMulActivation } from '../../kernels/fused/spec.js';
import * as ops from '../../tensor/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { needs } from '../rule.js';

type FusedOp = 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad' | 'adamUpdate' | 'fusedMatMul' | 'fusedConv2d';

/** dz = dy·act'(z) for y = act(z), written in terms of y. */
function actGrad(dy: Tensor, y: Tensor, activation: MatMulActivation): Tensor {
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

export const fusedRules: { readonly [K in FusedOp & OpName]: GradRule<K> | 'nondiff' } = {
  // [dz | dcPrev] = lstmCellGrad(z, cPrev, d[c | h])
  lstmCell: (dy, { inputs: [z, c], attrs }) => {
    const g = ops.lstmCellGrad(z, c, dy, attrs.activation, attrs.recurrentActivation);
    const u4 = z.shape[1];
    return [ops.slice(g, [0, 0], [-1, u4]), ops.slice(g, [0, u4], [-1, u4 / 4])];
  },
  lstmCellGrad: 'nondiff',
  // [dxz | dhz | dhPrev] = gruCellGrad(xz, hz, hPrev, dh)
  gruCell: (dy, { inputs: [xz, hz, h], attrs }) => {
    const g = ops.gruCellGrad(xz, hz, h, dy, attrs.activation, attrs.recurrentActivation);
    const u3 = xz.shape[1];
    return [ops.slice(g, [0, 0], [-1, u3]), ops.slice(g, [0, u3], [-1, u3]), ops.slice(g, [0, 2 * u3], [-1, u3 / 3])];
  },
  gruCellGrad: 'nondiff',
  adamUpdate: 'nondiff',
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
  // y = act(z), z = x ⊛ W + bias: dz = dy·act'(z) from y; dx = conv2dBackpropInput(dz, W), dW = conv2dBackpropFilter(x, dz), dbias = Σ_{n,h,w} dz
  // (inputs that need no gradient, such as the data into the first conv, are skipped)
  fusedConv2d: (dy, ctx) => {
    const { inputs: [x, w], output: y, attrs: { strides, pad, dilations, activation } } = ctx;
    const dz = actGrad(dy, y, activation);
    return [
      needs(ctx, 0) ? ops.conv2dBackpropInput(x.shape, dz, w, strides, pad, dilations) : null,
      needs(ctx, 1) ? ops.conv2dBackpropFilter(x, dz, w.shape, strides, pad, dilations) : null,
      needs(ctx, 2) ? ops.sum(dz, [0, 1, 2]) : null,
    ];
  },
};

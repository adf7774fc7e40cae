/**
 * Gradient rules of the LSTM/GRU cells. Each cell's backward is itself one
 * fused kernel (its derivative is in the kernel's comment,
 * `kernels/recurrent/cpu.ts`); the backward ops are 'nondiff' (no grads of
 * grads through a fused cell).
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { GradRule } from '../rule.js';

type Op = 'lstmCell' | 'lstmCellGrad' | 'gruCell' | 'gruCellGrad';

/** Recurrent cells' gradient rules (or 'nondiff'). */
export const recurrentRules: { readonly [K in Op & OpName]: GradRule<K> | 'nondiff' } = {
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
};

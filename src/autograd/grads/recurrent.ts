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
  // (dz, dcPrev) = lstmCellGrad(z, cPrev, dc, dh); an output nothing used (the last step's c) has gradient 0
  lstmCell: ([dc, dh], { inputs: [z, c], attrs }) => {
    const g = ops.lstmCellGrad(z, c, dc ?? ops.zerosLike(c), dh ?? ops.zerosLike(c), attrs.activation, attrs.recurrentActivation);
    return [g.dz, g.dcPrev];
  },
  lstmCellGrad: 'nondiff',
  // (dxz, dhz, dhPrev) = gruCellGrad(xz, hz, hPrev, dh)
  gruCell: (dy, { inputs: [xz, hz, h], attrs }) => {
    const g = ops.gruCellGrad(xz, hz, h, dy, attrs.activation, attrs.recurrentActivation);
    return [g.dxz, g.dhz, g.dhPrev];
  },
  gruCellGrad: 'nondiff',
};

/** The Adam step on the CPU (see `spec.ts`): one pass writing w', m', v' (three outputs). */
import type { CpuMultiKernel } from '../cpu/cpu_tensor.js';
import { adamCorrections } from './spec.js';

// m' = β1·m + (1−β1)·g; v' = β2·v + (1−β2)·g²; w' = w − lr·(m'/c1)/(√(v'/c2) + ε)
/** adamUpdate: one pass over the weights. */
export const adamUpdateKernel: CpuMultiKernel<'adamUpdate'> = ([wt, gt, mt, vt], [wOut, mOut, vOut], attrs) => {
  const [c1, c2] = adamCorrections(attrs);
  const { beta1: b1, beta2: b2, epsilon: eps } = attrs;
  const nlr = -attrs.learningRate;
  const w = wt.values;
  const g = gt.values;
  const m = mt.values;
  const v = vt.values;
  const w2 = wOut.values;
  const mo = mOut.values;
  const vo = vOut.values;
  const n = w.length;
  for (let k = 0; k < n; k++) {
    const gk = g[k];
    const m2 = b1 * m[k] + (1 - b1) * gk;
    const v2 = b2 * v[k] + (1 - b2) * gk * gk;
    w2[k] = w[k] + (m2 / c1 / (Math.sqrt(v2 / c2) + eps)) * nlr;
    mo[k] = m2;
    vo[k] = v2;
  }
};

/** Specs of max/avg pooling and their gradients (window geometry in `conv/spec.ts`). */
import { poolInfo } from '../conv/spec.js';
import type { OpSpec } from '../spec.js';

/** Output shape and dtype of maxPool, avgPool and their gradients. */
export const poolSpecs: { readonly [K in 'maxPool' | 'avgPool' | 'maxPoolGrad' | 'avgPoolGrad']: OpSpec<K> } = {
  maxPool: {
    outputShape: (ins, a) => {
      const w = poolInfo('maxPool', ins[0].shape, a.filterSize, a.strides, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  avgPool: {
    outputShape: (ins, a) => {
      const w = poolInfo('avgPool', ins[0].shape, a.filterSize, a.strides, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  maxPoolGrad: { outputShape: (ins) => [...ins[1].shape], outputDtype: () => 'float32' },
  avgPoolGrad: { outputShape: (_, a) => [...a.xShape], outputDtype: () => 'float32' },
};

/**
 * Gradient rules of max/avg pooling and their gradient ops; each rule has its derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { GradRule } from '../rule.js';

type Op = 'maxPool' | 'avgPool' | 'maxPoolGrad' | 'avgPoolGrad';

/** Pool ops' gradient rules (or 'nondiff'). */
export const poolRules: { readonly [K in Op & OpName]: GradRule<K> | 'nondiff' } = {
  // d maxPool: dy routed to each window's (first) maximum
  maxPool: (dy, { inputs: [x], attrs: { filterSize, strides, pad } }) => [ops.maxPoolGrad(dy, x, filterSize, strides, pad)],
  // d avgPool: dy spread evenly over each window's in-bounds taps
  avgPool: (dy, { inputs: [x], attrs: { filterSize, strides, pad } }) => [ops.avgPoolGrad(dy, x.shape, filterSize, strides, pad)],
  maxPoolGrad: 'nondiff',
  // avgPoolGrad is linear in dy and its adjoint is avgPool
  avgPoolGrad: (ddx, { attrs: { filterSize, strides, pad } }) => [ops.avgPool(ddx, filterSize, strides, pad)],
};

/**
 * Gradient rules of the reductions (sum, prod, max, min, softmax, logSoftmax; any/all/argMax/argMin are 'nondiff'); each rule has its derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { mask } from '../rule.js';

/** dy (of the reduced shape) reshaped with the reduced axes kept and broadcast back to `shape`. */
function unreduce(dy: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return ops.broadcastTo(ops.reshape(dy, kept), shape);
}

function minMaxRule(dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  // d max = dy where x equals the max (every tied position gets it, as in TensorFlow.js)
  return ops.mul(unreduce(dy, x.shape, axes), mask(ops.equal(x, ops.reshape(y, kept))));
}

type Op = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'argMax' | 'argMin' | 'softmax' | 'logSoftmax';

/** Reduce ops' gradient rules (or 'nondiff'). */
export const reduceRules: { readonly [K in Op & OpName]: GradRule<K> | 'nondiff' } = {
  // d Σx = 1, broadcast back
  sum: (dy, { inputs: [x], attrs: { axes } }) => [unreduce(dy, x.shape, axes)],
  // d Πx / dxᵢ = Π_{j≠i} xⱼ = P / x'ᵢ where x' is x with zeros replaced by 1 and P = Πx', when no other xⱼ is 0; else 0 (exact at zeros)
  prod: (dy, { inputs: [x], attrs: { axes } }) => {
    const isZero = ops.equal(x, 0);
    const safe = ops.where(isZero, 1, x);
    const zerosHere = mask(isZero);
    // zeros among the others = (zeros in the slice) − (1 if xᵢ is 0)
    const othersZero = ops.sub(ops.sum(zerosHere, axes, true), zerosHere);
    const others = ops.div(ops.prod(safe, axes, true), safe);
    return [ops.mul(unreduce(dy, x.shape, axes), ops.where(ops.equal(othersZero, 0), others, 0))];
  },
  max: (dy, { inputs: [x], output: y, attrs: { axes } }) => [minMaxRule(dy, x, y, axes)],
  min: (dy, { inputs: [x], output: y, attrs: { axes } }) => [minMaxRule(dy, x, y, axes)],
  any: 'nondiff',
  all: 'nondiff',
  argMax: 'nondiff',
  argMin: 'nondiff',
  // d softmax: dx = y ⊙ (dy − Σ(dy ⊙ y))
  softmax: (dy, { output: y }) => [ops.mul(y, ops.sub(dy, ops.sum(ops.mul(dy, y), -1, true)))],
  // d logSoftmax: dx = dy − softmax(x) Σ dy = dy − e^y Σ dy
  logSoftmax: (dy, { output: y }) => [ops.sub(dy, ops.mul(ops.exp(y), ops.sum(dy, -1, true)))],
};

/**
 * The gradient table: exhaustive over `OpName`, so a new op does not compile
 * until it has a rule (or is declared 'nondiff'). Each rule has its
 * derivative in a comment above it.
 */
import type { OpName } from '../../kernels/op_names.js';
import * as ops from '../../tensor/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { GradRule } from '../rule.js';
import { mask, needs, reduceTo } from '../rule.js';
import { binaryRules, unaryRules } from './elementwise.js';
import { fusedRules } from './fused.js';

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

export const gradRules: { readonly [K in OpName]: GradRule<K> | 'nondiff' } = {
  ...unaryRules,
  ...binaryRules,
  // d cast = identity for float → float; no gradient into int/bool inputs
  cast: (dy, { inputs }) => [inputs[0].dtype === 'float32' ? ops.clone(dy) : null],
  // d where = (none, dy where c, dy where not c)
  where: (dy, { inputs: [c, a, b] }) => {
    const z = ops.zerosLike(dy);
    return [null, reduceTo(ops.where(c, dy, z), a.shape), reduceTo(ops.where(c, z, dy), b.shape)];
  },
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
  // d transpose(x, p) = transpose(dy, p⁻¹)
  transpose: (dy, { attrs: { perm } }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [ops.transpose(dy, inv)];
  },
  // d reshape = reshape back
  reshape: (dy, { inputs: [x] }) => [ops.reshape(dy, x.shape)],
  // d concat = the matching slices of dy
  concat: (dy, { inputs, attrs: { axis } }) => ops.split(dy, inputs.map((t) => t.shape[axis]), axis),
  // d slice = dy padded back into x's shape with zeros
  slice: (dy, { inputs: [x], attrs: { begin, size } }) => [ops.pad(dy, x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]))],
  // d pad = the unpadded box of dy
  pad: (dy, { inputs: [x], attrs: { paddings } }) => [ops.slice(dy, paddings.map((p) => p[0]), x.shape)],
  // d tile = dy summed over the repeats: view [r0, d0, r1, d1, …] and sum the r axes
  tile: (dy, { inputs: [x], attrs: { reps } }) => {
    const split = x.shape.flatMap((d, i) => [reps[i], d]);
    return [ops.sum(ops.reshape(dy, split), reps.map((_, i) => 2 * i))];
  },
  // d gather = scatter-add of dy into x's shape; indices have none
  gather: (dy, { inputs: [x, idx], attrs: { axis } }) => [ops.scatterAdd(dy, idx, axis, x.shape[axis]), null],
  // d scatterAdd = gather of the incoming gradient
  scatterAdd: (dy, { inputs: [, idx], attrs: { axis } }) => [ops.gather(dy, idx, axis), null],
  oneHot: 'nondiff',
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
  // y = x ⊛ W: dx = conv2dBackpropInput(dy, W), dW = conv2dBackpropFilter(x, dy)
  // (an input that needs no gradient, such as the data into the first conv, is skipped)
  conv2d: (dy, ctx) => {
    const { inputs: [x, w], attrs: { strides, pad, dilations } } = ctx;
    return [
      needs(ctx, 0) ? ops.conv2dBackpropInput(x.shape, dy, w, strides, pad, dilations) : null,
      needs(ctx, 1) ? ops.conv2dBackpropFilter(x, dy, w.shape, strides, pad, dilations) : null,
    ];
  },
  // z = conv2dBackpropInput(g, W) is linear in g and W: dg = ddz ⊛ W, dW = conv2dBackpropFilter(ddz, g)
  conv2dBackpropInput: (ddx, { inputs: [g, w], attrs: { strides, pad, dilations } }) => [
    ops.conv2d(ddx, w, strides, pad, 'NHWC', dilations),
    ops.conv2dBackpropFilter(ddx, g, w.shape, strides, pad, dilations),
  ],
  // z = conv2dBackpropFilter(x, g) is linear in x and g: dx = conv2dBackpropInput(g, ddz), dg = x ⊛ ddz
  conv2dBackpropFilter: (ddw, { inputs: [x, g], attrs: { strides, pad, dilations } }) => [
    ops.conv2dBackpropInput(x.shape, g, ddw, strides, pad, dilations),
    ops.conv2d(x, ddw, strides, pad, 'NHWC', dilations),
  ],
  // d maxPool: dy routed to each window's (first) maximum
  maxPool: (dy, { inputs: [x], attrs: { filterSize, strides, pad } }) => [ops.maxPoolGrad(dy, x, filterSize, strides, pad)],
  // d avgPool: dy spread evenly over each window's in-bounds taps
  avgPool: (dy, { inputs: [x], attrs: { filterSize, strides, pad } }) => [ops.avgPoolGrad(dy, x.shape, filterSize, strides, pad)],
  maxPoolGrad: 'nondiff',
  // avgPoolGrad is linear in dy and its adjoint is avgPool
  avgPoolGrad: (ddx, { attrs: { filterSize, strides, pad } }) => [ops.avgPool(ddx, filterSize, strides, pad)],
  ...fusedRules,
};

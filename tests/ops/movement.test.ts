/**
 * Shape and movement ops against TensorFlow.js: transpose, reshape, concat,
 * stack, split, unstack, slice, pad, tile, broadcastTo, gather, oneHot,
 * expandDims, squeeze, clone, cast — forward, gradients, finite differences,
 * and error messages that leave no tensor behind.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { InputSpec } from '../helpers/check_op.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const one = (shape: number[], extra: Partial<InputSpec> = {}) => ({ inputs: [{ shape, ...extra }] });

// transpose: default perm, 2-D, 3-D, 4-D perms, identity.
const PERMS: [number[], number[] | undefined][] = [
  [[1], undefined],
  [[3, 33], undefined],
  [[33, 7], [1, 0]],
  [[2, 3, 7], [2, 0, 1]],
  [[2, 3, 7], [1, 0, 2]],
  [[2, 3, 5, 7], [3, 1, 0, 2]],
  [[1, 3, 1, 5], [0, 2, 3, 1]],
  [[2, 3, 5], [0, 1, 2]],
  [[67, 37], undefined],
  [[2, 1, 3, 2, 3], [4, 2, 0, 3, 1]],
];
PERMS.forEach(([shape, perm], i) =>
  checkOp({ op: `transpose ${i} perm ${JSON.stringify(perm)}`, sg: (x) => sg.transpose(x, perm), tf: (tf, x) => tf.transpose(x, perm), cases: [one(shape)] }),
);
checkOp({ op: 'transpose int32', sg: (x) => sg.transpose(x, [1, 2, 0]), tf: (tf, x) => tf.transpose(x, [1, 2, 0]), cases: [one([3, 5, 7], { dtype: 'int32' })] });
checkOp({ op: 'transpose bool', sg: (x) => sg.transpose(x), tf: (tf, x) => tf.transpose(x), cases: [one([3, 7], { dtype: 'bool' })] });

// reshape, including -1.
const RESHAPES: [number[], number[]][] = [
  [[1], []],
  [[7], [7, 1]],
  [[3, 33], [33, -1]],
  [[2, 3, 7], [-1, 7]],
  [[127], [1, 127, 1]],
  [[2, 3, 5, 7], [5, -1, 3]],
];
RESHAPES.forEach(([shape, to], i) =>
  checkOp({ op: `reshape ${i} to ${JSON.stringify(to)}`, sg: (x) => sg.reshape(x, to), tf: (tf, x) => tf.reshape(x, to), cases: [one(shape)] }),
);

// concat: axis 0, 1, last, negative; 2 and 3 inputs.
const CONCATS: [number[][], number][] = [
  [[[1], [1]], 0],
  [[[3, 7], [5, 7]], 0],
  [[[3, 7], [3, 1], [3, 33]], 1],
  [[[2, 3, 7], [2, 3, 1], [2, 3, 5]], -1],
  [[[2, 1, 7], [2, 5, 7]], -2],
  [[[127], [3], [1]], -1],
  [[[2, 3, 5, 7], [2, 1, 5, 7]], 1],
  [[[3, 0], [3, 2]], 1],
];
CONCATS.forEach(([shapes, axis], i) =>
  checkOp({
    op: `concat ${i} axis ${axis}`,
    sg: (...xs) => sg.concat(xs, axis),
    tf: (tf, ...xs) => tf.concat(xs, axis),
    cases: [{ inputs: shapes.map((shape) => ({ shape })) }],
  }),
);
checkOp({ op: 'concat int32', sg: (a, b) => sg.concat([a, b], 1), tf: (tf, a, b) => tf.concat([a, b], 1), cases: [{ inputs: [{ shape: [3, 2], dtype: 'int32' }, { shape: [3, 5], dtype: 'int32' }] }] });
checkOp({ op: 'concat bool', sg: (a, b) => sg.concat([a, b]), tf: (tf, a, b) => tf.concat([a, b]), cases: [{ inputs: [{ shape: [3], dtype: 'bool' }, { shape: [7], dtype: 'bool' }] }] });

// stack: new axis first, middle, last, negative.
const STACKS: [number[], number, number][] = [
  [[1], 0, 2],
  [[7], 1, 3],
  [[3, 33], 1, 2],
  [[2, 3, 7], -1, 3],
  [[5, 3], 0, 3],
];
STACKS.forEach(([shape, axis, n], i) =>
  checkOp({
    op: `stack ${i} axis ${axis}`,
    sg: (...xs) => sg.stack(xs, axis),
    tf: (tf, ...xs) => tf.stack(xs, axis),
    cases: [{ inputs: Array.from({ length: n }, () => ({ shape })) }],
  }),
);

// split / unstack: each piece checked through a weighted recombination so all outputs carry gradient.
const SPLITS: [number[], number | number[], number][] = [
  [[6], 3, 0],
  [[3, 33], [10, 1, 22], 1],
  [[2, 21, 7], 7, 1],
  [[2, 3, 7], [2, 5], -1],
  [[127, 1], [1, 126], 0],
];
SPLITS.forEach(([shape, n, axis], i) => {
  for (let k = 0; k < (typeof n === 'number' ? n : n.length); k += Math.max(1, (typeof n === 'number' ? n : n.length) - 1)) {
    checkOp({
      op: `split ${i} piece ${k}`,
      sg: (x) => {
        const parts = sg.split(x, n, axis);
        const r = parts[k];
        sg.dispose(parts.filter((p) => p !== r));
        return r;
      },
      tf: (tf, x) => tf.split(x, n, axis)[k],
      cases: [one(shape)],
    });
  }
});
const UNSTACKS: [number[], number][] = [
  [[1, 3], 0],
  [[3, 33], 1],
  [[2, 3, 7], -1],
  [[5, 7], 0],
  [[2, 3, 5], 1],
];
UNSTACKS.forEach(([shape, axis], i) =>
  checkOp({
    op: `unstack ${i} axis ${axis}`,
    sg: (x) => {
      const parts = sg.unstack(x, axis);
      const r = parts[parts.length - 1];
      sg.dispose(parts.slice(0, -1));
      return r;
    },
    tf: (tf, x) => {
      // tfjs's Unpack gradient throws when there is a single piece; squeeze is the same function there.
      if (x.shape[(axis + x.rank) % x.rank] === 1) return tf.squeeze(x, [axis]);
      const parts = tf.unstack(x, axis);
      return parts[parts.length - 1];
    },
    cases: [one(shape)],
  }),
);
test('split/unstack pieces concatenate back to the input', async () => {
  const x = sg.randomNormal([3, 7, 5], 0, 1, 'float32', 3);
  const parts = sg.split(x, [2, 4, 1], 1);
  const back = sg.concat(parts, 1);
  const un = sg.unstack(x, 2);
  const back2 = sg.stack(un, 2);
  expect(Array.from(await back.data())).toEqual(Array.from(await x.data()));
  expect(Array.from(await back2.data())).toEqual(Array.from(await x.data()));
  sg.dispose([x, parts, back, un, back2]);
});

// slice: number and array begin, size -1, omitted size.
const SLICES: [number[], number | number[], number | number[] | undefined][] = [
  [[1], 0, 1],
  [[7], 2, 3],
  [[7], 3, undefined],
  [[3, 33], [1, 5], [2, -1]],
  [[3, 33], 1, -1],
  [[2, 3, 7], [0, 1, 2], [-1, 2, 4]],
  [[2, 3, 5, 7], [1, 0, 2, 1], [1, 3, 3, 5]],
  [[127], [100], [27]],
];
SLICES.forEach(([shape, begin, size], i) =>
  checkOp({
    op: `slice ${i} begin ${JSON.stringify(begin)} size ${JSON.stringify(size)}`,
    sg: (x) => sg.slice(x, begin, size),
    tf: (tf, x) => tf.slice(x, begin, size),
    cases: [one(shape)],
  }),
);
checkOp({ op: 'slice int32', sg: (x) => sg.slice(x, [1, 2], [2, 3]), tf: (tf, x) => tf.slice(x, [1, 2], [2, 3]), cases: [one([3, 7], { dtype: 'int32' })] });

// pad: zero and non-zero constants.
const PADS: [number[], [number, number][], number][] = [
  [[1], [[2, 1]], 0],
  [[7], [[0, 3]], 1.5],
  [[3, 33], [[1, 2], [0, 5]], -2],
  [[2, 3, 7], [[0, 0], [3, 1], [1, 1]], 7],
  [[2, 3, 5, 7], [[1, 0], [0, 1], [2, 2], [0, 0]], 0],
  [[127], [[1, 1]], -0.25],
];
PADS.forEach(([shape, p, c], i) =>
  checkOp({ op: `pad ${i} constant ${c}`, sg: (x) => sg.pad(x, p, c), tf: (tf, x) => tf.pad(x, p, c), cases: [one(shape)] }),
);
checkOp({ op: 'pad int32', sg: (x) => sg.pad(x, [[1, 2], [0, 1]], 3), tf: (tf, x) => tf.pad(x, [[1, 2], [0, 1]], 3), cases: [one([3, 5], { dtype: 'int32' })] });

// tile.
const TILES: [number[], number[]][] = [
  [[1], [3]],
  [[7], [2]],
  [[3, 33], [2, 1]],
  [[2, 3, 7], [1, 3, 2]],
  [[3, 1, 5], [2, 7, 1]],
  [[127], [1]],
];
TILES.forEach(([shape, reps], i) =>
  checkOp({ op: `tile ${i} reps ${JSON.stringify(reps)}`, sg: (x) => sg.tile(x, reps), tf: (tf, x) => tf.tile(x, reps), cases: [one(shape)] }),
);
checkOp({ op: 'tile int32', sg: (x) => sg.tile(x, [2, 3]), tf: (tf, x) => tf.tile(x, [2, 3]), cases: [one([3, 5], { dtype: 'int32' })] });

// broadcastTo.
const BCASTS: [number[], number[]][] = [
  [[1], [7]],
  [[7], [3, 7]],
  [[3, 1], [3, 33]],
  [[1, 3, 1], [2, 3, 7]],
  [[5], [2, 3, 5]],
  [[127], [127]],
];
BCASTS.forEach(([shape, to], i) =>
  checkOp({ op: `broadcastTo ${i} ${JSON.stringify(to)}`, sg: (x) => sg.broadcastTo(x, to), tf: (tf, x) => tf.broadcastTo(x, to), cases: [one(shape)] }),
);

// gather: axis 0 and 1, 1-D and 2-D indices, repeated indices (gradient accumulates).
const GATHERS: [number[], number[], number[], number][] = [
  [[1], [1], [0], 0],
  [[7], [5], [6, 0, 6, 3, 6], 0],
  [[7, 3], [4], [2, 2, 0, 6], 0],
  [[3, 33], [2, 3], [32, 0, 5, 5, 32, 1], 1],
  [[2, 5, 7], [3], [4, 4, 4], 1],
  [[2, 5, 7], [2, 2], [6, 0, 0, 6], -1],
  [[127], [2, 3], [126, 0, 1, 126, 126, 0], 0],
  [[3, 5], [], [2], 1],
  [[3, 5], [0], [], 0],
];
GATHERS.forEach(([shape, ishape, idx, axis], i) =>
  checkOp({
    op: `gather ${i} axis ${axis} indices ${JSON.stringify(ishape)}`,
    sg: (x, ix) => sg.gather(x, ix, axis),
    tf: (tf, x, ix) => tf.gather(x, ix, axis),
    cases: [{ inputs: [{ shape }, { shape: ishape, dtype: 'int32', gen: idx }] }],
  }),
);
checkOp({
  op: 'gather int32 values',
  sg: (x, ix) => sg.gather(x, ix, 1),
  tf: (tf, x, ix) => tf.gather(x, ix, 1),
  cases: [{ inputs: [{ shape: [3, 5], dtype: 'int32' }, { shape: [4], dtype: 'int32', gen: [4, 0, 4, 2] }] }],
});

// oneHot: out-of-range indices give a row of off values, as in tfjs.
const ONEHOTS: [number[], number[], number, number, number][] = [
  [[1], [1], 2, 1, 0],
  [[7], [0, 1, 2, 3, 4, -1, 5], 5, 1, 0],
  [[3, 5], [2, 0, 9, 1, 3], 4, 3, -1],
  [[2, 3, 7], [0, 6, 1, 7, 2, -3, 3], 7, 1, 0],
];
ONEHOTS.forEach(([shape, idx, depth, on, off], i) =>
  checkOp({
    op: `oneHot ${i} depth ${depth} on ${on} off ${off}`,
    sg: (x) => sg.oneHot(x, depth, on, off),
    tf: (tf, x) => tf.oneHot(x, depth, on, off),
    cases: [one(shape, { dtype: 'int32', gen: idx })],
  }),
);

// depth 1 (tfjs refuses depth < 2; TensorFlow allows it): equals column 0 of depth 2.
checkOp({
  op: 'oneHot depth 1',
  sg: (x) => sg.oneHot(x, 1, 5, -1),
  tf: (tf, x) => tf.slice(tf.oneHot(x, 2, 5, -1), [0, 0], [-1, 1]),
  cases: [one([7], { dtype: 'int32', gen: [0, 1, -1, 0, 3, 0, 0] })],
});

// expandDims / squeeze.
const EXPANDS: [number[], number][] = [
  [[1], 0],
  [[7], 1],
  [[3, 33], -1],
  [[2, 3, 7], 2],
  [[127], -2],
];
EXPANDS.forEach(([shape, axis], i) =>
  checkOp({ op: `expandDims ${i} axis ${axis}`, sg: (x) => sg.expandDims(x, axis), tf: (tf, x) => tf.expandDims(x, axis), cases: [one(shape)] }),
);
const SQUEEZES: [number[], number[] | undefined][] = [
  [[1], undefined],
  [[7, 1], undefined],
  [[1, 3, 1, 33], [0]],
  [[2, 1, 7, 1], [-1, 1]],
  [[1, 127], [0]],
];
SQUEEZES.forEach(([shape, axis], i) =>
  checkOp({ op: `squeeze ${i} axis ${JSON.stringify(axis)}`, sg: (x) => sg.squeeze(x, axis), tf: (tf, x) => tf.squeeze(x, axis), cases: [one(shape)] }),
);

// clone / cast.
const SHAPES = [[1], [7], [3, 33], [2, 3, 7], [127]];
checkOp({ op: 'clone', sg: (x) => sg.clone(x), tf: (tf, x) => tf.clone(x), cases: SHAPES.map((s) => one(s)) });
checkOp({ op: 'clone int32', sg: (x) => sg.clone(x), tf: (tf, x) => tf.clone(x), cases: SHAPES.map((s) => one(s, { dtype: 'int32' })) });
checkOp({ op: 'cast float→float', sg: (x) => sg.cast(x, 'float32'), tf: (tf, x) => tf.cast(x, 'float32'), cases: SHAPES.map((s) => one(s)) });
checkOp({ op: 'cast int32→float', sg: (x) => sg.cast(x, 'float32'), tf: (tf, x) => tf.cast(x, 'float32'), cases: SHAPES.map((s) => one(s, { dtype: 'int32' })) });
checkOp({ op: 'cast bool→int32', sg: (x) => sg.cast(x, 'int32'), tf: (tf, x) => tf.cast(x, 'int32'), cases: SHAPES.map((s) => one(s, { dtype: 'bool' })) });
checkOp({ op: 'cast bool→float', sg: (x) => sg.cast(x, 'float32'), tf: (tf, x) => tf.cast(x, 'float32'), cases: SHAPES.map((s) => one(s, { dtype: 'bool' })) });

// Second-order: movement-op gradients are themselves differentiable.
describe('higher order', () => {
  test('grad of grad through gather/slice/tile matches the analytic value', async () => {
    // f(x) = Σ gather(x, [0, 0, 1])² → df/dx0 = 4x0, df/dx1 = 2x1; d²f/dx² diagonal = [4, 2, 0].
    const x = sg.tensor([1.5, -2, 3]);
    const idx = sg.tensor([0, 0, 1], [3], 'int32');
    const g2 = sg.grad((a: sg.Tensor) => sg.sum(sg.grad((b: sg.Tensor) => sg.sum(sg.square(sg.gather(b, idx))))(a)))(x);
    expect(Array.from(await g2.data())).toEqual([4, 2, 0]);
    sg.dispose([x, idx, g2]);
  });
});

// Errors: messages name op and shapes; no tensor leaked.
function expectThrowsClean(fn: () => unknown, re: RegExp): void {
  const before = sg.memory().numTensors;
  expect(fn).toThrow(re);
  expect(sg.memory().numTensors, `leak after ${re}`).toBe(before);
}

describe('movement errors', () => {
  test('reshape size mismatch', () => {
    const x = sg.ones([2, 3]);
    expectThrowsClean(() => sg.reshape(x, [4, 2]), /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,2\] \(8 elements\)/);
    expectThrowsClean(() => sg.reshape(x, [4, -1]), /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,-1\]/);
    expectThrowsClean(() => sg.reshape(x, [-1, -1]), /reshape: invalid shape \[-1,-1\]/);
    expectThrowsClean(() => sg.reshape([1, 2, 3], [2]), /reshape: cannot reshape \[3\]/);
    x.dispose();
  });
  test('transpose bad perm', () => {
    const x = sg.ones([2, 3, 5]);
    expectThrowsClean(() => sg.transpose(x, [0, 1]), /transpose: perm \[0,1\] is not a permutation of the 3 dims of \[2,3,5\]/);
    expectThrowsClean(() => sg.transpose(x, [0, 1, 1]), /transpose: perm \[0,1,1\] is not a permutation/);
    expectThrowsClean(() => sg.transpose(x, [0, 1, 3]), /transpose: axis 3 is out of range for rank 3/);
    x.dispose();
  });
  test('concat shape/dtype mismatch', () => {
    const a = sg.ones([2, 3]);
    const b = sg.ones([3, 3]);
    const c = sg.ones([2, 3], 'int32');
    expectThrowsClean(() => sg.concat([a, b], 1), /concat: shapes \[2,3\], \[3,3\] differ outside axis 1/);
    expectThrowsClean(() => sg.concat([a, c], 0), /concat: dtypes differ: float32, int32/);
    expectThrowsClean(() => sg.concat([a, b], 2), /concat: axis 2 is out of range for rank 2/);
    expectThrowsClean(() => sg.concat([], 0), /concat: expected a non-empty list/);
    expectThrowsClean(() => sg.concat([a, [[1, 2]]], 0), /concat: shapes \[2,3\], \[1,2\] differ outside axis 0/);
    expectThrowsClean(() => sg.stack([a, b]), /stack: shapes differ: \[2,3\], \[3,3\]/);
    sg.dispose([a, b, c]);
  });
  test('split / unstack errors', () => {
    const x = sg.ones([2, 7]);
    expectThrowsClean(() => sg.split(x, [3, -1, -1], 1), /split: sizes \[3,-1,-1\] do not add up to dim 7 of \[2,7\]/);
    expectThrowsClean(() => sg.split(x, 2, 1), /split: dim 7 of \[2,7\] does not split into 2 equal parts/);
    expectThrowsClean(() => sg.split(x, [3, 3], 1), /split: sizes \[3,3\] do not add up to dim 7 of \[2,7\]/);
    expectThrowsClean(() => sg.split([[1, 2, 3]], 2, 1), /split: dim 3 of \[1,3\]/);
    expectThrowsClean(() => sg.unstack(x, 2), /unstack: axis 2 is out of range for rank 2/);
    x.dispose();
  });
  test('slice out of bounds', () => {
    const x = sg.ones([3, 4]);
    expectThrowsClean(() => sg.slice(x, [1, 2], [3, 1]), /slice: begin \[1,2\] size \[3,1\] is out of bounds for \[3,4\]/);
    expectThrowsClean(() => sg.slice(x, [0, -1], [1, 1]), /slice: begin \[0,-1\] size \[1,1\] is out of bounds for \[3,4\]/);
    expectThrowsClean(() => sg.slice(x, [0, 5]), /slice: begin \[0,5\] .* out of bounds for \[3,4\]/);
    expectThrowsClean(() => sg.slice(x, [0, 0, 0], [1, 1, 1]), /slice: begin\/size have 3\/3 entries for rank 2 \(shape \[3,4\]\)/);
    x.dispose();
  });
  test('pad / tile / broadcastTo errors', () => {
    const x = sg.ones([3, 4]);
    expectThrowsClean(() => sg.pad(x, [[1, 1]]), /pad: paddings \[\[1,1\]\] must give \[before, after\] >= 0 for each of the 2 dims of \[3,4\]/);
    expectThrowsClean(() => sg.pad(x, [[1, 1], [-1, 0]]), /pad: paddings .* of \[3,4\]/);
    expectThrowsClean(() => sg.tile(x, [2]), /tile: reps \[2\] must give a non-negative integer for each of the 2 dims of \[3,4\]/);
    expectThrowsClean(() => sg.broadcastTo(x, [3, 5]), /broadcastTo.*\[3,4\].*\[3,5\]/);
    expectThrowsClean(() => sg.broadcastTo(x, [4]), /broadcastTo.*\[3,4\].*\[4\]/);
    x.dispose();
  });
  test('gather with float or out-of-range indices', () => {
    const x = sg.ones([3, 4]);
    const fi = sg.tensor([0, 1]);
    const bad = sg.tensor([0, 3], [2], 'int32');
    const neg = sg.tensor([[-1, 0]], [1, 2], 'int32');
    expectThrowsClean(() => sg.gather(x, fi), /gather: argument 'indices' must be int32, got float32/);
    expectThrowsClean(() => sg.gather(x, bad, 0), /gather: index 3 at position 1 is out of range \[0, 3\) for axis 0 of \[3,4\]/);
    expectThrowsClean(() => sg.gather(x, neg, 1), /gather: index -1 at position 0 is out of range \[0, 4\) for axis 1 of \[3,4\]/);
    expectThrowsClean(() => sg.gather(x, [0, 7], 1), /gather: index 7 at position 1 is out of range \[0, 4\)/);
    expectThrowsClean(() => sg.gather(x, bad, 2), /gather: axis 2 is out of range for rank 2/);
    sg.dispose([x, fi, bad, neg]);
  });
  test('oneHot with bad depth or indices', () => {
    const idx = sg.tensor([0, 1], [2], 'int32');
    const fi = sg.tensor([0, 1]);
    expectThrowsClean(() => sg.oneHot(idx, 0), /oneHot: depth must be a positive integer, got 0 \(indices \[2\]\)/);
    expectThrowsClean(() => sg.oneHot(idx, 2.5), /oneHot: depth must be a positive integer, got 2.5/);
    expectThrowsClean(() => sg.oneHot(fi, 3), /oneHot: argument 'indices' must be int32, got float32/);
    sg.dispose([idx, fi]);
  });
  test('squeeze / expandDims errors', () => {
    const x = sg.ones([1, 3]);
    expectThrowsClean(() => sg.squeeze(x, [1]), /squeeze: dim 1 of \[1,3\] is not 1/);
    expectThrowsClean(() => sg.expandDims(x, 3), /expandDims: axis 3 is out of range for rank 3/);
    x.dispose();
  });
  test('disposed tensor as input', () => {
    const x = sg.ones([2, 3]);
    const idx = sg.tensor([0], [1], 'int32');
    x.dispose();
    const re = /argument 'x' \(shape \[2,3\]\) has been disposed/;
    expectThrowsClean(() => sg.reshape(x, [6]), /reshape: .*disposed/);
    expectThrowsClean(() => sg.transpose(x), re);
    expectThrowsClean(() => sg.slice(x, 0, 1), re);
    expectThrowsClean(() => sg.pad(x, [[0, 1], [0, 0]]), re);
    expectThrowsClean(() => sg.tile(x, [1, 2]), re);
    expectThrowsClean(() => sg.gather(x, idx), re);
    expectThrowsClean(() => sg.split(x, 2), re);
    expectThrowsClean(() => sg.unstack(x), re);
    expectThrowsClean(() => sg.clone(x), re);
    expectThrowsClean(() => sg.cast(x, 'int32'), re);
    expectThrowsClean(() => sg.concat([idx, x]), /concat: argument 'xs\[1\]' \(shape \[2,3\]\) has been disposed/);
    idx.dispose();
  });
});

/**
 * maxPool and avgPool against TensorFlow.js: 'same', 'valid' and explicit
 * padding, strides 1/2/3, filters 1..3 (square and not), batch and channels
 * 1, 3, 7; gradients (distinct inputs for maxPool so windows have no ties);
 * argument errors.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { PadMode } from '../../src/kernels/op_names.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

interface PoolCase {
  x: number[];
  size: [number, number];
  strides: [number, number];
  pad: PadMode;
}

const POOL: PoolCase[] = [
  { x: [1, 1, 1, 1], size: [1, 1], strides: [1, 1], pad: 'valid' },
  { x: [1, 4, 4, 1], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 5, 3], size: [3, 3], strides: [1, 1], pad: 'same' },
  { x: [1, 7, 7, 3], size: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 8, 1], size: [2, 3], strides: [3, 3], pad: 'same' },
  { x: [2, 6, 11, 7], size: [3, 2], strides: [2, 3], pad: 'valid' },
  { x: [1, 5, 13, 3], size: [1, 3], strides: [1, 2], pad: 'valid' },
  { x: [2, 8, 7, 3], size: [3, 1], strides: [3, 1], pad: 'same' },
  { x: [1, 5, 5, 7], size: [2, 2], strides: [1, 1], pad: 'same' },
  { x: [1, 3, 2, 1], size: [3, 2], strides: [1, 1], pad: 'valid' },
  // Channels a multiple of 4 (WebGPU's vec4 shaders).
  { x: [2, 9, 7, 8], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [1, 7, 7, 4], size: [3, 3], strides: [2, 2], pad: 'same' },
];

/**
 * Average pooling as (window sum) / (in-bounds taps), both as depthwise
 * convolutions with a ones filter. tf.avgPool's forward divides by the
 * in-bounds count too, but its gradient divides by the full window size
 * (fh·fw) even at padded borders, which is not the derivative of its own
 * forward; finite differences confirm the count rule, so the reference is
 * built from ops whose gradients are right.
 */
function tfAvgPool(tf: Tf, x: tfTypes.Tensor, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): tfTypes.Tensor {
  const x4 = x as tfTypes.Tensor4D;
  const ones = tf.ones([size[0], size[1], x4.shape[3], 1]) as tfTypes.Tensor4D;
  const sum = tf.depthwiseConv2d(x4, ones, strides, pad);
  const count = tf.depthwiseConv2d(tf.onesLike(x4), ones, strides, pad);
  return tf.div(sum, count);
}

const tfPool = (op: 'maxPool' | 'avgPool') => (tf: Tf, x: tfTypes.Tensor, size: number | [number, number], strides: number | [number, number], pad: 'same' | 'valid'): tfTypes.Tensor => {
  if (op === 'maxPool') return tf.maxPool(x as never, size, strides, pad);
  const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);
  const x4 = x.rank === 3 ? tf.expandDims(x, 0) : x;
  const y = tfAvgPool(tf, x4, pair(size), pair(strides), pad);
  return x.rank === 3 ? tf.squeeze(y, [0]) : y;
};

// tf.avgPool itself is still the forward reference (its forward is right).
checkOp({
  op: 'avgPool forward vs tf.avgPool',
  sg: (x) => sg.avgPool(x, [3, 2], [2, 1], 'same'),
  tf: (tf, x) => tf.avgPool(x as never, [3, 2], [2, 1], 'same'),
  cases: [{ inputs: [{ shape: [2, 7, 5, 3] }] }, { inputs: [{ shape: [1, 4, 9, 1] }] }],
  grad: false,
});

for (const op of ['maxPool', 'avgPool'] as const) {
  POOL.forEach((c) => {
    checkOp({
      op: `${op} x[${c.x}] size ${c.size} strides ${c.strides} pad ${JSON.stringify(c.pad)}`,
      sg: (x) => sg[op](x, c.size, c.strides, c.pad),
      tf: (tf, x) => tfPool(op)(tf, x, c.size, c.strides, c.pad as 'same' | 'valid'),
      cases: [{ label: 'x', inputs: [{ shape: c.x, gen: op === 'maxPool' ? 'distinct' : 'normal' }] }],
      fdElements: 120,
    });
  });
  checkOp({
    op: `${op} rank-3 x`,
    sg: (x) => sg[op](x, 2, 1, 'same'),
    tf: (tf, x) => tfPool(op)(tf, x, 2, 1, 'same'),
    cases: [{ inputs: [{ shape: [5, 4, 3], gen: 'distinct' }] }],
  });
  // tfjs pools take no explicit [top, bottom, left, right] padding: compare
  // the explicit form with the 'same' pooling whose padding it spells out.
  checkOp({
    op: `${op} explicit pad equal to 'same'`,
    sg: (x) => sg[op](x, 3, 2, [1, 1, 1, 1]),
    tf: (tf, x) => tfPool(op)(tf, x, 3, 2, 'same'),
    cases: [{ inputs: [{ shape: [2, 7, 5, 3], gen: 'distinct' }] }],
  });
}

// NaN in a window: the CPU kernel propagates it (tf.maxPool skips it, so tfjs is no reference here); every other
// backend must give the CPU's result, element for element.
describe('maxPool with NaN and ±Inf', () => {
  test('every backend matches the CPU', async () => {
    const { forwardBackends, onBackend } = await import('../helpers/backends.js');
    const v = [1, NaN, 3, 4, -Infinity, -Infinity, -Infinity, -Infinity, 5, 6, Infinity, 2, NaN, NaN, -1, 7, 0, -0, 2, NaN];
    // [1, 5, 4, 1], and the same values over 4 channels ([1, 5, 1, 4]: the vec4 shader on WebGPU).
    for (const shape of [[1, 5, 4, 1], [1, 5, 1, 4]]) {
      const run = (b: string): Promise<number[]> =>
        onBackend(b, async () => {
          const x = sg.tensor(v, shape);
          const y = sg.maxPool(x, shape[2] === 1 ? [2, 1] : 2, 1, 'valid');
          const out = Array.from(await y.data());
          sg.dispose([x, y]);
          return out;
        });
      const cpu = await run('cpu');
      expect(cpu.some((e) => Number.isNaN(e))).toBe(true);
      for (const b of forwardBackends()) expect((await run(b)).map(String), `${b} [${shape}]`).toEqual(cpu.map(String));
    }
  });
});

/**
 * maxPool's gradient where windows tie: each window's dy goes to its first
 * maximum in row-major tap order (TensorFlow's rule, and the CPU kernel's).
 * Inputs drawn from {0, 1, 2} make most windows tie. Shapes cover the
 * non-overlapping windows (one thread per window on WebGPU, with the uncovered
 * fringe rows/columns and stride > filter) and overlapping ones.
 */
const TIE_POOLS: PoolCase[] = [
  { x: [2, 6, 6, 4], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 11, 9, 8], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [1, 9, 10, 3], size: [2, 2], strides: [3, 3], pad: 'same' },
  { x: [1, 7, 8, 4], size: [3, 2], strides: [3, 2], pad: [2, 1, 0, 1] },
  { x: [2, 7, 5, 3], size: [3, 3], strides: [2, 1], pad: 'same' },
];

/** The gradient of Σ maxPool(x)·w with respect to x on backend `b`. */
function maxPoolGradOn(b: string, c: PoolCase, xv: number[], wv: number[]): Promise<number[]> {
  return import('../helpers/backends.js').then(({ onBackend }) =>
    onBackend(b, async () => {
      const x = sg.tensor(xv, c.x);
      const y0 = sg.maxPool(x, c.size, c.strides, c.pad);
      const w = sg.tensor(wv.slice(0, y0.size), y0.shape);
      const g = sg.grad((t) => sg.sum(sg.mul(sg.maxPool(t, c.size, c.strides, c.pad), w)))(x);
      const out = Array.from(await g.data());
      sg.dispose([x, y0, w, g]);
      return out;
    }),
  );
}

describe('maxPool gradient with ties, NaN and ±Inf', () => {
  const pick = (n: number, salt: number, from: number[]): number[] => Array.from({ length: n }, (_, i) => from[Math.abs(Math.floor(Math.sin(i * 12.9898 + salt) * 43758.5453)) % from.length]);
  for (const c of TIE_POOLS) {
    const n = c.x.reduce((p, q) => p * q, 1);
    const wv = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 11));
    test(`ties x[${c.x}] size ${c.size} strides ${c.strides} pad ${JSON.stringify(c.pad)}: every backend gives tf.grads' result`, async () => {
      const xv = pick(n, 1, [0, 1, 2]);
      const { forwardBackends } = await import('../helpers/backends.js');
      const { getTf } = await import('../helpers/tf.js');
      const tf = await getTf();
      const pad = c.pad as 'same' | 'valid';
      // tfjs pools take no explicit padding: its reference covers the 'same'/'valid' cases.
      const ref = typeof c.pad === 'string'
        ? tf.tidy(() => {
            const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
            const y = tf.maxPool(x, c.size, c.strides, pad);
            const w = tf.tensor(wv.slice(0, y.size), y.shape);
            return Array.from(tf.grad((t: tfTypes.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tfTypes.Tensor4D, c.size, c.strides, pad), w)))(x).dataSync());
          })
        : await maxPoolGradOn('cpu', c, xv, wv);
      for (const b of forwardBackends()) expect(await maxPoolGradOn(b, c, xv, wv), b).toEqual(ref);
    });
    test(`NaN and ±Inf x[${c.x}] size ${c.size} strides ${c.strides}: every backend matches the CPU`, async () => {
      const xv = pick(n, 2, [0, 1, NaN, Infinity, -Infinity, -Infinity]);
      const { forwardBackends } = await import('../helpers/backends.js');
      const cpu = await maxPoolGradOn('cpu', c, xv, wv);
      for (const b of forwardBackends()) expect((await maxPoolGradOn(b, c, xv, wv)).map(String), b).toEqual(cpu.map(String));
    });
  }
});

describe('pool errors', () => {
  const throwsCleanly = (fn: () => unknown, message: RegExp): void => {
    const before = sg.memory().numTensors;
    expect(fn).toThrow(message);
    expect(sg.memory().numTensors).toBe(before);
  };

  for (const op of ['maxPool', 'avgPool'] as const) {
    test(`${op} window larger than input with valid padding`, () => {
      const x = sg.ones([1, 2, 5, 3]);
      throwsCleanly(() => sg[op](x, 3, 1, 'valid'), new RegExp(`^${op}: window 3x3 .*\\[1,2,5,3\\]`));
      throwsCleanly(() => sg[op](x, [1, 6], 1, 'valid'), new RegExp(`^${op}: window 1x6 .*\\[1,2,5,3\\]`));
      sg.dispose(x);
    });

    test(`${op} wrong rank, bad sizes`, () => {
      const x2 = sg.ones([4, 4]);
      const x = sg.ones([1, 4, 4, 1]);
      throwsCleanly(() => sg[op](x2, 2, 2, 'valid'), new RegExp(`^${op}: x must be rank 4.*\\[4,4\\]`));
      throwsCleanly(() => sg[op](x, 0, 2, 'valid'), new RegExp(`^${op}: filterSize must be positive integers`));
      throwsCleanly(() => sg[op](x, 2, [1, 0], 'valid'), new RegExp(`^${op}: strides must be positive integers`));
      const xi = sg.ones([1, 4, 4, 1], 'int32');
      throwsCleanly(() => sg[op](xi, 2, 2, 'valid'), new RegExp(`^${op}: .*int32`));
      sg.dispose([x2, x, xi]);
    });
  }
});

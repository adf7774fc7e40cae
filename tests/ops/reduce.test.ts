/**
 * Reductions and softmax against TensorFlow.js: sum mean max min prod argMax
 * argMin any all logSumExp softmax logSoftmax on shapes with sizes 1, odd
 * primes and non-powers of two; no axis, one axis, negative axis, several
 * non-adjacent axes, keepDims; int32 inputs; NaN/±Inf; error messages.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { Gen, InputSpec } from '../helpers/check_op.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

type Axis = number | number[] | undefined;
/** [shape, axis, keepDims] covering every axis form. */
const REDUCE_CASES: [number[], Axis, boolean][] = [
  [[1], undefined, false],
  [[7], 0, true],
  [[3, 33], 1, false],
  [[3, 33], -2, true],
  [[2, 3, 7], [0, 2], false],
  [[2, 3, 7], [-1, 0], true],
  [[127], -1, false],
  [[5, 1, 3, 7], [1, 3], false],
  [[3, 5, 2, 3], undefined, true],
];

function cases(gen: Gen | undefined, dtype?: 'float32' | 'int32' | 'bool'): { label: string; inputs: InputSpec[] }[] {
  return REDUCE_CASES.map(([shape, axis, keepDims]) => ({
    label: `[${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`,
    inputs: [{ shape, gen, dtype }],
  }));
}

interface Row {
  name: 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'any' | 'all' | 'logSumExp';
  gen?: Gen;
  dtype?: 'float32' | 'int32' | 'bool';
  label?: string;
}
const rows: Row[] = [
  { name: 'sum' },
  { name: 'mean' },
  { name: 'max', gen: 'distinct' },
  { name: 'min', gen: 'distinct' },
  // prod's gradient Πx / x is only defined away from zero.
  { name: 'prod', gen: 'awayFromZero' },
  { name: 'logSumExp' },
  { name: 'sum', dtype: 'int32', label: 'sum int32' },
  { name: 'max', dtype: 'int32', label: 'max int32' },
  { name: 'min', dtype: 'int32', label: 'min int32' },
  { name: 'prod', dtype: 'int32', label: 'prod int32', gen: [1, -2, 3, 1, -1, 2, 1] },
  { name: 'mean', dtype: 'int32', label: 'mean int32' },
  { name: 'any', dtype: 'bool' },
  { name: 'all', dtype: 'bool', gen: [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1] },
  { name: 'sum', dtype: 'bool', label: 'sum bool' },
  { name: 'max', dtype: 'bool', label: 'max bool' },
  { name: 'min', dtype: 'bool', label: 'min bool' },
  { name: 'mean', dtype: 'bool', label: 'mean bool' },
  { name: 'prod', dtype: 'bool', label: 'prod bool' },
];

function positiveAxes(axis: Axis, rank: number): Axis {
  if (axis === undefined) return axis;
  return typeof axis === 'number' ? (axis + rank) % rank : axis.map((a) => (a + rank) % rank);
}

for (const row of rows) {
  REDUCE_CASES.forEach(([, axis, keepDims], ci) => {
    checkOp({
      op: `${row.label ?? row.name} ${ci}`,
      sg: (x) => (sg as any)[row.name](x, axis, keepDims),
      // tfjs's Prod gradient throws on negative axes (it builds a transpose perm from them): give it positive ones.
      tf: (tf: any, x) => tf[row.name](x, row.name === 'prod' ? positiveAxes(axis, x.rank) : axis, keepDims),
      cases: [cases(row.gen, row.dtype)[ci]],
    });
  });
}

// prod with zeros: the gradient is the product of the other entries (exact; prod is multilinear, so finite differences hold too).
checkOp({
  op: 'prod with zeros',
  sg: (x) => sg.prod(x, 1),
  tf: (tf: any, x) => tf.prod(x, 1),
  cases: [
    { label: 'rows with 0, 1 and 2 zeros', inputs: [{ shape: [4, 5], gen: [1.5, -2, 0.5, 3, -1, 0, 2, -1.5, 0.75, 1.25, 0, 2, 0, 1.5, -3, 0, 0, 0, 0.5, 2] }] },
  ],
});
checkOp({
  op: 'prod with zeros, all axes',
  sg: (x) => sg.prod(x),
  tf: (tf: any, x) => tf.prod(x),
  cases: [
    { label: 'one zero', inputs: [{ shape: [7], gen: [2, -0.5, 0, 1.5, 3, -1, 0.25] }] },
    { label: 'two zeros', inputs: [{ shape: [3, 3], gen: [2, 0, 1, 1.5, 3, -1, 0, 1, 2] }] },
    { label: 'single zero element', inputs: [{ shape: [1], gen: [0] }] },
  ],
});

// Special values: NaN propagates through sum/max/min (exact match with tfjs).
const SPECIAL: number[][] = [
  [1, NaN, 3, -2, 5, 0, 7],
  [Infinity, 1, -Infinity, 2, 3, 4, 5],
  [Infinity, 1, 2, 3, 4, 5, Infinity],
  [-Infinity, -Infinity, 2, 3, NaN, 5, 6],
  [NaN, -Infinity, 2, 3, 4, 5, Infinity],
  [-0, 0, -0, -1, 1, 0, -0],
];
for (const name of ['sum', 'max', 'min', 'prod', 'mean', 'logSumExp'] as const) {
  checkOp({
    op: `${name} special values`,
    sg: (x) => (sg as any)[name](x, 1),
    tf: (tf: any, x) => tf[name](x, 1),
    cases: [{ label: 'NaN ±Inf ±0 rows', inputs: [{ shape: [SPECIAL.length, 7], gen: SPECIAL.flat() }] }],
    grad: false,
  });
  checkOp({
    op: `${name} special values, all axes`,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x) => tf[name](x),
    cases: SPECIAL.map((r, i) => ({ label: `row ${i}`, inputs: [{ shape: [7], gen: r }] })),
    grad: false,
  });
}

// argMax/argMin: every axis, negative axes; first index wins ties as in tfjs.
const ARG_CASES: [number[], number][] = [
  [[1], 0],
  [[7], 0],
  [[3, 33], 1],
  [[3, 33], 0],
  [[2, 3, 7], -1],
  [[2, 3, 7], 1],
  [[127], -1],
];
for (const name of ['argMax', 'argMin'] as const) {
  ARG_CASES.forEach(([shape, axis], ci) => {
    checkOp({
      op: `${name} ${ci}`,
      sg: (x) => (sg as any)[name](x, axis),
      tf: (tf: any, x) => tf[name](x, axis),
      cases: [
        { label: `[${shape}] axis ${axis} distinct`, inputs: [{ shape, gen: 'distinct' }] },
        { label: `[${shape}] axis ${axis} int32 with ties`, inputs: [{ shape, dtype: 'int32', gen: [1, 3, 3, 0, 1, -2, 3] }] },
      ],
    });
  });
}

for (const name of ['argMax', 'argMin'] as const) {
  checkOp({
    op: `${name} special values`,
    sg: (x) => (sg as any)[name](x, 1),
    tf: (tf: any, x) => tf[name](x, 1),
    cases: [{ label: 'NaN ±Inf ±0 rows', inputs: [{ shape: [SPECIAL.length, 7], gen: SPECIAL.flat() }] }],
  });
}

// softmax / logSoftmax on the last axis, including large magnitudes and -Inf entries.
for (const name of ['softmax', 'logSoftmax'] as const) {
  checkOp({
    op: name,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x) => tf[name](x),
    cases: [[1], [7], [3, 33], [2, 3, 7], [127], [5, 1], [70, 10], [2, 65]].map((shape) => ({ inputs: [{ shape }] })),
  });
  checkOp({
    op: `${name} large magnitudes`,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x) => tf[name](x),
    cases: [
      { label: '±80', inputs: [{ shape: [3, 7], gen: [80, -80, 79, 0, -79.5, 80, 1] }] },
      { label: '±1000', inputs: [{ shape: [2, 5], gen: [1000, 999, -1000, 998.5, 0, -1000, -999, -998, -1001, 1000] }] },
    ],
    // Σ(y·w) on saturated rows still has a finite, well-conditioned gradient.
    fdElements: 50,
  });
  checkOp({
    op: `${name} -Inf entries`,
    sg: (x) => (sg as any)[name](x),
    tf: (tf: any, x) => tf[name](x),
    cases: [{ label: 'one -Inf per row', inputs: [{ shape: [3, 4], gen: [-Infinity, 1, 2, 3, 0.5, -Infinity, -1, 0, 2, 2, -Infinity, 80] }] }],
    grad: false,
  });
}

for (const name of ['softmax', 'logSoftmax', 'logSumExp'] as const) {
  checkOp({
    op: `${name} non-finite rows`,
    sg: (x) => (sg as any)[name](x, -1),
    tf: (tf: any, x) => tf[name](x, -1),
    cases: [{ label: 'all -Inf, +Inf, two +Inf, NaN', inputs: [{ shape: [4, 3], gen: [-Infinity, -Infinity, -Infinity, Infinity, 1, 2, Infinity, Infinity, 0, NaN, 1, 2] }] }],
    grad: false,
  });
}

describe('max/min gradient with ties', () => {
  test('every tied position gets dy, as in tf.grads', async () => {
    const { getTf } = await import('../helpers/tf.js');
    const tf = await getTf();
    const v = [[3, 1, 3, -2], [0, 0, 0, 0], [-1, 5, 5, 2]];
    const w = [1.5, -2, 0.5];
    for (const name of ['max', 'min'] as const) {
      const expected = await tf.grad((x: any) => tf.sum(tf.mul(tf[name](x, 1), tf.tensor(w))))(tf.tensor(v)).data();
      const x = sg.tensor(v);
      const wt = sg.tensor(w);
      const g = sg.grad((a: sg.Tensor) => sg.sum(sg.mul(sg[name](a, 1), wt)))(x);
      expect(Array.from(await g.data())).toEqual(Array.from(expected));
      sg.dispose([x, wt, g]);
    }
  });
});

describe('softmax stability', () => {
  test('outputs stay finite for ±80 and -Inf entries', async () => {
    const x = sg.tensor([[80, -80, 0, -Infinity], [-80, -80, -Infinity, -79]]);
    const y = sg.softmax(x);
    const ly = sg.logSoftmax(x);
    const yv = Array.from(await y.data());
    const lv = Array.from(await ly.data());
    expect(yv.every((v) => Number.isFinite(v))).toBe(true);
    expect(lv.filter((v) => v !== -Infinity).every((v) => Number.isFinite(v))).toBe(true);
    // Each row sums to 1.
    expect(Math.abs(yv.slice(0, 4).reduce((a, b) => a + b) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(yv.slice(4).reduce((a, b) => a + b) - 1)).toBeLessThan(1e-6);
    sg.dispose([x, y, ly]);
  });
  test('gradients of a -Inf row entry are finite', async () => {
    const x = sg.tensor([[0, 1, -Infinity, 2]]);
    const w = sg.tensor([[1, -2, 3, 0.5]]);
    for (const f of [sg.softmax, sg.logSoftmax]) {
      const [g] = sg.grads((a: sg.Tensor) => sg.sum(sg.mul(f(a), w)))([x]);
      const gv = Array.from(await g.data());
      expect(gv.every((v) => Number.isFinite(v)), `${gv}`).toBe(true);
      g.dispose();
    }
    sg.dispose([x, w]);
  });
});

// Errors: named op and shapes, nothing leaked.
function expectThrowsClean(fn: () => unknown, re: RegExp): void {
  const before = sg.memory().numTensors;
  expect(fn).toThrow(re);
  expect(sg.memory().numTensors).toBe(before);
}

describe('reduce errors', () => {
  test('bad axis', () => {
    const x = sg.ones([2, 3]);
    expectThrowsClean(() => sg.sum(x, 3), /sum: axis 3 is out of range for rank 2/);
    expectThrowsClean(() => sg.sum(x, -3), /sum: axis -3 is out of range for rank 2/);
    expectThrowsClean(() => sg.mean(x, [0, 2]), /mean: axis 2 is out of range for rank 2/);
    expectThrowsClean(() => sg.max(x, 1.5), /max: axis 1.5 is out of range/);
    expectThrowsClean(() => sg.argMax(x, 2), /argMax: axis 2 is out of range for rank 2/);
    expectThrowsClean(() => sg.logSumExp(x, 5), /logSumExp: axis 5 is out of range for rank 2/);
    expectThrowsClean(() => sg.softmax(x, 0), /softmax: only the last dim.*\[2,3\]/);
    // Array inputs converted inside the op are freed too.
    expectThrowsClean(() => sg.sum([[1, 2], [3, 4]], 2), /sum: axis 2 is out of range for rank 2/);
    x.dispose();
  });
  test('bad dtype', () => {
    const b = sg.tensor([true, false]);
    const f = sg.ones([2]);
    const s = sg.scalar(1);
    expectThrowsClean(() => sg.softmax(b), /softmax: argument 'x' must be float32, got bool/);
    expectThrowsClean(() => sg.any(f), /any: argument 'x' must be bool, got float32/);
    expectThrowsClean(() => sg.argMax(s), /argMax: input must have rank >= 1/);
    expectThrowsClean(() => sg.argMax([1, NaN, 2], 0.5), /argMax: axis 0.5 is out of range for rank 1/);
    sg.dispose([b, f, s]);
  });
  test('disposed input', () => {
    const x = sg.ones([2, 3]);
    x.dispose();
    for (const f of [sg.sum, sg.mean, sg.max, sg.min, sg.prod, sg.logSumExp]) {
      expectThrowsClean(() => f(x), /argument 'x' \(shape \[2,3\]\) has been disposed/);
    }
    expectThrowsClean(() => sg.softmax(x), /softmax: argument 'x' \(shape \[2,3\]\) has been disposed/);
  });
});

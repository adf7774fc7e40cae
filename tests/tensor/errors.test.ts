/**
 * The error contract: bad input throws at once with a message naming the op
 * and the shapes or dtypes, and allocates nothing (numTensors unchanged).
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';

let start = 0;
const owned: sg.Tensor[] = [];
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => {
  sg.dispose(owned.splice(0));
  expectNoLeak(start, 'test');
});

function t(...args: Parameters<typeof sg.tensor>): sg.Tensor {
  const x = sg.tensor(...args);
  owned.push(x);
  return x;
}

/** Asserts fn throws a message matching re and leaves the tensor count unchanged. */
function throwsClean(fn: () => unknown, re: RegExp): void {
  const before = sg.memory().numTensors;
  expect(fn).toThrow(re);
  expect(sg.memory().numTensors).toBe(before);
}

test('int32 into float-only ops', () => {
  const i = t([1, 2, 3], [3], 'int32');
  throwsClean(() => sg.exp(i), /^exp: argument 'x' must be float32, got int32$/);
  throwsClean(() => sg.sigmoid(i), /sigmoid: .*float32.*int32/);
  throwsClean(() => sg.softmax(i), /softmax: .*float32.*int32/);
  throwsClean(() => sg.pow(i, i), /pow: arguments must be float32/);
});

test('bool into numeric ops, numbers into logical ops', () => {
  const b = t([true, false]);
  throwsClean(() => sg.neg(b), /neg: argument 'x' must be float32 or int32, got bool/);
  const f = t([1.5, 2]);
  throwsClean(() => sg.logicalAnd(f, b), /logicalAnd: arguments must be bool/);
  throwsClean(() => sg.where(f, f, f), /where: argument 'condition' must be bool, got float32/);
});

test('broadcast mismatch names both shapes, also when a number operand was converted first', () => {
  const a = t([1, 2, 3]);
  const b = t([[1, 2], [3, 4]]);
  throwsClean(() => sg.add(a, b), /^add: shapes \[3\] and \[2,2\] cannot be broadcast together$/);
  throwsClean(() => sg.mul(a, [1, 2]), /mul: shapes \[3\] and \[2\] cannot be broadcast together/);
  const c = t([true, false]);
  throwsClean(() => sg.where(c, a, a), /where: shapes \[2\] and \[3\] and \[3\]/);
});

test('bad arguments to creation ops', () => {
  throwsClean(() => sg.tensor([1, 2, 3], [2, 2]), /tensor: shape \[2,2\] needs 4 values, got 3/);
  throwsClean(() => sg.tensor([[1, 2], [3]]), /tensor: ragged nested array/);
  throwsClean(() => sg.tensor([1], [1], 'float64' as never), /tensor: unknown dtype 'float64'/);
  throwsClean(() => sg.zeros([2, -1]), /^zeros: shape must be non-negative integers, got \[2,-1\]$/);
  throwsClean(() => sg.randomUniform([2], 1, 0), /randomUniform: maxval 0 must be greater than minval 1/);
  const one = t([1]);
  throwsClean(() => sg.clipByValue(one, 2, 1), /clipByValue: min 2 must be <= max 1/);
});

test('dataSync works on the CPU; array() nests', async () => {
  const x = t([[1, 2, 3], [4, 5, 6]], undefined, 'int32');
  expect(x.dataSync()).toBeInstanceOf(Int32Array);
  expect(await x.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
  expect(t([true, false]).dataSync()).toBeInstanceOf(Uint8Array);
});

/**
 * conv2d and conv1d against TensorFlow.js: strides 1/2/3, 'same', 'valid' and
 * explicit padding, dilation 2, non-square kernels, batch 1 and > 1, channels
 * 1, 3 and 7; gradients for x and the filter; argument errors.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { PadMode } from '../../src/kernels/op_names.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import { tfDilate, tfPad } from '../helpers/conv_ref.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

interface Conv2dCase {
  x: number[];
  f: number[];
  strides: [number, number];
  pad: PadMode;
  dil?: [number, number];
}

const CONV2D: Conv2dCase[] = [
  { x: [1, 1, 1, 1], f: [1, 1, 1, 1], strides: [1, 1], pad: 'same' },
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], strides: [1, 1], pad: 'valid' },
  { x: [2, 7, 6, 3], f: [2, 3, 3, 7], strides: [2, 2], pad: 'same' },
  { x: [1, 7, 7, 3], f: [3, 3, 3, 1], strides: [1, 1], pad: 'same', dil: [2, 2] },
  { x: [3, 6, 5, 7], f: [1, 3, 7, 3], strides: [2, 1], pad: 'valid' },
  { x: [2, 9, 7, 1], f: [3, 2, 1, 3], strides: [1, 1], pad: 'valid', dil: [2, 2] },
  { x: [1, 8, 8, 3], f: [3, 3, 3, 3], strides: [2, 2], pad: 'valid' },
  { x: [1, 7, 7, 1], f: [2, 2, 1, 3], strides: [3, 3], pad: 'same' },
  { x: [2, 5, 6, 3], f: [3, 2, 3, 2], strides: [1, 1], pad: [1, 2, 0, 1] },
  { x: [1, 6, 7, 3], f: [3, 3, 3, 7], strides: [2, 2], pad: [1, 1, 2, 0] },
  { x: [2, 6, 5, 3], f: [3, 2, 3, 1], strides: [1, 1], pad: 'same', dil: [1, 2] },
  { x: [2, 11, 13, 7], f: [3, 3, 7, 7], strides: [1, 1], pad: 'same' },
  { x: [3, 5, 3, 7], f: [1, 1, 7, 3], strides: [1, 1], pad: 'valid' },
  { x: [2, 5, 7, 3], f: [1, 1, 3, 7], strides: [1, 1], pad: 'same' },
  { x: [2, 5, 7, 3], f: [1, 1, 3, 7], strides: [2, 2], pad: 'valid' },
  { x: [1, 9, 8, 3], f: [2, 3, 3, 3], strides: [2, 2], pad: 'same', dil: [2, 2] },
  { x: [2, 10, 9, 1], f: [3, 3, 1, 7], strides: [2, 3], pad: 'valid', dil: [2, 1] },
];

CONV2D.forEach((c) => {
  const dil = c.dil ?? [1, 1];
  checkOp({
    op: `conv2d x[${c.x}] f[${c.f}] strides ${c.strides} pad ${JSON.stringify(c.pad)} dilations ${dil}`,
    sg: (x, f) => sg.conv2d(x, f, c.strides, c.pad, 'NHWC', dil),
    tf: (tf, x, f) => tf.conv2d(x as never, tfDilate(tf, f, dil[0], dil[1]), c.strides, tfPad(c.pad) as never),
    cases: [{ label: 'x and filter', inputs: [{ shape: c.x }, { shape: c.f }] }],
    fdElements: 60,
  });
});

// Rank-3 input (no batch dim) is batched and unbatched around the kernel.
checkOp({
  op: 'conv2d rank-3 x',
  sg: (x, f) => sg.conv2d(x, f, 1, 'same'),
  tf: (tf, x, f) => tf.conv2d(x as never, f as never, 1, 'same'),
  cases: [{ inputs: [{ shape: [5, 4, 3] }, { shape: [2, 3, 3, 2] }] }],
});

interface Conv1dCase {
  x: number[];
  f: number[];
  stride: number;
  pad: 'same' | 'valid';
  dil?: number;
}

const CONV1D: Conv1dCase[] = [
  { x: [1, 1, 1], f: [1, 1, 1], stride: 1, pad: 'valid' },
  { x: [2, 7, 3], f: [3, 3, 7], stride: 1, pad: 'same' },
  { x: [1, 33, 1], f: [5, 1, 3], stride: 2, pad: 'valid' },
  { x: [3, 13, 7], f: [2, 7, 1], stride: 3, pad: 'same' },
  { x: [2, 11, 3], f: [3, 3, 3], stride: 1, pad: 'same', dil: 2 },
  { x: [1, 17, 3], f: [4, 3, 2], stride: 1, pad: 'valid', dil: 3 },
  { x: [9, 1], f: [3, 1, 3], stride: 2, pad: 'same' },
];

CONV1D.forEach((c) => {
  const dil = c.dil ?? 1;
  checkOp({
    op: `conv1d x[${c.x}] f[${c.f}] stride ${c.stride} pad ${c.pad} dilation ${dil}`,
    sg: (x, f) => sg.conv1d(x, f, c.stride, c.pad, 'NWC', dil),
    tf: (tf, x, f) => {
      const f2 = tfDilate(tf, tf.reshape(f, [1, ...f.shape]), 1, dil);
      return tf.conv1d(x as never, tf.reshape(f2, f2.shape.slice(1)) as never, c.stride, c.pad);
    },
    cases: [{ label: 'x and filter', inputs: [{ shape: c.x }, { shape: c.f }] }],
    fdElements: 60,
  });
});

describe('conv errors', () => {
  const throwsCleanly = (fn: () => unknown, message: RegExp): void => {
    const before = sg.memory().numTensors;
    expect(fn).toThrow(message);
    expect(sg.memory().numTensors).toBe(before);
  };

  test('conv2d channel mismatch names both shapes', () => {
    const x = sg.ones([1, 5, 5, 3]);
    const f = sg.ones([3, 3, 2, 4]);
    throwsCleanly(() => sg.conv2d(x, f, 1, 'valid'), /^conv2d: .*\[1,5,5,3\].*\[3,3,2,4\]/);
    sg.dispose([x, f]);
  });

  test('conv2d wrong rank', () => {
    const x2 = sg.ones([5, 5]);
    const x5 = sg.ones([1, 1, 5, 5, 1]);
    const f = sg.ones([3, 3, 1, 1]);
    const f3 = sg.ones([3, 3, 1]);
    const x = sg.ones([1, 5, 5, 1]);
    throwsCleanly(() => sg.conv2d(x2, f), /^conv2d: x must be rank 4.*\[5,5\]/);
    throwsCleanly(() => sg.conv2d(x5, f), /^conv2d: x must be rank 4.*\[1,1,5,5,1\]/);
    throwsCleanly(() => sg.conv2d(x, f3), /^conv2d: filter must be rank 4.*\[3,3,1\]/);
    sg.dispose([x2, x5, f, f3, x]);
  });

  test('conv2d window larger than input with valid padding', () => {
    const x = sg.ones([1, 2, 5, 1]);
    const f = sg.ones([3, 3, 1, 1]);
    throwsCleanly(() => sg.conv2d(x, f, 1, 'valid'), /^conv2d: window 3x3 .*\[1,2,5,1\]/);
    const x5 = sg.ones([1, 5, 5, 1]);
    throwsCleanly(() => sg.conv2d(x5, f, 1, 'valid', 'NHWC', 3), /^conv2d: window 3x3 \(dilation 3x3\)/);
    sg.dispose([x, f, x5]);
  });

  test('conv2d bad strides, dilations and pad', () => {
    const x = sg.ones([1, 5, 5, 1]);
    const f = sg.ones([3, 3, 1, 1]);
    throwsCleanly(() => sg.conv2d(x, f, 0), /^conv2d: strides must be positive integers/);
    throwsCleanly(() => sg.conv2d(x, f, 1, 'valid', 'NHWC', [1, 1.5]), /^conv2d: dilations must be positive integers/);
    throwsCleanly(() => sg.conv2d(x, f, 1, 'full' as never), /^conv2d: pad must be/);
    sg.dispose([x, f]);
  });

  test('conv1d channel mismatch, wrong rank, window too large', () => {
    const x = sg.ones([2, 7, 3]);
    const f = sg.ones([3, 2, 4]);
    const f4 = sg.ones([1, 3, 3, 4]);
    const x4 = sg.ones([1, 2, 7, 3]);
    const big = sg.ones([9, 3, 4]);
    throwsCleanly(() => sg.conv1d(x, f), /^conv1d: .*\[2,7,3\].*\[3,2,4\]/);
    throwsCleanly(() => sg.conv1d(x, f4), /^conv1d: filter must be rank 3.*\[1,3,3,4\]/);
    throwsCleanly(() => sg.conv1d(x4, big), /^conv1d: x must be rank 3.*\[1,2,7,3\]/);
    throwsCleanly(() => sg.conv1d(x, big), /^conv1d: window 1x9 .*\[2,1,7,3\]/);
    sg.dispose([x, f, f4, x4, big]);
  });
});

/**
 * matMul against TensorFlow.js: the four transpose combinations on rank 2,
 * batched rank 3 and 4, broadcast batch dims, int32, shapes with sizes 1, odd
 * primes and non-powers of two, and the argument errors.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { OpCase } from '../helpers/check_op.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/** [M, K, N] triples: 1s, odd primes, non-powers of two, a long K. */
const MKN: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 1],
  [7, 33, 3],
  [33, 1, 7],
  [5, 127, 2],
  [13, 6, 11],
];

/** Stored shapes of a [M, K] · [K, N] product under the given transposes. */
function shapes(batchA: number[], batchB: number[], [m, k, n]: [number, number, number], tA: boolean, tB: boolean): [number[], number[]] {
  return [[...batchA, ...(tA ? [k, m] : [m, k])], [...batchB, ...(tB ? [n, k] : [k, n])]];
}

function cases(list: [number[], number[], [number, number, number]][], tA: boolean, tB: boolean, dtype?: 'int32'): OpCase[] {
  return list.map(([ba, bb, mkn]) => {
    const [sa, sb] = shapes(ba, bb, mkn, tA, tB);
    return { inputs: [{ shape: sa, dtype }, { shape: sb, dtype }] };
  });
}

/** tfjs's reference, with batch dims broadcast explicitly so its gradient needs no broadcast support. */
function tfMatMul(tA: boolean, tB: boolean) {
  return (tf: Tf, a: tfTypes.Tensor, b: tfTypes.Tensor): tfTypes.Tensor => {
    const ba = a.shape.slice(0, -2);
    const bb = b.shape.slice(0, -2);
    const rank = Math.max(ba.length, bb.length);
    const pa = [...Array(rank - ba.length).fill(1), ...ba];
    const pb = [...Array(rank - bb.length).fill(1), ...bb];
    const batch = pa.map((d, i) => Math.max(d, pb[i]));
    const ea = ba.length === 0 && bb.length === 0 ? a : tf.broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
    const eb = ba.length === 0 && bb.length === 0 ? b : tf.broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
    return tf.matMul(ea, eb, tA, tB);
  };
}

const RANK2: [number[], number[], [number, number, number]][] = MKN.map((mkn) => [[], [], mkn]);
const BATCHED: [number[], number[], [number, number, number]][] = [
  [[1], [1], [3, 5, 7]],
  [[2], [2], [1, 7, 3]],
  [[3], [3], [7, 3, 1]],
  [[2, 3], [2, 3], [3, 5, 2]],
  [[3, 1], [3, 1], [1, 33, 1]],
];
const BROADCAST: [number[], number[], [number, number, number]][] = [
  [[1], [4], [3, 5, 2]],
  [[], [3], [5, 7, 2]],
  [[4], [], [3, 7, 5]],
  [[2, 1], [1, 3], [3, 4, 5]],
  [[3], [2, 1], [1, 7, 3]],
];

for (const [tA, tB] of [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const) {
  const tag = `transposeA=${tA} transposeB=${tB}`;
  const op = (a: sg.Tensor, b: sg.Tensor): sg.Tensor => sg.matMul(a, b, tA, tB);
  checkOp({ op: `matMul rank 2 ${tag}`, sg: op, tf: tfMatMul(tA, tB), cases: cases(RANK2, tA, tB) });
  checkOp({ op: `matMul batched ${tag}`, sg: op, tf: tfMatMul(tA, tB), cases: cases(BATCHED, tA, tB) });
  checkOp({ op: `matMul broadcast ${tag}`, sg: op, tf: tfMatMul(tA, tB), cases: cases(BROADCAST, tA, tB) });
  checkOp({ op: `matMul int32 ${tag}`, sg: op, tf: tfMatMul(tA, tB), cases: cases([...RANK2.slice(0, 5), BATCHED[3], BROADCAST[3]], tA, tB, 'int32') });
}

// Larger than one k block / register tile, with ragged edges.
checkOp({
  op: 'matMul large ragged',
  sg: (a, b) => sg.matMul(a, b),
  tf: tfMatMul(false, false),
  cases: [
    { inputs: [{ shape: [37, 131] }, { shape: [131, 67] }] },
    { inputs: [{ shape: [2, 19, 257] }, { shape: [2, 257, 21] }] },
    { inputs: [{ shape: [67, 263] }, { shape: [263, 5] }] },
  ],
  tol: { rtol: 1e-4, atol: 1e-4 },
  fdElements: 40,
});
checkOp({
  op: 'matMul large ragged transposeB',
  sg: (a, b) => sg.matMul(a, b, false, true),
  tf: tfMatMul(false, true),
  cases: [
    { inputs: [{ shape: [37, 131] }, { shape: [67, 131] }] },
    { inputs: [{ shape: [2, 19, 257] }, { shape: [2, 21, 257] }] },
    { inputs: [{ shape: [67, 263] }, { shape: [5, 263] }] },
  ],
  tol: { rtol: 1e-4, atol: 1e-4 },
  fdElements: 40,
});

checkOp({
  op: 'matMul large ragged transposeA transposeB',
  sg: (a, b) => sg.matMul(a, b, true, true),
  tf: tfMatMul(true, true),
  cases: [{ inputs: [{ shape: [263, 67] }, { shape: [5, 263] }] }],
  tol: { rtol: 1e-4, atol: 1e-4 },
  fdElements: 40,
});

describe('matMul errors', () => {
  const throwsCleanly = (fn: () => unknown, message: string | RegExp): void => {
    const before = sg.memory().numTensors;
    expect(fn).toThrow(message);
    expect(sg.memory().numTensors).toBe(before);
  };

  test('inner dimension mismatch names the shapes', () => {
    const a = sg.ones([3, 4]);
    const b = sg.ones([5, 2]);
    throwsCleanly(() => sg.matMul(a, b), 'matMul: inner dimensions differ: [3,4] x [5,2]');
    throwsCleanly(() => sg.matMul(a, b, true, false), 'matMul: inner dimensions differ: [3,4] x [5,2]');
    sg.dispose([a, b]);
  });

  test('rank < 2', () => {
    const a = sg.ones([3]);
    const b = sg.ones([3, 2]);
    throwsCleanly(() => sg.matMul(a, b), /matMul: .*rank >= 2.*\[3\] x \[3,2\]/);
    throwsCleanly(() => sg.matMul(b, a), /matMul: .*rank >= 2.*\[3,2\] x \[3\]/);
    throwsCleanly(() => sg.matMul([1, 2, 3], [[1], [2], [3]]), /matMul: .*rank >= 2/);
    sg.dispose([a, b]);
  });

  test('batch dims that do not broadcast', () => {
    const a = sg.ones([2, 3, 4]);
    const b = sg.ones([3, 4, 5]);
    throwsCleanly(() => sg.matMul(a, b), /matMul: .*\[2\].*\[3\]|matMul: .*\[2,3,4\].*\[3,4,5\]/);
    sg.dispose([a, b]);
  });

  test('bool input', () => {
    const a = sg.ones([2, 2], 'bool');
    const b = sg.ones([2, 2]);
    throwsCleanly(() => sg.matMul(a, b), /matMul: .*bool/);
    sg.dispose([a, b]);
  });
});

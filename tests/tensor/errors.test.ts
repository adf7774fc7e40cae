/**
 * The error contract: bad input throws at once with a message naming the op
 * and the shapes or dtypes, and allocates nothing (numTensors unchanged).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { getTf } from '../helpers/tf.js';

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

// Issue 10 ("no silent wrong answer"): each item the issue reproduced.

test('nonsense arguments are refused, naming the op: strings, a boolean dtype, a missing stop, an object axis, a number shape, a tensor in paddings', () => {
  const x = t([[1, 2], [3, 4]]);
  throwsClean(() => sg.add('abc' as never, 1), /^add: argument 'a' must be a tensor, a number, a boolean or nested arrays of them, got 'abc'$/);
  throwsClean(() => sg.add([1, 'abc'] as never, 1), /^add: values must be numbers or booleans, got 'abc' at depth 1$/);
  throwsClean(() => sg.tensor([{}] as never), /^tensor: values\[0\] is object; expected numbers or booleans/);
  throwsClean(() => sg.zeros([2], true as never), /^zeros: unknown dtype true; use 'float32', 'int32' or 'bool'$/);
  throwsClean(() => (sg.range as (s: number) => sg.Tensor)(0), /^range: stop must be a finite number, got undefined$/);
  throwsClean(() => sg.range(0, Infinity), /^range: stop must be a finite number, got Infinity$/);
  throwsClean(() => sg.sum(x, {} as never), /^sum: axis must be an integer or a list of integers, got an object \(Object\)$/);
  throwsClean(() => sg.reshape(x, 2.5 as never), /^reshape: shape must be an array of integers >= -1, got 2.5$/);
  throwsClean(() => sg.pad(x, [[1, 1], x] as never), /^pad: paddings \[\[1,1\],a tensor \(float32 \[2,2\]\)\] must give/);
  throwsClean(() => sg.matMul(x, x, 'yes' as never), /^matMul: transposeA must be a boolean, got 'yes'$/);
  throwsClean(() => sg.sum(x, 0, 1 as never), /^sum: keepDims must be a boolean, got 1$/);
  const img = t(new Float32Array(4), [1, 2, 2, 1]);
  const f = t([1], [1, 1, 1, 1]);
  throwsClean(() => sg.maxPool(img, null as never, 1, 'valid'), /^maxPool: filterSize must be positive integers/);
  throwsClean(() => sg.conv2d(img, f, 1, x as never), /^conv2d: pad must be 'same', 'valid'/);
  throwsClean(() => sg.adamUpdate(x, x, x, x, undefined as never), /^adamUpdate: the step settings must be an object/);
});

test('reducing a scalar over axis 0 is an error, as in tfjs (it used to return the identity: sum(2.5, 0) was 0)', async () => {
  const tf = await getTf();
  expect(() => tf.sum(tf.scalar(2.5), 0)).toThrow();
  for (const op of ['sum', 'prod', 'max', 'min', 'mean', 'logSumExp'] as const) {
    throwsClean(() => sg[op](2.5, 0), new RegExp(`^${op}: axis 0 is out of range for rank 0 \\(a scalar has no axes\\)$`));
  }
  throwsClean(() => sg.any(true, [0]), /^any: axis 0 is out of range for rank 0/);
  throwsClean(() => sg.gather(2.5, [0]), /^gather: x must have rank >= 1, got a scalar$/);
  // All axes of a scalar (none) still works.
  const s = sg.sum(2.5);
  owned.push(s);
  expect(await s.data()).toEqual(new Float32Array([2.5]));
});

test('errors name the op the user called (zerosLike, scalar, stack, lstmCellPacked, adamUpdatePacked), not an inner one', () => {
  const a = t([1, 2]);
  const b = t([1, 2], undefined, 'int32');
  throwsClean(() => sg.zerosLike('abc' as never), /^zerosLike: /);
  throwsClean(() => sg.onesLike(null as never), /^onesLike: argument 'x' is null/);
  throwsClean(() => sg.scalar('a' as never), /^scalar: value must be a number or a boolean, got 'a'$/);
  throwsClean(() => sg.stack([a, b]), /^stack: dtypes differ: float32, int32$/);
  const z = t([1, 2, 3, 4], [1, 4]);
  const c = t([1], [1, 1]);
  throwsClean(() => sg.lstmCellPacked(z, c, true as never), /^lstmCellPacked: unsupported activation true/);
  throwsClean(() => sg.adamUpdatePacked(a, a, a, a, { step: 0 }), /^adamUpdatePacked: step must be an integer >= 1, got 0$/);
  throwsClean(() => sg.lstmCell(z, c, 'toString' as never), /^lstmCell: unsupported activation 'toString'/);
});

test('padding a bool tensor stores the constant by the bool rule (it stored 254 for -2.5); int32 truncates', async () => {
  const p = sg.pad(t([true, false]), [[1, 1]], -2.5);
  owned.push(p);
  const asBool = t([-2.5], [1], 'bool');
  const v = await p.data();
  expect(v).toBeInstanceOf(Uint8Array);
  expect([v[0], v[3]]).toEqual([asBool.dataSync()[0], asBool.dataSync()[0]]);
  const tf = await getTf();
  const pi = sg.pad(t([1, 2], undefined, 'int32'), [[1, 0]], 2.7);
  owned.push(pi);
  expect(Array.from(await pi.data())).toEqual(Array.from(tf.pad(tf.tensor([1, 2], undefined, 'int32'), [[1, 0]], 2.7).dataSync()));
});

test('huge sizes fail at once instead of hanging: maxPool/avgPool with a 1e9 window, split of an empty dim into 1e9 parts, 1e9-deep oneHot', () => {
  const x = t(new Float32Array(16), [1, 4, 4, 1]);
  const t0 = performance.now();
  throwsClean(() => sg.maxPool(x, [1e9, 3], 1, 'same'), /^maxPool: window 1000000000x3 over 16 outputs of input \[1,4,4,1\] is 48000000000 taps, over the limit/);
  throwsClean(() => sg.avgPool(x, [1e9, 3], [1, 1], 'same'), /^avgPool: window 1000000000x3 /);
  const empty = t([], [2, 0]);
  throwsClean(() => sg.split(empty, 1e9, -1), /^split: 1000000000 parts of dim 0 of \[2,0\] is over the limit of 65536 outputs$/);
  const one = t([1], [1], 'int32');
  throwsClean(() => sg.oneHot(one, 1e9), /^oneHot: output of shape \[1,1000000000\] would have 1000000000 elements, over the limit/);
  throwsClean(() => sg.tile(x, [1e5, 1e5, 1, 1]), /^tile: output of shape/);
  throwsClean(() => sg.zeros([1e5, 1e5]), /^zeros: shape of shape \[100000,100000\] would have/);
  expect(performance.now() - t0).toBeLessThan(1000);
  // A window larger than the input but within the guard still works, and only visits in-bounds taps.
  const y = sg.maxPool(x, [1000, 3], 1, 'same');
  owned.push(y);
  expect(y.shape).toEqual([1, 4, 4, 1]);
});

/** Runs op and reads its result (disposing it): CPU kernels throw at the call, WebGPU index checks at the read. */
async function readOp(fn: () => sg.Tensor): Promise<number[]> {
  let r: sg.Tensor | undefined;
  try {
    r = fn();
    return Array.from(await r.data());
  } finally {
    r?.dispose();
  }
}

describe.each(forwardBackends())('%s', (backend) => {
  test('gather with an out-of-range index is an error naming the op and the index (CPU at the call, WebGPU at the next read); the next read is clean', async () => {
    await onBackend(backend, async () => {
      const x = t([[1, 2], [3, 4], [5, 6]]);
      await expect(readOp(() => sg.gather(x, [0, 7, 1, -1]))).rejects.toThrow(/^gather: index 7 at position 1 is out of range \[0, 3\) for axis 0 of \[3,2\]$/);
      // Also along axis 1, and with the bad index far into a long index list.
      const idx = t(Array.from({ length: 5000 }, (_, i) => (i === 4321 ? -3 : i % 2)), undefined, 'int32');
      await expect(readOp(() => sg.gather(x, idx, 1))).rejects.toThrow(/^gather: index -3 at position 4321 is out of range \[0, 2\) for axis 1 of \[3,2\]$/);
      expect(await readOp(() => sg.gather(x, [2, 0]))).toEqual([5, 6, 1, 2]);
      // scatterAdd (gather's gradient) checks its indices the same way.
      const dy = t([1, 1]);
      const bad = t([0, 5], undefined, 'int32');
      await expect(readOp(() => sg.scatterAdd(dy, bad, 0, 3))).rejects.toThrow(/^scatterAdd: index 5 at position 1 is out of range \[0, 3\)$/);
      // oneHot keeps tfjs's rule: an out-of-range index gives a row of offValue.
      const tf = await getTf();
      const ids = t([0, 5, -1], undefined, 'int32');
      const oh = await readOp(() => sg.oneHot(ids, 3));
      expect(oh).toEqual(Array.from(tf.oneHot(tf.tensor1d([0, 5, -1], 'int32'), 3).dataSync()));
    });
  });

  test('an out-of-range index among many gathers (more than one batch of GPU checks) is still reported, and only once', async () => {
    await onBackend(backend, async () => {
      const x = t([10, 20, 30]);
      const good = t([2, 1, 0], undefined, 'int32');
      const bad = t([0, 3], undefined, 'int32');
      const outs: sg.Tensor[] = [];
      let thrown: unknown = null;
      try {
        for (let i = 0; i < 600; i++) outs.push(sg.gather(x, i === 555 ? bad : good));
        await outs[outs.length - 1].data();
      } catch (e) {
        thrown = e;
      }
      sg.dispose(outs);
      expect(String(thrown)).toMatch(/^Error: gather: index 3 at position 1 is out of range \[0, 3\)/);
      expect(await readOp(() => sg.gather(x, good))).toEqual([30, 20, 10]);
    });
  });

  test('an out-of-vocabulary Embedding id fails training instead of training on garbage', async () => {
    await onBackend(backend, async () => {
      const model = sg.sequential({ layers: [sg.layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 2 }), sg.layers.flatten(), sg.layers.dense({ units: 1 })] });
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      const xs = t([[0, 1], [2, 9]]);
      const ys = t([[0], [0]]);
      await expect(model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 })).rejects.toThrow(/gather: index 9 at position \d is out of range \[0, 4\)/);
      model.dispose();
    });
  });

  test('clipByValue of int32 with infinite bounds leaves the values alone on every backend (found by the fuzz test)', async () => {
    await onBackend(backend, async () => {
      const vals = [-2147483648, -5, 0, 7, 2147483520];
      const x = t(vals, undefined, 'int32');
      expect(await readOp(() => sg.clipByValue(x, -Infinity, Infinity))).toEqual(vals);
      expect(await readOp(() => sg.clipByValue(x, -3, Infinity))).toEqual(vals.map((v) => Math.max(v, -3)));
    });
  });

  test('zero-size tensors: reductions over nothing give the identity on every backend, as on the CPU', async () => {
    const cpu = await onBackend('cpu', () => zeroSizeReductions());
    const here = await onBackend(backend, () => zeroSizeReductions());
    expect(here).toEqual(cpu);
  });
});

async function zeroSizeReductions(): Promise<number[][]> {
  const out: number[][] = [];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    const x = sg.zeros([2, 0], dtype);
    const ops = dtype === 'bool' ? (['any', 'all', 'max', 'min', 'sum'] as const) : (['sum', 'prod', 'max', 'min'] as const);
    for (const op of ops) {
      const r = sg[op](x, 1);
      out.push(Array.from(await r.data()));
      r.dispose();
    }
    x.dispose();
  }
  return out;
}

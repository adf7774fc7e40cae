/**
 * Tensor creation: `tensor` from nested arrays / typed arrays / shape override /
 * bool, constants (zeros ones fill range zerosLike onesLike) against tfjs,
 * seeded random tensors checked by their statistics (tfjs's RNG differs, so
 * these compare hand-checkable properties, not values), read-back round
 * trips, and creation errors.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { expectClose, FORWARD_TOL } from '../helpers/compare.js';
import { getTf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/** Checks a shadergrad tensor equals a tfjs one (shape, dtype, values exactly), then frees both. */
async function sameAsTf(t: sg.Tensor, r: { shape: number[]; dtype: string; data(): Promise<ArrayLike<number>>; dispose(): void }, what: string): Promise<void> {
  expect([...t.shape], `${what}: shape`).toEqual(r.shape);
  expect(t.dtype, `${what}: dtype`).toBe(r.dtype);
  expectClose(await t.data(), await r.data(), { rtol: 0, atol: 0 }, what);
  t.dispose();
  r.dispose();
}

describe('tensor()', () => {
  const NESTED: [string, unknown, number[] | undefined, 'float32' | 'int32' | 'bool' | undefined][] = [
    ['scalar', 3.5, undefined, undefined],
    ['1-D', [1, 2.5, -3], undefined, undefined],
    ['2-D', [[1, 2, 3], [4, 5, 6]], undefined, undefined],
    ['3-D int32', [[[1, 2]], [[3, 4]], [[5, 6]]], undefined, 'int32'],
    ['bool leaves', [[true, false], [false, true]], undefined, undefined],
    ['bool dtype from numbers', [0, 1, 2, 0], undefined, 'bool'],
    ['flat with shape override', [1, 2, 3, 4, 5, 6], [3, 2], undefined],
    ['bool dtype from fractions (tfjs rounds)', [0.4, 0.6, -0.4, -0.6, NaN], undefined, 'bool'],
    ['empty', [], undefined, undefined],
    ['special values', [NaN, Infinity, -Infinity, -0, 1e30], undefined, undefined],
  ];
  for (const [label, v, shape, dtype] of NESTED) {
    test(label, async () => {
      const tf = await getTf();
      await sameAsTf(sg.tensor(v as never, shape, dtype), tf.tensor(v as never, shape, dtype), label);
    });
  }
  test('nested arrays with a shape override (tfjs only allows flat ones): same as the flat values', async () => {
    const tf = await getTf();
    const v = [[1, 2, 3], [4, 5, 6]];
    await sameAsTf(sg.tensor(v, [6, 1], 'int32'), tf.tensor(v.flat(), [6, 1], 'int32'), 'nested override');
  });
  test('typed arrays', async () => {
    const tf = await getTf();
    const f = new Float32Array([1.5, -2, 3, 4, 5, 6]);
    const i = new Int32Array([7, -8, 9]);
    const b = new Uint8Array([1, 0, 1, 1]);
    await sameAsTf(sg.tensor(f), tf.tensor(f), 'Float32Array');
    await sameAsTf(sg.tensor(f, [2, 3]), tf.tensor(f, [2, 3]), 'Float32Array with shape');
    await sameAsTf(sg.tensor(i), tf.tensor(i), 'Int32Array infers int32');
    await sameAsTf(sg.tensor(i, [3, 1], 'float32'), tf.tensor(i, [3, 1], 'float32'), 'Int32Array as float32');
    await sameAsTf(sg.tensor(b, [2, 2]), tf.tensor(b, [2, 2], 'bool'), 'Uint8Array infers bool');
    const f2 = new Float32Array([0, 2, -0.3, 0.7]);
    await sameAsTf(sg.tensor(f2, undefined, 'bool'), tf.tensor(f2, undefined, 'bool'), 'Float32Array as bool');
    // The tensor owns a copy: changing the source later does not change it.
    const t = sg.tensor(f);
    f[0] = 100;
    expect(t.dataSync()[0]).toBe(1.5);
    t.dispose();
  });
  test('float32 rounding of float64 inputs matches tfjs', async () => {
    const tf = await getTf();
    const v = [0.1, 1 / 3, Math.PI, 16777217];
    await sameAsTf(sg.tensor(v), tf.tensor(v), 'rounding');
    // int32 truncates toward zero like tfjs's Int32Array conversion.
    await sameAsTf(sg.tensor([1.7, -1.7, 2.5], undefined, 'int32'), tf.tensor([1.7, -1.7, 2.5], undefined, 'int32'), 'int32 truncation');
  });
});

describe('constants', () => {
  const SHAPES = [[], [1], [7], [3, 33], [2, 3, 7], [127]];
  for (const shape of SHAPES) {
    test(`zeros ones fill zerosLike onesLike [${shape}]`, async () => {
      const tf = await getTf();
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        await sameAsTf(sg.zeros(shape, dtype), tf.zeros(shape, dtype), `zeros ${dtype}`);
        await sameAsTf(sg.ones(shape, dtype), tf.ones(shape, dtype), `ones ${dtype}`);
      }
      await sameAsTf(sg.fill(shape, -2.5), tf.fill(shape, -2.5), 'fill float');
      await sameAsTf(sg.fill(shape, 7, 'int32'), tf.fill(shape, 7, 'int32'), 'fill int32');
      // tfjs's fill(shape, 3, 'bool') stores a raw 3 in a bool tensor; a bool holds 0/1, so compare with cast(3 → bool).
      const t3 = tf.fill(shape, 3);
      await sameAsTf(sg.fill(shape, 3, 'bool'), tf.cast(t3, 'bool'), 'fill bool');
      t3.dispose();
      const x = sg.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape, 'int32');
      const tx = tf.tensor(Array.from(x.dataSync()), shape, 'int32');
      await sameAsTf(sg.zerosLike(x), tf.zerosLike(tx), 'zerosLike');
      await sameAsTf(sg.onesLike(x), tf.onesLike(tx), 'onesLike');
      sg.dispose(x);
      tx.dispose();
    });
  }
  const RANGES: [number, number, number, 'float32' | 'int32'][] = [
    [0, 7, 1, 'float32'],
    [3, 33, 3, 'int32'],
    [0, 1, 0.1, 'float32'],
    [10, -3, -2, 'float32'],
    [5, 5, 1, 'float32'],
    [5, 1, 1, 'int32'],
    [5, 1, 2, 'float32'],
    [1, 5, -1, 'float32'],
    [-1, 126, 1, 'int32'],
  ];
  for (const [a, b, s, dtype] of RANGES) {
    test(`range(${a}, ${b}, ${s}, ${dtype})`, async () => {
      const tf = await getTf();
      const got = sg.range(a, b, s, dtype);
      const want = tf.range(a, b, s, dtype);
      expect([...got.shape]).toEqual(want.shape);
      expectClose(await got.data(), await want.data(), FORWARD_TOL, 'range');
      got.dispose();
      want.dispose();
    });
  }
});

describe('random', () => {
  const N = 10_000;
  function stats(v: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
    let s = 0;
    let s2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < v.length; i++) {
      s += v[i];
      s2 += v[i] * v[i];
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    const mean = s / v.length;
    return { mean, std: Math.sqrt(s2 / v.length - mean * mean), min, max };
  }
  /** Same seed → same values; another seed → different values; no seed → different each call. */
  function reproducible(make: (seed?: number) => sg.Tensor): Float32Array | Int32Array {
    const a = make(42);
    const b = make(42);
    const c = make(43);
    const d = make();
    const e = make();
    const av = a.dataSync() as Float32Array;
    expect(Array.from(b.dataSync())).toEqual(Array.from(av));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(av));
    expect(Array.from(d.dataSync())).not.toEqual(Array.from(e.dataSync()));
    sg.dispose([a, b, c, d, e]);
    return av;
  }
  test('randomNormal', () => {
    const [mu, sd] = [1.5, 2];
    const v = reproducible((seed) => sg.randomNormal([100, N / 100], mu, sd, 'float32', seed));
    const s = stats(v);
    // 5 standard errors: mean SE = σ/√N, std SE ≈ σ/√(2N).
    expect(Math.abs(s.mean - mu)).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(Math.abs(s.std - sd)).toBeLessThan((5 * sd) / Math.sqrt(2 * N));
    // Fraction within one σ ≈ 0.6827 (binomial SE ≈ 0.0047).
    const inside = Array.from(v).filter((x) => Math.abs(x - mu) < sd).length / N;
    expect(Math.abs(inside - 0.6827)).toBeLessThan(0.025);
  });
  test('truncatedNormal', () => {
    const [mu, sd] = [-1, 0.5];
    const v = reproducible((seed) => sg.truncatedNormal([N], mu, sd, 'float32', seed));
    const s = stats(v);
    // Every sample lies within 2σ; the truncated std is σ·0.8796.
    expect(s.min).toBeGreaterThanOrEqual(mu - 2 * sd);
    expect(s.max).toBeLessThanOrEqual(mu + 2 * sd);
    expect(Math.abs(s.mean - mu)).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(Math.abs(s.std - 0.8796 * sd)).toBeLessThan((5 * sd) / Math.sqrt(2 * N));
  });
  test('randomUniform float32 and int32', () => {
    const [lo, hi] = [-3, 5];
    const v = reproducible((seed) => sg.randomUniform([N], lo, hi, 'float32', seed));
    const s = stats(v);
    const sd = (hi - lo) / Math.sqrt(12);
    expect(s.min).toBeGreaterThanOrEqual(lo);
    expect(s.max).toBeLessThan(hi);
    expect(Math.abs(s.mean - (lo + hi) / 2)).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(Math.abs(s.std - sd)).toBeLessThan((5 * sd) / Math.sqrt(2 * N));
    const iv = reproducible((seed) => sg.randomUniform([N], 0, 7, 'int32', seed));
    const counts = new Array<number>(7).fill(0);
    for (const x of iv) {
      expect(Number.isInteger(x) && x >= 0 && x < 7).toBe(true);
      counts[x]++;
    }
    // Each of 7 values about N/7 times (binomial SE ≈ 35).
    for (const c of counts) expect(Math.abs(c - N / 7)).toBeLessThan(200);
  });
  test('shape and dtype', () => {
    const t = sg.randomNormal([3, 1, 7], 0, 1, 'float32', 1);
    expect([...t.shape]).toEqual([3, 1, 7]);
    expect(t.dtype).toBe('float32');
    t.dispose();
    expect(() => sg.randomUniform([2], 0, 1, 'bool')).toThrow(/randomUniform: dtype bool is not supported/);
    expect(() => sg.randomUniform([2], 1, 1)).toThrow(/randomUniform: maxval 1 must be greater than minval 1/);
    expect(() => sg.randomNormal([2, -1])).toThrow(/randomNormal: shape must be non-negative integers, got \[2,-1\]/);
  });
});

describe('read-back round trips', () => {
  const CASES: [unknown, 'float32' | 'int32' | 'bool' | undefined][] = [
    [2.5, undefined],
    [[1, -2, 3.5], undefined],
    [[[1, 2], [3, 4], [5, 6]], 'int32'],
    [[[[true]], [[false]]], undefined],
    [[[NaN, Infinity], [-Infinity, -0]], undefined],
  ];
  for (const [v, dtype] of CASES) {
    test(JSON.stringify(v), async () => {
      const tf = await getTf();
      const t = sg.tensor(v as never, undefined, dtype);
      const r = tf.tensor(v as never, undefined, dtype);
      // array()/arraySync() give tfjs's nested arrays (numbers; bool as 0/1 like tfjs).
      expect(await t.array()).toEqual(await r.array());
      expect(t.arraySync()).toEqual(r.arraySync());
      expect(Array.from(await t.data())).toEqual(Array.from(await r.data()));
      expect(Array.from(t.dataSync())).toEqual(Array.from(r.dataSync()));
      // Nested array → tensor → nested array is the identity.
      const back = sg.tensor(t.arraySync() as never, undefined, t.dtype);
      expect([...back.shape]).toEqual([...t.shape]);
      expect(Array.from(back.dataSync())).toEqual(Array.from(t.dataSync()));
      const ctor = t.dtype === 'float32' ? Float32Array : t.dtype === 'int32' ? Int32Array : Uint8Array;
      expect(t.dataSync()).toBeInstanceOf(ctor);
      sg.dispose([t, back]);
      r.dispose();
    });
  }
  test('reading a disposed tensor throws', async () => {
    const t = sg.ones([2, 3]);
    t.dispose();
    expect(() => t.dataSync()).toThrow(/dataSync.*disposed/);
    await expect(t.data()).rejects.toThrow(/disposed/);
  });
});

function expectThrowsClean(fn: () => unknown, re: RegExp): void {
  const before = sg.memory().numTensors;
  expect(fn).toThrow(re);
  expect(sg.memory().numTensors, `leak after ${re}`).toBe(before);
}

describe('creation errors', () => {
  test('ragged nested arrays', () => {
    expectThrowsClean(() => sg.tensor([[1, 2], [3]]), /tensor: ragged nested array: expected length 2 at depth 1, got 1 \(shape \[2,2\] from the first elements\)/);
    expectThrowsClean(() => sg.tensor([[1, 2], 3]), /tensor: ragged nested array.*shape \[2,2\]/);
    expectThrowsClean(() => sg.tensor([1, [2]]), /tensor: ragged nested array: expected a number at depth 1 \(shape \[2\]/);
  });
  test('shape / values count mismatch', () => {
    expectThrowsClean(() => sg.tensor([1, 2, 3, 4], [2, 3]), /tensor: shape \[2,3\] needs 6 values, got 4 \(values of shape \[4\]\)/);
    expectThrowsClean(() => sg.tensor(new Float32Array(5), [2, 2]), /tensor: shape \[2,2\] needs 4 values, got 5/);
    expectThrowsClean(() => sg.tensor([1, 2], [2, -1]), /tensor: shape must be non-negative integers, got \[2,-1\]/);
    expectThrowsClean(() => sg.tensor([1, 2], undefined, 'complex64' as never), /tensor: unknown dtype 'complex64'/);
    expectThrowsClean(() => sg.fill([2, 1.5], 0), /fill: shape must be non-negative integers, got \[2,1.5\]/);
    expectThrowsClean(() => sg.range(0, 5, 0), /range: step must not be 0/);
  });
  test('disposed tensor as input', () => {
    const x = sg.ones([2, 3]);
    x.dispose();
    expectThrowsClean(() => sg.zerosLike(x), /zerosLike: argument 'x' \(shape \[2,3\]\) has been disposed/);
    expectThrowsClean(() => sg.onesLike(x), /onesLike: argument 'x' \(shape \[2,3\]\) has been disposed/);
  });
});

/**
 * sg.data helpers: hand-checkable cases, scikit-learn's semantics, and the
 * course's `temporalize` (ported literally below) as the reference for windows.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { expectClose } from '../helpers/compare.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const X = [
  [1, 10, 7],
  [3, 30, 7],
  [5, 50, 7],
  [2, 0, 7],
];

describe('minMaxScaler', () => {
  test('maps each column to [0, 1]; a constant column scales by 1; inverse restores', () => {
    const s = sg.data.minMaxScaler();
    const y = s.fitTransform(X) as number[][];
    expect(y).toEqual([
      [0, 0.2, 0],
      [0.5, 0.6, 0],
      [1, 1, 0],
      [0.25, 0, 0],
    ]);
    expect(Array.from(s.dataMin!)).toEqual([1, 0, 7]);
    expect(Array.from(s.dataMax!)).toEqual([5, 50, 7]);
    expect(s.inverseTransform(y)).toEqual(X);
  });

  test('featureRange, tensors in and out, transform of unseen rows', async () => {
    const s = sg.data.minMaxScaler({ featureRange: [-1, 1] });
    const xt = sg.tensor(X);
    const yt = s.fitTransform(xt);
    expectClose(await yt.data(), [-1, -0.6, -1, 0, 0.2, -1, 1, 1, -1, -0.5, -1, -1], { rtol: 1e-6, atol: 1e-6 }, 'scaled');
    expect(s.transform([[9, 100, 7]])).toEqual([[3, 3, -1]]);
    const back = s.inverseTransform(yt);
    expectClose(await back.data(), X.flat(), { rtol: 1e-6, atol: 1e-5 }, 'inverse');
    sg.dispose([xt, yt, back]);
  });

  test('a 1-D series (the y of a regression)', () => {
    const s = sg.data.minMaxScaler();
    expect(s.fitTransform([10, 20, 30])).toEqual([0, 0.5, 1]);
    expect(s.inverseTransform([0.25])).toEqual([15]);
  });

  test('bad input: NaN, ragged rows, wrong width, not fitted', () => {
    const s = sg.data.minMaxScaler();
    expect(() => s.transform(X)).toThrow(/minMaxScaler.transform: call fit first/);
    expect(() => s.fit([[1, 2], [NaN, 3]])).toThrow(/minMaxScaler.fit: NaN at row 1, column 0/);
    expect(() => s.fit([[1, 2], [3]])).toThrow(/ragged rows: row 1 has 1 values, row 0 has 2/);
    s.fit(X);
    expect(() => s.transform([[1, 2]])).toThrow(/fitted on 3 feature\(s\), got 2/);
    expect(() => sg.data.minMaxScaler({ featureRange: [1, 0] })).toThrow(/featureRange/);
    expect(() => s.fit([['a' as unknown as number, 1, 2]])).toThrow(/^minMaxScaler\.fit: row 0, column 0 is the string 'a'; expected numbers/);
    expect(() => s.fit(null as unknown as number[])).toThrow(/^minMaxScaler\.fit: expected arrays of numbers, a typed array or a tensor, got null/);
  });

  test('typed arrays: a Float32Array series and Float64Array rows give what arrays give', () => {
    const a = sg.data.standardScaler().fit(X);
    const b = sg.data.standardScaler().fit(X.map((r) => Float64Array.from(r)));
    expect(b.transform(X.map((r) => Float32Array.from(r)))).toEqual(a.transform(X));
    const c = sg.data.minMaxScaler();
    expect(c.fitTransform(Float32Array.from([10, 20, 30]))).toEqual([0, 0.5, 1]);
  });
});

describe('standardScaler', () => {
  test('zero mean, unit population std; constant column scales by 1', () => {
    const s = sg.data.standardScaler();
    const y = s.fitTransform(X) as number[][];
    for (let j = 0; j < 3; j++) {
      const col = y.map((r) => r[j]);
      const mean = col.reduce((a, b) => a + b) / col.length;
      const varp = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(varp).toBeCloseTo(j === 2 ? 0 : 1, 12);
    }
    // population std of [1,3,5,2] = sqrt(2.1875)
    expect(s.std![0]).toBeCloseTo(Math.sqrt(2.1875), 12);
    const back = s.inverseTransform(y) as number[][];
    back.flat().forEach((v, i) => expect(v).toBeCloseTo(X.flat()[i], 10));
  });
});

describe('trainTestSplit', () => {
  const x = Array.from({ length: 10 }, (_, i) => [i, i * 10]);
  const y = Array.from({ length: 10 }, (_, i) => i);

  test('ceil(testSize·n) test rows, rows stay paired, seeded shuffle is reproducible', () => {
    const [xTr, xTe, yTr, yTe] = sg.data.trainTestSplit(x, y, { testSize: 0.25, seed: 3 });
    expect(xTe.length).toBe(3);
    expect(xTr.length).toBe(7);
    xTr.forEach((r, i) => expect(r[0]).toBe(yTr[i]));
    xTe.forEach((r, i) => expect(r[0]).toBe(yTe[i]));
    expect([...yTr, ...yTe].sort((a, b) => a - b)).toEqual(y);
    const again = sg.data.trainTestSplit(x, y, { testSize: 0.25, seed: 3 });
    expect(again[3]).toEqual(yTe);
    expect(sg.data.trainTestSplit(x, y, { testSize: 0.25, seed: 4 })[3]).not.toEqual(yTe);
  });

  test('shuffle false keeps time order: the last rows are the test set', () => {
    const [, , yTr, yTe] = sg.data.trainTestSplit(x, y, { testSize: 0.2, shuffle: false });
    expect(yTr).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(yTe).toEqual([8, 9]);
  });

  test('tensors are split by rows; mismatched lengths are an error', async () => {
    const xt = sg.tensor(x);
    const [a, b] = sg.data.trainTestSplit(xt, { testSize: 3, shuffle: false });
    expect(a.shape).toEqual([7, 2]);
    expect(await b.array()).toEqual([[7, 70], [8, 80], [9, 90]]);
    sg.dispose([xt, a, b]);
    expect(() => sg.data.trainTestSplit(x, y.slice(1))).toThrow(/argument 1 has 9 rows, argument 0 has 10/);
    expect(() => sg.data.trainTestSplit(x, y, { testSize: 1.5 })).toThrow(/testSize/);
  });
});

/** The course notebook's temporalize, ported literally: windows of `lookback` rows, target at the window's last row. */
function temporalize(X: number[][], y: number[], lookback: number): [number[][][], number[]] {
  const outX: number[][][] = [];
  const outY: number[] = [];
  for (let i = 0; i < X.length - lookback + 1; i++) {
    const t: number[][] = [];
    for (let j = 0; j < lookback; j++) t.push(X[i + j]);
    outX.push(t);
    outY.push(y[i + lookback - 1]);
  }
  return [outX, outY];
}

describe('timeseriesWindows', () => {
  const series = Array.from({ length: 12 }, (_, i) => [i, 100 + i]);
  const target = Array.from({ length: 12 }, (_, i) => 1000 + i);

  test('horizon 0 equals temporalize', async () => {
    for (const steps of [1, 3, 5, 12]) {
      const w = sg.data.timeseriesWindows(series, target, steps);
      const [rx, ry] = temporalize(series, target, steps);
      expect(w.x.shape).toEqual([12 - steps + 1, steps, 2]);
      expect(await w.x.array()).toEqual(rx);
      expect(await w.y.array()).toEqual(ry);
      sg.dispose([w.x, w.y]);
    }
  });

  test('horizon h targets the row h steps after the window; 1-D series become one feature', async () => {
    const w = sg.data.timeseriesWindows([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60], 3, { horizon: 1 });
    expect(w.x.shape).toEqual([3, 3, 1]);
    expect(await w.y.array()).toEqual([40, 50, 60]);
    expect(await w.x.array()).toEqual([[[1], [2], [3]], [[2], [3], [4]], [[3], [4], [5]]]);
    sg.dispose([w.x, w.y]);
  });

  test('bad input', () => {
    expect(() => sg.data.timeseriesWindows([1, 2, 3], [1, 2, 3], 4)).toThrow(/window of 4 steps plus horizon 0 is longer than the series of 3 rows/);
    expect(() => sg.data.timeseriesWindows([1, 2, 3], [1, 2], 2)).toThrow(/x has 3 rows, y has 2/);
    expect(() => sg.data.timeseriesWindows([1, NaN, 3], [1, 2, 3], 2)).toThrow(/NaN at row 1, column 0/);
    expect(() => sg.data.timeseriesWindows([1, 2, 3], [1, 2, 3], 0)).toThrow(/timesteps must be a positive integer/);
  });
});

describe('oneHot, CSV and rows', () => {
  test('oneHot gives float32 rows; bad labels are errors', async () => {
    const t = sg.data.oneHot([0, 2, 1]);
    expect(t.dtype).toBe('float32');
    expect(await t.array()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    t.dispose();
    expect(() => sg.data.oneHot([0, 1.5])).toThrow(/label 1.5 at position 1/);
    expect(() => sg.data.oneHot([0, 3], 3)).toThrow(/label 3 at position 1 is not below numClasses 3/);
  });

  test('parseCsv handles quotes and empty cells; rowsToTensor checks every cell', async () => {
    const rows = sg.data.parseCsv('date,price,name\n2020-01-01,1.5,"a, b"\n2020-01-02,,c\n2020-01-03,2e1,"say ""hi"""\n');
    expect(rows).toEqual([
      { date: '2020-01-01', price: 1.5, name: 'a, b' },
      { date: '2020-01-02', price: null, name: 'c' },
      { date: '2020-01-03', price: 20, name: 'say "hi"' },
    ]);
    expect(() => sg.data.rowsToTensor(rows, ['price'])).toThrow(/row 1, column 'price' is null, not a number/);
    const t = sg.data.rowsToTensor(rows, ['price'], { dropMissing: true });
    expect(await t.array()).toEqual([[1.5], [20]]);
    t.dispose();
    expect(() => sg.data.parseCsv('a,b\n1\n')).toThrow(/line 2 has 1 cells, the header has 2/);
  });
});

describe.skipIf(!forwardBackends().includes('webgpu'))('scalers on webgpu tensors: computed on the device', () => {
  const rows = Array.from({ length: 37 }, (_, i) => [Math.sin(i) * 5, i % 7, 3, (i * 13) % 11 - 4]);
  const cases: [string, () => sg.data.MinMaxScaler | sg.data.StandardScaler][] = [
    ['minMaxScaler', () => sg.data.minMaxScaler({ featureRange: [-1, 2] })],
    ['standardScaler', () => sg.data.standardScaler()],
  ];

  test.each(cases)('%s: fit/transform/inverseTransform on webgpu match the float64 host fit; fitAsync fills the statistics', async (_, make) => {
    const ref = make().fit(rows);
    const expected = ref.transform(rows) as number[][];
    await onBackend('webgpu', async () => {
      const start = sg.memory().numTensors;
      const x = sg.tensor(rows);
      const s = make().fit(x);
      expect(s.scale).toBeNull();
      expect(() => s.transform(rows)).toThrow(/fitted on a 'webgpu' tensor, whose statistics stay on that backend.*fitAsync/);
      const y = s.transform(x);
      expectClose(await y.data(), expected.flat(), { rtol: 1e-5, atol: 1e-5 }, 'transform');
      const back = s.inverseTransform(y);
      expectClose(await back.data(), rows.flat(), { rtol: 1e-5, atol: 1e-5 }, 'inverse');
      const v = sg.tensor(rows.map((r) => r[0]));
      const vs = make().fit(v);
      const vy = vs.transform(v);
      expectClose(await vy.data(), (make().fit(rows.map((r) => r[0])).transform(rows.map((r) => r[0])) as number[]), { rtol: 1e-5, atol: 1e-5 }, '1-D');
      await s.fitAsync(x);
      expectClose(s.scale!, ref.scale!, { rtol: 1e-5, atol: 1e-6 }, 'scale');
      expectClose(s.offset!, ref.offset!, { rtol: 1e-5, atol: 1e-5 }, 'offset');
      expect(s.transform([rows[3]]) as number[][]).toHaveLength(1);
      const narrow = sg.tensor([[1, 2]]);
      expect(() => s.transform(narrow)).toThrow(/fitted on 4 feature\(s\), got a tensor of shape \[1,2\]/);
      sg.dispose([x, y, back, v, vy, narrow]);
      s.dispose();
      vs.dispose();
      expect(sg.memory().numTensors).toBe(start);
    });
  });

  test('fitAsync rejects non-finite values and keeps nothing', async () => {
    await onBackend('webgpu', async () => {
      const start = sg.memory().numTensors;
      const x = sg.tensor([[1, 2], [NaN, 3]]);
      const s = sg.data.standardScaler();
      await expect(s.fitAsync(x)).rejects.toThrow(/standardScaler.fit: the tensor of shape \[2,2\] holds non-finite values .* column 0/);
      expect(() => s.transform(x)).toThrow(/call fit first/);
      x.dispose();
      expect(sg.memory().numTensors).toBe(start);
    });
  });
});

test('standardScaler: a constant column whose mean does not round exactly still maps to 0', () => {
  const rows = Array.from({ length: 37 }, (_, i) => [i, 3]);
  const s = sg.data.standardScaler().fit(rows);
  expect(s.std![1]).toBe(0);
  expect(s.mean![1]).toBe(3);
  expect((s.transform(rows) as number[][]).map((r) => r[1])).toEqual(rows.map(() => 0));
});

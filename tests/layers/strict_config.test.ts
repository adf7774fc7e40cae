/**
 * Strict configs (unknown keys are errors naming the key and the right
 * spelling), Keras's positional forms, plain data in fit/predict/evaluate,
 * and fit's classWeight (against tfjs) / sampleWeight (against a hand-weighted mean).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
  await sg.setBackend('cpu');
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/* eslint-disable @typescript-eslint/no-explicit-any */
const any = (v: unknown): any => v;

describe('strict configs', () => {
  test.each([
    ['lstm', () => sg.layers.lstm(any({ units: 4, return_sequences: true })), /^layers\.lstm: unknown option 'return_sequences' \(did you mean 'returnSequences'\?\)/],
    ['dense', () => sg.layers.dense(any({ units: 4, input_shape: [3] })), /^layers\.dense: unknown option 'input_shape' \(did you mean 'inputShape'\?\)/],
    ['conv2d', () => sg.layers.conv2d(any({ filters: 2, kernel_size: 3 })), /did you mean 'kernelSize'/],
    ['dropout', () => sg.layers.dropout(any({ rate: 0.1, seeed: 1 })), /^layers\.dropout: unknown option 'seeed' \(did you mean 'seed'\?\)/],
    ['flatten', () => sg.layers.flatten(any({ data_format: 'channels_last' })), /^layers\.flatten: unknown option 'data_format'/],
    ['bidirectional', () => sg.layers.bidirectional(any({ layer: sg.layers.lstm(2), merge_mode: 'sum' })), /did you mean 'mergeMode'/],
    ['adam', () => sg.optimizers.adam(any({ lr: 0.1 })), /^optimizers\.adam: unknown option 'lr' \(did you mean 'learningRate'\?\)/],
    ['sgd', () => sg.optimizers.sgd(any({ learning_rate: 0.1 })), /did you mean 'learningRate'/],
    ['earlyStopping', () => sg.callbacks.earlyStopping(any({ restore_best_weights: true })), /^callbacks\.earlyStopping: .*'restoreBestWeights'/],
    ['modelCheckpoint', () => sg.callbacks.modelCheckpoint(any({ filepath: 'x', save_best_only: true })), /^callbacks\.modelCheckpoint: .*'saveBestOnly'/],
    ['regularizer', () => sg.regularizers.l2(any({ l: 1 })), /^regularizers\.l2: unknown option 'l'/],
    ['input', () => sg.input(any({ shape: [2], batch_shape: [null, 2] })), /^input: .*'batchShape'/],
    ['sequential', () => sg.sequential(any({ layers: [], nam: 'x' })), /^sequential: unknown option 'nam' \(did you mean 'name'\?\)/],
    ['trainTestSplit', () => sg.data.trainTestSplit([1, 2, 3, 4], any({ test_size: 0.5 })), /^trainTestSplit: unknown option 'test_size' \(did you mean 'testSize'\?\)/],
    ['timeseriesWindows', () => sg.data.timeseriesWindows([1, 2, 3], [1, 2, 3], 2, any({ horizn: 1 })), /^timeseriesWindows: unknown option 'horizn'/],
    ['minMaxScaler', () => sg.data.minMaxScaler(any({ feature_range: [0, 2] })), /^minMaxScaler: unknown option 'feature_range' \(did you mean 'featureRange'\?\)/],
    ['randomSearch', () => sg.tuner.randomSearch(any({ buildModel: () => null, objective: 'val_loss', maxTrials: 1, max_trials: 2 })), /^randomSearch: unknown option 'max_trials' \(did you mean 'maxTrials'\?\)/],
  ])('%s rejects an unknown key', (_, make, re) => {
    expect(make).toThrow(re);
  });

  test('compile, fit, evaluate and predict reject unknown keys; plain-object callbacks reject misspelt hooks', async () => {
    const m = sg.sequential([sg.layers.dense(1, { inputShape: [2] })]);
    expect(() => m.compile(any({ optimizer: 'sgd', loss: 'mse', loss_weights: [1] }))).toThrow(/\.compile: unknown option 'loss_weights'; known options: loss, metrics, optimizer$/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[1, 2], [3, 4]];
    const y = [1, 2];
    await expect(m.fit(x, y, any({ batch_size: 2 }))).rejects.toThrow(/\.fit: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/);
    await expect(m.fit(x, y, any({ epoch: 2 }))).rejects.toThrow(/did you mean 'epochs'/);
    await expect(m.fit(x, y, { verbose: 0, callbacks: any({ onEpochEnds: () => {} }) })).rejects.toThrow(/callbacks\[0\]: unknown option 'onEpochEnds' \(did you mean 'onEpochEnd'\?\)/);
    await expect(m.evaluate(x, y, any({ batch_size: 2 }))).rejects.toThrow(/\.evaluate: unknown option 'batch_size'/);
    expect(() => m.predict(x, any({ batch_size: 2 }))).toThrow(/\.predict: unknown option 'batch_size'/);
    m.dispose();
  });

  test('positional forms as Keras: dense(64), dropout(0.4), conv2d(8, 3), lstm(4, {...}), l1(0.5)', () => {
    const d = sg.layers.dense(64, { activation: 'relu' });
    expect([d.units, d.activationName]).toEqual([64, 'relu']);
    expect(sg.layers.dropout(0.4).rate).toBe(0.4);
    const c = sg.layers.conv2d(8, 3, { padding: 'same' });
    expect([c.filters, c.kernelSize, c.padding]).toEqual([8, [3, 3], 'same']);
    expect(sg.layers.lstm(4, { returnSequences: true }).getConfig()).toMatchObject({ units: 4, return_sequences: true });
    expect(sg.regularizers.l1(0.5).getConfig()).toEqual({ l1: 0.5, l2: 0 });
    expect(sg.regularizers.l2(0.25).getConfig()).toEqual({ l1: 0, l2: 0.25 });
    expect(sg.regularizers.l1l2(0.1, 0.2).getConfig()).toEqual({ l1: 0.1, l2: 0.2 });
    expect(sg.regularizers.l1().getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(sg.optimizers.adam(0.01).learningRate).toBe(0.01);
    expect(() => sg.layers.dense(4, { units: 5 } as any)).toThrow(/^layers\.dense: 'units' given both/);
    expect(() => sg.layers.flatten(3 as any)).toThrow(/^layers\.flatten: expected a config object, got 3/);
    expect(() => sg.layers.dense(1, 2 as any)).toThrow(/^layers\.dense: takes at most 1 positional value\(s\) \(units\)/);
  });
});

describe('plain data', () => {
  test('nested arrays, typed arrays and y of shape [n] train like tensors', async () => {
    const xs = [[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2]];
    const ys = xs.map(([a, b]) => a - 2 * b);
    const run = async (x: any, y: any): Promise<{ loss: number[]; pred: number[] }> => {
      sg.setSeed(1);
      const m = sg.sequential([sg.layers.dense(1, { inputShape: [2] })]);
      m.compile({ optimizer: sg.optimizers.sgd(0.05), loss: 'mse' });
      const h = await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
      const p = m.predict(x) as sg.Tensor;
      const ev = (await m.evaluate(x, y)) as sg.Tensor;
      const out = { loss: [...(h.history.loss as number[]), (await ev.data())[0]], pred: Array.from(await p.data()) };
      sg.dispose([p, ev]);
      m.dispose();
      return out;
    };
    const tx = sg.tensor(xs);
    const ty = sg.tensor(ys, [ys.length, 1]);
    const ref = await run(tx, ty);
    sg.dispose([tx, ty]);
    expect(await run(xs, ys)).toEqual(ref);
    expect(await run(new Float32Array(xs.flat()), new Float32Array(ys))).toEqual(ref);
    expect(await run(xs.map((r) => Float32Array.from(r)), ys.map((v) => [v]))).toEqual(ref);
  });

  test('dict inputs keyed by input name; clear errors for null, strings and unknown names', async () => {
    const a = sg.input({ shape: [2], name: 'a' });
    const b = sg.input({ shape: [1], name: 'b' });
    const m = sg.model({ inputs: [a, b], outputs: sg.layers.dense(1).apply(sg.layers.concatenate().apply([a, b])) as sg.SymbolicTensor });
    const xa = [[1, 2], [3, 4]];
    const xb = [[5], [6]];
    const p1 = m.predict({ b: xb, a: xa }) as sg.Tensor;
    const p2 = m.predict([xa, xb]) as sg.Tensor;
    expect(Array.from(await p1.data())).toEqual(Array.from(await p2.data()));
    sg.dispose([p1, p2]);
    expect(() => m.predict({ a: xa, c: xb })).toThrow(/\.predict: x has key 'c', which is not a model input name; names: a, b/);
    expect(() => m.predict({ a: xa })).toThrow(/\.predict: x has no value for 'b'/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(null as any, [1, 2])).rejects.toThrow(/\.fit: x is null; expected a tensor/);
    expect(() => m.predict('hello' as any)).toThrow(/\.predict: x is the string 'hello'; expected a tensor/);
    expect(() => m.predict([xa, [['z'], [1]]] as any)).toThrow(/\.predict: x\[1\]\[0\]\[0\] is the string 'z'/);
    m.dispose();
  });
});

describe('fit weights', () => {
  const n = 12;
  const x = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 1.3)]);
  const cls = Array.from({ length: n }, (_, i) => i % 3);
  const yOneHot = cls.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));

  test('classWeight matches tfjs fit with classWeight', async () => {
    const classWeight = { 0: 1, 1: 3, 2: 0.5 };
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    const sm = sg.sequential([sg.layers.dense(3, { inputShape: [2], activation: 'softmax' })]);
    const w = tm.getWeights();
    const ours = await Promise.all(w.map(async (t: any) => sg.tensor(Array.from(await t.data()), t.shape)));
    sm.setWeights(ours);
    sg.dispose(ours);
    tm.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    sm.compile({ optimizer: sg.optimizers.sgd(0.5), loss: 'categoricalCrossentropy' });
    const [tx, ty] = [tf.tensor(x), tf.tensor(yOneHot)];
    const th = await tm.fit(tx, ty, { epochs: 3, batchSize: 5, shuffle: false, classWeight, verbose: 0 });
    const sh = await sm.fit(x, yOneHot, { epochs: 3, batchSize: 5, shuffle: false, classWeight, verbose: 0 });
    tf.dispose([tx, ty]);
    tm.dispose();
    sm.dispose();
    (th.history.loss as number[]).forEach((l, i) => expect(sh.history.loss[i]).toBeCloseTo(l, 5));
  });

  test('sampleWeight weighs each sample loss: mean(w·loss), checked by hand on one full-batch step', async () => {
    const y = x.map(([a, b]) => a + b);
    const sw = Array.from({ length: n }, (_, i) => (i % 4) + 0.5);
    const m = sg.sequential([sg.layers.dense(1, { inputShape: [2] })]);
    m.compile({ optimizer: sg.optimizers.sgd(0.1), loss: 'mse' });
    // One full batch: the epoch loss is the loss at the weights before the step.
    const predict = async (): Promise<number[]> => {
      const p = m.predict(x) as sg.Tensor;
      const v = Array.from(await p.data());
      p.dispose();
      return v;
    };
    let pred = await predict();
    const expected = pred.reduce((s, v, i) => s + sw[i] * (v - y[i]) ** 2, 0) / n;
    const h = await m.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, sampleWeight: sw, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(expected, 5);
    // classWeight and sampleWeight multiply.
    const yb = y.map((v) => (v > 0 ? 1 : 0));
    pred = await predict();
    const e2 = pred.reduce((s, v, i) => s + sw[i] * (yb[i] === 0 ? 2 : 1) * (v - yb[i]) ** 2, 0) / n;
    const h2 = await m.fit(x, yb, { epochs: 1, batchSize: n, shuffle: false, sampleWeight: new Float32Array(sw), classWeight: { 0: 2, 1: 1 }, verbose: 0 });
    expect(h2.history.loss[0]).toBeCloseTo(e2, 5);
    expect(Math.abs(e2 - pred.reduce((s, v, i) => s + (v - yb[i]) ** 2, 0) / n)).toBeGreaterThan(1e-3);
    // Two outputs: weights for one, keyed by output name; the other stays unweighted.
    const inp = sg.input({ shape: [2] });
    const o1 = sg.layers.dense(1, { name: 'o1' }).apply(inp) as sg.SymbolicTensor;
    const o2 = sg.layers.dense(1, { name: 'o2' }).apply(inp) as sg.SymbolicTensor;
    const two = sg.model({ inputs: inp, outputs: [o1, o2] });
    two.compile({ optimizer: sg.optimizers.sgd(0.1), loss: 'mse' });
    const [p1, p2] = two.predict(x) as sg.Tensor[];
    const [v1, v2] = [Array.from(await p1.data()), Array.from(await p2.data())];
    sg.dispose([p1, p2]);
    const h3 = await two.fit(x, { o1: y, o2: yb }, { epochs: 1, batchSize: n, shuffle: false, sampleWeight: { o1: sw }, verbose: 0 });
    expect(h3.history.o1_loss[0]).toBeCloseTo(v1.reduce((s, v, i) => s + sw[i] * (v - y[i]) ** 2, 0) / n, 5);
    expect(h3.history.o2_loss[0]).toBeCloseTo(v2.reduce((s, v, i) => s + (v - yb[i]) ** 2, 0) / n, 5);
    await expect(two.fit(x, [y, yb], { sampleWeight: { o3: sw }, verbose: 0 })).rejects.toThrow(/\.fit: sampleWeight has key 'o3', which is not an output name; outputs: o1, o2/);
    two.dispose();
    await expect(m.fit(x, y, { sampleWeight: [1, 2], verbose: 0 })).rejects.toThrow(/\.fit: sampleWeight needs one weight per sample, shape \[12\], got \[2\]/);
    await expect(m.fit(x, yb, { classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(/\.fit: classWeight has no weight for class 1/);
    m.dispose();
  });
});

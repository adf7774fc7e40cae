/**
 * Model structure against TensorFlow.js: summary() (per-layer output shapes,
 * parameter counts, connections, totals), countParams(), default layer names;
 * and the errors bad configurations raise (naming the layer and the shapes,
 * leaving no tensors behind).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/* eslint-disable @typescript-eslint/no-explicit-any */
type Lib = any;

const mnistCnn = (L: Lib): any =>
  L.sequential({
    layers: [
      L.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.layers.maxPooling2d({ poolSize: 2 }),
      L.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.layers.maxPooling2d({ poolSize: 2 }),
      L.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.layers.maxPooling2d({ poolSize: 2 }),
      L.layers.flatten(),
      L.layers.dense({ units: 64, activation: 'relu' }),
      L.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });

const lstmStack = (L: Lib): any =>
  L.sequential({
    layers: [L.layers.lstm({ units: 32, returnSequences: true, inputShape: [5, 1] }), L.layers.lstm({ units: 16 }), L.layers.dense({ units: 1 })],
  });

const twoInTwoOut = (L: Lib): any => {
  const a = L.input({ shape: [3], name: 'in_a' });
  const b = L.input({ shape: [2], name: 'in_b' });
  const ha = L.layers.dense({ units: 4, name: 'dense_a' }).apply(a);
  const h = L.layers.concatenate({ name: 'cat' }).apply([ha, b]);
  const o1 = L.layers.dense({ units: 1, name: 'out_1' }).apply(h);
  const o2 = L.layers.dense({ units: 2, name: 'out_2' }).apply(h);
  return L.model({ inputs: [a, b], outputs: [o1, o2] });
};

const convRnn = (L: Lib): any =>
  L.sequential({
    layers: [
      L.layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [10, 2] }),
      L.layers.globalMaxPooling1d(),
      L.layers.dense({ units: 3 }),
      L.layers.reshape({ targetShape: [3, 1] }),
      L.layers.gru({ units: 2, resetAfter: false, recurrentActivation: 'sigmoid' }),
      L.layers.batchNormalization(),
      L.layers.dense({ units: 1 }),
    ],
  });

interface Row {
  shape: string;
  params: number;
  conns: string[];
}

/** tfjs's summary rows: output shape ([null,…] → (None, …)), params, "Receives inputs". */
function tfRows(lines: string[]): { rows: Row[]; total: number } {
  const rows: Row[] = [];
  let total = -1;
  for (const l of lines) {
    const m = /(\[null(?:,\d+)*\])\s+(\d+)(?:\s+(\S+))?\s*$/.exec(l);
    if (m) {
      const dims = m[1].slice(1, -1).split(',').map((d) => (d === 'null' ? 'None' : d));
      rows.push({ shape: `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`, params: Number(m[2]), conns: m[3] ? [m[3]] : [] });
    } else if (/^\s+\S+\[\d+\]\[\d+\]\s*$/.test(l)) rows[rows.length - 1].conns.push(l.trim());
    const t = /^Total params: ([\d,]+)/.exec(l);
    if (t) total = Number(t[1].replace(/,/g, ''));
  }
  return { rows, total };
}

/** Our summary rows. */
function sgRows(lines: string[]): { rows: Row[]; total: number } {
  const rows: Row[] = [];
  let total = -1;
  for (const l of lines) {
    const m = /(\((?:None|\d+)(?:, \d+)*,?\))\s+([\d,]+)(?:\s+(\S+))?\s*$/.exec(l);
    if (m) rows.push({ shape: m[1], params: Number(m[2].replace(/,/g, '')), conns: m[3] ? [m[3]] : [] });
    else if (/^\s+\S+\[\d+\]\[\d+\]\s*$/.test(l)) rows[rows.length - 1].conns.push(l.trim());
    const t = /^Total params: ([\d,]+)/.exec(l);
    if (t) total = Number(t[1].replace(/,/g, ''));
  }
  return { rows, total };
}

function compareSummary(build: (L: Lib) => any): { lines: string[]; model: sg.LayersModel } {
  const tm = build(tf);
  const sm = build(sg) as sg.LayersModel;
  const tl: string[] = [];
  tm.summary(undefined, undefined, (...a: unknown[]) => tl.push(a.join(' ')));
  const sl: string[] = [];
  sm.summary((l) => sl.push(l));
  const theirs = tfRows(tl);
  const ours = sgRows(sl);
  // tfjs lists the InputLayers of functional models too, as we do.
  expect(ours.rows.length).toBe(sm.layers.length);
  expect(ours.rows).toEqual(theirs.rows);
  expect(ours.total).toBe(theirs.total);
  expect(sm.countParams()).toBe(tm.countParams());
  sm.layers.forEach((l, i) => expect(l.countParams()).toBe(tm.layers[i].countParams()));
  tm.dispose();
  return { lines: sl, model: sm };
}

describe('summary and countParams match tfjs', () => {
  test('MNIST CNN: 60,554 parameters', () => {
    const { lines, model } = compareSummary(mnistCnn);
    expect(lines).toContain('Total params: 60,554');
    expect(lines).toContain('Trainable params: 60,554');
    expect(lines).toContain('Non-trainable params: 0');
    expect(lines[0]).toMatch(/^Model: "sequential(_\d+)?"$/);
    // Keras layout: name (type), output shape, params.
    expect(lines.find((l) => l.includes('(Conv2D)'))).toMatch(/^conv2d(_\d+)? \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320$/);
    expect(lines.find((l) => l.startsWith('dense') && l.includes('(None, 64)'))).toMatch(/\s4,160$/);
    expect(model.countParams()).toBe(60554);
    model.dispose();
  });

  test('LSTM(32, returnSequences) → LSTM(16) → Dense(1): 7,505 parameters', () => {
    const { lines, model } = compareSummary(lstmStack);
    expect(lines).toContain('Total params: 7,505');
    expect(model.countParams()).toBe(7505);
    model.dispose();
  });

  test('functional two-input / two-output model with connections', () => {
    const { lines, model } = compareSummary(twoInTwoOut);
    expect(lines.some((l) => /^cat \(Concatenate\)\s+\(None, 6\)\s+0\s+dense_a\[0\]\[0\]$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\s+in_b\[0\]\[0\]$/.test(l))).toBe(true);
    expect(model.countParams()).toBe(16 + 7 + 14);
    model.dispose();
  });

  test('conv1d, global pooling, reshape, GRU, batch norm: trainable vs non-trainable', () => {
    const { lines, model } = compareSummary(convRnn);
    const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
    expect(nonTrainable).toBe(4); // moving mean and variance of 2 units
    expect(lines).toContain(`Non-trainable params: ${nonTrainable}`);
    model.dispose();
  });

  test('Dense on a 3-D input applies to the last axis (legal, as in Keras)', () => {
    const { lines, model } = compareSummary((L) => L.sequential({ layers: [L.layers.dense({ units: 3, inputShape: [4, 5] }), L.layers.flatten(), L.layers.dense({ units: 2 })] }));
    expect(lines.some((l) => /\(None, 4, 3\)\s+18$/.test(l))).toBe(true);
    model.dispose();
  });

  test('default layer names follow Keras (conv2d, max_pooling2d, simple_rnn)', () => {
    const names = [sg.layers.conv2d({ filters: 1, kernelSize: 1 }), sg.layers.maxPooling2d({}), sg.layers.simpleRNN({ units: 1 }), sg.layers.batchNormalization(), sg.layers.globalAveragePooling1d()].map((l) => l.name.replace(/_\d+$/, ''));
    expect(names).toEqual(['conv2d', 'max_pooling2d', 'simple_rnn', 'batch_normalization', 'global_average_pooling1d']);
  });

  test('summary of an unbuilt Sequential explains what to do', () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 2 })] });
    expect(() => m.summary(() => undefined)).toThrow(/not built yet.*inputShape/);
  });
});

describe('bad configurations throw informative errors and leak nothing', () => {
  /** Runs f (which must throw a message matching every pattern) and checks numTensors. */
  async function expectError(f: () => unknown, ...patterns: RegExp[]): Promise<void> {
    const before = sg.memory().numTensors;
    let err: Error | null = null;
    try {
      await f();
    } catch (e) {
      err = e as Error;
    }
    expect(err, 'expected an error').not.toBeNull();
    for (const p of patterns) expect(err!.message).toMatch(p);
    expect(sg.memory().numTensors).toBe(before);
  }

  test('Conv2D on a 2-D input', async () => {
    await expectError(() => sg.sequential({ layers: [sg.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [4], name: 'my_conv' })] }), /my_conv/, /\[null,\s*4\]|\(None, 4\)|null,4/);
  });

  test('Flatten → LSTM', async () => {
    await expectError(
      () => sg.sequential({ layers: [sg.layers.flatten({ inputShape: [3, 4] }), sg.layers.lstm({ units: 2, name: 'my_lstm' })] }),
      /my_lstm/,
      /\[null,12\]/,
    );
  });

  test('concatenate of mismatched shapes', async () => {
    const a = sg.input({ shape: [3, 4] });
    const b = sg.input({ shape: [2, 5] });
    await expectError(() => sg.layers.concatenate({ name: 'my_cat' }).apply([a, b]), /my_cat/, /3,\s*4|3, 4/, /2,\s*5|2, 5/);
  });

  test('unknown loss, optimizer or metric; fit/evaluate before compile', async () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
    await expectError(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredErr' }), /sequential.*\.compile: unknown loss 'meanSquaredErr'/, /meanSquaredError/);
    await expectError(() => m.compile({ optimizer: 'adamx', loss: 'mse' }), /\.compile: unknown optimizer 'adamx'/);
    await expectError(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['precisoin'] }), /unknown metric 'precisoin'/);
    const x = sg.zeros([4, 2]);
    const y = sg.zeros([4, 1]);
    await expectError(() => m.fit(x, y), /sequential.*\.fit: call compile\(\) first/);
    await expectError(() => m.evaluate(x, y), /compile\(\) first/);
    sg.dispose([x, y]);
    m.dispose();
  });

  test('x / y sample-count mismatch, wrong target shape, wrong input shape to predict', async () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2], name: 'my_dense' })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = sg.zeros([4, 2]);
    const y3 = sg.zeros([3, 1]);
    const y2 = sg.zeros([4, 2]);
    const bad = sg.zeros([4, 3]);
    const y1 = sg.zeros([4, 1]);
    await m.fit(x, y1, { verbose: 0 }); // the optimizer's slots exist from here on
    const before = sg.memory().numTensors;
    await expectError(() => m.fit(x, y3, { verbose: 0 }), /3 samples/, /4/);
    await expectError(() => m.fit(x, y2, { verbose: 0, validationSplit: 0.5 }), /y\[0\] has shape \[4,2\] but output 'my_dense' has shape \[null,1\]; meanSquaredError needs targets shaped like the output/);
    await expectError(() => m.evaluate(x, y3), /3 samples/);
    await expectError(() => m.predict(bad), /expects shape \[null,2\]/, /\[4,3\]/);
    await expectError(() => m.fit(bad, y3), /expects shape/);
    expect(sg.memory().numTensors).toBe(before);
    sg.dispose([x, y1, y3, y2, bad]);
    m.dispose();
  });

  test('a callback that throws ends fit without leaking', async () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
    const x = sg.ones([10, 2]);
    const y = sg.ones([10, 1]);
    await m.fit(x, y, { verbose: 0, batchSize: 5 });
    await expectError(
      () => m.fit(x, y, { verbose: 0, batchSize: 3, validationSplit: 0.2, epochs: 3, callbacks: { onBatchEnd: (b) => { if (b === 1) throw new Error('boom'); } } }),
      /boom/,
    );
    await expectError(() => m.fit(x, y, { verbose: 1, batchSize: 3, epochs: 3, callbacks: { onEpochEnd: () => { throw new Error('epoch boom'); } } }), /epoch boom/);
    sg.dispose([x, y]);
    m.dispose();
  });
});

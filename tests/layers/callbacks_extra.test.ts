/**
 * reduceLROnPlateau (scripted epochs, hand-checked against Keras 3's rule,
 * and inside fit), learningRateScheduler (the rates fit uses equal a manual
 * epoch-by-epoch run) and csvLogger (file contents vs history).
 */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';

let start = 0;
beforeAll(async () => { await sg.setBackend('cpu'); });
beforeEach(() => { start = sg.memory().numTensors; });
afterEach(() => { expect(sg.memory().numTensors).toBe(start); });

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out.push(Math.fround(s / 2 ** 32 * 2 - 1)); }
  return out;
}

function smallModel(lr = 0.1, weights?: number[][]): sg.LayersModel {
  const m = sg.sequential({ layers: [sg.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), sg.layers.dense({ units: 1 })] });
  if (weights) {
    const ts = m.weights.map((w, i) => sg.tensor(weights[i], w.shape));
    m.setWeights(ts);
    sg.dispose(ts);
  }
  m.compile({ optimizer: sg.optimizers.sgd(lr), loss: 'mse', metrics: ['mae'] });
  return m;
}

function data(): { x: sg.Tensor; y: sg.Tensor } {
  const x = sg.tensor(rand(40, 5), [20, 2]);
  const y = sg.tidy(() => sg.sum(sg.mul(x, sg.tensor([0.7, -0.4])), 1, true));
  return { x, y };
}

describe('reduceLROnPlateau', () => {
  it('follows Keras 3 on a scripted val_loss sequence (patience 2, factor 0.5, cooldown 1, minLr 0.02)', () => {
    const m = smallModel(0.1);
    const cb = sg.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02, minDelta: 0 });
    cb.setModel(m);
    cb.onTrainBegin();
    const losses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    const lrs: number[] = [];
    losses.forEach((v, e) => { cb.onEpochEnd(e, { loss: v, val_loss: v }); lrs.push(m.optimizer!.learningRate); });
    // e2, e3: two epochs without beating 0.9 → 0.05, cooldown 1. e4: cooldown ends, wait 1. e5 improves.
    // e6, e7 → 0.025. e8 cooldown, wait 1; e9 → max(0.0125, minLr) = 0.02; then it stays at minLr.
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02]);
    m.dispose();
  });

  it("mode 'auto' maximises accuracy; minDelta counts", () => {
    const m = smallModel(1);
    const cb = sg.callbacks.reduceLROnPlateau({ monitor: 'val_accuracy', patience: 1, minDelta: 0.05 });
    expect(cb.mode).toBe('max');
    cb.setModel(m);
    cb.onTrainBegin();
    cb.onEpochEnd(0, { val_accuracy: 0.5 });
    cb.onEpochEnd(1, { val_accuracy: 0.54 }); // +0.04 < minDelta: no improvement → ×0.1
    expect(m.optimizer!.learningRate).toBeCloseTo(0.1, 12);
    cb.onEpochEnd(2, { val_accuracy: 0.6 }); // +0.1 over the best 0.5: improvement
    expect(m.optimizer!.learningRate).toBeCloseTo(0.1, 12);
    m.dispose();
  });

  it('inside fit: with every epoch after the first a plateau, the rate falls by factor each epoch', async () => {
    const { x, y } = data();
    const m = smallModel(0.1);
    const seen: number[] = [];
    const logged: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 4, batchSize: 10, verbose: 0, validationData: [x, y],
      callbacks: [sg.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 1, minDelta: 1e9 }), { onEpochEnd: (_e, logs) => { seen.push(m.optimizer!.learningRate); logged.push(logs!.learning_rate); } }],
    });
    expect(h.history.val_loss).toHaveLength(4);
    expect(seen).toEqual([0.1, 0.05, 0.025, 0.0125]);
    // Keras logs the rate each epoch ran with.
    expect(logged).toEqual([0.1, 0.1, 0.05, 0.025]);
    sg.dispose([x, y]);
    m.dispose();
  });

  it('errors', async () => {
    expect(() => sg.callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(/reduceLROnPlateau: factor must be in \(0, 1\)/);
    expect(() => sg.callbacks.reduceLROnPlateau({ min_lr: 0.1 } as never)).toThrow(/reduceLROnPlateau: unknown option 'min_lr' \(did you mean 'minLr'/);
    const { x, y } = data();
    const m = smallModel();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.reduceLROnPlateau()] })).rejects.toThrow(/'val_loss' is not in the epoch logs \(loss, mae\)/);
    sg.dispose([x, y]);
    m.dispose();
  });
});

describe('learningRateScheduler', () => {
  it('fit with a schedule equals fitting epoch by epoch with those rates set by hand', async () => {
    const { x, y } = data();
    const w0 = [rand(6, 1), rand(3, 2), rand(3, 3), rand(1, 4)];
    const schedule = (epoch: number, lr: number): number => (epoch === 0 ? lr : lr * 0.5);
    const a = smallModel(0.2, w0);
    const seen: number[] = [];
    await a.fit(x, y, { epochs: 4, batchSize: 5, shuffle: false, verbose: 0, callbacks: [sg.callbacks.learningRateScheduler(schedule), { onEpochBegin: () => { seen.push(a.optimizer!.learningRate); } }] });
    expect(seen).toEqual([0.2, 0.1, 0.05, 0.025]);
    const b = smallModel(0.2, w0);
    for (let e = 0; e < 4; e++) {
      b.optimizer!.learningRate = seen[e];
      await b.fit(x, y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    }
    const wa = a.getWeights(), wb = b.getWeights();
    for (let i = 0; i < wa.length; i++) expect(Array.from(await wa[i].data())).toEqual(Array.from(await wb[i].data()));
    // The one-argument form (Keras: schedule(epoch)) and the options form.
    const c = smallModel(0.2, w0);
    await c.fit(x, y, { epochs: 2, verbose: 0, callbacks: sg.callbacks.learningRateScheduler({ schedule: (e: number) => 0.01 * (e + 1) }) });
    expect(c.optimizer!.learningRate).toBe(0.02);
    sg.dispose([x, y, ...wa, ...wb]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('a schedule returning a non-number stops fit with the epoch named', async () => {
    const { x, y } = data();
    const m = smallModel();
    await expect(m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [sg.callbacks.learningRateScheduler((e) => (e === 1 ? Number.NaN : 0.1))] })).rejects.toThrow(/learningRateScheduler: the schedule must return a finite non-negative number, got NaN at epoch 1/);
    expect(() => sg.callbacks.learningRateScheduler(0.1 as never)).toThrow(/schedule must be a function/);
    sg.dispose([x, y]);
    m.dispose();
  });
});

describe('csvLogger', () => {
  it('writes epoch + sorted keys, one row per epoch, the numbers of history; append adds rows without a header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-csv-'));
    try {
      const file = join(dir, 'log.csv');
      const { x, y } = data();
      const m = smallModel();
      const h = await m.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: [sg.callbacks.csvLogger({ filename: file })] });
      const lines = readFileSync(file, 'utf8').split('\r\n');
      expect(lines[0]).toBe('epoch,loss,mae,val_loss,val_mae');
      expect(lines.length).toBe(5); // header, 3 rows, '' after the last \r\n
      for (let e = 0; e < 3; e++) {
        const cells = lines[e + 1].split(',');
        expect(cells[0]).toBe(String(e));
        expect(cells.slice(1).map(Number)).toEqual(['loss', 'mae', 'val_loss', 'val_mae'].map((k) => h.history[k][e]));
      }
      // append: no second header; without validation the val_ columns are NA (Keras).
      const file2 = join(dir, 'log2.csv');
      await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.csvLogger({ filename: file2, separator: ';' })] });
      await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [sg.callbacks.csvLogger({ filename: file2, separator: ';', append: true })] });
      const l2 = readFileSync(file2, 'utf8').split('\r\n');
      expect(l2[0]).toBe('epoch;loss;mae;val_loss;val_mae');
      expect(l2.slice(1, 4).map((l) => l.split(';')[0])).toEqual(['0', '0', '1']);
      expect(l2.slice(1, 4).every((l) => l.endsWith(';NA;NA'))).toBe(true);
      // Without append the file starts over.
      await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.csvLogger({ filename: file2 })] });
      expect(readFileSync(file2, 'utf8').split('\r\n').length).toBe(3);
      sg.dispose([x, y]);
      m.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('errors name the file and the option', async () => {
    expect(() => sg.callbacks.csvLogger({ filename: '' })).toThrow(/csvLogger: filename must be a non-empty string/);
    expect(() => sg.callbacks.csvLogger({ filename: 'a.csv', sep: ';' } as never)).toThrow(/csvLogger: unknown option 'sep'/);
    const { x, y } = data();
    const m = smallModel();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.csvLogger({ filename: join(tmpdir(), 'no-such-dir-sg', 'x', 'log.csv') })] })).rejects.toThrow(/csvLogger: cannot write .*no-such-dir-sg.*log\.csv/);
    sg.dispose([x, y]);
    m.dispose();
  });
});

/**
 * fit never fails silently and never loses a run: a non-finite loss is
 * reported once (epoch and batch), terminateOnNaN stops training there, and
 * backupAndRestore resumes an interrupted fit where its last backup was taken,
 * ending with the weights an uninterrupted run reaches.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { rand } from './recurrent_helpers.js';

let start = 0;
let dirs: string[] = [];
beforeEach(() => {
  start = sg.memory().numTensors;
  dirs = [];
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  expectNoLeak(start, 'test');
});

const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sg-backup-'));
  dirs.push(d);
  return d;
};

const N = 40;
const XV = rand(N * 3, 11, 1);
const YV = XV.filter((_, i) => i % 3 === 0).map((v, i) => v * 0.7 - XV[i * 3 + 1] * 0.3 + 0.1);

/** A small regressor with fixed initial weights (`init` picks one of two sets). */
function makeModel(init = 0, optimizer: () => sg.optimizers.Optimizer = () => sg.optimizers.adam(0.02)): sg.LayersModel {
  const m = sg.sequential({ layers: [sg.layers.dense({ units: 6, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
  const ws = m.weights.map((w, i) => sg.tensor(rand(w.size, 100 + 10 * init + i, 0.5), w.shape));
  m.setWeights(ws);
  sg.dispose(ws);
  m.compile({ optimizer: optimizer(), loss: 'mse' });
  return m;
}

async function weightsOf(m: sg.LayersModel): Promise<number[][]> {
  return Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
}

function data(nanAt?: number): { x: sg.Tensor; y: sg.Tensor } {
  const xv = [...XV];
  if (nanAt !== undefined) xv[nanAt * 3 + 1] = NaN;
  return { x: sg.tensor(xv, [N, 3]), y: sg.tensor(YV, [N, 1]) };
}

describe('non-finite loss', () => {
  test('NaN in x: fit warns once, naming the epoch and batch', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = makeModel();
    const { x, y } = data(17); // batch 2 of size 8
    const h = await m.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    const calls = warn.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('loss is'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/fit: the loss is NaN in epoch 1 at batch 2 \(0-based\).*terminateOnNaN/);
    sg.dispose([x, y]);
    m.dispose();
  });

  test('a learning rate of 1e6 is reported too', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = makeModel(0, () => sg.optimizers.sgd(1e6));
    const { x, y } = data();
    await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const calls = warn.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('loss is'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/the loss is (NaN|Infinity) in epoch 1 at batch \d+/);
    sg.dispose([x, y]);
    m.dispose();
  });

  test('terminateOnNaN stops fit at the first non-finite batch (the step already queued behind it has run)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = makeModel();
    const { x, y } = data(17);
    const stop = sg.callbacks.terminateOnNaN();
    const seen: number[] = [];
    const h = await m.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0, callbacks: [stop, { onEpochEnd: (e) => void seen.push(e) }] });
    expect(stop.stoppedAt).toEqual({ epoch: 0, batch: 2 });
    expect(h.epoch).toEqual([0]);
    expect(seen).toEqual([0]);
    expect(Number.isNaN(h.history.loss[0])).toBe(true);
    // Without it, the same fit runs all its epochs.
    const m2 = makeModel();
    const h2 = await m2.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 });
    expect(h2.epoch).toHaveLength(5);
    sg.dispose([x, y]);
    m.dispose();
    m2.dispose();
  });
});

describe('backupAndRestore', () => {
  const boom = (when: (epoch: number, batch?: number) => boolean, hook: 'onEpochEnd' | 'onBatchEnd') => {
    let epoch = 0;
    return {
      onEpochBegin: (e: number) => void (epoch = e),
      [hook]: (i: number) => {
        if (hook === 'onEpochEnd' ? when(i) : when(epoch, i)) throw new Error('interrupted');
      },
    };
  };

  // 5 batches per epoch. Every N steps: the k-th save follows step k·N overall, so with N = 3 the
  // saves hold epoch 1 step 3, epoch 2 steps 1 and 4, epoch 3 step 2; interrupted after epoch 3's
  // 4th step, the rerun resumes at epoch 3 (index 2) after 2 steps. With N = 4: epoch 1 step 4,
  // epoch 2 step 3 (that save runs before the interruption at the same batch).
  test.each([
    ['each epoch, interrupted after epoch 3 (shuffle: false)', 'epoch' as const, false, boom((e) => e === 2, 'onEpochEnd'), 3, 0],
    ['every 3 steps, interrupted in epoch 3 at batch 3 (shuffle: false)', 3, false, boom((e, b) => e === 2 && b === 3, 'onBatchEnd'), 2, 2],
    ['every 4 steps with a seeded shuffle, interrupted in epoch 2', 4, true, boom((e, b) => e === 1 && b === 2, 'onBatchEnd'), 1, 3],
  ] as const)('%s: the rerun resumes there and ends with the uninterrupted run’s weights', async (_, saveFreq, shuffle, crasher, wantEpoch, wantBatch) => {
    const dir = join(tmp(), 'bk');
    const { x, y } = data();
    const args = { epochs: 5, batchSize: 8, shuffle, seed: 7, verbose: 0 };
    const ref = makeModel();
    const hRef = await ref.fit(x, y, args);
    const want = await weightsOf(ref);

    const first = makeModel();
    await expect(first.fit(x, y, { ...args, callbacks: [sg.callbacks.backupAndRestore({ backupDir: dir, saveFreq }), crasher] })).rejects.toThrow('interrupted');
    expect(existsSync(join(dir, 'backup.sgbk'))).toBe(true);

    // "The same script run again": a new model (other initial weights, a fresh optimizer).
    const again = makeModel(1);
    const bk = sg.callbacks.backupAndRestore({ backupDir: dir, saveFreq });
    const h = await again.fit(x, y, { ...args, callbacks: [bk] });
    expect(bk.restoredFrom).toEqual({ epoch: wantEpoch, batch: wantBatch });
    expect(h.epoch[0]).toBe(wantEpoch);
    expect(h.epoch[h.epoch.length - 1]).toBe(hRef.epoch[hRef.epoch.length - 1]);
    expect(again.optimizer!.iterations).toBe(ref.optimizer!.iterations);
    const got = await weightsOf(again);
    got.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
    // A finished run deletes its backup (deleteCheckpoint defaults to true).
    expect(existsSync(join(dir, 'backup.sgbk'))).toBe(false);
    sg.dispose([x, y]);
    [ref, first, again].forEach((m) => m.dispose());
  });

  test('a corrupted or foreign backup is refused with a clear error and changes nothing', async () => {
    const dir = tmp();
    const { x, y } = data();
    const m = makeModel();
    await expect(m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [sg.callbacks.backupAndRestore({ backupDir: dir, deleteCheckpoint: false }), boom((e) => e === 0, 'onEpochEnd')] })).rejects.toThrow('interrupted');
    const file = join(dir, 'backup.sgbk');
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length - 3] ^= 0xff;
    writeFileSync(file, bad);
    const fresh = makeModel(1);
    const before = await weightsOf(fresh);
    await expect(fresh.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [sg.callbacks.backupAndRestore({ backupDir: dir })] })).rejects.toThrow(/backup.sgbk is corrupted \(CRC-32 mismatch\); delete it to start fresh/);
    expect(await weightsOf(fresh)).toEqual(before);
    // Another architecture: named as such.
    writeFileSync(file, good);
    const other = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [3] })] });
    other.compile({ optimizer: 'adam', loss: 'mse' });
    await expect(other.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.backupAndRestore({ backupDir: dir })] })).rejects.toThrow(/holds 4 weights but model '.*' has 2: it was written for another model/);
    // Another optimizer class.
    const sgdModel = makeModel(0, () => sg.optimizers.sgd(0.1));
    await expect(sgdModel.fit(x, y, { epochs: 1, verbose: 0, callbacks: [sg.callbacks.backupAndRestore({ backupDir: dir })] })).rejects.toThrow(/holds Adam state but the model is compiled with SGD/);
    expect(readdirSync(dir)).toEqual(['backup.sgbk']);
    expect(() => sg.callbacks.backupAndRestore({ backupDir: dir, saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a positive integer/);
    sg.dispose([x, y]);
    [m, fresh, other, sgdModel].forEach((mm) => mm.dispose());
  });
});

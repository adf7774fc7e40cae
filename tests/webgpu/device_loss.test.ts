/**
 * A lost GPU device in the middle of `fit` (simulated with GPUDevice.destroy(),
 * as Dawn reports a real loss): no unhandled promise rejection, fit ends with
 * an error that says the device was lost and how to resume, setBackend('webgpu')
 * starts a fresh device, and the same training run again with backupAndRestore
 * resumes from the last backup (on the new device or on the CPU) and completes
 * as many epochs as an uninterrupted run. Skipped without a WebGPU adapter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { WebGpuBackend } from '../../src/kernels/webgpu/backend.js';

const hasGpu = Boolean((globalThis as { __SG_WEBGPU__?: boolean }).__SG_WEBGPU__);

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => void unhandled.push(e);
let dir = '';
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  dir = mkdtempSync(join(tmpdir(), 'sg-device-loss-'));
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  rmSync(dir, { recursive: true, force: true });
  await sg.setBackend('cpu');
});

const EPOCHS = 4;

/** The training script: same data and model every run; `extra` callbacks added. */
async function script(backupDir: string, extra: sg.CustomCallbackArgs[] = []): Promise<{ model: sg.LayersModel; history: sg.History; backup: ReturnType<typeof sg.callbacks.backupAndRestore> }> {
  const model = sg.sequential({ layers: [sg.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), sg.layers.dense({ units: 1 })] });
  model.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'mse' });
  const x = sg.randomNormal([64, 4], 0, 1, 'float32', 1);
  const y = sg.randomNormal([64, 1], 0, 1, 'float32', 2);
  const backup = sg.callbacks.backupAndRestore({ backupDir });
  try {
    const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: 16, seed: 3, verbose: 0, callbacks: [backup, ...extra] });
    return { model, history, backup };
  } catch (e) {
    (e as { model?: sg.LayersModel }).model = model;
    throw e;
  } finally {
    sg.dispose([x, y]);
  }
}

/**
 * Destroys the current WebGPU device from a timer armed when epoch `at`
 * begins: the loss lands between steps, with reads in flight, as a real one
 * does (not from inside a batch hook, which would make fit wait on each step).
 */
const destroyAt = (at: number): sg.CustomCallbackArgs => ({
  onEpochBegin: (e) => {
    const device = (sg.ENGINE.backend as unknown as WebGpuBackend).device;
    if (e === at) setTimeout(() => device.destroy(), 0);
  },
});

async function interruptedRun(backupDir: string): Promise<{ dead: WebGpuBackend; model: sg.LayersModel }> {
  await sg.setBackend('webgpu');
  const dead = sg.ENGINE.backend as unknown as WebGpuBackend;
  let err: Error | null = null;
  try {
    await script(backupDir, [destroyAt(2)]);
  } catch (e) {
    err = e as Error;
  }
  expect(err).not.toBeNull();
  expect(err!.message).toMatch(/fit: the GPU device was lost in epoch 3.*backupAndRestore/);
  // Let any stray promise of the dead device settle before counting unhandled rejections.
  await new Promise((r) => setTimeout(r, 300));
  expect(unhandled).toEqual([]);
  expect(dead.lost).toBe(true);
  return { dead, model: (err as { model?: sg.LayersModel }).model! };
}

describe.skipIf(!hasGpu)('device loss during fit', () => {
  test('clear error, no unhandled rejection; the rerun resumes on a fresh WebGPU device and completes every epoch', async () => {
    const bdir = join(dir, 'gpu');
    const { dead, model: lostModel } = await interruptedRun(bdir);
    // The old model's weights were on the lost device: reading says so instead of hanging.
    await expect(lostModel.weights[0].data()).rejects.toThrow(/GPU device was lost/);

    await sg.setBackend('webgpu');
    const fresh = sg.ENGINE.backend as unknown as WebGpuBackend;
    expect(fresh).not.toBe(dead);
    expect(fresh.lost).toBe(false);
    // Its tensors cannot follow to the new device: the error says why and what to do.
    expect(() => sg.add(lostModel.weights[0], 1)).toThrow(/was on a 'webgpu' device that was lost: its values are gone; restore them from a backup/);
    lostModel.dispose();
    const { model, history, backup } = await script(bdir);
    expect(backup.restoredFrom).toEqual({ epoch: 2, batch: 0 });
    expect(history.epoch).toEqual([2, 3]);
    expect(history.epoch[history.epoch.length - 1]).toBe(EPOCHS - 1);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    model.dispose();
    expect(unhandled).toEqual([]);
  });

  test('the rerun can resume on the CPU instead', async () => {
    const bdir = join(dir, 'cpu');
    const { model: lostModel } = await interruptedRun(bdir);
    lostModel.dispose();
    await sg.setBackend('cpu');
    const { model, history, backup } = await script(bdir);
    expect(backup.restoredFrom).toEqual({ epoch: 2, batch: 0 });
    expect(history.epoch).toEqual([2, 3]);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    model.dispose();
    expect(unhandled).toEqual([]);
  });
});

/**
 * Saving from WebGPU: `model.save` and `modelCheckpoint` read weights with
 * `await data()`, so they work on a backend that cannot read synchronously.
 * The saved files load on CPU and on WebGPU with the same predictions.
 * Skipped when no WebGPU adapter is present (see tests/webgpu/setup.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';

const hasGpu = forwardBackends().includes('webgpu');
const root = mkdtempSync(join(tmpdir(), 'sg-webgpu-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.fround((s / 2 ** 32) * 2 - 1);
  });
}

const build = () => sg.sequential({ layers: [sg.layers.dense({ units: 5, inputShape: [3], activation: 'tanh' }), sg.layers.dense({ units: 2 })] });
const X = rand(12, 9);

async function predict(m: sg.LayersModel): Promise<number[]> {
  const x = sg.tensor(X, [4, 3]);
  const y = m.predict(x) as sg.Tensor;
  const v = Array.from(await y.data());
  sg.dispose([x, y]);
  return v;
}

describe.skipIf(!hasGpu)('save and load on webgpu', () => {
  test('model.save on webgpu writes what CPU loads; WebGPU loads it back; same predictions', async () => {
    const dir = join(root, 'm1');
    const saved = await onBackend('webgpu', async () => {
      const start = sg.memory().numTensors;
      const m = build();
      const ws = m.weights.map((w, i) => sg.tensor(rand(w.size, 100 + i), w.shape));
      m.setWeights(ws);
      sg.dispose(ws);
      await m.save(`file://${dir}`);
      const p = await predict(m);
      m.dispose();
      const back = await sg.loadLayersModel(`file://${dir}/model.json`);
      expectClose(await predict(back), p, { rtol: 1e-5, atol: 1e-6 }, 'webgpu reload');
      back.dispose();
      expect(sg.memory().numTensors).toBe(start);
      return p;
    });
    await onBackend('cpu', async () => {
      const back = await sg.loadLayersModel(`file://${dir}`);
      expectClose(await predict(back), saved, { rtol: 1e-4, atol: 1e-5 }, 'cpu load of a webgpu save');
      back.dispose();
    });
  });

  test('modelCheckpoint during fit on webgpu', async () => {
    const dir = join(root, 'ckpt');
    await onBackend('webgpu', async () => {
      const start = sg.memory().numTensors;
      const m = build();
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const x = sg.tensor(X, [4, 3]);
      const y = sg.tensor(rand(8, 3), [4, 2]);
      await m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [sg.callbacks.modelCheckpoint({ filepath: `file://${dir}/ep{epoch}` })] });
      expect(readdirSync(dir).sort()).toEqual(['ep1', 'ep2']);
      const back = await sg.loadLayersModel(`file://${dir}/ep2`);
      expectClose(await predict(back), await predict(m), { rtol: 1e-5, atol: 1e-6 }, 'checkpoint');
      sg.dispose([x, y]);
      back.dispose();
      m.dispose();
      expect(sg.memory().numTensors).toBe(start);
    });
  });
});

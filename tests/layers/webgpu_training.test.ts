/**
 * Training on WebGPU matches CPU: same initial weights, shuffle off, the
 * per-epoch history, predictions and final weights agree; and a long run of
 * tiny steps neither grows the tensor count nor the GPU buffer count.
 * Skipped when no WebGPU adapter is present (see tests/webgpu/setup.ts).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';

const hasGpu = forwardBackends().includes('webgpu');

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out.push(Math.fround(s / 2 ** 32 * 2 - 1)); }
  return out;
}
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const TOL = { rtol: 1e-3, atol: 1e-5 };

interface Run { history: Record<string, number[]>; pred: number[]; weights: number[][] }

/** Builds, sets deterministic weights, fits and predicts on `backend`; disposes everything it made. */
async function train(backend: string, build: () => sg.LayersModel, compile: sg.CompileArgs, x: { v: number[]; s: number[]; dtype?: 'float32' | 'int32' }, y: { v: number[]; s: number[]; dtype?: 'float32' | 'int32' }, epochs: number, batchSize: number): Promise<Run> {
  return onBackend(backend, async () => {
    expect(sg.getBackend()).toBe(backend);
    const start = sg.memory().numTensors;
    const m = build();
    const ws = m.weights.map((w, i) => sg.tensor(rand(size(w.shape as number[]), 500 + i).map((a) => a * 0.4), w.shape));
    m.setWeights(ws);
    ws.forEach((t) => t.dispose());
    m.compile(compile);
    const xt = sg.tensor(x.v, x.s, x.dtype ?? 'float32');
    const yt = sg.tensor(y.v, y.s, y.dtype ?? 'float32');
    const h = await m.fit(xt, yt, { epochs, batchSize, shuffle: false, verbose: 0 });
    const p = m.predict(xt) as sg.Tensor;
    const pred = Array.from(await p.data());
    const wts = m.getWeights();
    const weights = await Promise.all(wts.map(async (w) => Array.from(await w.data())));
    for (const t of [p, xt, yt, ...wts]) t.dispose();
    m.dispose();
    expect(sg.memory().numTensors).toBe(start);
    return { history: h.history as Record<string, number[]>, pred, weights };
  });
}

function compareRuns(a: Run, b: Run, what: string): void {
  for (const k of Object.keys(a.history)) expectClose(b.history[k], a.history[k], TOL, `${what}: history ${k}`);
  expectClose(b.pred, a.pred, TOL, `${what}: predict`);
  a.weights.forEach((w, i) => expectClose(b.weights[i], w, { rtol: 1e-3, atol: 1e-4 }, `${what}: weight ${i}`));
}

describe.skipIf(!hasGpu)('training on webgpu matches cpu', () => {
  let start = 0;
  beforeEach(() => { start = sg.memory().numTensors; });
  afterEach(() => { expect(sg.memory().numTensors).toBe(start); });

  it('MLP, adam, mse, 3 epochs', async () => {
    const build = (): sg.LayersModel => sg.sequential({ layers: [sg.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), sg.layers.dense({ units: 2 })] });
    const compile = (): sg.CompileArgs => ({ optimizer: sg.optimizers.adam(0.01), loss: 'meanSquaredError' });
    const x = { v: rand(16 * 4, 1), s: [16, 4] }, y = { v: rand(16 * 2, 2), s: [16, 2] };
    const cpu = await train('cpu', build, compile(), x, y, 3, 4);
    const gpu = await train('webgpu', build, compile(), x, y, 3, 4);
    expect(cpu.history.loss.length).toBe(3);
    compareRuns(cpu, gpu, 'mlp');
  });

  it('conv2d → maxPool → flatten → dense, sparseCategoricalCrossentropy + accuracy', async () => {
    const build = (): sg.LayersModel => sg.sequential({
      layers: [
        sg.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
        sg.layers.maxPooling2d({ poolSize: 2 }), sg.layers.flatten(), sg.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const compile = (): sg.CompileArgs => ({ optimizer: sg.optimizers.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = { v: rand(8 * 36, 3), s: [8, 6, 6, 1] }, y = { v: [0, 1, 2, 0, 1, 2, 0, 1], s: [8, 1] };
    const cpu = await train('cpu', build, compile(), x, y, 2, 4);
    const gpu = await train('webgpu', build, compile(), x, y, 2, 4);
    expect(Object.keys(cpu.history).sort()).toEqual(Object.keys(gpu.history).sort());
    compareRuns(cpu, gpu, 'conv');
  });

  it('LSTM(returnSequences) → LSTM → dense, predict and 2-epoch fit', async () => {
    const build = (): sg.LayersModel => sg.sequential({
      layers: [sg.layers.lstm({ units: 4, returnSequences: true, inputShape: [3, 2] }), sg.layers.lstm({ units: 3 }), sg.layers.dense({ units: 1 })],
    });
    const compile = (): sg.CompileArgs => ({ optimizer: sg.optimizers.adam(0.01), loss: 'meanSquaredError' });
    const x = { v: rand(6 * 3 * 2, 5), s: [6, 3, 2] }, y = { v: rand(6, 6), s: [6, 1] };
    const cpu = await train('cpu', build, compile(), x, y, 2, 3);
    const gpu = await train('webgpu', build, compile(), x, y, 2, 3);
    compareRuns(cpu, gpu, 'lstm');
  });

  it('no tensor or GPU buffer growth across 200 training steps', async () => {
    await onBackend('webgpu', async () => {
      const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
      m.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'meanSquaredError' });
      const x = sg.tensor(rand(100 * 3, 7), [100, 3]), y = sg.tensor(rand(100, 8), [100, 1]);
      await m.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 }); // warm-up: slots, caches
      const t0 = sg.memory().numTensors;
      const b0 = (sg.memory() as { numBuffers?: number }).numBuffers;
      await m.fit(x, y, { epochs: 4, batchSize: 2, shuffle: false, verbose: 0 }); // 200 steps
      expect(sg.memory().numTensors).toBe(t0);
      const b1 = (sg.memory() as { numBuffers?: number }).numBuffers;
      expect(b0, 'sg.memory().numBuffers is reported on webgpu').toBeTypeOf('number');
      expect(b1).toBeLessThanOrEqual(b0!);
      x.dispose(); y.dispose();
      m.dispose();
    });
  });
});

/**
 * Training on the wasm backend end to end: a small CNN (conv2d + relu, max
 * pooling, dense + softmax, Adam) and an LSTM regressor are trained for a few
 * epochs from the same initial weights on `wasm` and on `cpu`; the per-epoch
 * losses and the final weights must agree (float32 on both, summation order
 * differs: rtol 1e-3), and the loss must go down. Two threads on wasm, so
 * the split products are part of it.
 */
import { expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';

function values(n: number, salt: number, a = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + salt) * a);
}

async function train(backend: string, build: () => sg.LayersModel, x: [Float32Array, number[]], y: [Float32Array, number[]], epochs: number): Promise<{ losses: number[]; weights: number[] }> {
  return onBackend(backend, async () => {
    if (backend === 'wasm') await sg.setThreads(2);
    const m = build();
    const init = m.getWeights().map((w, i) => sg.tensor(values(w.size, 100 + i, 0.2), w.shape));
    m.setWeights(init);
    sg.dispose(init);
    const xs = sg.tensor(x[0], x[1]);
    const ys = sg.tensor(y[0], y[1]);
    const h = await m.fit(xs, ys, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
    const weights = m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    sg.dispose([xs, ys]);
    m.dispose?.();
    return { losses: h.history.loss as number[], weights };
  });
}

test('a CNN trains on wasm as on cpu (conv, pooling, dense, Adam and their gradients)', async () => {
  const build = (): sg.LayersModel => {
    const m = sg.sequential({
      layers: [
        sg.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }),
        sg.layers.maxPooling2d({ poolSize: 2 }),
        sg.layers.conv2d({ filters: 12, kernelSize: 3, activation: 'relu', padding: 'same' }),
        sg.layers.flatten(),
        sg.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: sg.optimizers.adam(1e-2), loss: 'categoricalCrossentropy' });
    return m;
  };
  const n = 48;
  const y = Float32Array.from({ length: n * 5 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0));
  const cpu = await train('cpu', build, [values(n * 144, 1), [n, 12, 12, 1]], [y, [n, 5]], 4);
  const wasm = await train('wasm', build, [values(n * 144, 1), [n, 12, 12, 1]], [y, [n, 5]], 4);
  expectClose(wasm.losses, cpu.losses, { rtol: 1e-3, atol: 1e-5 }, 'CNN losses');
  expectClose(wasm.weights, cpu.weights, { rtol: 1e-3, atol: 1e-4 }, 'CNN weights');
  expect(wasm.losses[3]).toBeLessThan(wasm.losses[0]);
});

test('an LSTM regressor trains on wasm as on cpu (fused cells through the JS kernels on wasm memory)', async () => {
  const build = (): sg.LayersModel => {
    const m = sg.sequential({ layers: [sg.layers.lstm({ units: 6, inputShape: [5, 3] }), sg.layers.dense({ units: 1 })] });
    m.compile({ optimizer: sg.optimizers.adam(1e-2), loss: 'meanSquaredError' });
    return m;
  };
  const n = 32;
  const cpu = await train('cpu', build, [values(n * 15, 2), [n, 5, 3]], [values(n, 3, 0.5), [n, 1]], 3);
  const wasm = await train('wasm', build, [values(n * 15, 2), [n, 5, 3]], [values(n, 3, 0.5), [n, 1]], 3);
  expectClose(wasm.losses, cpu.losses, { rtol: 1e-3, atol: 1e-5 }, 'LSTM losses');
  expectClose(wasm.weights, cpu.weights, { rtol: 1e-3, atol: 1e-4 }, 'LSTM weights');
  expect(wasm.losses[2]).toBeLessThan(wasm.losses[0]);
});

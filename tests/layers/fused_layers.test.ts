/**
 * The recurrent layers and Adam run on the fused ops (lstmCell, gruCell,
 * adamUpdate). The tfjs comparisons in the other layer suites run on the CPU;
 * this suite checks that every other backend present (WebGPU when it has an
 * adapter) computes the same outputs, weight gradients (inference and
 * training paths) and Adam steps as the CPU.
 */
import { describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { expectClose } from '../helpers/compare.js';

const TOL = { rtol: 2e-3, atol: 2e-4 };

interface Result {
  out: number[];
  grads: number[][];
}

/** Output and weight gradients of Σ(layer(x)·w) with the given weights. */
async function runLayer(make: () => sg.layers.Layer, weights: number[][] | null, training: boolean): Promise<Result & { weights: number[][] }> {
  const layer = make();
  const xv = Array.from({ length: 3 * 5 * 4 }, (_, i) => Math.sin(i * 0.7));
  const x = sg.tensor(xv, [3, 5, 4]);
  sg.dispose(layer.apply(x) as Tensor);
  if (weights) {
    const ts = weights.map((w, i) => sg.tensor(w, layer.weights[i].shape));
    layer.setWeights(ts);
    sg.dispose(ts);
  }
  const wvals = await Promise.all(layer.weights.map(async (v) => Array.from(await v.data())));
  const y = layer.apply(x, { training }) as Tensor;
  const cot = sg.tensor(Array.from({ length: y.size }, (_, i) => Math.cos(i * 0.3)), y.shape);
  const { value, grads } = sg.variableGrads(() => sg.sum(sg.mul(layer.apply(x, { training }) as Tensor, cot)), layer.trainableWeights);
  const out = Array.from(await y.data());
  const g = await Promise.all(layer.trainableWeights.map(async (v) => Array.from(await grads[v.name].data())));
  sg.dispose([x, y, cot, value, Object.values(grads)]);
  layer.dispose?.();
  return { out, grads: g, weights: wvals };
}

const LAYERS: [string, () => sg.layers.Layer][] = [
  ['LSTM tanh/sigmoid, returnSequences', () => sg.layers.lstm({ units: 6, returnSequences: true })],
  ['LSTM tanh/hardSigmoid', () => sg.layers.lstm({ units: 6, recurrentActivation: 'hardSigmoid' })],
  ['GRU resetAfter', () => sg.layers.gru({ units: 5, returnSequences: true })],
  ['GRU resetAfter, relu/hardSigmoid', () => sg.layers.gru({ units: 5, activation: 'relu', recurrentActivation: 'hardSigmoid' })],
];

describe('fused recurrent cells on every backend', () => {
  for (const [label, make] of LAYERS) {
    for (const training of [false, true]) {
      test(`${label}${training ? ', training path' : ''}`, async () => {
        const ref = await onBackend('cpu', () => runLayer(make, null, training));
        for (const b of forwardBackends().filter((n) => n !== 'cpu')) {
          await onBackend(b, async () => {
            const before = sg.memory().numTensors;
            const r = await runLayer(make, ref.weights, training);
            expectClose(r.out, ref.out, TOL, `${label} on ${b}: output`);
            r.grads.forEach((g, i) => expectClose(g, ref.grads[i], TOL, `${label} on ${b}: gradient of weight ${i}`));
            expect(sg.memory().numTensors).toBeLessThanOrEqual(before + 20);
          });
        }
      });
    }
  }
});

describe('Adam (adamUpdate) on every backend', () => {
  test('three steps match the CPU', async () => {
    const steps = async (): Promise<number[][]> => {
      const w = sg.variable(sg.tensor([0.5, -1, 2, 0.1, -0.3, 0.7], [2, 3]));
      const opt = sg.optimizers.adam({ learningRate: 0.05 });
      for (let k = 0; k < 3; k++) {
        const g = sg.tensor([1, -2, 0.5, k, 0.01, -0.2], [2, 3]);
        opt.applyGradients([[w, g]]);
        g.dispose();
      }
      const r = [Array.from(await w.data()), ...(await Promise.all(opt.getSlots(w).map(async (s) => Array.from(await s.data()))))];
      opt.dispose();
      w.dispose();
      return r;
    };
    const ref = await onBackend('cpu', steps);
    for (const b of forwardBackends().filter((n) => n !== 'cpu')) {
      const got = await onBackend(b, steps);
      got.forEach((v, i) => expectClose(v, ref[i], { rtol: 1e-5, atol: 1e-6 }, `Adam on ${b}: ${['w', 'm', 'v'][i]}`));
    }
  });
});

/** Layer parity vs TensorFlow.js (CPU): forward outputs of dense with each activation. */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose, FORWARD_TOL } from '../helpers/compare.js';

let tf: Tf;
let start = 0;
beforeAll(async () => { tf = await getTf(); await sg.setBackend('cpu'); });
beforeEach(() => { start = sg.memory().numTensors; });
afterEach(() => { expect(sg.memory().numTensors).toBe(start); });

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out.push(Math.fround(s / 2 ** 32 * 2 - 1)); }
  return out;
}

describe('dense parity with tfjs', () => {
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus'] as const) {
    it(`forward, activation ${act}`, async () => {
      const tl = tf.layers.dense({ units: 3, activation: act, inputShape: [4] });
      const xv = rand(8, 7);
      const tx = tf.tensor(xv, [2, 4]);
      const ty = tl.apply(tx) as import('@tensorflow/tfjs').Tensor;
      const expected = await ty.data();
      const ws = tl.getWeights().map((w) => w.dataSync());
      const l = sg.layers.dense({ units: 3, activation: act });
      const x = sg.tensor(xv, [2, 4]);
      const y = l.apply(x) as sg.Tensor;
      const w = [sg.tensor(Array.from(ws[0]), [4, 3]), sg.tensor(Array.from(ws[1]), [3])];
      l.setWeights(w);
      const y2 = l.apply(x) as sg.Tensor;
      expectClose(await y2.data(), expected, FORWARD_TOL, act);
      for (const t of [y, y2, x, ...w]) t.dispose();
      l.dispose();
      tx.dispose(); ty.dispose();
    });
  }
});

describe('dense gradient parity with tfjs', () => {
  for (const act of ['linear', 'relu', 'tanh', 'softmax'] as const) {
    it(`grad of sum(y*w) w.r.t. input, activation ${act}`, async () => {
      const tl = tf.layers.dense({ units: 3, activation: act, inputShape: [4] });
      const xv = rand(8, 11), wv = rand(6, 13);
      const tx = tf.tensor(xv, [2, 4]), tw = tf.tensor(wv, [2, 3]);
      const tg = tf.grad((a: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.mul(tl.apply(a) as import('@tensorflow/tfjs').Tensor, tw)))(tx);
      const expected = await tg.data();
      const ws = tl.getWeights().map((w) => Array.from(w.dataSync()));
      const l = sg.layers.dense({ units: 3, activation: act });
      const x = sg.tensor(xv, [2, 4]), w = sg.tensor(wv, [2, 3]);
      sg.tidy(() => { l.apply(x); });
      const kw = [sg.tensor(ws[0], [4, 3]), sg.tensor(ws[1], [3])];
      l.setWeights(kw);
      const g = sg.grad((a: sg.Tensor) => sg.sum(sg.mul(l.apply(a) as sg.Tensor, w)))(x);
      expectClose(await g.data(), expected, { rtol: 1e-3, atol: 1e-4 }, act);
      for (const t of [g, x, w, ...kw]) t.dispose();
      l.dispose();
      tx.dispose(); tw.dispose(); tg.dispose();
    });
  }
});

describe('conv2d forward parity with tfjs', () => {
  for (const [padding, strides] of [['valid', 1], ['same', 2]] as const) {
    it(`conv2d ${padding} strides ${strides}`, async () => {
      const tl = tf.layers.conv2d({ filters: 2, kernelSize: 3, strides, padding, inputShape: [5, 5, 2] });
      const xv = rand(50, 17);
      const tx = tf.tensor(xv, [1, 5, 5, 2]);
      const ty = tl.apply(tx) as import('@tensorflow/tfjs').Tensor;
      const expected = await ty.data();
      const ws = tl.getWeights().map((w) => Array.from(w.dataSync()));
      const l = sg.layers.conv2d({ filters: 2, kernelSize: 3, strides, padding });
      const x = sg.tensor(xv, [1, 5, 5, 2]);
      sg.tidy(() => { l.apply(x); });
      const kw = [sg.tensor(ws[0], [3, 3, 2, 2]), sg.tensor(ws[1], [2])];
      l.setWeights(kw);
      const y = l.apply(x) as sg.Tensor;
      expect(y.shape).toEqual(ty.shape);
      expectClose(await y.data(), expected, FORWARD_TOL, padding);
      for (const t of [y, x, ...kw]) t.dispose();
      l.dispose();
      tx.dispose(); ty.dispose();
    });
  }
});

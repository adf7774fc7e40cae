/**
 * adagrad vs tf.train.adagrad (5-epoch fit trajectories), nadam and adamw vs
 * a float64 implementation of Keras 3's update formulas, names in compile,
 * configs and errors.
 */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose } from '../helpers/compare.js';

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

describe('adagrad matches tf.train.adagrad', () => {
  for (const [lr, init] of [[0.05, 0.1], [0.2, 0.5]]) {
    it(`mlp, lr ${lr}, initialAccumulatorValue ${init}: loss history and weights after 5 epochs`, async () => {
      const L = tf.layers;
      const xv = rand(24, 41), yv = rand(12, 43);
      const tm = tf.sequential({ layers: [L.dense({ units: 5, activation: 'tanh', inputShape: [4] }), L.dense({ units: 2 })] });
      const tws = tm.getWeights().map((w, i) => tf.tensor(rand(w.size, 100 + i).map((a) => a * 0.5), w.shape));
      tm.setWeights(tws);
      const w0 = tws.map((w) => Array.from(w.dataSync()));
      tf.dispose(tws);
      tm.compile({ optimizer: tf.train.adagrad(lr, init), loss: 'meanSquaredError' });
      const tx = tf.tensor(xv, [6, 4]), ty = tf.tensor(yv, [6, 2]);
      const th = await tm.fit(tx, ty, { epochs: 5, batchSize: 3, shuffle: false, verbose: 0 });
      const want = tm.getWeights().map((w) => Array.from(w.dataSync()));

      const sm = sg.sequential({ layers: [sg.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), sg.layers.dense({ units: 2 })] });
      const sw = sm.weights.map((w, i) => sg.tensor(w0[i], w.shape));
      sm.setWeights(sw);
      sg.dispose(sw);
      sm.compile({ optimizer: sg.optimizers.adagrad({ learningRate: lr, initialAccumulatorValue: init }), loss: 'meanSquaredError' });
      const x = sg.tensor(xv, [6, 4]), y = sg.tensor(yv, [6, 2]);
      const h = await sm.fit(x, y, { epochs: 5, batchSize: 3, shuffle: false, verbose: 0 });
      expectClose(h.history.loss, th.history.loss as number[], { rtol: 1e-4, atol: 1e-6 }, 'loss history');
      const got = sm.getWeights();
      for (let i = 0; i < got.length; i++) expectClose(await got[i].data(), want[i], { rtol: 1e-4, atol: 1e-6 }, `weight ${i}`);
      // The accumulator slot holds init + Σg², as tfjs's.
      const acc = sm.optimizer!.getSlots(sm.weights[0])[0];
      expect(Math.min(...(await acc.data()))).toBeGreaterThanOrEqual(Math.fround(init));
      sg.dispose([...got, x, y]);
      sm.dispose();
      tf.dispose([tx, ty]);
      tm.dispose();
    });
  }
});

/** Keras 3's formulas in float64: one step on weights w with gradient g; state per optimizer. */
type RefState = { t: number; m: number[]; v: number[]; uProduct: number };
function nadamRef(w: number[], g: number[], s: RefState, o: { lr: number; b1: number; b2: number; eps: number }): number[] {
  s.t++;
  const mu = (t: number): number => o.b1 * (1 - 0.5 * 0.96 ** t);
  s.uProduct *= mu(s.t);
  const uT = mu(s.t), uT1 = mu(s.t + 1), pT = s.uProduct, pT1 = pT * uT1;
  return w.map((wi, i) => {
    s.m[i] += (g[i] - s.m[i]) * (1 - o.b1);
    s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - o.b2);
    const mHat = (uT1 * s.m[i]) / (1 - pT1) + ((1 - uT) * g[i]) / (1 - pT);
    const vHat = s.v[i] / (1 - o.b2 ** s.t);
    return wi - (mHat * o.lr) / (Math.sqrt(vHat) + o.eps);
  });
}
function adamwRef(w: number[], g: number[], s: RefState, o: { lr: number; wd: number; b1: number; b2: number; eps: number }): number[] {
  s.t++;
  const alpha = (o.lr * Math.sqrt(1 - o.b2 ** s.t)) / (1 - o.b1 ** s.t);
  return w.map((wi, i) => {
    const d = wi - wi * o.wd * o.lr;
    s.m[i] += (g[i] - s.m[i]) * (1 - o.b1);
    s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - o.b2);
    return d - (alpha * s.m[i]) / (Math.sqrt(s.v[i]) + o.eps);
  });
}

describe('nadam and adamw follow Keras 3 (float64 reference)', () => {
  // Loss ½Σ aᵢ(wᵢ − cᵢ)²: gradient aᵢ(wᵢ − cᵢ), computed by sg's autograd and in float64 by the reference.
  const n = 7;
  const a = rand(n, 3).map((v) => Math.fround(1 + Math.abs(v) * 3)), c = rand(n, 4).map((v) => v * 2), w0 = rand(n, 5);
  const cases = [
    { name: 'nadam defaults', make: () => sg.optimizers.nadam(), ref: (w: number[], g: number[], s: RefState) => nadamRef(w, g, s, { lr: 0.001, b1: 0.9, b2: 0.999, eps: 1e-7 }) },
    { name: 'nadam lr 0.05 beta1 0.8', make: () => sg.optimizers.nadam({ learningRate: 0.05, beta1: 0.8 }), ref: (w: number[], g: number[], s: RefState) => nadamRef(w, g, s, { lr: 0.05, b1: 0.8, b2: 0.999, eps: 1e-7 }) },
    { name: 'adamw defaults', make: () => sg.optimizers.adamw(), ref: (w: number[], g: number[], s: RefState) => adamwRef(w, g, s, { lr: 0.001, wd: 0.004, b1: 0.9, b2: 0.999, eps: 1e-7 }) },
    { name: 'adamw lr 0.05 weightDecay 0.1', make: () => sg.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.1 }), ref: (w: number[], g: number[], s: RefState) => adamwRef(w, g, s, { lr: 0.05, wd: 0.1, b1: 0.9, b2: 0.999, eps: 1e-7 }) },
  ];
  for (const cs of cases) {
    it(`${cs.name}: 20 steps`, async () => {
      const opt = cs.make();
      const init = sg.tensor(w0);
      const w = sg.variable(init, true, `w_${cs.name.replace(/\W/g, '_')}`);
      init.dispose();
      const at = sg.tensor(a), ct = sg.tensor(c);
      let ref = [...w0];
      const st: RefState = { t: 0, m: new Array(n).fill(0), v: new Array(n).fill(0), uProduct: 1 };
      for (let step = 0; step < 20; step++) {
        const g = ref.map((wi, i) => a[i] * (wi - c[i]));
        ref = cs.ref(ref, g, st);
        const r = sg.variableGrads(() => sg.mul(sg.sum(sg.mul(at, sg.square(sg.sub(w, ct)))), 0.5), [w]);
        opt.applyGradients([[w, r.grads[w.name]]]);
        sg.dispose([r.value, ...Object.values(r.grads)]);
      }
      expectClose(await w.data(), ref, { rtol: 1e-4, atol: 1e-6 }, cs.name);
      // It moved: 20 steps change every weight.
      expect(ref.every((v, i) => v !== w0[i])).toBe(true);
      sg.dispose([w, at, ct]);
      opt.dispose();
    });
  }
});

describe('names, configs and errors', () => {
  it("compile takes 'nadam', 'adamw', 'adagrad' (any case) and they train an MLP", async () => {
    const x = sg.tensor(rand(64, 8), [32, 2]);
    const y = sg.tidy(() => sg.tanh(sg.matMul(x, sg.tensor([[1.5], [-2]]))));
    for (const name of ['nadam', 'AdamW', 'adagrad']) {
      const m = sg.sequential({ layers: [sg.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), sg.layers.dense({ units: 1 })] });
      m.compile({ optimizer: name, loss: 'mse' });
      expect(m.optimizer!.getClassName().toLowerCase()).toBe(name.toLowerCase());
      // Default rates are Keras's small 0.001: raise it to see progress in a few epochs.
      m.optimizer!.learningRate = 0.05;
      const h = await m.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0, seed: 2 });
      expect(h.history.loss[14], name).toBeLessThan(0.6 * h.history.loss[0]);
      m.dispose();
    }
    sg.dispose([x, y]);
  });

  it('configs, bare learning rates and strict options', () => {
    expect(sg.optimizers.adamw(0.01).getConfig()).toEqual({ learningRate: 0.01, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(sg.optimizers.nadam().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(sg.optimizers.adagrad({ learningRate: 0.1 }).getConfig()).toEqual({ learningRate: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(() => sg.optimizers.adamw({ weight_decay: 0.1 } as never)).toThrow(/adamw: unknown option 'weight_decay' \(did you mean 'weightDecay'/);
    expect(() => sg.optimizers.nadam({ beta1: 1 })).toThrow(/Nadam: beta1 must be in \[0, 1\)/);
    expect(() => sg.optimizers.adagrad({ learningRate: -1 })).toThrow(/Adagrad: learningRate must be a positive number/);
    expect(() => sg.optimizers.getOptimizer('nadm')).toThrow(/unknown optimizer 'nadm'; known: sgd, adam, rmsprop.*nadam/);
  });
});

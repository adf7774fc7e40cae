/**
 * Recurrent dropout in training mode: the mask multiplies only the recurrent
 * input of the gates, never a carried state. GRU's h' = z·h + (1 − z)·ĥ carries
 * the unmasked h (carrying h·mask, scaled by 1/(1 − rate), made |h| grow without
 * bound: 1321 after 13 steps). Checked against a step-by-step reference built from
 * tfjs primitives with the same mask, by a bound on |h| over a long sequence, and
 * by fit's first-epoch loss with and without dropout.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import * as rec from '../../src/layers/recurrent/index.js';
import { globalRng } from '../../src/tensor/random.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { FORWARD_TOL, expectClose } from '../helpers/compare.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';
import { rand } from './recurrent_helpers.js';

type TfTensor = ReturnType<Tf['tensor']>;

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

/**
 * Runs `fn` with the global generator's uniforms replaced by `u` (in draw
 * order), so the layer's recurrent mask is known: unit j of row b is kept
 * (scaled by 1/(1 − rate)) iff u[b·units + j] ≥ rate.
 */
function withUniforms<T>(u: number[], fn: () => T): T {
  const saved = globalRng.next;
  let i = 0;
  globalRng.next = () => {
    if (i >= u.length) throw new Error('withUniforms: more draws than supplied');
    return u[i++];
  };
  try {
    return fn();
  } finally {
    globalRng.next = saved;
  }
}

const RATE = 0.5;
/** Uniforms that sit well away from RATE, so float32 rounding cannot flip a unit. */
const uniforms = (n: number, seed: number): number[] => rand(n, seed, 1).map((v) => (v < 0 ? 0.05 + 0.4 * (v + 1) / 2 : 0.55 + 0.4 * v));

const sig = (v: TfTensor): TfTensor => tf.sigmoid(v);

/** GRU with recurrent dropout from tfjs primitives: gates see h·mask, the carry z·h the unmasked h. */
function gruMaskedRef(x: TfTensor, w: TfTensor, u: TfTensor, b: TfTensor, mask: TfTensor, resetAfter: boolean): TfTensor {
  const [batch, steps, f] = x.shape;
  const units = u.shape[0];
  let h: TfTensor = tf.zeros([batch, units]);
  const outs: TfTensor[] = [];
  const [bIn, bRec] = resetAfter ? tf.unstack(b, 0) : [b, null];
  for (let t = 0; t < steps; t++) {
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, f]), [batch, f]);
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, w), bIn), 3, 1);
    const hm = tf.mul(h, mask);
    let z: TfTensor;
    let cand: TfTensor;
    if (resetAfter) {
      const [mz, mr, mh] = tf.split(tf.add(tf.matMul(hm, u), bRec!), 3, 1);
      z = sig(tf.add(xz, mz));
      const r = sig(tf.add(xr, mr));
      cand = tf.tanh(tf.add(xh, tf.mul(r, mh)));
    } else {
      const [uzr, uh] = tf.split(u, [2 * units, units], 1);
      const [mz, mr] = tf.split(tf.matMul(hm, uzr), 2, 1);
      z = sig(tf.add(xz, mz));
      const r = sig(tf.add(xr, mr));
      cand = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, hm), uh)));
    }
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), cand));
    outs.push(h);
  }
  return tf.stack(outs, 1);
}

/** LSTM with recurrent dropout: only h·mask enters the recurrent matMul; c is carried unmasked. */
function lstmMaskedRef(x: TfTensor, w: TfTensor, u: TfTensor, b: TfTensor, mask: TfTensor): TfTensor {
  const [batch, steps, f] = x.shape;
  const units = u.shape[0];
  let h: TfTensor = tf.zeros([batch, units]);
  let c: TfTensor = tf.zeros([batch, units]);
  const outs: TfTensor[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, f]), [batch, f]);
    const zAll = tf.add(tf.add(tf.matMul(xt, w), b), tf.matMul(tf.mul(h, mask), u));
    const [zi, zf, zc, zo] = tf.split(zAll, 4, 1);
    c = tf.add(tf.mul(sig(zf), c), tf.mul(sig(zi), tf.tanh(zc)));
    h = tf.mul(sig(zo), tf.tanh(c));
    outs.push(h);
  }
  return tf.stack(outs, 1);
}

describe('recurrent dropout masks only the gates’ recurrent input', () => {
  const [batch, steps, feats, units] = [3, 6, 2, 4];
  const cases: [string, 'gru' | 'lstm', boolean][] = [
    ['GRU resetAfter (fused cell)', 'gru', true],
    ['GRU resetAfter: false (tfjs form)', 'gru', false],
    ['LSTM', 'lstm', false],
  ];
  test.each(cases)('%s: training output equals the masked-step reference', async (_, kind, resetAfter) => {
    const layer = kind === 'gru' ? rec.gru({ units, resetAfter, recurrentDropout: RATE, returnSequences: true }) : rec.lstm({ units, recurrentDropout: RATE, returnSequences: true });
    layer.build([null, steps, feats]);
    const vals = layer.weights.map((v, i) => rand(v.size, 40 + i, 0.8));
    const ws = layer.weights.map((v, i) => sg.tensor(vals[i], v.shape));
    layer.setWeights(ws);
    sg.dispose(ws);
    const xv = rand(batch * steps * feats, 7, 1.5);
    const x = sg.tensor(xv, [batch, steps, feats]);
    const u = uniforms(batch * units, 11);
    const y = withUniforms(u, () => layer.call(x, { training: true }) as sg.Tensor);
    const maskV = u.map((v) => (v >= RATE ? 1 / (1 - RATE) : 0));
    expect(maskV.some((m) => m === 0) && maskV.some((m) => m > 0)).toBe(true);
    const ref = tf.tidy(() => {
      const t = vals.map((v, i) => tf.tensor(v, [...layer.weights[i].shape]));
      const xt = tf.tensor(xv, [batch, steps, feats]);
      const mask = tf.tensor(maskV, [batch, units]);
      return kind === 'gru' ? gruMaskedRef(xt, t[0], t[1], t[2], mask, resetAfter) : lstmMaskedRef(xt, t[0], t[1], t[2], mask);
    });
    try {
      expectClose(await y.data(), await ref.data(), FORWARD_TOL, `${kind} training output`);
    } finally {
      sg.dispose([x, y]);
      ref.dispose();
      layer.dispose();
    }
  });

  test.each([
    ['gru', { resetAfter: true }],
    ['gru', { resetAfter: false }],
    ['lstm', {}],
    ['simpleRNN', {}],
  ] as const)('%s %j: |h| ≤ 1 over 200 steps with recurrentDropout 0.5 in training', async (kind, opts) => {
    // Saturating inputs and a large recurrent kernel push z toward 1, where a
    // carried h·2 would double every step.
    const layer = rec[kind]({ units: 8, recurrentDropout: 0.5, returnSequences: true, recurrentInitializer: { className: 'Orthogonal', config: { gain: 3 } }, ...opts } as never);
    const x = sg.randomUniform([4, 200, 3], -2, 2, 'float32', 5);
    const y = layer.call(x, { training: true }) as sg.Tensor;
    const v = await y.data();
    let max = 0;
    for (const e of v) max = Math.max(max, Math.abs(e));
    expect(Number.isFinite(max)).toBe(true);
    expect(max).toBeLessThanOrEqual(1 + 1e-6);
    sg.dispose([x, y]);
    layer.dispose();
  });
});

describe('fit with recurrentDropout', () => {
  test('a GRU regressor’s first-epoch loss with recurrentDropout 0.5 stays near the loss without it', async () => {
    // A course-sized task: predict the next value of a noisy sine from 40 steps.
    const n = 96;
    const steps = 40;
    const xs: number[] = [];
    const ys: number[] = [];
    const noise = rand(n * (steps + 1), 3, 0.05);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t <= steps; t++) {
        const v = Math.sin(0.3 * (i + t)) + noise[i * (steps + 1) + t];
        if (t < steps) xs.push(v);
        else ys.push(v);
      }
    }
    const firstLoss = async (recurrentDropout: number): Promise<number> => {
      const model = sg.sequential({
        layers: [
          sg.layers.gru({ units: 16, recurrentDropout, inputShape: [steps, 1], kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } }, recurrentInitializer: { className: 'Orthogonal', config: { seed: 2 } } }),
          sg.layers.dense({ units: 1, kernelInitializer: { className: 'GlorotUniform', config: { seed: 3 } } }),
        ],
      });
      model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
      const x = sg.tensor(xs, [n, steps, 1]);
      const y = sg.tensor(ys, [n, 1]);
      const h = await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
      sg.dispose([x, y]);
      model.dispose();
      return h.history.loss[0] as number;
    };
    const plain = await firstLoss(0);
    const dropped = await firstLoss(0.5);
    expect(Number.isFinite(dropped)).toBe(true);
    // The sine has variance 0.5: both losses are of that order; the carried-mask bug gave ~60×.
    expect(dropped).toBeLessThan(2 * plain + 0.1);
  }, 30_000);
});

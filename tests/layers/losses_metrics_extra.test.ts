/**
 * huber, mape, msle, logCosh losses and the mape, msle, precision, recall,
 * auc, r2Score, binaryAccuracy, categoricalAccuracy metrics against
 * TensorFlow.js (where it has them) or a float64 computation of the Keras
 * formula, and their use by name in compile/fit/evaluate.
 */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/compare.js';

type TfT = import('@tensorflow/tfjs').Tensor;
let tf: Tf;
let start = 0;
beforeAll(async () => { tf = await getTf(); await sg.setBackend('cpu'); });
beforeEach(() => { start = sg.memory().numTensors; });
afterEach(() => { expect(sg.memory().numTensors).toBe(start); });

function rand(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out.push(Math.fround(lo + (s / 2 ** 32) * (hi - lo))); }
  return out;
}

const SHAPE = [4, 3];
const N = 12;

/** Per-sample loss and d sum(loss·w)/d yPred from shadergrad. */
async function sgLoss(fn: (a: sg.Tensor, b: sg.Tensor) => sg.Tensor, yt: number[], yp: number[], wv: number[]): Promise<{ value: Float32Array; grad: Float32Array }> {
  const t = sg.tensor(yt, SHAPE), p = sg.tensor(yp, SHAPE), w = sg.tensor(wv, [SHAPE[0]]);
  const v = fn(t, p);
  const g = sg.grad((q: sg.Tensor) => sg.sum(sg.mul(fn(t, q), w)))(p);
  const out = { value: (await v.data()) as Float32Array, grad: (await g.data()) as Float32Array };
  sg.dispose([t, p, w, v, g]);
  return out;
}

/** tfjs's per-sample value of a compile-time loss name: evaluate one row at a time on an identity model. */
async function tfCompiledLoss(name: string, yt: number[], yp: number[]): Promise<number[]> {
  const m = tf.sequential({ layers: [tf.layers.activation({ activation: 'linear', inputShape: [SHAPE[1]] })] });
  m.compile({ optimizer: 'sgd', loss: name });
  const out: number[] = [];
  for (let i = 0; i < SHAPE[0]; i++) {
    const x = tf.tensor(yp.slice(i * SHAPE[1], (i + 1) * SHAPE[1]), [1, SHAPE[1]]);
    const y = tf.tensor(yt.slice(i * SHAPE[1], (i + 1) * SHAPE[1]), [1, SHAPE[1]]);
    const r = m.evaluate(x, y) as TfT;
    out.push((await r.data())[0]);
    tf.dispose([x, y, r]);
  }
  m.dispose();
  return out;
}

describe('losses vs tfjs', () => {
  const yt = rand(N, 1, -2, 2), yp = rand(N, 2, -2, 2), wv = rand(SHAPE[0], 3);
  const ytPos = rand(N, 4, 0, 3), ypPos = rand(N, 5, 0, 3);

  for (const delta of [1, 0.5]) {
    it(`huber (delta ${delta}) value and gradient vs tf.losses.huberLoss`, async () => {
      const tfFn = (t: TfT, p: TfT): TfT => tf.mean(tf.losses.huberLoss(t, p, undefined, delta, tf.Reduction.NONE), -1);
      const tt = tf.tensor(yt, SHAPE), tp = tf.tensor(yp, SHAPE), tw = tf.tensor(wv, [SHAPE[0]]);
      const want = tfFn(tt, tp);
      const wantG = tf.grad((q: TfT) => tf.sum(tf.mul(tfFn(tt, q), tw)))(tp);
      const got = await sgLoss((a, b) => sg.losses.huber(a, b, delta), yt, yp, wv);
      expectClose(got.value, await want.data(), FORWARD_TOL, 'huber');
      expectClose(got.grad, await wantG.data(), GRAD_TOL, 'huber grad');
      tf.dispose([tt, tp, tw, want, wantG]);
    });
  }

  it('mape value and gradient vs tf.metrics.MAPE', async () => {
    const tt = tf.tensor(yt, SHAPE), tp = tf.tensor(yp, SHAPE), tw = tf.tensor(wv, [SHAPE[0]]);
    const want = tf.metrics.MAPE(tt, tp);
    const wantG = tf.grad((q: TfT) => tf.sum(tf.mul(tf.metrics.MAPE(tt, q), tw)))(tp);
    const got = await sgLoss(sg.losses.meanAbsolutePercentageError, yt, yp, wv);
    expectClose(got.value, await want.data(), FORWARD_TOL, 'mape');
    expectClose(got.grad, await wantG.data(), GRAD_TOL, 'mape grad');
    tf.dispose([tt, tp, tw, want, wantG]);
  });

  it('msle and logCosh values vs tfjs compiled losses; gradients vs their float64 derivatives', async () => {
    const k = SHAPE[1];
    const msle = await sgLoss(sg.losses.meanSquaredLogarithmicError, ytPos, ypPos, wv);
    expectClose(msle.value, await tfCompiledLoss('meanSquaredLogarithmicError', ytPos, ypPos), FORWARD_TOL, 'msle');
    // d/dp (log1p p − log1p y)²/k = 2(log1p p − log1p y)/((1 + p)k)
    expectClose(msle.grad, ypPos.map((p, i) => (wv[Math.floor(i / k)] * 2 * (Math.log1p(p) - Math.log1p(ytPos[i]))) / ((1 + p) * k)), GRAD_TOL, 'msle grad');
    const lc = await sgLoss(sg.losses.logCosh, yt, yp, wv);
    expectClose(lc.value, await tfCompiledLoss('logcosh', yt, yp), FORWARD_TOL, 'logCosh');
    // d/dp log cosh(p − y)/k = tanh(p − y)/k
    expectClose(lc.grad, yp.map((p, i) => (wv[Math.floor(i / k)] * Math.tanh(p - yt[i])) / k), GRAD_TOL, 'logCosh grad');
  });

  it('logCosh stays finite for large errors (log cosh 200 = 200 − log 2)', async () => {
    const t = sg.tensor([[0, 0]]), p = sg.tensor([[200, -200]]);
    const v = sg.losses.logCosh(t, p);
    expectClose(await v.data(), [200 - Math.LN2], FORWARD_TOL, 'logCosh large');
    sg.dispose([t, p, v]);
  });

  it('names resolve in compile (Keras spellings too); shape errors name the loss', () => {
    for (const [name, canonical] of [['huber', 'huber'], ['huber_loss', 'huber'], ['mape', 'meanAbsolutePercentageError'], ['mean_absolute_percentage_error', 'meanAbsolutePercentageError'], ['msle', 'meanSquaredLogarithmicError'], ['logcosh', 'logCosh'], ['log_cosh', 'logCosh']]) {
      expect(sg.losses.lossName(name), name).toBe(canonical);
    }
    const a = sg.zeros([2, 3]), b = sg.zeros([2, 2]);
    expect(() => sg.losses.huber(a, b)).toThrow(/huber: yTrue of shape \[2,3\] does not match yPred of shape \[2,2\]/);
    expect(() => sg.losses.huber(a, a, 0)).toThrow(/huber: delta must be > 0/);
    sg.dispose([a, b]);
  });

  it("fit with loss 'huber' lowers it, and evaluate equals the mean of the loss function", async () => {
    const xs = sg.tensor(rand(64, 9), [32, 2]);
    const ys = sg.tidy(() => sg.add(sg.matMul(xs, sg.tensor([[2], [-1]])), 0.5));
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: sg.optimizers.sgd(0.1), loss: 'huber', metrics: ['mape'] });
    const h = await m.fit(xs, ys, { epochs: 20, batchSize: 8, verbose: 0, seed: 3 });
    expect(h.history.loss[19]).toBeLessThan(0.5 * h.history.loss[0]);
    const ev = (await m.evaluate(xs, ys, { batchSize: 32 })) as sg.Tensor[];
    const pred = m.predict(xs) as sg.Tensor;
    const direct = sg.tidy(() => [sg.mean(sg.losses.huber(ys, pred)), sg.mean(sg.metrics.mape(ys, pred))]);
    expectClose([...(await ev[0].data()), ...(await ev[1].data())], [...(await direct[0].data()), ...(await direct[1].data())], FORWARD_TOL, 'evaluate');
    sg.dispose([xs, ys, pred, ...ev, ...direct]);
    m.dispose();
  });
});

describe('metrics vs tfjs or a float64 Keras formula', () => {
  const n = 40;
  const labels = rand(n, 11, 0, 1).map((v) => (v > 0.55 ? 1 : 0));
  const scores = rand(n, 12, 0, 1).map((v, i) => Math.fround(Math.min(1, Math.max(0, v * 0.7 + labels[i] * 0.3))));

  it('precision and recall equal tf.metrics.precision/recall on the rounded predictions', async () => {
    const t = sg.tensor(labels, [n, 1]), p = sg.tensor(scores, [n, 1]);
    const tt = tf.tensor(labels, [n, 1]), tr = tf.tensor(scores.map((s) => (s > 0.5 ? 1 : 0)), [n, 1]);
    for (const [name, f, g] of [['precision', sg.metrics.precision, tf.metrics.precision], ['recall', sg.metrics.recall, tf.metrics.recall]] as const) {
      const a = f(t, p), b = g(tt, tr);
      expectClose(await a.data(), await b.data(), FORWARD_TOL, name);
      expect((await a.data())[0]).toBeGreaterThan(0);
      sg.dispose(a); tf.dispose(b);
    }
    // Nothing predicted positive / no positives: 0, not NaN (Keras's divide_no_nan).
    const z = sg.zeros([3, 1]);
    const pz = sg.metrics.precision(z, z), rz = sg.metrics.recall(z, z);
    expect([(await pz.data())[0], (await rz.data())[0]]).toEqual([0, 0]);
    sg.dispose([t, p, z, pz, rz]);
    tf.dispose([tt, tr]);
  });

  it('auc equals the float64 Keras formula (200 thresholds, trapezoids) and is near the exact rank AUC', async () => {
    const T = 200;
    const th = [-1e-7, ...Array.from({ length: T - 2 }, (_, i) => (i + 1) / (T - 1)), 1 + 1e-7];
    const pos = labels.filter((l) => l === 1).length, neg = n - pos;
    const tpr = th.map((h) => scores.filter((s, i) => s > h && labels[i] === 1).length / pos);
    const fpr = th.map((h) => scores.filter((s, i) => s > h && labels[i] === 0).length / neg);
    let want = 0;
    for (let i = 0; i < T - 1; i++) want += (fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1]) / 2;
    let exact = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (labels[i] === 1 && labels[j] === 0) exact += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    exact /= pos * neg;
    const t = sg.tensor(labels, [n, 1]), p = sg.tensor(scores, [n, 1]);
    const a = sg.metrics.auc(t, p);
    const got = (await a.data())[0];
    expectClose([got], [want], FORWARD_TOL, 'auc');
    expect(Math.abs(got - exact)).toBeLessThan(0.02);
    expect(got).toBeGreaterThan(0.6);
    sg.dispose([t, p, a]);
  });

  it('r2Score equals tf.metrics.r2Score for one column and the float64 per-column mean for several', async () => {
    const yt = rand(30, 21, -2, 2), yp = yt.map((v, i) => Math.fround(v + 0.3 * rand(30, 22)[i]));
    const t1 = sg.tensor(yt, [30, 1]), p1 = sg.tensor(yp, [30, 1]);
    const a = sg.metrics.r2Score(t1, p1), b = tf.metrics.r2Score(tf.tensor(yt, [30, 1]), tf.tensor(yp, [30, 1]));
    expectClose(await a.data(), await b.data(), FORWARD_TOL, 'r2 one column');
    const cols = 3;
    const t3 = sg.tensor(yt, [10, cols]), p3 = sg.tensor(yp, [10, cols]);
    const c = sg.metrics.r2Score(t3, p3);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const col = (v: number[]) => v.filter((_, i) => i % cols === j);
      const y = col(yt), q = col(yp);
      const mean = y.reduce((s, v) => s + v, 0) / y.length;
      sum += 1 - y.reduce((s, v, i) => s + (v - q[i]) ** 2, 0) / y.reduce((s, v) => s + (v - mean) ** 2, 0);
    }
    expectClose(await c.data(), [sum / cols], FORWARD_TOL, 'r2 per column');
    sg.dispose([t1, p1, a, t3, p3, c]);
    tf.dispose(b);
  });

  it('binaryAccuracy, categoricalAccuracy and mape equal tf.metrics', async () => {
    const yb = labels.slice(0, 12), pb = scores.slice(0, 12);
    const oh = [0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0], pc = rand(12, 31, 0, 1);
    const pairs: [string, sg.Tensor, TfT][] = sg.tidy(() => [
      ['binaryAccuracy', sg.metrics.binaryAccuracy(sg.tensor(yb, [4, 3]), sg.tensor(pb, [4, 3])), tf.metrics.binaryAccuracy(tf.tensor(yb, [4, 3]), tf.tensor(pb, [4, 3]))],
      ['categoricalAccuracy', sg.metrics.categoricalAccuracy(sg.tensor(oh, [4, 3]), sg.tensor(pc, [4, 3])), tf.metrics.categoricalAccuracy(tf.tensor(oh, [4, 3]), tf.tensor(pc, [4, 3]))],
      ['mape', sg.metrics.mape(sg.tensor(pc, [4, 3]), sg.tensor(pb, [4, 3])), tf.metrics.MAPE(tf.tensor(pc, [4, 3]), tf.tensor(pb, [4, 3]))],
    ] as never);
    for (const [name, a, b] of pairs) expectClose(await a.data(), await b.data(), FORWARD_TOL, name);
    sg.dispose(pairs.map((p) => p[1]));
    tf.dispose(pairs.map((p) => p[2]));
  });

  it('compile accepts the names; one-batch evaluate gives the batch values', async () => {
    const x = sg.tensor(scores.map((s) => s * 4 - 2), [n, 1]);
    const y = sg.tensor(labels, [n, 1]);
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['precision', 'recall', 'auc', 'binaryAccuracy', 'r2Score', 'mape'] });
    const h = await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, seed: 1 });
    for (const k of ['loss', 'precision', 'recall', 'auc', 'binaryAccuracy', 'r2Score', 'mape']) expect(h.history[k], k).toHaveLength(2);
    const ev = (await m.evaluate(x, y, { batchSize: n })) as sg.Tensor[];
    const pred = m.predict(x) as sg.Tensor;
    const direct = sg.tidy(() => [sg.metrics.precision(y, pred), sg.metrics.recall(y, pred), sg.metrics.auc(y, pred), sg.mean(sg.metrics.binaryAccuracy(y, pred)), sg.metrics.r2Score(y, pred), sg.mean(sg.metrics.mape(y, pred))]);
    const got: number[] = [];
    for (const t of ev.slice(1)) got.push((await t.data())[0]);
    const want: number[] = [];
    for (const t of direct) want.push((await t.data())[0]);
    expectClose(got, want, FORWARD_TOL, 'evaluate metrics');
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['precisoin'] })).toThrow(/unknown metric 'precisoin'/);
    sg.dispose([x, y, pred, ...ev, ...direct]);
    m.dispose();
  });
});

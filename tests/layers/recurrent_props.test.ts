/**
 * Recurrent layers beyond the tfjs layer comparison: GRU with resetAfter
 * (Keras 3's default, which tfjs lacks) against a step-by-step reference from
 * tfjs primitive ops and a float64 one, config round trips (including configs
 * written by tfjs), parameter counts, initial biases, dropout semantics,
 * regularizers, errors and memory.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import * as rec from '../../src/layers/recurrent/index.js';
import type { Regularizer } from '../../src/layers/layer.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { FORWARD_TOL, GRAD_TOL, expectClose } from '../helpers/compare.js';
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

interface GruOpts {
  returnSequences?: boolean;
  goBackwards?: boolean;
  returnState?: boolean;
  useBias?: boolean;
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
}

/** Keras 3 GRU (reset_after) step by step from tfjs primitives: m = h·U + b_rec; ĥ = tanh(xw_h + r·m_h). */
function gruRefTf(x: TfTensor, w: TfTensor, u: TfTensor, b: TfTensor | null, o: GruOpts): TfTensor {
  const [batch, steps, f] = x.shape;
  const units = u.shape[0];
  const ra = o.recurrentActivation === 'hardSigmoid' ? (v: TfTensor) => tf.clipByValue(tf.add(tf.mul(v, 0.2), 0.5), 0, 1) : (v: TfTensor) => tf.sigmoid(v);
  const [bIn, bRec] = b ? tf.unstack(b, 0) : [null, null];
  let h: TfTensor = tf.zeros([batch, units]);
  const outs: TfTensor[] = [];
  for (let s = 0; s < steps; s++) {
    const t = o.goBackwards ? steps - 1 - s : s;
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, f]), [batch, f]);
    let mx = tf.matMul(xt, w);
    let mh = tf.matMul(h, u);
    if (bIn && bRec) {
      mx = tf.add(mx, bIn);
      mh = tf.add(mh, bRec);
    }
    const [xz, xr, xh] = tf.split(mx, 3, 1);
    const [hz, hr, hh] = tf.split(mh, 3, 1);
    const z = ra(tf.add(xz, hz));
    const r = ra(tf.add(xr, hr));
    const cand = tf.tanh(tf.add(xh, tf.mul(r, hh)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), cand));
    outs.push(h);
  }
  return o.returnSequences ? tf.stack(outs, 1) : h;
}

/** The same formula in float64 with plain loops (independent of both tensor libraries). */
function gruRef64(x: number[], w: number[], u: number[], b: number[] | null, shape: number[], units: number, o: GruOpts): number[] {
  const [batch, steps, f] = shape;
  const g = 3 * units;
  const ra = o.recurrentActivation === 'hardSigmoid' ? (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5)) : (v: number) => 1 / (1 + Math.exp(-v));
  let h = new Float64Array(batch * units);
  const outs: Float64Array[] = [];
  for (let s = 0; s < steps; s++) {
    const t = o.goBackwards ? steps - 1 - s : s;
    const next = new Float64Array(batch * units);
    for (let bi = 0; bi < batch; bi++) {
      const mx = new Float64Array(g);
      const mh = new Float64Array(g);
      for (let j = 0; j < g; j++) {
        let a = b ? b[j] : 0;
        for (let k = 0; k < f; k++) a += x[(bi * steps + t) * f + k] * w[k * g + j];
        mx[j] = a;
        let c = b ? b[g + j] : 0;
        for (let k = 0; k < units; k++) c += h[bi * units + k] * u[k * g + j];
        mh[j] = c;
      }
      for (let j = 0; j < units; j++) {
        const z = ra(mx[j] + mh[j]);
        const r = ra(mx[units + j] + mh[units + j]);
        const cand = Math.tanh(mx[2 * units + j] + r * mh[2 * units + j]);
        next[bi * units + j] = z * h[bi * units + j] + (1 - z) * cand;
      }
    }
    h = next;
    outs.push(h);
  }
  if (!o.returnSequences) return [...h];
  const out: number[] = [];
  for (let bi = 0; bi < batch; bi++) for (let s = 0; s < steps; s++) for (let j = 0; j < units; j++) out.push(outs[s][bi * units + j]);
  return out;
}

describe('GRU resetAfter: true (Keras 3) against step-by-step references', () => {
  const shape = [2, 4, 3];
  const units = 5;
  const cases: [string, GruOpts][] = [
    ['last output', {}],
    ['returnSequences', { returnSequences: true }],
    ['goBackwards + returnSequences', { goBackwards: true, returnSequences: true }],
    ['hardSigmoid', { recurrentActivation: 'hardSigmoid', returnSequences: true }],
    ['no bias', { useBias: false }],
    ['returnState', { returnState: true }],
  ];
  test.each(cases)('%s', async (_, o) => {
    const useBias = o.useBias ?? true;
    const layer = rec.gru({ units, returnSequences: o.returnSequences, goBackwards: o.goBackwards, returnState: o.returnState, useBias, recurrentActivation: o.recurrentActivation });
    layer.build([null, shape[1], shape[2]]);
    expect(layer.weights.map((v) => v.shape)).toEqual([[3, 15], [5, 15], ...(useBias ? [[2, 15]] : [])]);
    const vals = layer.weights.map((v, i) => rand(v.size, 100 + i, 0.7));
    const ws = layer.weights.map((v, i) => sg.tensor(vals[i], v.shape));
    layer.setWeights(ws);
    sg.dispose(ws);
    const xv = rand(2 * 4 * 3, 5);
    const x = sg.tensor(xv, shape);
    const outShape = o.returnSequences ? [2, 4, units] : [2, units];
    const dyv = rand(outShape.reduce((a, c) => a * c, 1), 9);
    const dy = sg.tensor(dyv, outShape);
    const run = (xx: sg.Tensor): sg.Tensor => {
      const y = layer.call(xx);
      return Array.isArray(y) ? y[0] : y;
    };
    // Forward vs tfjs primitives (float32) and plain float64.
    const y = sg.tidy(() => {
      const r = layer.call(x);
      if (o.returnState) {
        const [out, state] = r as sg.Tensor[];
        expect(state.shape).toEqual([2, units]);
        return sg.keep(out);
      }
      return r as sg.Tensor;
    });
    const tfArgs = [tf.tensor(xv, shape), ...layer.weights.map((v, i) => tf.tensor(vals[i], [...v.shape]))];
    const tfFn = (xx: TfTensor, w: TfTensor, u: TfTensor, b?: TfTensor): TfTensor => gruRefTf(xx, w, u, b ?? null, o);
    const yTf = tf.tidy(() => tfFn(...(tfArgs as [TfTensor, TfTensor, TfTensor, TfTensor])));
    expectClose(await y.data(), await yTf.data(), FORWARD_TOL, 'output vs tfjs-primitive reference');
    const y64 = gruRef64(xv, vals[0], vals[1], useBias ? vals[2] : null, shape, units, o);
    expectClose(await y.data(), y64, FORWARD_TOL, 'output vs float64 reference');
    // Gradients w.r.t. input and every weight vs tf.grads of the primitive reference.
    const dyTf = tf.tensor(dyv, outShape);
    const gTf = tf.grads((...a: TfTensor[]) => tf.sum(tf.mul(tfFn(a[0], a[1], a[2], a[3]), dyTf)))(tfArgs as never);
    const gSg = sg.grads((xx: sg.Tensor) => sg.sum(sg.mul(run(xx), dy)))([x, ...layer.weights]);
    // And w.r.t. the input by central differences of the float64 reference.
    const loss64 = (xs: number[]): number => gruRef64(xs, vals[0], vals[1], useBias ? vals[2] : null, shape, units, o).reduce((a, v, i) => a + v * dyv[i], 0);
    const fd = xv.map((_, i) => {
      const e = 1e-6;
      const p = [...xv];
      const m = [...xv];
      p[i] += e;
      m[i] -= e;
      return (loss64(p) - loss64(m)) / (2 * e);
    });
    try {
      const names = ['input', 'kernel', 'recurrent_kernel', 'bias'];
      for (let i = 0; i < gTf.length; i++) expectClose(await gSg[i].data(), await gTf[i].data(), GRAD_TOL, `gradient w.r.t. ${names[i]}`);
      expectClose(await gSg[0].data(), fd, GRAD_TOL, 'input gradient vs float64 finite differences');
    } finally {
      sg.dispose([...gSg, x, y, dy]);
      tf.dispose([...gTf, ...tfArgs, yTf, dyTf]);
      layer.dispose();
    }
  });

  test('bidirectional GRU with resetAfter: concat of the forward and time-reversed backward reference', async () => {
    const shape = [2, 4, 3];
    const layer = rec.bidirectional({ layer: rec.gru({ units: 4, returnSequences: true }), mergeMode: 'concat' });
    layer.build([null, 4, 3]);
    const vals = layer.weights.map((v, i) => rand(v.size, 200 + i, 0.7));
    const ws = layer.weights.map((v, i) => sg.tensor(vals[i], v.shape));
    layer.setWeights(ws);
    sg.dispose(ws);
    const xv = rand(24, 3);
    const x = sg.tensor(xv, shape);
    const y = layer.call(x) as sg.Tensor;
    const ref = tf.tidy(() => {
      const t = vals.map((v, i) => tf.tensor(v, [...layer.weights[i].shape]));
      const xt = tf.tensor(xv, shape);
      const f = gruRefTf(xt, t[0], t[1], t[2], { returnSequences: true });
      const b = tf.reverse(gruRefTf(xt, t[3], t[4], t[5], { returnSequences: true, goBackwards: true }), 1);
      return tf.concat([f, b], -1);
    });
    expectClose(await y.data(), await ref.data(), FORWARD_TOL, 'bidirectional output');
    sg.dispose([x, y]);
    ref.dispose();
    layer.dispose();
  });
});

describe('configs', () => {
  test('a tfjs model.json config loads with recurrentFromConfig and computes the same outputs with tfjs weights', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as never, inputShape: [5, 2] }),
        tf.layers.gru({ units: 2, returnSequences: true }),
        tf.layers.simpleRNN({ units: 2, goBackwards: true }),
      ],
    });
    const json = m.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const layers = json.config.layers.map((l) => rec.recurrentFromConfig(l.class_name, l.config));
    expect(layers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'GRU', 'SimpleRNN']);
    expect((layers[0] as rec.Bidirectional).forwardLayer.getConfig().recurrent_activation).toBe('hard_sigmoid');
    expect((layers[1] as rec.GRU).resetAfter).toBe(false);
    expect(layers[0].batchInputShape).toEqual([null, 5, 2]);
    let shape: (number | null)[] = [null, 5, 2];
    for (const l of layers) {
      l.build(shape);
      shape = l.computeOutputShape(shape) as (number | null)[];
    }
    const tfWeights = m.getWeights();
    const mine = await Promise.all(tfWeights.map(async (w) => sg.tensor(await w.data(), w.shape)));
    let k = 0;
    for (const l of layers) {
      const n = l.weights.length;
      l.setWeights(mine.slice(k, k + n));
      k += n;
    }
    expect(k).toBe(tfWeights.length);
    sg.dispose(mine);
    const xv = rand(3 * 5 * 2, 4);
    const x = sg.tensor(xv, [3, 5, 2]);
    const y = sg.tidy(() => layers.reduce<sg.Tensor>((h, l) => l.call(h) as sg.Tensor, x));
    const yTf = m.predict(tf.tensor(xv, [3, 5, 2])) as TfTensor;
    expectClose(await y.data(), await yTf.data(), FORWARD_TOL, 'model output');
    // Weight names follow tfjs's scheme: bidirectional/forward_<layer>/kernel.
    expect(layers[0].weights[0].name).toMatch(/^bidirectional.*\/forward_lstm.*\/kernel$/);
    sg.dispose([x, y]);
    yTf.dispose();
    m.dispose();
    layers.forEach((l) => l.dispose());
  });

  test('getConfig round-trips through recurrentFromConfig, with Keras keys and class names', () => {
    const made = [
      rec.simpleRNN({ units: 4, activation: 'relu', goBackwards: true, inputShape: [7, 3] }),
      rec.lstm({ units: 5, returnSequences: true, unitForgetBias: false, recurrentActivation: 'hardSigmoid', dropout: 0.25 }),
      rec.gru({ units: 6, resetAfter: false, returnState: true, recurrentDropout: 0.1, kernelInitializer: 'heNormal' }),
      rec.bidirectional({ layer: rec.gru({ units: 2 }), mergeMode: 'ave' }),
    ];
    for (const l of made) {
      const cfg = l.getConfig();
      const back = rec.recurrentFromConfig(l.getClassName(), JSON.parse(JSON.stringify(cfg)));
      const cfg2 = back.getConfig();
      expect({ ...cfg2, name: null }).toEqual({ ...cfg, name: null });
      back.dispose();
      l.dispose();
    }
    const c = made[1].getConfig();
    expect(c).toMatchObject({ units: 5, return_sequences: true, unit_forget_bias: false, recurrent_activation: 'hard_sigmoid', dropout: 0.25, activation: 'tanh' });
    expect(made[0].getConfig()).toMatchObject({ batch_input_shape: [null, 7, 3], go_backwards: true, activation: 'relu' });
    expect(made[2].getConfig()).toMatchObject({ reset_after: false, return_state: true, kernel_initializer: { class_name: 'HeNormal' } });
    expect(made[3].getConfig()).toMatchObject({ merge_mode: 'ave', layer: { class_name: 'GRU', config: { units: 2, reset_after: true } } });
  });

  test('Keras 3 defaults: sigmoid gates, glorotUniform/orthogonal/zeros, GRU resetAfter with bias [2, 3u], LSTM forget bias 1', async () => {
    const l = rec.lstm({ units: 3 });
    const g = rec.gru({ units: 3 });
    const s = rec.simpleRNN({ units: 3 });
    l.build([null, 4, 2]);
    g.build([null, 4, 2]);
    s.build([null, 4, 2]);
    expect(l.getConfig()).toMatchObject({
      recurrent_activation: 'sigmoid', activation: 'tanh', unit_forget_bias: true, use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform' }, recurrent_initializer: { class_name: 'Orthogonal' }, bias_initializer: { class_name: 'Zeros' },
    });
    expect(g.getConfig()).toMatchObject({ recurrent_activation: 'sigmoid', reset_after: true });
    expect(g.weights.map((v) => v.shape)).toEqual([[2, 9], [3, 9], [2, 9]]);
    expect(l.namedWeights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
    // unitForgetBias: bias = [0 (i), 1 (f), 0 (c), 0 (o)] per unit block.
    expect(Array.from(await l.bias!.data())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const nf = rec.lstm({ units: 2, unitForgetBias: false });
    nf.build([null, 1, 1]);
    expect(Array.from(await nf.bias!.data())).toEqual(new Array(8).fill(0));
    // The orthogonal recurrent kernel: Uᵀ·U = I for the square [units, units] SimpleRNN kernel.
    const u = s.recurrentKernel!;
    const utu = sg.matMul(u, u, true, false);
    const eye = sg.tidy(() => sg.oneHot(sg.tensor([0, 1, 2], [3], 'int32'), 3).cast('float32'));
    expectClose(await utu.data(), await eye.data(), { rtol: 0, atol: 1e-5 }, 'UᵀU');
    sg.dispose([utu, eye]);
    [l, g, s, nf].forEach((x) => x.dispose());
  });
});

describe('parameter counts (the course model)', () => {
  test('LSTM(32, returnSequences) on [5, 1] → 4,352; LSTM(16) after it → 3,136; both as tfjs', () => {
    const a = rec.lstm({ units: 32, returnSequences: true, inputShape: [5, 1] });
    const b = rec.lstm({ units: 16 });
    a.build(a.batchInputShape!);
    const sh = a.computeOutputShape(a.batchInputShape!) as (number | null)[];
    expect(sh).toEqual([null, 5, 32]);
    b.build(sh);
    expect(a.countParams()).toBe(4352);
    expect(b.countParams()).toBe(3136);
    expect(b.computeOutputShape(sh)).toEqual([null, 16]);
    // Dense(1) on 16 features adds 16 + 1 = 17 (Dense is tested with the core layers): 7,505 in all.
    expect(a.countParams() + b.countParams() + 16 + 1).toBe(7505);
    const m = tf.sequential({ layers: [tf.layers.lstm({ units: 32, returnSequences: true, inputShape: [5, 1] }), tf.layers.lstm({ units: 16 }), tf.layers.dense({ units: 1 })] });
    expect(m.countParams()).toBe(7505);
    expect(m.layers.map((l) => l.countParams())).toEqual([a.countParams(), b.countParams(), 17]);
    m.dispose();
    a.dispose();
    b.dispose();
  });

  test('GRU and bidirectional counts match tfjs (resetAfter adds 3·units)', () => {
    const g = rec.gru({ units: 8, resetAfter: false });
    const g2 = rec.gru({ units: 8 });
    const bi = rec.bidirectional({ layer: rec.simpleRNN({ units: 8 }) });
    [g, g2, bi].forEach((l) => l.build([null, 6, 3]));
    const tg = tf.layers.gru({ units: 8 });
    const tb = tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 8 }) as never });
    tf.tidy(() => {
      tg.apply(tf.zeros([1, 6, 3]));
      tb.apply(tf.zeros([1, 6, 3]));
    });
    expect(g.countParams()).toBe(tg.countParams());
    expect(g2.countParams()).toBe(tg.countParams() + 24);
    expect(bi.countParams()).toBe(tb.countParams());
    [g, g2, bi].forEach((l) => l.dispose());
    tg.dispose();
    tb.dispose();
  });
});

describe('dropout', () => {
  test.each(['simpleRNN', 'lstm', 'gru'] as const)('%s: training=false ignores dropout; training=true changes the output', async (kind) => {
    const withDrop = rec[kind]({ units: 4, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
    const plain = rec[kind]({ units: 4, returnSequences: true });
    withDrop.build([null, 5, 3]);
    plain.build([null, 5, 3]);
    const ws = withDrop.getWeights();
    plain.setWeights(ws);
    sg.dispose(ws);
    const x = sg.tensor(rand(30, 2), [2, 5, 3]);
    const a = withDrop.call(x, { training: false }) as sg.Tensor;
    const a2 = withDrop.call(x) as sg.Tensor;
    const b = plain.call(x, { training: true }) as sg.Tensor;
    const c = withDrop.call(x, { training: true }) as sg.Tensor;
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a2.data())).toEqual(Array.from(await b.data()));
    const da = await a.data();
    const dc = await c.data();
    expect(dc.some((v, i) => Math.abs(v - da[i]) > 1e-6)).toBe(true);
    sg.dispose([x, a, a2, b, c]);
    withDrop.dispose();
    plain.dispose();
  });

  test('the input mask is one per sequence: the same features are dropped at every step', async () => {
    // Linear SimpleRNN with W = I, U = 0, no bias, x = 1: h_t = mask_in, for every t.
    const l = rec.simpleRNN({ units: 16, activation: 'linear', useBias: false, dropout: 0.5, returnSequences: true, kernelInitializer: 'identity', recurrentInitializer: 'zeros' });
    const x = sg.ones([4, 6, 16]);
    const y = l.call(x, { training: true }) as sg.Tensor;
    const v = await y.data();
    let zeros = 0;
    for (let b = 0; b < 4; b++) {
      for (let j = 0; j < 16; j++) {
        const first = v[(b * 6) * 16 + j];
        expect([0, 2]).toContain(Math.round(first * 1e5) / 1e5);
        if (first === 0) zeros++;
        for (let t = 1; t < 6; t++) expect(v[(b * 6 + t) * 16 + j]).toBeCloseTo(first, 5);
      }
    }
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(64);
    sg.dispose([x, y]);
    l.dispose();
  });

  test('the recurrent mask is one per sequence: h_t = h_1^t when W = U = I and x is 1 only at t = 0', async () => {
    const l = rec.simpleRNN({ units: 16, activation: 'linear', useBias: false, recurrentDropout: 0.5, returnSequences: true, kernelInitializer: 'identity', recurrentInitializer: 'identity' });
    const xv = new Array(4 * 5 * 16).fill(0);
    for (let b = 0; b < 4; b++) for (let j = 0; j < 16; j++) xv[b * 5 * 16 + j] = 1;
    const x = sg.tensor(xv, [4, 5, 16]);
    const y = l.call(x, { training: true }) as sg.Tensor;
    const v = await y.data();
    let dropped = 0;
    for (let b = 0; b < 4; b++) {
      for (let j = 0; j < 16; j++) {
        const at = (t: number): number => v[(b * 5 + t) * 16 + j];
        expect(at(0)).toBe(1);
        const m = at(1); // 0 or 2
        expect([0, 2]).toContain(Math.round(m * 1e5) / 1e5);
        if (m === 0) dropped++;
        for (let t = 2; t < 5; t++) expect(at(t)).toBeCloseTo(m ** t, 4);
      }
    }
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(64);
    sg.dispose([x, y]);
    l.dispose();
  });
});

describe('regularizers, errors and memory', () => {
  test('kernel/recurrent/bias regularizers add their penalties to regularizationLoss', async () => {
    const l2 = (c: number): Regularizer => ({ apply: (w) => sg.tidy(() => sg.mul(sg.sum(sg.square(w)), c)), getConfig: () => ({ l2: c }), getClassName: () => 'L2' });
    const l = rec.lstm({ units: 3, kernelRegularizer: l2(0.01), recurrentRegularizer: l2(0.02), biasRegularizer: l2(0.5) });
    l.build([null, 2, 2]);
    // Layer.regularizationLoss sums the penalties with plain ops: run it in a tidy.
    const loss = sg.tidy(() => l.regularizationLoss()!);
    const ws = await Promise.all(l.weights.map(async (v) => tf.tensor(await v.data(), [...v.shape])));
    const ref = tf.tidy(() => tf.addN(ws.map((w, i) => tf.mul(tf.sum(tf.square(w)), [0.01, 0.02, 0.5][i]))));
    expectClose(await loss.data(), await ref.data(), FORWARD_TOL, 'penalty');
    expect(l.getConfig().kernel_regularizer).toEqual({ class_name: 'L2', config: { l2: 0.01 } });
    loss.dispose();
    tf.dispose([...ws, ref]);
    l.dispose();
  });

  test('bad arguments fail with messages naming the layer and shapes', () => {
    expect(() => rec.lstm({ units: 0 })).toThrow(/units must be a positive integer/);
    expect(() => rec.gru({ units: 2, dropout: 1.5 })).toThrow(/dropout must be in/);
    expect(() => rec.bidirectional({ layer: rec.lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode/);
    const l = rec.simpleRNN({ units: 2, name: 'rnn_err' });
    const x2 = sg.zeros([2, 3]);
    expect(() => l.call(x2)).toThrow(/rnn_err: expects input \[batch, timesteps, features\], got \[2,3\]/);
    const x3 = sg.zeros([2, 3, 4]);
    l.build([null, 1, 5]);
    expect(() => l.call(x3)).toThrow(/rnn_err: expects 5 input features, got input \[2,3,4\]/);
    expect(() => rec.recurrentFromConfig('ConvLSTM2D', {})).toThrow(/unknown class 'ConvLSTM2D'/);
    sg.dispose([x2, x3]);
    l.dispose();
  });

  test('50 forward+backward passes (dropout on, bidirectional LSTM into GRU) leave numTensors and numBytes unchanged', () => {
    const a = rec.bidirectional({ layer: rec.lstm({ units: 4, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2 }) });
    const b = rec.gru({ units: 3, dropout: 0.1, recurrentDropout: 0.3 });
    const x = sg.tensor(rand(2 * 5 * 3, 8), [2, 5, 3]);
    const pass = (): void => {
      const vars = [...a.trainableWeights, ...b.trainableWeights];
      const { value, grads } = sg.variableGrads(() => sg.sum(b.call(a.call(x, { training: true }) as sg.Tensor, { training: true }) as sg.Tensor), vars);
      sg.dispose([value, ...Object.values(grads)]);
      const y = sg.tidy(() => b.call(a.call(x) as sg.Tensor) as sg.Tensor);
      y.dispose();
    };
    pass();
    const after1 = sg.memory();
    for (let i = 0; i < 50; i++) pass();
    const after51 = sg.memory();
    expect(after51.numTensors).toBe(after1.numTensors);
    expect(after51.numBytes).toBe(after1.numBytes);
    x.dispose();
    a.dispose();
    b.dispose();
  });

  test('a forward pass frees its intermediates without tidy', () => {
    const l = rec.lstm({ units: 4, returnSequences: true, returnState: true, dropout: 0.3 });
    const x = sg.ones([2, 3, 2]);
    l.build([null, 3, 2]);
    const before = sg.memory().numTensors;
    const ys = l.call(x, { training: true }) as sg.Tensor[];
    expect(ys.length).toBe(3);
    expect(sg.memory().numTensors).toBe(before + 3);
    sg.dispose([...ys, x]);
    l.dispose();
  });
});

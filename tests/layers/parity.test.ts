/** Layer parity vs TensorFlow.js (CPU): forward outputs of dense with each activation. */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/compare.js';

let tf: Tf;
let start = 0;
/** The backend shadergrad runs on: cpu here; parity_webgpu.test.ts re-runs this file on webgpu. */
const SG_BACKEND = (globalThis as { __SG_PARITY_BACKEND__?: string }).__SG_PARITY_BACKEND__ ?? 'cpu';
beforeAll(async () => { tf = await getTf(); await sg.setBackend(SG_BACKEND); });
beforeEach(() => { start = sg.memory().numTensors; });
it(`runs shadergrad on ${SG_BACKEND}`, () => { expect(sg.getBackend()).toBe(SG_BACKEND); });
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

// ---------------------------------------------------------------------------
// Generic forward + gradient parity: tfjs weights (randomised, biases included)
// are copied into the sg layer; forward output, d sum(y·w)/d input and
// d sum(y·w)/d every trainable weight are compared.
// ---------------------------------------------------------------------------
type TfT = import('@tensorflow/tfjs').Tensor;
type TfLayer = import('@tensorflow/tfjs').layers.Layer;

interface Case {
  name: string;
  tfLayer: () => TfLayer;
  sgLayer: () => sg.Layer;
  /** One shape per input (batch included). */
  shapes: number[][];
  /** Integer inputs in [0, n) (embedding): no input gradient. */
  intRange?: number;
  training?: boolean;
  /**
   * tfjs has no gradients for dilated convolutions: its reference loss then uses
   * the equivalent undilated convolution whose kernel is the dilated one with
   * zeros inserted (built from the kernel variable with matMuls, so the kernel
   * gradient flows back).
   */
  /**
   * The layer is linear in its (single) input and tfjs's own gradient is wrong
   * (avgPoolBackprop divides by the full window, padding included, while the
   * forward divides by the valid count): the reference input gradient is then
   * Aᵀw, built from tfjs forwards of the basis vectors.
   */
  linearRef?: boolean;
  dilatedConv?: { rank: 1 | 2; dilation: number; strides: number | [number, number]; padding: 'valid' | 'same' };
}

/** S[K, k] with S[i·d, i] = 1: the zero-insertion matrix for dilation d. */
function dilationMatrix(k: number, d: number): TfT {
  const K = (k - 1) * d + 1;
  const v = new Array<number>(K * k).fill(0);
  for (let i = 0; i < k; i++) v[i * d * k + i] = 1;
  return tf.tensor(v, [K, k]);
}

function dilatedConvTf(x: TfT, kernel: TfT, bias: TfT, o: NonNullable<Case['dilatedConv']>): TfT {
  const d = o.dilation;
  if (o.rank === 1) {
    const [k, ci, co] = kernel.shape;
    const S = dilationMatrix(k, d);
    const ek = tf.reshape(tf.matMul(S, tf.reshape(kernel, [k, ci * co])), [(k - 1) * d + 1, ci, co]);
    return tf.add(tf.conv1d(x as import('@tensorflow/tfjs').Tensor3D, ek as import('@tensorflow/tfjs').Tensor3D, o.strides as number, o.padding), bias);
  }
  const [kh, kw, ci, co] = kernel.shape;
  const Sh = dilationMatrix(kh, d), Sw = dilationMatrix(kw, d);
  const KH = (kh - 1) * d + 1, KW = (kw - 1) * d + 1;
  let e = tf.reshape(tf.matMul(Sh, tf.reshape(kernel, [kh, kw * ci * co])), [KH, kw, ci, co]);
  e = tf.reshape(tf.matMul(Sw, tf.reshape(tf.transpose(e, [1, 0, 2, 3]), [kw, KH * ci * co])), [KW, KH, ci, co]);
  e = tf.transpose(e, [1, 0, 2, 3]);
  return tf.add(tf.conv2d(x as import('@tensorflow/tfjs').Tensor4D, e as import('@tensorflow/tfjs').Tensor4D, o.strides, o.padding), bias);
}

function randomiseTfWeights(tl: TfLayer, seed: number): void {
  const ws = tl.getWeights();
  const nw = ws.map((w, i) => {
    let v = rand(w.size, seed + 31 * i);
    if (tl.weights[i].name.includes('variance')) v = v.map((a) => Math.abs(a) + 0.5);
    return tf.tensor(v, w.shape);
  });
  tl.setWeights(nw);
  nw.forEach((t) => t.dispose());
}

function linearGrad(tl: TfLayer, shape: number[], tw: TfT): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    out.push(tf.tidy(() => {
      const e = tf.oneHot(tf.tensor1d([j], 'int32'), n).toFloat().reshape(shape);
      return tf.sum(tf.mul(tl.apply(e) as TfT, tw)).dataSync()[0];
    }));
  }
  return out;
}

async function runCase(c: Case): Promise<void> {
  const seed = c.name.length * 101 + 5;
  const xvs = c.shapes.map((s, i) => {
    const n = s.reduce((a, b) => a * b, 1);
    return c.intRange ? rand(n, seed + i).map((v) => Math.floor((v + 1) / 2 * c.intRange!)) : rand(n, seed + i);
  });
  const dtype = c.intRange ? 'int32' : 'float32';
  const kw = c.training ? { training: true } : {};
  // --- tfjs reference
  const tl = c.tfLayer();
  const txs = xvs.map((v, i) => tf.tensor(v, c.shapes[i], dtype));
  const tin = (xs: TfT[]): TfT | TfT[] => (xs.length === 1 ? xs[0] : xs);
  tf.tidy(() => { tl.apply(tin(txs), kw); });
  randomiseTfWeights(tl, seed + 1000);
  const tfW0 = tl.getWeights().map((w) => Array.from(w.dataSync()));
  const ty = tl.apply(tin(txs), kw) as TfT;
  const expected = Array.from(await ty.data());
  const tfWAfter = tl.getWeights().map((w) => Array.from(w.dataSync()));
  const wv = rand(ty.size, seed + 2000);
  const tw = tf.tensor(wv, ty.shape);
  const tfVars = tl.trainableWeights.map((w) => (w as unknown as { read(): import('@tensorflow/tfjs').Variable }).read());
  const tfOut = (xs: TfT[]): TfT => (c.dilatedConv ? dilatedConvTf(xs[0], tfVars[0], tfVars[1], c.dilatedConv) : tl.apply(tin(xs), kw) as TfT);
  if (c.dilatedConv) expectClose(tf.tidy(() => tfOut(txs)).dataSync(), expected, FORWARD_TOL, `${c.name}: zero-inserted reference`);
  const tfLoss = (xs: TfT[]): TfT => tf.sum(tf.mul(tfOut(xs), tw));
  const tfXGrads = c.linearRef ? [linearGrad(tl, c.shapes[0], tw)] : c.intRange ? [] : await Promise.all(tf.grads((...xs: TfT[]) => tfLoss(xs))(txs).map(async (g) => { const d = Array.from(await g.data()); g.dispose(); return d; }));
  let tfWGrads: number[][] = [];
  if (tfVars.length) {
    const r = tf.variableGrads(() => tfLoss(txs) as import('@tensorflow/tfjs').Scalar, tfVars);
    tfWGrads = tfVars.map((v) => Array.from(r.grads[v.name].dataSync()));
    r.value.dispose();
    Object.values(r.grads).forEach((g) => g.dispose());
  }
  // --- sg
  const l = c.sgLayer();
  const xs = xvs.map((v, i) => sg.tensor(v, c.shapes[i], dtype));
  const sin = (a: sg.Tensor[]): sg.Tensor | sg.Tensor[] => (a.length === 1 ? a[0] : a);
  sg.tidy(() => { l.apply(sin(xs)); });
  const w0 = l.weights.map((w, i) => sg.tensor(tfW0[i], w.shape));
  l.setWeights(w0);
  w0.forEach((t) => t.dispose());
  const y = l.apply(sin(xs), kw) as sg.Tensor;
  expect(y.shape).toEqual(ty.shape);
  expectClose(await y.data(), expected, FORWARD_TOL, `${c.name} forward`);
  // weights after one call (batchNormalization's moving statistics in training)
  const after = l.getWeights();
  for (let i = 0; i < after.length; i++) expectClose(await after[i].data(), tfWAfter[i], FORWARD_TOL, `${c.name} weight ${i} after one call`);
  after.forEach((t) => t.dispose());
  const w = sg.tensor(wv, y.shape);
  const sgLoss = (a: sg.Tensor[]): sg.Tensor => sg.sum(sg.mul(l.apply(sin(a), kw) as sg.Tensor, w));
  if (!c.intRange) {
    const gs = sg.grads((...a: sg.Tensor[]) => sgLoss(a))(xs);
    for (let i = 0; i < gs.length; i++) expectClose(await gs[i].data(), tfXGrads[i], GRAD_TOL, `${c.name} d/dinput${i}`);
    gs.forEach((g) => g.dispose());
  }
  const vars = l.trainableWeights;
  expect(vars.length).toBe(tfVars.length);
  if (vars.length) {
    const r = sg.variableGrads(() => sgLoss(xs), vars);
    for (let i = 0; i < vars.length; i++) {
      const g = r.grads[vars[i].name];
      expect(g, `${c.name}: no gradient for ${vars[i].name}`).toBeDefined();
      expectClose(await g.data(), tfWGrads[i], GRAD_TOL, `${c.name} d/d${vars[i].name}`);
    }
    r.value.dispose();
    Object.values(r.grads).forEach((g) => g.dispose());
  }
  for (const t of [y, w, ...xs]) t.dispose();
  l.dispose();
  for (const t of [ty, tw, ...txs]) t.dispose();
  tl.dispose();
}

const L = (): typeof import('@tensorflow/tfjs').layers => tf.layers;
const cases: Case[] = [
  // conv1d
  ...([['valid', 1, 1], ['same', 1, 1], ['valid', 2, 1], ['same', 2, 1], ['valid', 1, 2], ['same', 1, 2]] as const).map(([padding, strides, dilationRate]): Case => ({
    name: `conv1d ${padding} strides ${strides} dilation ${dilationRate}`,
    tfLayer: () => L().conv1d({ filters: 3, kernelSize: 3, strides, padding, dilationRate }),
    sgLayer: () => sg.layers.conv1d({ filters: 3, kernelSize: 3, strides, padding, dilationRate }),
    shapes: [[2, 9, 2]],
    dilatedConv: dilationRate > 1 ? { rank: 1, dilation: dilationRate, strides, padding } : undefined,
  })),
  // conv2d
  ...([['valid', 1, 1], ['same', 2, 1], ['valid', 1, 2], ['same', 1, 2], ['same', [1, 2], 1]] as const).map(([padding, strides, dilationRate]): Case => ({
    name: `conv2d ${padding} strides ${strides} dilation ${dilationRate}`,
    tfLayer: () => L().conv2d({ filters: 2, kernelSize: 3, strides: strides as number | [number, number], padding, dilationRate }),
    sgLayer: () => sg.layers.conv2d({ filters: 2, kernelSize: 3, strides: strides as number | number[], padding, dilationRate }),
    shapes: [[2, 7, 6, 2]],
    dilatedConv: dilationRate > 1 ? { rank: 2, dilation: dilationRate, strides: strides as number | [number, number], padding } : undefined,
  })),
  // pooling
  ...([['valid', 2, undefined], ['same', 3, 2], ['valid', 3, 1]] as const).flatMap(([padding, poolSize, strides]): Case[] => [
    { name: `maxPooling1d ${padding} pool ${poolSize} strides ${strides}`, tfLayer: () => L().maxPooling1d({ poolSize, strides, padding }), sgLayer: () => sg.layers.maxPooling1d({ poolSize, strides, padding }), shapes: [[2, 7, 3]] },
    { name: `averagePooling1d ${padding} pool ${poolSize} strides ${strides}`, tfLayer: () => L().averagePooling1d({ poolSize, strides, padding }), sgLayer: () => sg.layers.averagePooling1d({ poolSize, strides, padding }), shapes: [[2, 7, 3]], linearRef: padding === 'same' },
    { name: `maxPooling2d ${padding} pool ${poolSize} strides ${strides}`, tfLayer: () => L().maxPooling2d({ poolSize, strides, padding }), sgLayer: () => sg.layers.maxPooling2d({ poolSize, strides, padding }), shapes: [[2, 7, 5, 2]] },
    { name: `averagePooling2d ${padding} pool ${poolSize} strides ${strides}`, tfLayer: () => L().averagePooling2d({ poolSize, strides, padding }), sgLayer: () => sg.layers.averagePooling2d({ poolSize, strides, padding }), shapes: [[2, 7, 5, 2]], linearRef: padding === 'same' },
  ]),
  { name: 'globalAveragePooling1d', tfLayer: () => L().globalAveragePooling1d({}), sgLayer: () => sg.layers.globalAveragePooling1d(), shapes: [[2, 5, 3]] },
  { name: 'globalMaxPooling1d', tfLayer: () => L().globalMaxPooling1d({}), sgLayer: () => sg.layers.globalMaxPooling1d(), shapes: [[2, 5, 3]] },
  { name: 'globalAveragePooling2d', tfLayer: () => L().globalAveragePooling2d({}), sgLayer: () => sg.layers.globalAveragePooling2d(), shapes: [[2, 4, 3, 2]] },
  { name: 'globalMaxPooling2d', tfLayer: () => L().globalMaxPooling2d({}), sgLayer: () => sg.layers.globalMaxPooling2d(), shapes: [[2, 4, 3, 2]] },
  // shape layers
  { name: 'flatten', tfLayer: () => L().flatten(), sgLayer: () => sg.layers.flatten(), shapes: [[2, 3, 2, 2]] },
  { name: 'reshape', tfLayer: () => L().reshape({ targetShape: [3, 4] }), sgLayer: () => sg.layers.reshape({ targetShape: [3, 4] }), shapes: [[2, 2, 6]] },
  { name: 'reshape -1', tfLayer: () => L().reshape({ targetShape: [-1, 2] }), sgLayer: () => sg.layers.reshape({ targetShape: [-1, 2] }), shapes: [[2, 2, 6]] },
  { name: 'dropout inference', tfLayer: () => L().dropout({ rate: 0.5 }), sgLayer: () => sg.layers.dropout({ rate: 0.5 }), shapes: [[3, 4]] },
  // embedding
  { name: 'embedding', tfLayer: () => L().embedding({ inputDim: 7, outputDim: 3 }), sgLayer: () => sg.layers.embedding({ inputDim: 7, outputDim: 3 }), shapes: [[2, 5]], intRange: 7 },
  // concatenate
  { name: 'concatenate axis -1', tfLayer: () => L().concatenate({ axis: -1 }), sgLayer: () => sg.layers.concatenate({ axis: -1 }), shapes: [[2, 3, 2], [2, 3, 4]] },
  { name: 'concatenate axis 1', tfLayer: () => L().concatenate({ axis: 1 }), sgLayer: () => sg.layers.concatenate({ axis: 1 }), shapes: [[2, 3, 2], [2, 1, 2]] },
  // batchNormalization
  { name: 'batchNormalization inference', tfLayer: () => L().batchNormalization({}), sgLayer: () => sg.layers.batchNormalization(), shapes: [[4, 3]] },
  { name: 'batchNormalization inference 4d', tfLayer: () => L().batchNormalization({ axis: -1 }), sgLayer: () => sg.layers.batchNormalization({ axis: -1 }), shapes: [[2, 3, 2, 3]] },
  { name: 'batchNormalization training', tfLayer: () => L().batchNormalization({ momentum: 0.8 }), sgLayer: () => sg.layers.batchNormalization({ momentum: 0.8 }), shapes: [[5, 3]], training: true },
  { name: 'batchNormalization training 4d', tfLayer: () => L().batchNormalization({ momentum: 0.9 }), sgLayer: () => sg.layers.batchNormalization({ momentum: 0.9 }), shapes: [[2, 3, 2, 3]], training: true },
];

describe('layer forward + gradient parity with tfjs', () => {
  for (const c of cases) it(c.name, () => runCase(c));
});

describe('dropout training', () => {
  it('mask rate and 1/(1-rate) scaling', async () => {
    const rate = 0.3;
    const l = sg.layers.dropout({ rate });
    const x = sg.ones([100, 100]);
    const y = l.apply(x, { training: true }) as sg.Tensor;
    const v = await y.data();
    let zeros = 0;
    for (const a of v) {
      if (a === 0) zeros++;
      else expect(Math.abs(a - 1 / (1 - rate))).toBeLessThan(1e-6);
    }
    expect(Math.abs(zeros / v.length - rate)).toBeLessThan(0.02);
    // gradient: mask·scale
    const g = sg.grad((a: sg.Tensor) => sg.sum(l.apply(a, { training: true }) as sg.Tensor))(x);
    const gv = await g.data();
    let gz = 0;
    for (const a of gv) {
      if (a === 0) gz++;
      else expect(Math.abs(a - 1 / (1 - rate))).toBeLessThan(1e-6);
    }
    expect(Math.abs(gz / gv.length - rate)).toBeLessThan(0.02);
    // inference is the identity
    const yi = l.apply(x) as sg.Tensor;
    expect(Array.from(await yi.data()).every((a) => a === 1)).toBe(true);
    for (const t of [x, y, g, yi]) t.dispose();
    l.dispose();
  });
});

describe('5-step optimizer trajectories vs tfjs', () => {
  type Spec = { name: string; tfOpt: () => import('@tensorflow/tfjs').Optimizer; sgOpt: () => sg.optimizers.Optimizer };
  const opts: Spec[] = [
    { name: 'adam', tfOpt: () => tf.train.adam(0.01), sgOpt: () => sg.optimizers.adam(0.01) },
    { name: 'sgd momentum', tfOpt: () => tf.train.momentum(0.05, 0.9), sgOpt: () => sg.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }) },
    { name: 'rmsprop', tfOpt: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7), sgOpt: () => sg.optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }) },
  ];
  const models = {
    mlp: {
      x: [6, 4], y: [6, 2],
      tf: () => [L().dense({ units: 5, activation: 'tanh', inputShape: [4] }), L().dense({ units: 2 })],
      sg: () => [sg.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), sg.layers.dense({ units: 2 })],
    },
    conv: {
      x: [4, 6, 6, 2], y: [4, 3],
      tf: () => [L().conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }), L().maxPooling2d({ poolSize: 2 }), L().flatten(), L().dense({ units: 3 })],
      sg: () => [sg.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }), sg.layers.maxPooling2d({ poolSize: 2 }), sg.layers.flatten(), sg.layers.dense({ units: 3 })],
    },
  };
  for (const [mname, m] of Object.entries(models)) {
    for (const o of opts) {
      it(`${mname}, ${o.name}, mse`, async () => {
        const n = (s: number[]): number => s.reduce((a, b) => a * b, 1);
        const xv = rand(n(m.x), 41), yv = rand(n(m.y), 43);
        const tm = tf.sequential({ layers: m.tf() });
        const tws = tm.getWeights().map((w, i) => tf.tensor(rand(w.size, 100 + i).map((a) => a * 0.5), w.shape));
        tm.setWeights(tws);
        const w0 = tws.map((w) => Array.from(w.dataSync()));
        tws.forEach((t) => t.dispose());
        tm.compile({ optimizer: o.tfOpt(), loss: 'meanSquaredError' });
        const tx = tf.tensor(xv, m.x), ty = tf.tensor(yv, m.y);
        const th = await tm.fit(tx, ty, { epochs: 5, batchSize: m.x[0], shuffle: false, verbose: 0 });
        const expectedW = tm.getWeights().map((w) => Array.from(w.dataSync()));

        const sm = sg.sequential({ layers: m.sg() });
        const sw = sm.weights.map((w, i) => sg.tensor(w0[i], w.shape));
        sm.setWeights(sw);
        sw.forEach((t) => t.dispose());
        sm.compile({ optimizer: o.sgOpt(), loss: 'meanSquaredError' });
        const x = sg.tensor(xv, m.x), y = sg.tensor(yv, m.y);
        const h = await sm.fit(x, y, { epochs: 5, batchSize: m.x[0], shuffle: false, verbose: 0 });
        expectClose(h.history.loss as number[], th.history.loss as number[], { rtol: 1e-3, atol: 1e-6 }, `${mname} ${o.name} loss history`);
        const got = sm.getWeights();
        expect(got.length).toBe(expectedW.length);
        for (let i = 0; i < got.length; i++) expectClose(await got[i].data(), expectedW[i], { rtol: 1e-3, atol: 1e-5 }, `${mname} ${o.name} weight ${i}`);
        got.forEach((t) => t.dispose());
        x.dispose(); y.dispose();
        sm.dispose();
        tx.dispose(); ty.dispose();
        tm.dispose();
      });
    }
  }
});

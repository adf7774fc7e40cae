/**
 * Merge layers (add, subtract, multiply, average, maximum, minimum),
 * layerNormalization, timeDistributed and repeatVector against TensorFlow.js:
 * forward with copied weights, gradients w.r.t. inputs and weights, params,
 * summary, save/load in the tfjs format both ways, and an LSTM autoencoder.
 */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/compare.js';

type TfT = import('@tensorflow/tfjs').Tensor;
type TfLayer = import('@tensorflow/tfjs').layers.Layer;
let tf: Tf;
let start = 0;
/** The backend shadergrad runs on: cpu here; extra_layers_webgpu.test.ts re-runs the parity cases on webgpu. */
const SG_BACKEND = (globalThis as { __SG_EXTRA_LAYERS_BACKEND__?: string }).__SG_EXTRA_LAYERS_BACKEND__ ?? 'cpu';
const CPU_ONLY = SG_BACKEND !== 'cpu';
beforeAll(async () => { tf = await getTf(); await sg.setBackend(SG_BACKEND); });
it(`runs shadergrad on ${SG_BACKEND}`, () => { expect(sg.getBackend()).toBe(SG_BACKEND); });
beforeEach(() => { start = sg.memory().numTensors; });
afterEach(() => { expect(sg.memory().numTensors).toBe(start); });

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out.push(Math.fround(s / 2 ** 32 * 2 - 1)); }
  return out;
}

interface Case {
  name: string;
  /** The tfjs layer, or (no tfjs class) a tfjs function of the inputs. */
  tf: () => TfLayer | ((xs: TfT[]) => TfT);
  sg: () => sg.Layer;
  shapes: number[][];
}

/** Forward with tfjs's (randomised) weights copied in, then d sum(y·w)/d inputs and /d weights. */
async function runCase(c: Case): Promise<void> {
  const seed = c.name.length * 97 + 3;
  const xvs = c.shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), seed + i));
  const txs = xvs.map((v, i) => tf.tensor(v, c.shapes[i]));
  const ref = c.tf();
  const isLayer = typeof ref !== 'function';
  const tin = (xs: TfT[]): TfT | TfT[] => (xs.length === 1 ? xs[0] : xs);
  const tfFn = (xs: TfT[]): TfT => (isLayer ? (ref as TfLayer).apply(tin(xs)) as TfT : (ref as (xs: TfT[]) => TfT)(xs));
  let tfW: number[][] = [];
  if (isLayer) {
    const tl = ref as TfLayer;
    tf.tidy(() => { tl.apply(tin(txs)); });
    const nw = tl.getWeights().map((w, i) => tf.tensor(rand(w.size, seed + 50 * i + 1000), w.shape));
    tl.setWeights(nw);
    tf.dispose(nw);
    tfW = tl.getWeights().map((w) => Array.from(w.dataSync()));
  }
  const ty = tfFn(txs);
  const wv = rand(ty.size, seed + 2000);
  const tw = tf.tensor(wv, ty.shape);
  const tfLoss = (xs: TfT[]): TfT => tf.sum(tf.mul(tfFn(xs), tw));
  const tgx = tf.grads((...xs: TfT[]) => tfLoss(xs))(txs);
  const tfVars = isLayer ? (ref as TfLayer).trainableWeights.map((w) => (w as unknown as { read(): import('@tensorflow/tfjs').Variable }).read()) : [];
  let tgw: number[][] = [];
  if (tfVars.length) {
    const r = tf.variableGrads(() => tfLoss(txs) as import('@tensorflow/tfjs').Scalar, tfVars);
    tgw = tfVars.map((v) => Array.from(r.grads[v.name].dataSync()));
    tf.dispose([r.value, ...Object.values(r.grads)]);
  }

  const l = c.sg();
  const xs = xvs.map((v, i) => sg.tensor(v, c.shapes[i]));
  const sin = (a: sg.Tensor[]): sg.Tensor | sg.Tensor[] => (a.length === 1 ? a[0] : a);
  sg.tidy(() => { l.apply(sin(xs)); });
  expect(l.weights.length).toBe(tfW.length);
  const w0 = l.weights.map((w, i) => sg.tensor(tfW[i], w.shape));
  l.setWeights(w0);
  sg.dispose(w0);
  const y = l.apply(sin(xs)) as sg.Tensor;
  expect(y.shape).toEqual(ty.shape);
  expectClose(await y.data(), await ty.data(), FORWARD_TOL, `${c.name} forward`);
  // The symbolic output shape agrees with the concrete one.
  expect(l.computeOutputShape(c.shapes.length === 1 ? [null, ...c.shapes[0].slice(1)] : c.shapes.map((s) => [null, ...s.slice(1)]))).toEqual([null, ...ty.shape.slice(1)]);
  const w = sg.tensor(wv, y.shape);
  const sgLoss = (a: sg.Tensor[]): sg.Tensor => sg.sum(sg.mul(l.apply(sin(a)) as sg.Tensor, w));
  const gx = sg.grads((...a: sg.Tensor[]) => sgLoss(a))(xs);
  for (let i = 0; i < gx.length; i++) expectClose(await gx[i].data(), await tgx[i].data(), GRAD_TOL, `${c.name} d/dinput${i}`);
  const vars = l.trainableWeights;
  expect(vars.length).toBe(tfVars.length);
  if (vars.length) {
    const r = sg.variableGrads(() => sgLoss(xs), vars);
    for (let i = 0; i < vars.length; i++) expectClose(await r.grads[vars[i].name].data(), tgw[i], GRAD_TOL, `${c.name} d/d${vars[i].name}`);
    sg.dispose([r.value, ...Object.values(r.grads)]);
  }
  sg.dispose([y, w, ...xs, ...gx]);
  l.dispose();
  tf.dispose([ty, tw, ...txs, ...tgx]);
  if (isLayer) (ref as TfLayer).dispose();
}

const L = (): typeof import('@tensorflow/tfjs').layers => tf.layers;
const cases: Case[] = [
  { name: 'add', tf: () => L().add(), sg: () => sg.layers.add(), shapes: [[2, 3], [2, 3]] },
  { name: 'add three inputs', tf: () => L().add(), sg: () => sg.layers.add(), shapes: [[2, 3, 2], [2, 3, 2], [2, 3, 2]] },
  { name: 'add broadcast', tf: () => L().add(), sg: () => sg.layers.add(), shapes: [[2, 3, 4], [2, 1, 4]] },
  // tfjs has no Subtract layer: the reference is tf.sub.
  { name: 'subtract', tf: () => (xs: TfT[]) => tf.sub(xs[0], xs[1]), sg: () => sg.layers.subtract(), shapes: [[2, 4], [2, 4]] },
  { name: 'multiply', tf: () => L().multiply(), sg: () => sg.layers.multiply(), shapes: [[2, 3], [2, 3], [2, 3]] },
  { name: 'average', tf: () => L().average(), sg: () => sg.layers.average(), shapes: [[2, 5], [2, 5], [2, 5]] },
  { name: 'maximum', tf: () => L().maximum(), sg: () => sg.layers.maximum(), shapes: [[3, 4], [3, 4]] },
  { name: 'minimum', tf: () => L().minimum(), sg: () => sg.layers.minimum(), shapes: [[3, 4], [3, 4]] },
  { name: 'layerNormalization rank 2', tf: () => L().layerNormalization({}), sg: () => sg.layers.layerNormalization(), shapes: [[3, 5]] },
  { name: 'layerNormalization rank 3', tf: () => L().layerNormalization({ epsilon: 1e-5 }), sg: () => sg.layers.layerNormalization({ epsilon: 1e-5 }), shapes: [[2, 3, 4]] },
  { name: 'layerNormalization axes [1, 2]', tf: () => L().layerNormalization({ axis: [1, 2] }), sg: () => sg.layers.layerNormalization({ axis: [1, 2] }), shapes: [[2, 3, 4]] },
  // tfjs's layerNormalization fails in backprop without gamma/beta: the reference is tf.moments.
  {
    name: 'layerNormalization no center, no scale',
    tf: () => (xs: TfT[]) => { const m = tf.moments(xs[0], -1, true); return tf.div(tf.sub(xs[0], m.mean), tf.sqrt(tf.add(m.variance, 1e-3))); },
    sg: () => sg.layers.layerNormalization({ center: false, scale: false }),
    shapes: [[2, 6]],
  },
  { name: 'timeDistributed dense', tf: () => L().timeDistributed({ layer: L().dense({ units: 3, activation: 'tanh' }) }), sg: () => sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 3, activation: 'tanh' }) }), shapes: [[2, 4, 5]] },
  { name: 'timeDistributed dense rank 4', tf: () => L().timeDistributed({ layer: L().dense({ units: 2 }) }), sg: () => sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 2 }) }), shapes: [[2, 3, 2, 4]] },
  { name: 'timeDistributed lstm', tf: () => L().timeDistributed({ layer: L().lstm({ units: 2, recurrentActivation: 'sigmoid' }) }), sg: () => sg.layers.timeDistributed({ layer: sg.layers.lstm({ units: 2 }) }), shapes: [[2, 3, 4, 2]] },
  { name: 'repeatVector', tf: () => L().repeatVector({ n: 4 }), sg: () => sg.layers.repeatVector({ n: 4 }), shapes: [[3, 5]] },
];

describe('forward + gradient parity with tfjs', () => {
  for (const c of cases) it(c.name, () => runCase(c));
});

describe.skipIf(CPU_ONLY)('functional use and errors', () => {
  it('merge factories apply at once to symbolic or concrete inputs', async () => {
    const a = sg.input({ shape: [3] });
    const b = sg.input({ shape: [3] });
    const s = sg.layers.add([a, b]);
    expect(s).toBeInstanceOf(sg.SymbolicTensor);
    expect(s.shape).toEqual([null, 3]);
    expect(sg.layers.subtract([a, b], { name: 'diff' }).sourceLayer.name).toBe('diff');
    const x = sg.tensor([1, 2, 3], [1, 3]);
    const y = sg.tensor([4, 5, 6], [1, 3]);
    const z = sg.layers.multiply([x, y]);
    const x3 = sg.ones([3, 3]);
    expect(() => sg.layers.add([x, x3])).toThrow(/\(Add\): inputs have different batch sizes: \[1,3\], \[3,3\]/);
    x3.dispose();
    const want = sg.mul(x, y);
    expect(Array.from(await z.data())).toEqual(Array.from(await want.data()));
    sg.dispose([x, y, z, want]);
  });

  it('errors name the layer and the shapes', () => {
    const a = sg.input({ shape: [3] });
    const b = sg.input({ shape: [4] });
    const c = sg.input({ shape: [3] });
    expect(() => sg.layers.add([a, b])).toThrow(/\(Add\).*dim 1 differs.*\[\[null,3\],\[null,4\]\]/);
    expect(() => sg.layers.subtract([a, c, c])).toThrow(/\(Subtract\): expects exactly 2 inputs/);
    expect(() => sg.layers.add().apply(a)).toThrow(/\(Add\): expects a list of at least 2 inputs/);
    expect(() => sg.layers.repeatVector({ n: 0 })).toThrow(/RepeatVector\): n must be a positive integer/);
    expect(() => sg.layers.repeatVector({ n: 2 }).apply(sg.input({ shape: [2, 3] }))).toThrow(/RepeatVector\): expected input of rank 2/);
    expect(() => sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 1 }) }).apply(a)).toThrow(/TimeDistributed\): expects one input of rank >= 3/);
    expect(() => sg.layers.layerNormalization({ axis: 0 }).apply(a)).toThrow(/LayerNormalization\): axis \[0\] is out of range/);
    expect(() => sg.layers.layerNormalization({ epsilon: 1e-3, beta_initializer: 'zeros' } as never)).toThrow(/layerNormalization: unknown option 'beta_initializer' \(did you mean 'betaInitializer'/);
    expect(() => sg.layers.repeatVector({ n: 2, input_shape: [3] } as never)).toThrow(/did you mean 'inputShape'/);
    expect(() => sg.layers.deserialize({ class_name: 'LayerNormalization', config: { axis: -1, rms_scaling: true } })).toThrow(/rms_scaling is not supported/);
    expect(sg.layers.deserialize({ class_name: 'LayerNormalization', config: { axis: [2], rms_scaling: false } }).getConfig().axis).toBe(2);
  });
});

/** A two-input functional model with every merge layer, and a sequential LSTM autoencoder with layerNormalization. */
function sgModels(): sg.LayersModel[] {
  const a = sg.input({ shape: [4], name: 'in_a' });
  const b = sg.input({ shape: [4], name: 'in_b' });
  const da = sg.layers.dense({ units: 3, name: 'da' }).apply(a) as sg.SymbolicTensor;
  const db = sg.layers.dense({ units: 3, name: 'db' }).apply(b) as sg.SymbolicTensor;
  const merged = [sg.layers.add([da, db]), sg.layers.multiply([da, db]), sg.layers.average([da, db]), sg.layers.maximum([da, db]), sg.layers.minimum([da, db])];
  const cat = sg.layers.concatenate(merged);
  const out = sg.layers.dense({ units: 2, name: 'head' }).apply(sg.layers.layerNormalization().apply(cat) as sg.SymbolicTensor) as sg.SymbolicTensor;
  const f = sg.model({ inputs: [a, b], outputs: out });
  const s = sg.sequential({
    layers: [
      sg.layers.lstm({ units: 3, inputShape: [5, 2] }),
      sg.layers.repeatVector({ n: 5 }),
      sg.layers.lstm({ units: 3, returnSequences: true }),
      sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 2 }) }),
      sg.layers.layerNormalization(),
    ],
  });
  const td = sg.sequential({ layers: [sg.layers.timeDistributed({ layer: sg.layers.lstm({ units: 2 }), inputShape: [3, 4, 2] })] });
  return [f, s, td];
}

const inputShapes = [[[3, 4], [3, 4]], [[3, 5, 2]], [[2, 3, 4, 2]]];

function predictSg(m: sg.LayersModel, shapes: number[][]): Float32Array {
  const xs = shapes.map((s, i) => sg.tensor(rand(s.reduce((p, q) => p * q, 1), 77 + i), s));
  const y = m.predict(xs.length === 1 ? xs[0] : xs) as sg.Tensor;
  const out = Float32Array.from(y.dataSync());
  sg.dispose([y, ...xs]);
  return out;
}

function predictTf(m: import('@tensorflow/tfjs').LayersModel, shapes: number[][]): Float32Array {
  const xs = shapes.map((s, i) => tf.tensor(rand(s.reduce((p, q) => p * q, 1), 77 + i), s));
  const y = m.predict(xs.length === 1 ? xs[0] : xs) as TfT;
  const out = Float32Array.from(y.dataSync());
  tf.dispose([y, ...xs]);
  return out;
}

describe.skipIf(CPU_ONLY)('summary, params and save/load in the tfjs format', () => {
  it('countParams and summary match tfjs for the same models', async () => {
    for (const [i, m] of sgModels().entries()) {
      const tm = await tf.loadLayersModel(tf.io.fromMemory(await sg.modelToArtifacts(m) as never));
      expect(m.countParams(), `model ${i}`).toBe(tm.countParams());
      const lines: string[] = [];
      m.summary((l) => lines.push(l));
      const text = lines.join('\n');
      for (const l of m.layers) {
        expect(text).toContain(`${l.name} (`);
        expect(l.countParams()).toBe(tm.getLayer(l.name).countParams());
      }
      tm.dispose();
      m.dispose();
    }
  });

  it('sg → artifacts → sg and → tfjs give the same predictions', async () => {
    const models = sgModels();
    for (const [i, m] of models.entries()) {
      const a = await sg.modelToArtifacts(m);
      const classes = JSON.stringify(a.modelTopology);
      for (const cls of [['"Add"', '"Multiply"', '"Average"', '"Maximum"', '"Minimum"', '"LayerNormalization"'], ['"RepeatVector"', '"TimeDistributed"', '"LayerNormalization"'], ['"TimeDistributed"', '"LSTM"']][i]) expect(classes).toContain(cls);
      if (i === 1) expect(a.weightSpecs!.map((w) => w.name)).toContain(`${m.layers[3].name}/kernel`);
      if (i === 2) expect(a.weightSpecs!.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias'].map((k) => `${m.layers[0].name}/${k}`));
      const want = predictSg(m, inputShapes[i]);
      const back = sg.modelFromArtifacts(a);
      expectClose(predictSg(back, inputShapes[i]), want, FORWARD_TOL, `model ${i} sg round trip`);
      const tm = await tf.loadLayersModel(tf.io.fromMemory(a as never));
      expectClose(predictTf(tm, inputShapes[i]), want, FORWARD_TOL, `model ${i} loaded by tfjs`);
      tm.dispose();
      back.dispose();
      m.dispose();
    }
  });

  it('a tfjs model with these layers loads in sg with the same predictions', async () => {
    const a = tf.input({ shape: [4] });
    const b = tf.input({ shape: [4] });
    const m1 = tf.layers.add().apply([a, b]) as import('@tensorflow/tfjs').SymbolicTensor;
    const m2 = tf.layers.maximum().apply([m1, b]) as import('@tensorflow/tfjs').SymbolicTensor;
    const f = tf.model({ inputs: [a, b], outputs: tf.layers.layerNormalization({}).apply(tf.layers.average().apply([m2, a])) as import('@tensorflow/tfjs').SymbolicTensor });
    const s = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 3, inputShape: [5, 2] }),
        tf.layers.repeatVector({ n: 5 }),
        tf.layers.lstm({ units: 3, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
        tf.layers.layerNormalization({}),
      ],
    });
    const td = tf.sequential({ layers: [tf.layers.timeDistributed({ layer: tf.layers.lstm({ units: 2 }), inputShape: [3, 4, 2] })] });
    for (const [i, tm] of [f, s, td].entries()) {
      let art: sg.io.ModelArtifacts | undefined;
      await tm.save(tf.io.withSaveHandler(async (x) => { art = x as unknown as sg.io.ModelArtifacts; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
      const m = sg.modelFromArtifacts(art!);
      const shapes = [[[3, 4], [3, 4]], [[3, 5, 2]], [[2, 3, 4, 2]]][i];
      expectClose(predictSg(m, shapes), predictTf(tm, shapes), FORWARD_TOL, `tfjs model ${i} in sg`);
      expect(m.countParams()).toBe(tm.countParams());
      m.dispose();
      tm.dispose();
    }
  });
});

describe.skipIf(CPU_ONLY)('LSTM autoencoder on timeseriesWindows', () => {
  it('trains: the reconstruction loss falls well below its start', async () => {
    const T = 8;
    const n = 80;
    const series = Array.from({ length: n }, (_, i) => [Math.sin(i / 3), Math.cos(i / 5)]);
    const w = sg.data.timeseriesWindows(series, series, T);
    const m = sg.sequential({
      layers: [
        sg.layers.lstm({ units: 16, inputShape: [T, 2] }),
        sg.layers.repeatVector({ n: T }),
        sg.layers.lstm({ units: 16, returnSequences: true }),
        sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 2 }) }),
      ],
    });
    m.compile({ optimizer: sg.optimizers.adam(0.02), loss: 'mse' });
    const h = await m.fit(w.x, w.x, { epochs: 25, batchSize: 16, verbose: 0, seed: 1 });
    const loss = h.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(0.2 * loss[0]);
    sg.dispose([w.x, w.y]);
    m.dispose();
  }, 60_000);
});

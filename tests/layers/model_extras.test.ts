/**
 * trainOnBatch / predictOnBatch against tfjs, getConfig/toJSON round trips
 * (sg ↔ sg, sg → tfjs, tfjs → sg), layer serialize/deserialize, and
 * model.save with a plain path in Node.
 */
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';
import { getTf, type Tf } from '../helpers/tf.js';
import { expectClose, FORWARD_TOL } from '../helpers/compare.js';

type TfT = import('@tensorflow/tfjs').Tensor;
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

async function values(ts: sg.Tensor[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of ts) out.push(Array.from(await t.data()));
  return out;
}

describe('trainOnBatch and predictOnBatch', () => {
  it('match tfjs: returned [loss, mae] and weights after two steps, predictions', async () => {
    const xv = rand(18, 1), yv = rand(6, 2);
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 1 })] });
    const w0 = tm.getWeights().map((w) => Array.from(w.dataSync()));
    tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['mae'] });
    const tx = tf.tensor(xv, [6, 3]), ty = tf.tensor(yv, [6, 1]);
    const tr1 = (await tm.trainOnBatch(tx, ty)) as number[];
    const tr2 = (await tm.trainOnBatch(tx, ty)) as number[];
    const tp = tm.predictOnBatch(tx) as TfT;

    const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
    const ws = m.weights.map((w, i) => sg.tensor(w0[i], w.shape));
    m.setWeights(ws);
    sg.dispose(ws);
    m.compile({ optimizer: sg.optimizers.sgd(0.1), loss: 'meanSquaredError', metrics: ['mae'] });
    const x = sg.tensor(xv, [6, 3]), y = sg.tensor(yv, [6, 1]);
    const r1 = (await m.trainOnBatch(x, y)) as number[];
    const r2 = (await m.trainOnBatch(x, y)) as number[];
    expect(r1).toHaveLength(2);
    expectClose([...r1, ...r2], [...tr1, ...tr2], { rtol: 1e-5, atol: 1e-7 }, 'trainOnBatch values');
    expect(r2[0]).toBeLessThan(r1[0]);
    const got = m.getWeights();
    const want = tm.getWeights().map((w) => Array.from(w.dataSync()));
    (await values(got)).forEach((g, i) => expectClose(g, want[i], { rtol: 1e-5, atol: 1e-7 }, `weight ${i}`));
    const p = m.predictOnBatch(x) as sg.Tensor;
    expectClose(await p.data(), await tp.data(), FORWARD_TOL, 'predictOnBatch');
    // Without metrics: a number.
    m.compile({ optimizer: sg.optimizers.sgd(0.1), loss: 'mse' });
    expect(typeof (await m.trainOnBatch(x, y))).toBe('number');
    const bad = sg.zeros([6, 2]);
    await expect(m.trainOnBatch(x, bad)).rejects.toThrow(/shape \[6,2\]/);
    sg.dispose([...got, x, y, p, bad]);
    m.dispose();
    tf.dispose([tx, ty, tp]);
    tm.dispose();
  });
});

/** A functional model with merge layers and a timeDistributed sequential one. */
function models(): sg.LayersModel[] {
  const a = sg.input({ shape: [3], name: 'a' });
  const b = sg.input({ shape: [3], name: 'b' });
  const h = sg.layers.dense({ units: 3, activation: 'relu', name: 'h' }).apply(a) as sg.SymbolicTensor;
  const out = sg.layers.dense({ units: 1, name: 'out' }).apply(sg.layers.average([sg.layers.add([h, b]), sg.layers.multiply([h, b])])) as sg.SymbolicTensor;
  const f = sg.model({ inputs: [a, b], outputs: out, name: 'two_inputs' });
  const s = sg.sequential({
    name: 'seq',
    layers: [sg.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 2] }), sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 2 }) }), sg.layers.layerNormalization(), sg.layers.flatten(), sg.layers.dense({ units: 1 })],
  });
  return [f, s];
}
const shapes = [[[4, 3], [4, 3]], [[4, 5, 2]]];

function predict(m: sg.LayersModel, ss: number[][]): Float32Array {
  const xs = ss.map((s, i) => sg.tensor(rand(s.reduce((p, q) => p * q, 1), 9 + i), s));
  const y = m.predict(xs.length === 1 ? xs[0] : xs) as sg.Tensor;
  const out = Float32Array.from(y.dataSync());
  sg.dispose([y, ...xs]);
  return out;
}

describe('getConfig / toJSON round trips', () => {
  it('modelFromConfig(getConfig()) and modelFromJSON(toJSON()) rebuild the same models', async () => {
    for (const [i, m] of models().entries()) {
      const cfg = m.getConfig();
      for (const copy of [sg.models.modelFromConfig(cfg), sg.models.modelFromJSON(m.toJSON()), sg.models.modelFromJSON(JSON.parse(m.toJSON()))]) {
        expect(copy.getClassName()).toBe(m.getClassName());
        expect(copy.getConfig()).toEqual(cfg);
        expect(copy.countParams()).toBe(m.countParams());
        const ws = m.getWeights();
        copy.setWeights(ws);
        sg.dispose(ws);
        expectClose(predict(copy, shapes[i]), predict(m, shapes[i]), FORWARD_TOL, `model ${i} copy`);
        copy.dispose();
      }
      // tfjs builds the same architecture from our JSON.
      const tm = await tf.models.modelFromJSON(JSON.parse(m.toJSON()));
      expect(tm.countParams()).toBe(m.countParams());
      expect(tm.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.getClassName()));
      tm.dispose();
      m.dispose();
    }
  });

  it("tfjs's toJSON builds in sg", async () => {
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] }), tf.layers.repeatVector({ n: 2 }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) })] });
    const m = sg.models.modelFromJSON(tm.toJSON(undefined, true) as string);
    expect(m.layers.map((l) => l.getClassName())).toEqual(['Dense', 'RepeatVector', 'TimeDistributed']);
    expect(m.outputs[0].shape).toEqual([null, 2, 1]);
    expect(m.countParams()).toBe(tm.countParams());
    m.dispose();
    tm.dispose();
  });

  it('errors', () => {
    expect(() => sg.models.modelFromJSON('{not json')).toThrow(/modelFromJSON: not valid JSON/);
    expect(() => sg.models.modelFromJSON({ layers: [] })).toThrow(/modelFromJSON: the object has no class_name.*keys: layers/);
    expect(() => sg.sequential({ layers: [sg.layers.dense({ units: 1 })] }).getConfig()).toThrow(/getConfig: the model is not built yet/);
  });

  it('layers: deserialize(serialize(layer)) gives an equal config', () => {
    const layers = [
      sg.layers.dense({ units: 3, activation: 'relu', useBias: false, name: 'd1' }),
      sg.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }),
      sg.layers.lstm({ units: 2, returnSequences: true }),
      sg.layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5 }),
      sg.layers.timeDistributed({ layer: sg.layers.dense({ units: 2 }) }),
      sg.layers.repeatVector({ n: 3 }),
      sg.layers.add(),
      sg.layers.subtract(),
    ];
    for (const l of layers) {
      const e = sg.layers.serialize(l);
      const copy = sg.layers.deserialize(e);
      expect(copy.getClassName()).toBe(l.getClassName());
      expect(sg.layers.serialize(copy)).toEqual(e);
      expect(sg.layers.deserialize({ className: e.class_name, config: e.config }).getConfig()).toEqual(e.config);
    }
    expect(() => sg.layers.deserialize({ class_name: 'Nope', config: {} })).toThrow(/unknown layer class 'Nope'/);
  });
});

describe('training_config and tfjs', () => {
  it('is written only with names tfjs knows (logCosh as logcosh), so tfjs always loads the file', async () => {
    const cases: [string, string, string[], boolean][] = [
      ['adagrad', 'logCosh', ['mape', 'precision'], true],
      ['nadam', 'mse', [], false],
      ['adamw', 'mse', [], false],
      ['adam', 'huber', [], false],
      ['adam', 'mse', ['recall'], false],
      ['adam', 'msle', ['accuracy'], true],
    ];
    for (const [opt, loss, metrics, written] of cases) {
      const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
      m.compile({ optimizer: opt, loss, metrics });
      const a = await sg.modelToArtifacts(m);
      expect(a.trainingConfig !== undefined, `${opt} ${loss} ${metrics}`).toBe(written);
      const tm = await tf.loadLayersModel(tf.io.fromMemory(a as never));
      expect(tm.countParams()).toBe(3);
      if (written) expect((tm as unknown as { optimizer: { getClassName(): string } }).optimizer.getClassName().toLowerCase()).toBe(opt);
      tm.dispose();
      m.dispose();
    }
  });
});

describe('save with a plain path (Node)', () => {
  it("model.save('dir') writes dir/model.json + weights.bin; loadLayersModel reads a plain path or file://", async () => {
    const root = mkdtempSync(join(tmpdir(), 'sg-plain-'));
    try {
      const [f, s] = models();
      const dir = join(root, 'nested', 'two');
      const r = await f.save(dir);
      expect(r.modelArtifactsInfo.weightDataBytes).toBe(f.countParams() * 4);
      expect(existsSync(join(dir, 'model.json')) && existsSync(join(dir, 'weights.bin'))).toBe(true);
      for (const url of [join(dir, 'model.json'), `file://${dir}/model.json`, dir]) {
        const back = await sg.loadLayersModel(url);
        expectClose(predict(back, shapes[0]), predict(f, shapes[0]), FORWARD_TOL, url);
        back.dispose();
      }
      await s.save(join(root, 'seq'));
      const back = await sg.loadLayersModel(join(root, 'seq'));
      expectClose(predict(back, shapes[1]), predict(s, shapes[1]), FORWARD_TOL, 'seq');
      back.dispose();
      f.dispose();
      s.dispose();
      await expect(sg.loadLayersModel(join(root, 'missing'))).rejects.toThrow(/does not exist/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

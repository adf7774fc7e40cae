/**
 * Model save/load in the TensorFlow.js layers format, checked against
 * TensorFlow.js itself in both directions: tfjs → file:// → sg and
 * sg → file:// → tfjs, with equal predictions; plus corrupted files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { getTf } from '../helpers/tf.js';
import type { Tf } from '../helpers/tf.js';

const root = mkdtempSync(join(tmpdir(), 'sg-model-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `m${dirs++}`);
/** The weights file a saved model.json names. */
const weightsFile = (dir: string): string => join(dir, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0]);

function rand(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}

function close(a: Float32Array | number[], b: Float32Array | number[], rtol = 1e-4, atol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i] - b[i]) > atol + rtol * Math.abs(b[i])) throw new Error(`mismatch at ${i}: ${a[i]} vs ${b[i]}`);
  }
}

type Case = { name: string; inputs: number[][]; tfjs: (tf: Tf) => import('@tensorflow/tfjs').LayersModel; sg: () => sg.LayersModel };

const cases: Case[] = [
  {
    name: 'Dense/Dropout MLP',
    inputs: [[3, 6]],
    tfjs: (tf) => tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [6], activation: 'relu' }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 3, activation: 'softmax' })] }),
    sg: () => sg.sequential({ layers: [sg.layers.dense({ units: 8, inputShape: [6], activation: 'relu' }), sg.layers.dropout({ rate: 0.3 }), sg.layers.dense({ units: 3, activation: 'softmax' })] }),
  },
  {
    name: 'MNIST CNN',
    inputs: [[2, 12, 12, 1]],
    tfjs: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
          tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
    sg: () =>
      sg.sequential({
        layers: [
          sg.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
          sg.layers.maxPooling2d({ poolSize: 2 }),
          sg.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
          sg.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
          sg.layers.flatten(),
          sg.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'LSTM(returnSequences) → LSTM → Dense',
    inputs: [[2, 5, 3]],
    tfjs: (tf) => tf.sequential({ layers: [tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }), tf.layers.lstm({ units: 3 }), tf.layers.dense({ units: 2 })] }),
    sg: () => sg.sequential({ layers: [sg.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }), sg.layers.lstm({ units: 3 }), sg.layers.dense({ units: 2 })] }),
  },
  {
    name: 'GRU',
    inputs: [[2, 4, 3]],
    tfjs: (tf) => tf.sequential({ layers: [tf.layers.gru({ units: 4, inputShape: [4, 3] }), tf.layers.dense({ units: 1 })] }),
    sg: () => sg.sequential({ layers: [sg.layers.gru({ units: 4, inputShape: [4, 3], resetAfter: false }) /* tfjs has no reset_after=true */, sg.layers.dense({ units: 1 })] }),
  },
  {
    name: 'Bidirectional(LSTM)',
    inputs: [[2, 4, 3]],
    tfjs: (tf) => tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as never, inputShape: [4, 3] }), tf.layers.dense({ units: 2 })] }),
    sg: () => sg.sequential({ layers: [sg.layers.bidirectional({ layer: sg.layers.lstm({ units: 3 }), inputShape: [4, 3] } as never), sg.layers.dense({ units: 2 })] }),
  },
  {
    name: 'Embedding → SimpleRNN → Dense (int ids)',
    inputs: [[2, 5]],
    tfjs: (tf) => tf.sequential({ layers: [tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }), tf.layers.simpleRNN({ units: 3 }), tf.layers.dense({ units: 2 })] }),
    sg: () => sg.sequential({ layers: [sg.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 } as never), sg.layers.simpleRNN({ units: 3 }), sg.layers.dense({ units: 2 })] }),
  },
  {
    name: 'Conv2D → BatchNormalization → AveragePooling2D → GlobalAveragePooling2D',
    inputs: [[2, 6, 6, 2]],
    tfjs: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same' }),
          tf.layers.batchNormalization({ movingMeanInitializer: 'randomUniform' as never, movingVarianceInitializer: 'ones' }),
          tf.layers.averagePooling2d({ poolSize: 2 }),
          tf.layers.globalAveragePooling2d({}),
        ],
      }),
    sg: () =>
      sg.sequential({
        layers: [
          sg.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same' }),
          sg.layers.batchNormalization({}),
          sg.layers.averagePooling2d({ poolSize: 2 }),
          sg.layers.globalAveragePooling2d({}),
        ],
      }),
  },
  {
    name: 'functional two-input concatenate',
    inputs: [
      [3, 4],
      [3, 2],
    ],
    tfjs: (tf) => {
      const a = tf.input({ shape: [4], name: 'in_a' });
      const b = tf.input({ shape: [2], name: 'in_b' });
      const ha = tf.layers.dense({ units: 5, activation: 'tanh', name: 'da' }).apply(a) as import('@tensorflow/tfjs').SymbolicTensor;
      const c = tf.layers.concatenate({ name: 'cat' }).apply([ha, b]) as import('@tensorflow/tfjs').SymbolicTensor;
      const y = tf.layers.dense({ units: 2, name: 'out' }).apply(c) as import('@tensorflow/tfjs').SymbolicTensor;
      return tf.model({ inputs: [a, b], outputs: y, name: 'two_in' });
    },
    sg: () => {
      const a = sg.input({ shape: [4], name: 'sg_in_a' });
      const b = sg.input({ shape: [2], name: 'sg_in_b' });
      const ha = sg.layers.dense({ units: 5, activation: 'tanh', name: 'sg_da' }).apply(a) as sg.SymbolicTensor;
      const c = sg.layers.concatenate([ha, b], { name: 'sg_cat' });
      const y = sg.layers.dense({ units: 2, name: 'sg_out' }).apply(c) as sg.SymbolicTensor;
      return sg.model({ inputs: [a, b], outputs: y, name: 'sg_two_in' });
    },
  },
];

/** Embedding cases take integer ids in [0, 10). */
function ids(c: Case, x: Float32Array): Float32Array {
  return c.name.startsWith('Embedding') ? x.map((v) => Math.floor((v + 1) * 5)) : x;
}

async function tfjsArtifacts(tf: Tf, m: import('@tensorflow/tfjs').LayersModel): Promise<sg.io.ModelArtifacts> {
  let art: sg.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      art = a as unknown as sg.io.ModelArtifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return art as sg.io.ModelArtifacts;
}

function sgPredict(m: sg.LayersModel, xs: Float32Array[], shapes: number[][]): Float32Array {
  const ts = xs.map((x, i) => sg.tensor(x, shapes[i]));
  const y = m.predict(ts.length === 1 ? ts[0] : ts) as sg.Tensor;
  const out = Float32Array.from(y.dataSync());
  y.dispose();
  ts.forEach((t) => t.dispose());
  return out;
}

function tfPredict(tf: Tf, m: import('@tensorflow/tfjs').LayersModel, xs: Float32Array[], shapes: number[][]): Float32Array {
  const ts = xs.map((x, i) => tf.tensor(x, shapes[i]));
  const y = m.predict(ts.length === 1 ? ts[0] : ts) as import('@tensorflow/tfjs').Tensor;
  const out = Float32Array.from(y.dataSync());
  tf.dispose([y, ...ts]);
  return out;
}

describe('tfjs → file:// → sg.loadLayersModel', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const tf = await getTf();
      const tm = c.tfjs(tf);
      const art = await tfjsArtifacts(tf, tm);
      const dir = newDir();
      await sg.io.getHandler(`file://${dir}`, 'save').save!(art);
      const m = await sg.loadLayersModel(`file://${dir}/model.json`);
      const xs = c.inputs.map((s, i) => ids(c, rand(s, 7 + i)));
      close(sgPredict(m, xs, c.inputs), tfPredict(tf, tm, xs, c.inputs));
      m.dispose();
      tm.dispose();
    });
  }
});

describe('sg model.save(file://) → tf.loadLayersModel', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const tf = await getTf();
      const m = c.sg();
      const dir = newDir();
      const res = await m.save(`file://${dir}`);
      expect(res.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe('layers-model');
      expect(json.convertedBy).toBeNull();
      expect(['Sequential', 'Model']).toContain(json.modelTopology.class_name);
      expect(json.weightsChecksum).toMatch(/^crc32:[0-9a-f]{8}$/);
      // tfjs's own loader reads the files (model.json with shadergrad's extra fields, then the weights file it names),
      // as a browser would over HTTP: tf.io.http with a fetch that serves the directory.
      const fetchFunc = (async (url: string) => new Response(readFileSync(join(dir, new URL(url).pathname.split('/').pop()!)))) as unknown as typeof fetch;
      const tm = await tf.loadLayersModel(tf.io.http('http://localhost/m/model.json', { fetchFunc }));
      expect(tm.weights.map((w) => w.originalName ?? w.name)).toEqual(json.weightsManifest[0].weights.map((w: { name: string }) => w.name));
      const xs = c.inputs.map((s, i) => ids(c, rand(s, 11 + i)));
      close(tfPredict(tf, tm, xs, c.inputs), sgPredict(m, xs, c.inputs));
      tm.dispose();
      m.dispose();
    });
  }
});

describe('topology as tfjs writes it', () => {
  test('LSTM config records every option; weight names match tfjs', async () => {
    const m = sg.sequential({ layers: [sg.layers.lstm({ units: 2, inputShape: [3, 2], name: 'lstm_x' })] });
    const a = await sg.modelToArtifacts(m);
    const top = a.modelTopology as { class_name: string; keras_version: string; backend: string; config: { name: string; layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(top.class_name).toBe('Sequential');
    expect(top.backend).toBe('tensor_flow.js');
    const cfg = top.config.layers[0].config;
    for (const k of ['units', 'activation', 'recurrent_activation', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'return_sequences', 'batch_input_shape']) expect(cfg).toHaveProperty(k);
    expect(a.weightSpecs!.map((s) => s.name)).toEqual(['lstm_x/kernel', 'lstm_x/recurrent_kernel', 'lstm_x/bias']);
    expect(a.format).toBe('layers-model');
    m.dispose();
  });

  test('training_config when compiled; tfjs compiles from it on load', async () => {
    const tf = await getTf();
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    m.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const a = await sg.modelToArtifacts(m);
    expect(a.trainingConfig).toMatchObject({ loss: 'categoricalCrossentropy', optimizer_config: { class_name: 'Adam' } });
    const tm = await tf.loadLayersModel(tf.io.fromMemory(a as never));
    expect((tm as unknown as { optimizer: { getClassName(): string } }).optimizer.getClassName()).toBe('Adam');
    tm.dispose();
    m.dispose();
  });

  test("'Functional' class name is accepted on load", async () => {
    const tf = await getTf();
    const tm = cases.find((c) => c.name.startsWith('functional'))!.tfjs(tf);
    const art = await tfjsArtifacts(tf, tm);
    (art.modelTopology as { class_name: string }).class_name = 'Functional';
    const m = sg.modelFromArtifacts(art);
    expect(m.inputs.length).toBe(2);
    m.dispose();
    tm.dispose();
  });
});

describe('corrupted files load nothing and leak nothing', () => {
  async function saved(): Promise<string> {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 3, inputShape: [4], name: 'dd' }), sg.layers.dense({ units: 2, name: 'de' })] });
    const dir = newDir();
    await m.save(`file://${dir}`);
    m.dispose();
    return dir;
  }

  async function expectFail(url: string, pattern: RegExp): Promise<void> {
    const before = sg.memory().numTensors;
    await expect(sg.loadLayersModel(url)).rejects.toThrow(pattern);
    expect(sg.memory().numTensors).toBe(before);
  }

  test('truncated weights.bin', async () => {
    const dir = await saved();
    const bin = readFileSync(weightsFile(dir));
    writeFileSync(weightsFile(dir), bin.subarray(0, bin.length - 8));
    await expectFail(`file://${dir}/model.json`, /bytes|byte/i);
  });

  test('manifest shape mismatch', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum; // as a tfjs-written file: the structural checks must catch the edit
    j.weightsManifest[0].weights[0].shape = [3, 4]; // same byte count, wrong shape
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /dd\/kernel.*shape \[3,4\].*expects \[4,3\]/);
  });

  test('missing weight in the manifest', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum; // as a tfjs-written file: the structural checks must catch the edit
    j.weightsManifest[0].weights.pop();
    delete j.weightsChecksum;
    const bin = readFileSync(weightsFile(dir));
    writeFileSync(weightsFile(dir), bin.subarray(0, bin.length - 8));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /'de' has 2 weight\(s\).*lists 1.*missing/);
  });

  test('extra weights for a layer the model lacks', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum; // as a tfjs-written file: the structural checks must catch the edit
    j.weightsManifest[0].weights.push({ name: 'ghost/bias', shape: [2], dtype: 'float32' });
    delete j.weightsChecksum;
    const bin = readFileSync(weightsFile(dir));
    writeFileSync(weightsFile(dir), Buffer.concat([bin, Buffer.alloc(8)]));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /unknown layer\(s\) 'ghost'.*ghost\/bias/);
  });

  test('with the checksums shadergrad writes, any edit of the topology or manifest is caught', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    j.modelTopology.config.layers[0].config.activation = 'relu'; // a valid model, but not the saved one
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /^loadLayersModel\(file:.*model.json was changed after it was saved.*delete the 'modelChecksum' field/);
  });

  test("units: 1e9 is refused before the layer allocates its kernel", async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum;
    j.modelTopology.config.layers[0].config.units = 1e9;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    const bytes = sg.memory().numBytes;
    await expectFail(`file://${dir}/model.json`, /^loadLayersModel: layer 'dd' would create weight 'kernel' of shape \[4,1000000000\].*more than the weights manifest holds/);
    expect(sg.memory().numBytes).toBe(bytes);
  });

  test('config types are checked before building: the layer and field are named', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum;
    j.modelTopology.config.layers[1].config.use_bias = 'yes';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /^loadLayersModel: layer 1 'de' \(Dense\): config.use_bias must be a boolean, got "yes"/);
  });

  test('unknown class_name names the class and the known ones', async () => {
    const dir = await saved();
    const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete j.modelChecksum; // as a tfjs-written file: the structural checks must catch the edit
    j.modelTopology.config.layers[1].class_name = 'FancyLayer';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
    await expectFail(`file://${dir}/model.json`, /unknown layer class 'FancyLayer'.*Dense.*LSTM/);
  });
});

describe('modelCheckpoint', () => {
  test('saveBestOnly writes only on improvement; {epoch} paths', async () => {
    const dir = newDir();
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
    const cb = sg.callbacks.modelCheckpoint({ filepath: `file://${dir}/ep{epoch:02d}`, monitor: 'val_loss', saveBestOnly: true });
    cb.setModel(m);
    const losses = [1.0, 0.5, 0.7, 0.4];
    for (const [e, l] of losses.entries()) await cb.onEpochEnd(e, { loss: l, val_loss: l });
    expect(existsSync(join(dir, 'ep01', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'ep02', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'ep03'))).toBe(false);
    expect(existsSync(weightsFile(join(dir, 'ep04')))).toBe(true);
    m.dispose();
  });

  test('saves every epoch by default, {epoch} 1-based, during fit', async () => {
    const dir = newDir();
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = sg.tensor(rand([8, 2], 3), [8, 2]);
    const y = sg.tensor(rand([8, 1], 4), [8, 1]);
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [sg.callbacks.modelCheckpoint({ path: `file://${dir}/e{epoch}` })] });
    expect(existsSync(join(dir, 'e1', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'e2', 'model.json'))).toBe(true);
    const back = await sg.loadLayersModel(`file://${dir}/e2/model.json`);
    close(sgPredict(back, [rand([3, 2], 5)], [[3, 2]]), sgPredict(m, [rand([3, 2], 5)], [[3, 2]]));
    back.dispose();
    m.dispose();
    x.dispose();
    y.dispose();
  });
});

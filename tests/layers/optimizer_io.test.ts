/**
 * `model.save(url, { includeOptimizer: true })` in TensorFlow.js's format: a
 * model trained a little by one library, saved with its optimizer state and
 * loaded by the other, trains on exactly as the original would (both continue
 * one more epoch and must agree).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { GRAD_TOL, expectClose } from '../helpers/compare.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';
import { rand } from './recurrent_helpers.js';

type TfModel = import('@tensorflow/tfjs').LayersModel;

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const N = 24;
const XV = rand(N * 3, 5, 1);
const YV = rand(N, 6, 1);

const optimizers: [string, () => sg.optimizers.Optimizer, (t: Tf) => unknown][] = [
  ['adam', () => sg.optimizers.adam(0.02), (t) => t.train.adam(0.02)],
  ['sgd with momentum', () => sg.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), (t) => t.train.momentum(0.05, 0.9)],
  ['rmsprop', () => sg.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.3 }), (t) => t.train.rmsprop(0.01, 0.9, 0.3, 1e-7)],
  ['adagrad', () => sg.optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.1 }), (t) => t.train.adagrad(0.05, 0.1)],
];

async function tfFitEpoch(m: TfModel): Promise<void> {
  const x = tf.tensor(XV, [N, 3]);
  const y = tf.tensor(YV, [N, 1]);
  await m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
}

async function sgFitEpoch(m: sg.LayersModel): Promise<void> {
  const x = sg.tensor(XV, [N, 3]);
  const y = sg.tensor(YV, [N, 1]);
  await m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  sg.dispose([x, y]);
}

async function compareWeights(ours: sg.LayersModel, theirs: TfModel, what: string): Promise<void> {
  const tw = theirs.getWeights();
  expect(ours.weights.length).toBe(tw.length);
  for (let i = 0; i < tw.length; i++) expectClose(await ours.weights[i].data(), await tw[i].data(), GRAD_TOL, `${what}: weight ${i}`);
}

describe.each(optimizers)('includeOptimizer with %s', (_, makeSg, makeTf) => {
  test('shadergrad → tfjs: tfjs restores the state and continues as shadergrad does', async () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
    m.compile({ optimizer: makeSg(), loss: 'meanSquaredError' });
    await sgFitEpoch(m);
    const h = sg.io.memoryHandler();
    await m.save(h, { includeOptimizer: true });
    const specs = h.artifacts!.weightSpecs as (sg.io.WeightSpec & { group?: string })[];
    expect(specs.filter((s) => s.group === 'optimizer')[0].name).toBe('iter');
    const tm = await tf.loadLayersModel(tf.io.fromMemory(h.artifacts as never));
    const theirState = await tm.optimizer.getWeights();
    const ourState = await m.optimizer!.getWeights();
    expect(theirState.map((w) => w.name)).toEqual(ourState.map((w) => w.name));
    expect((await theirState[0].tensor.data())[0]).toBe(m.optimizer!.iterations);
    ourState[0].tensor.dispose();
    await sgFitEpoch(m);
    await tfFitEpoch(tm);
    await compareWeights(m, tm, 'after one more epoch each');
    m.dispose();
    tm.dispose();
  });

  test('tfjs → shadergrad: loadLayersModel compiles the model and restores the state', async () => {
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 1 })] });
    tm.compile({ optimizer: makeTf(tf) as never, loss: 'meanSquaredError' });
    await tfFitEpoch(tm);
    let art: unknown;
    await tm.save(
      tf.io.withSaveHandler(async (a) => {
        art = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const m = await sg.loadLayersModel(sg.io.memoryHandler(art as sg.io.ModelArtifacts));
    expect(m.optimizer).toBeDefined();
    expect(m.optimizer!.iterations).toBe(3);
    await sgFitEpoch(m);
    await tfFitEpoch(tm);
    await compareWeights(m, tm, 'after one more epoch each');
    m.dispose();
    tm.dispose();
  });
});

test('includeOptimizer on an uncompiled model says so', async () => {
  const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [2] })] });
  await expect(m.save(sg.io.memoryHandler(), { includeOptimizer: true })).rejects.toThrow(/save: includeOptimizer needs a compiled model/);
  m.dispose();
});

test('file:// round trip keeps the optimizer group: the loaded model continues as the original', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'sg-include-opt-'));
  try {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
    m.compile({ optimizer: sg.optimizers.adam(0.02), loss: 'meanSquaredError' });
    await sgFitEpoch(m);
    await m.save(`file://${dir}`, { includeOptimizer: true });
    const back = await sg.loadLayersModel(`file://${join(dir, 'model.json')}`);
    expect(back.optimizer!.iterations).toBe(m.optimizer!.iterations);
    await sgFitEpoch(m);
    await sgFitEpoch(back);
    for (let i = 0; i < m.weights.length; i++) expect(Array.from(await back.weights[i].data())).toEqual(Array.from(await m.weights[i].data()));
    m.dispose();
    back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

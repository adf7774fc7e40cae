/**
 * `model.save(h, { includeOptimizer: true })` for models compiled with names
 * tfjs lacks (Nadam, AdamW, the huber loss) or whose optimizer shadergrad
 * rebuilds from tfjs's config (Adagrad): shadergrad loads its own file with
 * the optimizer state restored, and the loaded model trains on exactly as the
 * uninterrupted one. tfjs's loader still reads the same files (it ignores the
 * training config kept under `userDefinedMetadata`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { getTf } from '../helpers/tf.js';

const root = mkdtempSync(join(tmpdir(), 'sg-include-opt-cfg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

function rand(n: number, seed: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push((s / 2147483648) * 2 - 1);
  }
  return out;
}

const N = 24;
const XV = rand(N * 3, 5);
const YV = rand(N, 6);

async function fitEpoch(m: sg.LayersModel): Promise<void> {
  const x = sg.tensor(XV, [N, 3]);
  const y = sg.tensor(YV, [N, 1]);
  await m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  sg.dispose([x, y]);
}

const cases: [string, () => sg.optimizers.Optimizer, string, string][] = [
  // [case, optimizer, loss, class name on load]
  ['adagrad', () => sg.optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2 }), 'meanSquaredError', 'Adagrad'],
  ['nadam', () => sg.optimizers.nadam({ learningRate: 0.02, beta1: 0.8 }), 'meanSquaredError', 'Nadam'],
  ['adamw', () => sg.optimizers.adamw({ learningRate: 0.02, weightDecay: 0.05 }), 'meanSquaredError', 'AdamW'],
  ['huber loss (adam)', () => sg.optimizers.adam(0.02), 'huber', 'Adam'],
];

async function expectSameWeights(a: sg.LayersModel, b: sg.LayersModel): Promise<void> {
  expect(a.weights.length).toBe(b.weights.length);
  for (let i = 0; i < a.weights.length; i++) expect(Array.from(await a.weights[i].data())).toEqual(Array.from(await b.weights[i].data()));
}

describe.each(cases)('includeOptimizer round trip: %s', (_, makeOpt, loss, cls) => {
  test('memory handler and file://: the loaded model continues as the uninterrupted one; tfjs still loads the file', async () => {
    const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
    m.compile({ optimizer: makeOpt(), loss: loss as Parameters<sg.LayersModel['compile']>[0]['loss'] });
    await fitEpoch(m);
    await fitEpoch(m);
    const h = sg.io.memoryHandler();
    await m.save(h, { includeOptimizer: true });
    const dir = join(root, `m${dirs++}`);
    await m.save(`file://${dir}`, { includeOptimizer: true });
    const fromMemory = await sg.loadLayersModel(h);
    const fromFile = await sg.loadLayersModel(`file://${join(dir, 'model.json')}`);
    for (const back of [fromMemory, fromFile]) {
      expect(back.optimizer!.getClassName()).toBe(cls);
      expect(back.optimizer!.getConfig()).toEqual(m.optimizer!.getConfig());
      expect(back.optimizer!.iterations).toBe(m.optimizer!.iterations);
    }
    await fitEpoch(m);
    await fitEpoch(fromMemory);
    await fitEpoch(fromFile);
    await expectSameWeights(fromMemory, m);
    await expectSameWeights(fromFile, m);

    // tfjs's own loader reads the file as before: it compiles from trainingConfig when tfjs knows every name
    // (Adagrad), and otherwise loads the model uncompiled, ignoring the optimizer group.
    const tf = await getTf();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const fetchFunc = (async (url: string) => new Response(readFileSync(join(dir, new URL(url).pathname.split('/').pop()!)))) as unknown as typeof fetch;
    const tm = await tf.loadLayersModel(tf.io.http('http://localhost/m/model.json', { fetchFunc }));
    const tfOpt = (tm as unknown as { optimizer?: { getClassName(): string } | null }).optimizer;
    if (json.trainingConfig) expect(tfOpt?.getClassName()).toBe(cls);
    else expect(tfOpt ?? null).toBeNull();
    tm.dispose();
    m.dispose();
    fromMemory.dispose();
    fromFile.dispose();
  });
});

test('a training config tfjs cannot read is kept under userDefinedMetadata, not as trainingConfig', async () => {
  const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [3] })] });
  m.compile({ optimizer: sg.optimizers.nadam(0.01), loss: 'huber' });
  const h = sg.io.memoryHandler();
  await m.save(h, { includeOptimizer: true });
  expect(h.artifacts!.trainingConfig).toBeUndefined();
  expect(h.artifacts!.userDefinedMetadata).toMatchObject({ shadergradTrainingConfig: { loss: 'huber', optimizer_config: { class_name: 'Nadam' } } });
  // tfjs-compatible files are unchanged: trainingConfig, no metadata.
  const a = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [3] })] });
  a.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'meanSquaredError' });
  const ha = sg.io.memoryHandler();
  await a.save(ha, { includeOptimizer: true });
  expect(ha.artifacts!.trainingConfig).toMatchObject({ loss: 'meanSquaredError', optimizer_config: { class_name: 'Adam' } });
  expect(ha.artifacts!.userDefinedMetadata).toBeUndefined();
  m.dispose();
  a.dispose();
});

test("modelChecksum covers the training config under userDefinedMetadata: an edited one is caught on load", async () => {
  const { writeFileSync } = await import('node:fs');
  const m = sg.sequential({ layers: [sg.layers.dense({ units: 1, inputShape: [3] })] });
  m.compile({ optimizer: sg.optimizers.adamw(0.01), loss: 'meanSquaredError' });
  const dir = join(root, `m${dirs++}`);
  await m.save(`file://${dir}`, { includeOptimizer: true });
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  expect(json.modelChecksum).toBe(sg.io.modelChecksum(json));
  json.userDefinedMetadata.shadergradTrainingConfig.optimizer_config.config.learningRate = 0.5;
  writeFileSync(path, JSON.stringify(json));
  await expect(sg.loadLayersModel(`file://${path}`)).rejects.toThrow(/was changed after it was saved/);
  m.dispose();
});

/**
 * scripts/keras_bridge.py: the course's seed models move between shadergrad
 * (TensorFlow.js layers format) and Keras 3 (.keras) in both directions with
 * the same predictions (float32 tolerance: rtol 1e-4, atol 1e-5).
 *  - shadergrad → Keras: models built and saved by shadergrad, converted with
 *    `to-keras`, loaded by Keras from the .keras file, run by Keras.
 *  - Keras → shadergrad: the same architectures built in Keras 3, saved as
 *    .keras, converted with `from-keras`, loaded by `sg.loadLayersModel`.
 * Needs python3 with `keras` (3.x) and a backend (jax here: KERAS_BACKEND
 * defaults to jax); skipped with a note where Keras is not installed, and
 * failing instead when SG_REQUIRE_KERAS is set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { buildCnn } from '../../examples/mnist_cnn.js';

const env = { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'jax', TF_CPP_MIN_LOG_LEVEL: '3' };
const probe = spawnSync('python3', ['-c', 'import keras, numpy; assert keras.__version__.startswith("3")'], { env, encoding: 'utf8' });
const hasKeras = probe.status === 0;
if (!hasKeras) {
  const why = `python3 with keras 3 and a backend is not installed (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()})`;
  if (process.env.SG_REQUIRE_KERAS) throw new Error(`SG_REQUIRE_KERAS is set but ${why}`);
  console.warn(`note: the Keras bridge test is skipped: ${why}; pip install keras jax to run it`);
}

/** Seeded uniform values in [-1, 1). */
function rand(shape: number[], seed: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push((s / 2147483648) * 2 - 1);
  }
  return out;
}

interface Seed {
  build(): sg.LayersModel;
  inputs: number[][];
}

const seeds: Record<string, Seed> = {
  mnist_cnn: { build: buildCnn, inputs: [[3, 28, 28, 1]] },
  stacked_lstm: {
    build: () =>
      sg.sequential({
        layers: [sg.layers.lstm({ units: 16, returnSequences: true, inputShape: [12, 3] }), sg.layers.lstm({ units: 8 }), sg.layers.dense({ units: 1 })],
      }),
    inputs: [[4, 12, 3]],
  },
  two_input: {
    build: () => {
      const engine = sg.input({ shape: [5], name: 'engine' });
      const origin = sg.input({ shape: [3], name: 'origin' });
      const a = sg.layers.dense({ units: 16, activation: 'relu' }).apply(engine) as sg.SymbolicTensor;
      const b = sg.layers.dense({ units: 4, activation: 'relu' }).apply(origin) as sg.SymbolicTensor;
      const h = sg.layers.dense({ units: 8, activation: 'relu' }).apply(sg.layers.concatenate().apply([a, b]) as sg.SymbolicTensor) as sg.SymbolicTensor;
      return sg.model({ inputs: [engine, origin], outputs: sg.layers.dense({ units: 1 }).apply(h) as sg.SymbolicTensor });
    },
    inputs: [
      [4, 5],
      [4, 3],
    ],
  },
};

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]))) throw new Error(`${what}: element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

async function predict(m: sg.LayersModel, xs: number[][][]): Promise<Float32Array> {
  const ts = xs.map((v, i) => sg.tensor(v.flat(Infinity) as number[], inputShapes[m.name]?.[i]));
  const y = m.predict(ts.length === 1 ? ts[0] : ts) as sg.Tensor;
  const out = (await y.data()) as Float32Array;
  sg.dispose([...ts, y]);
  return out;
}
const inputShapes: Record<string, number[][]> = {};

const work = mkdtempSync(join(tmpdir(), 'sg-keras-bridge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!hasKeras)('Keras 3 bridge (scripts/keras_bridge.py)', () => {
  const inputs: Record<string, number[][]> = {};
  const sgPred: Record<string, Float32Array> = {};
  let keras: { to_keras: Record<string, number[]>; from_keras: Record<string, number[]> };

  test('shadergrad saves the seed models; Keras converts, loads and runs them, and builds its own', async () => {
    for (const [name, seed] of Object.entries(seeds)) {
      const m = seed.build();
      // Random biases too (they start at zero), so every weight is exercised.
      m.setWeights(m.getWeights().map((w, i) => sg.tensor(rand(w.shape as number[], 100 + i).map((v) => v * 0.3), w.shape as number[])));
      inputs[name] = seed.inputs.map((shape, i) => rand(shape, 7 + i));
      inputShapes[m.name] = seed.inputs;
      sgPred[name] = await predict(m, seed.inputs.map((_, i) => [inputs[name][i]]));
      await m.save(`file://${join(work, `sg_${name}`)}`);
      m.dispose();
    }
    // Nested arrays for numpy: the flat values reshaped by Python.
    const nested = Object.fromEntries(
      Object.entries(inputs).map(([name, xs]) => [name, xs.map((flat, i) => reshapeNested(flat, seeds[name].inputs[i]))]),
    );
    writeFileSync(join(work, 'inputs.json'), JSON.stringify(nested));
    const r = spawnSync('python3', [join(__dirname, 'keras_side.py'), work], { env, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    keras = JSON.parse(readFileSync(join(work, 'keras_out.json'), 'utf8'));
  });

  for (const name of Object.keys(seeds)) {
    test(`${name}: shadergrad → .keras gives the same predictions in Keras`, () => {
      close(keras.to_keras[name], sgPred[name], `${name} to-keras`);
    });
    test(`${name}: Keras → model.json gives the same predictions in shadergrad`, async () => {
      const m = await sg.loadLayersModel(`file://${join(work, `keras_${name}`, 'model.json')}`);
      inputShapes[m.name] = seeds[name].inputs;
      close(await predict(m, seeds[name].inputs.map((_, i) => [inputs[name][i]])), keras.from_keras[name], `${name} from-keras`);
      m.dispose();
    });
  }
});

function reshapeNested(flat: number[], shape: number[]): unknown {
  if (shape.length === 1) return flat.slice(0, shape[0]);
  const step = flat.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => reshapeNested(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
}

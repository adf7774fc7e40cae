/**
 * In-page training check: a tiny Keras-style MLP (dense 8→16 relu→3 softmax,
 * adam, categorical cross-entropy) trained for a few steps on fixed data and
 * fixed initial weights, on a chosen shadergrad backend. The Node side runs it
 * on 'webgpu' and 'cpu' in the same page and compares the losses.
 */
import type * as SG from '../../src/index.js';

export interface TrainResult {
  backend: string;
  /** Loss after each epoch (one batch per epoch). */
  losses: number[];
  /** The first kernel's values after training (a weight-level check). */
  kernel0: number[];
}

const det = (n: number, salt: number, scale: number): number[] => Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 12.9898 + salt) * scale));

export async function trainMlp(sg: typeof SG, backend: string, epochs = 8): Promise<TrainResult> {
  await sg.setBackend(backend);
  const model = sg.sequential({
    layers: [sg.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }), sg.layers.dense({ units: 3, activation: 'softmax' })],
  });
  const shapes = model.getWeights().map((w) => w.shape);
  const init = shapes.map((s, i) => sg.tensor(det(s.reduce((a, b) => a * b, 1), i + 1, 0.5), s));
  model.setWeights(init);
  sg.dispose(init);
  model.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'categoricalCrossentropy' });
  const n = 32;
  const x = sg.tensor(det(n * 8, 11, 1), [n, 8]);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const y = sg.tensor(labels.flatMap((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0))), [n, 3]);
  const h = await model.fit(x, y, { epochs, batchSize: n, shuffle: false, verbose: 0 });
  const kernel0 = Array.from(await model.getWeights()[0].data());
  sg.dispose([x, y]);
  (model as unknown as { dispose?: () => void }).dispose?.();
  return { backend: sg.getBackend(), losses: h.history.loss, kernel0 };
}

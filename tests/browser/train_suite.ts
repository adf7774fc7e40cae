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

export type ModelKind = 'mlp' | 'cnn' | 'lstm';

/** The same small model in either library (tfjs and shadergrad share the layers API). */
function build(L: any, kind: ModelKind): any {
  const l = L.layers;
  const layers =
    kind === 'mlp'
      ? [l.dense({ units: 16, activation: 'relu', inputShape: [8] }), l.dense({ units: 3, activation: 'softmax' })]
      : kind === 'cnn'
        ? [l.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }), l.maxPooling2d({ poolSize: 2 }), l.flatten(), l.dense({ units: 3, activation: 'softmax' })]
        : [l.lstm({ units: 6, returnSequences: true, inputShape: [5, 2], recurrentActivation: 'sigmoid' }), l.lstm({ units: 4, recurrentActivation: 'sigmoid' }), l.dense({ units: 3, activation: 'softmax' })];
  return L.sequential({ layers });
}

const INPUT: Record<ModelKind, number[]> = { mlp: [8], cnn: [8, 8, 1], lstm: [5, 2] };

/**
 * Trains `kind` for a few full-batch epochs (adam, categorical cross-entropy)
 * from the same host-made weights and data, in shadergrad (`lib === sg`) or
 * TensorFlow.js on their current backends; returns the per-epoch losses and
 * the predictions after training.
 */
export async function trainKind(L: any, kind: ModelKind, epochs = 4): Promise<{ losses: number[]; pred: number[] }> {
  const model = build(L, kind);
  const shapes: number[][] = model.getWeights().map((w: any) => w.shape);
  const init = shapes.map((s, i) => L.tensor(det(s.reduce((a, b) => a * b, 1), i + 1, 0.4), s));
  model.setWeights(init);
  init.forEach((t: any) => t.dispose());
  model.compile({ optimizer: L.train?.adam ? L.train.adam(0.01) : L.optimizers.adam(0.01), loss: 'categoricalCrossentropy' });
  const n = 16;
  const per = INPUT[kind].reduce((a, b) => a * b, 1);
  const x = L.tensor(det(n * per, 11, 1), [n, ...INPUT[kind]]);
  const y = L.tensor(Array.from({ length: n }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))).flat(), [n, 3]);
  const h = await model.fit(x, y, { epochs, batchSize: n, shuffle: false, verbose: 0 });
  const p = model.predict(x);
  const pred = Array.from((await p.data()) as Float32Array);
  [x, y, p].forEach((t: any) => t.dispose());
  model.dispose?.();
  return { losses: h.history.loss as number[], pred };
}

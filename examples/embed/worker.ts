/**
 * The worker side of the embedding example: trains a small MLP on two
 * interleaved moons with model.fit, reports each epoch, saves the model to
 * IndexedDB, and on request loads it back from there and predicts.
 */
import * as sg from '../../src/index.js';
import type { EmbedMessage } from './main.js';

const URL_ = 'indexeddb://embed-demo';
const post = (m: EmbedMessage): void => (self as unknown as Worker).postMessage(m);

/** n points of two moons with labels 0/1 (seeded). */
function moons(n: number, seed: number): { x: number[][]; y: number[] } {
  let s = seed;
  const r = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = r() * Math.PI;
    x.push(c === 0 ? [Math.cos(t) - 0.5 + 0.1 * (r() - 0.5), Math.sin(t) - 0.25 + 0.1 * (r() - 0.5)] : [0.5 - Math.cos(t) + 0.1 * (r() - 0.5), 0.25 - Math.sin(t) + 0.1 * (r() - 0.5)]);
    y.push(c);
  }
  return { x, y };
}

self.onmessage = async (ev: MessageEvent<{ type: 'train'; epochs: number } | { type: 'predict' }>) => {
  try {
    await sg.ready();
    if (ev.data.type === 'train') {
      const d = moons(256, 1);
      const x = sg.tensor(d.x);
      const y = sg.tensor(d.y, [d.y.length, 1]);
      const model = sg.sequential({
        layers: [sg.layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }), sg.layers.dense({ units: 16, activation: 'tanh' }), sg.layers.dense({ units: 1, activation: 'sigmoid' })],
      });
      model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, {
        epochs: ev.data.epochs, batchSize: 32, shuffle: true,
        callbacks: [{ onEpochEnd: async (epoch: number, logs?: Record<string, number>) => post({ type: 'epoch', epoch: epoch + 1, loss: logs?.loss ?? NaN, accuracy: logs?.accuracy ?? NaN }) }],
      });
      await model.save(URL_);
      sg.dispose([x, y]);
      model.dispose();
      post({ type: 'saved', url: URL_, backend: sg.getBackend() });
    } else {
      const model = await sg.loadLayersModel(`${URL_}`);
      const d = moons(200, 99);
      const p = sg.tidy(() => model.predict(sg.tensor(d.x)) as sg.Tensor);
      const probs = Array.from(await p.data());
      p.dispose();
      model.dispose();
      const accuracy = probs.filter((q, i) => (q > 0.5 ? 1 : 0) === d.y[i]).length / probs.length;
      post({ type: 'predicted', points: d.x.slice(0, 4), probs: probs.slice(0, 4), accuracy });
    }
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  }
};

/**
 * The playground's data sets: 2-D toy sets generated here (spirals, moons,
 * circles), MNIST digits (a subset bundled at build time from the `mnist`
 * package into data/mnist.bin), and the monthly CO2 series from
 * `vega-datasets` (data/co2.json) cut into windows.
 */
import { Rng } from '../src/index.js';

/** One data set, as flat arrays (the worker turns them into tensors). */
export interface DataSet {
  name: DataName;
  kind: 'toy' | 'image' | 'series';
  /** Shape of one example. */
  inputShape: number[];
  xTrain: Float32Array;
  yTrain: Float32Array;
  xVal: Float32Array;
  yVal: Float32Array;
  /** Classes (0 for regression). */
  numClasses: number;
}

export type DataName = 'spirals' | 'moons' | 'circles' | 'mnist' | 'co2';

/** A seeded uniform generator in [0, 1) (the library's Rng), so every run of a toy set is the same. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** n points of a 2-D toy set in about [-1, 1]², labels 0/1, with Gaussian noise. */
export function toyPoints(name: 'spirals' | 'moons' | 'circles', n: number, seed: number, noise = 0.08): { x: Float32Array; y: Float32Array } {
  const r = rng(seed);
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    let px: number;
    let py: number;
    if (name === 'spirals') {
      const t = r() * 1.75 * Math.PI + 0.3;
      const a = t + c * Math.PI;
      px = (t / (2 * Math.PI)) * Math.cos(a);
      py = (t / (2 * Math.PI)) * Math.sin(a);
    } else if (name === 'moons') {
      const t = r() * Math.PI;
      px = c === 0 ? Math.cos(t) - 0.5 : 0.5 - Math.cos(t);
      py = c === 0 ? Math.sin(t) - 0.25 : 0.25 - Math.sin(t);
      px *= 0.8;
      py *= 0.8;
    } else {
      const t = r() * 2 * Math.PI;
      const rad = c === 0 ? 0.35 : 0.8;
      px = rad * Math.cos(t);
      py = rad * Math.sin(t);
    }
    x[2 * i] = px + noise * gauss(r);
    x[2 * i + 1] = py + noise * gauss(r);
    y[i] = c;
  }
  return { x, y };
}

/** A toy set: 400 training and 200 validation points. */
export function toySet(name: 'spirals' | 'moons' | 'circles'): DataSet {
  const tr = toyPoints(name, 400, 1);
  const va = toyPoints(name, 200, 2);
  return { name, kind: 'toy', inputShape: [2], xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, numClasses: 2 };
}

/**
 * MNIST from data/mnist.bin: a little-endian u32 count N, N labels (u8),
 * then N·784 pixels (u8). The first 80% train, the rest validate.
 */
export async function mnistSet(base: URL | string): Promise<DataSet> {
  const res = await fetch(new URL('data/mnist.bin', base));
  if (!res.ok) throw new Error(`mnist: fetching data/mnist.bin failed (${res.status})`);
  const buf = new Uint8Array(await res.arrayBuffer());
  const n = new DataView(buf.buffer).getUint32(0, true);
  const labels = buf.subarray(4, 4 + n);
  const px = buf.subarray(4 + n, 4 + n + n * 784);
  const nt = Math.floor(n * 0.8);
  const x = Float32Array.from(px, (v) => v / 255);
  const y = Float32Array.from(labels);
  return { name: 'mnist', kind: 'image', inputShape: [28, 28, 1], xTrain: x.slice(0, nt * 784), yTrain: y.slice(0, nt), xVal: x.slice(nt * 784), yVal: y.slice(nt), numClasses: 10 };
}

/** Windows of `steps` monthly CO2 values (scaled to [0, 1]) predicting the next month; the last 20% validate. */
export async function co2Set(base: URL | string, steps = 12): Promise<DataSet> {
  const res = await fetch(new URL('data/co2.json', base));
  if (!res.ok) throw new Error(`co2: fetching data/co2.json failed (${res.status})`);
  const raw = (await res.json()) as number[];
  const lo = Math.min(...raw);
  const hi = Math.max(...raw);
  const v = raw.map((x) => (x - lo) / (hi - lo));
  const n = v.length - steps;
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) x[i * steps + t] = v[i + t];
    y[i] = v[i + steps];
  }
  const nt = Math.floor(n * 0.8);
  return { name: 'co2', kind: 'series', inputShape: [steps, 1], xTrain: x.slice(0, nt * steps), yTrain: y.slice(0, nt), xVal: x.slice(nt * steps), yVal: y.slice(nt), numClasses: 0 };
}

/** Loads data set `name` (toy sets are generated; the others fetched relative to `base`). */
export async function loadData(name: DataName, base: URL | string): Promise<DataSet> {
  if (name === 'mnist') return mnistSet(base);
  if (name === 'co2') return co2Set(base);
  return toySet(name);
}

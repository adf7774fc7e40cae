/**
 * Benchmark cases, the same for every backend: each runs one operation in
 * shadergrad and in TensorFlow.js on equal inputs and waits for the result
 * to be read back (so GPU work is really finished). Inputs are made once,
 * outside the timed function.
 */
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface BenchCase {
  name: string;
  /** Floating-point operations of one run (0 when not meaningful). */
  flops: number;
  /** Training samples processed by one run (fit cases: throughput is samples/s). */
  samples?: number;
  sg: () => Promise<void>;
  tf: () => Promise<void>;
  dispose(): void;
}

export interface CaseFilter {
  /** Skip cases above this many flops (tfjs-cpu would take minutes). */
  maxFlops?: number;
  /** Keep only cases whose name starts with one of these. */
  only?: string[];
}

interface Made {
  sg: () => Any;
  tf: () => Any;
  dispose(): void;
}

/** Deterministic values in [-0.5, 0.5]. */
function values(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + salt) * 0.5);
}

/** Builds the cases with shadergrad `sg` and tfjs `tf` on their current backends. */
export function makeCases(sg: Any, tf: Any, filter: CaseFilter = {}): BenchCase[] {
  const cases: BenchCase[] = [];
  /**
   * Gives both models the same weights, made on the host (deterministic,
   * small), since neither library's GPU backend can read weights back
   * synchronously (tfjs-webgpu's dataSync throws in Node and breaks the page).
   */
  const shareWeights = (tfModel: Any, sgModel: Any): void => {
    const shapes: number[][] = tfModel.getWeights().map((w: Any) => w.shape);
    const host = shapes.map((shape, i) => values(shape.reduce((p, c) => p * c, 1), 100 + i).map((v) => v * 0.2));
    const tw = host.map((v, i) => tf.tensor(v, shapes[i]));
    const sw = host.map((v, i) => sg.tensor(v, shapes[i]));
    tfModel.setWeights(tw);
    sgModel.setWeights(sw);
    tw.forEach((t: Any) => t.dispose());
    sw.forEach((t: Any) => t.dispose());
  };
  const add = (name: string, flops: number, make: () => Made, samples?: number): void => {
    if (filter.only && !filter.only.some((o) => name.startsWith(o))) return;
    if (filter.maxFlops !== undefined && flops > filter.maxFlops) return;
    const m = make();
    /** A tensor result is read back and disposed; a promise (fit) is awaited. */
    const run = async (f: () => Any): Promise<void> => {
      const y = await f();
      if (y && typeof y.data === 'function') {
        await y.data();
        y.dispose();
      }
    };
    cases.push({ name, flops, samples, sg: () => run(m.sg), tf: () => run(m.tf), dispose: m.dispose });
  };
  /** Inputs of `shapes` in both libraries, and the op applied to them. */
  const op = (shapes: number[][], f: (lib: Any, ...x: Any[]) => Any) => (): Made => {
    const vs = shapes.map((s, i) => values(s.reduce((a, b) => a * b, 1), i));
    const a = shapes.map((s, i) => sg.tensor(vs[i], s));
    const b = shapes.map((s, i) => tf.tensor(vs[i], s));
    return { sg: () => f(sg, ...a), tf: () => f(tf, ...b), dispose: () => [...a, ...b].forEach((t) => t.dispose()) };
  };

  for (const n of [128, 256, 512, 1024]) add(`matMul ${n}`, 2 * n ** 3, op([[n, n], [n, n]], (L, x, y) => L.matMul(x, y)));
  const conv = (x: number[], f: number[]): number => 2 * x[0] * x[1] * x[2] * f[0] * f[1] * f[2] * f[3];
  add('conv2d [32,28,28,1]*[3,3,1,32] same', conv([32, 28, 28], [3, 3, 1, 32]), op([[32, 28, 28, 1], [3, 3, 1, 32]], (L, x, f) => L.conv2d(x, f, 1, 'same')));
  add('conv2d [32,14,14,32]*[3,3,32,64] same', conv([32, 14, 14], [3, 3, 32, 64]), op([[32, 14, 14, 32], [3, 3, 32, 64]], (L, x, f) => L.conv2d(x, f, 1, 'same')));
  add('maxPool [32,28,28,32] 2x2', 0, op([[32, 28, 28, 32]], (L, x) => L.maxPool(x, 2, 2, 'valid')));

  // LSTM(128), batch 64, 8 features: predict through each library's layer, weights copied tfjs → shadergrad.
  const lstm = (steps: number) => (): Made => {
    const tfModel = tf.sequential({ layers: [tf.layers.lstm({ units: 128, inputShape: [steps, 8], recurrentActivation: 'sigmoid' })] });
    const sgModel = sg.sequential({ layers: [sg.layers.lstm({ units: 128, inputShape: [steps, 8] })] });
    shareWeights(tfModel, sgModel);
    const v = values(64 * steps * 8, 7);
    const xs = sg.tensor(v, [64, steps, 8]);
    const xt = tf.tensor(v, [64, steps, 8]);
    return {
      sg: () => sgModel.predict(xs),
      tf: () => tfModel.predict(xt),
      dispose() {
        xs.dispose();
        xt.dispose();
        sgModel.dispose?.();
        tfModel.dispose();
      },
    };
  };
  if (sg.layers?.lstm && sg.sequential) {
    // 4 gates × (8 inputs + 128 recurrent) × 128 units × 2 flops, per sample and step
    const perStep = 2 * 64 * 4 * 128 * (8 + 128);
    add('LSTM(128) one step [64,1,8]', perStep, lstm(1));
    add('LSTM(128) forward [64,50,8]', 50 * perStep, lstm(50));
  }

  // MNIST-style CNN `fit`, the same model and initial weights in both libraries (copied tfjs → shadergrad):
  // conv 3x3x32 relu → maxPool 2 → conv 3x3x64 relu → maxPool 2 → flatten → dense 10 softmax, adam,
  // categorical cross-entropy, one epoch of FIT_BATCHES batches on fixed data per run.
  const FIT_BATCHES = 1;
  const cnn = (batch: number) => (): Made => {
    const n = batch * FIT_BATCHES;
    const build = (L: Any): Any => {
      const m = L.sequential({
        layers: [
          L.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
          L.layers.maxPooling2d({ poolSize: 2 }),
          L.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          L.layers.maxPooling2d({ poolSize: 2 }),
          L.layers.flatten(),
          L.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      m.compile({ optimizer: L.train?.adam ? L.train.adam(1e-3) : L.optimizers.adam(1e-3), loss: 'categoricalCrossentropy' });
      return m;
    };
    const tfModel = build(tf);
    const sgModel = build(sg);
    shareWeights(tfModel, sgModel);
    const xv = values(n * 28 * 28, 3);
    const yv = Float32Array.from({ length: n * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
    const [xs, ys] = [sg.tensor(xv, [n, 28, 28, 1]), sg.tensor(yv, [n, 10])];
    const [xt, yt] = [tf.tensor(xv, [n, 28, 28, 1]), tf.tensor(yv, [n, 10])];
    const args = { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 };
    return {
      sg: () => sgModel.fit(xs, ys, args),
      tf: () => tfModel.fit(xt, yt, args),
      dispose() {
        [xs, ys, xt, yt].forEach((t) => t.dispose());
        sgModel.dispose?.();
        tfModel.dispose();
      },
    };
  };
  if (sg.layers?.conv2d && sg.sequential) {
    for (const batch of [32, 64]) add(`MNIST-CNN fit batch ${batch} (${FIT_BATCHES} batches)`, 0, cnn(batch), batch * FIT_BATCHES);
  }
  return cases;
}

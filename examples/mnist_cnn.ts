/**
 * The course's MNIST CNN on the `mnist` package's 10,000 digits (fixed split:
 * the first 80% of each digit train, the rest test): Conv2D 32/64/64 3×3
 * each followed by a 2×2 max-pool, Dense 64, Dense 10 softmax; Adam, sparse categorical
 * crossentropy. `npm run demo` runs this and saves the model.
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, main, report, since, useBackend } from './common.js';
import { loadMnist } from './datasets.js';

/** The course's Keras CNN: 60,554 parameters. */
export function buildCnn(): sg.LayersModel {
  const model = sg.sequential({
    layers: [
      sg.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      sg.layers.maxPooling2d({ poolSize: 2 }),
      sg.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      sg.layers.maxPooling2d({ poolSize: 2 }),
      sg.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      sg.layers.maxPooling2d({ poolSize: 2 }),
      sg.layers.flatten(),
      sg.layers.dense({ units: 64, activation: 'relu' }),
      sg.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const d = loadMnist({ limit: opts.smoke ? 30 : undefined });
  log(`mnist: ${d.xTrain.shape[0]} training and ${d.xTest.shape[0]} test digits (fixed split), backend ${backend}`);
  const model = buildCnn();
  model.summary(log);
  const epochs = opts.epochs ?? (opts.smoke ? 1 : 12);
  const tFit = performance.now();
  // All 8,000 training digits train (a validation split costs accuracy at this data size); the 2,000 test digits are only evaluated at the end.
  await model.fit(d.xTrain, d.yTrain, { epochs, batchSize: 32, verbose: opts.verbose ?? 1 });
  const fitSeconds = since(tFit);
  const ev = (await model.evaluate(d.xTest, d.yTest, { batchSize: 256 })) as sg.Tensor[];
  const acc = (await ev[1].data())[0];
  const counts = new Array<number>(10).fill(0);
  for (const v of await d.yTrain.data()) counts[v]++;
  const majority = counts.indexOf(Math.max(...counts));
  const yTest = Array.from(await d.yTest.data());
  const result: ExampleResult = {
    name: 'mnist-cnn',
    data: 'mnist package, 10,000 digits (8,000 train / 2,000 test)',
    backend,
    metric: 'test accuracy',
    value: acc,
    baseline: 'most frequent digit',
    baselineValue: yTest.filter((v) => v === majority).length / yTest.length,
    lowerIsBetter: false,
    seconds: since(t0),
    extra: { epochs, 'training samples/s': (d.xTrain.shape[0] * epochs) / fitSeconds, 'parameters': model.countParams() },
  };
  if (opts.saveTo) {
    await model.save(opts.saveTo);
    log(`saved to ${opts.saveTo}`);
  }
  sg.dispose([d.xTrain, d.yTrain, d.xTest, d.yTest, ev]);
  model.dispose();
  return report(result, opts);
}

await main('mnist_cnn', run);

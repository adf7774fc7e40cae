/**
 * A functional model with two inputs joined by `concatenate`: a car's scaled
 * engine figures go through one Dense branch, its origin (one-hot) through
 * another; together they predict fuel economy (cars.json). Reports test MAE
 * against predicting the training mean.
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, mae, main, report, since, useBackend } from './common.js';
import { FEATURES, loadCars } from './regression.js';

const ORIGINS = ['USA', 'Europe', 'Japan'];

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const cars = loadCars();
  const idx = cars.x.map((_, i) => i);
  const [trIdx, teIdx] = sg.data.trainTestSplit(idx, { testSize: 0.2, seed: 42 });
  const pick = <T>(a: T[], ix: number[]): T[] => ix.map((i) => a[i]);
  const scaler = sg.data.minMaxScaler().fit(pick(cars.x, trIdx));
  const originOf = (ix: number[]): sg.Tensor => sg.data.oneHot(ix.map((i) => ORIGINS.indexOf(cars.origin[i])), ORIGINS.length);
  const xTrain = [sg.tensor(scaler.transform(pick(cars.x, trIdx)) as number[][]), originOf(trIdx)];
  const xTest = [sg.tensor(scaler.transform(pick(cars.x, teIdx)) as number[][]), originOf(teIdx)];
  const yTr = pick(cars.y, trIdx);
  const yTe = pick(cars.y, teIdx);
  const yTrain = sg.tensor(yTr, [yTr.length, 1]);

  const engine = sg.input({ shape: [FEATURES.length], name: 'engine' });
  const origin = sg.input({ shape: [ORIGINS.length], name: 'origin' });
  const a = sg.layers.dense({ units: 16, activation: 'relu', name: 'engine_dense' }).apply(engine) as sg.SymbolicTensor;
  const b = sg.layers.dense({ units: 4, activation: 'relu', name: 'origin_dense' }).apply(origin) as sg.SymbolicTensor;
  const joined = sg.layers.concatenate().apply([a, b]) as sg.SymbolicTensor;
  const hidden = sg.layers.dense({ units: 8, activation: 'relu' }).apply(joined) as sg.SymbolicTensor;
  const mpg = sg.layers.dense({ units: 1, name: 'mpg' }).apply(hidden) as sg.SymbolicTensor;
  const model = sg.model({ inputs: [engine, origin], outputs: mpg });
  model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
  model.summary(log);
  await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 3 : 150), batchSize: 32, validationSplit: 0.1, verbose: opts.verbose ?? 1 });
  const pred = model.predict(xTest) as sg.Tensor;
  const mean = yTr.reduce((s, v) => s + v, 0) / yTr.length;
  const result: ExampleResult = {
    name: 'multi-input',
    data: 'vega-datasets cars.json (engine figures + origin)',
    backend,
    metric: 'test MAE (mpg)',
    value: mae(Array.from(await pred.data()), yTe),
    baseline: 'predict the train mean',
    baselineValue: mae(yTe.map(() => mean), yTe),
    lowerIsBetter: true,
    seconds: since(t0),
  };
  sg.dispose([xTrain, xTest, yTrain, pred]);
  model.dispose();
  return report(result, opts);
}

await main('multi_input', run);

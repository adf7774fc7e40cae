/**
 * Hyperparameter search on the regression: a seeded random search over the
 * hidden layer widths and the learning rate, scored by the best validation
 * loss; the best model is then evaluated on the test set.
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, mae, main, report, since, useBackend } from './common.js';
import { FEATURES, buildRegressor, loadCars } from './regression.js';

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const cars = loadCars();
  const [xTr, xTe, yTr, yTe] = sg.data.trainTestSplit(cars.x, cars.y, { testSize: 0.2, seed: 42 });
  const scaler = sg.data.minMaxScaler();
  const xTrain = sg.tensor(scaler.fitTransform(xTr) as number[][]);
  const xTest = sg.tensor(scaler.transform(xTe) as number[][]);
  const yTrain = sg.tensor(yTr, [yTr.length, 1]);

  const tuner = sg.tuner.randomSearch({
    buildModel: (hp) => buildRegressor(FEATURES.length, [hp.int('units1', 8, 32, { step: 8 }), hp.int('units2', 2, 8, { step: 2 })], hp.float('learningRate', 1e-3, 3e-2, { sampling: 'log' })),
    objective: 'val_loss',
    maxTrials: opts.smoke ? 2 : 8,
    seed: 1,
  });
  await tuner.search(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 2 : 60), batchSize: 32, validationSplit: 0.2, verbose: 0 });
  tuner.resultsSummary(3, log);
  const best = tuner.getBestModels(1)[0] as sg.LayersModel;
  best.summary(log);
  const pred = best.predict(xTest) as sg.Tensor;
  const mean = yTr.reduce((s, v) => s + v, 0) / yTr.length;
  const result: ExampleResult = {
    name: 'tuner',
    data: 'vega-datasets cars.json (MPG)',
    backend,
    metric: 'test MAE of the best trial (mpg)',
    value: mae(Array.from(await pred.data()), yTe),
    baseline: 'predict the train mean',
    baselineValue: mae(yTe.map(() => mean), yTe),
    lowerIsBetter: true,
    seconds: since(t0),
    extra: { trials: tuner.trials.length, best: JSON.stringify(tuner.getBestHyperparameters(1)[0]) },
  };
  tuner.dispose();
  sg.dispose([xTrain, xTest, yTrain, pred]);
  return report(result, opts);
}

await main('tuner', run);

/**
 * Regression on real tabular data: predict a car's fuel economy
 * (Miles_per_Gallon, vega-datasets cars.json) from its engine and body
 * figures. MinMaxScaler on the features, StandardScaler on the target (so the
 * output starts on the target's scale: with raw MPG (mean ≈ 23) the first
 * large gradients can switch off every ReLU of the 4-unit layer, leaving a
 * network that predicts a constant), Dense(18)–Dense(4)–Dense(1), Adam, MSE
 * loss; reports test MAE against predicting the training mean.
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, mae, main, report, since, useBackend } from './common.js';
import { vegaJson } from './datasets.js';

export const FEATURES = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'];

/** Cars with every feature and the target present; Year becomes the model year (70–82). */
export function loadCars(): { x: number[][]; y: number[]; origin: string[] } {
  const rows = vegaJson('cars.json').filter((r) => r.Miles_per_Gallon !== null && FEATURES.every((f) => r[f] !== null));
  return {
    x: rows.map((r) => FEATURES.map((f) => (f === 'Year' ? Number(String(r.Year).slice(0, 4)) - 1900 : Number(r[f])))),
    y: rows.map((r) => Number(r.Miles_per_Gallon)),
    origin: rows.map((r) => String(r.Origin)),
  };
}

/** The course's regression network. */
export function buildRegressor(features: number, units = [18, 4], learningRate = 0.01): sg.LayersModel {
  const model = sg.sequential({
    layers: [
      sg.layers.dense({ units: units[0], activation: 'relu', inputShape: [features] }),
      sg.layers.dense({ units: units[1], activation: 'relu' }),
      sg.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: sg.optimizers.adam({ learningRate }), loss: 'meanSquaredError', metrics: ['mae'] });
  return model;
}

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
  const yScaler = sg.data.standardScaler();
  const yTrain = sg.tensor(yScaler.fitTransform(yTr) as number[], [yTr.length, 1]);
  log(`cars.json: ${cars.x.length} cars with complete rows, ${xTr.length} train / ${xTe.length} test, features: ${FEATURES.join(', ')}`);

  const model = buildRegressor(FEATURES.length);
  model.summary(log);
  await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 3 : 150), batchSize: 32, validationSplit: 0.1, verbose: opts.verbose ?? 1 });
  const pred = model.predict(xTest) as sg.Tensor;
  const p = yScaler.inverseTransform(Array.from(await pred.data())) as number[];
  const trainMean = yTr.reduce((a, b) => a + b, 0) / yTr.length;
  const result: ExampleResult = {
    name: 'regression',
    data: 'vega-datasets cars.json (MPG)',
    backend,
    metric: 'test MAE (mpg)',
    value: mae(p, yTe),
    baseline: 'predict the train mean',
    baselineValue: mae(yTe.map(() => trainMean), yTe),
    lowerIsBetter: true,
    seconds: since(t0),
  };
  if (opts.saveTo) await model.save(opts.saveTo);
  sg.dispose([xTrain, xTest, yTrain, pred]);
  model.dispose();
  return report(result, opts);
}

await main('regression', run);

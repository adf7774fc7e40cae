/**
 * Next-step stock price from the last 5 steps with stacked LSTMs:
 * vega-datasets stocks.csv (AMZN, monthly closes 2000–2010). MinMaxScaler on
 * inputs and target (fitted on the training part only), 5-step windows,
 * LSTM(32, returnSequences) → LSTM(16) → Dense(1), chronological split;
 * reports the test MAE in dollars against "next = last".
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, mae, main, report, since, useBackend } from './common.js';
import { vegaCsv } from './datasets.js';

export const STEPS = 5;

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const prices = vegaCsv('stocks.csv').filter((r) => r.symbol === 'AMZN').map((r) => Number(r.price));
  const nTrainRows = Math.floor(prices.length * 0.8);
  // Scale with statistics of the training period only: no look-ahead.
  const scaler = sg.data.minMaxScaler().fit(prices.slice(0, nTrainRows));
  const scaled = scaler.transform(prices) as number[];
  const w = sg.data.timeseriesWindows(scaled, scaled, STEPS, { horizon: 1 });
  const n = w.x.shape[0];
  // Windows whose target lies in the training period train; the rest test.
  const nTrain = nTrainRows - STEPS;
  const [xTrain, xTest] = sg.data.trainTestSplit(w.x, { testSize: n - nTrain, shuffle: false });
  const y2d = sg.reshape(w.y, [n, 1]);
  const [yTrain, yTest] = sg.data.trainTestSplit(y2d, { testSize: n - nTrain, shuffle: false });
  log(`stocks.csv AMZN: ${prices.length} monthly prices → ${n} windows of ${STEPS}; ${nTrain} train, ${n - nTrain} test (chronological)`);

  const model = sg.sequential({
    layers: [
      sg.layers.lstm({ units: 32, returnSequences: true, inputShape: [STEPS, 1] }),
      sg.layers.lstm({ units: 16 }),
      sg.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.005 }), loss: 'mse' });
  model.summary(log);
  await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 2 : 150), batchSize: 8, shuffle: true, verbose: opts.verbose ?? 1 });
  const pred = model.predict(xTest) as sg.Tensor;
  const predPrice = scaler.inverseTransform(Array.from(await pred.data())) as number[];
  const truth = scaler.inverseTransform(Array.from(await yTest.data())) as number[];
  // Naive forecast: the next price equals the last price of the window.
  const lastInWindow = prices.slice(nTrain + STEPS - 1, n + STEPS - 1);
  const result: ExampleResult = {
    name: 'stock-lstm',
    data: 'vega-datasets stocks.csv (AMZN)',
    backend,
    metric: 'test MAE ($)',
    value: mae(predPrice, truth),
    baseline: 'next = last price',
    baselineValue: mae(lastInWindow, truth),
    lowerIsBetter: true,
    seconds: since(t0),
  };
  if (opts.saveTo) await model.save(opts.saveTo);
  sg.dispose([w.x, w.y, y2d, xTrain, xTest, yTrain, yTest, pred]);
  model.dispose();
  return report(result, opts);
}

await main('stock_lstm', run);

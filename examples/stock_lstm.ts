/**
 * Next-month stock price with stacked LSTMs: vega-datasets stocks.csv (AMZN,
 * monthly closes 2000–2010). A price series is close to a random walk, so a
 * network fed scaled prices mostly learns "next ≈ last" and loses to it
 * (prices in the test years lie outside the training range). Instead, as in
 * finance practice, the model sees the last 5 monthly returns
 * (p[t]/p[t−1] − 1, standardized with training statistics) and predicts the
 * next return; the price forecast is last price × (1 + predicted return).
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
  // returns[i] is the move into month i + 1.
  const returns = prices.slice(1).map((p, i) => p / prices[i] - 1);
  const nTrainRows = Math.floor(prices.length * 0.8);
  // Window j holds returns j..j+4 and targets returns[j + 5], the move into month j + 6;
  // windows whose target month lies in the training period train (no look-ahead).
  const nTrain = nTrainRows - STEPS - 1;
  const scaler = sg.data.standardScaler().fit(returns.slice(0, nTrain + STEPS));
  const scaled = scaler.transform(returns) as number[];
  const w = sg.data.timeseriesWindows(scaled, scaled, STEPS, { horizon: 1 });
  const n = w.x.shape[0];
  const [xTrain, xTest] = sg.data.trainTestSplit(w.x, { testSize: n - nTrain, shuffle: false });
  const [yTrain, yTest] = sg.data.trainTestSplit(w.y, { testSize: n - nTrain, shuffle: false });
  log(`stocks.csv AMZN: ${prices.length} monthly prices → ${n} windows of ${STEPS} returns; ${nTrain} train, ${n - nTrain} test (chronological)`);

  const model = sg.sequential({
    layers: [
      sg.layers.lstm(32, { returnSequences: true, inputShape: [STEPS, 1] }),
      sg.layers.lstm(16),
      sg.layers.dense(1),
    ],
  });
  model.compile({ optimizer: sg.optimizers.adam(0.001), loss: 'mse' });
  model.summary(log);
  // yTrain is [m]: fit takes it for the one-unit output, as Keras does.
  await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 2 : 30), batchSize: 16, verbose: opts.verbose ?? 1 });
  const pred = model.predict(xTest) as sg.Tensor;
  const predReturn = scaler.inverseTransform(Array.from(await pred.data())) as number[];
  // Test window j = nTrain + k forecasts month nTrain + k + 6 from the price of month nTrain + k + 5.
  const last = prices.slice(nTrain + STEPS, n + STEPS);
  const truth = prices.slice(nTrain + STEPS + 1, n + STEPS + 1);
  const predPrice = last.map((p, k) => p * (1 + predReturn[k]));
  const result: ExampleResult = {
    name: 'stock-lstm',
    data: 'vega-datasets stocks.csv (AMZN)',
    backend,
    metric: 'test MAE ($)',
    value: mae(predPrice, truth),
    baseline: 'next = last price',
    baselineValue: mae(last, truth),
    lowerIsBetter: true,
    seconds: since(t0),
  };
  if (opts.saveTo) await model.save(opts.saveTo);
  sg.dispose([w.x, w.y, xTrain, xTest, yTrain, yTest, pred]);
  model.dispose();
  return report(result, opts);
}

await main('stock_lstm', run);

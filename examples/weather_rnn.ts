/**
 * Next-day maximum temperature in Seattle (vega-datasets seattle-weather.csv,
 * 2012–2015, daily) from the previous 7 days of precipitation, max/min
 * temperature and wind. Three models on the same windows — GRU(32),
 * Bidirectional(LSTM(16)), and Conv1D(32, 3) + GlobalAveragePooling1D —
 * compared with the naive forecast "tomorrow = today".
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, mae, main, report, since, useBackend } from './common.js';
import { vegaCsv } from './datasets.js';

const COLS = ['precipitation', 'temp_max', 'temp_min', 'wind'];
const STEPS = 7;

function variants(features: number): Record<string, () => sg.Layer[]> {
  return {
    'GRU(32)': () => [sg.layers.gru({ units: 32, inputShape: [STEPS, features] }), sg.layers.dense({ units: 1 })],
    'Bidirectional(LSTM(16))': () => [sg.layers.bidirectional({ layer: sg.layers.lstm({ units: 16 }), inputShape: [STEPS, features] }), sg.layers.dense({ units: 1 })],
    'Conv1D(32,3)+GAP': () => [
      sg.layers.conv1d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [STEPS, features] }),
      sg.layers.globalAveragePooling1d(),
      sg.layers.dense({ units: 1 }),
    ],
  };
}

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const rows = vegaCsv('seattle-weather.csv');
  const table = rows.map((r) => COLS.map((c) => Number(r[c])));
  const tmax = rows.map((r) => Number(r.temp_max));
  const nTrainRows = Math.floor(rows.length * 0.8);
  const xScaler = sg.data.standardScaler().fit(table.slice(0, nTrainRows));
  const yScaler = sg.data.standardScaler().fit(tmax.slice(0, nTrainRows));
  const w = sg.data.timeseriesWindows(xScaler.transform(table) as number[][], yScaler.transform(tmax) as number[], STEPS, { horizon: 1 });
  const n = w.x.shape[0];
  const nTrain = nTrainRows - STEPS;
  const [xTrain, xTest] = sg.data.trainTestSplit(w.x, { testSize: n - nTrain, shuffle: false });
  const y2d = sg.reshape(w.y, [n, 1]);
  const [yTrain, yTest] = sg.data.trainTestSplit(y2d, { testSize: n - nTrain, shuffle: false });
  const truth = tmax.slice(nTrain + STEPS, n + STEPS);
  const today = tmax.slice(nTrain + STEPS - 1, n + STEPS - 1);
  log(`seattle-weather.csv: ${rows.length} days → ${n} windows of ${STEPS} days; ${nTrain} train, ${n - nTrain} test (chronological)`);

  const scores: Record<string, number> = {};
  for (const [name, make] of Object.entries(variants(COLS.length))) {
    const model = sg.sequential({ layers: make() });
    model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.003 }), loss: 'mse' });
    log(`\n== ${name}`);
    model.summary(log);
    const stop = sg.callbacks.earlyStopping({ monitor: 'val_loss', patience: 8, restoreBestWeights: true });
    await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 1 : 60), batchSize: 32, validationSplit: 0.15, callbacks: [stop], verbose: opts.verbose ?? 1 });
    const pred = model.predict(xTest) as sg.Tensor;
    const p = yScaler.inverseTransform(Array.from(await pred.data())) as number[];
    scores[name] = mae(p, truth);
    log(`${name}: test MAE ${scores[name].toFixed(3)} °C`);
    pred.dispose();
    model.dispose();
  }
  const best = Object.entries(scores).sort((a, b) => a[1] - b[1])[0];
  const result: ExampleResult = {
    name: 'weather-rnn',
    data: 'vega-datasets seattle-weather.csv (next-day temp_max)',
    backend,
    metric: `test MAE (°C), best: ${best[0]}`,
    value: best[1],
    baseline: 'tomorrow = today',
    baselineValue: mae(today, truth),
    lowerIsBetter: true,
    seconds: since(t0),
    extra: Object.fromEntries(Object.entries(scores).map(([k, v]) => [`MAE ${k}`, v])),
  };
  sg.dispose([w.x, w.y, y2d, xTrain, xTest, yTrain, yTest]);
  return report(result, opts);
}

await main('weather_rnn', run);

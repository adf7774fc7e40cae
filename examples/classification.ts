/**
 * Binary classification on real data: predict a penguin's sex from its
 * measurements and species (vega-datasets penguins.json). StandardScaler,
 * a Dense stack with L2 regularisation and Dropout, sigmoid output, binary
 * crossentropy, EarlyStopping on the validation loss; reports test accuracy
 * against always answering the majority class.
 */
import * as sg from '../src/index.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { DEFAULT_SEED, main, report, since, useBackend } from './common.js';
import { vegaJson } from './datasets.js';

const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];

export function loadPenguins(): { x: number[][]; y: number[] } {
  const rows = vegaJson('penguins.json').filter((r) => (r.Sex === 'MALE' || r.Sex === 'FEMALE') && NUMERIC.every((f) => typeof r[f] === 'number'));
  return {
    x: rows.map((r) => [...NUMERIC.map((f) => Number(r[f])), ...SPECIES.map((s) => (r.Species === s ? 1 : 0))]),
    y: rows.map((r) => (r.Sex === 'MALE' ? 1 : 0)),
  };
}

export async function run(opts: ExampleOptions = {}): Promise<ExampleResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts);
  // Keras's set_random_seed: initial weights, dropout, shuffles and splits repeat run after run.
  sg.setSeed(opts.seed ?? DEFAULT_SEED);
  const log = opts.log ?? console.log;
  const data = loadPenguins();
  const [xTr, xTe, yTr, yTe] = sg.data.trainTestSplit(data.x, data.y, { testSize: 0.2, seed: 7 });
  const scaler = sg.data.standardScaler();
  const xTrain = sg.tensor(scaler.fitTransform(xTr) as number[][]);
  const xTest = sg.tensor(scaler.transform(xTe) as number[][]);
  const yTrain = sg.tensor(yTr, [yTr.length, 1]);
  const yTest = sg.tensor(yTe, [yTe.length, 1]);
  log(`penguins.json: ${data.x.length} penguins with known sex, ${xTr.length} train / ${xTe.length} test`);

  const l2 = sg.regularizers.l2({ l2: 0.001 });
  const model = sg.sequential({
    layers: [
      sg.layers.dense({ units: 16, activation: 'relu', kernelRegularizer: l2, inputShape: [data.x[0].length] }),
      sg.layers.dropout({ rate: 0.3 }),
      sg.layers.dense({ units: 8, activation: 'relu', kernelRegularizer: l2 }),
      sg.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: sg.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  model.summary(log);
  const stop = sg.callbacks.earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true });
  const h = await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? (opts.smoke ? 3 : 300), batchSize: 16, validationSplit: 0.2, callbacks: [stop], verbose: opts.verbose ?? 1 });
  const ev = (await model.evaluate(xTest, yTest)) as sg.Tensor[];
  const acc = (await ev[1].data())[0];
  const majority = Math.max(yTr.filter((v) => v === 1).length, yTr.filter((v) => v === 0).length) === yTr.filter((v) => v === 1).length ? 1 : 0;
  const result: ExampleResult = {
    name: 'classification',
    data: 'vega-datasets penguins.json (sex)',
    backend,
    metric: 'test accuracy',
    value: acc,
    baseline: 'majority class',
    baselineValue: yTe.filter((v) => v === majority).length / yTe.length,
    lowerIsBetter: false,
    seconds: since(t0),
    extra: { 'epochs run (early stopping)': h.history.loss.length },
  };
  if (opts.saveTo) await model.save(opts.saveTo);
  sg.dispose([xTrain, xTest, yTrain, yTest, ev]);
  model.dispose();
  return report(result, opts);
}

await main('classification', run);

/**
 * CI-sized smoke runs of every example (few epochs, small subsets): each must
 * load its real data, print a summary, train, and report a finite metric
 * next to its baseline without leaking tensors. The full runs fill the
 * README table (`node scripts/run.mjs examples/<name>.ts`).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { ExampleOptions, ExampleResult } from '../../examples/common.js';
import { run as classification } from '../../examples/classification.js';
import { run as mnistCnn } from '../../examples/mnist_cnn.js';
import { run as multiInput } from '../../examples/multi_input.js';
import { run as regression } from '../../examples/regression.js';
import { run as stockLstm } from '../../examples/stock_lstm.js';
import { run as tuner } from '../../examples/tuner.js';
import { run as weatherRnn } from '../../examples/weather_rnn.js';

const examples: [string, (o: ExampleOptions) => Promise<ExampleResult>][] = [
  ['regression', regression],
  ['classification', classification],
  ['mnist-cnn', mnistCnn],
  ['stock-lstm', stockLstm],
  ['weather-rnn', weatherRnn],
  ['multi-input', multiInput],
  ['tuner', tuner],
];

describe('examples (smoke runs)', () => {
  let before = 0;
  beforeEach(async () => {
    await sg.setBackend('cpu');
    before = sg.memory().numTensors;
  });
  afterEach(() => {
    expect(sg.memory().numTensors).toBe(before);
  });

  test.each(examples)('%s', async (name, run) => {
    const lines: string[] = [];
    const r = await run({ smoke: true, verbose: 0, backend: 'cpu', log: (l) => lines.push(l) });
    expect(r.name).toBe(name);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(Number.isFinite(r.baselineValue)).toBe(true);
    expect(lines.some((l) => l.startsWith('Total params:'))).toBe(true);
    expect(lines.some((l) => l.includes(r.metric))).toBe(true);
  });
});

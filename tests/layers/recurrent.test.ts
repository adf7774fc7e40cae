/**
 * SimpleRNN, LSTM, GRU (resetAfter: false) and Bidirectional against
 * TensorFlow.js layers: forward outputs, output shapes and gradients with
 * respect to the input and every weight, with tfjs's weights copied in.
 */
import { afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';
import type { Kind, LayerSpec } from './recurrent_helpers.js';
import { compareStack } from './recurrent_helpers.js';

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const IN: [number, number, number] = [3, 5, 4];
const UNITS = 6;

// tfjs's GRU has no reset_after: compare the Keras-2 form.
const base = (kind: Kind): Record<string, unknown> => ({ units: UNITS, ...(kind === 'gru' ? { resetAfter: false } : {}), ...(kind === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' }) });

const variants: [string, Record<string, unknown>][] = [
  ['last output', {}],
  ['returnSequences', { returnSequences: true }],
  ['goBackwards', { goBackwards: true }],
  ['goBackwards + returnSequences', { goBackwards: true, returnSequences: true }],
  ['returnState', { returnState: true }],
  ['returnSequences + returnState', { returnSequences: true, returnState: true }],
  ['no bias', { useBias: false }],
  ['activation relu', { activation: 'relu' }],
];

describe.each(['simpleRNN', 'lstm', 'gru'] as Kind[])('%s vs tfjs', (kind) => {
  test.each(variants)('%s', async (_, extra) => {
    await compareStack(tf, [{ kind, opts: { ...base(kind), ...extra } }], IN, 11);
  });

  if (kind !== 'simpleRNN') {
    test.each(['sigmoid', 'hardSigmoid'])('recurrentActivation %s', async (ra) => {
      await compareStack(tf, [{ kind, opts: { ...base(kind), recurrentActivation: ra, returnSequences: true } }], IN, 12);
    });
  }

  test('stacked: returnSequences layer into a second layer', async () => {
    const specs: LayerSpec[] = [
      { kind, opts: { ...base(kind), returnSequences: true } },
      { kind, opts: { ...base(kind), units: 3 } },
    ];
    await compareStack(tf, specs, IN, 13);
  });

  test.each(['concat', 'sum', 'ave', 'mul', null] as const)('bidirectional mergeMode %s', async (mergeMode) => {
    await compareStack(tf, [{ kind, opts: { ...base(kind), returnSequences: true }, bidi: { mergeMode } }], IN, 14);
  });

  test('bidirectional, last output and returnState', async () => {
    await compareStack(tf, [{ kind, opts: { ...base(kind), returnState: true }, bidi: { mergeMode: 'concat' } }], IN, 15);
  });

  test('bidirectional stacked into a second bidirectional', async () => {
    const specs: LayerSpec[] = [
      { kind, opts: { ...base(kind), returnSequences: true }, bidi: { mergeMode: 'concat' } },
      { kind, opts: { ...base(kind), units: 3 }, bidi: { mergeMode: 'sum' } },
    ];
    await compareStack(tf, specs, IN, 16);
  });
});

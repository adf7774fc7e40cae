/**
 * `await opt.setWeights(await opt.getWeights())`: getWeights hands out the
 * optimizer's own slot variables (as TensorFlow.js does), so setWeights must
 * copy them before it frees the old state. After the round trip training
 * continues exactly as an uninterrupted run, and no tensor is leaked.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { rand } from './recurrent_helpers.js';

const hasGpu = Boolean((globalThis as { __SG_WEBGPU__?: boolean }).__SG_WEBGPU__);

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const W0 = rand(6, 11, 0.5);
const X = rand(8, 12, 1);
const Y = rand(4, 13, 1);

const kinds: [string, () => sg.optimizers.Optimizer][] = [
  ['adam', () => sg.optimizers.adam({ learningRate: 0.05 })],
  ['sgd with momentum', () => sg.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })],
  ['rmsprop', () => sg.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 })],
  ['rmsprop centered', () => sg.optimizers.rmsprop({ learningRate: 0.01, centered: true })],
  ['adagrad', () => sg.optimizers.adagrad({ learningRate: 0.1 })],
  ['nadam', () => sg.optimizers.nadam({ learningRate: 0.05 })],
  ['adamw', () => sg.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.01 })],
  ['plain sgd', () => sg.optimizers.sgd({ learningRate: 0.1 })],
];

function step(opt: sg.optimizers.Optimizer, w: sg.Variable): void {
  sg.tidy(() => {
    const x = sg.tensor(X, [4, 2]);
    const y = sg.tensor(Y, [4, 1]);
    const { value, grads } = sg.variableGrads(() => sg.mean(sg.square(sg.sub(sg.matMul(x, sg.reshape(sg.slice(w, [0], [2]), [2, 1])), y))), [w]);
    opt.applyGradients(grads, [w]);
    value.dispose();
  });
}

async function roundTrip(makeOpt: () => sg.optimizers.Optimizer, id: string, withVars: boolean): Promise<void> {
  const wa = sg.tidy(() => sg.variable(sg.tensor(W0), true, `rt_${id}_a`));
  const wb = sg.tidy(() => sg.variable(sg.tensor(W0), true, `rt_${id}_a`));
  const a = makeOpt();
  const b = makeOpt();
  for (let i = 0; i < 2; i++) {
    step(a, wa);
    step(b, wb);
  }
  const count = sg.memory().numTensors;
  const state = await a.getWeights();
  await a.setWeights(state, withVars ? [wa] : undefined);
  state[0].tensor.dispose(); // the iter scalar is the caller's; the slots were the optimizer's own
  expect(sg.memory().numTensors).toBe(count);
  expect(a.iterations).toBe(b.iterations);
  step(a, wa);
  step(b, wb);
  expect(Array.from(await wa.data())).toEqual(Array.from(await wb.data()));
  const sa = await a.getWeights();
  const sb = await b.getWeights();
  expect(sa.map((s) => s.name)).toEqual(sb.map((s) => s.name));
  for (let i = 0; i < sa.length; i++) expect(Array.from(await sa[i].tensor.data())).toEqual(Array.from(await sb[i].tensor.data()));
  sg.dispose([sa[0].tensor, sb[0].tensor, wa, wb]);
  a.dispose();
  b.dispose();
}

describe.each(kinds)('%s: setWeights(getWeights()) round trip', (kind, makeOpt) => {
  const id = kind.replace(/ /g, '_');
  test('by name: continues as the uninterrupted run, nothing leaked', () => roundTrip(makeOpt, `${id}_n`, false));
  test('with the variables: continues as the uninterrupted run, nothing leaked', () => roundTrip(makeOpt, `${id}_v`, true));
});

describe('setWeights input checks', () => {
  test('a disposed input is rejected before anything changes', async () => {
    const w = sg.tidy(() => sg.variable(sg.tensor(W0), true, 'rt_disposed'));
    const opt = sg.optimizers.adam(0.1);
    step(opt, w);
    const snap = await opt.getWeights();
    const before = await Promise.all(snap.map(async (s) => Array.from(await s.tensor.data())));
    const iter = sg.scalar(3, 'int32');
    const m = sg.ones([6]);
    const v = sg.ones([6]);
    v.dispose();
    const count = sg.memory().numTensors;
    await expect(opt.setWeights([{ name: 'iter', tensor: iter }, { name: 'rt_disposed/m', tensor: m }, { name: 'rt_disposed/v', tensor: v }])).rejects.toThrow(/^Adam\.setWeights: tensor 'rt_disposed\/v' has been disposed/);
    expect(sg.memory().numTensors).toBe(count);
    const after = await opt.getWeights();
    expect(await Promise.all(after.map(async (s) => Array.from(await s.tensor.data())))).toEqual(before);
    expect(opt.iterations).toBe(1);
    sg.dispose([snap[0].tensor, after[0].tensor, iter, m, w]);
    opt.dispose();
  });
});

describe.skipIf(!hasGpu)('webgpu', () => {
  test('adam: setWeights(getWeights()) round trip on webgpu', () => onBackend('webgpu', () => roundTrip(kinds[0][1], 'gpu', false)));
});

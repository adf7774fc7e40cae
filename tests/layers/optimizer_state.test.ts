/**
 * Optimizer state: getWeights()/setWeights() in TensorFlow.js's layout
 * ('iter' first, then the slots by kind, named `<variable>/<slot>`), checked
 * by moving the state between tfjs and shadergrad mid-training and continuing
 * both: the weights must keep agreeing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { GRAD_TOL, expectClose } from '../helpers/compare.js';
import type { Tf } from '../helpers/tf.js';
import { getTf } from '../helpers/tf.js';
import { rand } from './recurrent_helpers.js';

type TfVariable = ReturnType<Tf['variable']>;

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const W0 = rand(6, 1, 0.5);
const B0 = rand(2, 2, 0.5);
const X = rand(8, 3, 1);
const Y = rand(4, 4, 1);

type TfOptimizer = ReturnType<Tf['train']['adam']> | ReturnType<Tf['train']['momentum']> | ReturnType<Tf['train']['rmsprop']> | ReturnType<Tf['train']['sgd']>;
type Kind = [string, () => sg.optimizers.Optimizer, (t: Tf) => TfOptimizer];
const kinds: Kind[] = [
  ['adam', () => sg.optimizers.adam({ learningRate: 0.05 }), (t) => t.train.adam(0.05, 0.9, 0.999, 1e-7)],
  ['sgd with momentum', () => sg.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), (t) => t.train.momentum(0.1, 0.9)],
  ['rmsprop', () => sg.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 }), (t) => t.train.rmsprop(0.01, 0.9, 0.5, 1e-7)],
  ['rmsprop centered', () => sg.optimizers.rmsprop({ learningRate: 0.01, centered: true }), (t) => t.train.rmsprop(0.01, 0.9, 0, 1e-7, true)],
  ['plain sgd', () => sg.optimizers.sgd({ learningRate: 0.1 }), (t) => t.train.sgd(0.1)],
];

/** Both libraries' copies of a tiny regression: loss = mean((x·w + b − y)²). */
function setup(id: string) {
  const names = [`w_${id}`, `b_${id}`];
  const [w, b] = sg.tidy(() => [sg.variable(sg.tensor(W0, [3, 2]), true, names[0]), sg.variable(sg.tensor(B0, [2]), true, names[1])]);
  const tw = tf.variable(tf.tensor(W0, [3, 2]), true, names[0]);
  const tb = tf.variable(tf.tensor(B0, [2]), true, names[1]);
  const x = sg.tensor(X, [4, 2]);
  return { names, w, b, tw, tb, x };
}

function stepSg(opt: sg.optimizers.Optimizer, vars: sg.Variable[], x: sg.Tensor): void {
  sg.tidy(() => {
    const xs = sg.tensor(X, [4, 2]);
    const { value, grads } = sg.variableGrads(() => sg.mean(sg.square(sg.sub(sg.add(sg.matMul(xs, sg.slice(vars[0], [0, 0], [2, 2])), vars[1]), sg.tensor(Y, [4, 1])))), vars);
    opt.applyGradients(grads, vars);
    value.dispose();
    void x;
  });
}

function stepTf(opt: TfOptimizer, vars: TfVariable[]): void {
  tf.tidy(() => {
    const xs = tf.tensor(X, [4, 2]);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xs, tf.slice(vars[0], [0, 0], [2, 2])), vars[1]), tf.tensor(Y, [4, 1])))) as never, vars);
    opt.applyGradients(grads as never);
    value.dispose();
  });
}

describe.each(kinds)('%s: state in TensorFlow.js’s layout', (kind, makeSg, makeTf) => {
  const id = kind.replace(/ /g, '_');

  test('getWeights after 3 steps: names, order and values equal tfjs’s', async () => {
    const s = setup(`${id}_a`);
    const opt = makeSg();
    const topt = makeTf(tf);
    for (let i = 0; i < 3; i++) {
      stepSg(opt, [s.w, s.b], s.x);
      stepTf(topt, [s.tw, s.tb]);
    }
    const ours = await opt.getWeights();
    const theirs = await topt.getWeights();
    expect(ours.map((w) => w.name)).toEqual(theirs.map((w) => w.name));
    expect(ours[0].tensor.dtype).toBe('int32');
    for (let i = 0; i < ours.length; i++) expectClose(await ours[i].tensor.data(), await theirs[i].tensor.data(), GRAD_TOL, ours[i].name);
    ours[0].tensor.dispose();
    theirs[0].tensor.dispose();
    opt.dispose();
    topt.dispose();
    sg.dispose([s.w, s.b, s.x]);
    tf.dispose([s.tw, s.tb]);
  });

  test('state moved tfjs → shadergrad (by position) and shadergrad → tfjs continues identically', async () => {
    const s = setup(`${id}_b`);
    const topt = makeTf(tf);
    for (let i = 0; i < 3; i++) stepTf(topt, [s.tw, s.tb]);
    // Our weights take tfjs's values; our optimizer takes tfjs's state.
    const wv = Array.from(await s.tw.data());
    const bv = Array.from(await s.tb.data());
    sg.tidy(() => {
      s.w.assign(sg.tensor(wv, [3, 2]));
      s.b.assign(sg.tensor(bv, [2]));
    });
    const theirState = await topt.getWeights();
    const opt = makeSg();
    const moved = await Promise.all(theirState.map(async (w) => ({ name: w.name, tensor: sg.tensor(Array.from(await w.tensor.data()), w.tensor.shape, w.tensor.dtype as 'float32' | 'int32') })));
    await opt.setWeights(moved, [s.w, s.b]);
    sg.dispose(moved.map((m) => m.tensor));
    for (let i = 0; i < 2; i++) {
      stepSg(opt, [s.w, s.b], s.x);
      stepTf(topt, [s.tw, s.tb]);
    }
    expectClose(await s.w.data(), await s.tw.data(), GRAD_TOL, 'w after tfjs → shadergrad');
    // And back: a fresh tfjs optimizer takes our state.
    const ours = await opt.getWeights();
    const topt2 = makeTf(tf);
    const back = await Promise.all(ours.map(async (w) => ({ name: w.name, tensor: tf.tensor(Array.from(await w.tensor.data()), [...w.tensor.shape], w.tensor.dtype as 'float32' | 'int32') })));
    await topt2.setWeights(back);
    tf.dispose(back.map((m) => m.tensor));
    for (let i = 0; i < 2; i++) {
      stepSg(opt, [s.w, s.b], s.x);
      stepTf(topt2, [s.tw, s.tb]);
    }
    expectClose(await s.w.data(), await s.tw.data(), GRAD_TOL, 'w after shadergrad → tfjs');
    expectClose(await s.b.data(), await s.tb.data(), GRAD_TOL, 'b after shadergrad → tfjs');
    ours[0].tensor.dispose();
    opt.dispose();
    topt.dispose();
    topt2.dispose();
    sg.dispose([s.w, s.b, s.x]);
    tf.dispose([s.tw, s.tb]);
    tf.dispose(theirState.map((w) => w.tensor));
  });
});

describe('setWeights errors change nothing', () => {
  test('wrong count, wrong shape, missing iter, unknown variable names', async () => {
    const w = sg.tidy(() => sg.variable(sg.zeros([2, 2]), true, 'err_w'));
    const opt = sg.optimizers.adam(0.1);
    sg.tidy(() => opt.applyGradients([[w, sg.ones([2, 2])]]));
    const before = await opt.getWeights();
    const snapshot = await Promise.all(before.map(async (b) => Array.from(await b.tensor.data())));
    const iter = sg.scalar(7, 'int32');
    const m = sg.ones([2, 2]);
    const bad = sg.ones([3]);
    await expect(opt.setWeights([{ name: 'err_w/m', tensor: m }])).rejects.toThrow(/Adam.setWeights: expected \[\{ name: 'iter'/);
    await expect(opt.setWeights([{ name: 'iter', tensor: iter }, { name: 'err_w/m', tensor: m }])).rejects.toThrow(/1 slot tensor\(s\) do not fit 2 slot\(s\)/);
    await expect(opt.setWeights([{ name: 'iter', tensor: iter }, { name: 'err_w/m', tensor: m }, { name: 'err_w/v', tensor: bad }], [w])).rejects.toThrow(/slot 'err_w\/v' has shape \[3\] but variable 'err_w' is \[2,2\]/);
    await expect(opt.setWeights([{ name: 'iter', tensor: iter }, { name: 'x', tensor: m }, { name: 'y', tensor: m }])).rejects.toThrow(/does not end in '\/m'/);
    await expect(sg.optimizers.sgd(0.1).setWeights([{ name: 'iter', tensor: iter }, { name: 'a/momentum', tensor: m }])).rejects.toThrow(/SGD.setWeights: 1 slot tensor\(s\) do not fit 0 slot\(s\)/);
    const after = await opt.getWeights();
    expect(await Promise.all(after.map(async (b) => Array.from(await b.tensor.data())))).toEqual(snapshot);
    // By name, bound when the variable is first updated.
    const fresh = sg.optimizers.adam(0.1);
    await fresh.setWeights([{ name: 'iter', tensor: iter }, { name: 'err_w/m', tensor: m }, { name: 'err_w/v', tensor: m }]);
    expect(fresh.iterations).toBe(7);
    const g = sg.ones([2, 2]);
    fresh.applyGradients([[w, g]]);
    expect(Array.from(await fresh.getSlots(w)[0].data())).toEqual(new Array(4).fill(Math.fround(0.9 + 0.1)));
    sg.dispose([before[0].tensor, after[0].tensor, iter, m, bad, w, g]);
    opt.dispose();
    fresh.dispose();
  });
});

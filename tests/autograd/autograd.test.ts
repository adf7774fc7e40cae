/**
 * The gradient functions, higher-order gradients, variables, noGrad, and the
 * tape's memory behaviour, against TensorFlow.js where it has the same call.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { expectClose, GRAD_TOL } from '../helpers/compare.js';
import { expectNoLeak } from '../helpers/check_op.js';
import { getTf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const X = [0.5, -1.25, 2, 0.75, -0.3, 1.1];

describe('gradient functions match tfjs', () => {
  test('grad, valueAndGrad of a composite function', async () => {
    const tf = await getTf();
    const f = (m: typeof sg | typeof tf) => (x: any) => (m as any).sum((m as any).mul((m as any).tanh(x), (m as any).exp((m as any).mul(x, 0.5))));
    const xs = sg.tensor(X, [2, 3]);
    const xt = tf.tensor(X, [2, 3]);
    const g = sg.grad(f(sg))(xs);
    const gt = tf.grad(f(tf) as any)(xt);
    expectClose(await g.data(), await gt.data(), GRAD_TOL, 'grad');
    const { value, grad } = sg.valueAndGrad(f(sg))(xs);
    const vt = tf.valueAndGrad(f(tf) as any)(xt);
    expectClose(await value.data(), await vt.value.data(), GRAD_TOL, 'value');
    expectClose(await grad.data(), await vt.grad.data(), GRAD_TOL, 'valueAndGrad');
    sg.dispose([xs, g, value, grad]);
    tf.dispose([xt, gt, vt.value, vt.grad]);
  });

  test('grads and valueAndGrads with a dy seed and broadcasting', async () => {
    const tf = await getTf();
    const f = (m: any) => (a: any, b: any) => m.div(m.mul(a, b), m.add(m.square(b), 1));
    const a = sg.tensor(X, [2, 3]);
    const b = sg.tensor([0.2, -0.7, 1.3]);
    const dy = sg.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const at = tf.tensor(X, [2, 3]);
    const bt = tf.tensor([0.2, -0.7, 1.3]);
    const dyt = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const gs = sg.grads(f(sg))([a, b], dy);
    const gts = tf.grads(f(tf))([at, bt], dyt);
    expect(gs[1].shape).toEqual([3]);
    for (let i = 0; i < 2; i++) expectClose(await gs[i].data(), await gts[i].data(), GRAD_TOL, `grads[${i}]`);
    const vg = sg.valueAndGrads(f(sg))([a, b], dy);
    expectClose(await vg.value.data(), await tf.tidy(() => f(tf)(at, bt)).data(), GRAD_TOL, 'value');
    sg.dispose([a, b, dy, gs, vg.value, vg.grads]);
    tf.dispose([at, bt, dyt, gts]);
  });

  test('second and third derivatives (gradients of gradients)', async () => {
    const tf = await getTf();
    const f = (m: any) => (x: any) => m.sum(m.mul(m.sin(x), m.square(x)));
    const xs = sg.tensor(X);
    const xt = tf.tensor(X);
    const g2 = sg.grad((x) => sg.grad(f(sg))(x).sum())(xs);
    const g2t = tf.grad((x) => tf.grad(f(tf))(x).sum())(xt);
    expectClose(await g2.data(), await g2t.data(), GRAD_TOL, 'second derivative');
    const g3 = sg.grad((x) => sg.grad((y) => sg.grad(f(sg))(y).sum())(x).sum())(xs);
    // d³/dx³ of sin(x)·x² = −x² cos x − 6x sin x + 6 cos x
    const exact = X.map((x) => -x * x * Math.cos(x) - 6 * x * Math.sin(x) + 6 * Math.cos(x));
    expectClose(await g3.data(), exact, { rtol: 1e-3, atol: 1e-4 }, 'third derivative');
    sg.dispose([xs, g2, g3]);
    tf.dispose([xt, g2t]);
  });

  test('variableGrads finds the trainable variables f used', async () => {
    const tf = await getTf();
    // variable() copies its initial value; the tidy frees the initial tensors, the variables stay.
    const [w, b, frozen] = sg.tidy(() => [
      sg.variable(sg.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]), true, 'w'),
      sg.variable(sg.tensor([0.01, -0.02]), true, 'b'),
      sg.variable(sg.tensor([2]), false, 'frozen'),
    ]);
    const x = sg.tensor(X, [2, 3]);
    const { value, grads } = sg.variableGrads(() => sg.mean(sg.square(sg.relu(sg.matMul(x, w).add(b)).mul(frozen))));
    expect(Object.keys(grads).sort()).toEqual(['b', 'w']);
    const wt = tf.variable(tf.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]), true, 'tw');
    const bt = tf.variable(tf.tensor([0.01, -0.02]), true, 'tb');
    const xt = tf.tensor(X, [2, 3]);
    const r = tf.variableGrads(() => tf.mean(tf.square(tf.relu(tf.matMul(xt, wt).add(bt)).mul(2))) as any);
    expectClose(await value.data(), await r.value.data(), GRAD_TOL, 'value');
    expectClose(await grads.w.data(), await r.grads.tw.data(), GRAD_TOL, 'dw');
    expectClose(await grads.b.data(), await r.grads.tb.data(), GRAD_TOL, 'db');
    sg.dispose([value, grads, w, b, frozen, x]);
    tf.dispose([wt, bt, xt, r.value, r.grads]);
  });
});

describe('autograd semantics', () => {
  test('noGrad stops recording; a result not depending on x is an error', () => {
    const x = sg.tensor([1, 2]);
    expect(() => sg.grad(() => sg.tensor([1, 2]).sum())(x)).toThrow(/not used by f/);
    const g = sg.grad((t) => t.mul(2).add(sg.noGrad(() => t.square())).sum())(x);
    expect(Array.from(g.dataSync())).toEqual([2, 2]);
    sg.dispose([x, g]);
  });

  test('a path through a non-differentiable op gives zeros, like tfjs', () => {
    const x = sg.tensor([1.5, -2]);
    const g = sg.grad((t) => t.mul(sg.cast(sg.greater(t, 0), 'float32')).add(sg.floor(t)).sum())(x);
    expect(Array.from(g.dataSync())).toEqual([1, 0]);
    sg.dispose([x, g]);
  });

  test('the same input used twice accumulates', () => {
    const x = sg.tensor([3, -1]);
    const g = sg.grad((t) => t.mul(t).add(t).sum())(x);
    expect(Array.from(g.dataSync())).toEqual([7, -1]);
    sg.dispose([x, g]);
  });

  test('gradients with respect to int32 are refused clearly', () => {
    const i = sg.tensor([1, 2], [2], 'int32');
    expect(() => sg.grad((t) => t.sum())(i)).toThrow(/float32/);
    i.dispose();
  });

  test('f that throws leaves nothing behind and the tape is closed', () => {
    const x = sg.tensor([1, 2]);
    expect(() => sg.grad((t) => { t.square(); throw new Error('boom'); })(x)).toThrow('boom');
    const g = sg.grad((t) => t.square().sum())(x);
    expect(Array.from(g.dataSync())).toEqual([2, 4]);
    sg.dispose([x, g]);
  });
});

describe('memory', () => {
  test('tidy disposes intermediates and keeps results', () => {
    const x = sg.tensor([1, 2, 3]);
    const before = sg.memory().numTensors;
    const y = sg.tidy(() => x.mul(2).add(1).square());
    expect(sg.memory().numTensors).toBe(before + 1);
    let k: sg.Tensor | null = null;
    const none = sg.tidy(() => {
      k = sg.keep(x.add(1));
      x.sub(1);
      return undefined;
    });
    expect(none).toBeUndefined();
    expect(sg.memory().numTensors).toBe(before + 2);
    expect(() => sg.tidy(() => Promise.resolve(x) as never)).toThrow(/Promise/);
    sg.dispose([x, y]);
    // the kept tensor is the caller's to free
    expect(sg.memory().numTensors).toBe(start + 1);
    k!.dispose();
  });

  test('100 forward+backward passes inside tidy return numTensors and bytes to the start', () => {
    const w = sg.tidy(() => sg.variable(sg.randomNormal([8, 4], 0, 0.5, 'float32', 7), true, 'w100'));
    const x = sg.randomNormal([16, 8], 0, 1, 'float32', 8);
    const m0 = sg.memory();
    for (let i = 0; i < 100; i++) {
      sg.tidy(() => {
        const { value, grads } = sg.variableGrads(() => sg.mean(sg.square(sg.tanh(sg.matMul(x, w)))));
        w.assign(w.sub(grads.w100.mul(0.01)));
        return value;
      }).dispose();
    }
    const m1 = sg.memory();
    expect(m1.numTensors).toBe(m0.numTensors);
    expect(m1.numBytes).toBe(m0.numBytes);
    sg.dispose([w, x]);
  });

  test('backward frees intermediates as it goes (peak live tensors stay bounded)', () => {
    const x = sg.tensor([0.5]);
    // A long chain: 200 ops. The tape holds them during backward; by the end only the result remains.
    const before = sg.memory().numTensors;
    let peakAfter = 0;
    const g = sg.grad((t) => {
      let y = t;
      for (let i = 0; i < 200; i++) y = sg.sin(y);
      return y.sum();
    })(x);
    peakAfter = sg.memory().numTensors;
    expect(peakAfter).toBe(before + 1);
    sg.dispose([x, g]);
  });

  test('disposed tensors refuse to be used, naming the op', () => {
    const x = sg.tensor([1, 2]);
    x.dispose();
    expect(() => sg.exp(x)).toThrow(/exp: argument 'x' \(shape \[2\]\) has been disposed/);
    expect(() => x.dataSync()).toThrow(/dataSync: tensor of shape \[2\] has been disposed/);
    x.dispose(); // twice is fine
  });
});

describe('tidy inside a gradient function (the tape keeps what backprop needs)', () => {
  test('grad(x => tidy(() => x.square().relu().sum())) equals tfjs', async () => {
    const tf = await getTf();
    const xs = sg.tensor(X, [2, 3]);
    const xt = tf.tensor(X, [2, 3]);
    const g = sg.grad((x) => sg.tidy(() => x.square().relu().sum()))(xs);
    const gt = tf.grad((x) => tf.tidy(() => x.square().relu().sum()))(xt);
    expectClose(await g.data(), await gt.data(), GRAD_TOL, 'grad through tidy');
    sg.dispose([xs, g]);
    tf.dispose([xt, gt]);
  });

  test('nested grads with tidy at every level equal tfjs', async () => {
    const tf = await getTf();
    const xs = sg.tensor(X);
    const xt = tf.tensor(X);
    const g2 = sg.grad((x) => sg.tidy(() => sg.grad((y) => sg.tidy(() => y.pow(sg.scalar(3)).mul(sg.sin(y)).sum()))(x).sum()))(xs);
    const g2t = tf.grad((x) => tf.tidy(() => tf.grad((y) => tf.tidy(() => y.pow(tf.scalar(3)).mul(tf.sin(y)).sum()))(x).sum()))(xt);
    expectClose(await g2.data(), await g2t.data(), GRAD_TOL, 'second derivative through tidy');
    sg.dispose([xs, g2]);
    tf.dispose([xt, g2t]);
  });

  test('variableGrads over model.predict (a custom training loop) equals tfjs and leaks nothing', async () => {
    const tf = await getTf();
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 1 })] });
    const model = sg.sequential({ layers: [sg.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), sg.layers.dense({ units: 1 })] });
    const tw = tfModel.getWeights();
    const ws = await Promise.all(tw.map(async (w) => sg.tensor(Array.from(await w.data()), w.shape)));
    model.setWeights(ws);
    sg.dispose(ws);
    const xv = [...X, ...X.map((v) => v * 0.5)];
    const yv = [0.3, -0.2, 0.9, 0.1];
    const x = sg.tensor(xv, [4, 3]);
    const y = sg.tensor(yv, [4, 1]);
    const base = sg.memory().numTensors;
    const { value, grads } = sg.variableGrads(() => sg.mean(sg.square(sg.sub(model.predict(x) as sg.Tensor, y))));
    const xt = tf.tensor(xv, [4, 3]);
    const yt = tf.tensor(yv, [4, 1]);
    const r = tf.variableGrads(() => tf.mean(tf.square(tf.sub(tfModel.predict(xt) as never, yt))) as never);
    expectClose(await value.data(), await r.value.data(), GRAD_TOL, 'loss');
    const ours = model.trainableWeights.map((v) => grads[v.name]);
    const theirs = tfModel.trainableWeights.map((v) => r.grads[(v.read() as unknown as { name: string }).name]);
    expect(ours.every((g) => g !== undefined)).toBe(true);
    for (let i = 0; i < ours.length; i++) expectClose(await ours[i].data(), await theirs[i].data(), GRAD_TOL, `gradient of weight ${i}`);
    sg.dispose([value, grads]);
    expect(sg.memory().numTensors).toBe(base);
    // A loop of such steps returns to the baseline too.
    for (let i = 0; i < 5; i++) {
      sg.tidy(() => {
        const s = sg.variableGrads(() => sg.mean(sg.square(sg.sub(model.predict(x) as sg.Tensor, y))));
        for (const v of model.trainableWeights) v.assign(v.sub(s.grads[v.name].mul(0.1)));
      });
    }
    expect(sg.memory().numTensors).toBe(base);
    sg.dispose([x, y]);
    model.dispose();
    tf.dispose([xt, yt, r.value, r.grads]);
    tfModel.dispose();
  });

  test('tidy inside f still frees what no tape references, and nothing outlives the gradient', () => {
    const x = sg.tensor([1, -2, 3]);
    const base = sg.memory().numTensors;
    let insideAfterTidy = 0;
    let insideBefore = 0;
    const g = sg.grad((t) => {
      insideBefore = sg.memory().numTensors;
      const s = sg.tidy(() => {
        sg.noGrad(() => t.mul(5).add(1)); // not recorded: freed by the tidy
        sg.tensor([9, 9, 9]); // never used by a recorded op: freed
        return t.square().sum();
      });
      insideAfterTidy = sg.memory().numTensors;
      return s;
    })(x);
    // t.square() and its sum stay (the tape needs both); the four unrecorded tensors went.
    expect(insideAfterTidy - insideBefore).toBe(2);
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
    g.dispose();
    expect(sg.memory().numTensors).toBe(base);
    x.dispose();
  });
});

describe('gradient rules skip inputs that need no gradient', () => {
  // The data into the first conv or Dense layer needs no gradient: its rule must not compute one
  // (conv2dBackpropInput on the first conv was about 3% of a CPU step and 19 ms of a SwiftShader step).
  test('conv2d, fusedConv2d and fusedMatMul w.r.t. weights only run no input-gradient kernel, and give the same weight gradients', async () => {
    const x = sg.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
    const init = [sg.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2), sg.randomNormal([4], 0, 1, 'float32', 3), sg.randomNormal([3, 5], 0, 1, 'float32', 4)];
    const [w, b, m] = [sg.variable(init[0], true, 'skip_w'), sg.variable(init[1], true, 'skip_b'), sg.variable(init[2], true, 'skip_m')];
    const zero5 = sg.zeros([5]);
    const loss = (): sg.Tensor =>
      sg.add(sg.add(sg.sum(sg.conv2d(x, w, 1, 'same')), sg.sum(sg.fusedConv2d(x, w, b, 'relu', 1, 'same'))), sg.sum(sg.fusedMatMul(sg.reshape(x, [72, 3]), m, zero5, 'tanh')));
    let grads: Record<string, sg.Tensor> = {};
    const prof = await sg.profile(() => {
      const r = sg.variableGrads(loss, [w, b, m]);
      grads = r.grads;
      r.value.dispose();
    });
    const ran = prof.kernels.map((k) => k.name);
    expect(ran).toContain('conv2dBackpropFilter');
    expect(ran).not.toContain('conv2dBackpropInput');
    const xv = sg.variable(x, true, 'skip_x');
    // x as a variable: the same loss, now with every input-gradient kernel running.
    const lossX = (): sg.Tensor =>
      sg.add(sg.add(sg.sum(sg.conv2d(xv, w, 1, 'same')), sg.sum(sg.fusedConv2d(xv, w, b, 'relu', 1, 'same'))), sg.sum(sg.fusedMatMul(sg.reshape(xv, [72, 3]), m, zero5, 'tanh')));
    const profX = await sg.profile(() => {
      const r = sg.variableGrads(lossX, [w, b, m, xv]);
      sg.dispose([r.value, ...Object.values(r.grads)]);
    });
    expect(profX.kernels.map((k) => k.name)).toContain('conv2dBackpropInput');
    const all = sg.variableGrads(lossX, [w, b, m, xv]);
    for (const name of ['skip_w', 'skip_b', 'skip_m']) {
      const [g1, g2] = [await grads[name].data(), await all.grads[name].data()];
      for (let i = 0; i < g1.length; i++) expect(Math.abs(g1[i] - g2[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(g2[i])));
    }
    sg.dispose([x, zero5, ...init, w, b, m, xv, all.value, ...Object.values(grads), ...Object.values(all.grads)]);
  });
});

/**
 * The fused ops against compositions of primitive TensorFlow.js ops: the LSTM
 * and GRU cell gates (every activation pair the layers use, forward,
 * tf.grads and float64 finite differences through the fused backward ops)
 * and the Adam step (forward only; it is 'nondiff').
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { CellActivation } from '../../src/index.js';
import { reflectShader } from '../../src/kernels/webgpu/reflect_wgsl.js';
import { optimizerShaders } from '../../src/kernels/optimizer/webgpu.js';
import { recurrentShaders } from '../../src/kernels/recurrent/webgpu.js';
import type { OpName } from '../../src/kernels/op_names.js';
import { opInputs, outputNames } from '../../src/kernels/op_names.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import type { Tf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

function tfAct(tf: Tf, name: CellActivation, x: tfTypes.Tensor): tfTypes.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'tanh':
      return tf.tanh(x);
    default:
      return x;
  }
}

const PAIRS: [CellActivation, CellActivation][] = [
  ['tanh', 'sigmoid'],
  ['tanh', 'hardSigmoid'],
  ['relu', 'sigmoid'],
  ['linear', 'hardSigmoid'],
  ['sigmoid', 'tanh'],
];

for (const [act, rec] of PAIRS) {
  checkOp({
    op: `lstmCell ${act}/${rec}`,
    sg: (z, c) => sg.lstmCellPacked(z, c, act, rec),
    tf: (tf, z, cPrev) => {
      const [zi, zf, zc, zo] = tf.split(z, 4, 1);
      const c = tf.add(tf.mul(tfAct(tf, rec, zf), cPrev), tf.mul(tfAct(tf, rec, zi), tfAct(tf, act, zc)));
      const h = tf.mul(tfAct(tf, rec, zo), tfAct(tf, act, c));
      return tf.concat([c, h], 1);
    },
    cases: [
      { inputs: [{ shape: [1, 4] }, { shape: [1, 1] }] },
      { inputs: [{ shape: [3, 20] }, { shape: [3, 5] }] },
      { inputs: [{ shape: [7, 4 * 33] }, { shape: [7, 33] }] },
    ],
    fdElements: 60,
  });

  // NaN, ±Inf and saturating pre-activations: every element compared with the composition of tfjs ops.
  const special = [NaN, Infinity, -Infinity, 0, 1e30, -1e30, 50, -50, 0.5, -2];
  checkOp({
    op: `lstmCell ${act}/${rec} special values`,
    sg: (z, c) => sg.lstmCellPacked(z, c, act, rec),
    tf: (tf, z, cPrev) => {
      const [zi, zf, zc, zo] = tf.split(z, 4, 1);
      const c = tf.add(tf.mul(tfAct(tf, rec, zf), cPrev), tf.mul(tfAct(tf, rec, zi), tfAct(tf, act, zc)));
      const h = tf.mul(tfAct(tf, rec, zo), tfAct(tf, act, c));
      return tf.concat([c, h], 1);
    },
    cases: [{ label: 'NaN ±Inf ±1e30 ±50', inputs: [{ shape: [5, 4 * 7], gen: special }, { shape: [5, 7], gen: [1, -1, 0.5, NaN, 2, -3] }] }],
    grad: false,
  });

  checkOp({
    op: `gruCell ${act}/${rec}`,
    sg: (xz, hz, h) => sg.gruCell(xz, hz, h, act, rec),
    tf: (tf, xz, hz, hPrev) => {
      const [xZ, xR, xH] = tf.split(xz, 3, 1);
      const [mZ, mR, mH] = tf.split(hz, 3, 1);
      const z = tfAct(tf, rec, tf.add(xZ, mZ));
      const r = tfAct(tf, rec, tf.add(xR, mR));
      const hh = tfAct(tf, act, tf.add(xH, tf.mul(r, mH)));
      return tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
    },
    cases: [
      { inputs: [{ shape: [1, 3] }, { shape: [1, 3] }, { shape: [1, 1] }] },
      { inputs: [{ shape: [3, 15] }, { shape: [3, 15] }, { shape: [3, 5] }] },
      { inputs: [{ shape: [7, 3 * 33] }, { shape: [7, 3 * 33] }, { shape: [7, 33] }] },
    ],
    fdElements: 60,
  });

  checkOp({
    op: `gruCell ${act}/${rec} special values`,
    sg: (xz, hz, h) => sg.gruCell(xz, hz, h, act, rec),
    tf: (tf, xz, hz, hPrev) => {
      const [xZ, xR, xH] = tf.split(xz, 3, 1);
      const [mZ, mR, mH] = tf.split(hz, 3, 1);
      const z = tfAct(tf, rec, tf.add(xZ, mZ));
      const r = tfAct(tf, rec, tf.add(xR, mR));
      const hh = tfAct(tf, act, tf.add(xH, tf.mul(r, mH)));
      return tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
    },
    cases: [{ label: 'NaN ±Inf ±1e30 ±50', inputs: [{ shape: [5, 3 * 7], gen: special }, { shape: [5, 3 * 7], gen: [0.5, -1, 2, 0, 1.5, -0.25, 3] }, { shape: [5, 7], gen: [1, -1, 0.5, NaN, 2, -3] }] }],
    grad: false,
  });
}

for (const [label, a] of [
  ['defaults, step 1', { step: 1 }],
  ['step 7, custom', { step: 7, learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-4 }],
] as const) {
  checkOp({
    op: `adamUpdate ${label}`,
    sg: (w, g, m, v) => sg.adamUpdatePacked(w, g, m, v, a),
    tf: (tf, w, g, m, v) => {
      const b1 = 'beta1' in a ? a.beta1 : 0.9;
      const b2 = 'beta2' in a ? a.beta2 : 0.999;
      const lr = 'learningRate' in a ? a.learningRate : 0.001;
      const eps = 'epsilon' in a ? a.epsilon : 1e-7;
      const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
      const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
      const mHat = tf.div(m2, 1 - Math.fround(b1 ** a.step));
      const vHat = tf.div(v2, 1 - Math.fround(b2 ** a.step));
      const w2 = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), -lr), w);
      return tf.stack([w2, m2, v2]);
    },
    cases: [
      { inputs: [{ shape: [] }, { shape: [] }, { shape: [] }, { shape: [], gen: 'positive' }] },
      { inputs: [{ shape: [5, 7] }, { shape: [5, 7] }, { shape: [5, 7] }, { shape: [5, 7], gen: 'positive' }] },
      { inputs: [{ shape: [1000] }, { shape: [1000] }, { shape: [1000] }, { shape: [1000], gen: 'positive' }] },
    ],
    grad: false,
  });
}

describe('fused op helpers', () => {
  test('lstmCell returns the two halves of lstmCellPacked', () => {
    sg.tidy(() => {
      const z = sg.tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 1, -1.1, 1.2, 1.3, -1.4, 1.5, 1.6], [2, 8]);
      const c0 = sg.tensor([0.5, -0.5, 1, 2], [2, 2]);
      const p = sg.lstmCellPacked(z, c0);
      const { c, h } = sg.lstmCell(z, c0);
      expect(Array.from(c.dataSync())).toEqual(Array.from(sg.slice(p, [0, 0], [2, 2]).dataSync()));
      expect(Array.from(h.dataSync())).toEqual(Array.from(sg.slice(p, [0, 2], [2, 2]).dataSync()));
      return [];
    });
  });

  test('adamUpdate returns w, m, v with the input shape', () => {
    sg.tidy(() => {
      const w = sg.ones([2, 3]);
      const g = sg.ones([2, 3]);
      const { w: w2, m, v } = sg.adamUpdate(w, g, sg.zerosLike(w), sg.zerosLike(w), { step: 1, learningRate: 0.1 });
      expect(w2.shape).toEqual([2, 3]);
      // First step: m̂ = g, v̂ = g², so w' = w − lr·g/(|g| + ε).
      expect(w2.dataSync()[0]).toBeCloseTo(0.9, 5);
      expect(m.dataSync()[0]).toBeCloseTo(0.1, 6);
      expect(v.dataSync()[0]).toBeCloseTo(0.001, 7);
      return [];
    });
  });

  test('fused shaders reflect: inputs, then one binding per output (the spec names in snake_case), then params', () => {
    const ops: Record<string, OpName> = { lstm_cell: 'lstmCell', lstm_cell_grad: 'lstmCellGrad', gru_cell: 'gruCell', gru_cell_grad: 'gruCellGrad', adam_update: 'adamUpdate' };
    const snake = (n: string): string => n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const [name, def] of Object.entries({ ...recurrentShaders, ...optimizerShaders })) {
      const op = ops[name];
      const r = reflectShader(def);
      expect(r.bindings.map((b) => b.name), name).toEqual([...opInputs[op].map(snake), ...outputNames(op).map(snake), 'params']);
      expect(r.numOutputs, name).toBe(outputNames(op).length);
    }
    // The multi-output ops really have several outputs.
    expect(['lstmCell', 'lstmCellGrad', 'gruCellGrad', 'adamUpdate'].map((op) => outputNames(op as OpName).length)).toEqual([2, 2, 3, 3]);
  });

  test('argument errors', () => {
    sg.tidy(() => {
      const z = sg.ones([2, 8]);
      const c = sg.ones([2, 3]);
      const z6 = sg.ones([2, 6]);
      const c2 = sg.ones([2, 2]);
      const before = sg.memory().numTensors;
      expect(() => sg.lstmCell(z, c)).toThrow(/lstmCell: argument 'cPrev' must have shape \[2,2\]/);
      expect(() => sg.lstmCellPacked(z6, c)).toThrow(/4·units/);
      expect(() => sg.gruCell(z, z, c)).toThrow(/gruCell: xz must be \[batch, 3·units\]/);
      expect(() => sg.lstmCellPacked(z, c2, 'softmax' as CellActivation)).toThrow(/unsupported activation 'softmax'/);
      expect(() => sg.adamUpdatePacked(z, c, z, z, { step: 1 })).toThrow(/same shape/);
      expect(() => sg.adamUpdatePacked(z, z, z, z, { step: 0 })).toThrow(/step must be an integer >= 1/);
      expect(sg.memory().numTensors).toBe(before);
      return [];
    });
  });
});

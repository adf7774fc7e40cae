/**
 * fusedMatMul (`sg.fusedMatMul`, Dense's fused epilogue) against the
 * TensorFlow.js composition act(matMul(a, b, tA, tB) + bias): every
 * activation × the four transpose combinations × shapes with sizes 1, odd
 * primes, 33 and 127 (forward, tf.grads, float64 finite differences, on
 * every backend under test); on webgpu both shader variants forced (the op
 * suite runs the one the adapter gets: 'direct' on SwiftShader) against CPU;
 * grads of grads against the unfused composition; the argument errors.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { MatMulActivation } from '../../src/index.js';
import { matMulConfig } from '../../src/kernels/matmul/webgpu.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import { FORWARD_TOL, expectClose } from '../helpers/compare.js';
import type { Tf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const ACTS: MatMulActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** [M, K, N] triples: 1s, odd primes, 33 and 127 (more than one 64-wide GPU tile). */
const MKN: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 5],
  [7, 33, 1],
  [33, 1, 7],
  [5, 127, 2],
  [127, 6, 33],
];

function tfAct(tf: Tf, name: MatMulActivation, x: tfTypes.Tensor): tfTypes.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    default:
      return x;
  }
}

function sgAct(name: MatMulActivation, x: sg.Tensor): sg.Tensor {
  return name === 'linear' ? x : sg[name](x);
}

for (const act of ACTS) {
  for (const [tA, tB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    checkOp({
      op: `fusedMatMul ${act} transposeA=${tA} transposeB=${tB}`,
      sg: (a, b, bias) => sg.fusedMatMul(a, b, bias, act, tA, tB),
      tf: (tf, a, b, bias) => tfAct(tf, act, tf.add(tf.matMul(a, b, tA, tB), bias)),
      cases: MKN.map(([m, k, n]) => ({ inputs: [{ shape: tA ? [k, m] : [m, k] }, { shape: tB ? [n, k] : [k, n] }, { shape: [n] }] })),
      fdElements: 60,
    });
  }
}

// Rows with NaN, ±Inf and ±1e30 entries through each activation (the epilogue must keep NaN, saturate, not fold).
const SPECIAL_ROWS = [NaN, 1, 2, 0.5, Infinity, 1, -2, 0.5, 1e30, -1e30, 3, -1, -Infinity, 0.5, 0.25, 2, 0, -0, 1, -3];
for (const act of ACTS) {
  checkOp({
    op: `fusedMatMul ${act} special values`,
    sg: (a, b, bias) => sg.fusedMatMul(a, b, bias, act),
    tf: (tf, a, b, bias) => tfAct(tf, act, tf.add(tf.matMul(a, b), bias)),
    cases: [
      { label: '[5,4] x [4,8]', inputs: [{ shape: [5, 4], gen: SPECIAL_ROWS }, { shape: [4, 8], gen: 'awayFromZero' }, { shape: [8] }] },
      { label: '[5,4] x [4,7]', inputs: [{ shape: [5, 4], gen: SPECIAL_ROWS }, { shape: [4, 7], gen: 'awayFromZero' }, { shape: [7] }] },
    ],
    grad: false,
  });
}

/** [a shape, b shape, transposeA, transposeB]: sizes 1, odd primes, non-multiples of the 64-wide tile. */
const VARIANT_CASES: [number[], number[], boolean, boolean][] = [
  [[1, 1], [1, 1], false, false],
  [[7, 33], [33, 127], false, false],
  [[65, 17], [70, 17], false, true],
  [[33, 7], [33, 5], true, false],
  [[127, 67], [1, 127], true, true],
  // Aligned for the vec4 kernel.
  [[9, 16], [16, 32], false, false],
  [[16, 12], [16, 8], true, false],
  [[5, 8], [12, 8], false, true],
];

describe.skipIf(!forwardBackends().includes('webgpu'))('fusedMatMul shader variants on webgpu', () => {
  afterAll(() => {
    matMulConfig.variant = 'auto';
  });
  for (const variant of ['tiled', 'direct', 'vec4'] as const) {
    for (const act of ACTS) {
      test.each(VARIANT_CASES)(`${variant} ${act} %j x %j tA=%s tB=%s`, async (as, bs, tA, tB) => {
        const rng = new sg.Rng(as[0] * 131 + bs[1]);
        const n = tB ? bs[0] : bs[1];
        const gen = (shape: number[]) => Array.from({ length: shape.reduce((p, c) => p * c, 1) }, () => rng.normal());
        const [av, bv, cv] = [gen(as), gen(bs), gen([n])];
        const run = () => sg.tidy(() => sg.fusedMatMul(sg.tensor(av, as), sg.tensor(bv, bs), sg.tensor(cv), act, tA, tB));
        await sg.setBackend('cpu');
        const want = run();
        const expected = Array.from(want.dataSync());
        const shape = want.shape;
        want.dispose();
        await sg.setBackend('webgpu');
        matMulConfig.variant = variant;
        try {
          const got = run();
          expect(got.shape).toEqual(shape);
          expectClose(Array.from(await got.data()), expected, FORWARD_TOL, `${variant} fusedMatMul ${act}`);
          got.dispose();
        } finally {
          matMulConfig.variant = 'auto';
          await sg.setBackend('cpu');
        }
      });
    }
  }
});

describe('fusedMatMul', () => {
  test('grads of grads match the unfused composition', () => {
    for (const act of ACTS) {
      sg.tidy(() => {
        const a = sg.tensor([0.3, -0.7, 1.1, 0.2, -0.4, 0.9], [2, 3]);
        const b = sg.tensor([0.5, -0.2, 0.8, 0.1, -0.6, 0.4, 0.7, -0.3, 0.25, -0.9, 0.35, 0.6], [4, 3]);
        const bias = sg.tensor([0.05, -0.1, 0.2, 0.3]);
        const fused = (x: sg.Tensor) => sg.fusedMatMul(x, b, bias, act, false, true);
        const plain = (x: sg.Tensor) => sgAct(act, sg.add(sg.matMul(x, b, false, true), bias));
        // d/da of Σ (d/da Σ f(a)²)
        const second = (f: (x: sg.Tensor) => sg.Tensor) => sg.grad((x: sg.Tensor) => sg.grad((y: sg.Tensor) => sg.sum(sg.square(f(y))))(x).sum())(a);
        const gf = Array.from(second(fused).dataSync());
        const gp = Array.from(second(plain).dataSync());
        gf.forEach((v, i) => expect(v, `${act} [${i}]`).toBeCloseTo(gp[i], 4));
        return [];
      });
    }
  });

  test('empty shapes: M = 0 gives [0, N]; K = 0 gives act(bias) on every row', async () => {
    for (const b of forwardBackends()) {
      await onBackend(b, async () => {
        const [empty, k0] = sg.tidy(() => [
          sg.fusedMatMul(sg.zeros([0, 3]), sg.ones([3, 4]), sg.ones([4]), 'relu'),
          sg.fusedMatMul(sg.zeros([2, 0]), sg.zeros([0, 3]), sg.tensor([-1, 0.5, 2]), 'relu'),
        ]);
        expect(empty.shape, b).toEqual([0, 4]);
        expect(Array.from(await k0.data()), b).toEqual([0, 0.5, 2, 0, 0.5, 2]);
        sg.dispose([empty, k0]);
      });
    }
  });

  test('argument errors name the op and shapes', () => {
    sg.tidy(() => {
      const a = sg.ones([2, 3]);
      const b = sg.ones([3, 4]);
      const b3 = sg.ones([3]);
      const b4 = sg.ones([4]);
      const a3 = sg.ones([2, 2, 3]);
      const before = sg.memory().numTensors;
      expect(() => sg.fusedMatMul(a, b, b3)).toThrow(/fusedMatMul: argument 'bias' must have shape \[4\], got \[3\]/);
      expect(() => sg.fusedMatMul(a, a, b3)).toThrow(/fusedMatMul: inner dimensions differ: \[2,3\] x \[2,3\]/);
      expect(() => sg.fusedMatMul(a3, b, b4)).toThrow(/fusedMatMul: a and b must be rank 2, got \[2,2,3\] x \[3,4\]/);
      expect(() => sg.fusedMatMul(a, b, b4, 'softmax' as MatMulActivation)).toThrow(/fusedMatMul: unsupported activation 'softmax'/);
      expect(sg.memory().numTensors).toBe(before);
      expect(sg.fusedMatMul(a, b, b4, 'relu').shape).toEqual([2, 4]);
      expect(sg.fusedMatMul(b, a, sg.ones([2]), 'linear', true, true).shape).toEqual([4, 2]);
      return [];
    });
  });
});

describe('Dense runs on fusedMatMul', () => {
  const CONFIGS: [string, { activation?: string; useBias?: boolean }, number[], boolean][] = [
    ...ACTS.map((a): [string, { activation: string }, number[], boolean] => [a, { activation: a }, [5, 4], true]),
    ['softmax (not fused)', { activation: 'softmax' }, [5, 4], false],
    ['relu, useBias false (not fused)', { activation: 'relu', useBias: false }, [5, 4], false],
    ['relu, rank 3 (not fused)', { activation: 'relu' }, [2, 5, 4], false],
  ];
  for (const [label, args, shape, fused] of CONFIGS) {
    test(label, async () => {
      const layer = sg.layers.dense({ units: 3, ...args });
      const n = shape.reduce((p, c) => p * c, 1);
      const x = sg.tensor(Array.from({ length: n }, (_, i) => Math.sin(i * 0.9)), shape);
      sg.dispose(layer.apply(x) as sg.Tensor);
      let y: sg.Tensor | undefined;
      const info = await sg.profile(() => {
        y = layer.apply(x) as sg.Tensor;
      });
      expect(info.kernels.some((k) => k.name === 'fusedMatMul'), label).toBe(fused);
      // Same output and weight gradients as the unfused composition.
      const [k, b] = layer.trainableWeights;
      const plain = (): sg.Tensor => {
        const flat = sg.reshape(x, [-1, 4]);
        let z = sg.matMul(flat, k);
        if (b) z = sg.add(z, b);
        const act = sg.layers.dense({ units: 1, activation: args.activation }).activation;
        return sg.reshape(act(z), [...shape.slice(0, -1), 3]);
      };
      const want = sg.tidy(plain);
      expectClose(Array.from(await y!.data()), Array.from(await want.data()), FORWARD_TOL, `${label}: output`);
      const cot = sg.tensor(Array.from({ length: want.size }, (_, i) => Math.cos(i * 0.3)), want.shape);
      const g1 = sg.variableGrads(() => sg.sum(sg.mul(layer.apply(x) as sg.Tensor, cot)), layer.trainableWeights);
      const g2 = sg.variableGrads(() => sg.sum(sg.mul(plain(), cot)), layer.trainableWeights);
      for (const v of layer.trainableWeights) {
        expectClose(Array.from(await g1.grads[v.name].data()), Array.from(await g2.grads[v.name].data()), FORWARD_TOL, `${label}: gradient of ${v.name}`);
      }
      sg.dispose([x, y!, want, cot, g1.value, g2.value, Object.values(g1.grads), Object.values(g2.grads)]);
      layer.dispose?.();
    });
  }
});

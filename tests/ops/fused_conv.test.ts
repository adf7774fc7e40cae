/**
 * fusedConv2d (`sg.fusedConv2d`, the Conv layers' fused epilogue) against
 * the TensorFlow.js composition act(conv2d(x, f) + bias): every activation ×
 * geometries with strides 1/2, 'same'/'valid'/explicit padding, dilation 2,
 * 1×1 filters, 1, 3, 4 and 8 channels (forward, tf.grads, float64 finite
 * differences, on every backend under test); NaN/±Inf propagation; on webgpu
 * the tiled and direct (scalar and vec4) shaders forced, against shadergrad's
 * unfused composition on CPU; grads of grads; the Conv1D/Conv2D layers run it;
 * the argument errors.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { MatMulActivation } from '../../src/index.js';
import type { PadMode } from '../../src/kernels/op_names.js';
import { convConfig } from '../../src/kernels/conv/webgpu.js';
import { forwardBackends, onBackend } from '../helpers/backends.js';
import { checkOp, expectNoLeak } from '../helpers/check_op.js';
import { FORWARD_TOL, expectClose } from '../helpers/compare.js';
import { tfDilate, tfPad } from '../helpers/conv_ref.js';
import type { Tf } from '../helpers/tf.js';

let start = 0;
beforeEach(() => {
  start = sg.memory().numTensors;
});
afterEach(() => expectNoLeak(start, 'test'));

const ACTS: MatMulActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

interface Geometry {
  x: number[];
  f: number[];
  strides: [number, number];
  pad: PadMode;
  dil?: [number, number];
}

/** Channels 1, 3, 4, 8 (in_c and out_c multiples of 4 pick the vec4 shader), 1×1 filters, strides, dilation, explicit padding. */
const GEOMETRIES: Geometry[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 2], strides: [1, 1], pad: 'valid' },
  { x: [2, 7, 6, 3], f: [2, 3, 3, 5], strides: [2, 2], pad: 'same' },
  { x: [1, 7, 7, 3], f: [3, 3, 3, 1], strides: [1, 1], pad: 'same', dil: [2, 2] },
  { x: [2, 6, 5, 4], f: [3, 3, 4, 8], strides: [1, 1], pad: 'same' },
  { x: [1, 5, 6, 4], f: [1, 1, 4, 4], strides: [1, 1], pad: 'valid' },
  { x: [2, 5, 6, 3], f: [3, 2, 3, 2], strides: [2, 1], pad: [1, 2, 0, 1] },
];

function tfAct(tf: Tf, name: MatMulActivation, x: tfTypes.Tensor): tfTypes.Tensor {
  return name === 'linear' ? x : tf[name](x);
}

function sgAct(name: MatMulActivation, x: sg.Tensor): sg.Tensor {
  return name === 'linear' ? x : sg[name](x);
}

const label = (g: Geometry): string => `x[${g.x}] f[${g.f}] strides ${g.strides} pad ${JSON.stringify(g.pad)} dilations ${g.dil ?? [1, 1]}`;

for (const act of ACTS) {
  for (const g of GEOMETRIES) {
    const dil = g.dil ?? [1, 1];
    checkOp({
      op: `fusedConv2d ${act} ${label(g)}`,
      sg: (x, f, b) => sg.fusedConv2d(x, f, b, act, g.strides, g.pad, dil),
      tf: (tf, x, f, b) => tfAct(tf, act, tf.add(tf.conv2d(x as never, tfDilate(tf, f, dil[0], dil[1]), g.strides, tfPad(g.pad) as never), b)),
      cases: [{ inputs: [{ shape: g.x }, { shape: g.f }, { shape: [g.f[3]] }] }],
      fdElements: 40,
    });
  }
}

// NaN, ±Inf in x reach every output whose window holds them, through each activation (the epilogue keeps NaN).
const SPECIAL = [NaN, 1, 2, 0.5, Infinity, 1, -2, 0.5, 3, -1, -Infinity, 0.5, 0.25, 2, 0, -0, 1, -3, 0.7];
for (const act of ACTS) {
  checkOp({
    op: `fusedConv2d ${act} special values`,
    sg: (x, f, b) => sg.fusedConv2d(x, f, b, act, 1, 'same'),
    tf: (tf, x, f, b) => tfAct(tf, act, tf.add(tf.conv2d(x as never, f as never, 1, 'same'), b)),
    cases: [
      { label: 'x[1,6,6,1] f[2,2,1,3]', inputs: [{ shape: [1, 6, 6, 1], gen: SPECIAL }, { shape: [2, 2, 1, 3], gen: 'awayFromZero' }, { shape: [3] }] },
      { label: 'x[1,5,5,4] f[1,1,4,4]', inputs: [{ shape: [1, 5, 5, 4], gen: SPECIAL }, { shape: [1, 1, 4, 4], gen: 'awayFromZero' }, { shape: [4] }] },
    ],
    grad: false,
  });
}

/** Seeded values of `shape`. */
function gen(shape: readonly number[], seed: number): number[] {
  const rng = new sg.Rng(seed);
  return Array.from({ length: shape.reduce((p, c) => p * c, 1) }, () => rng.normal());
}

/** The unfused composition act(conv2d(x, f) + b) in shadergrad. */
function plain(x: sg.Tensor, f: sg.Tensor, b: sg.Tensor, act: MatMulActivation, g: Geometry): sg.Tensor {
  return sgAct(act, sg.add(sg.conv2d(x, f, g.strides, g.pad, 'NHWC', g.dil ?? [1, 1]), b));
}

describe.skipIf(!forwardBackends().includes('webgpu'))('fusedConv2d shader variants on webgpu', () => {
  afterAll(() => {
    convConfig.variant = 'auto';
  });
  for (const variant of ['tiled', 'direct'] as const) {
    for (const act of ACTS) {
      test.each(GEOMETRIES)(`${variant} ${act} %j`, async (g) => {
        const [xv, fv, bv] = [gen(g.x, 1), gen(g.f, 2), gen([g.f[3]], 3)];
        const inputs = (): [sg.Tensor, sg.Tensor, sg.Tensor] => [sg.tensor(xv, g.x), sg.tensor(fv, g.f), sg.tensor(bv)];
        await sg.setBackend('cpu');
        const want = sg.tidy(() => plain(...inputs(), act, g));
        const expected = Array.from(want.dataSync());
        const shape = want.shape;
        want.dispose();
        await sg.setBackend('webgpu');
        convConfig.variant = variant;
        try {
          const got = sg.tidy(() => sg.fusedConv2d(...inputs(), act, g.strides, g.pad, g.dil ?? [1, 1]));
          expect(got.shape).toEqual(shape);
          expectClose(Array.from(await got.data()), expected, FORWARD_TOL, `${variant} fusedConv2d ${act}`);
          got.dispose();
        } finally {
          convConfig.variant = 'auto';
          await sg.setBackend('cpu');
        }
      });
    }
  }
});

describe('fusedConv2d', () => {
  test('forward and gradients match the unfused composition on every backend', async () => {
    for (const b of forwardBackends()) {
      await onBackend(b, async () => {
        for (const act of ACTS) {
          for (const g of [GEOMETRIES[1], GEOMETRIES[3]]) {
            const what = `${b} ${act} ${label(g)}`;
            const [x, f, bias] = [sg.tensor(gen(g.x, 4), g.x), sg.tensor(gen(g.f, 5), g.f), sg.tensor(gen([g.f[3]], 6))];
            const fused = (xx: sg.Tensor, ff: sg.Tensor, bb: sg.Tensor): sg.Tensor => sg.fusedConv2d(xx, ff, bb, act, g.strides, g.pad, g.dil ?? [1, 1]);
            const unfused = (xx: sg.Tensor, ff: sg.Tensor, bb: sg.Tensor): sg.Tensor => plain(xx, ff, bb, act, g);
            const [y1, y2] = sg.tidy(() => [fused(x, f, bias), unfused(x, f, bias)]);
            expectClose(Array.from(await y1.data()), Array.from(await y2.data()), FORWARD_TOL, `${what}: output`);
            const cot = sg.tensor(gen(y1.shape, 7), y1.shape);
            const loss = (fn: typeof fused) => (xx: sg.Tensor, ff: sg.Tensor, bb: sg.Tensor): sg.Tensor => sg.sum(sg.mul(fn(xx, ff, bb), cot));
            const g1 = sg.grads(loss(fused))([x, f, bias]);
            const g2 = sg.grads(loss(unfused))([x, f, bias]);
            for (let i = 0; i < 3; i++) expectClose(Array.from(await g1[i].data()), Array.from(await g2[i].data()), FORWARD_TOL, `${what}: gradient ${['x', 'filter', 'bias'][i]}`);
            sg.dispose([x, f, bias, y1, y2, cot, g1, g2]);
          }
        }
      });
    }
  });

  test('grads of grads match the unfused composition', () => {
    const g = GEOMETRIES[1];
    for (const act of ACTS) {
      sg.tidy(() => {
        const x = sg.tensor(gen(g.x, 8), g.x);
        const f = sg.tensor(gen(g.f, 9), g.f);
        const b = sg.tensor(gen([g.f[3]], 10));
        // d/dx of Σ (d/dx Σ y²) and the same for the filter
        const second = (fn: (xx: sg.Tensor, ff: sg.Tensor) => sg.Tensor): number[][] =>
          sg.grads((xx: sg.Tensor, ff: sg.Tensor) => sg.add(sg.grads((y: sg.Tensor, w: sg.Tensor) => sg.sum(sg.square(fn(y, w))))([xx, ff])[0].sum(), 0))([x, f]).map((t) => Array.from(t.dataSync()));
        const gf = second((xx, ff) => sg.fusedConv2d(xx, ff, b, act, g.strides, g.pad));
        const gp = second((xx, ff) => plain(xx, ff, b, act, g));
        gf.forEach((v, i) => expectClose(v, gp[i], FORWARD_TOL, `${act} second-order gradient ${i}`));
        return [];
      });
    }
  });

  test('empty shapes (batch 0, Cout 0, Cin 0: act(bias) everywhere) match the unfused composition on every backend', async () => {
    for (const b of forwardBackends()) {
      await onBackend(b, async () => {
        for (const [xs, fs] of [[[0, 4, 4, 2], [3, 3, 2, 3]], [[2, 4, 4, 2], [3, 3, 2, 0]], [[2, 4, 4, 0], [3, 3, 0, 3]]]) {
          const [y, z] = sg.tidy(() => {
            const [x, f, bias] = [sg.ones(xs), sg.ones(fs), sg.tensor(gen([fs[3]], 16))];
            return [sg.fusedConv2d(x, f, bias, 'sigmoid', 1, 'same'), plain(x, f, bias, 'sigmoid', { x: xs, f: fs, strides: [1, 1], pad: 'same' })];
          });
          expect(y.shape, `${b} ${xs}`).toEqual(z.shape);
          expectClose(Array.from(await y.data()), Array.from(await z.data()), FORWARD_TOL, `${b} x[${xs}] f[${fs}]`);
          sg.dispose([y, z]);
        }
      });
    }
  });

  test('bias omitted is a zero bias; rank-3 x is one image', () => {
    sg.tidy(() => {
      const x = sg.tensor(gen([5, 5, 3], 11), [5, 5, 3]);
      const f = sg.tensor(gen([3, 3, 3, 2], 12), [3, 3, 3, 2]);
      const y = sg.fusedConv2d(x, f, undefined, 'relu', 1, 'same');
      expect(y.shape).toEqual([5, 5, 2]);
      expectClose(Array.from(y.dataSync()), Array.from(sg.relu(sg.conv2d(x, f, 1, 'same')).dataSync()), FORWARD_TOL, 'no bias');
      return [];
    });
  });

  test('argument errors name the op and shapes, and allocate nothing', () => {
    sg.tidy(() => {
      const x = sg.ones([1, 5, 5, 3]);
      const f = sg.ones([3, 3, 3, 4]);
      const b4 = sg.ones([4]);
      const [b3, f2, x2, f7] = [sg.ones([3]), sg.ones([3, 3, 2, 4]), sg.ones([5, 3]), sg.ones([7, 7, 3, 4])];
      const before = sg.memory().numTensors;
      expect(() => sg.fusedConv2d(x, f, b3)).toThrow(/fusedConv2d: argument 'bias' must have shape \[4\].*got \[3\]/);
      expect(() => sg.fusedConv2d(x, f2, b4)).toThrow(/fusedConv2d: input channels 3 of x \[1,5,5,3\] differ from filter's 2/);
      expect(() => sg.fusedConv2d(x2, f, b4)).toThrow(/fusedConv2d: x must be rank 4/);
      expect(() => sg.fusedConv2d(x, f, b4, 'softmax' as MatMulActivation)).toThrow(/fusedConv2d: unsupported activation 'softmax'/);
      expect(() => sg.fusedConv2d(x, f, b4, 'relu', 0)).toThrow(/fusedConv2d: strides must be positive integers/);
      expect(() => sg.fusedConv2d(x, f7, b4, 'relu', 1, 'valid')).toThrow(/fusedConv2d: window 7x7/);
      expect(sg.memory().numTensors).toBe(before);
      return [];
    });
  });
});

describe('Conv layers run on fusedConv2d', () => {
  const CONFIGS: [string, 'conv1d' | 'conv2d', Record<string, unknown>, boolean][] = [
    ...ACTS.map((a): [string, 'conv2d', Record<string, unknown>, boolean] => [`conv2d ${a}`, 'conv2d', { activation: a, padding: 'same' }, true]),
    ['conv2d relu strides 2 valid', 'conv2d', { activation: 'relu', strides: 2 }, true],
    ['conv2d relu dilation 2, no bias', 'conv2d', { activation: 'relu', dilationRate: 2, useBias: false }, true],
    ['conv2d linear, no bias (plain conv2d)', 'conv2d', { useBias: false }, false],
    ['conv2d softmax (not fused)', 'conv2d', { activation: 'softmax' }, false],
    ['conv1d relu same', 'conv1d', { activation: 'relu', padding: 'same' }, true],
    ['conv1d tanh strides 2', 'conv1d', { activation: 'tanh', strides: 2 }, true],
    ['conv1d elu (not fused)', 'conv1d', { activation: 'elu' }, false],
  ];
  for (const [name, kind, args, fused] of CONFIGS) {
    test(name, async () => {
      const shape = kind === 'conv2d' ? [2, 7, 6, 3] : [2, 9, 3];
      const layer = kind === 'conv2d' ? sg.layers.conv2d({ filters: 4, kernelSize: 3, ...args }) : sg.layers.conv1d({ filters: 4, kernelSize: 3, ...args });
      const x = sg.tensor(gen(shape, 13), shape);
      sg.dispose(layer.apply(x) as sg.Tensor);
      // A non-zero bias, so that the bias path is exercised.
      if (layer.trainableWeights[1]) {
        const nb = sg.tensor(gen([4], 14));
        layer.trainableWeights[1].assign(nb);
        nb.dispose();
      }
      let y: sg.Tensor | undefined;
      const info = await sg.profile(() => {
        y = layer.apply(x) as sg.Tensor;
      });
      expect(info.kernels.some((k) => k.name === 'fusedConv2d'), name).toBe(fused);
      const [k, b] = layer.trainableWeights;
      const actFn = sg.layers.dense({ units: 1, activation: args.activation as string | undefined }).activation;
      const strides = (args.strides as number | undefined) ?? 1;
      const dil = (args.dilationRate as number | undefined) ?? 1;
      const pad = (args.padding as 'same' | 'valid' | undefined) ?? 'valid';
      const unfused = (): sg.Tensor => {
        let z = kind === 'conv2d' ? sg.conv2d(x, k, strides, pad, 'NHWC', dil) : sg.conv1d(x, k, strides, pad, 'NWC', dil);
        if (b) z = sg.add(z, b);
        return actFn(z);
      };
      const want = sg.tidy(unfused);
      expectClose(Array.from(await y!.data()), Array.from(await want.data()), FORWARD_TOL, `${name}: output`);
      const cot = sg.tensor(gen(want.shape, 15), want.shape);
      const g1 = sg.variableGrads(() => sg.sum(sg.mul(layer.apply(x) as sg.Tensor, cot)), layer.trainableWeights);
      const g2 = sg.variableGrads(() => sg.sum(sg.mul(unfused(), cot)), layer.trainableWeights);
      for (const v of layer.trainableWeights) {
        expectClose(Array.from(await g1.grads[v.name].data()), Array.from(await g2.grads[v.name].data()), FORWARD_TOL, `${name}: gradient of ${v.name}`);
      }
      sg.dispose([x, y!, want, cot, g1.value, g2.value, Object.values(g1.grads), Object.values(g2.grads)]);
      layer.dispose?.();
    });
  }
});

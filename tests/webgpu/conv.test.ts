/**
 * Every conv2d shader on webgpu (forward, gradient with respect to the input,
 * gradient with respect to the filter) against the CPU backend. The op suite
 * runs the variant the adapter gets ('direct' on SwiftShader), so each one is
 * forced here (tiled is what hardware adapters get): channel counts aligned
 * for the vec4 direct shaders and not, strides, dilations, 'same', 'valid'
 * and explicit padding, batches, output pixel counts and channel counts that
 * are not multiples of the 64×64 tile or of the 4×4 block.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import type { PadMode } from '../../src/kernels/op_names.js';
import { convConfig } from '../../src/kernels/conv/webgpu.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../../src/tensor/ops/conv.js';
import { FORWARD_TOL, expectClose } from '../helpers/compare.js';
import { forwardBackends } from '../helpers/backends.js';

const hasGpu = forwardBackends().includes('webgpu');

type Case = { x: number[]; f: number[]; s: [number, number]; pad: PadMode; d: [number, number] };
const CASES: Case[] = [
  { x: [1, 1, 1, 1], f: [1, 1, 1, 1], s: [1, 1], pad: 'valid', d: [1, 1] },
  { x: [2, 7, 9, 3], f: [3, 2, 3, 5], s: [1, 1], pad: 'same', d: [1, 1] },
  { x: [2, 8, 7, 1], f: [3, 3, 1, 6], s: [2, 2], pad: 'valid', d: [1, 1] },
  { x: [1, 9, 9, 2], f: [2, 3, 2, 3], s: [2, 1], pad: 'same', d: [2, 1] },
  { x: [1, 6, 5, 3], f: [3, 3, 3, 2], s: [1, 2], pad: [1, 0, 2, 1], d: [1, 1] },
  { x: [3, 11, 13, 1], f: [5, 5, 1, 70], s: [1, 1], pad: 'same', d: [1, 1] },
  // Aligned for the vec4 direct shaders (in_c and out_c multiples of 4).
  { x: [2, 6, 6, 4], f: [3, 3, 4, 8], s: [1, 1], pad: 'same', d: [1, 1] },
  { x: [2, 9, 7, 8], f: [3, 3, 8, 4], s: [2, 2], pad: 'same', d: [1, 1] },
  { x: [1, 10, 10, 4], f: [3, 2, 4, 12], s: [1, 1], pad: 'valid', d: [2, 2] },
  { x: [3, 5, 7, 12], f: [1, 1, 12, 4], s: [1, 1], pad: 'valid', d: [1, 1] },
  { x: [1, 7, 6, 8], f: [3, 3, 8, 68], s: [2, 1], pad: [0, 2, 1, 1], d: [1, 1] },
];

function values(shape: number[], seed: number): number[] {
  const rng = new sg.Rng(seed);
  return Array.from({ length: shape.reduce((p, c) => p * c, 1) }, () => rng.normal());
}

describe.skipIf(!hasGpu)('conv2d shader variants on webgpu', () => {
  let before = 0;
  beforeEach(() => {
    before = sg.memory().numTensors;
  });
  afterEach(() => {
    expect(sg.memory().numTensors).toBe(before);
  });
  afterAll(() => {
    convConfig.variant = 'auto';
  });

  for (const variant of ['tiled', 'direct'] as const) {
    test.each(CASES)(`${variant} x %j`, async ({ x, f, s, pad, d }) => {
      const xv = values(x, x[1] * 7 + f[3]);
      const fv = values(f, f[0] * 13 + x[3]);
      const run = (): sg.Tensor[] =>
        sg.tidy(() => {
          const xt = sg.tensor(xv, x);
          const ft = sg.tensor(fv, f);
          const y = sg.conv2d(xt, ft, s, pad, 'NHWC', d);
          const dy = sg.tensor(values([...y.shape], 5), y.shape);
          return [y, conv2dBackpropInput(x, dy, ft, s, pad, d), conv2dBackpropFilter(xt, dy, f, s, pad, d)];
        });
      await sg.setBackend('cpu');
      const want = run();
      const expected = want.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      sg.dispose(want);
      await sg.setBackend('webgpu');
      convConfig.variant = variant;
      const got = run();
      convConfig.variant = 'auto';
      const names = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'];
      // Each result is a sum of K products of unit-normal values, summed in a different order than
      // on the CPU: float32 rounding grows with K (K·2^-24 relative to the terms' size, which is ~1),
      // so the absolute bound is FORWARD_TOL's plus 1e-7·K (K = 1750 here at most: 1.9e-4).
      const yShape = expected[0].shape;
      const ks = [f[0] * f[1] * f[2], f[0] * f[1] * f[3], yShape[0] * yShape[1] * yShape[2]];
      for (let i = 0; i < 3; i++) {
        expect(got[i].shape, names[i]).toEqual(expected[i].shape);
        const tol = { rtol: FORWARD_TOL.rtol, atol: FORWARD_TOL.atol + 1e-7 * ks[i] };
        expectClose(Array.from(await got[i].data()), expected[i].values, tol, `${variant} ${names[i]}`);
      }
      sg.dispose(got);
      await sg.setBackend('cpu');
    });
  }
});

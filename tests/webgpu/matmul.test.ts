/**
 * Every matMul shader on webgpu against the CPU backend: the op suite runs
 * the variant the adapter gets ('vec4', or 'direct' when unaligned, on
 * SwiftShader), so each one (tiled is what hardware adapters get) is forced
 * here on the same kinds of shapes: sizes 1, odd primes, non-multiples of the
 * tile, shapes aligned for vec4 loads, transposes, batches and broadcast
 * batches, float32 and int32. A forced 'vec4' on an unaligned shape runs the
 * direct kernel.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { matMulConfig } from '../../src/kernels/matmul/webgpu.js';
import { FORWARD_TOL, expectClose } from '../helpers/compare.js';
import { forwardBackends } from '../helpers/backends.js';

const hasGpu = forwardBackends().includes('webgpu');

const CASES: [number[], number[], boolean, boolean][] = [
  [[1, 1], [1, 1], false, false],
  [[7, 33], [33, 127], false, false],
  [[65, 17], [70, 17], false, true],
  [[33, 7], [33, 5], true, false],
  [[3, 67, 9], [3, 9, 65], false, false],
  [[2, 1, 5, 3], [1, 3, 3, 4], false, false],
  [[4, 9, 13], [13, 6], false, false],
  // Aligned for the vec4 kernel (K, N and, with transposeA, M multiples of 4); M need not be.
  [[7, 32], [32, 128], false, false],
  [[64, 16], [72, 16], false, true],
  [[32, 8], [32, 12], true, false],
  [[8, 12], [16, 8], true, true],
  [[3, 13, 8], [3, 8, 16], false, false],
  [[2, 1, 5, 4], [1, 3, 4, 8], false, false],
  [[4, 9, 12], [12, 8], false, false],
  [[4, 9, 12], [8, 12], false, true],
];

describe.skipIf(!hasGpu)('matMul shader variants on webgpu', () => {
  let before = 0;
  beforeEach(() => {
    before = sg.memory().numTensors;
  });
  afterEach(() => {
    expect(sg.memory().numTensors).toBe(before);
  });
  afterAll(() => {
    matMulConfig.variant = 'auto';
  });

  for (const variant of ['tiled', 'direct', 'vec4'] as const) {
    for (const dtype of ['float32', 'int32'] as const) {
      test.each(CASES)(`${variant} ${dtype} %j x %j tA=%s tB=%s`, async (as, bs, tA, tB) => {
        const rng = new sg.Rng(as.length * 31 + bs[bs.length - 1]);
        const av = Array.from({ length: as.reduce((p, c) => p * c, 1) }, () => (dtype === 'int32' ? Math.floor(rng.next() * 9) - 4 : rng.normal()));
        const bv = Array.from({ length: bs.reduce((p, c) => p * c, 1) }, () => (dtype === 'int32' ? Math.floor(rng.next() * 9) - 4 : rng.normal()));
        await sg.setBackend('cpu');
        const want = sg.tidy(() => sg.matMul(sg.tensor(av, as, dtype), sg.tensor(bv, bs, dtype), tA, tB));
        const expected = Array.from(want.dataSync());
        const shape = want.shape;
        want.dispose();
        await sg.setBackend('webgpu');
        matMulConfig.variant = variant;
        const got = sg.tidy(() => sg.matMul(sg.tensor(av, as, dtype), sg.tensor(bv, bs, dtype), tA, tB));
        expect(got.shape).toEqual(shape);
        expectClose(Array.from(await got.data()), expected, FORWARD_TOL, `${variant} matMul`);
        got.dispose();
        matMulConfig.variant = 'auto';
        await sg.setBackend('cpu');
      });
    }
  }
});

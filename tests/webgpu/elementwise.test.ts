/**
 * The vec4 elementwise shaders against the scalar ones on webgpu: every unary
 * and binary table row, float32 and int32 (or bool), on shapes where the vec4
 * shader runs (element counts that are multiples of 4, operands that are the
 * whole output or repeat along it), with special values (NaN, ±Inf, ±0,
 * huge). Both compute each element with the same WGSL expression, so the
 * results must be identical, bit for bit. The op suite (tests/ops) checks the
 * default path (vec4 where aligned) against TensorFlow.js.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as sg from '../../src/index.js';
import type { BinaryOp, UnaryOp } from '../../src/kernels/elementwise/table.js';
import { binaryOps, unaryOps } from '../../src/kernels/elementwise/table.js';
import type { WebGpuBackend } from '../../src/kernels/webgpu/backend.js';
import { elementwiseConfig } from '../../src/kernels/elementwise/webgpu.js';
import { ENGINE } from '../../src/tensor/engine.js';
import { forwardBackends } from '../helpers/backends.js';

const hasGpu = forwardBackends().includes('webgpu');

const size = (s: number[]): number => s.reduce((p, c) => p * c, 1);

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -3.5, 1e30, -1e30, 0.5, 1e-40, -1e-40, 89, 20];

function values(n: number, dtype: sg.DType, seed: number): number[] {
  const rng = new sg.Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    if (dtype === 'bool') return rng.next() < 0.5 ? 0 : 1;
    if (dtype === 'int32') return Math.floor(rng.next() * 11) - 5;
    return i < SPECIAL.length ? SPECIAL[(i + seed) % SPECIAL.length] : rng.normal() * 3;
  });
}

/**
 * Runs `f` on webgpu with the vec4 shaders allowed or not; returns the values
 * read back, after checking that the shader of the kind asked for ran.
 */
async function run(vec4: boolean, f: () => sg.Tensor): Promise<number[]> {
  elementwiseConfig.vec4 = vec4;
  const rt = ENGINE.backend as WebGpuBackend;
  const spy = vi.spyOn(rt, 'launch');
  try {
    const t = f();
    const v = Array.from(await t.data());
    t.dispose();
    const shaders = spy.mock.calls.map(([l]) => l.shader.name);
    expect(shaders.length, 'one launch').toBe(1);
    expect(shaders[0].endsWith('_vec4'), shaders[0]).toBe(vec4);
    return v;
  } finally {
    spy.mockRestore();
    elementwiseConfig.vec4 = true;
  }
}

/** Bitwise equality as float32 (NaN equals NaN; 0 and -0 differ). */
function expectSame(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const bits = (v: number[]): number[] => Array.from(new Uint32Array(new Float32Array(v).buffer));
  const g = bits(got);
  const w = bits(want);
  const bad = g.flatMap((b, i) => (b === w[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i])) ? [] : [`[${i}] vec4 ${got[i]} scalar ${want[i]}`]));
  expect(bad, what).toEqual([]);
}

const UNARY_ATTRS: Partial<Record<UnaryOp, { alpha: number; beta?: number }>> = {
  leakyRelu: { alpha: 0.3 },
  elu: { alpha: 1 },
  clipByValue: { alpha: -0.5, beta: 0.7 },
};

// [output shape, a shape, b shape]: same shapes, a bias repeating along the output, a repeated suffix of rank 2.
const BINARY_SHAPES: [number[], number[]][] = [
  [[4, 7], [4, 7]],
  [[3, 8], [8]],
  [[1, 8], [5, 8]],
  [[2, 3, 8], [3, 8]],
];

describe.skipIf(!hasGpu)('vec4 elementwise shaders match the scalar ones on webgpu', () => {
  let before = 0;
  beforeEach(async () => {
    await sg.setBackend('webgpu');
    before = sg.memory().numTensors;
  });
  afterEach(async () => {
    expect(sg.memory().numTensors).toBe(before);
    await sg.setBackend('cpu');
  });
  afterAll(() => {
    elementwiseConfig.vec4 = true;
  });

  const unaryCases = (Object.keys(unaryOps) as UnaryOp[]).flatMap((op) => {
    const d = unaryOps[op].dtypes;
    const dtypes: sg.DType[] = d === 'bool' ? ['bool'] : d === 'float' ? ['float32'] : ['float32', 'int32'];
    return dtypes.map((dtype) => [op, dtype] as const);
  });
  test.each(unaryCases)('unary %s %s', async (op, dtype) => {
    const x = values(28, dtype, 3);
    const f = (): sg.Tensor => sg.tidy(() => ENGINE.dispatch(op, [sg.tensor(x, [4, 7], dtype)], (UNARY_ATTRS[op] ?? {}) as never));
    expectSame(await run(true, f), await run(false, f), `${op} ${dtype}`);
  });

  const binaryCases = (Object.keys(binaryOps) as BinaryOp[]).flatMap((op) => {
    const k = binaryOps[op].kind;
    const dtypes: sg.DType[] = k === 'logical' ? ['bool'] : k === 'float' ? ['float32'] : ['float32', 'int32'];
    return dtypes.flatMap((dtype) => BINARY_SHAPES.map(([as, bs]) => [op, dtype, as, bs] as const));
  });
  // Which shader runs: vec4 only where both operands are the output or repeat along it with a
  // length that is a multiple of 4; inner-dim broadcasts ([4, 1] against [4, 8]), scalars and
  // unaligned sizes take the scalar shader (and still compute the right values, checked on the CPU).
  const ROUTES: [number[], number[], boolean][] = [
    [[4, 8], [4, 8], true],
    [[3, 8], [8], true],
    [[1, 8], [5, 8], true],
    [[4, 1], [4, 8], false],
    [[4, 8], [1, 1], false],
    [[2, 1, 8], [2, 3, 8], false],
    [[3, 6], [6], false],
    [[5, 7], [5, 7], false],
    [[], [4, 4], false],
  ];
  test.each(ROUTES)('binary sub %j %j runs the %s shader', async (as, bs, vec4) => {
    const a = values(size(as), 'float32', 5);
    const b = values(size(bs), 'float32', 8);
    const rt = ENGINE.backend as WebGpuBackend;
    const spy = vi.spyOn(rt, 'launch');
    let got: number[];
    try {
      const t = sg.tidy(() => sg.sub(sg.tensor(a, as), sg.tensor(b, bs)));
      got = Array.from(await t.data());
      t.dispose();
      expect(spy.mock.calls.map(([l]) => l.shader.name)).toEqual([vec4 ? 'binary_sub_f32_vec4' : 'binary_sub_f32']);
    } finally {
      spy.mockRestore();
    }
    await sg.setBackend('cpu');
    const want = sg.tidy(() => sg.sub(sg.tensor(a, as), sg.tensor(b, bs)));
    expectSame(got, Array.from(want.dataSync()), `${JSON.stringify(as)} - ${JSON.stringify(bs)} vs cpu`);
    want.dispose();
    await sg.setBackend('webgpu');
  });

  test.each(binaryCases)('binary %s %s %j %j', async (op, dtype, as, bs) => {
    const a = values(size(as), dtype, 5);
    // b gets a nonzero divisor for the integer division ops, and the special values shifted against a's.
    const b = values(size(bs), dtype, 8).map((v) => (dtype === 'int32' && v === 0 ? 3 : v));
    for (const [xs, ys, xv, yv] of [[as, bs, a, b], [bs, as, b, a]] as const) {
      const f = (): sg.Tensor => sg.tidy(() => ENGINE.dispatch(op, [sg.tensor(xv, xs, dtype), sg.tensor(yv, ys, dtype)], {} as never));
      expectSame(await run(true, f), await run(false, f), `${op} ${dtype} ${JSON.stringify(xs)} ${JSON.stringify(ys)}`);
    }
  });
});

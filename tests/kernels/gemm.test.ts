/**
 * composeGemm (src/kernels/matmul/gemm.ts): the slot checks (missing,
 * duplicated, misplaced or unknown slots, parts declaring bindings), the
 * binding order it emits, and that every composed GEMM shader (matMul,
 * fusedMatMul, the conv ops) parses with wgsl_reflect with its bindings in
 * spec order and repeats no core's loop.
 */
import { WgslReflect } from 'wgsl_reflect';
import { describe, expect, test } from 'vitest';
import { convShaders } from '../../src/kernels/conv/conv_shaders.js';
import type { GemmSpec } from '../../src/kernels/matmul/gemm.js';
import { composeGemm, coreSlots } from '../../src/kernels/matmul/gemm.js';
import { plain } from '../../src/kernels/matmul/gemm_epilogue.wgsl.js';
import { dims, loadA, loadA4, loadB, loadB4 } from '../../src/kernels/matmul/mat_mul_parts.wgsl.js';
import { fusedMatMulShaders, matMulShaders } from '../../src/kernels/matmul/mat_mul_shaders.js';

const PARAMS = ['m', 'n', 'k', 'batch', 'a_off', 'b_off', 'c_off', 'a_bs', 'b_bs', 'a_rs', 'a_cs', 'b_rs', 'b_cs'];
const base: GemmSpec = { name: 't', core: 'direct', elem: 'f32', inputs: [{ name: 'a' }, { name: 'b' }], params: PARAMS, dims, loadA, loadB, epilogue: plain };

function bindings(source: string): [number, string, string][] {
  const r = new WgslReflect(source);
  return r.getBindGroups()[0].map((b, i) => [i, b.name, String(b.resourceType)]);
}

describe('composeGemm', () => {
  test('each core requires its slots', () => {
    expect(coreSlots('tiled')).toEqual(['gemm_a_col', 'gemm_a_cursor', 'gemm_a_rows', 'gemm_b_cols', 'gemm_b_cursor', 'gemm_b_row', 'gemm_dims', 'gemm_epilogue']);
    expect(coreSlots('direct')).toEqual(coreSlots('tiled'));
    expect(coreSlots('vec4')).toEqual(['gemm_a_block', 'gemm_a_cursor', 'gemm_a_rows', 'gemm_b_block', 'gemm_b_cols', 'gemm_b_cursor', 'gemm_dims', 'gemm_epilogue']);
  });

  test('a missing slot is named', () => {
    expect(() => composeGemm({ ...base, epilogue: '' })).toThrow(/composeGemm: shader 't': missing slot gemm_epilogue of the direct core/);
    expect(() => composeGemm({ ...base, core: 'vec4', loadA: loadA4, loadB: '' })).toThrow(/missing slots gemm_b_block, gemm_b_cols, gemm_b_cursor of the vec4 core/);
  });

  test('a slot defined twice, in the wrong part, or unknown to the core is refused', () => {
    expect(() => composeGemm({ ...base, epilogue: [plain, plain] })).toThrow(/gemm_epilogue is defined twice \(in epilogue and in epilogue\)/);
    expect(() => composeGemm({ ...base, loadB: [loadB, loadA] })).toThrow(/gemm_a_rows is defined twice \(in loadA and in loadB\)/);
    expect(() => composeGemm({ ...base, loadA: [loadA, dims], dims: '' })).toThrow(/gemm_dims belongs in dims, not loadA/);
    expect(() => composeGemm({ ...base, loadA: loadA4 })).toThrow(/loadA defines gemm_a_block, which is not a slot of the direct core/);
    expect(() => composeGemm({ ...base, epilogue: [plain, 'fn main() {}'] })).toThrow(/main is defined twice \(in the core and in epilogue\)/);
  });

  test('parts may not declare bindings, Params, GemmDims or T', () => {
    expect(() => composeGemm({ ...base, loadA: [loadA, '@group(0) @binding(5) var<storage, read> z: array<f32>;'] })).toThrow(/loadA declares '@binding'/);
    expect(() => composeGemm({ ...base, dims: [dims, 'struct Params { x: u32, }'] })).toThrow(/dims declares 'struct Params'/);
    expect(() => composeGemm({ ...base, dims: [dims, 'alias T = i32;'] })).toThrow(/alias T/);
  });

  test('bindings come out as inputs in order, out, params; vec4 inputs and the vec4 core bind vec4 arrays', () => {
    const s = composeGemm({ ...base, inputs: [{ name: 'a' }, { name: 'b' }, { name: 'bias' }] });
    expect(bindings(s.source).map(([i, n]) => [i, n])).toEqual([[0, 'a'], [1, 'b'], [2, 'bias'], [3, 'out'], [4, 'params']]);
    expect(s.source).toContain('@group(0) @binding(3) var<storage, read_write> out: array<T>;');
    const v = composeGemm({ ...base, core: 'vec4', inputs: [{ name: 'a', vec4: true }, { name: 'b', vec4: true }], loadA: loadA4, loadB: loadB4 });
    expect(v.source).toContain('@group(0) @binding(0) var<storage, read> a: array<vec4<T>>;');
    expect(v.source).toContain('@group(0) @binding(2) var<storage, read_write> out: array<vec4<T>>;');
    expect(composeGemm({ ...base, elem: 'i32' }).source).toMatch(/^alias T = i32;$/m);
  });
});

const composed = [
  ...Object.values(matMulShaders).flatMap((r) => Object.values(r)),
  ...Object.values(fusedMatMulShaders),
  ...Object.values(convShaders).flatMap((r) => Object.values(r)),
];

test.each(composed.map((s) => [s.name, s] as const))('%s parses, binds inputs, out, params in order, and holds one GEMM loop', (_, s) => {
  const names = bindings(s.source).map(([, n]) => n);
  expect(names.slice(-2)).toEqual(['out', 'params']);
  expect(names.length === 4 || (names.length === 5 && names[2] === 'bias')).toBe(true);
  expect(s.source.match(/@compute/g)).toHaveLength(1);
  expect(s.source.match(/\bacc0 \+=/g)).toHaveLength(1);
});

test('sg.kernels.source prints the composed shaders the launch code runs', async () => {
  const sg = await import('../../src/index.js');
  const runs: [string, readonly { source: string }[]][] = [
    ['matMul', [matMulShaders.tiled.f32, matMulShaders.direct.f32, matMulShaders.vec4.f32]],
    ['fusedMatMul', Object.values(fusedMatMulShaders)],
    ['conv2d', Object.values(convShaders.conv2d)],
    ['fusedConv2d', Object.values(convShaders.fusedConv2d)],
    ['conv2dBackpropInput', Object.values(convShaders.conv2dBackpropInput)],
    ['conv2dBackpropFilter', Object.values(convShaders.conv2dBackpropFilter)],
  ];
  for (const [op, shaders] of runs) {
    const text = sg.kernels.source(op as never);
    for (const s of shaders) expect(text, op).toContain(s.source.trim());
    expect(text?.match(/@compute/g), op).toHaveLength(shaders.length);
  }
});

/**
 * composeShader (src/kernels/webgpu/program.ts): parts joined in order with
 * no text edited, and the checks that make a wrong composition fail at module
 * load (an empty part, a name two parts declare). Every composed shader is
 * reflected and compiled by tests/webgpu/reflection.test.ts and runtime.test.ts.
 */
import { WgslReflect } from 'wgsl_reflect';
import { describe, expect, test } from 'vitest';
import { recurrentShaders } from '../../src/kernels/recurrent/webgpu.js';
import { activation, derivative, params } from '../../src/kernels/recurrent/cell.wgsl.js';
import { main as lstmGradMain } from '../../src/kernels/recurrent/lstm_cell_grad.wgsl.js';
import { composeShader } from '../../src/kernels/webgpu/program.js';
import { perElement } from '../../src/kernels/webgpu/element.wgsl.js';

describe('composeShader', () => {
  test('joins the parts in order, each verbatim', () => {
    const s = composeShader('lstm_cell_grad', [params, activation, derivative, lstmGradMain, perElement]);
    expect(s.source).toBe(recurrentShaders.lstm_cell_grad.source);
    let at = 0;
    for (const p of [params, activation, derivative, lstmGradMain, perElement]) {
      const i = s.source.indexOf(p.trim(), at);
      expect(i).toBeGreaterThanOrEqual(at);
      at = i + p.trim().length;
    }
    // wgsl_reflect parses the whole; each function it finds is declared by exactly one part.
    const fns = new WgslReflect(s.source).functions.map((f) => f.name);
    expect(fns).toContain('main');
    for (const f of fns) expect([params, activation, derivative, lstmGradMain, perElement].filter((p) => p.includes(`fn ${f}(`))).toHaveLength(1);
  });

  test('refuses an empty part and a name declared by two parts, naming the shader', () => {
    expect(() => composeShader('t', [params, ''])).toThrow(/shader 't': part 1 is empty/);
    expect(() => composeShader('t', [params, activation, activation])).toThrow(/'is_nan_f' is declared in parts 1 and 2/);
    expect(() => composeShader('t', [params, 'struct Params { a: u32, }'])).toThrow(/'Params' is declared in parts 0 and 1/);
    expect(() => composeShader('t', ['@group(0) @binding(0) var<storage, read> x: array<f32>;', 'var<private> x: f32 = 0.0;'])).toThrow(/'x' is declared/);
  });
});

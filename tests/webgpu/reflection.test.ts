/**
 * Build-time reflection: the committed layout table (reflected.gen.ts) matches
 * wgsl_reflect on every shader under src/kernels (found the way the generator
 * finds them), the runtime refuses a shader that is missing from it or changed
 * since, and the kernel lab's small binding reader agrees with wgsl_reflect.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { parseShaderLayout } from '../../src/debug/wgsl_layout.js';
import { shaderLayout } from '../../src/kernels/webgpu/layout.js';
import { REFLECTED } from '../../src/kernels/webgpu/reflected.gen.js';
import { collectShaders, reflectShader } from '../../src/kernels/webgpu/reflect_wgsl.js';
import { castShader } from '../../src/kernels/elementwise/webgpu.js';

const ROOT = resolve(process.cwd());

async function allShaders() {
  const dir = join(ROOT, 'src/kernels');
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('reflected.gen.ts'));
  return collectShaders(await Promise.all(files.map((f) => import(join(dir, f)))));
}

test('the committed table is up to date (node scripts/gen_reflection.mjs --check)', () => {
  const out = execFileSync(process.execPath, ['scripts/gen_reflection.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(out).toMatch(/table up to date/);
});

test('every shader under src/kernels has a table entry equal to its wgsl_reflect layout, and the lab reader agrees', async () => {
  const shaders = await allShaders();
  expect(shaders.length).toBeGreaterThan(100);
  expect(Object.keys(REFLECTED).sort()).toEqual(shaders.map((s) => s.name).sort());
  for (const s of shaders) {
    const want = reflectShader(s);
    expect(shaderLayout(s), s.name).toEqual(want);
    expect(parseShaderLayout(s.name, s.source), s.name).toEqual(want);
  }
});

test('the runtime refuses a shader missing from the table or changed since it was reflected', () => {
  const cast = castShader;
  expect(() => shaderLayout({ name: 'no_such_shader', source: cast.source })).toThrow(/'no_such_shader' is not in the reflected layout table; run `node scripts\/gen_reflection.mjs`/);
  expect(() => shaderLayout({ name: cast.name, source: `${cast.source}\n// edited` })).toThrow(/'cast' changed since its layout was reflected/);
  // A variant carrying its own layout (the kernel lab) is taken as is.
  const own = parseShaderLayout('v', cast.source);
  expect(shaderLayout({ name: 'v', source: cast.source, layout: own })).toBe(own);
});

test('the lab reader reports what wgsl_reflect would refuse', () => {
  const head = 'struct Params { size: u32, }\n';
  const buf = (b: number, space: string, name: string) => `@group(0) @binding(${b}) var<${space}> ${name}: array<f32>;\n`;
  expect(() => parseShaderLayout('v', 'fn main() {')).toThrow(/does not parse/);
  expect(() => parseShaderLayout('v', `${head}@group(1) @binding(0) var<storage, read> x: array<f32>;`)).toThrow(/@group\(1\+\)/);
  expect(() => parseShaderLayout('v', `${head}${buf(0, 'storage, read_write', 'out')}${buf(1, 'storage, read', 'x')}`)).toThrow(/inputs, then outputs, then params/);
  expect(() => parseShaderLayout('v', 'struct Params { m: mat2x2<f32>, }\n@group(0) @binding(0) var<uniform> params: Params;')).toThrow(/params.m has unsupported type/);
  // Alignment: a vec4 after a scalar starts at 16; arrays of vec4 have stride 16; size rounds up to 16.
  const l = parseShaderLayout('v', 'struct Params { a: u32, v: vec4<f32>, s: array<vec2<i32>, 2>, }\n@group(0) @binding(0) var<uniform> params: Params;');
  const r = reflectShader({ name: 'v', source: 'struct Params { a: u32, v: vec4<f32>, s: array<vec2<i32>, 2>, }\n@group(0) @binding(0) var<uniform> params: Params;\n@compute @workgroup_size(1) fn main() { _ = params.a; }' });
  expect(l.uniform).toEqual(r.uniform);
});

/**
 * Bundles as a consumer builds them (scripts/bundle_sizes.mjs): a browser app that
 * imports only `tensor` and `matMul` from the published browser bundle gets the core
 * (tensors, autograd, the CPU, wasm and WebGPU backends) and nothing of layers, io,
 * data, tuner or the debug tools, within its gzip budget; the browser bundle
 * references no `node:` module and bundles for the browser platform; no bundle
 * carries wgsl_reflect (shader layouts are reflected at build time); rollup (Vite) shakes
 * the core the same way.
 * Needs dist/ (`npm run build`, which `npm test` runs first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { consumerBundle } from '../scripts/bundle_sizes.mjs';

type Bundle = { code: string; bytes: number; gzBytes: number };
const bundle = consumerBundle as (name: 'core' | 'layers' | 'all') => Promise<Bundle>;

/**
 * The core's gzip budget. Measured 59.8 KiB (61,235 bytes) when this test was written, with the
 * wasm backend (registered by default, so part of the core), every WGSL shader and the reflected
 * layout table inside; the fused conv2d + bias + activation op then added 0.8 KiB (60.6 KiB), and
 * the WebGPU runtime split into modules (item 7: class and method shells) 0.5 KiB (61.1 KiB), and
 * rules that skip unneeded input gradients 0.1 KiB (61.2 KiB, 62,662 bytes).
 * TODO(#11): the target is 60 KB; the one-GEMM-core rewrite (item 2) removes the repeated conv
 * and matMul WGSL and should bring it back under. Until then the budget holds the line at 62 KiB.
 */
const CORE_BUDGET_GZ = 62 * 1024;

const need = () => expect(existsSync('dist/shadergrad.browser.js'), 'dist/ is missing: run npm run build').toBe(true);

test('namespaces survive the rewrite that lets them tree-shake: a consumer using sg.data / layers gets them whole', async () => {
  need();
  const { build } = await import('esbuild');
  const r = await build({
    stdin: { contents: `import * as sg from './dist/shadergrad.browser.js';\nimport { layers, io } from './dist/shadergrad.browser.js';\nexport default [typeof sg.data.trainTestSplit, typeof layers.dense, typeof io.memoryHandler, Object.keys(sg.tuner).length > 0];`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  const url = `data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`;
  expect((await import(/* @vite-ignore */ url)).default).toEqual(['function', 'function', 'function', true]);
}, 60_000);

test('the shaken core still registers its backends and computes', async () => {
  need();
  const { build } = await import('esbuild');
  const r = await build({
    stdin: { contents: `import { tensor, matMul, ENGINE } from './dist/shadergrad.browser.js';\nexport default [ENGINE.registeredBackends(), Array.from(await matMul(tensor([[1, 2]]), tensor([[3], [4]])).data())];`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  const url = `data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`;
  const [backends, product] = (await import(/* @vite-ignore */ url)).default;
  expect([...backends].sort()).toEqual(expect.arrayContaining(['cpu', 'wasm', 'webgpu']));
  expect(product).toEqual([11]);
}, 60_000);

test('the browser bundle references no node: module and has no wgsl_reflect', () => {
  need();
  for (const f of ['dist/shadergrad.browser.js', 'dist/shadergrad.node.js']) {
    const code = readFileSync(f, 'utf8');
    expect(code, f).not.toMatch(/WgslReflect|wgsl_reflect\/|class\s+WgslParser/);
  }
  const browser = readFileSync('dist/shadergrad.browser.js', 'utf8');
  expect(browser).not.toMatch(/\bimport\s*\(\s*["'`]node:|\bfrom\s*["']node:|\brequire\s*\(\s*["']node:[^'"]*["']\s*\)(?![^`]*`;\n)/);
});

test('a consumer importing only tensor and matMul gets the core alone, within budget', async () => {
  need();
  const core = await bundle('core');
  const all = await bundle('all');
  console.log(`core ${(core.gzBytes / 1024).toFixed(1)} KiB gz (${core.gzBytes} bytes) (budget ${CORE_BUDGET_GZ / 1024} KiB), everything ${(all.gzBytes / 1024).toFixed(1)} KiB gz`);
  expect(core.gzBytes).toBeLessThanOrEqual(CORE_BUDGET_GZ);
  // The backends are in (the WebGPU runtime and its layout table, the wasm backend)…
  expect(core.code).toContain('mat_mul_vec4_f32');
  // …and layers, io, data, tuner and the kernel lab are not (their messages name them).
  for (const s of ['loadLayersModel:', 'layers.dense', 'indexeddb:', 'trainTestSplit:', 'randomSearch:', 'minMaxScaler:', 'kernels.checkBindings:', 'traceStep:']) {
    expect(all.code, s).toContain(s);
    expect(core.code, s).not.toContain(s);
  }
  expect(core.gzBytes).toBeLessThan(all.gzBytes * 0.6);
}, 60_000);

test('a consumer of the layers API bundles for the browser and leaves data, tuner and the debug tools out', async () => {
  need();
  const layers = await bundle('layers');
  expect(layers.code).toContain('layers.dense');
  expect(layers.code).toContain('unknown layer class'); // the registry (models save and load)
  for (const s of ['trainTestSplit:', 'randomSearch:', 'minMaxScaler:', 'kernels.checkBindings:', 'traceStep:']) expect(layers.code, s).not.toContain(s);
}, 60_000);

test('rollup (what Vite builds with) shakes the same way: tensor and matMul alone bring no layers, io, data or tuner', async () => {
  need();
  const { rollup } = await import('rollup');
  const { resolve } = await import('node:path');
  const entry = `import { tensor, matMul } from ${JSON.stringify(resolve('dist/shadergrad.browser.js'))};\nconsole.log(matMul(tensor([[1, 2]]), tensor([[3], [4]])).toString());`;
  const warnings: string[] = [];
  const b = await rollup({
    input: 'entry',
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? entry : null) }],
    onwarn: (w) => warnings.push(`${w.code}: ${w.message}`),
  });
  const code = (await b.generate({ format: 'es' })).output[0].code;
  expect(warnings).toEqual([]);
  expect(code).toContain('mat_mul_vec4_f32');
  for (const s of ['loadLayersModel:', 'indexeddb:', 'trainTestSplit:', 'randomSearch:', 'kernels.checkBindings:']) expect(code, s).not.toContain(s);
}, 60_000);

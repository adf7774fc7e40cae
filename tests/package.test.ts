/**
 * The published package: no runtime dependencies, one ESM entry, and the
 * built Node bundle (made by `npm run build`, which `npm test` runs first)
 * loads and computes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('package.json: ESM, side-effect free, zero runtime dependencies, webgpu an optional peer', () => {
  expect(pkg.type).toBe('module');
  expect(pkg.sideEffects).toBe(false);
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(Object.keys(pkg.exports)).toEqual(['.']);
  expect(pkg.peerDependenciesMeta?.webgpu?.optional).toBe(true);
});

test('the built Node bundle loads, trains a step, and saves/loads a model (layer registrations survive tree-shaking)', async () => {
  // `npm test` builds dist/ first; run `npm run build` before running this file alone.
  expect(existsSync('dist/shadergrad.node.js'), 'dist/shadergrad.node.js is missing: run npm run build').toBe(true);
  const sg = await import(pathToFileURL(resolve('dist/shadergrad.node.js')).href);
  const x = sg.tensor([[1, 2], [3, 4]]);
  const g = sg.grad((t: any) => t.square().sum())(x);
  expect(Array.from(await g.data())).toEqual([2, 4, 6, 8]);
  sg.dispose([x, g]);
  expect(sg.memory().numTensors).toBe(0);
  const m = sg.sequential({ layers: [sg.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 1] }), sg.layers.maxPooling2d({ poolSize: 2 }), sg.layers.flatten(), sg.layers.dense({ units: 1 })] });
  const h = sg.io.memoryHandler();
  await m.save(h);
  const back = await sg.loadLayersModel(h);
  expect(back.layers.map((l: any) => l.getClassName())).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  m.dispose();
  back.dispose();
  expect(sg.memory().numTensors).toBe(0);
  const bundle = readFileSync('dist/shadergrad.browser.js', 'utf8');
  expect(bundle).not.toMatch(/from\s*["'](?!webgpu)[a-z@]/);
});

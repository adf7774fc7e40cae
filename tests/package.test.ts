/**
 * The published package: no runtime dependencies, one ESM entry, and the
 * built Node bundle (made by `npm run build`, which `npm test` runs first)
 * loads and computes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('package.json: ESM, side-effect free but for the Tensor class registration, zero runtime dependencies, webgpu an optional peer', () => {
  expect(pkg.type).toBe('module');
  // src/tensor/tensor.ts registers the Tensor class with the engine when it loads (how the
  // tensor core avoids an import cycle); a bundler of the sources must keep it. The published
  // dist/ modules count as side-effect free.
  expect(pkg.sideEffects).toEqual(['./src/tensor/tensor.ts']);
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

test('dist/types compiles in a strict consumer project with skipLibCheck: false', async () => {
  expect(existsSync('dist/types/index.d.ts'), 'dist/types is missing: run npm run build').toBe(true);
  const ts = (await import('typescript')).default;
  const dir = mkdtempSync(join(tmpdir(), 'sg-consumer-'));
  try {
    const main = join(dir, 'main.ts');
    writeFileSync(
      main,
      `import * as sg from 'shadergrad';
const reg: sg.Regularizer = sg.regularizers.l1(0.5);
const m = sg.sequential([sg.layers.lstm(8, { inputShape: [5, 2], returnSequences: false }), sg.layers.dropout(0.2), sg.layers.dense(1, { kernelRegularizer: reg })]);
m.compile({ optimizer: sg.optimizers.adam(0.01), loss: 'mse', metrics: ['mae'] });
export async function run(): Promise<number> {
  sg.setSeed(42);
  await sg.ready();
  const x: number[][][] = [[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]];
  const h = await m.fit(x, [3], { epochs: 1, verbose: 0, callbacks: [sg.callbacks.earlyStopping({ patience: 2 }), sg.callbacks.modelCheckpoint('ckpt/best')] });
  const p = m.predict(x) as sg.Tensor;
  const s = sg.data.minMaxScaler().fit([[1], [2]]);
  void s;
  p.dispose();
  return h.history.loss[0] as number;
}
`,
    );
    const program = ts.createProgram([main], {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      typeRoots: [resolve('node_modules/@types')],
      paths: { shadergrad: [resolve('dist/types/index.d.ts')] },
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file ? ` (${d.file.fileName})` : ''));
    expect(diags).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('the bundle is readable: an uncaught error prints one source line and the message, not a minified wall', () => {
  expect(existsSync('dist/shadergrad.node.js'), 'dist/shadergrad.node.js is missing: run npm run build').toBe(true);
  const url = pathToFileURL(resolve('dist/shadergrad.node.js')).href;
  const code = `const sg = await import(${JSON.stringify(url)}); sg.layers.lstm({ units: 4, return_sequences: true });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain("layers.lstm: unknown option 'return_sequences' (did you mean 'returnSequences'?)");
  expect(r.stderr.length).toBeLessThan(3000);
  expect(r.stderr).toMatch(/at checkConfig \(/);
});

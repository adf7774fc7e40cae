/**
 * webpack 5 as a browser app's bundler (scripts/bundle_sizes.mjs, webpackConsumerBundle):
 * production mode, `target: 'web'`, shadergrad installed as npm installs it, so webpack takes
 * the `browser` condition of package.json `exports`, and the optional `webgpu` peer absent.
 * A page that imports only `tensor` and `matMul` builds with no error and no warning (no `node:`
 * module, no unresolvable or expression request), keeps the wasm backend in a chunk loaded on
 * demand, loads at start no more than the core's gzip budget (the esbuild consumer's, in
 * tests/bundle.test.ts), and runs in headless Chromium (skipped without it, as the browser
 * suites are), giving the CPU kernels' product; a page that picks the wasm backend gets it from
 * the chunk webpack's runtime fetches then.
 * Needs dist/ (`npm run build`, which `npm test` runs first).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'puppeteer-core';
import { beforeAll, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { CORE_BUDGET_GZ, webpackConsumerBundle } from '../scripts/bundle_sizes.mjs';
import { CHROMIUM, FLAGS, hasChromium } from './browser/chromium.js';

type File = { name: string; code: string };
type WebpackBundle = { errors: string[]; warnings: string[]; inputs: string[]; initial: File[]; lazy: File[]; bytes: number; gzBytes: number; lazyGzBytes: number };

/** The consumer: the page publishes the product (or the error) on `window.__result`. */
const ENTRY = `import { tensor, matMul } from 'shadergrad';
matMul(tensor([[1, 2]]), tensor([[3], [4]])).data().then(
  (d) => { window.__result = Array.from(d); },
  (e) => { window.__result = String((e && e.stack) || e); },
);
`;

/** A consumer that switches to the wasm backend: webpack's runtime fetches its chunk then. */
const WASM_ENTRY = `import { tensor, matMul, setBackend, getBackend } from 'shadergrad';
setBackend('wasm')
  .then(() => matMul(tensor([[1, 2]]), tensor([[3], [4]])).data())
  .then((d) => { window.__result = [getBackend(), Array.from(d)]; }, (e) => { window.__result = String((e && e.stack) || e); });
`;

let core: WebpackBundle;

beforeAll(async () => {
  expect(existsSync('dist/shadergrad.browser.js'), 'dist/ is missing: run npm run build').toBe(true);
  core = await (webpackConsumerBundle as (source: string) => Promise<WebpackBundle>)(ENTRY);
  console.log(`webpack consumer 'core': ${(core.gzBytes / 1024).toFixed(1)} KiB gz (${core.gzBytes} bytes) at start (budget ${CORE_BUDGET_GZ} bytes), ${(core.lazyGzBytes / 1024).toFixed(1)} KiB gz in ${core.lazy.length} chunks on demand`);
}, 120_000);

test('webpack 5 builds a page importing tensor and matMul from the browser export with no error or warning', () => {
  expect(core.errors).toEqual([]);
  expect(core.warnings).toEqual([]);
  // Through package.json `exports`, `browser` condition: the browser build, not the Node one.
  expect(core.inputs).toContain('node_modules/shadergrad/dist/shadergrad.browser.js');
  expect(core.inputs.filter((f) => /shadergrad\.node\.js|\/chunks\/node-/.test(f))).toEqual([]);
  // (A `node:` request would be an error above: webpack 5 reads no `node:` scheme for target web.)
});

test('the wasm backend is a chunk loaded on demand; what loads at start is the core, within its gzip budget', () => {
  const start = core.initial.map((f) => f.code).join('\n');
  const later = core.lazy.map((f) => f.code).join('\n');
  expect(core.initial.map((f) => f.name)).toEqual(['main.js']);
  expect(start).toContain('mat_mul_vec4_f32'); // the WebGPU runtime and its shaders are in
  expect(start).not.toContain('wasm backend: this engine has no WebAssembly SIMD');
  expect(later).toContain('wasm backend: this engine has no WebAssembly SIMD');
  for (const s of ['loadLayersModel:', 'layers.dense', 'indexeddb:', 'trainTestSplit:', 'randomSearch:', 'minMaxScaler:', 'kernels.checkBindings:', 'traceStep:']) {
    expect(start + later, s).not.toContain(s);
  }
  expect(core.gzBytes).toBeLessThanOrEqual(CORE_BUDGET_GZ as number);
});

/**
 * Serves a webpack build's scripts from 127.0.0.1, opens the page in `browser`, and returns what
 * the page published on `window.__result`, its errors, and the scripts it fetched.
 */
async function runPage(browser: Browser, bundle: WebpackBundle): Promise<{ result: unknown; log: string[]; fetched: string[] }> {
  expect(bundle.errors, 'the webpack build failed').toEqual([]);
  const files = new Map([...bundle.initial, ...bundle.lazy].map((f) => [`/${f.name}`, f.code]));
  const fetched: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const code = files.get(url);
    if (code !== undefined) {
      fetched.push(url.slice(1));
      res.setHeader('content-type', 'text/javascript');
      res.end(code);
    } else if (url === '/') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><meta charset="utf-8"><title>webpack consumer</title><script>onerror = (m) => { window.__result = String(m); };</script><script src="/main.js"></script>');
    } else {
      res.statusCode = url === '/favicon.ico' ? 204 : 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const page = await browser.newPage();
  try {
    const log: string[] = [];
    page.on('pageerror', (e) => log.push(`pageerror: ${(e as Error).message}`));
    page.on('console', (m) => { if (m.type() === 'error') log.push(`console: ${m.text()}`); });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('window.__result !== undefined', { timeout: 30_000 });
    return { result: await page.evaluate('window.__result'), log, fetched };
  } finally {
    await page.close();
    server.close();
  }
}

test.skipIf(!hasChromium)('in headless Chromium the webpack bundle gives the CPU kernels\' product, and fetches the wasm chunk only when wasm is chosen', async () => {
  const sg = await import('../src/index.js');
  await sg.setBackend('cpu');
  const want = Array.from(await sg.matMul(sg.tensor([[1, 2]]), sg.tensor([[3], [4]])).data());
  // Unminified (quicker; the minified build is the one above): what matters here is webpack's chunk loading.
  const wasm = await (webpackConsumerBundle as (source: string, o: { minimize: boolean }) => Promise<WebpackBundle>)(WASM_ENTRY, { minimize: false });
  expect(wasm.warnings).toEqual([]);
  const wasmChunks = wasm.lazy.filter((f) => f.code.includes('wasm backend: this engine has no WebAssembly SIMD')).map((f) => f.name);
  expect(wasmChunks).toHaveLength(1);
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const start = await runPage(browser, core);
    expect(start.result, start.log.join('\n')).toEqual(want);
    expect(start.log).toEqual([]);
    expect(start.fetched).toEqual(['main.js']); // nothing but the start-up script
    const lazy = await runPage(browser, wasm);
    expect(lazy.result, lazy.log.join('\n')).toEqual(['wasm', want]);
    expect(lazy.log).toEqual([]);
    expect(lazy.fetched).toEqual(['main.js', ...wasmChunks]);
  } finally {
    await browser.close();
  }
}, 90_000);

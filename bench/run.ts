/**
 * `npm run bench`: shadergrad vs TensorFlow.js, same cases, same run.
 *  - cpu: both libraries' CPU backends in Node.
 *  - webgpu: both libraries' WebGPU backends in headless Chromium (SwiftShader
 *    here, a real GPU elsewhere), when Chromium is installed.
 *  - wasm: shadergrad's wasm backend vs @tensorflow/tfjs-backend-wasm (SIMD,
 *    one thread) on every case, then vs @jax-js/jax (wasm device) on matMul
 *    and conv2d (bench/peers.ts).
 *  - webgpu-node (with --webgpu-node): both libraries' WebGPU backends in Node
 *    through the `webgpu` package (Dawn; SwiftShader here via VK_ICD_FILENAMES).
 * Options: --only=matMul,conv2d   --skip-webgpu   --skip-cpu   --skip-wasm   --threads=N (wasm)   --webgpu-node   --max-time=2
 */
import * as tf from '@tensorflow/tfjs';
import * as sg from '../src/index.js';
import { makeCases } from './cases.js';
import { jaxCases, useTfjsWasm } from './peers.js';
import type { Row } from './measure.js';
import { measure, table } from './measure.js';

const arg = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}`))?.split('=')[1] ?? (process.argv.includes(`--${k}`) ? '' : undefined);
const only = arg('only')?.split(',').filter(Boolean);
const maxTime = Number(arg('max-time') ?? 2);
const rows: Row[] = [];

if (arg('skip-cpu') === undefined) {
  await sg.setBackend('cpu');
  await tf.setBackend('cpu');
  rows.push(...(await measure('cpu (Node)', makeCases(sg, tf, { only }), maxTime, console.log)));
}
if (arg('skip-wasm') === undefined) {
  await sg.setBackend('wasm');
  const threads = await sg.setThreads(Number(arg('threads') || 0) || 1);
  console.log(`shadergrad wasm: ${threads} thread(s); tfjs-wasm: 1 thread; jax-js: 1 thread (no Web Worker in Node)`);
  await useTfjsWasm(tf);
  const label = `wasm (Node, ${threads} thread${threads > 1 ? 's' : ''})`;
  rows.push(...(await measure(`${label} vs tfjs-wasm`, makeCases(sg, tf, { only }), maxTime, console.log)));
  rows.push(...(await measure(`${label} vs jax-js`, await jaxCases(sg, only), maxTime, console.log)));
}
if (arg('skip-webgpu') === undefined) {
  const { hasChromium, openPage } = await import('../tests/browser/chromium.js');
  if (!hasChromium) console.log('Chromium not installed: webgpu rows skipped (apt-get install -y chromium)');
  else {
    const s = await openPage('bench/page_entry.ts');
    try {
      const res = (await s.page.evaluate((o: string[] | null, t: number) => (window as any).__bench(o, t), only ?? null, maxTime)) as Row[] | string;
      if (typeof res === 'string') console.log(`webgpu rows skipped: ${res}`);
      else rows.push(...res);
    } finally {
      await s.close();
    }
  }
}
if (arg('webgpu-node') !== undefined) {
  // tfjs-backend-webgpu looks for navigator.gpu: give it Dawn's, as a browser would.
  process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (typeof navigator === 'undefined') (globalThis as { navigator?: unknown }).navigator = { gpu, userAgent: 'node' };
  else Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  await sg.setBackend('webgpu');
  await tf.setBackend('webgpu');
  rows.push(...(await measure('webgpu (Node, Dawn)', makeCases(sg, tf, { only }), maxTime, console.log)));
}
console.log(`\n${table(rows)}\n`);

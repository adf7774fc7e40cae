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
 * Flags: FLAGS below (`npm run bench -- --help` lists them). They are read before
 * TensorFlow.js and shadergrad load, so --help and a bad flag answer at once.
 */
import type { Flag } from '../scripts/cli_flags.js';
import { cliFlags } from '../scripts/cli_flags.js';
import type { Row } from './measure.js';

/** The bench's flags (scripts/cli_flags.ts adds --help). */
const FLAGS = [
  { name: 'only', kind: 'list', value: 'NAMES', help: "only the cases whose name starts with one of these, e.g. --only='matMul,MNIST-CNN fit'" },
  { name: 'skip-cpu', kind: 'switch', help: "no cpu rows (both libraries' CPU backends in Node)" },
  { name: 'skip-wasm', kind: 'switch', help: 'no wasm rows (vs tfjs-backend-wasm and jax-js)' },
  { name: 'skip-webgpu', kind: 'switch', help: 'no webgpu rows (headless Chromium)' },
  { name: 'webgpu-node', kind: 'switch', help: 'add webgpu rows in Node through the webgpu package (Dawn)' },
  { name: 'threads', kind: 'int', value: 'N', help: "threads of shadergrad's wasm backend (default 1)" },
  { name: 'max-time', kind: 'number', value: 'SECONDS', help: 'benchmark.js time per case and library (default 2)' },
] as const satisfies readonly Flag[];

const flags = cliFlags('bench/run.ts', FLAGS, process.argv.slice(2), 'shadergrad vs TensorFlow.js (and jax-js on wasm), same cases, same run; prints a table of timings.');
const only = flags.only;
const maxTime = flags['max-time'] ?? 2;
const tf = await import('@tensorflow/tfjs');
const sg = await import('../src/index.js');
const { makeCases } = await import('./cases.js');
const { jaxCases, useTfjsWasm } = await import('./peers.js');
const { measure, table } = await import('./measure.js');
const rows: Row[] = [];

if (!flags['skip-cpu']) {
  await sg.setBackend('cpu');
  await tf.setBackend('cpu');
  rows.push(...(await measure('cpu (Node)', makeCases(sg, tf, { only }), maxTime, console.log)));
}
if (!flags['skip-wasm']) {
  await sg.setBackend('wasm');
  const threads = await sg.setThreads(Math.max(1, flags.threads ?? 1));
  console.log(`shadergrad wasm: ${threads} thread(s); tfjs-wasm: 1 thread; jax-js: 1 thread (no Web Worker in Node)`);
  await useTfjsWasm(tf);
  const label = `wasm (Node, ${threads} thread${threads > 1 ? 's' : ''})`;
  rows.push(...(await measure(`${label} vs tfjs-wasm`, makeCases(sg, tf, { only }), maxTime, console.log)));
  rows.push(...(await measure(`${label} vs jax-js`, await jaxCases(sg, only), maxTime, console.log)));
}
if (!flags['skip-webgpu']) {
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
if (flags['webgpu-node']) {
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

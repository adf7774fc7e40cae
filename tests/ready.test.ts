/**
 * sg.ready() in Node: WebGPU is probed in a child process whose native
 * Dawn/Vulkan output is dropped, so nothing is printed; here (SwiftShader or
 * no Vulkan driver, never a hardware adapter) it ends on wasm (WebAssembly SIMD).
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import * as sg from '../src/index.js';

test('ready() in Node probes WebGPU silently and picks wasm without a hardware adapter', () => {
  const env = { ...process.env };
  delete env.SHADERGRAD_WEBGPU;
  const r = spawnSync(process.execPath, ['scripts/run.mjs', 'tests/fixtures/ready_entry.ts'], { env, encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('backend=wasm\n');
  expect(r.stderr).toBe('');
});

test('ready() rejects unknown options', async () => {
  await expect(sg.ready({ webGPU: true } as never)).rejects.toThrow(/^ready: unknown option 'webGPU'; known options: webgpu$/);
});

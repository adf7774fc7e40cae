/**
 * The wasm backend in headless Chromium, with and without cross-origin
 * isolation: `sg.ready()` picks it (the SwiftShader adapter ranks below it),
 * an isolated page shares its memory with Web Workers and splits a large
 * product across two threads, a plain page runs on one thread and says why,
 * and both give the CPU backend's matMul and conv2d results.
 * Skipped when Chromium is not installed.
 */
import { describe, expect, test } from 'vitest';
import { hasChromium, openPage } from './chromium.js';

interface PageRun {
  chosen: string;
  info: Record<string, unknown>;
  threads: number;
  maxDiff: number;
}

async function runIn(isolated: boolean): Promise<PageRun> {
  const s = await openPage('tests/browser/page_entry.ts', { isolated });
  try {
    return (await s.page.evaluate(async () => {
      const sg = (window as any).sg;
      const chosen = await sg.ready();
      const threads = await sg.setThreads(2);
      const info = JSON.parse(JSON.stringify(sg.backendInfo()));
      const compute = (): number[] => sg.tidy(() => {
        const a = sg.tensor(Float32Array.from({ length: 256 * 300 }, (_: unknown, i: number) => Math.sin(i)), [256, 300]);
        const x = sg.tensor(Float32Array.from({ length: 4 * 16 * 16 * 8 }, (_: unknown, i: number) => Math.cos(i)), [4, 16, 16, 8]);
        const f = sg.tensor(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_: unknown, i: number) => Math.sin(i * 0.3)), [3, 3, 8, 16]);
        return [...sg.matMul(a, a, false, true).dataSync(), ...sg.conv2d(x, f, 1, 'same').dataSync()];
      });
      const got = compute();
      await sg.setBackend('cpu');
      const want = compute();
      let maxDiff = 0;
      for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
      return { chosen, info, threads, maxDiff };
    })) as PageRun;
  } finally {
    await s.close();
  }
}

describe.skipIf(!hasChromium)('wasm backend in headless Chromium', () => {
  test('cross-origin isolated: shared memory, two threads', async () => {
    const r = await runIn(true);
    expect(r.chosen).toBe('wasm');
    expect(r.threads).toBe(2);
    expect(r.info).toMatchObject({ name: 'wasm', simd: true, threads: 2, sharedMemory: true });
    expect(r.maxDiff).toBeLessThan(1e-4);
  }, 120_000);

  test('not isolated: one thread, and backendInfo() says why', async () => {
    const r = await runIn(false);
    expect(r.chosen).toBe('wasm');
    expect(r.threads).toBe(1);
    expect(r.info).toMatchObject({ name: 'wasm', threads: 1, sharedMemory: false });
    expect(String(r.info.singleThreadReason)).toMatch(/cross-origin isolated|SharedArrayBuffer/);
    expect(r.maxDiff).toBeLessThan(1e-4);
  }, 120_000);
});

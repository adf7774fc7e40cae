/**
 * In headless Chromium (SwiftShader WebGPU): the op suite with shadergrad vs
 * TensorFlow.js in the same page — shadergrad's CPU backend against tfjs's
 * webgpu backend, and shadergrad's webgpu backend against it when present.
 * Skipped, with a note, when Chromium is not installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Session } from './chromium.js';
import { hasChromium, openPage } from './chromium.js';
import type { PageResult } from './op_suite.js';

let s: Session | null = null;

describe.skipIf(!hasChromium)('headless Chromium', () => {
  beforeAll(async () => {
    s = await openPage('tests/browser/page_entry.ts');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  test('WebGPU adapter is available (SwiftShader)', async () => {
    const info = await s!.page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? { vendor: a.info?.vendor, architecture: a.info?.architecture } : null;
    });
    expect(info).not.toBeNull();
  });

  const run = async (sgBackend: string): Promise<PageResult[]> =>
    (await s!.page.evaluate((b: string) => (window as any).__suite.runOpSuite((window as any).sg, (window as any).tf, b, 'webgpu'), sgBackend)) as PageResult[];

  test('op suite: shadergrad cpu vs tfjs webgpu in the page', async () => {
    const res = await run('cpu');
    const bad = res.filter((r) => !r.ok).map((r) => `${r.name}: ${r.message}`);
    expect(bad, s!.log.slice(-20).join('\n')).toEqual([]);
    expect(res.length).toBeGreaterThan(60);
  });

  test('op suite: shadergrad webgpu vs tfjs webgpu in the page', async () => {
    const has = await s!.page.evaluate(async () => {
      try {
        await (window as any).sg.setBackend('webgpu');
        await (window as any).sg.setBackend('cpu');
        return true;
      } catch {
        return false;
      }
    });
    if (!has) {
      console.warn('shadergrad has no webgpu backend registered yet: webgpu page suite not run');
      return;
    }
    const res = await run('webgpu');
    const bad = res.filter((r) => !r.ok).map((r) => `${r.name}: ${r.message}`);
    expect(bad, s!.log.slice(-20).join('\n')).toEqual([]);
  });
});

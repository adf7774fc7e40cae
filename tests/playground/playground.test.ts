/**
 * The playground in headless Chromium (SwiftShader WebGPU), on each backend
 * the page offers here (webgpu, wasm with threads, cpu): builds site/, serves it with the
 * COOP/COEP server of `npm run playground`, trains ≥ 20 steps on a toy set and
 * on MNIST, and checks from pixels and page state that the loss falls, the
 * curves, decision boundary and CNN filters are drawn, the step trace lists
 * the Dense and Conv2D kernels with the WGSL sg.kernels.source returns, the
 * CPU-twin check passes, the ledger is empty after reset, the kernel lab
 * catches a wrong variant, the main thread stays responsive while the worker
 * trains, and nothing is logged as an error. Screenshots of every panel go to
 * site-shots/. Also runs the embedding example (train in a worker, save to
 * indexeddb://, reload, predict).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import { JS_FALLBACK } from '../../src/kernels/wasm/fallbacks.js';
import { CHROMIUM, FLAGS, hasChromium } from '../browser/chromium.js';

const SHOTS = 'site-shots';
let server: Server;
let browser: Browser;
let base = '';

interface PgState {
  backend: string;
  info: { threads?: number; sharedMemory?: boolean; singleThreadReason?: string };
  ready: boolean;
  step: number;
  losses: number[];
  configured: number;
  errors: string[];
  trace: { trace: { backend: string; kernels: { op: string; phase: string; launches: { shader: string }[]; wasm: { calls: { wasmFunction: string; threads: number }[]; js: { reason: string; listed: boolean } | null } | null }[] } } | null;
  twin: { report: { ok: boolean; backend: string; twin: string; kernels: { op: string; backend: string; ok: boolean; maxAbsError: number }[] } } | null;
  ledger: { ledger: { numTensors: number; numBytes: number }; memory: { numTensors: number } } | null;
  lab: { bindings: { ok: boolean }; result?: { trials: { ok: boolean; error?: string }[]; builtin: { ok: boolean } }; error?: string } | null;
}

const state = (page: Page): Promise<PgState> => page.evaluate(() => (window as unknown as { __pg: { state: PgState } }).__pg.state);
const waitFor = (page: Page, js: string, timeout = 60_000): Promise<unknown> => page.waitForFunction(js, { timeout, polling: 50 });

/** Counts pixels of `canvasSelector` within `tol` of an RGB colour (or, with rgb null, pixels that are not white). */
function countPixels(page: Page, canvasSelector: string, rgb: [number, number, number] | null, tol = 40): Promise<number> {
  return page.evaluate(
    (sel: string, c: [number, number, number] | null, t: number) => {
      const cv = document.querySelector(sel) as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        if (c ? Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) <= t : d[i] + d[i + 1] + d[i + 2] < 3 * 250) n++;
      }
      return n;
    },
    canvasSelector,
    rgb,
    tol,
  );
}

/** Screenshot of element #id, written to site-shots/<backend>-<name>.png. */
async function shot(page: Page, backend: string, id: string, name = id): Promise<void> {
  const el = await page.$(`#${id}`);
  await el?.screenshot({ path: `${SHOTS}/${backend}-${name}.png` });
}

/** Trains until `steps` more steps are done, probing a 20 ms timer on the main thread; returns its worst lateness (ms). */
async function train(page: Page, steps: number): Promise<number> {
  const start = (await state(page)).step;
  await page.evaluate(() => {
    const w = window as unknown as { __gap: number; __probe: number };
    w.__gap = 0;
    let last = performance.now();
    w.__probe = window.setInterval(() => {
      const now = performance.now();
      w.__gap = Math.max(w.__gap, now - last - 20);
      last = now;
    }, 20);
  });
  await page.click('#start');
  await waitFor(page, `window.__pg.state.step >= ${start + steps} || window.__pg.state.errors.length > 0`, 90_000);
  await page.click('#pause');
  await waitFor(page, '!window.__pg.state.running');
  const gap = await page.evaluate(() => {
    const w = window as unknown as { __gap: number; __probe: number };
    clearInterval(w.__probe);
    return w.__gap;
  });
  expect((await state(page)).errors).toEqual([]);
  return gap;
}

const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;

describe.skipIf(!hasChromium)('playground in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // @ts-expect-error plain .mjs build scripts without types
    const { buildSite } = (await import('../../scripts/build_site.mjs')) as { buildSite: (o: object) => Promise<string> };
    // @ts-expect-error plain .mjs build scripts without types
    const { serve } = (await import('../../scripts/playground.mjs')) as { serve: (dir: string, port: number) => Promise<Server> };
    server = await serve(await buildSite({ quiet: true }), 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, protocolTimeout: 300_000, defaultViewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  test.each(['webgpu', 'wasm', 'cpu'])('backend %s: toy set and MNIST train, every panel works', async (backend) => {
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('console', (m) => {
      // Warnings too, except Chromium's advice about this test's own pixel readbacks.
      if (m.type() === 'error' || (m.type() === 'warn' && !m.text().includes('willReadFrequently'))) log.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log.push(`pageerror: ${(e as Error).message}`));
    await page.goto(`${base}/?backend=${backend}&data=moons`);
    await waitFor(page, 'window.__pg && window.__pg.state.ready && window.__pg.state.configured > 0 && window.__pg.state.progress');
    expect((await state(page)).backend).toBe(backend);
    expect(await page.$eval('#backendBadge', (e) => e.textContent)).toContain(`running on ${backend}`);
    // The page was served cross-origin isolated.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    if (backend === 'wasm') {
      // ...so the wasm backend shares its memory with GEMM threads, one per core (at most 8).
      const info = (await state(page)).info;
      expect(info.sharedMemory).toBe(true);
      expect(info.singleThreadReason).toBeUndefined();
      expect(info.threads).toBe(Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency)));
      expect(await page.$eval('#backendBadge', (e) => e.textContent)).toContain(`SIMD, ${info.threads} thread`);
    }

    // --- toy set: loss falls, curves and boundary drawn, main thread free ---
    const gap = await train(page, 30);
    const st = await state(page);
    expect(st.losses.length).toBeGreaterThanOrEqual(30);
    expect(mean(st.losses.slice(-5))).toBeLessThan(mean(st.losses.slice(0, 5)));
    console.info(`playground ${backend}: moons loss ${mean(st.losses.slice(0, 5)).toFixed(3)} -> ${mean(st.losses.slice(-5)).toFixed(3)} in ${st.losses.length} steps; worst main-thread timer lateness ${gap.toFixed(0)} ms`);
    expect(gap, 'a 20 ms timer on the main thread fired late by this much while the worker trained').toBeLessThan(400);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    expect(await countPixels(page, '#lossChart canvas', [42, 111, 219])).toBeGreaterThan(100); // the train-loss line
    expect(await countPixels(page, '#lossChart canvas', [224, 115, 26])).toBeGreaterThan(10); // validation points
    const blueish = await countPixels(page, '#boundary', [255 - Math.round(213 * 0.45), 255 - Math.round(144 * 0.45), 255 - Math.round(36 * 0.45)], 60);
    const orangeish = await countPixels(page, '#boundary', [255 - Math.round(31 * 0.45), 255 - Math.round(140 * 0.45), 255 - Math.round(229 * 0.45)], 60);
    expect(blueish, 'class-0 region').toBeGreaterThan(2000);
    expect(orangeish, 'class-1 region').toBeGreaterThan(2000);
    await shot(page, backend, 'curves');
    await page.screenshot({ path: `${SHOTS}/${backend}-page.png`, clip: { x: 0, y: 0, width: 1280, height: 620 } });
    await shot(page, backend, 'visual');
    await shot(page, backend, 'controls');

    // --- one Dense step inside: kernels, WGSL, gradient rule ---
    await page.click('#inspectBtn');
    await waitFor(page, 'window.__pg.state.trace');
    const tr = (await state(page)).trace!.trace;
    const byPhase = (p: string) => tr.kernels.filter((k) => k.phase === p).map((k) => k.op);
    expect(byPhase('forward')).toContain('fusedMatMul');
    expect(byPhase('backward')).toContain('matMul');
    expect(byPhase('update').length).toBeGreaterThan(0);
    const i = tr.kernels.findIndex((k) => k.op === 'matMul' && k.phase === 'backward');
    await page.click(`.graph .op[data-index="${i}"]`);
    const shown = await page.$eval('#opSource', (e) => e.textContent ?? '');
    const source = sg.kernels.source('matMul')!;
    expect(shown.trim().length).toBeGreaterThan(100);
    expect(source).toContain(shown.trim());
    if (backend === 'webgpu') {
      expect(tr.kernels[i].launches.length).toBeGreaterThan(0);
      expect(shown).toBe(sg.kernels.shaders('matMul').find((s) => s.name === tr.kernels[i].launches[0].shader)!.source);
      expect(await page.$eval('#opBindings', (e) => e.textContent)).toMatch(/out.*storage/);
    } else if (backend === 'wasm') {
      expect(shown).toBe(source);
      // What ran, as the backend recorded it (traceStep's wasm records): matMul called the emitted 'gemm'; the listed fallbacks ran the JavaScript kernel.
      const runs = tr.kernels.map((k) => k.wasm!);
      expect(runs.every((r) => r !== null)).toBe(true);
      expect(runs[i].calls.map((c) => c.wasmFunction)).toContain('gemm');
      expect(await page.$eval('#opFacts', (e) => e.textContent)).toMatch(/wasmKernels\.matMul: emitted wasm functions? gemm/);
      expect(await page.$eval('#opWasmSource', (e) => e.textContent)).toMatch(/^\/\/ wasmKernels\.matMul[\s\S]*gemm[\s\S]{40,}/);
      expect(await page.$eval('#cpuSrc', (e) => (e as HTMLElement).hidden)).toBe(true);
      const own = new Set(sg.kernels.list().filter((k) => k.backends.includes('wasm')).map((k) => k.name as string));
      for (const [j, k] of tr.kernels.entries()) {
        if (k.op in JS_FALLBACK) expect(runs[j], k.op).toEqual({ calls: [], js: { reason: JS_FALLBACK[k.op as keyof typeof JS_FALLBACK], listed: true } });
        else expect(own.has(k.op) && (runs[j].calls.length > 0 || runs[j].js !== null), k.op).toBe(true);
      }
      const f = tr.kernels.findIndex((k) => k.op in JS_FALLBACK);
      expect(f, 'a step runs some JavaScript fallback op').toBeGreaterThanOrEqual(0);
      expect(await page.$eval(`.graph .op[data-index="${f}"]`, (e) => e.className)).toContain('jsOnWasm');
      expect(await page.$eval(`.graph .op[data-index="${i}"]`, (e) => e.className)).not.toContain('jsOnWasm');
      await page.click(`.graph .op[data-index="${f}"]`);
      expect(await page.$eval('#opFacts', (e) => e.textContent)).toContain(`JavaScript kernel cpuKernels.${tr.kernels[f].op} on views of wasm memory (a listed fallback`);
      expect(await page.$eval('#opCpuSource', (e) => e.textContent)).toMatch(new RegExp(`^// cpuKernels\\.${tr.kernels[f].op} .*on views of wasm memory\n[\\s\\S]{40,}`));
      expect(await page.$eval('#wasmSrc', (e) => (e as HTMLElement).hidden)).toBe(true);
      await page.click(`.graph .op[data-index="${i}"]`);
    } else {
      expect(shown).toBe(source);
      expect(await page.$eval('#opCpuSource', (e) => e.textContent)).toMatch(/^\/\/ cpuKernels\.matMul[\s\S]{40,}/);
    }
    expect(await page.$eval('#opGrad', (e) => e.textContent)).toContain('// C = op(A)·op(B)');
    expect(await page.$eval('#opFacts', (e) => e.textContent)).toMatch(/GFLOP\/s/);
    expect(await page.$eval('#opFacts', (e) => e.textContent)).toMatch(/reads from.*#\d+ /);
    await shot(page, backend, 'inspect');

    // --- CPU twin ---
    await page.click('#twinBtn');
    await waitFor(page, 'window.__pg.state.twin');
    const twin = (await state(page)).twin!.report;
    // float64 CPU for the JavaScript kernels, float32 CPU for GPU and wasm kernels.
    expect(twin.backend).toBe(backend);
    expect(twin.twin).toBe(backend === 'cpu' ? 'cpu64' : 'cpu');
    expect(twin.kernels.every((k) => k.backend === backend)).toBe(true);
    expect(twin.kernels.length).toBeGreaterThan(10);
    expect(twin.kernels.filter((k) => !k.ok)).toEqual([]);
    expect(twin.ok).toBe(true);
    await shot(page, backend, 'twin');

    // --- kernel lab: the built-in shader passes, a wrong variant is caught ---
    await page.click('#labRun');
    await waitFor(page, 'window.__pg.state.lab');
    let lab = (await state(page)).lab!;
    expect(lab.bindings.ok).toBe(true);
    if (backend === 'webgpu') {
      expect(lab.result!.builtin.ok).toBe(true);
      expect(lab.result!.trials.length).toBe(3);
      expect(lab.result!.trials.every((t) => t.ok && !t.error)).toBe(true);
    } else expect(lab.error).toMatch(/needs the webgpu backend/);
    await page.evaluate(() => ((window as unknown as { __pg: { state: PgState } }).__pg.state.lab = null));
    await page.click('#labBreak');
    await page.click('#labRun');
    await waitFor(page, 'window.__pg.state.lab');
    lab = (await state(page)).lab!;
    if (backend === 'webgpu') {
      expect(lab.result!.trials.length).toBe(3);
      expect(lab.result!.trials.filter((t) => t.ok)).toEqual([]);
      expect(lab.result!.trials.every((t) => !t.error)).toBe(true);
      expect(await page.$eval('#labOut', (e) => e.textContent)).toContain('FAIL');
    }
    await shot(page, backend, 'lab');

    // --- MNIST with the CNN preset: loss falls, filters and maps drawn, Conv2D step kernels ---
    await page.select('#data', 'mnist');
    await waitFor(page, 'window.__pg.state.configured >= 2 && window.__pg.state.losses.length === 0');
    await waitFor(page, 'document.querySelectorAll("#filters canvas").length > 0');
    await train(page, 20);
    const ms = await state(page);
    expect(mean(ms.losses.slice(-4))).toBeLessThan(mean(ms.losses.slice(0, 4)));
    console.info(`playground ${backend}: MNIST CNN loss ${mean(ms.losses.slice(0, 4)).toFixed(3)} -> ${mean(ms.losses.slice(-4)).toFixed(3)} in ${ms.losses.length} steps`);
    expect(await page.$$eval('#filters canvas', (c) => c.length)).toBe(8);
    expect(await countPixels(page, '#maps canvas:nth-child(2)', null)).toBeGreaterThan(50);
    await page.evaluate(() => ((window as unknown as { __pg: { state: PgState } }).__pg.state.trace = null));
    await page.click('#inspectBtn');
    await waitFor(page, 'window.__pg.state.trace');
    const ct = (await state(page)).trace!.trace;
    const ops = (p: string) => ct.kernels.filter((k) => k.phase === p).map((k) => k.op);
    expect(ops('forward')).toEqual(expect.arrayContaining(['fusedConv2d', 'maxPool', 'fusedMatMul']));
    expect(ops('backward')).toEqual(expect.arrayContaining(['conv2dBackpropFilter', 'maxPoolGrad', 'matMul']));
    await shot(page, backend, 'visual', 'visual-cnn');
    await page.click(`.graph .op[data-index="${ct.kernels.findIndex((k) => k.op === 'fusedConv2d')}"]`);
    expect(sg.kernels.source('fusedConv2d')).toContain((await page.$eval('#opSource', (e) => e.textContent ?? '')).trim());
    await shot(page, backend, 'inspect', 'inspect-conv');

    // --- CO2 series with the stacked-LSTM preset: a few steps, gates drawn ---
    await page.select('#data', 'co2');
    await waitFor(page, 'window.__pg.state.configured >= 3 && window.__pg.state.losses.length === 0');
    for (let k = 0; k < 3; k++) await page.click('#step');
    await waitFor(page, 'window.__pg.state.step >= 3 && document.querySelectorAll("#gates canvas").length === 4');
    expect((await state(page)).losses.every(Number.isFinite)).toBe(true);
    expect(await countPixels(page, '#gates canvas:nth-of-type(2)', null)).toBeGreaterThan(20);
    await shot(page, backend, 'visual', 'visual-lstm');

    // --- the ledger while a model is loaded: its weights, optimizer slots and data, by op ---
    await page.click('#stacks');
    await page.click('#ledgerBtn');
    await waitFor(page, 'window.__pg.state.ledger');
    const live = (await state(page)).ledger!;
    expect(live.ledger.numTensors).toBeGreaterThan(4);
    expect(live.ledger.numBytes).toBeGreaterThan(0);
    await page.evaluate(() => ((document.querySelector('#ledgerPanel details') as HTMLDetailsElement).open = true));
    await shot(page, backend, 'ledgerPanel', 'ledger-live');

    // --- leak check of one LSTM training step: nothing left behind ---
    await page.click('#leakBtn');
    await waitFor(page, 'window.__pg.state.leaks');
    const leaks = (await page.evaluate(() => (window as unknown as { __pg: { state: { leaks: { report: { ok: boolean; leaked: unknown[] } } } } }).__pg.state.leaks.report));
    expect(leaks.leaked).toEqual([]);
    expect(leaks.ok).toBe(true);

    // --- reset: the ledger is empty ---
    await page.evaluate(() => ((window as unknown as { __pg: { state: PgState } }).__pg.state.ledger = null));
    await page.click('#reset');
    await waitFor(page, 'window.__pg.state.ledger');
    const led = (await state(page)).ledger!;
    expect(led.ledger.numTensors, JSON.stringify((led.ledger as unknown as { tensors: unknown[] }).tensors.slice(0, 12))).toBe(0);
    expect(led.ledger.numBytes).toBe(0);
    expect(led.memory.numTensors).toBe(0);
    await shot(page, backend, 'ledgerPanel');

    expect((await state(page)).errors).toEqual([]);
    expect(log).toEqual([]);
    await page.close();
  }, 180_000);

  test('embedding example: trains in a worker, saves to indexeddb://, reloads and predicts', async () => {
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('pageerror', (e) => log.push((e as Error).message));
    page.on('console', (m) => {
      if (m.type() === 'error') log.push(m.text());
    });
    await page.goto(`${base}/embed/?epochs=15`);
    await page.click('#train');
    await waitFor(page, 'window.__embed.done');
    const msgs = (await page.evaluate(() => (window as unknown as { __embed: { messages: { type: string; url?: string; accuracy?: number; loss?: number }[] } }).__embed.messages));
    expect(msgs.filter((m) => m.type === 'error')).toEqual([]);
    const epochs = msgs.filter((m) => m.type === 'epoch');
    expect(epochs.length).toBe(15);
    expect(epochs[14].loss!).toBeLessThan(epochs[0].loss!);
    expect(msgs.find((m) => m.type === 'saved')?.url).toBe('indexeddb://embed-demo');
    expect(msgs.find((m) => m.type === 'predicted')!.accuracy!).toBeGreaterThan(0.8);
    expect(log).toEqual([]);
    await page.close();
  }, 60_000);
});

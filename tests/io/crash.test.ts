/**
 * Crash safety of file:// saves: a child process saves two models
 * alternately into one directory and is SIGKILLed at seeded random moments.
 * After every kill the directory loads, and predicts exactly what one of the
 * two models predicts; leftovers of the killed save (a temp model.json, an
 * unreferenced weights file) never pile up and the next save removes them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';
import * as sg from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'sg-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function rng(seed: number): () => number {
  const r = new sg.Rng(seed);
  return () => r.next();
}

const X = Array.from({ length: 2 * 400 }, (_, i) => Math.sin(i));

async function predict(m: sg.LayersModel): Promise<number[]> {
  const x = sg.tensor(X, [2, 400]);
  const y = m.predict(x) as sg.Tensor;
  const v = Array.from(await y.data());
  sg.dispose([x, y]);
  return v;
}

/** Runs the child until it prints 'ready', waits `delayMs`, SIGKILLs it and waits for its exit. */
function runAndKill(bundle: string, args: string[], delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    let killed = false;
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (!killed && out.includes('ready\n')) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the save loop exited by itself (code ${code}): ${err}`))));
  });
}

test('SIGKILL at random moments of a save: the directory always holds one complete model', async () => {
  await sg.setBackend('cpu');
  const here = fileURLToPath(new URL('.', import.meta.url));
  const bundle = join(root, 'save_loop.mjs');
  await build({ entryPoints: [join(here, 'save_loop_child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'es2022', outfile: bundle, logLevel: 'error' });
  // Two models of 400·1000 weights (1.6 MB) each, so that a kill often lands inside a write; their
  // output activations differ, so a model.json of one with the weights of the other predicts neither.
  const make = (activation: 'linear' | 'sigmoid') => sg.sequential({ layers: [sg.layers.dense({ units: 1000, inputShape: [400], useBias: false }), sg.layers.dense({ units: 1, activation })] });
  const [a, b] = [make('linear'), make('sigmoid')];
  const [pa, pb] = [await predict(a), await predict(b)];
  expect(pa).not.toEqual(pb);
  const [dirA, dirB, target] = ['a', 'b', 'target'].map((d) => join(root, d));
  await a.save(`file://${dirA}`);
  await b.save(`file://${dirB}`);
  await a.save(`file://${target}`);
  a.dispose();
  b.dispose();
  const r = rng(42);
  const seen = { a: 0, b: 0 };
  let maxExtra = 0;
  const TRIALS = 24;
  for (let t = 0; t < TRIALS; t++) {
    const delay = Math.floor(r() * 60);
    await runAndKill(bundle, [target, dirA, dirB], delay);
    const before = sg.memory().numTensors;
    const m = await sg.loadLayersModel(`file://${target}`).catch((e: Error) => {
      throw new Error(`trial ${t} (killed ${delay} ms after ready): the directory does not load: ${e.message}`);
    });
    const p = await predict(m);
    m.dispose();
    expect(sg.memory().numTensors).toBe(before);
    if (p.every((v, i) => v === pa[i])) seen.a++;
    else if (p.every((v, i) => v === pb[i])) seen.b++;
    else throw new Error(`trial ${t}: the loaded model predicts neither the first nor the second model`);
    const weights = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    const extra = readdirSync(target).filter((f) => f !== 'model.json' && f !== weights);
    // At most what one killed save leaves: its temp model.json, its new weights file, the old weights file it had not yet removed.
    expect(extra.length, `trial ${t}: ${extra.join(', ')}`).toBeLessThanOrEqual(3);
    maxExtra = Math.max(maxExtra, extra.length);
  }
  // Kills landed both before and after commits (both models were found), and a clean save removes every leftover.
  expect(seen.a).toBeGreaterThan(0);
  expect(seen.b).toBeGreaterThan(0);
  const m = await sg.loadLayersModel(`file://${target}`);
  await m.save(`file://${target}`);
  m.dispose();
  const weights = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
  expect(readdirSync(target).sort()).toEqual(['model.json', weights].sort());
}, 60_000);

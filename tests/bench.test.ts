/**
 * The bench harness works (not a timing test: nothing here asserts a speed).
 * benchmark.js times a deferred case for both libraries and the table shows
 * the ratio; a case that throws is reported, not timed.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { makeCases } from '../bench/cases.js';
import { MAX_RUNS, MIN_RUNS, measure, median, table } from '../bench/measure.js';
import * as sg from '../src/index.js';

test('bench: benchmark.js times both libraries on the same case and the table gives the ratio', async () => {
  await sg.setBackend('cpu');
  await tf.setBackend('cpu');
  const before = sg.memory().numTensors;
  const rows = await measure('cpu (Node)', makeCases(sg, tf, { only: ['matMul 128'] }), 0.05);
  expect(rows.map((r) => r.name)).toEqual(['matMul 128']);
  const [r] = rows;
  expect(r.error).toBeUndefined();
  for (const v of [r.sgMs, r.tfMs, r.sgRme, r.tfRme]) expect(Number.isFinite(v) && v >= 0).toBe(true);
  expect(sg.memory().numTensors).toBe(before);
  const t = table(rows);
  expect(t).toContain('| cpu (Node) | matMul 128 |');
  expect(t).toContain((r.sgMs / r.tfMs).toFixed(2));
}, 60_000);

test('bench: a case that throws is reported with its library, not timed', async () => {
  const rows = await measure('cpu (Node)', [
    { name: 'broken', flops: 1, sg: () => Promise.reject(new Error('no kernel')), tf: () => Promise.resolve(), dispose: () => {} },
  ], 0.05);
  expect(rows[0].error).toBe('shadergrad: no kernel');
  expect(Number.isNaN(rows[0].sgMs)).toBe(true);
  expect(Number.isFinite(rows[0].tfMs)).toBe(true);
  expect(table(rows)).toContain('- cpu (Node) broken: shadergrad: no kernel');
}, 60_000);

test('bench: fit cases run the libraries alternately after a warm-up each; median and min per library, ratio from the medians', async () => {
  const order: string[] = [];
  const fit = (lib: string) => async () => {
    order.push(lib);
    await new Promise((r) => setTimeout(r, 1));
  };
  const rows = await measure('cpu (Node)', [{ name: 'fit', flops: 0, samples: 32, sg: fit('sg'), tf: fit('tf'), dispose: () => {} }], 0.05);
  const [r] = rows;
  expect(r.error).toBeUndefined();
  expect(r.runs).toBeGreaterThanOrEqual(MIN_RUNS);
  expect(r.runs).toBeLessThanOrEqual(MAX_RUNS);
  // One warm-up each, then the timed rounds: sg, tf, sg, tf, …
  expect(order).toEqual(Array.from({ length: 2 * (r.runs! + 1) }, (_, i) => (i % 2 ? 'tf' : 'sg')));
  for (const [med, min] of [[r.sgMs, r.sgMin!], [r.tfMs, r.tfMin!]]) {
    expect(Number.isFinite(min) && min > 0).toBe(true);
    expect(med).toBeGreaterThanOrEqual(min);
  }
  const t = table(rows);
  expect(t).toMatch(/median of alternating runs/);
  expect(t).toContain(`| ${r.sgMs.toFixed(2)} (min ${r.sgMin!.toFixed(2)}, ${r.runs} runs) | ${r.tfMs.toFixed(2)} (min ${r.tfMin!.toFixed(2)}, ${r.runs} runs) |`);
  expect(t).toContain(`samples/s | ${(r.sgMs / r.tfMs).toFixed(2)} |`);
  expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, NaN]);
  // --fit-runs N: exactly N rounds when the time budget (here 0 s) is already spent.
  for (const n of [1, 4]) {
    order.length = 0;
    const [q] = await measure('cpu (Node)', [{ name: 'fit', flops: 0, samples: 32, sg: fit('sg'), tf: fit('tf'), dispose: () => {} }], 0, undefined, n);
    expect([q.runs, order.length]).toEqual([n, 2 * (n + 1)]);
  }

  // A library that fails a fit case is reported; the other keeps its runs.
  const failing = await measure('cpu (Node)', [{ name: 'fit', flops: 0, samples: 32, sg: fit('sg'), tf: () => Promise.reject(new Error('no kernel')), dispose: () => {} }], 0.05);
  expect(failing[0].error).toBe('tfjs: no kernel');
  expect(Number.isNaN(failing[0].tfMs)).toBe(true);
  expect(failing[0].runs).toBeGreaterThanOrEqual(MIN_RUNS);
  expect(Number.isFinite(failing[0].sgMs)).toBe(true);
}, 60_000);

/**
 * `npm run bench -- --help` prints usage (one line per flag bench/run.ts declares) and exits 0;
 * an unknown or malformed flag exits 2 naming it. Flags are read before TensorFlow.js loads, so
 * neither loads it (its Node greeting would show on stdout) nor times anything.
 */
test('bench: --help lists every flag and exits 0; an unknown or malformed flag exits 2 naming it; no bench runs', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/run.mjs', 'bench/run.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  const declared = [...readFileSync('bench/run.ts', 'utf8').matchAll(/\{ name: '([a-z-]+)', kind: /g)].map((m) => m[1]);
  expect(declared.length).toBeGreaterThanOrEqual(7);
  const help = run('--help');
  expect(help.status, help.stderr).toBe(0);
  expect(help.stdout).toMatch(/^usage: node scripts\/run\.mjs bench\/run\.ts \[options\]/);
  for (const name of [...declared, 'help']) expect(help.stdout.split('\n').filter((l) => l.startsWith(`  --${name} `)), name).toHaveLength(1);
  expect(help.stdout).not.toMatch(/TensorFlow\.js in Node|\| backend \|/);

  const unknown = run('--skip-gpu');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/^bench\/run\.ts: unknown flag '--skip-gpu' \(did you mean '--skip-cpu'\?\)\n/);
  const malformed = run('--skip-cpu', '--threads=two');
  expect(malformed.status).toBe(2);
  expect(malformed.stderr).toMatch(/^bench\/run\.ts: --threads must be a non-negative integer, got 'two'\n/);
  for (const r of [unknown, malformed]) expect(r.stdout).toBe('');
}, 60_000);

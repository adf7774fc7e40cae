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
import { measure, table } from '../bench/measure.js';
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

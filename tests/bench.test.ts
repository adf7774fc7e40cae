/**
 * The bench harness works (not a timing test: nothing here asserts a speed).
 * benchmark.js times a deferred case for both libraries and the table shows
 * the ratio; a case that throws is reported, not timed.
 */
import * as tf from '@tensorflow/tfjs';
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

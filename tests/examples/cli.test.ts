/** The examples' and demo's command line: --help, both value spellings, unknown flags rejected. */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { fmt, parseArgs, usage } from '../../examples/common.js';

test('--epochs=3 and --epochs 3 mean the same; flags combine', () => {
  expect(parseArgs(['--epochs=3'])).toEqual(parseArgs(['--epochs', '3']));
  expect(parseArgs(['--epochs', '3', '--smoke', '--seed', '7', '--backend=cpu', '--quiet'])).toEqual({ epochs: 3, smoke: true, seed: 7, backend: 'cpu', verbose: 0 });
  expect(parseArgs(['--help']).help).toBe(true);
});

test('unknown flags, missing or bad values and stray arguments are errors naming them', () => {
  expect(() => parseArgs(['--epoch=3'])).toThrow(/^unknown flag '--epoch' \(did you mean '--epochs'\?\)$/);
  expect(() => parseArgs(['--epochs'])).toThrow(/^--epochs needs a value \(N\)$/);
  expect(() => parseArgs(['--epochs', 'x'])).toThrow(/^--epochs must be a non-negative integer, got 'x'$/);
  expect(() => parseArgs(['--smoke=1'])).toThrow(/^--smoke takes no value/);
  expect(() => parseArgs(['3'])).toThrow(/^unexpected argument '3'$/);
});

test('usage lists every flag; integers print as integers', () => {
  const u = usage('examples/demo.ts');
  for (const f of ['--smoke', '--epochs N', '--backend NAME', '--seed N', '--save URL', '--quiet', '--help']) expect(u).toContain(f);
  expect([fmt(60554), fmt(1), fmt(0.12345), fmt(12.3456)]).toEqual(['60554', '1', '0.1235', '12.346']);
});

test('the demo answers --help with usage and exit 0, and a typo with exit 2, without training', () => {
  const help = spawnSync(process.execPath, ['scripts/run.mjs', 'examples/demo.ts', '--help'], { encoding: 'utf8', timeout: 60_000 });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: node scripts\/run\.mjs examples\/demo\.ts \[options\]/);
  const bad = spawnSync(process.execPath, ['scripts/run.mjs', 'examples/regression.ts', '--epoch=3'], { encoding: 'utf8', timeout: 60_000 });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^examples\/regression\.ts: unknown flag '--epoch' \(did you mean '--epochs'\?\)/);
}, 60_000);

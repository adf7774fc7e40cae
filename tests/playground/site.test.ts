/**
 * The playground's build-time pieces and data, in Node: the gradient rules
 * shown on the page cover every differentiable op with its derivative comment,
 * the bundled MNIST subset decodes to the `mnist` package's digits, the CO2
 * series matches vega-datasets, and the toy sets are balanced and bounded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { gradRules as table } from '../../src/autograd/grads/index.js';
import { co2Set, mnistSet, toySet } from '../../playground/data.js';

// @ts-expect-error plain .mjs build script without types
const site = (await import('../../scripts/build_site.mjs')) as { gradRules(): Record<string, string>; mnistBin(): Uint8Array; co2(): number[]; MNIST_PER_DIGIT: number };
const require = createRequire(import.meta.url);

test('every differentiable op has its gradient rule with a derivative comment; no nondiff op has one', () => {
  const rules = site.gradRules();
  const diff = Object.entries(table).filter(([, r]) => r !== 'nondiff').map(([k]) => k);
  expect(Object.keys(rules).sort()).toEqual(diff.sort());
  for (const op of diff) {
    expect(rules[op], op).toMatch(/^\/\/ /);
    expect(rules[op], op).toContain(`${op}: `);
  }
});

/** Serves bytes to the data loaders through a stubbed fetch. */
async function withFetch<T>(files: Record<string, Uint8Array | string>, fn: () => Promise<T>): Promise<T> {
  const orig = globalThis.fetch;
  globalThis.fetch = (async (u: URL | string) => {
    const name = String(u).replace('http://x/', '');
    const body = files[name];
    return body === undefined ? new Response('', { status: 404 }) : new Response(body as BodyInit);
  }) as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = orig;
  }
}

test('the MNIST subset decodes to the mnist package digits, every class in train and validation', async () => {
  const bin = site.mnistBin();
  const d = await withFetch({ 'data/mnist.bin': bin }, () => mnistSet('http://x/'));
  const n = 10 * site.MNIST_PER_DIGIT;
  expect(d.yTrain.length + d.yVal.length).toBe(n);
  expect(d.xTrain.length).toBe(d.yTrain.length * 784);
  for (const ys of [d.yTrain, d.yVal]) expect(new Set(ys).size).toBe(10);
  // Image 0 equals one of the package's images of its label (to 1/255 rounding).
  const label = d.yTrain[0];
  const raw = JSON.parse(readFileSync(join(dirname(require.resolve('mnist/package.json')), `src/digits/${label}.json`), 'utf8')).data as number[];
  const img = d.xTrain.subarray(0, 784);
  let found = false;
  for (let k = 0; k < site.MNIST_PER_DIGIT && !found; k++) found = raw.slice(k * 784, (k + 1) * 784).every((v, p) => Math.abs(v - img[p]) <= 0.5 / 255 + 1e-6);
  expect(found).toBe(true);
  await expect(withFetch({}, () => mnistSet('http://x/'))).rejects.toThrow(/mnist: fetching data\/mnist.bin failed \(404\)/);
});

test('the CO2 windows come from vega-datasets and predict the next month', async () => {
  const values = site.co2();
  const csv = readFileSync(join(dirname(dirname(require.resolve('vega-datasets'))), 'data/co2-concentration.csv'), 'utf8').trim().split('\n');
  expect(values.length).toBe(csv.length - 1);
  expect(values[0]).toBe(Number(csv[1].split(',')[1]));
  const d = await withFetch({ 'data/co2.json': JSON.stringify(values) }, () => co2Set('http://x/', 12));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  expect(d.xTrain[12]).toBeCloseTo((values[1] - lo) / (hi - lo), 6); // window 1 starts at month 1
  expect(d.yTrain[0]).toBeCloseTo((values[12] - lo) / (hi - lo), 6);
  expect(d.yTrain.length + d.yVal.length).toBe(values.length - 12);
});

test.each(['spirals', 'moons', 'circles'] as const)('toy set %s: balanced labels, points within the drawn extent, reproducible', (name) => {
  const a = toySet(name);
  const b = toySet(name);
  expect(a.xTrain).toEqual(b.xTrain);
  expect(a.yTrain.filter((y) => y === 1).length).toBe(a.yTrain.length / 2);
  expect(Math.max(...a.xTrain.map(Math.abs))).toBeLessThan(1.5);
  expect(a.xVal).not.toEqual(a.xTrain.subarray(0, a.xVal.length));
});

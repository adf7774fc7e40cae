/**
 * docs/API_EXTENSIONS.md lists every public export that the API contract
 * (the project's API.md, kept outside this repository) does not name. This
 * test walks the runtime exports of src/index.ts and its namespaces (type-only
 * exports are invisible at runtime and not checked) and fails on any export
 * that is neither one of the contract's names below nor a row of the doc, so
 * a new export cannot go undocumented. It also fails on a doc row naming an
 * export that no longer exists.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as sg from '../../src/index.js';

/** The runtime exports API.md names (with the meaning it gives them). */
const CONTRACT = new Set(
  `grad grads valueAndGrad valueAndGrads noGrad getBackend tidy variable tensor zeros ones fill randomNormal randomUniform
  add sub mul div neg exp log sqrt square abs pow maximum minimum relu sigmoid tanh softmax logSoftmax matMul transpose
  reshape concat slice stack sum mean max min argMax conv1d conv2d maxPool avgPool oneHot gather clipByValue where equal
  notEqual greater greaterEqual less lessEqual logicalAnd logicalOr logicalNot sequential input model loadLayersModel
  History callbacks.History callbacks.earlyStopping layers.dense layers.conv1d layers.conv2d layers.maxPooling1d
  layers.maxPooling2d layers.averagePooling2d layers.globalAveragePooling1d layers.globalMaxPooling1d
  layers.globalAveragePooling2d layers.flatten layers.dropout layers.simpleRNN layers.lstm layers.gru layers.bidirectional
  layers.embedding layers.concatenate layers.reshape layers.batchNormalization regularizers.l1 regularizers.l2
  regularizers.l1l2 optimizers.sgd optimizers.adam optimizers.rmsprop data.minMaxScaler data.standardScaler
  data.trainTestSplit data.timeseriesWindows data.oneHot tuner.randomSearch kernels.source kernels.bindings`.split(/\s+/),
);

const isNamespace = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module';

function runtimeExports(ns: Record<string, unknown>, prefix = ''): string[] {
  return Object.keys(ns).flatMap((k) => (isNamespace(ns[k]) ? runtimeExports(ns[k], `${prefix}${k}.`) : [`${prefix}${k}`]));
}

const doc = readFileSync(new URL('../../docs/API_EXTENSIONS.md', import.meta.url), 'utf8');
const rows = new Set([...doc.matchAll(/^\| `sg\.([\w.]+)` \|/gm)].map((m) => m[1]));

test('every runtime export is in the contract or in docs/API_EXTENSIONS.md', () => {
  const names = runtimeExports(sg as unknown as Record<string, unknown>);
  expect(names.length).toBeGreaterThan(200);
  expect(names.filter((n) => !CONTRACT.has(n) && !rows.has(n))).toEqual([]);
});

test('every sg.* row of docs/API_EXTENSIONS.md names an export', () => {
  const resolve = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], sg);
  // Type-only exports (interfaces, type aliases) have rows but no runtime value: their rows start with `interface` or `type`.
  const typeRows = new Set([...doc.matchAll(/^\| `sg\.([\w.]+)` \| `(?:interface|type) /gm)].map((m) => m[1]));
  expect([...rows].filter((n) => !typeRows.has(n) && resolve(n) === undefined)).toEqual([]);
});

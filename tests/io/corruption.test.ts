/**
 * Seeded corruption of saved models: thousands of edits of model.json
 * (numbers, types, removed/duplicated/renamed fields, truncated or garbled
 * text) and of the weights file (truncated, extended, flipped bytes, zeroed,
 * missing). Each load either fails with a plain Error whose message starts
 * with `loadLayersModel` and allocates nothing, or loads a model that
 * predicts. With the checksums shadergrad writes, every load that succeeds
 * predicts exactly what the original did; with them removed (a file as
 * TensorFlow.js writes it) an edit may describe another valid model, which
 * must then load and predict without an internal error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'sg-corrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A seeded uniform generator in [0, 1) (the library's Rng). */
function rng(seed: number): () => number {
  const r = new sg.Rng(seed);
  return () => r.next();
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Model = { name: string; build: () => sg.LayersModel };

const models: Model[] = [
  {
    name: 'MLP',
    build: () => sg.sequential({ layers: [sg.layers.dense({ units: 6, inputShape: [3], activation: 'relu' }), sg.layers.dropout({ rate: 0.2 }), sg.layers.dense({ units: 2, activation: 'softmax' })] }),
  },
  {
    name: 'LSTM',
    build: () => sg.sequential({ layers: [sg.layers.lstm({ units: 3, inputShape: [4, 2] }), sg.layers.dense({ units: 1 })] }),
  },
  {
    name: 'functional conv1d + concatenate',
    build: () => {
      const a = sg.input({ shape: [5, 2], name: 'a' });
      const b = sg.input({ shape: [3], name: 'b' });
      const c = sg.layers.conv1d({ filters: 2, kernelSize: 2, activation: 'tanh' }).apply(a) as sg.SymbolicTensor;
      const f = sg.layers.flatten().apply(c) as sg.SymbolicTensor;
      const j = sg.layers.concatenate().apply([f, b]) as sg.SymbolicTensor;
      return sg.model({ inputs: [a, b], outputs: sg.layers.dense({ units: 2 }).apply(j) as sg.SymbolicTensor });
    },
  },
];

/** Inputs for a model's input shapes (null dims from `like`, the original's shapes); null when absurdly large. */
function inputsFor(m: sg.LayersModel, like: (number | null)[][], seed: number): sg.Tensor[] | null {
  const r = rng(seed);
  // One batch size for all inputs: a fixed one if the (edited) model has one.
  const batch = m.inputs.map((t) => t.shape[0]).find((d) => d !== null) ?? 4;
  const shapes = m.inputs.map((t, i) => t.shape.map((d, k) => (k === 0 ? batch : d === null ? (like[i]?.[k] ?? 2) : d)) as number[]);
  if (shapes.some((s) => s.reduce((a, b) => a * b, 1) > 1e5)) return null;
  return shapes.map((s) => sg.tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1), s));
}

async function predictValues(m: sg.LayersModel, like: (number | null)[][]): Promise<number[] | null> {
  const xs = inputsFor(m, like, 5);
  if (!xs) return null;
  const y = m.predict(xs.length === 1 ? xs[0] : xs);
  const ys = Array.isArray(y) ? y : [y];
  const out = (await Promise.all(ys.map((t) => t.data()))).flatMap((d) => Array.from(d));
  sg.dispose([...xs, ...ys]);
  return out;
}

type Node = { parent: Json[] | { [k: string]: Json }; key: string | number; value: Json; path: string };

/** Every node of a JSON tree with its parent, key and path. */
function nodes(j: Json): Node[] {
  const out: Node[] = [];
  const walk = (v: Json, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i, value: x, path: `${path}[${i}]` }), walk(x, `${path}[${i}]`)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push({ parent: v, key: k, value: x, path: `${path}.${k}` }), walk(x, `${path}.${k}`));
  };
  walk(j, '');
  return out;
}

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** One seeded edit of model.json's parsed tree, or of its text. Returns the new text and what was done. */
function editJson(text: string, r: () => number): [string, string] {
  if (r() < 0.15) {
    const i = Math.floor(r() * text.length);
    switch (pick(r, ['truncate', 'char', 'insert', 'delete', 'empty'] as const)) {
      case 'truncate':
        return [text.slice(0, i), `text truncated at ${i}`];
      case 'char':
        return [text.slice(0, i) + String.fromCharCode(32 + Math.floor(r() * 95)) + text.slice(i + 1), `char ${i} replaced`];
      case 'insert':
        return [text.slice(0, i) + pick(r, ['{', '}', ',', '"', '[', '0', ' ']) + text.slice(i), `char inserted at ${i}`];
      case 'delete':
        return [text.slice(0, i) + text.slice(i + 1), `char ${i} deleted`];
      default:
        return ['', 'empty file'];
    }
  }
  const j = JSON.parse(text) as Json;
  const all = nodes(j);
  const n = pick(r, all);
  const set = (v: Json | undefined, what: string): [string, string] => {
    if (v === undefined) {
      if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
      else delete n.parent[n.key as string];
    } else (n.parent as Record<string | number, Json>)[n.key] = v;
    return [JSON.stringify(j), `${n.path}: ${what}`];
  };
  const v = n.value;
  if (r() < 0.12) return set(undefined, 'removed');
  if (typeof v === 'number') {
    const to = pick(r, [0, -1, 1, 1e9, 0.5, -0.5, 2 ** 31, 1e300, -1e300, null, '7', true, v + 1, v - 1, v * 2, [v]] as Json[]);
    return set(to, `number ${v} → ${JSON.stringify(to)}`);
  }
  if (typeof v === 'string') {
    const to = pick(r, ['', 'zzz', 'relu_x', null, 7, false, [], {}, `${v}x`, v.slice(0, -1), v.toUpperCase()] as Json[]);
    return set(to, `string '${v}' → ${JSON.stringify(to)}`);
  }
  if (typeof v === 'boolean') {
    const to = pick(r, [!v, 'true', 0, 1, null] as Json[]);
    return set(to, `boolean ${v} → ${JSON.stringify(to)}`);
  }
  if (v === null) {
    const to = pick(r, [0, 1, -3, 'x', {}, [], true] as Json[]);
    return set(to, `null → ${JSON.stringify(to)}`);
  }
  if (Array.isArray(v)) {
    const c = [...v];
    const i = Math.floor(r() * Math.max(1, c.length));
    switch (pick(r, ['drop', 'dup', 'empty', 'reverse', 'object', 'push'] as const)) {
      case 'drop':
        c.splice(i, 1);
        return set(c, `array element ${i} removed`);
      case 'dup':
        if (c.length) c.splice(i, 0, structuredClone(c[i]));
        return set(c, `array element ${i} duplicated`);
      case 'empty':
        return set([], 'array emptied');
      case 'reverse':
        return set(c.reverse(), 'array reversed');
      case 'object':
        return set({}, 'array → {}');
      default:
        c.push(pick(r, [0, 'x', null, {}] as Json[]));
        return set(c, 'array element appended');
    }
  }
  const o = { ...(v as Record<string, Json>) };
  const keys = Object.keys(o);
  const k = keys.length ? pick(r, keys) : 'none';
  switch (pick(r, ['drop', 'copy', 'rename', 'array', 'empty'] as const)) {
    case 'drop':
      delete o[k];
      return set(o, `key '${k}' removed`);
    case 'copy': {
      const k2 = keys.length ? pick(r, keys) : 'none';
      o[k2] = structuredClone(o[k] ?? null);
      return set(o, `key '${k2}' ← value of '${k}'`);
    }
    case 'rename':
      o[`${k}_`] = o[k] ?? null;
      delete o[k];
      return set(o, `key '${k}' renamed`);
    case 'array':
      return set([], 'object → []');
    default:
      return set({}, 'object emptied');
  }
}

/** One seeded edit of the weights bytes (null: delete the file). */
function editWeights(bin: Buffer, r: () => number): [Buffer | null, string] {
  switch (pick(r, ['truncate', 'extend', 'flip', 'flip', 'zero', 'missing'] as const)) {
    case 'truncate': {
      const n = Math.floor(r() * bin.length);
      return [bin.subarray(0, n), `truncated to ${n} bytes`];
    }
    case 'extend': {
      const extra = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256)));
      return [Buffer.concat([bin, extra]), `${extra.length} bytes appended`];
    }
    case 'flip': {
      const b = Buffer.from(bin);
      const flips = 1 + Math.floor(r() * 3);
      for (let f = 0; f < flips; f++) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      return [b, `${flips} bit(s) flipped`];
    }
    case 'zero':
      return [Buffer.alloc(bin.length), 'zeroed'];
    default:
      return [null, 'weights file deleted'];
  }
}

const TRIALS = 400; // per model and variant: 3 models × 2 variants × 400 = 2400 loads

describe('seeded corruption of saved models', () => {
  for (const [mi, spec] of models.entries()) {
    for (const checksums of [true, false]) {
      test(`${spec.name}, ${checksums ? 'with shadergrad checksums' : 'checksums removed (as tfjs writes)'}: rejected cleanly or loads and predicts`, async () => {
        await sg.setBackend('cpu');
        const dir = join(root, `m${mi}-${checksums}`);
        const m = spec.build();
        await m.save(`file://${dir}`);
        const like = m.inputs.map((t) => [...t.shape]);
        const want = (await predictValues(m, like))!;
        m.dispose();
        const json0 = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
        if (!checksums) {
          delete json0.weightsChecksum;
          delete json0.modelChecksum;
        }
        const text0 = JSON.stringify(json0);
        const wname = json0.weightsManifest[0].paths[0] as string;
        const bin0 = readFileSync(join(dir, wname));
        const r = rng(1000 + mi * 10 + (checksums ? 1 : 0));
        const counts = { rejected: 0, same: 0, different: 0, skipped: 0 };
        const before = sg.memory();
        for (let t = 0; t < TRIALS; t++) {
          let text = text0;
          let bin: Buffer | null = bin0;
          let what: string;
          if (r() < 0.7) [text, what] = editJson(text0, r);
          else [bin, what] = editWeights(bin0, r);
          writeFileSync(join(dir, 'model.json'), text);
          if (bin) writeFileSync(join(dir, wname), bin);
          else unlinkSync(join(dir, wname));
          const where = `trial ${t} (${what})`;
          let loaded: sg.LayersModel | null = null;
          try {
            loaded = await sg.loadLayersModel(`file://${dir}/model.json`);
          } catch (e) {
            if (!(e instanceof Error) || e.constructor !== Error || !e.message.startsWith('loadLayersModel')) {
              throw new Error(`${where}: expected a plain Error starting with loadLayersModel, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? e}`);
            }
            const after = sg.memory();
            if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) throw new Error(`${where}: a failed load left ${after.numTensors - before.numTensors} tensor(s), ${after.numBytes - before.numBytes} bytes`);
            counts.rejected++;
          }
          if (loaded) {
            let got: number[] | null;
            try {
              got = await predictValues(loaded, like);
            } catch (e) {
              throw new Error(`${where}: loaded, then predict failed: ${(e as Error).message}`);
            } finally {
              loaded.dispose();
            }
            if (got === null) counts.skipped++;
            else if (got.length === want.length && got.every((x, i) => x === want[i])) counts.same++;
            else if (checksums) throw new Error(`${where}: loaded despite the checksums and predicts differently`);
            else counts.different++;
            expect(sg.memory().numTensors).toBe(before.numTensors);
          }
          if (!bin) writeFileSync(join(dir, wname), bin0);
        }
        expect(counts.rejected + counts.same + counts.different + counts.skipped).toBe(TRIALS);
        // Most edits break the file; some (metadata, unused options) are harmless.
        expect(counts.rejected).toBeGreaterThan(TRIALS / 2);
        expect(counts.same).toBeGreaterThan(0);
        if (checksums) expect(counts.different).toBe(0);
      });
    }
  }
});

/**
 * Seeded fuzz over every public op (issue 10, "no silent wrong answer").
 *
 * Each call draws its op and arguments from a generator seeded by (seed, call
 * number): random shapes (rank 0–5, zero-size dims), dtypes, special values,
 * and, with some probability, a wrong argument (a string, an object, a
 * tensor where a number belongs, an out-of-range axis or index, a huge size).
 * Every call must either return well-formed tensors or throw a plain `Error`
 * whose message starts with the op's name: no TypeError, no hang, no leaked
 * tensor. On WebGPU the same calls (regenerated from the same seeds) must
 * throw too, or agree with the CPU within tolerance, NaN/±Inf positions
 * included.
 *
 * SG_FUZZ_SEED and SG_FUZZ_CALLS / SG_FUZZ_GPU_CALLS override the seed and the
 * call counts; a failure message names the seed, the call number and the
 * arguments.
 */
import { describe, expect, test } from 'vitest';
import * as sg from '../../src/index.js';
import * as ops from '../../src/tensor/ops/index.js';
import { onBackend } from '../helpers/backends.js';
import type { Args } from './op_gens.js';
import { GENS, OP_NAMES, callOf } from './op_gens.js';

const SEED = Number(process.env.SG_FUZZ_SEED ?? 20261125);
const CPU_CALLS = Number(process.env.SG_FUZZ_CALLS ?? 20000);
const GPU_CALLS = Number(process.env.SG_FUZZ_GPU_CALLS ?? 4000);
const hasGpu = Boolean((globalThis as { __SG_WEBGPU__?: boolean }).__SG_WEBGPU__);
/** A call slower than this counts as a hang (generous: the machine is shared). */
const SLOW_MS = 5000;

/**
 * THE EXCLUSION LIST. Ops whose CPU and WebGPU results disagree on special
 * values because of WGSL shaders this branch may not edit: branch a1 is fixing
 * NaN/Inf in the elementwise and reduce shaders; the fused, conv and pool
 * entries are listed for whoever fixes those next. For these ops only, values
 * are not compared when an input holds NaN/±Inf (or |x| >= 1e6), and positions
 * where either backend gives a non-finite value are skipped; shapes, dtypes,
 * throw-or-not and finite values are still compared. Remove an entry once its
 * shader is fixed (the reason says what to fix).
 */
const SPECIAL_VALUE_TOLERANT: Readonly<Record<string, string>> = {
};

/** Exported op functions the fuzz does not call, each with the reason. */
const NOT_FUZZED: Readonly<Record<string, string>> = {
  conv2dBackpropInput: '@internal gradient kernel: autograd calls it with shapes it computed itself',
  conv2dBackpropFilter: '@internal gradient kernel: autograd calls it with shapes it computed itself',
  maxPoolGrad: '@internal gradient kernel: autograd calls it with shapes it computed itself',
  avgPoolGrad: '@internal gradient kernel: autograd calls it with shapes it computed itself',
};

interface Out {
  shape: readonly number[];
  dtype: string;
  values: Float32Array | Int32Array | Uint8Array;
}
type Outcome = { threw: string } | { outs: Out[]; inputsSpecial: boolean };

/** The tensors in an op's result (a tensor, a list, or an object of them); throws when it is anything else. */
function resultTensors(op: string, r: unknown): sg.Tensor[] {
  if (r instanceof sg.Tensor) return [r];
  const vals = Array.isArray(r) ? r : r && typeof r === 'object' ? Object.values(r) : null;
  if (!vals || !vals.every((v) => v instanceof sg.Tensor)) throw new Error(`fuzz: ${op} returned ${String(r)}, not tensors`);
  return vals as sg.Tensor[];
}

/** Runs call i on the current backend; checks the error contract, well-formedness and leaks; returns what it gave. */
async function runCall(seed: number, i: number): Promise<{ op: string; outcome: Outcome; ms: number }> {
  const { op, gen } = callOf(seed, i);
  const where = `seed ${seed} call ${i} (${op} on ${sg.getBackend()})`;
  const before = sg.memory().numTensors;
  const fn = (ops as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
  let outcome: Outcome;
  let result: sg.Tensor[] = [];
  const t0 = performance.now();
  let args: Args = [];
  try {
    args = GENS[op](gen);
    result = resultTensors(op, fn(...args));
    const outs: Out[] = [];
    for (const t of result) {
      expect(t.isDisposed, where).toBe(false);
      expect(t.shape.every((d) => Number.isInteger(d) && d >= 0), `${where}: shape ${String(t.shape)}`).toBe(true);
      expect(['float32', 'int32', 'bool'], where).toContain(t.dtype);
      const values = (await t.data()) as Out['values'];
      expect(values.length, `${where}: ${values.length} values for shape [${t.shape.join(',')}]`).toBe(t.size);
      expect(values.constructor, where).toBe(t.dtype === 'float32' ? Float32Array : t.dtype === 'int32' ? Int32Array : Uint8Array);
      outs.push({ shape: [...t.shape], dtype: t.dtype, values });
    }
    outcome = { outs, inputsSpecial: hasSpecial(args) };
  } catch (e) {
    if ((e as Error)?.name === 'AssertionError') throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (!(e instanceof Error) || e.constructor !== Error) {
      throw new Error(`${where}: threw ${(e as Error)?.constructor?.name ?? typeof e} instead of Error: ${msg}\nargs: ${describeArgs(args)}`, { cause: e });
    }
    if (!msg.startsWith(`${op}:`)) throw new Error(`${where}: error does not start with '${op}:': ${msg}\nargs: ${describeArgs(args)}`, { cause: e });
    outcome = { threw: msg };
  }
  const ms = performance.now() - t0;
  sg.dispose(result);
  sg.dispose(gen.made);
  const after = sg.memory().numTensors;
  if (after !== before) throw new Error(`${where}: ${after - before} tensor(s) leaked\nargs: ${describeArgs(args)}`);
  return { op, outcome, ms };
}

/** A value float32 kernels need not agree on: NaN, ±Inf, or so large that transcendental functions lose all accuracy. */
const isSpecial = (x: number): boolean => !Number.isFinite(x) || Math.abs(x) >= 1e6;

/** Whether any number in the arguments (tensor values included; read synchronously, so CPU only) is special. */
function hasSpecial(args: Args): boolean {
  const seen = new Set<unknown>();
  const walk = (v: unknown): boolean => {
    if (typeof v === 'number') return isSpecial(v);
    if (v instanceof sg.Tensor) return !v.isDisposed && v.backend.name === 'cpu' && Array.from(v.dataSync()).some(isSpecial);
    if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      return Object.values(v).some(walk);
    }
    return false;
  };
  return args.some(walk);
}

function describeArgs(args: Args): string {
  return args
    .map((a) => {
      if (a instanceof sg.Tensor) return a.isDisposed ? 'disposed tensor' : `${a.dtype}[${a.shape.join(',')}]`;
      if (typeof a === 'symbol' || typeof a === 'bigint' || typeof a === 'function') return typeof a;
      try {
        return JSON.stringify(a, (_k, v) => (v instanceof sg.Tensor ? `${v.dtype}[${v.shape.join(',')}]` : typeof v === 'bigint' ? 'bigint' : v)) ?? String(a);
      } catch {
        return String(a);
      }
    })
    .join(', ');
}

/** Compares a WebGPU outcome with the CPU one: both throw, or equal shapes/dtypes and values within tolerance. */
function compareOutcomes(where: string, op: string, cpu: Outcome, gpu: Outcome): string | null {
  if ('threw' in cpu || 'threw' in gpu) {
    if ('threw' in cpu && 'threw' in gpu) return null;
    return `${where}: cpu ${'threw' in cpu ? `threw '${cpu.threw}'` : 'returned'}, webgpu ${'threw' in gpu ? `threw '${gpu.threw}'` : 'returned'}`;
  }
  if (cpu.outs.length !== gpu.outs.length) return `${where}: ${cpu.outs.length} vs ${gpu.outs.length} outputs`;
  // A tolerant op's values are compared only when its inputs are all finite, and then only where both outputs are.
  const tolerant = op in SPECIAL_VALUE_TOLERANT;
  for (let k = 0; k < cpu.outs.length; k++) {
    const a = cpu.outs[k];
    const b = gpu.outs[k];
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return `${where}: output ${k} is ${a.dtype}[${a.shape}] on cpu, ${b.dtype}[${b.shape}] on webgpu`;
    if (tolerant && cpu.inputsSpecial) continue;
    for (let j = 0; j < a.values.length; j++) {
      const x = a.values[j];
      const y = b.values[j];
      if (Object.is(x, y) || x === y) continue;
      if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) {
        if (tolerant) continue;
        return `${where}: output ${k}[${j}] is ${x} on cpu, ${y} on webgpu`;
      }
      if (a.dtype !== 'float32' || Math.abs(x - y) > 1e-3 + 1e-3 * Math.abs(x)) return `${where}: output ${k}[${j}] is ${x} on cpu, ${y} on webgpu`;
    }
  }
  return null;
}

test('the fuzz table covers every exported op function', () => {
  const exported = Object.keys(ops).filter((k) => typeof (ops as Record<string, unknown>)[k] === 'function');
  const missing = exported.filter((k) => !(k in GENS) && !(k in NOT_FUZZED));
  expect(missing, 'exported ops with no fuzz generator (add one to GENS, or a reason to NOT_FUZZED)').toEqual([]);
  expect(Object.keys(GENS).filter((k) => !exported.includes(k))).toEqual([]);
});

/** Outcomes of the calls WebGPU replays, recorded by the CPU run. */
const cpuOutcomes: Outcome[] = [];

test(`cpu: ${CPU_CALLS} seeded calls return well-formed tensors or throw Error('<op>: …'), with no leak or hang`, async () => {
  await onBackend('cpu', async () => {
    const perOp = new Map<string, { ok: number; threw: number }>();
    let slowest = { ms: 0, i: -1, op: '' };
    for (let i = 0; i < CPU_CALLS; i++) {
      const { op, outcome, ms } = await runCall(SEED, i);
      if (i < GPU_CALLS) cpuOutcomes[i] = outcome;
      const c = perOp.get(op) ?? { ok: 0, threw: 0 };
      if ('threw' in outcome) c.threw++;
      else c.ok++;
      perOp.set(op, c);
      if (ms > slowest.ms) slowest = { ms, i, op };
    }
    if (process.env.SG_FUZZ_STATS) console.log([...perOp].map(([k, c]) => `${k} ${c.ok}/${c.ok + c.threw}`).join("; "));
    expect(slowest.ms, `slowest call: ${slowest.op} (call ${slowest.i})`).toBeLessThan(SLOW_MS);
    // The generators must reach both outcomes for every op: a generator whose
    // calls all fail tests only argument checks, one that never fails tests none.
    for (const op of OP_NAMES) {
      const c = perOp.get(op);
      expect(c, `${op} was never called`).toBeDefined();
      expect(c!.ok, `${op}: no call returned`).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!hasGpu)('webgpu', () => {
  test(`the first ${GPU_CALLS} calls agree with the cpu (both throw, or equal within 1e-3; NaN/±Inf positions included)`, async () => {
    expect(cpuOutcomes.length, 'the cpu test runs first and records outcomes').toBe(Math.min(GPU_CALLS, CPU_CALLS));
    await onBackend('webgpu', async () => {
      const problems: string[] = [];
      for (let i = 0; i < cpuOutcomes.length; i++) {
        const { op, outcome } = await runCall(SEED, i);
        const p = compareOutcomes(`seed ${SEED} call ${i} (${op})`, op, cpuOutcomes[i], outcome);
        if (p) problems.push(p);
      }
      expect(problems).toEqual([]);
    });
  });
});

/**
 * The kernel lab: a WGSL variant of an op's shader is reflected and its
 * bindings checked against the built-in shader's, run in its place on chosen
 * shapes, compared with the CPU twin, and timed against the built-in shader;
 * `override` constants can be swept. The result is plain JSON.
 */
import { CpuBackend } from '../kernels/cpu/backend.js';
import type { OpAttrMap, OpName } from '../kernels/op_names.js';
import { opNames } from '../kernels/op_names.js';
import type { OutputInfo } from '../kernels/spec.js';
import { outputInfos } from '../kernels/spec.js';
import type { DataId, DType, TensorInfo, TypedArray } from '../kernels/types.js';
import { fmtShape } from '../kernels/types.js';
import { shaderLayout } from '../kernels/webgpu/layout.js';
import type { Launch, ShaderDef } from '../kernels/webgpu/program.js';
import { shadersOf } from '../kernels/webgpu/sources.js';
import { ENGINE } from '../tensor/engine.js';
import { runOnTwin } from './check_kernels.js';
import type { TwinTolerance } from './compare.js';
import { DEFAULT_TWIN_TOL, compareEach } from './compare.js';
import { flopsOf } from './flops.js';
import { parseShaderLayout } from './wgsl_layout.js';
import { withLaunches } from './intercept.js';
import type { TimingSource } from './timing.js';
import { timeRuns } from './timing.js';

/** The WGSL shaders an op may run on WebGPU, each with its name and source (what the lab starts from). */
export function shaders(op: OpName): { name: string; source: string }[] {
  if (!opNames.includes(op)) throw new Error(`kernels.shaders: unknown op '${op}'`);
  return shadersOf(op).map((s) => ({ name: s.name, source: s.source }));
}

/** The result of comparing a variant's bindings with a built-in shader's. */
export interface BindingCheck {
  ok: boolean;
  /** The built-in shader compared with. */
  shader: string;
  variant: { binding: number; name: string; kind: string }[];
  builtin: { binding: number; name: string; kind: string }[];
  /** `override` constants the variant declares. */
  overrides: string[];
  /** Each difference, in words (empty when ok). */
  problems: string[];
}

/** The names of the `override` constants a WGSL source declares. */
export function overridesOf(source: string): string[] {
  return [...source.matchAll(/(?:^|[\s;}])override\s+([A-Za-z_]\w*)/g)].map((m) => m[1]);
}

/**
 * Reflects `source` and checks that its bindings (number, slot, name,
 * read/read_write/uniform) and `params` members equal those of the op's
 * built-in shader `shader` (default: the op's first shader). A source that
 * does not parse is reported as a problem, not thrown.
 * @example sg.kernels.checkBindings('matMul', mySource).problems // []
 */
export function checkBindings(op: OpName, source: string, shader?: string): BindingCheck {
  const all = shaders(op);
  if (all.length === 0) throw new Error(`kernels.checkBindings: '${op}' has no WGSL shader`);
  const base = shader ? all.find((s) => s.name === shader) : all[0];
  if (!base) throw new Error(`kernels.checkBindings: '${op}' has no shader '${shader}'; it has ${all.map((s) => s.name).join(', ')}`);
  const ref = shaderLayout(base);
  const builtin = ref.bindings.map((b) => ({ binding: b.binding, name: b.name, kind: b.kind }));
  const problems: string[] = [];
  let variant: BindingCheck['variant'] = [];
  try {
    const r = parseShaderLayout('variant', source);
    variant = r.bindings.map((b) => ({ binding: b.binding, name: b.name, kind: b.kind }));
    if (variant.length !== builtin.length) problems.push(`binds ${variant.length} buffers, '${base.name}' binds ${builtin.length}`);
    for (const b of builtin) {
      const v = variant.find((x) => x.binding === b.binding);
      if (!v) problems.push(`@binding(${b.binding}) '${b.name}' is missing`);
      else {
        if (v.name !== b.name) problems.push(`@binding(${b.binding}) is named '${v.name}', '${base.name}' names it '${b.name}'`);
        if (v.kind !== b.kind) problems.push(`@binding(${b.binding}) '${v.name}' is ${v.kind}, '${base.name}' has ${b.kind}`);
      }
    }
    const want = [...(ref.uniform?.members.keys() ?? [])];
    const have = [...(r.uniform?.members.keys() ?? [])];
    for (const m of want) if (!have.includes(m)) problems.push(`params.${m} is missing`);
    for (const m of have) if (!want.includes(m)) problems.push(`params.${m} is not in '${base.name}'s params (the op would not fill it)`);
    if (!/@compute[\s\S]*?fn\s+main\s*\(/.test(source)) problems.push("no '@compute ... fn main(' entry point");
  } catch (e) {
    problems.push((e as Error).message.replace("shader 'variant'", 'the variant'));
  }
  return { ok: problems.length === 0, shader: base.name, variant, builtin, overrides: overridesOf(source), problems };
}

/** Options of `tune`. */
export interface TuneOptions {
  op: OpName;
  /** The WGSL variant (same bindings and params as the built-in shader it replaces). */
  source: string;
  /** Input shapes, in the op's input order. */
  shapes: number[][];
  /** Input dtypes (default float32 each). */
  dtypes?: DType[];
  /** The op's attrs (defaults for matMul and the conv ops: no transposes, stride 1, 'valid'). */
  attrs?: object;
  /** Replace only this built-in shader (default: any of the op's shaders it launches). */
  shader?: string;
  /** Fixed override values for the variant. */
  overrides?: Record<string, number>;
  /** Override values to sweep: every combination is one trial. */
  sweep?: Record<string, number[]>;
  /** Timed runs per trial (default 5). */
  reps?: number;
  /** Seed of the uniform [-1, 1) input values (default 1). */
  seed?: number;
  tol?: Partial<TwinTolerance>;
}

/** One variant configuration tried. */
export interface TuneTrial {
  overrides: Record<string, number>;
  /** Agrees with the CPU twin within tolerance. */
  ok: boolean;
  maxAbsError: number | null;
  maxUlp: number | null;
  ms: number | null;
  gflops: number | null;
  /** Built-in ms / this ms. */
  speedup: number | null;
  /** Why it could not run (compile or launch error). */
  error?: string;
}

/** What `tune` returns (plain JSON). */
export interface TuneResult {
  op: OpName;
  backend: string;
  shapes: number[][];
  outputShape: number[];
  attrs: object;
  flops: number;
  bindings: BindingCheck;
  /** The built-in shaders the op launched at these shapes (the ones the variant replaced). */
  replaced: string[];
  /** Set when `shader` was given but the op runs another of its shaders at these shapes (which the variant then replaced). */
  note?: string;
  builtin: { ms: number; gflops: number; maxAbsError: number; maxUlp: number; ok: boolean };
  trials: TuneTrial[];
  /** The fastest trial that passed the twin check, or null. */
  best: TuneTrial | null;
  /** How the times were taken: GPU timestamp queries where the device has them, else submitted and awaited. */
  timing: TimingSource;
  tolerance: TwinTolerance;
}

const DEFAULT_ATTRS: Partial<Record<OpName, object>> = {
  matMul: { transposeA: false, transposeB: false },
  conv2d: { strides: [1, 1], pad: 'valid', dilations: [1, 1] },
};

function combos(sweep: Record<string, number[]>): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const [k, vals] of Object.entries(sweep)) {
    if (!Array.isArray(vals) || vals.length === 0) throw new Error(`tune: sweep.${k} must be a non-empty array of numbers`);
    out = out.flatMap((o) => vals.map((v) => ({ ...o, [k]: v })));
  }
  return out;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

function randomValues(n: number, dtype: DType, seed: number): TypedArray {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  if (dtype === 'float32') return Float32Array.from({ length: n }, () => next() * 2 - 1);
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => Math.floor(next() * 4));
  return Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
}

/**
 * Runs a WGSL variant of `op`'s kernel in place of the built-in shader on the
 * current WebGPU backend: checks its bindings, runs it on the given shapes
 * against the CPU twin, times it against the built-in shader, and sweeps
 * `override` constants. Overrides named WG_X, WG_Y, WG_Z are taken as the
 * workgroup size along that axis: the dispatch is rescaled so the same output
 * is covered (shaders bounds-check, so extra threads do nothing).
 * @example await sg.kernels.tune({ op: 'matMul', source, shapes: [[256, 256], [256, 256]], sweep: { WG_X: [4, 8, 16] } })
 */
export async function tune(opts: TuneOptions): Promise<TuneResult> {
  const { op, source } = opts;
  if (!opNames.includes(op)) throw new Error(`tune: unknown op '${op}'`);
  if (typeof source !== 'string' || !source.trim()) throw new Error('tune: source must be a non-empty WGSL string');
  if (!Array.isArray(opts.shapes) || !opts.shapes.every((s) => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0))) {
    throw new Error(`tune: shapes must be an array of shapes (arrays of integers >= 0), got ${JSON.stringify(opts.shapes)}`);
  }
  if (opts.dtypes && opts.dtypes.length !== opts.shapes.length) throw new Error(`tune: ${opts.shapes.length} shapes but ${opts.dtypes.length} dtypes`);
  const b = ENGINE.backend;
  if (b.name !== 'webgpu') throw new Error(`tune: needs the webgpu backend (current: '${b.name}'); checkBindings works without one`);
  const reps = opts.reps ?? 5;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`tune: reps must be an integer >= 1, got ${reps}`);
  const tol: TwinTolerance = { ...DEFAULT_TWIN_TOL, ...opts.tol };
  const bindings = checkBindings(op, source, opts.shader);
  const attrs = opts.attrs ?? DEFAULT_ATTRS[op] ?? {};
  const dtypes = opts.dtypes ?? opts.shapes.map(() => 'float32' as DType);
  const values = opts.shapes.map((s, i) => randomValues(s.reduce((a, d) => a * d, 1), dtypes[i], (opts.seed ?? 1) + 7919 * i));
  const infos0: TensorInfo[] = opts.shapes.map((shape, i) => ({ dataId: {}, shape, dtype: dtypes[i] }));
  let outputs: OutputInfo[];
  try {
    outputs = outputInfos(op, infos0, attrs as OpAttrMap[OpName]);
  } catch (e) {
    throw new Error(`tune: ${op} rejects shapes ${opts.shapes.map(fmtShape).join(', ')}: ${(e as Error).message}`);
  }
  const outShape = [...outputs[0].shape];
  const flops = flopsOf(op, opts.shapes, outShape, attrs);
  const expected = runOnTwin(new CpuBackend(), op, opts.shapes.map((shape, i) => ({ values: values[i], shape, dtype: dtypes[i] })), attrs, outputs);
  const ids = values.map((v, i) => b.write(v.slice(), dtypes[i]));
  const inputs: TensorInfo[] = opts.shapes.map((shape, i) => ({ dataId: ids[i], shape, dtype: dtypes[i] }));
  const runOnce = (): DataId[] => b.run(op, inputs, attrs as OpAttrMap[OpName], outputs);
  let timing: TimingSource = 'wall-clock-awaited';
  const measure = async (): Promise<{ ms: number; maxAbsError: number; maxUlp: number; ok: boolean }> => {
    const ids = runOnce();
    let actual: TypedArray[];
    try {
      actual = await Promise.all(ids.map((id) => b.read(id)));
    } finally {
      for (const id of ids) b.release(id);
    }
    const cmp = compareEach(actual, expected, outputs.map((o) => o.dtype !== 'float32'), tol);
    const t = await timeRuns(b, runOnce, reps);
    timing = t.timing;
    return { ms: t.ms, maxAbsError: cmp.maxAbsError, maxUlp: cmp.maxUlp, ok: cmp.ok };
  };
  try {
    const own = new Set(shadersOf(op).map((s) => s.name));
    const launched: Launch[] = [];
    const builtinM = await withLaunches(b, (l) => {
      if (own.has(l.shader.name) && !launched.some((x) => x.shader.name === l.shader.name)) launched.push(l);
      return l;
    }, measure);
    if (launched.length === 0) throw new Error(`tune: ${op} at shapes ${opts.shapes.map(fmtShape).join(', ')} launched none of its shaders; nothing to replace`);
    let chosen = launched.filter((l) => !opts.shader || l.shader.name === opts.shader);
    let note: string | undefined;
    if (chosen.length === 0) {
      chosen = launched;
      note = `${op} at these shapes runs ${[...new Set(launched.map((l) => `'${l.shader.name}'`))].join(', ')}, not '${opts.shader}': the variant replaced that (its dispatch size is the one that shader gets)`;
    }
    const replaced = new Set(chosen.map((l) => l.shader.name));
    const first = chosen[0];
    const builtin = { ...builtinM, gflops: flops / (builtinM.ms * 1e6) };
    const declared = new Set(overridesOf(source));
    const trials: TuneTrial[] = [];
    if (bindings.ok) {
      for (const sweep of combos(opts.sweep ?? {})) {
        const fixed = { ...opts.overrides, ...sweep };
        for (const k of Object.keys(fixed)) if (!declared.has(k)) throw new Error(`tune: the variant declares no override '${k}' (it declares: ${[...declared].join(', ') || 'none'})`);
        const def: ShaderDef = { name: `lab_${op}_${hash(source)}`, source, layout: parseShaderLayout(`lab_${op}_${hash(source)}`, source) };
        const rewrite = (l: Launch): Launch => {
          if (!replaced.has(l.shader.name)) return l;
          const overrides: Record<string, number> = {};
          for (const [k, v] of Object.entries(l.overrides ?? {})) if (declared.has(k)) overrides[k] = v;
          Object.assign(overrides, fixed);
          const wg = [l.workgroups[0], l.workgroups[1] ?? 1, l.workgroups[2] ?? 1];
          ['WG_X', 'WG_Y', 'WG_Z'].forEach((k, axis) => {
            const was = l.overrides?.[k];
            if (was !== undefined && overrides[k] !== undefined && overrides[k] !== was) wg[axis] = Math.ceil((wg[axis] * was) / overrides[k]);
          });
          return { ...l, shader: def, overrides, workgroups: [wg[0], wg[1], wg[2]] };
        };
        const trial: TuneTrial = { overrides: fixed, ok: false, maxAbsError: null, maxUlp: null, ms: null, gflops: null, speedup: null };
        try {
          // Compile first with the overrides the rewritten launch will use, so errors are reported here, not deferred.
          await (b as unknown as { compile(d: ShaderDef, o?: Record<string, number>): Promise<void> }).compile(def, rewrite(first).overrides);
          const m = await withLaunches(b, rewrite, measure);
          Object.assign(trial, m, { gflops: flops / (m.ms * 1e6), speedup: builtin.ms / m.ms });
        } catch (e) {
          trial.error = (e as Error).message;
        }
        trials.push(trial);
      }
    }
    const passing = trials.filter((t) => t.ok && t.ms !== null);
    const best = passing.length ? passing.reduce((x, y) => (y.ms! < x.ms! ? y : x)) : null;
    return { op, backend: b.name, shapes: opts.shapes, outputShape: outShape, attrs, flops, bindings, replaced: [...replaced], ...(note ? { note } : {}), builtin, trials, best, timing, tolerance: tol };
  } finally {
    for (const id of ids) b.release(id);
  }
}

/**
 * Weight initializers, by the Keras/TensorFlow.js names. Fans follow Keras:
 * for a kernel of shape [..., fanIn, fanOut] the receptive field is the
 * product of the leading dims (conv kernels are [kh, kw, in, out]).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { Rng, nextSeed } from '../tensor/index.js';

export interface Initializer {
  (shape: readonly number[]): Tensor;
  /** Keras class name, e.g. 'GlorotUniform'. */
  readonly className: string;
  readonly config: Record<string, unknown>;
}

/** fanIn, fanOut of a weight shape, as Keras computes them. */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

function make(className: string, config: Record<string, unknown>, f: (shape: readonly number[]) => Tensor): Initializer {
  return Object.assign(f, { className, config });
}

export const zeros = (): Initializer => make('Zeros', {}, (s) => ops.zeros(s));
export const ones = (): Initializer => make('Ones', {}, (s) => ops.ones(s));
export const constant = (args: { value: number }): Initializer => make('Constant', { value: args.value }, (s) => ops.fill(s, args.value));

export const randomNormal = (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
  make('RandomNormal', { mean: args.mean ?? 0, stddev: args.stddev ?? 0.05, seed: args.seed ?? null }, (s) => ops.randomNormal(s, args.mean ?? 0, args.stddev ?? 0.05, 'float32', args.seed));

export const randomUniform = (args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer =>
  make('RandomUniform', { minval: args.minval ?? -0.05, maxval: args.maxval ?? 0.05, seed: args.seed ?? null }, (s) => ops.randomUniform(s, args.minval ?? -0.05, args.maxval ?? 0.05, 'float32', args.seed));

export const truncatedNormal = (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
  make('TruncatedNormal', { mean: args.mean ?? 0, stddev: args.stddev ?? 0.05, seed: args.seed ?? null }, (s) => ops.truncatedNormal(s, args.mean ?? 0, args.stddev ?? 0.05, 'float32', args.seed));

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal';

/**
 * Variance scaling: variance = scale / n with n the fan of `mode`; uniform in
 * ±√(3·variance), or truncated normal with stddev √variance / 0.8796…
 * (the std of a unit normal truncated at ±2), as Keras does.
 */
export const varianceScaling = (args: { scale?: number; mode?: FanMode; distribution?: Distribution; seed?: number } = {}, className = 'VarianceScaling'): Initializer => {
  const scale = args.scale ?? 1;
  const mode = args.mode ?? 'fanIn';
  const distribution = args.distribution ?? 'truncatedNormal';
  const cfg = className === 'VarianceScaling' ? { scale, mode, distribution, seed: args.seed ?? null } : { seed: args.seed ?? null };
  return make(className, cfg, (s) => {
    const [fi, fo] = fans(s);
    const n = mode === 'fanIn' ? fi : mode === 'fanOut' ? fo : (fi + fo) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === 'uniform') {
      const lim = Math.sqrt(3 * variance);
      return ops.randomUniform(s, -lim, lim, 'float32', args.seed);
    }
    if (distribution === 'normal') return ops.randomNormal(s, 0, Math.sqrt(variance), 'float32', args.seed);
    return ops.truncatedNormal(s, 0, Math.sqrt(variance) / 0.87962566103423978, 'float32', args.seed);
  });
};

export const glorotUniform = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: a.seed }, 'GlorotUniform');
export const glorotNormal = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed: a.seed }, 'GlorotNormal');
export const heUniform = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: a.seed }, 'HeUniform');
export const heNormal = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: a.seed }, 'HeNormal');
export const leCunUniform = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed: a.seed }, 'LeCunUniform');
export const leCunNormal = (a: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: a.seed }, 'LeCunNormal');

/** Identity matrix times `gain` (2-D square shapes only). */
export const identity = (args: { gain?: number } = {}): Initializer =>
  make('Identity', { gain: args.gain ?? 1 }, (s) => {
    if (s.length !== 2 || s[0] !== s[1]) throw new Error(`identity initializer: needs a square 2-D shape, got [${s}]`);
    const v = new Float32Array(s[0] * s[1]);
    for (let i = 0; i < s[0]; i++) v[i * s[1] + i] = args.gain ?? 1;
    return ops.tensor(v, s);
  });

/**
 * A random orthogonal matrix (Saxe et al. 2014) times `gain`: QR of a normal
 * matrix by modified Gram–Schmidt, with Q's columns signed by diag(R) so the
 * distribution is uniform. Shapes of rank > 2 flatten all but the last dim.
 */
export const orthogonal = (args: { gain?: number; seed?: number } = {}): Initializer =>
  make('Orthogonal', { gain: args.gain ?? 1, seed: args.seed ?? null }, (s) => {
    const gain = args.gain ?? 1;
    const cols = s[s.length - 1];
    const rows = s.slice(0, -1).reduce((a, b) => a * b, 1);
    // Work on an n×k matrix with n >= k (orthonormal columns), transposing if needed.
    const n = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const rng = args.seed === undefined ? new Rng(nextSeed()) : new Rng(args.seed);
    const a = new Float64Array(n * k);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    for (let j = 0; j < k; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += a[i * k + p] * a[i * k + j];
        for (let i = 0; i < n; i++) a[i * k + j] -= dot * a[i * k + p];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += a[i * k + j] * a[i * k + j];
      norm = Math.sqrt(norm);
      // R's diagonal is +norm; with sign correction Q's column keeps its orientation.
      for (let i = 0; i < n; i++) a[i * k + j] /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? a[r * k + c] : a[c * k + r]);
    }
    return ops.tensor(out, s);
  });

const byName: Record<string, (a?: Record<string, unknown>) => Initializer> = {
  zeros, ones, constant: constant as never, randomNormal, randomUniform, truncatedNormal, varianceScaling: varianceScaling as never,
  glorotUniform, glorotNormal, heUniform, heNormal, leCunUniform, leCunNormal, identity, orthogonal,
};

/** Aliases: Keras snake_case and class names map to the camelCase factories. */
function normalise(name: string): string {
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const lower = camel.charAt(0).toLowerCase() + camel.slice(1);
  const fixes: Record<string, string> = { lecunNormal: 'leCunNormal', lecunUniform: 'leCunUniform' };
  return fixes[lower] ?? lower;
}

/** An initializer from a name ('glorotUniform', 'glorot_uniform', 'GlorotUniform'), a config, or a function. */
export function getInitializer(spec: string | Initializer | { className: string; config?: Record<string, unknown> } | undefined, fallback: string): Initializer {
  if (spec === undefined) return getInitializer(fallback, fallback);
  if (typeof spec === 'function') return spec;
  const name = typeof spec === 'string' ? spec : spec.className;
  const cfg = typeof spec === 'string' ? {} : { ...(spec.config ?? {}) };
  if (cfg.seed === null) delete cfg.seed;
  const f = byName[normalise(name)];
  if (!f) throw new Error(`unknown initializer '${name}'; known: ${Object.keys(byName).join(', ')}`);
  return f(cfg);
}

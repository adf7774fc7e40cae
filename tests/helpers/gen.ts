/** Deterministic input values for op tests (no vitest import: the browser page uses it too). */
import { Rng } from '../../src/tensor/random.js';

/** How input values are drawn. */
export type Gen =
  | 'normal' // N(0, 1)
  | 'positive' // U(0.5, 2)
  | 'unit' // U(-0.9, 0.9)
  | 'awayFromZero' // ±U(0.1, 2): keeps kinks of relu/abs/sign out of finite differences
  | 'distinct' // a shuffled ramp: no ties, well separated (max, pooling)
  | 'int' // integers in [-5, 5]
  | 'bool'
  | readonly number[] // explicit values (cycled)
  | ((rng: Rng, i: number) => number);

export interface InputSpec {
  shape: readonly number[];
  dtype?: 'float32' | 'int32' | 'bool';
  gen?: Gen;
  /** Differentiate with respect to this input (default: true for float32). */
  diff?: boolean;
}

/** A small deterministic seed from a string. */
export function seedOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Values for one input, exactly representable in float32. */
export function genValues(spec: InputSpec, rng: Rng): number[] {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const g = spec.gen ?? (spec.dtype === 'int32' ? 'int' : spec.dtype === 'bool' ? 'bool' : 'normal');
  const out: number[] = [];
  if (g === 'distinct') {
    const perm = [...Array(n).keys()];
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (let i = 0; i < n; i++) out.push(Math.fround((perm[i] - n / 2) * (4 / Math.max(n, 1)) + 0.001));
    return out;
  }
  for (let i = 0; i < n; i++) {
    let v: number;
    if (typeof g === 'function') v = g(rng, i);
    else if (Array.isArray(g)) v = (g as readonly number[])[i % (g as readonly number[]).length];
    else if (g === 'normal') v = rng.normal();
    else if (g === 'positive') v = 0.5 + 1.5 * rng.next();
    else if (g === 'unit') v = -0.9 + 1.8 * rng.next();
    else if (g === 'awayFromZero') v = (rng.next() < 0.5 ? -1 : 1) * (0.1 + 1.9 * rng.next());
    else if (g === 'int') v = rng.int(11) - 5;
    else v = rng.next() < 0.5 ? 1 : 0;
    out.push(spec.dtype === 'int32' || spec.dtype === 'bool' ? v : Math.fround(v));
  }
  return out;
}


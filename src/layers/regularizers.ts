/**
 * Weight regularizers with TensorFlow.js semantics: penalty =
 * l1·Σ|w| + l2·Σw². All three factories make the class 'L1L2' (tfjs has only
 * that class; Keras 3's L1/L2 classes give the same penalty).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Regularizer } from './layer.js';
import { positional } from './config_check.js';

/** l1·Σ|w| + l2·Σw². */
export class L1L2 implements Regularizer {
  constructor(readonly l1: number, readonly l2: number) {
    for (const [k, v] of [['l1', l1], ['l2', l2]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`regularizer: ${k} must be a finite number >= 0, got ${v}`);
    }
  }

  apply(w: Tensor): Tensor {
    let p = ops.scalar(0);
    if (this.l1 !== 0) p = ops.add(p, ops.sum(ops.mul(ops.abs(w), this.l1)));
    if (this.l2 !== 0) p = ops.add(p, ops.sum(ops.mul(ops.square(w), this.l2)));
    return p;
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }

  getClassName(): string {
    return 'L1L2';
  }
}

/** L1 penalty l1·Σ|w| (default l1 0.01, as tfjs); Keras's positional `l1(0.5)` means l1 = 0.5. */
export const l1 = (args: { l1?: number } | number = {}): Regularizer => new L1L2(positional<{ l1?: number }>('regularizers.l1', [args], ['l1'], ['l1']).l1 ?? 0.01, 0);
/** L2 penalty l2·Σw² (default l2 0.01, as tfjs); `l2(0.5)` means l2 = 0.5. */
export const l2 = (args: { l2?: number } | number = {}): Regularizer => new L1L2(0, positional<{ l2?: number }>('regularizers.l2', [args], ['l2'], ['l2']).l2 ?? 0.01);
/** Both penalties (defaults 0.01 each, as tfjs); `l1l2(0.1, 0.2)` gives l1 = 0.1, l2 = 0.2. */
export function l1l2(args?: { l1?: number; l2?: number }): Regularizer;
export function l1l2(l1: number, l2?: number): Regularizer;
export function l1l2(...a: unknown[]): Regularizer {
  const c = positional<{ l1?: number; l2?: number }>('regularizers.l1l2', a, ['l1', 'l2'], ['l1', 'l2']);
  return new L1L2(c.l1 ?? 0.01, c.l2 ?? 0.01);
}

/** A regularizer from a name ('l1', 'l2', 'l1l2'), a `{className, config}`, or an instance. */
export function getRegularizer(spec: string | Regularizer | { className?: string; class_name?: string; config?: Record<string, number> } | null | undefined): Regularizer | undefined {
  if (spec === null || spec === undefined) return undefined;
  if (typeof spec === 'string') {
    const f = ({ l1, l2, l1l2, l1_l2: l1l2 } as Record<string, () => Regularizer>)[spec.toLowerCase()];
    if (!f) throw new Error(`unknown regularizer '${spec}'; known: l1, l2, l1l2`);
    return f();
  }
  if ('apply' in spec && typeof spec.apply === 'function') return spec as Regularizer;
  const s = spec as { className?: string; class_name?: string; config?: Record<string, number> };
  const name = s.className ?? s.class_name;
  const c = s.config ?? {};
  if (name === 'L1L2') return new L1L2(c.l1 ?? 0, c.l2 ?? 0);
  if (name === 'L1') return new L1L2(c.l1 ?? 0.01, 0);
  if (name === 'L2') return new L1L2(0, c.l2 ?? 0.01);
  throw new Error(`unknown regularizer class '${String(name)}'; known: L1L2, L1, L2`);
}

/** The Keras `{class_name, config}` of a regularizer, or null. */
export function regularizerConfig(r: Regularizer | undefined | null): Record<string, unknown> | null {
  return r ? { class_name: r.getClassName(), config: r.getConfig() } : null;
}

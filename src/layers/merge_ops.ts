/**
 * Elementwise merge layers, as Keras/tfjs: Add, Subtract, Multiply, Average,
 * Maximum, Minimum. They take a list of inputs of one rank whose non-batch
 * dims are equal or 1 (NumPy broadcasting); Subtract takes exactly two.
 * No weights; the config is the base layer's (class names as Keras writes them).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { fmt } from './core.js';
import type { LayerArgs, Shape } from './layer.js';
import { Layer, isShapeList } from './layer.js';

/** The base of the elementwise merge layers: checks shapes, broadcasts, folds `combine` over the inputs. */
export abstract class Merge extends Layer {
  /** Exact input count (Subtract: 2), or null for 2 or more. */
  protected readonly arity: number | null = null;

  /** Combines the inputs [batch, ...] into one tensor of the broadcast shape. */
  protected abstract combine(xs: Tensor[]): Tensor;

  protected override checkInputShape(s: Shape | Shape[]): void {
    const cls = this.getClassName();
    if (!isShapeList(s) || s.length < 2) throw new Error(`${this.name} (${cls}): expects a list of at least 2 inputs, got ${fmt(s)}`);
    if (this.arity !== null && s.length !== this.arity) throw new Error(`${this.name} (${cls}): expects exactly ${this.arity} inputs, got ${s.length}: ${fmt(s)}`);
    const r = s[0].length;
    if (s.some((t) => t.length !== r)) throw new Error(`${this.name} (${cls}): inputs must have the same rank, got shapes ${fmt(s)}`);
    for (let i = 1; i < r; i++) {
      const dims = s.map((t) => t[i]).filter((d): d is number => d !== null && d !== 1);
      if (dims.some((d) => d !== dims[0])) throw new Error(`${this.name} (${cls}): inputs must match (or be 1) on each non-batch dim; dim ${i} differs in shapes ${fmt(s)}`);
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    // The batch dim never broadcasts (Keras): a [1, ...] input beside a [n, ...] one is an error.
    if (xs.some((x) => x.shape[0] !== xs[0].shape[0])) throw new Error(`${this.name} (${this.getClassName()}): inputs have different batch sizes: ${xs.map((x) => `[${x.shape}]`).join(', ')}`);
    return this.combine(xs);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const ss = s as Shape[];
    return ss[0].map((_, i) => {
      if (i === 0) return ss.find((t) => t[0] !== null)?.[0] ?? null;
      const known = ss.map((t) => t[i]);
      if (known.some((d) => d === null)) return known.find((d) => d !== null && d !== 1) ?? null;
      return Math.max(...(known as number[]));
    });
  }
}

const fold = (xs: Tensor[], f: (a: Tensor, b: Tensor) => Tensor): Tensor => xs.slice(1).reduce(f, xs[0]);

/** Sum of the inputs: y = x₁ + x₂ + … */
export class Add extends Merge {
  getClassName(): string {
    return 'Add';
  }
  protected combine(xs: Tensor[]): Tensor {
    return fold(xs, ops.add);
  }
}

/** Difference of two inputs: y = x₁ − x₂. */
export class Subtract extends Merge {
  protected override readonly arity = 2;
  getClassName(): string {
    return 'Subtract';
  }
  protected combine(xs: Tensor[]): Tensor {
    return ops.sub(xs[0], xs[1]);
  }
}

/** Elementwise product of the inputs. */
export class Multiply extends Merge {
  getClassName(): string {
    return 'Multiply';
  }
  protected combine(xs: Tensor[]): Tensor {
    return fold(xs, ops.mul);
  }
}

/** Mean of the inputs: (x₁ + … + xₙ)/n. */
export class Average extends Merge {
  getClassName(): string {
    return 'Average';
  }
  protected combine(xs: Tensor[]): Tensor {
    return ops.mul(fold(xs, ops.add), 1 / xs.length);
  }
}

/** Elementwise maximum of the inputs. */
export class Maximum extends Merge {
  getClassName(): string {
    return 'Maximum';
  }
  protected combine(xs: Tensor[]): Tensor {
    return fold(xs, ops.maximum);
  }
}

/** Elementwise minimum of the inputs. */
export class Minimum extends Merge {
  getClassName(): string {
    return 'Minimum';
  }
  protected combine(xs: Tensor[]): Tensor {
    return fold(xs, ops.minimum);
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const mergeOpLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  Add: (a) => new Add(a as LayerArgs),
  Subtract: (a) => new Subtract(a as LayerArgs),
  Multiply: (a) => new Multiply(a as LayerArgs),
  Average: (a) => new Average(a as LayerArgs),
  Maximum: (a) => new Maximum(a as LayerArgs),
  Minimum: (a) => new Minimum(a as LayerArgs),
};

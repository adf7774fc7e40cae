/** The gradient-rule contract and the broadcast helper every rule uses. */
import type { MultiOutputOp, OpAttrMap, OpName } from '../kernels/op_names.js';
import * as ops from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';

/** What a rule sees of the op it differentiates. */
export interface GradContext<K extends OpName> {
  readonly inputs: readonly Tensor[];
  /** The op's (first) output. */
  readonly output: Tensor;
  /** Every output, in `multiOutputNames` order (just `[output]` for a single-output op). */
  readonly outputs: readonly Tensor[];
  readonly attrs: OpAttrMap[K];
  /**
   * Whether each input needs a gradient (it lies on a path from the
   * differentiated variables and is float32). A rule may return null for an
   * input that does not, and skip computing it: the first conv's input
   * gradient with respect to the data, for one. Absent means all are needed.
   */
  readonly needs?: readonly boolean[];
}

/** Whether input `i` of a rule's op needs a gradient (see GradContext.needs). */
export function needs(ctx: { readonly needs?: readonly boolean[] }, i: number): boolean {
  return ctx.needs?.[i] ?? true;
}

/**
 * Given dL/dy, returns dL/d(input) for each input (null for inputs with no
 * gradient, such as int32 indices). Rules use tensor ops, so they are
 * differentiable themselves.
 */
export type SingleGradRule<K extends OpName> = (dy: Tensor, ctx: GradContext<K>) => readonly (Tensor | null)[];

/**
 * A multi-output op's rule: one upstream gradient per output, in
 * `multiOutputNames` order, null for an output nothing downstream used (the
 * rule substitutes zeros where its kernel needs them); backprop calls it when
 * at least one is present.
 */
export type MultiGradRule<K extends OpName> = (dys: readonly (Tensor | null)[], ctx: GradContext<K>) => readonly (Tensor | null)[];

/** The rule type of op `K`: `MultiGradRule` for a multi-output op, else `SingleGradRule`. */
export type GradRule<K extends OpName> = [K] extends [MultiOutputOp] ? MultiGradRule<K> : SingleGradRule<K>;

/**
 * Sums a broadcast gradient back to `shape`: over leading dims the input did
 * not have, and over dims where the input had size 1.
 */
export function reduceTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = axes.length ? ops.sum(g, axes, true) : g;
  return ops.reshape(s, shape);
}

/** A float32 mask (1 where `cond`), for rules like relu's. */
export function mask(cond: Tensor): Tensor {
  return ops.cast(cond, 'float32');
}

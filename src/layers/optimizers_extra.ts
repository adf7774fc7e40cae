/**
 * More optimizers, with the update rules of Keras 3 (Nadam, AdamW) and of
 * tfjs/Keras (Adagrad, identical in both):
 * - Adagrad: a ← a + g²; w ← w − lr·g/√(a + ε), a starting at
 *   initialAccumulatorValue (0.1), ε = 1e-7.
 * - Nadam (Dozat 2016, Keras 3): μₜ = β1·(1 − ½·0.96ᵗ), Πₜ = μ₁⋯μₜ;
 *   m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
 *   m̂ = μₜ₊₁·m/(1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g/(1 − Πₜ); v̂ = v/(1 − β2ᵗ);
 *   w ← w − lr·m̂/(√v̂ + ε).
 * - AdamW (Loshchilov & Hutter 2019, Keras 3): first w ← w − w·λ·lr
 *   (decoupled weight decay, λ = weightDecay, biases included as in Keras),
 *   then Keras 3's Adam step: m, v as above, w ← w − α·m/(√v + ε) with
 *   α = lr·√(1 − β2ᵗ)/(1 − β1ᵗ).
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { checkConfig } from './config_check.js';
import { Optimizer } from './optimizers.js';

function positive(cls: string, name: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) throw new Error(`${cls}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${v}`);
}

function beta(cls: string, name: string, v: number): void {
  if (!(v >= 0 && v < 1)) throw new Error(`${cls}: ${name} must be in [0, 1), got ${v}`);
}

/** Options of `adagrad`. */
export interface AdagradArgs {
  learningRate?: number;
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad: per-weight rates shrinking with the sum of squared gradients (tfjs's `tf.train.adagrad`, Keras's `Adagrad`). */
export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
    positive('Adagrad', 'initialAccumulatorValue', this.initialAccumulatorValue, true);
    positive('Adagrad', 'epsilon', this.epsilon, true);
  }

  getClassName(): string {
    return 'Adagrad';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  /** tfjs's AdagradOptimizer names its one slot `accumulator`. */
  slotNames(): string[] {
    return ['accumulator'];
  }

  protected override initialSlotValue(): number {
    return this.initialAccumulatorValue;
  }

  protected update(w: Variable, g: Tensor, s: Variable[]): void {
    const acc = ops.add(s[0], ops.square(g));
    s[0].assign(acc);
    w.assign(ops.sub(w, ops.mul(ops.div(g, ops.sqrt(ops.add(acc, this.epsilon))), this.learningRate)));
  }
}

/** Options of `nadam`. */
export interface NadamArgs {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Nadam: Adam with Nesterov momentum, Keras 3's update rule (momentum schedule μₜ = β1·(1 − ½·0.96ᵗ)). */
export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Πₜ = μ₁⋯μₜ for the step `productStep` (Keras's `_u_product`, updated once per step). */
  private uProduct = 1;
  private productStep = 0;

  constructor(args: NadamArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    beta('Nadam', 'beta1', this.beta1);
    beta('Nadam', 'beta2', this.beta2);
    positive('Nadam', 'epsilon', this.epsilon, true);
  }

  getClassName(): string {
    return 'Nadam';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected update(w: Variable, g: Tensor, s: Variable[], t: number): void {
    while (this.productStep < t) this.uProduct *= this.mu(++this.productStep);
    const uT = this.mu(t);
    const uNext = this.mu(t + 1);
    const prod = this.uProduct;
    const m = ops.add(s[0], ops.mul(ops.sub(g, s[0]), 1 - this.beta1));
    const v = ops.add(s[1], ops.mul(ops.sub(ops.square(g), s[1]), 1 - this.beta2));
    s[0].assign(m);
    s[1].assign(v);
    const mHat = ops.add(ops.mul(m, uNext / (1 - prod * uNext)), ops.mul(g, (1 - uT) / (1 - prod)));
    const vHat = ops.div(v, 1 - this.beta2 ** t);
    w.assign(ops.sub(w, ops.div(ops.mul(mHat, this.learningRate), ops.add(ops.sqrt(vHat), this.epsilon))));
  }
}

/** Options of `adamw`. */
export interface AdamWArgs {
  learningRate?: number;
  /** Decoupled weight decay λ (default 0.004, Keras 3's). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** AdamW: Adam with decoupled weight decay (w ← w − λ·lr·w before each Adam step), Keras 3's rule. */
export class AdamW extends Optimizer {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamWArgs = {}) {
    super(args.learningRate ?? 0.001);
    this.weightDecay = args.weightDecay ?? 0.004;
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    positive('AdamW', 'weightDecay', this.weightDecay, true);
    beta('AdamW', 'beta1', this.beta1);
    beta('AdamW', 'beta2', this.beta2);
    positive('AdamW', 'epsilon', this.epsilon, true);
  }

  getClassName(): string {
    return 'AdamW';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, weightDecay: this.weightDecay, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  protected update(w: Variable, g: Tensor, s: Variable[], t: number): void {
    const decayed = this.weightDecay > 0 ? ops.sub(w, ops.mul(w, this.weightDecay * this.learningRate)) : w;
    const m = ops.add(s[0], ops.mul(ops.sub(g, s[0]), 1 - this.beta1));
    const v = ops.add(s[1], ops.mul(ops.sub(ops.square(g), s[1]), 1 - this.beta2));
    s[0].assign(m);
    s[1].assign(v);
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    w.assign(ops.sub(decayed, ops.div(ops.mul(m, alpha), ops.add(ops.sqrt(v), this.epsilon))));
  }
}

type Spec<A> = A | number;
const asArgs = <A extends { learningRate?: number }>(where: string, a: Spec<A> | undefined, keys: readonly string[]): A => {
  if (typeof a === 'number') return { learningRate: a } as A;
  checkConfig(where, a ?? {}, keys);
  return (a ?? {}) as A;
};

/** `adagrad({ learningRate = 0.001, initialAccumulatorValue = 0.1, epsilon = 1e-7 })` (a bare number is the learning rate). */
export const adagrad = (args?: Spec<AdagradArgs>): Adagrad => new Adagrad(asArgs('adagrad', args, ['learningRate', 'initialAccumulatorValue', 'epsilon']));
/** `nadam({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 })` (a bare number is the learning rate). */
export const nadam = (args?: Spec<NadamArgs>): Nadam => new Nadam(asArgs('nadam', args, ['learningRate', 'beta1', 'beta2', 'epsilon']));
/** `adamw({ learningRate = 0.001, weightDecay = 0.004, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 })` (a bare number is the learning rate). */
export const adamw = (args?: Spec<AdamWArgs>): AdamW => new AdamW(asArgs('adamw', args, ['learningRate', 'weightDecay', 'beta1', 'beta2', 'epsilon']));

/**
 * Optimizers with TensorFlow.js's update rules (so fits match tfjs):
 * - SGD: w ← w − lr·g. With momentum m (tfjs MomentumOptimizer):
 *   a ← m·a + g; w ← w − lr·a, or with nesterov w ← w − lr·(g + m·a).
 *   Keras keeps v = m·v − lr·g instead; for a constant lr the two are equal.
 * - Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 *   w ← w − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), ε = 1e-7.
 *   Keras 3 folds the correction into the rate, lr·√(1−β2ᵗ)/(1−β1ᵗ), and adds ε
 *   to √v (not √v̂): the same up to ε's scale.
 * - RMSprop: s ← ρ·s + (1−ρ)·g²; mom ← μ·mom + lr·g/√(s + ε); w ← w − mom.
 *   Centered (tfjs): ḡ ← ρ·ḡ + (1−ρ)·g; denominator √(s − (ḡ² + ε)) (tfjs
 *   subtracts ε; Keras 3 adds it: √(s − ḡ² + ε)).
 * Slots are zero-initialised non-trainable variables, created on first use.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { tidy, variable } from '../tensor/index.js';
import { noGrad } from '../autograd/index.js';

/** A variable and its gradient. */
export type GradPair = readonly [Variable, Tensor];

export abstract class Optimizer {
  /** Number of `applyGradients` calls so far. */
  iterations = 0;
  private readonly slots = new Map<Variable, Variable[]>();

  constructor(public learningRate: number) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`${this.getClassName()}: learningRate must be a positive number, got ${learningRate}`);
  }

  abstract getClassName(): string;
  abstract getConfig(): Record<string, unknown>;
  /** Number of slots per variable. */
  protected abstract numSlots(): number;
  /** Updates `w` (and its slots) from gradient `g`; `t` is the 1-based step. */
  protected abstract update(w: Variable, g: Tensor, slots: Variable[], t: number): void;

  /** One step: updates every variable from its gradient. */
  applyGradients(pairs: readonly GradPair[] | Record<string, Tensor>, vars?: readonly Variable[]): void {
    let list: GradPair[];
    if (Array.isArray(pairs)) list = [...(pairs as GradPair[])];
    else {
      if (!vars) throw new Error(`${this.getClassName()}.applyGradients: with gradients keyed by name, pass the variables too`);
      const rec = pairs as Record<string, Tensor>;
      list = vars.filter((v) => rec[v.name]).map((v) => [v, rec[v.name]] as const);
    }
    this.iterations++;
    const t = this.iterations;
    noGrad(() => {
      for (const [w, g] of list) {
        let s = this.slots.get(w);
        if (!s) {
          s = [];
          for (let i = 0; i < this.numSlots(); i++) {
            const init = this.initialSlotValue(i);
            const z = init === 0 ? ops.zerosLike(w) : ops.fill(w.shape, init);
            s.push(variable(z, false, `${w.name}/slot_${i}`));
            z.dispose();
          }
          this.slots.set(w, s);
        }
        const slots = s;
        tidy(() => {
          this.update(w, g, slots, t);
          return [];
        });
      }
    });
  }

  /** The value slot `i` starts at (0; Adagrad's accumulator starts at initialAccumulatorValue). */
  protected initialSlotValue(_i: number): number {
    return 0;
  }

  /** Slot variables of `w` (for tests and save/load). */
  getSlots(w: Variable): Variable[] {
    return this.slots.get(w) ?? [];
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const s of this.slots.values()) for (const v of s) v.dispose();
    this.slots.clear();
  }
}

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: { learningRate?: number; momentum?: number; nesterov?: boolean } = {}) {
    super(args.learningRate ?? 0.01);
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0)) throw new Error(`SGD: momentum must be >= 0, got ${this.momentum}`);
  }

  getClassName(): string {
    return this.momentum > 0 ? 'MomentumOptimizer' : 'SGDOptimizer';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.nesterov };
  }

  protected numSlots(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected update(w: Variable, g: Tensor, s: Variable[]): void {
    if (this.momentum === 0) {
      w.assign(ops.sub(w, ops.mul(g, this.learningRate)));
      return;
    }
    const a = ops.add(ops.mul(s[0], this.momentum), g);
    const step = this.nesterov ? ops.add(g, ops.mul(a, this.momentum)) : a;
    s[0].assign(a);
    w.assign(ops.sub(w, ops.mul(step, this.learningRate)));
  }
}

export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: { learningRate?: number; beta1?: number; beta2?: number; epsilon?: number } = {}) {
    super(args.learningRate ?? 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  getClassName(): string {
    return 'Adam';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  protected numSlots(): number {
    return 2;
  }

  protected update(w: Variable, g: Tensor, s: Variable[], t: number): void {
    // One fused kernel (ops.adamUpdate) computes the same rule for float weights.
    if (w.dtype === 'float32' && g.dtype === 'float32') {
      const next = ops.adamUpdate(w, g, s[0], s[1], { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, step: t });
      s[0].assign(next.m);
      s[1].assign(next.v);
      w.assign(next.w);
      return;
    }
    const m = ops.add(ops.mul(s[0], this.beta1), ops.mul(g, 1 - this.beta1));
    const v = ops.add(ops.mul(s[1], this.beta2), ops.mul(ops.square(g), 1 - this.beta2));
    s[0].assign(m);
    s[1].assign(v);
    // Bias corrections in float32, as tfjs keeps β^t in float32 variables.
    const c1 = 1 - Math.fround(this.beta1 ** t);
    const c2 = 1 - Math.fround(this.beta2 ** t);
    const mHat = ops.div(m, c1);
    const vHat = ops.div(v, c2);
    w.assign(ops.add(w, ops.mul(ops.div(mHat, ops.add(ops.sqrt(vHat), this.epsilon)), -this.learningRate)));
  }
}

export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: { learningRate?: number; rho?: number; decay?: number; momentum?: number; epsilon?: number; centered?: boolean } = {}) {
    super(args.learningRate ?? 0.001);
    this.rho = args.rho ?? args.decay ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }

  getClassName(): string {
    return 'RMSPropOptimizer';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, decay: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  protected numSlots(): number {
    return this.centered ? 3 : 2;
  }

  protected update(w: Variable, g: Tensor, s: Variable[]): void {
    const ms = ops.add(ops.mul(s[0], this.rho), ops.mul(ops.square(g), 1 - this.rho));
    let denom: Tensor;
    if (this.centered) {
      const mg = ops.add(ops.mul(s[2], this.rho), ops.mul(g, 1 - this.rho));
      s[2].assign(mg);
      denom = ops.sqrt(ops.sub(ms, ops.add(ops.square(mg), this.epsilon)));
    } else denom = ops.sqrt(ops.add(ms, this.epsilon));
    const mom = ops.add(ops.mul(s[1], this.momentum), ops.div(ops.mul(g, this.learningRate), denom));
    s[0].assign(ms);
    s[1].assign(mom);
    w.assign(ops.sub(w, mom));
  }
}

/** `sgd({ learningRate = 0.01, momentum = 0, nesterov = false })` */
export const sgd = (args: ConstructorParameters<typeof SGD>[0] | number = {}): SGD => new SGD(typeof args === 'number' ? { learningRate: args } : args);
/** `adam({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 })` */
export const adam = (args: ConstructorParameters<typeof Adam>[0] | number = {}): Adam => new Adam(typeof args === 'number' ? { learningRate: args } : args);
/** `rmsprop({ learningRate = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false })` */
export const rmsprop = (args: ConstructorParameters<typeof RMSprop>[0] | number = {}): RMSprop => new RMSprop(typeof args === 'number' ? { learningRate: args } : args);

/**
 * An optimizer from `compile`'s argument: an Optimizer, a name ('sgd',
 * 'adam', 'rmsprop') with default settings, or a bare number (Adam with that
 * learning rate).
 */
export function getOptimizer(spec: Optimizer | string | number): Optimizer {
  if (spec instanceof Optimizer) return spec;
  if (typeof spec === 'number') return adam({ learningRate: spec });
  const f = ({ sgd, adam, rmsprop } as Record<string, () => Optimizer>)[spec.toLowerCase()] ?? extraOptimizers.get(spec.toLowerCase());
  if (!f) throw new Error(`unknown optimizer '${spec}'; known: sgd, adam, rmsprop${[...extraOptimizers.keys()].map((k) => `, ${k}`).join('')}`);
  return f();
}

const extraOptimizers = new Map<string, () => Optimizer>();

/** @internal Makes `getOptimizer(name)` (and `compile({ optimizer: name })`) know another optimizer (nadam, adamw, adagrad). */
export function registerOptimizer(name: string, make: () => Optimizer): void {
  extraOptimizers.set(name.toLowerCase(), make);
}

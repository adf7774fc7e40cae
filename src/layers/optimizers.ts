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
 * Slots are zero-initialised non-trainable variables, created on first use,
 * named as TensorFlow.js names them (`<variable>/m`, `/v`, `/momentum`, `/rms`,
 * `/mg`). `getWeights()`/`setWeights()` move the state in tfjs's layout:
 * `iter` (int32 scalar) first, then every variable's first slot, then every
 * variable's second slot, …, so a model saved with `includeOptimizer` by
 * either library restores the other's optimizer state.
 */
import { positional } from './config_check.js';
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { tidy, variable } from '../tensor/index.js';
import { noGrad } from '../autograd/index.js';

/** A variable and its gradient. */
export type GradPair = readonly [Variable, Tensor];

/** One named tensor of an optimizer's state (tfjs's `NamedTensor`). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

export abstract class Optimizer {
  /** Number of `applyGradients` calls so far. */
  iterations = 0;
  private readonly slots = new Map<Variable, Variable[]>();
  /** Slots restored by `setWeights` without variables, bound by name on first use. */
  private readonly pendingSlots = new Map<string, Variable[]>();

  constructor(public learningRate: number) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`${this.getClassName()}: learningRate must be a positive number, got ${learningRate}`);
  }

  abstract getClassName(): string;
  abstract getConfig(): Record<string, unknown>;
  /** The slot names per variable, in tfjs's order (their count is the number of slots). */
  abstract slotNames(): string[];

  /** Number of slots per variable. */
  protected numSlots(): number {
    return this.slotNames().length;
  }
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
        let s = this.slots.get(w) ?? this.takePending(w);
        if (!s) {
          s = [];
          for (const [i, name] of this.slotNames().entries()) {
            const init = this.initialSlotValue(i);
            const z = init === 0 ? ops.zerosLike(w) : ops.fill(w.shape, init);
            s.push(variable(z, false, `${w.name}/${name}`));
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

  private takePending(w: Variable): Variable[] | undefined {
    const p = this.pendingSlots.get(w.name);
    if (!p) return undefined;
    if (p.some((v) => v.shape.length !== w.shape.length || v.shape.some((d, i) => d !== w.shape[i]))) {
      throw new Error(`${this.getClassName()}.applyGradients: the restored state '${p[0].name}' has shape [${p[0].shape}] but variable '${w.name}' is [${w.shape}]`);
    }
    this.pendingSlots.delete(w.name);
    this.slots.set(w, p);
    return p;
  }

  /**
   * The optimizer's state as TensorFlow.js's `getWeights()` gives it:
   * `{ name: 'iter', tensor }` (an int32 scalar, the step count) first, then
   * for each slot kind every variable's slot, named `<variable>/<slot>`. The
   * slot tensors are the optimizer's own variables (read, do not dispose);
   * the `iter` scalar is new and the caller's.
   * @example const state = await opt.getWeights(); // [{name: 'iter'}, {name: 'dense/kernel/m'}, …]
   */
  async getWeights(): Promise<NamedTensor[]> {
    const groups = [...this.slots.values(), ...this.pendingSlots.values()];
    const out: NamedTensor[] = [{ name: 'iter', tensor: ops.scalar(this.iterations, 'int32') }];
    for (let k = 0; k < this.numSlots(); k++) for (const s of groups) out.push({ name: s[k].name, tensor: s[k] });
    return out;
  }

  /**
   * Restores state from `getWeights()`'s layout (ours or TensorFlow.js's):
   * `iter` first, then the slots grouped by kind. With `vars` (the
   * variables in the order their gradients are applied; `fit` uses the
   * model's `trainableWeights`) the i-th slot of each kind goes to `vars[i]`,
   * as tfjs binds them by position; without, each slot goes to the variable
   * named by its prefix (`dense/kernel/m` → `dense/kernel`) when that
   * variable is first updated. Everything is checked before anything
   * changes; the tensors are copied before the old state is freed, so
   * `setWeights(await getWeights())` works, and the caller keeps (and
   * disposes) what it passed.
   */
  async setWeights(weights: readonly NamedTensor[], vars?: readonly Variable[]): Promise<void> {
    const cls = this.getClassName();
    if (!Array.isArray(weights) || weights.length === 0 || weights[0]?.name !== 'iter') {
      throw new Error(`${cls}.setWeights: expected [{ name: 'iter', tensor }, …slots] as getWeights() returns, got ${Array.isArray(weights) ? `[${weights.map((w) => `'${w?.name}'`).join(', ')}]` : typeof weights}`);
    }
    const names = this.slotNames();
    const rest = weights.slice(1);
    const k = names.length;
    if (k === 0 ? rest.length > 0 : rest.length % k !== 0) {
      throw new Error(`${cls}.setWeights: ${rest.length} slot tensor(s) do not fit ${k} slot(s) per variable (${names.join(', ') || 'none'})`);
    }
    const nv = k === 0 ? 0 : rest.length / k;
    if (vars && k > 0 && vars.length !== nv) throw new Error(`${cls}.setWeights: the state holds slots for ${nv} variable(s) but ${vars.length} variable(s) were given`);
    const iterT = weights[0].tensor;
    if (!iterT || iterT.size !== 1) throw new Error(`${cls}.setWeights: 'iter' must be a scalar, got shape [${iterT?.shape}]`);
    const bases: string[] = [];
    for (let i = 0; i < nv; i++) {
      const group = names.map((_, j) => rest[j * nv + i]);
      const target = vars?.[i];
      const suffix = `/${names[0]}`;
      if (!target && !group[0].name.endsWith(suffix)) throw new Error(`${cls}.setWeights: slot '${group[0].name}' does not end in '${suffix}', so its variable is unknown; pass the variables (setWeights(weights, model.trainableWeights))`);
      const base = target ? target.name : group[0].name.slice(0, -suffix.length);
      group.forEach((g, j) => {
        const shape = target ? target.shape : group[0].tensor.shape;
        if (g.tensor.shape.length !== shape.length || g.tensor.shape.some((d: number, q: number) => d !== shape[q])) {
          throw new Error(`${cls}.setWeights: slot '${g.name}' has shape [${g.tensor.shape}] but ${target ? `variable '${target.name}'` : `'${group[0].name}'`} is [${shape}]`);
        }
        if (!target && j > 0 && g.name !== `${base}/${names[j]}`) throw new Error(`${cls}.setWeights: expected slot '${base}/${names[j]}' at position ${1 + j * nv + i}, got '${g.name}'`);
      });
      bases.push(base);
    }
    const gone = weights.find((w) => w.tensor.isDisposed);
    if (gone) throw new Error(`${cls}.setWeights: tensor '${gone.name}' has been disposed`);
    const iter = (await iterT.data())[0];
    if (!(Number.isInteger(iter) && iter >= 0)) throw new Error(`${cls}.setWeights: 'iter' must be a non-negative integer, got ${iter}`);
    // Copy everything first: the weights may be this optimizer's own slots
    // (`setWeights(await getWeights())`), which freeing the old state would dispose.
    const made: Variable[][] = [];
    try {
      for (let i = 0; i < nv; i++) made.push(names.map((n, j) => variable(rest[j * nv + i].tensor, false, `${bases[i]}/${n}`)));
    } catch (e) {
      for (const s of made) for (const v of s) v.dispose();
      throw e;
    }
    this.dispose();
    this.iterations = iter;
    for (let i = 0; i < nv; i++) {
      if (vars) this.slots.set(vars[i], made[i]);
      else this.pendingSlots.set(bases[i], made[i]);
    }
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const s of [...this.slots.values(), ...this.pendingSlots.values()]) for (const v of s) v.dispose();
    this.slots.clear();
    this.pendingSlots.clear();
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
    // TensorFlow.js's class names: a trainingConfig naming another class cannot be loaded there.
    return this.momentum > 0 ? 'Momentum' : 'SGD';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.nesterov };
  }

  slotNames(): string[] {
    return this.momentum > 0 ? ['momentum'] : [];
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

  slotNames(): string[] {
    return ['m', 'v'];
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
    return 'RMSProp';
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, decay: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  slotNames(): string[] {
    return this.centered ? ['rms', 'momentum', 'mg'] : ['rms', 'momentum'];
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
export const sgd = (args: ConstructorParameters<typeof SGD>[0] | number = {}): SGD => new SGD(positional('optimizers.sgd', [args], ['learningRate'], ['learningRate', 'momentum', 'nesterov']));
/** `adam({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 })` */
export const adam = (args: ConstructorParameters<typeof Adam>[0] | number = {}): Adam => new Adam(positional('optimizers.adam', [args], ['learningRate'], ['learningRate', 'beta1', 'beta2', 'epsilon']));
/** `rmsprop({ learningRate = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false })` */
export const rmsprop = (args: ConstructorParameters<typeof RMSprop>[0] | number = {}): RMSprop =>
  new RMSprop(positional('optimizers.rmsprop', [args], ['learningRate'], ['learningRate', 'rho', 'decay', 'momentum', 'epsilon', 'centered']));

/**
 * BatchNormalization (Ioffe & Szegedy 2015), TensorFlow.js semantics:
 * training normalises with the batch moments (biased variance) and updates
 * moving = moving − (moving − batch)·(1 − momentum); inference uses the
 * moving statistics. y = (x − μ)/√(σ² + ε)·γ + β.
 * Weights in tfjs/Keras order: gamma, beta, moving_mean, moving_variance
 * (the last two non-trainable).
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { noGrad } from '../autograd/index.js';
import type { InitializerSpec, RegularizerSpec } from './core.js';
import { checkRank, fmt } from './core.js';
import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import type { CallArgs, LayerArgs, Regularizer, Shape } from './layer.js';
import { Layer } from './layer.js';
import { getRegularizer, regularizerConfig } from './regularizers.js';
import { initializerConfig } from './serialization.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (default -1). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  movingMeanInitializer?: InitializerSpec;
  movingVarianceInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec;
  gammaRegularizer?: RegularizerSpec;
}


/**
 * (x − mean) / √(variance + ε) · γ + β, with γ and β optional and every
 * operand already broadcastable to x: the step batch and layer normalization share.
 */
export function normalize(x: Tensor, mean: Tensor, variance: Tensor, epsilon: number, gamma?: Tensor | null, beta?: Tensor | null): Tensor {
  let inv = ops.rsqrt(ops.add(variance, epsilon));
  if (gamma) inv = ops.mul(inv, gamma);
  const y = ops.mul(ops.sub(x, mean), inv);
  return beta ? ops.add(y, beta) : y;
}
export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  readonly betaRegularizer?: Regularizer;
  readonly gammaRegularizer?: Regularizer;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: getInitializer(args.betaInitializer, 'zeros'),
      gamma: getInitializer(args.gammaInitializer, 'ones'),
      movingMean: getInitializer(args.movingMeanInitializer, 'zeros'),
      movingVariance: getInitializer(args.movingVarianceInitializer, 'ones'),
    };
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
  }

  getClassName(): string {
    return 'BatchNormalization';
  }

  private ax(rank: number): number {
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, 2, Infinity);
    const sh = s as Shape;
    const a = this.ax(sh.length);
    if (a <= 0 || a >= sh.length || sh[a] === null) throw new Error(`${this.name} (BatchNormalization): axis ${this.axis} must be a known non-batch dim of input shape ${fmt(s)}`);
    if (this.movingMean && sh[a] !== this.movingMean.shape[0]) throw new Error(`${this.name} (BatchNormalization): expected ${this.movingMean.shape[0]} features on axis ${this.axis}, got shape ${fmt(s)}`);
  }

  override build(s: Shape | Shape[]): void {
    this.checkInputShape(s);
    const sh = s as Shape;
    const d = [sh[this.ax(sh.length)] as number];
    if (this.scale) this.gamma = this.addWeight('gamma', d, this.inits.gamma, this.gammaRegularizer);
    if (this.center) this.beta = this.addWeight('beta', d, this.inits.beta, this.betaRegularizer);
    this.movingMean = this.addWeight('moving_mean', d, this.inits.movingMean, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', d, this.inits.movingVariance, undefined, false);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = inputs as Tensor;
    const a = this.ax(x.rank);
    const bshape = x.shape.map((d, i) => (i === a ? d : 1));
    const b = (v: Tensor): Tensor => ops.reshape(v, bshape);
    let mean: Tensor;
    let variance: Tensor;
    if (args.training) {
      const axes = x.shape.map((_, i) => i).filter((i) => i !== a);
      mean = ops.mean(x, axes, true);
      variance = ops.mean(ops.squaredDifference(x, mean), axes, true);
      const update = (mv: Variable, batch: Tensor): void => {
        noGrad(() => {
          const nv = ops.sub(mv, ops.mul(ops.sub(mv, ops.reshape(batch, mv.shape)), 1 - this.momentum));
          mv.assign(nv);
          nv.dispose();
        });
      };
      update(this.movingMean!, mean);
      update(this.movingVariance!, variance);
    } else {
      mean = b(this.movingMean!);
      variance = b(this.movingVariance!);
    }
    return normalize(x, mean, variance, this.epsilon, this.gamma && b(this.gamma), this.beta && b(this.beta));
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.inits.beta),
      gamma_initializer: initializerConfig(this.inits.gamma),
      moving_mean_initializer: initializerConfig(this.inits.movingMean),
      moving_variance_initializer: initializerConfig(this.inits.movingVariance),
      beta_regularizer: regularizerConfig(this.betaRegularizer),
      gamma_regularizer: regularizerConfig(this.gammaRegularizer),
      beta_constraint: null,
      gamma_constraint: null,
    };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const normalizationLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  BatchNormalization: (a) => new BatchNormalization(a as BatchNormalizationArgs),
};

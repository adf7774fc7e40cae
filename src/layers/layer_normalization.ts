/**
 * LayerNormalization (Ba et al. 2016), Keras/tfjs semantics: each sample is
 * normalised over `axis` (default the last) with its own mean and biased
 * variance, y = (x − μ)/√(σ² + ε)·γ + β, with γ, β of the normalised dims'
 * shape (weights in Keras order: gamma, beta). Same in training and inference.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { InitializerSpec, RegularizerSpec } from './core.js';
import { fmt } from './core.js';
import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import type { LayerArgs, Regularizer, Shape } from './layer.js';
import { Layer } from './layer.js';
import { normalize } from './normalization.js';
import { getRegularizer, regularizerConfig } from './regularizers.js';
import { initializerConfig } from './serialization.js';

/** Options of `layerNormalization`. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1); never the batch axis. */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Add the learned offset beta (default true). */
  center?: boolean;
  /** Multiply by the learned scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec;
  gammaRegularizer?: RegularizerSpec;
}

/** Normalises each sample over the feature axis/axes, then scales and shifts. */
export class LayerNormalization extends Layer {
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer?: Regularizer;
  readonly gammaRegularizer?: Regularizer;
  gamma?: Variable;
  beta?: Variable;
  private rank = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const ax = args.axis ?? -1;
    this.axis = Array.isArray(ax) ? [...(ax as number[])] : [ax as number];
    if (this.axis.length === 0 || this.axis.some((a) => !Number.isInteger(a))) throw new Error(`${this.name} (LayerNormalization): axis must be an integer or a non-empty list of integers, got ${JSON.stringify(args.axis)}`);
    // Keras 3 configs carry rms_scaling; only its default (false) is implemented.
    if ((args as { rmsScaling?: unknown }).rmsScaling === true) throw new Error(`${this.name} (LayerNormalization): rms_scaling is not supported`);
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon >= 0)) throw new Error(`${this.name} (LayerNormalization): epsilon must be >= 0, got ${args.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer, 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer, 'ones');
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
  }

  getClassName(): string {
    return 'LayerNormalization';
  }

  /** The normalised axes, non-negative and sorted, for inputs of rank `r`. */
  private axes(r: number): number[] {
    return [...new Set(this.axis.map((a) => (a < 0 ? a + r : a)))].sort((a, b) => a - b);
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    if (Array.isArray(s[0])) throw new Error(`${this.name} (LayerNormalization): expects one input, got ${fmt(s)}`);
    const sh = s as Shape;
    for (const a of this.axes(sh.length)) {
      if (a <= 0 || a >= sh.length) throw new Error(`${this.name} (LayerNormalization): axis ${JSON.stringify(this.axis)} is out of range (or the batch axis) for input shape ${fmt(s)}`);
      if (sh[a] === null) throw new Error(`${this.name} (LayerNormalization): dim ${a} of input shape ${fmt(s)} must be known`);
    }
    if (this.built && this.rank !== sh.length) throw new Error(`${this.name} (LayerNormalization): built for rank ${this.rank}, got shape ${fmt(s)}`);
    const p = this.gamma ?? this.beta;
    if (p) {
      const want = this.axes(sh.length).map((a) => sh[a]);
      if (want.some((d, i) => d !== p.shape[i])) throw new Error(`${this.name} (LayerNormalization): expected dims [${p.shape}] on axes ${JSON.stringify(this.axis)}, got shape ${fmt(s)}`);
    }
  }

  override build(s: Shape | Shape[]): void {
    this.checkInputShape(s);
    const sh = s as Shape;
    this.rank = sh.length;
    const d = this.axes(sh.length).map((a) => sh[a] as number);
    if (this.scale) this.gamma = this.addWeight('gamma', d, this.gammaInitializer, this.gammaRegularizer);
    if (this.center) this.beta = this.addWeight('beta', d, this.betaInitializer, this.betaRegularizer);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    const axes = this.axes(x.rank);
    // γ, β of the axes' dims, broadcast over the others: [1, ..., d_a, ..., 1].
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const mean = ops.mean(x, axes, true);
    const variance = ops.mean(ops.squaredDifference(x, mean), axes, true);
    return normalize(x, mean, variance, this.epsilon, this.gamma && ops.reshape(this.gamma, bshape), this.beta && ops.reshape(this.beta, bshape));
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis.length === 1 ? this.axis[0] : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.betaInitializer),
      gamma_initializer: initializerConfig(this.gammaInitializer),
      beta_regularizer: regularizerConfig(this.betaRegularizer),
      gamma_regularizer: regularizerConfig(this.gammaRegularizer),
    };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const layerNormalizationClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  LayerNormalization: (a) => new LayerNormalization(a as LayerNormalizationArgs),
};

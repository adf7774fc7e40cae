/**
 * Core layers: Dense, Flatten, Reshape, Dropout, Activation.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Activation as ActFn, ActivationName } from './activations.js';
import { activationKerasName, getActivation, normaliseActivation } from './activations.js';
import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import type { CallArgs, LayerArgs, Regularizer, Shape } from './layer.js';
import { Layer } from './layer.js';
import { getRegularizer, regularizerConfig } from './regularizers.js';
import { initializerConfig } from './serialization.js';

/** What getInitializer accepts. */
export type InitializerSpec = Parameters<typeof getInitializer>[0];
/** What getRegularizer accepts. */
export type RegularizerSpec = Parameters<typeof getRegularizer>[0];

export const fmt = (s: Shape | Shape[]): string => JSON.stringify(s);

/** Throws unless `shape` has rank in [min, max]. */
export function checkRank(layer: Layer, shape: Shape | Shape[], min: number, max = min, what = ''): void {
  if (Array.isArray(shape[0])) throw new Error(`${layer.name} (${layer.getClassName()}): expects one input, got ${(shape as Shape[]).length}: ${fmt(shape)}`);
  const r = shape.length;
  if (r < min || r > max) {
    const want = min === max ? `${min}` : max === Infinity ? `>= ${min}` : `${min}..${max}`;
    throw new Error(`${layer.name} (${layer.getClassName()}): expected input of rank ${want}${what}, got shape ${fmt(shape)}`);
  }
}

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: string | null;
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras; tfjs uses 'glorotNormal'). */
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** Shorthand for inputShape [inputDim]. */
  inputDim?: number;
}

/** Dense activations `ops.fusedMatMul` applies in its kernel. */
const FUSED_ACTIVATIONS: Readonly<Partial<Record<ActivationName, ops.MatMulActivation>>> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' };

/**
 * y = activation(x·W + b) on the last axis; x [..., in] → [..., units]. Rank-2
 * float inputs with a bias and a linear/relu/sigmoid/tanh activation run as one
 * fused op (`ops.fusedMatMul`); other cases compose matMul, add and the activation.
 */
export class Dense extends Layer {
  readonly units: number;
  readonly activationName: ActivationName;
  readonly activation: ActFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  kernel?: Variable;
  bias?: Variable;

  constructor(args: DenseArgs) {
    super(args.inputDim !== undefined && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: [args.inputDim] } : args);
    if (!Number.isInteger(args.units) || args.units < 1) throw new Error(`${this.name} (Dense): units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.activationName = normaliseActivation(args.activation);
    this.activation = getActivation(this.activationName);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
  }

  getClassName(): string {
    return 'Dense';
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, 2, Infinity);
    const last = (s as Shape)[(s as Shape).length - 1];
    if (last === null) throw new Error(`${this.name} (Dense): the last dim of the input must be known, got shape ${fmt(s)}`);
    if (this.kernel && last !== this.kernel.shape[0]) throw new Error(`${this.name} (Dense): expected input last dim ${this.kernel.shape[0]}, got shape ${fmt(s)}`);
  }

  override build(s: Shape | Shape[]): void {
    this.checkInputShape(s);
    const inDim = (s as Shape)[(s as Shape).length - 1] as number;
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, this.kernelRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.biasRegularizer);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    const k = this.kernel!;
    // Rank 2 with a bias and an activation the fused kernel has: act(x·W + b) in one op (one kernel forward).
    const fusedAct = FUSED_ACTIVATIONS[this.activationName as keyof typeof FUSED_ACTIVATIONS];
    if (x.rank === 2 && this.bias && fusedAct && x.dtype === 'float32') return ops.fusedMatMul(x, k, this.bias, fusedAct);
    let y = x.rank === 2 ? ops.matMul(x, k) : ops.reshape(ops.matMul(ops.reshape(x, [-1, k.shape[0]]), k), [...x.shape.slice(0, -1), this.units]);
    if (this.bias) y = ops.add(y, this.bias);
    return this.activationName === 'linear' ? y : this.activation(y);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape).slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationKerasName(this.activationName),
      use_bias: this.useBias,
      kernel_initializer: initializerConfig(this.kernelInitializer),
      bias_initializer: initializerConfig(this.biasInitializer),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer),
      bias_regularizer: regularizerConfig(this.biasRegularizer),
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
  }
}

/** [batch, d1, d2, …] → [batch, d1·d2·…]. */
export class Flatten extends Layer {
  getClassName(): string {
    return 'Flatten';
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, 2, Infinity);
    if ((s as Shape).slice(1).some((d) => d === null)) throw new Error(`${this.name} (Flatten): all non-batch dims must be known, got shape ${fmt(s)}`);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    return ops.reshape(x, [x.shape[0], x.size / Math.max(1, x.shape[0])]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [(s as Shape)[0], (s as Shape).slice(1).reduce((a: number, b) => a * (b as number), 1)];
  }
}

/** Reshapes each sample to `targetShape` (one entry may be -1). */
export class Reshape extends Layer {
  readonly targetShape: number[];

  constructor(args: LayerArgs & { targetShape: readonly number[] }) {
    super(args);
    if (!Array.isArray(args.targetShape)) throw new Error(`${this.name} (Reshape): targetShape must be an array of numbers`);
    if (args.targetShape.filter((d) => d === -1).length > 1) throw new Error(`${this.name} (Reshape): at most one -1 in targetShape, got ${fmt(args.targetShape as Shape)}`);
    this.targetShape = [...args.targetShape];
  }

  getClassName(): string {
    return 'Reshape';
  }

  private resolve(s: Shape): number[] {
    const n = s.slice(1).reduce((a: number, b) => a * (b as number), 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.map((d) => (d === -1 ? n / known : d));
    if (out.reduce((a, b) => a * b, 1) !== n || out.some((d) => !Number.isInteger(d))) {
      throw new Error(`${this.name} (Reshape): cannot reshape input of shape ${fmt(s)} to ${fmt([null, ...this.targetShape])}`);
    }
    return out;
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    checkRank(this, s, 1, Infinity);
    this.resolve(s as Shape);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    return ops.reshape(x, [x.shape[0], ...this.resolve(x.shape as Shape)]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [(s as Shape)[0], ...this.resolve(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: this.targetShape };
  }
}

/**
 * Inverted dropout: in training each unit is zeroed with probability `rate`
 * and the rest scaled by 1/(1 − rate), so inference is the identity.
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape?: number[];
  readonly seed?: number;

  constructor(args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`${this.name} (Dropout): rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.noiseShape = args.noiseShape;
    this.seed = args.seed;
  }

  getClassName(): string {
    return 'Dropout';
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = inputs as Tensor;
    if (!args.training || this.rate === 0) return ops.clone(x);
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => (d === null || d === undefined ? x.shape[i] : d)) : x.shape;
    const keep = ops.cast(ops.greaterEqual(ops.randomUniform(shape, 0, 1, 'float32', this.seed), this.rate), 'float32');
    return ops.mul(x, ops.mul(keep, 1 / (1 - this.rate)));
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape ?? null, seed: this.seed ?? null };
  }
}

/** Applies an activation function. */
export class Activation extends Layer {
  readonly activationName: ActivationName;

  constructor(args: LayerArgs & { activation: string }) {
    super(args);
    this.activationName = normaliseActivation(args.activation);
  }

  getClassName(): string {
    return 'Activation';
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return getActivation(this.activationName)(inputs as Tensor);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activationKerasName(this.activationName) };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const coreLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  Dense: (a) => new Dense(a as unknown as DenseArgs),
  Flatten: (a) => new Flatten(a),
  Reshape: (a) => new Reshape(a as never),
  Dropout: (a) => new Dropout(a as never),
  Activation: (a) => new Activation(a as never),
};

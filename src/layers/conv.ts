/**
 * Convolution layers, channels-last: Conv1D [batch, steps, ch] and
 * Conv2D [batch, h, w, ch]. Kernels are [k, in, filters] / [kh, kw, in, filters].
 */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Activation as ActFn, ActivationName } from './activations.js';
import { activationKerasName, getActivation, normaliseActivation } from './activations.js';
import type { InitializerSpec, RegularizerSpec } from './core.js';
import { checkRank, fmt } from './core.js';
import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import type { LayerArgs, Regularizer, Shape } from './layer.js';
import { Layer } from './layer.js';
import { getRegularizer, regularizerConfig } from './regularizers.js';
import { initializerConfig, registerLayer } from './serialization.js';

export type Padding = 'valid' | 'same';

/** Conv activations `ops.fusedConv2d` applies in its kernel. */
const FUSED_ACTIVATIONS: Readonly<Partial<Record<ActivationName, ops.MatMulActivation>>> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' };

/** Output length of a window op along one dim (null stays null). */
export function convLength(n: number | null, k: number, stride: number, padding: Padding, dilation = 1): number | null {
  if (n === null) return null;
  const ek = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - ek) / stride) + 1;
}

export function tuple(v: number | readonly number[] | undefined, n: number, dflt: number, what: string, layer: string): number[] {
  const t = v === undefined ? new Array<number>(n).fill(dflt) : typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (t.length !== n || t.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`${layer}: ${what} must be a positive integer or ${n} of them, got ${JSON.stringify(v)}`);
  return t;
}

export function checkPadding(p: string | undefined, layer: string): Padding {
  const v = p ?? 'valid';
  if (v !== 'valid' && v !== 'same') throw new Error(`${layer}: padding must be 'valid' or 'same', got '${v}'`);
  return v;
}

export interface ConvArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: Padding;
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
}

abstract class Conv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dilationRate: number[];
  readonly activationName: ActivationName;
  readonly activation: ActFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  kernel?: Variable;
  bias?: Variable;

  constructor(readonly rank: number, args: ConvArgs) {
    super(args);
    const who = `${this.name} (${this.getClassName()})`;
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new Error(`${who}: filters must be a positive integer, got ${args.filters}`);
    if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast') throw new Error(`${who}: only dataFormat 'channelsLast' is supported`);
    this.filters = args.filters;
    this.kernelSize = tuple(args.kernelSize, rank, 1, 'kernelSize', who);
    this.strides = tuple(args.strides, rank, 1, 'strides', who);
    this.padding = checkPadding(args.padding, who);
    this.dilationRate = tuple(args.dilationRate, rank, 1, 'dilationRate', who);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) throw new Error(`${who}: strides > 1 together with dilationRate > 1 is not supported`);
    this.activationName = normaliseActivation(args.activation);
    this.activation = getActivation(this.activationName);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
  }

  protected override checkInputShape(s: Shape | Shape[]): void {
    const dims = this.rank === 1 ? '[batch, steps, channels]' : '[batch, height, width, channels]';
    checkRank(this, s, this.rank + 2, this.rank + 2, ` ${dims}`);
    const ch = (s as Shape)[this.rank + 1];
    if (ch === null) throw new Error(`${this.name} (${this.getClassName()}): the channel dim must be known, got shape ${fmt(s)}`);
    if (this.kernel && ch !== this.kernel.shape[this.rank]) throw new Error(`${this.name} (${this.getClassName()}): expected ${this.kernel.shape[this.rank]} input channels, got shape ${fmt(s)}`);
    const out = this.computeOutputShape(s);
    if (out.some((d) => d !== null && d < 1)) throw new Error(`${this.name} (${this.getClassName()}): input ${fmt(s)} is too small for kernel ${fmt(this.kernelSize)} (output would be ${fmt(out)})`);
  }

  override build(s: Shape | Shape[]): void {
    this.checkInputShape(s);
    const ch = (s as Shape)[this.rank + 1] as number;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, ch, this.filters], this.kernelInitializer, this.kernelRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, this.biasRegularizer);
    this.built = true;
  }

  protected abstract conv(x: Tensor): Tensor;

  /** act(conv(x) + bias) as one `ops.fusedConv2d` (bias omitted when the layer has none). */
  protected abstract fusedConv(x: Tensor, act: ops.MatMulActivation): Tensor;

  call(inputs: Tensor | Tensor[]): Tensor {
    // An activation the fused kernel has, with a bias or an activation to fuse: one op (one kernel forward).
    const fusedAct = FUSED_ACTIVATIONS[this.activationName as keyof typeof FUSED_ACTIVATIONS];
    if (fusedAct && (this.bias || fusedAct !== 'linear')) return this.fusedConv(inputs as Tensor, fusedAct);
    let y = this.conv(inputs as Tensor);
    if (this.bias) y = ops.add(y, this.bias);
    return this.activationName === 'linear' ? y : this.activation(y);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    const sh = s as Shape;
    const sp = this.kernelSize.map((k, i) => convLength(sh[i + 1], k, this.strides[i], this.padding, this.dilationRate[i]));
    return [sh[0], ...sp, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
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

/** 1-D convolution over steps: [batch, steps, in] → [batch, steps', filters]. */
export class Conv1D extends Conv {
  constructor(args: ConvArgs) {
    super(1, args);
  }

  getClassName(): string {
    return 'Conv1D';
  }

  protected conv(x: Tensor): Tensor {
    return ops.conv1d(x, this.kernel!, this.strides[0], this.padding, 'NWC', this.dilationRate[0]);
  }

  protected fusedConv(x: Tensor, act: ops.MatMulActivation): Tensor {
    // [N, W, C] as [N, 1, W, C] and [k, in, filters] as [1, k, in, filters], as ops.conv1d runs it.
    const k = this.kernel!;
    const x4 = ops.reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]);
    const y = ops.fusedConv2d(x4, ops.reshape(k, [1, ...k.shape]), this.bias, act, [1, this.strides[0]], this.padding, [1, this.dilationRate[0]]);
    return ops.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  }
}

/** 2-D convolution: [batch, h, w, in] → [batch, h', w', filters]. */
export class Conv2D extends Conv {
  constructor(args: ConvArgs) {
    super(2, args);
  }

  getClassName(): string {
    return 'Conv2D';
  }

  protected conv(x: Tensor): Tensor {
    return ops.conv2d(x, this.kernel!, this.strides as [number, number], this.padding, 'NHWC', this.dilationRate as [number, number]);
  }

  protected fusedConv(x: Tensor, act: ops.MatMulActivation): Tensor {
    return ops.fusedConv2d(x, this.kernel!, this.bias, act, this.strides as [number, number], this.padding, this.dilationRate as [number, number]);
  }
}

registerLayer('Conv1D', (a) => new Conv1D(a as unknown as ConvArgs));
registerLayer('Conv2D', (a) => new Conv2D(a as unknown as ConvArgs));

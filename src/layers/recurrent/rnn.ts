/**
 * `RNN`: the shared base of SimpleRNN, LSTM and GRU. It owns the options
 * common to all three, the time loop, dropout masks, goBackwards,
 * returnSequences/returnState and the Keras config; subclasses create their
 * weights and supply one step of the cell (see `cells.ts`).
 *
 * Input [batch, timesteps, features]; output [batch, units], or
 * [batch, timesteps, units] with returnSequences; with returnState the
 * output is followed by the final states ([batch, units] each).
 */
import type { Tensor, Variable } from '../../tensor/index.js';
import * as ops from '../../tensor/index.js';
import { ENGINE, variable } from '../../tensor/index.js';
import type { Activation, ActivationName } from '../activations.js';
import { activationKerasName, getActivation, normaliseActivation } from '../activations.js';
import type { Initializer } from '../initializers.js';
import { getInitializer } from '../initializers.js';
import type { CallArgs, LayerArgs, Regularizer, Shape } from '../layer.js';
import { checkWeightAllocation, Layer } from '../layer.js';

/** What `getInitializer` accepts: a name, a `{className, config}` or an initializer. */
export type InitializerSpec = Parameters<typeof getInitializer>[0];

/** Options shared by simpleRNN, lstm and gru (Keras names in camelCase). */
export interface RNNLayerArgs extends LayerArgs {
  /** Size of the state and output. */
  units: number;
  /** Output/candidate activation, default 'tanh' (null → linear). */
  activation?: string | null;
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras; TensorFlow.js uses 'glorotNormal'). */
  kernelInitializer?: InitializerSpec;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: Regularizer | null;
  recurrentRegularizer?: Regularizer | null;
  biasRegularizer?: Regularizer | null;
  /** Return the output of every step ([batch, timesteps, units]), not only the last. */
  returnSequences?: boolean;
  /** Also return the final state(s) after the output. */
  returnState?: boolean;
  /** Process the sequence last step first (the per-step outputs are in that order too, as in Keras). */
  goBackwards?: boolean;
  /** Fraction of input features dropped (one mask per sequence, training only). */
  dropout?: number;
  /** Fraction of state units dropped before the recurrent matMul (one mask per sequence, training only). */
  recurrentDropout?: number;
  /** Only false is supported. */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the loop is always run step by step. */
  unroll?: boolean;
}

/** Options of layers with gates (LSTM, GRU). */
export interface GatedRNNLayerArgs extends RNNLayerArgs {
  /** Gate activation, default 'sigmoid' (Keras 3); TensorFlow.js models use 'hardSigmoid'. */
  recurrentActivation?: string | null;
  /** Accepted for Keras compatibility (1 or 2); the computation is the same. */
  implementation?: number;
}

const clampRate = (r: number | undefined, what: string): number => {
  const v = r ?? 0;
  if (!(v >= 0 && v < 1)) throw new Error(`${what} must be in [0, 1), got ${r}`);
  return v;
};

/** A Keras config entry `{class_name, config}` for an initializer. */
export function initializerConfig(init: Initializer): { class_name: string; config: Record<string, unknown> } {
  return { class_name: init.className, config: { ...init.config } };
}

function regularizerConfig(r: Regularizer | undefined): unknown {
  return r ? { class_name: r.getClassName(), config: r.getConfig() } : null;
}

/**
 * Runs `fn` in an engine scope: intermediates are freed on return, except
 * while a gradient tape records (backprop needs them and frees them itself).
 */
export function layerScope<T extends Tensor | Tensor[]>(fn: () => T): T {
  ENGINE.startScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    ENGINE.endScope(null);
    throw e;
  }
  ENGINE.endScope(result, !ENGINE.recording);
  return result;
}

/** Inverted-dropout mask of `shape`: 0 with probability `rate`, else 1/(1 − rate). */
export function dropoutMask(shape: readonly number[], rate: number): Tensor {
  return layerScope(() => ops.mul(ops.cast(ops.greaterEqual(ops.randomUniform(shape), rate), 'float32'), 1 / (1 - rate)));
}

export abstract class RNN extends Layer {
  readonly units: number;
  readonly activationName: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly recurrentRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  /** The constructor's arguments, for cloning (Bidirectional). */
  protected readonly args: RNNLayerArgs;
  /** Prefix of weight names, e.g. 'bidirectional/' for a wrapped layer. */
  weightScope = '';
  protected readonly activation: Activation;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;

  constructor(args: RNNLayerArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) throw new Error(`${this.getClassName()}: units must be a positive integer, got ${args.units}`);
    if (args.stateful) throw new Error(`${this.getClassName()}: stateful is not supported`);
    this.args = { ...args };
    this.units = args.units;
    this.activationName = normaliseActivation(args.activation === undefined ? 'tanh' : args.activation);
    this.activation = getActivation(this.activationName);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform');
    this.recurrentInitializer = getInitializer(args.recurrentInitializer, 'orthogonal');
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ?? undefined;
    this.recurrentRegularizer = args.recurrentRegularizer ?? undefined;
    this.biasRegularizer = args.biasRegularizer ?? undefined;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.dropout = clampRate(args.dropout, `${this.getClassName()}: dropout`);
    this.recurrentDropout = clampRate(args.recurrentDropout, `${this.getClassName()}: recurrentDropout`);
  }

  /** Number of state tensors (LSTM: 2, h and c). */
  get numStates(): number {
    return 1;
  }

  /** A layer of the same class and options, with `overrides` applied. */
  cloneWith(overrides: Partial<RNNLayerArgs>): RNN {
    const Ctor = this.constructor as new (a: RNNLayerArgs) => RNN;
    return new Ctor({ ...this.args, ...overrides });
  }

  /** Creates a weight named `${weightScope}${layer}/${name}`, or `${weightNamePrefix}/${name}` inside a wrapper (creation order is Keras's). */
  protected override addWeight(name: string, shape: readonly number[], init: (shape: readonly number[]) => Tensor, regularizer?: Regularizer, trainable = true): Variable {
    checkWeightAllocation(this.name, name, shape);
    const t = init(shape);
    const v = variable(t, trainable && this.trainable, `${this.weightNamePrefix ?? `${this.weightScope}${this.name}`}/${name}`);
    t.dispose();
    this.layerWeights.push({ name, variable: v, regularizer });
    return v;
  }

  /** Creates kernel [features, G·units], recurrent_kernel [units, G·units] and bias. */
  protected abstract buildCell(inputDim: number): void;

  /**
   * x·W (+ input bias) for rows of time-major input: x2d [rows, features] →
   * [rows, G·units]. Inference passes every timestep at once; training one
   * step's rows at a time (see `call`).
   */
  protected abstract projectInputs(x2d: Tensor): Tensor;

  /**
   * One step from `xw` [batch, G·units] and the states; returns the new
   * states (states[0] is the output h). `hRec` is h_{t−1} as the recurrent
   * matMul sees it: with recurrent dropout it is h_{t−1}·mask, otherwise
   * h_{t−1} itself. The mask reaches only the gates' recurrent input, never
   * a carried state (GRU's z·h_{t−1}): carrying the masked, 1/(1 − rate)
   * scaled state makes |h| grow without bound over a long sequence (Keras 3
   * fixed the same bug in keras-team/keras#20656; TensorFlow.js still has it).
   * One mask is shared by all gates (tfjs's and Keras 2's implementation 2);
   * Keras 3 now draws one per gate, which differs only in which units drop.
   */
  protected abstract step(xw: Tensor, states: Tensor[], hRec: Tensor): Tensor[];

  /** Called once per `call` before the loop, e.g. to slice the recurrent kernel once rather than per step. */
  protected prepare(): void {}

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3) throw new Error(`${this.name}: expects input [batch, timesteps, features], got ${JSON.stringify(s)}`);
    const f = s[2];
    if (f === null) throw new Error(`${this.name}: the feature dim of the input must be known, got [${s}]`);
    if (!this.built) this.buildCell(f);
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.rank !== 3) throw new Error(`${this.name}: expects input [batch, timesteps, features], got [${x.shape}]`);
    if (!this.built) this.build([...x.shape]);
    const [b, tSteps, f] = x.shape;
    const kIn = this.kernel!.shape[0];
    if (f !== kIn) throw new Error(`${this.name}: expects ${kIn} input features, got input [${x.shape}]`);
    if (tSteps === 0) throw new Error(`${this.name}: the input has no timesteps: [${x.shape}]`);
    const training = args.training ?? false;
    return layerScope(() => {
      let xin = x;
      if (training && this.dropout > 0) xin = ops.mul(x, ops.expandDims(dropoutMask([b, f], this.dropout), 1));
      const recMask = training && this.recurrentDropout > 0 ? dropoutMask([b, this.units], this.recurrentDropout) : null;
      // Time-major so each step's rows are contiguous: [T·B, F] → [T·B, G·units].
      const x2d = ops.reshape(ops.transpose(xin, [1, 0, 2]), [tSteps * b, f]);
      // Training projects each step's rows on their own: the gradient of a slice is
      // padded to its input's full size, so T slices of xw [T·B, G·units] would cost
      // O(T²·B·G·units) in the backward pass; slices of x cost O(T²·B·F), and none
      // when x needs no gradient. Inference keeps the one big matMul.
      const xw = training ? null : this.projectInputs(x2d);
      const g = xw ? xw.shape[1] : 0;
      this.prepare();
      let states: Tensor[] = [];
      for (let i = 0; i < this.numStates; i++) states.push(ops.zeros([b, this.units]));
      const outputs: Tensor[] = [];
      for (let s = 0; s < tSteps; s++) {
        const t = this.goBackwards ? tSteps - 1 - s : s;
        const prev = states;
        states = layerScope(() => {
          const hRec = recMask ? ops.mul(prev[0], recMask) : prev[0];
          return this.step(xw ? ops.slice(xw, [t * b, 0], [b, g]) : this.projectInputs(ops.slice(x2d, [t * b, 0], [b, f])), prev, hRec);
        });
        outputs.push(states[0]);
      }
      const out = this.returnSequences ? ops.stack(outputs, 1) : states[0];
      return this.returnState ? [out, ...states] : out;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3) throw new Error(`${this.name}: expects input [batch, timesteps, features], got ${JSON.stringify(s)}`);
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.numStates }, (): Shape => [s[0], this.units])];
  }

  /** Keras config (snake_case keys, as in model.json). */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationKerasName(this.activationName),
      use_bias: this.useBias,
      kernel_initializer: initializerConfig(this.kernelInitializer),
      recurrent_initializer: initializerConfig(this.recurrentInitializer),
      bias_initializer: initializerConfig(this.biasInitializer),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer),
      recurrent_regularizer: regularizerConfig(this.recurrentRegularizer),
      bias_regularizer: regularizerConfig(this.biasRegularizer),
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: false,
      unroll: false,
    };
  }
}

/** Base of LSTM and GRU: adds the gate activation. */
export abstract class GatedRNN extends RNN {
  readonly recurrentActivationName: ActivationName;
  protected readonly recurrentActivation: Activation;
  readonly implementation: number;

  constructor(args: GatedRNNLayerArgs) {
    super(args);
    this.recurrentActivationName = normaliseActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation);
    this.recurrentActivation = getActivation(this.recurrentActivationName);
    this.implementation = args.implementation ?? 2;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrent_activation: activationKerasName(this.recurrentActivationName), implementation: this.implementation };
  }
}

/**
 * `Layer`: the base of every Keras-style layer. A layer owns weights
 * (variables) created in `build` from the input shape, maps inputs to outputs
 * in `call`, and knows its output shape without running (`computeOutputShape`),
 * which `summary()` and the functional API use.
 *
 * Shapes here include the batch dim as `null`, as in Keras: `[null, 28, 28, 1]`.
 */
import type { Tensor, Variable } from '../tensor/index.js';
import { ENGINE, variable } from '../tensor/index.js';
import { Node, SymbolicTensor } from './symbolic.js';

/** A shape with an unknown (null) batch dim. */
export type Shape = (number | null)[];

/** Options every layer accepts. */
export interface LayerArgs {
  name?: string;
  /** Shape of one sample, without the batch dim (first layer only). */
  inputShape?: readonly number[];
  /** Full input shape with the batch dim (null for any). */
  batchInputShape?: readonly (number | null)[];
  trainable?: boolean;
  /** Only 'float32' is supported. */
  dtype?: 'float32';
}

/** Arguments of `call`. */
export interface CallArgs {
  /** True inside `fit`: dropout and friends are active. */
  training?: boolean;
}

/** Something that adds a penalty to the loss from a weight (L1/L2). */
export interface Regularizer {
  /** The penalty for weight `w`, a scalar tensor. */
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
  getClassName(): string;
}

/** A weight and what the layer knows of it. */
export interface LayerWeight {
  /** Keras's name for it, e.g. 'kernel', 'bias', 'recurrent_kernel'. */
  readonly name: string;
  readonly variable: Variable;
  readonly regularizer?: Regularizer;
}

const nameCounts = new Map<string, number>();
let layerIds = 0;

/** A unique default name: 'dense', 'dense_1', … as Keras does. */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** snake_case of a class name, for default layer names (Keras's to_snake_case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, SimpleRNN → simple_rnn). */
export function snake(s: string): string {
  return s
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export abstract class Layer {
  readonly name: string;
  trainable: boolean;
  built = false;
  /** Set when the layer was given inputShape/batchInputShape. */
  readonly batchInputShape?: Shape;
  protected readonly layerWeights: LayerWeight[] = [];
  /** Graph nodes: one per `apply` on symbolic inputs (a shared layer has several). */
  readonly inboundNodes: Node[] = [];
  /** Unique id, used by the functional graph. */
  readonly id = layerIds++;
  /** @internal Replaces the layer name in its variables' names (a wrapper's name: TimeDistributed's 'time_distributed/kernel', as tfjs names them). */
  weightNamePrefix?: string;

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(snake(this.getClassName()));
    this.trainable = args.trainable ?? true;
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [null, ...args.inputShape];
    if (args.dtype !== undefined && args.dtype !== 'float32') throw new Error(`${this.name}: only dtype 'float32' is supported, got '${args.dtype}'`);
  }

  /** The Keras class name, e.g. 'Dense'. */
  abstract getClassName(): string;

  /** Creates the weights for inputs of `inputShape`. Called once, before the first `call`. */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The computation. Inputs are concrete tensors. */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /** Output shape for an input shape, without running. */
  abstract computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[];

  /** The layer's configuration, as saved in model.json (`config` of the layer entry). */
  getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape) c.batch_input_shape = this.batchInputShape;
    return c;
  }

  /** Creates a weight variable named `${layer.name}/${name}` (Keras's order is creation order). */
  protected addWeight(name: string, shape: readonly number[], init: (shape: readonly number[]) => Tensor, regularizer?: Regularizer, trainable = true): Variable {
    checkWeightAllocation(this.name, name, shape);
    const t = init(shape);
    const v = variable(t, trainable && this.trainable, `${this.weightNamePrefix ?? this.name}/${name}`);
    t.dispose();
    this.layerWeights.push({ name, variable: v, regularizer });
    return v;
  }

  /** All weights in creation order (Keras's `weights`). */
  get weights(): Variable[] {
    return this.layerWeights.map((w) => w.variable);
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.layerWeights.filter((w) => w.variable.trainable).map((w) => w.variable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layerWeights.filter((w) => !w.variable.trainable).map((w) => w.variable) : this.weights;
  }

  /** Weights with their Keras names and regularizers. */
  get namedWeights(): readonly LayerWeight[] {
    return this.layerWeights;
  }

  /** Sum of the regularization penalties of this layer's weights (a scalar), or null. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const w of this.layerWeights) {
      if (!w.regularizer) continue;
      const p = w.regularizer.apply(w.variable);
      total = total ? total.add(p) : p;
    }
    return total;
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of the weight values, in Keras order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.clone());
  }

  /** Sets the weights from tensors in Keras order (shapes must match). */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    values.forEach((v, i) => {
      if (v.shape.length !== ws[i].shape.length || v.shape.some((d, j) => d !== ws[i].shape[j])) {
        throw new Error(`${this.name}.setWeights: weight ${i} (${this.layerWeights[i].name}) has shape [${ws[i].shape}], got [${v.shape}]`);
      }
    });
    values.forEach((v, i) => ws[i].assign(v));
  }

  /**
   * Checks an input shape before build/call; subclasses throw errors naming
   * the layer and the shape (e.g. a wrong rank).
   */
  protected checkInputShape(_inputShape: Shape | Shape[]): void {}

  /**
   * Calls the layer. On concrete tensors: builds on first use from their
   * shapes, runs `call`, and frees intermediates unless a gradient tape records.
   * On symbolic tensors (functional API): builds, infers the output shape and
   * records a graph node, returning symbolic output(s).
   * @example const y = sg.layers.dense({ units: 3 }).apply(sg.input({ shape: [4] }));
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor | Tensor[];
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const list = (Array.isArray(inputs) ? inputs : [inputs]) as (Tensor | SymbolicTensor)[];
    const nSym = list.filter((x) => x instanceof SymbolicTensor).length;
    if (nSym > 0 && nSym !== list.length) throw new Error(`${this.name}: inputs mix symbolic and concrete tensors`);
    const shapes: Shape[] = list.map((x) => [...x.shape]);
    const inShape: Shape | Shape[] = Array.isArray(inputs) ? shapes : shapes[0];
    if (nSym > 0) {
      const syms = list as SymbolicTensor[];
      this.checkInputShape(inShape);
      if (!this.built) {
        this.build(inShape);
        this.built = true;
      }
      const out = this.computeOutputShape(inShape);
      const outShapes = isShapeList(out) ? out : [out];
      const node = new Node(this, this.inboundNodes.length, syms, Array.isArray(inputs));
      node.outputs = outShapes.map((s, i) => new SymbolicTensor(s, this, node.index, i));
      this.inboundNodes.push(node);
      return isShapeList(out) ? node.outputs : node.outputs[0];
    }
    const batchless = shapes.map((s) => [null, ...s.slice(1)]);
    this.checkInputShape(Array.isArray(inputs) ? batchless : batchless[0]);
    if (!this.built) {
      this.build(inShape);
      this.built = true;
    }
    ENGINE.startScope();
    let result: Tensor | Tensor[];
    try {
      result = this.call(inputs as Tensor | Tensor[], args);
    } catch (e) {
      ENGINE.endScope(null);
      throw e;
    }
    ENGINE.endScope(result, !ENGINE.recording);
    return result;
  }

  /** Frees the weights. */
  dispose(): void {
    for (const w of this.layerWeights) w.variable.dispose();
  }
}

/** True if `s` is a list of shapes rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** A check run before each weight is allocated (the model loader's budget), or null. */
let weightGuard: ((layer: string, weight: string, shape: readonly number[]) => void) | null = null;

/** @internal Runs `fn` with `guard` called before every layer weight is allocated (it throws to refuse one). */
export function withWeightGuard<T>(guard: (layer: string, weight: string, shape: readonly number[]) => void, fn: () => T): T {
  const prev = weightGuard;
  weightGuard = guard;
  try {
    return fn();
  } finally {
    weightGuard = prev;
  }
}

/** @internal Calls the active weight guard; every path that creates a layer weight calls this first. */
export function checkWeightAllocation(layer: string, weight: string, shape: readonly number[]): void {
  weightGuard?.(layer, weight, shape);
}

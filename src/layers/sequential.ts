/**
 * `Sequential`: a linear stack of layers. Its graph is built as soon as the
 * input shape is known (the first layer's `inputShape`, or the first data
 * given to `predict`/`fit`), by applying each layer to the previous layer's
 * symbolic output. Like Keras, `layers` lists the user's layers without the
 * implicit InputLayer.
 */
import type { Tensor } from '../tensor/index.js';
import { InputLayer } from './input_layer.js';
import type { Layer } from './layer.js';
import { LayersModel } from './model.js';
import { SymbolicTensor } from './symbolic.js';
import { checkConfig, keysOf } from './config_check.js';

const SEQUENTIAL_KEYS = /* @__PURE__ */ keysOf<SequentialArgs>({ layers: true, name: true });

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

export class Sequential extends LayersModel {
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs | Layer[] = {}) {
    const a = Array.isArray(args) ? { layers: args } : args;
    checkConfig('sequential', a, SEQUENTIAL_KEYS);
    super({ name: a.name });
    for (const l of a.layers ?? []) this.add(l);
  }

  protected override defaultName(): string {
    return 'sequential';
  }

  override getClassName(): string {
    return 'Sequential';
  }

  /** Appends a layer; the graph is rebuilt when the input shape is known. */
  add(layer: Layer): void {
    if (!layer || typeof (layer as Layer).apply !== 'function' || typeof (layer as Layer).computeOutputShape !== 'function') {
      throw new Error(`${this.name}.add: expected a layer, got ${layer === null ? 'null' : typeof layer}`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0) throw new Error(`${this.name}.add: an InputLayer can only be the first layer`);
    }
    if (this.stack.includes(layer)) throw new Error(`${this.name}.add: layer '${layer.name}' is already in the model`);
    this.stack.push(layer);
    const first = this.stack[0];
    const shape = first.batchInputShape;
    if (shape) this.buildGraph(shape);
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.stack.length === 0) throw new Error(`${this.name}.pop: the model has no layers`);
    this.stack.pop();
    this.outputs = [];
    const first = this.stack[0];
    if (first?.batchInputShape) this.buildGraph(first.batchInputShape);
  }

  override get layers(): Layer[] {
    return this.stack.filter((l) => !(l instanceof InputLayer));
  }

  private buildGraph(batchShape: readonly (number | null)[]): void {
    const first = this.stack[0];
    const inputLayer = first instanceof InputLayer ? first : new InputLayer({ batchInputShape: [...batchShape], name: `${this.name}_input` });
    let x: SymbolicTensor = inputLayer.output;
    for (const l of this.stack) {
      if (l instanceof InputLayer) continue;
      const y = l.apply(x);
      if (!(y instanceof SymbolicTensor)) {
        throw new Error(`${this.name}: layer '${l.name}' returns ${Array.isArray(y) ? y.length : '?'} outputs; a Sequential model needs single-output layers`);
      }
      x = y;
    }
    this.initGraph([inputLayer.output], [x]);
  }

  override ensureBuilt(xs: readonly Tensor[]): void {
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers; add some first`);
    if (this.outputs.length > 0) return;
    if (xs.length !== 1) throw new Error(`${this.name}: a Sequential model takes one input tensor, got ${xs.length}`);
    this.buildGraph([null, ...xs[0].shape.slice(1)]);
  }

  /** Builds the model for inputs of `batchInputShape` (batch dim may be null). */
  build(batchInputShape: readonly (number | null)[]): void {
    this.buildGraph(batchInputShape);
  }
}

/**
 * A linear stack of layers.
 * @example const m = sg.sequential({ layers: [sg.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }), sg.layers.dense({ units: 1 })] });
 */
export function sequential(args: SequentialArgs | Layer[] = {}): Sequential {
  return new Sequential(args);
}

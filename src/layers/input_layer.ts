/** `InputLayer` and `input()`: the entry points of a functional model. */
import { checkConfig } from './config_check.js';
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { LayerArgs, Shape } from './layer.js';
import { Layer } from './layer.js';
import { Node, SymbolicTensor } from './symbolic.js';

/** A placeholder layer whose one node outputs the model input. */
export class InputLayer extends Layer {
  constructor(args: LayerArgs & { sparse?: boolean }) {
    super(args);
    if (!this.batchInputShape) throw new Error(`${this.name} (InputLayer): needs inputShape or batchInputShape`);
    const node = new Node(this, 0, [], false);
    node.outputs = [new SymbolicTensor(this.batchInputShape, this, 0, 0)];
    this.inboundNodes.push(node);
    this.built = true;
  }

  getClassName(): string {
    return 'InputLayer';
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return ops.clone(inputs as Tensor);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape)];
  }

  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: this.batchInputShape, dtype: 'float32', sparse: false, name: this.name };
  }

  /** The symbolic tensor this layer outputs. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }
}

/**
 * A symbolic model input. `shape` excludes the batch dim.
 * @example const x = sg.input({ shape: [28, 28, 1] }); // x.shape [null, 28, 28, 1]
 */
export function input(args: { shape?: (number | null)[]; batchShape?: (number | null)[]; name?: string; dtype?: 'float32' | 'int32' }): SymbolicTensor {
  checkConfig('input', args, ['shape', 'batchShape', 'name', 'dtype']);
  if (!args.shape && !args.batchShape) throw new Error('input: give shape (without the batch dim) or batchShape');
  if (args.shape && !Array.isArray(args.shape)) throw new Error(`input: shape must be an array, got ${JSON.stringify(args.shape)}`);
  const bis = args.batchShape ?? [null, ...(args.shape as (number | null)[])];
  const layer = new InputLayer({ name: args.name ?? undefined, batchInputShape: bis });
  return layer.output;
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const inputLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  InputLayer: (a) => new InputLayer(a),
};

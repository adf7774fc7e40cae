/** Embedding: integer ids [batch, ...] → vectors [batch, ..., outputDim]. */
import type { Tensor, Variable } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { InitializerSpec, RegularizerSpec } from './core.js';
import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import type { LayerArgs, Regularizer, Shape } from './layer.js';
import { Layer } from './layer.js';
import { getRegularizer, regularizerConfig } from './regularizers.js';
import { initializerConfig } from './serialization.js';

export interface EmbeddingArgs extends LayerArgs {
  inputDim: number;
  outputDim: number;
  /** Default 'randomUniform' (±0.05), as Keras and tfjs. */
  embeddingsInitializer?: InitializerSpec;
  embeddingsRegularizer?: RegularizerSpec;
  /** Length of input sequences (sets inputShape [inputLength] when no inputShape is given). */
  inputLength?: number;
  /** Only false is supported (no masking). */
  maskZero?: boolean;
}

/** A lookup table [inputDim, outputDim]; ids are read as integers (float inputs are truncated). */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer?: Regularizer;
  readonly inputLength?: number;
  embeddings?: Variable;

  constructor(args: EmbeddingArgs) {
    super(args.inputLength !== undefined && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: [args.inputLength] } : args);
    if (!Number.isInteger(args.inputDim) || args.inputDim < 1 || !Number.isInteger(args.outputDim) || args.outputDim < 1) {
      throw new Error(`${this.name} (Embedding): inputDim and outputDim must be positive integers, got ${args.inputDim}, ${args.outputDim}`);
    }
    if (args.maskZero) throw new Error(`${this.name} (Embedding): maskZero is not supported`);
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.inputLength = args.inputLength;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer, 'randomUniform');
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer);
  }

  getClassName(): string {
    return 'Embedding';
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, this.embeddingsRegularizer);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    const ids = ops.reshape(x.dtype === 'int32' ? x : ops.cast(x, 'int32'), [x.size]);
    return ops.reshape(ops.gather(this.embeddings!, ids, 0), [...x.shape, this.outputDim]);
  }

  computeOutputShape(s: Shape | Shape[]): Shape {
    return [...(s as Shape), this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializerConfig(this.embeddingsInitializer),
      embeddings_regularizer: regularizerConfig(this.embeddingsRegularizer),
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: false,
      input_length: this.inputLength ?? null,
    };
  }
}

/** This module's layer classes by Keras class name, built from their configs (layer_registry.ts registers them on first lookup). */
export const embeddingLayerClasses: Readonly<Record<string, (a: Record<string, unknown>) => Layer>> = {
  Embedding: (a) => new Embedding(a as unknown as EmbeddingArgs),
};

/**
 * `sg.layers.*`: the lowerCamelCase factories of TensorFlow.js layers
 * (`sg.layers.dense({ units: 3 })` is `new Dense({ units: 3 })`).
 */
import type { LayerArgs } from './layer.js';
import type { DenseArgs } from './core.js';
import { Activation, Dense, Dropout, Flatten, Reshape } from './core.js';
import type { ConvArgs } from './conv.js';
import { Conv1D, Conv2D } from './conv.js';
import type { PoolArgs } from './pooling.js';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  MaxPooling1D, MaxPooling2D,
} from './pooling.js';
import { Concatenate } from './merge.js';
import type { BatchNormalizationArgs } from './normalization.js';
import { BatchNormalization } from './normalization.js';
import type { EmbeddingArgs } from './embedding.js';
import { Embedding } from './embedding.js';
import { InputLayer } from './input_layer.js';
import { Layer } from './layer.js';
import { SymbolicTensor } from './symbolic.js';

export { bidirectional, gru, lstm, simpleRNN } from './recurrent/index.js';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: LayerArgs & { targetShape: readonly number[] }): Reshape => new Reshape(args);
export const dropout = (args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }): Dropout => new Dropout(args);
export const activation = (args: LayerArgs & { activation: string }): Activation => new Activation(args);
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
export const conv2d = (args: ConvArgs): Conv2D => new Conv2D(args);
export const maxPooling1d = (args: PoolArgs = {}): MaxPooling1D => new MaxPooling1D(args);
export const maxPooling2d = (args: PoolArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling1d = (args: PoolArgs = {}): AveragePooling1D => new AveragePooling1D(args);
export const averagePooling2d = (args: PoolArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling1d = (args: LayerArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalAveragePooling2d = (args: LayerArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling1d = (args: LayerArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args: LayerArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
export const inputLayer = (args: LayerArgs): InputLayer => new InputLayer(args);

/**
 * Concatenates along `axis` (default -1). With tensors (symbolic or
 * concrete) as the first argument it applies at once, as tfjs does.
 * @example const z = sg.layers.concatenate().apply([a, b]);
 */
export function concatenate(args?: LayerArgs & { axis?: number }): Concatenate;
export function concatenate(inputs: SymbolicTensor[], args?: LayerArgs & { axis?: number }): SymbolicTensor;
export function concatenate(a: (LayerArgs & { axis?: number }) | SymbolicTensor[] = {}, b: LayerArgs & { axis?: number } = {}): Concatenate | SymbolicTensor {
  if (Array.isArray(a)) return new Concatenate(b).apply(a) as SymbolicTensor;
  return new Concatenate(a);
}

export { Layer };
export * from './extra_factories.js';

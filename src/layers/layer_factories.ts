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

import type { BidirectionalLayerArgs, GRULayerArgs, LSTMLayerArgs, RNNLayerArgs } from './recurrent/index.js';
import { bidirectional as bidirectionalLayer, gru as gruLayer, lstm as lstmLayer, simpleRNN as simpleRNNLayer } from './recurrent/index.js';
import type { Bidirectional, GRU, LSTM, RNN, SimpleRNN } from './recurrent/index.js';
import { joinKeys, keysOf, positional } from './config_check.js';

// Every factory rejects keys its layer does not read (see config_check.ts) and
// takes Keras's positional form for its leading values: dense(64, {...}),
// dropout(0.4), conv2d(32, 3, {...}), lstm(50, {...}), maxPooling2d(2).
const LAYER = { name: true, inputShape: true, batchInputShape: true, trainable: true, dtype: true } as const;
const LAYER_KEYS = /* @__PURE__ */ keysOf<LayerArgs>(LAYER);
const INIT_REG = { kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, activation: true, useBias: true } as const;
const DENSE_KEYS = /* @__PURE__ */ keysOf<DenseArgs>(/* @__PURE__ */ joinKeys(LAYER, INIT_REG, { units: true, inputDim: true }));
const CONV_KEYS = /* @__PURE__ */ keysOf<ConvArgs>(/* @__PURE__ */ joinKeys(LAYER, INIT_REG, { filters: true, kernelSize: true, strides: true, padding: true, dataFormat: true, dilationRate: true }));
const POOL_KEYS = /* @__PURE__ */ keysOf<PoolArgs>(/* @__PURE__ */ joinKeys(LAYER, { poolSize: true, strides: true, padding: true, dataFormat: true }));
type DropoutArgs = LayerArgs & { rate: number; noiseShape?: number[]; seed?: number };
const DROPOUT_KEYS = /* @__PURE__ */ keysOf<DropoutArgs>(/* @__PURE__ */ joinKeys(LAYER, { rate: true, noiseShape: true, seed: true }));
type ReshapeArgs = LayerArgs & { targetShape: readonly number[] };
const RESHAPE_KEYS = /* @__PURE__ */ keysOf<ReshapeArgs>(/* @__PURE__ */ joinKeys(LAYER, { targetShape: true }));
type ActivationArgs = LayerArgs & { activation: string };
const ACTIVATION_KEYS = /* @__PURE__ */ keysOf<ActivationArgs>(/* @__PURE__ */ joinKeys(LAYER, { activation: true }));
type ConcatenateArgs = LayerArgs & { axis?: number };
const CONCAT_KEYS = /* @__PURE__ */ keysOf<ConcatenateArgs>(/* @__PURE__ */ joinKeys(LAYER, { axis: true }));
const BN_KEYS = /* @__PURE__ */ keysOf<BatchNormalizationArgs>(/* @__PURE__ */ joinKeys(LAYER, {
  axis: true, momentum: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true,
  movingMeanInitializer: true, movingVarianceInitializer: true, betaRegularizer: true, gammaRegularizer: true,
}));
const EMBEDDING_KEYS = /* @__PURE__ */ keysOf<EmbeddingArgs>(/* @__PURE__ */ joinKeys(LAYER, { inputDim: true, outputDim: true, embeddingsInitializer: true, embeddingsRegularizer: true, inputLength: true, maskZero: true }));
const RNN_ARGS = /* @__PURE__ */ joinKeys(LAYER, INIT_REG, {
  units: true, recurrentInitializer: true, recurrentRegularizer: true, returnSequences: true, returnState: true,
  goBackwards: true, dropout: true, recurrentDropout: true, stateful: true, unroll: true,
} as const);
const RNN_KEYS = /* @__PURE__ */ keysOf<RNNLayerArgs>(RNN_ARGS);
const LSTM_KEYS = /* @__PURE__ */ keysOf<LSTMLayerArgs>(/* @__PURE__ */ joinKeys(RNN_ARGS, { recurrentActivation: true, implementation: true, unitForgetBias: true }));
const GRU_KEYS = /* @__PURE__ */ keysOf<GRULayerArgs>(/* @__PURE__ */ joinKeys(RNN_ARGS, { recurrentActivation: true, implementation: true, resetAfter: true }));
const BIDIRECTIONAL_KEYS = /* @__PURE__ */ keysOf<BidirectionalLayerArgs>(/* @__PURE__ */ joinKeys(LAYER, { layer: true, mergeMode: true }));

type Rest<A, K extends keyof A> = Omit<A, K>;

/** Fully connected layer. @example sg.layers.dense({ units: 64, activation: 'relu' }) or sg.layers.dense(64, { activation: 'relu' }) */
export function dense(args: DenseArgs): Dense;
export function dense(units: number, args?: Rest<DenseArgs, 'units'>): Dense;
export function dense(...a: unknown[]): Dense {
  return new Dense(positional('layers.dense', a, ['units'], DENSE_KEYS));
}
/** Flattens all but the batch dim. */
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(positional('layers.flatten', [args], [], LAYER_KEYS));
/** Reshapes each sample to `targetShape`. @example sg.layers.reshape({ targetShape: [4, 2] }) or sg.layers.reshape([4, 2]) */
export function reshape(args: ReshapeArgs): Reshape;
export function reshape(targetShape: readonly number[], args?: LayerArgs): Reshape;
export function reshape(...a: unknown[]): Reshape {
  return new Reshape(positional('layers.reshape', a, ['targetShape'], RESHAPE_KEYS));
}
/** Inverted dropout. @example sg.layers.dropout({ rate: 0.4 }) or sg.layers.dropout(0.4) */
export function dropout(args: DropoutArgs): Dropout;
export function dropout(rate: number, args?: Rest<DropoutArgs, 'rate'>): Dropout;
export function dropout(...a: unknown[]): Dropout {
  return new Dropout(positional('layers.dropout', a, ['rate'], DROPOUT_KEYS));
}
/** An activation as a layer. @example sg.layers.activation({ activation: 'relu' }) or sg.layers.activation('relu') */
export function activation(args: ActivationArgs): Activation;
export function activation(activation: string, args?: LayerArgs): Activation;
export function activation(...a: unknown[]): Activation {
  return new Activation(positional('layers.activation', a, ['activation'], ACTIVATION_KEYS));
}
/** 1-D convolution. @example sg.layers.conv1d({ filters: 32, kernelSize: 3 }) or sg.layers.conv1d(32, 3, { activation: 'relu' }) */
export function conv1d(args: ConvArgs): Conv1D;
export function conv1d(filters: number, kernelSize: number | number[], args?: Rest<ConvArgs, 'filters' | 'kernelSize'>): Conv1D;
export function conv1d(...a: unknown[]): Conv1D {
  return new Conv1D(positional('layers.conv1d', a, ['filters', 'kernelSize'], CONV_KEYS));
}
/** 2-D convolution. @example sg.layers.conv2d({ filters: 32, kernelSize: 3 }) or sg.layers.conv2d(32, [3, 3], { activation: 'relu' }) */
export function conv2d(args: ConvArgs): Conv2D;
export function conv2d(filters: number, kernelSize: number | number[], args?: Rest<ConvArgs, 'filters' | 'kernelSize'>): Conv2D;
export function conv2d(...a: unknown[]): Conv2D {
  return new Conv2D(positional('layers.conv2d', a, ['filters', 'kernelSize'], CONV_KEYS));
}
type PoolFactory<L> = { (args?: PoolArgs): L; (poolSize: number | number[], args?: Rest<PoolArgs, 'poolSize'>): L };
const pool = <L>(fn: string, make: (a: PoolArgs) => L): PoolFactory<L> => ((...a: unknown[]) => make(positional(`layers.${fn}`, a, ['poolSize'], POOL_KEYS))) as PoolFactory<L>;
/** 1-D max pooling. @example sg.layers.maxPooling1d({ poolSize: 2 }) or sg.layers.maxPooling1d(2) */
export const maxPooling1d = /* @__PURE__ */ pool('maxPooling1d', (a) => new MaxPooling1D(a));
/** 2-D max pooling. @example sg.layers.maxPooling2d({ poolSize: [2, 2] }) or sg.layers.maxPooling2d(2) */
export const maxPooling2d = /* @__PURE__ */ pool('maxPooling2d', (a) => new MaxPooling2D(a));
/** 1-D average pooling. */
export const averagePooling1d = /* @__PURE__ */ pool('averagePooling1d', (a) => new AveragePooling1D(a));
/** 2-D average pooling. */
export const averagePooling2d = /* @__PURE__ */ pool('averagePooling2d', (a) => new AveragePooling2D(a));
/** Mean over time [batch, steps, c] → [batch, c]. */
export const globalAveragePooling1d = (args: LayerArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(positional('layers.globalAveragePooling1d', [args], [], LAYER_KEYS));
/** Mean over space [batch, h, w, c] → [batch, c]. */
export const globalAveragePooling2d = (args: LayerArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(positional('layers.globalAveragePooling2d', [args], [], LAYER_KEYS));
/** Max over time [batch, steps, c] → [batch, c]. */
export const globalMaxPooling1d = (args: LayerArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(positional('layers.globalMaxPooling1d', [args], [], LAYER_KEYS));
/** Max over space [batch, h, w, c] → [batch, c]. */
export const globalMaxPooling2d = (args: LayerArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(positional('layers.globalMaxPooling2d', [args], [], LAYER_KEYS));
/** Batch normalization over the last axis. */
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(positional('layers.batchNormalization', [args], [], BN_KEYS));
/** Integer ids → dense vectors. @example sg.layers.embedding({ inputDim: 1000, outputDim: 16 }) or sg.layers.embedding(1000, 16) */
export function embedding(args: EmbeddingArgs): Embedding;
export function embedding(inputDim: number, outputDim: number, args?: Rest<EmbeddingArgs, 'inputDim' | 'outputDim'>): Embedding;
export function embedding(...a: unknown[]): Embedding {
  return new Embedding(positional('layers.embedding', a, ['inputDim', 'outputDim'], EMBEDDING_KEYS));
}
/** An explicit input layer for a Sequential model. */
export const inputLayer = (args: LayerArgs): InputLayer => new InputLayer(positional('layers.inputLayer', [args], [], LAYER_KEYS));
/** Fully connected RNN. @example sg.layers.simpleRNN({ units: 32 }) or sg.layers.simpleRNN(32, { returnSequences: true }) */
export function simpleRNN(args: RNNLayerArgs): SimpleRNN;
export function simpleRNN(units: number, args?: Rest<RNNLayerArgs, 'units'>): SimpleRNN;
export function simpleRNN(...a: unknown[]): SimpleRNN {
  return simpleRNNLayer(positional('layers.simpleRNN', a, ['units'], RNN_KEYS));
}
/** Long short-term memory. @example sg.layers.lstm({ units: 50, returnSequences: true }) or sg.layers.lstm(50, { returnSequences: true }) */
export function lstm(args: LSTMLayerArgs): LSTM;
export function lstm(units: number, args?: Rest<LSTMLayerArgs, 'units'>): LSTM;
export function lstm(...a: unknown[]): LSTM {
  return lstmLayer(positional('layers.lstm', a, ['units'], LSTM_KEYS));
}
/** Gated recurrent unit. @example sg.layers.gru({ units: 50 }) or sg.layers.gru(50) */
export function gru(args: GRULayerArgs): GRU;
export function gru(units: number, args?: Rest<GRULayerArgs, 'units'>): GRU;
export function gru(...a: unknown[]): GRU {
  return gruLayer(positional('layers.gru', a, ['units'], GRU_KEYS));
}
/** Runs a recurrent layer both ways. @example sg.layers.bidirectional({ layer: sg.layers.lstm(32) }) or sg.layers.bidirectional(sg.layers.lstm(32)) */
export function bidirectional(args: BidirectionalLayerArgs): Bidirectional;
export function bidirectional(layer: RNN, args?: Rest<BidirectionalLayerArgs, 'layer'>): Bidirectional;
export function bidirectional(...a: unknown[]): Bidirectional {
  return bidirectionalLayer(positional('layers.bidirectional', a, ['layer'], BIDIRECTIONAL_KEYS));
}

/**
 * Concatenates along `axis` (default -1). With tensors (symbolic or
 * concrete) as the first argument it applies at once, as tfjs does.
 * @example const z = sg.layers.concatenate().apply([a, b]);
 */
export function concatenate(args?: ConcatenateArgs): Concatenate;
export function concatenate(inputs: SymbolicTensor[], args?: ConcatenateArgs): SymbolicTensor;
export function concatenate(a: ConcatenateArgs | SymbolicTensor[] = {}, b: ConcatenateArgs = {}): Concatenate | SymbolicTensor {
  if (Array.isArray(a)) return new Concatenate(positional('layers.concatenate', [b], [], CONCAT_KEYS)).apply(a) as SymbolicTensor;
  return new Concatenate(positional('layers.concatenate', [a], [], CONCAT_KEYS));
}

export { Layer };
export * from './extra_factories.js';

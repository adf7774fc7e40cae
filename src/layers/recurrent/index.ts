/** Recurrent layers: simpleRNN, lstm, gru and the bidirectional wrapper. */
export { RNN, GatedRNN, layerScope, dropoutMask, initializerConfig } from './rnn.js';
export type { RNNLayerArgs, GatedRNNLayerArgs, InitializerSpec } from './rnn.js';
export { SimpleRNN, simpleRNN } from './simple_rnn.js';
export { LSTM, lstm } from './lstm.js';
export type { LSTMLayerArgs } from './lstm.js';
export { GRU, gru } from './gru.js';
export type { GRULayerArgs } from './gru.js';
export { Bidirectional, bidirectional } from './bidirectional.js';
export type { BidirectionalLayerArgs, MergeMode } from './bidirectional.js';
export { simpleRnnStep, lstmStep, gruStep } from './cells.js';
export { recurrentFromConfig, RECURRENT_CLASS_NAMES } from './config.js';
export type { KerasObject, RegularizerResolver } from './config.js';

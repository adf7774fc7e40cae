/**
 * Recurrent layers from their Keras/TensorFlow.js model.json config (the
 * snake_case `config` of a layer entry), the inverse of `getConfig()`.
 * Files written by TensorFlow.js record `null` for options they leave at
 * default (`unit_forget_bias`, `implementation`); those fall back to our
 * defaults, which only affect initialisation, never loaded weights.
 */
import type { Regularizer } from '../layer.js';
import { Bidirectional } from './bidirectional.js';
import type { MergeMode } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RNN } from './rnn.js';
import { SimpleRNN } from './simple_rnn.js';

/** A Keras `{class_name, config}` entry. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** Turns a regularizer entry into a Regularizer (the regularizers module supplies it). */
export type RegularizerResolver = (entry: KerasObject) => Regularizer;

/** Class names this module builds. */
export const RECURRENT_CLASS_NAMES = ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional'] as const;

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Keys whose null means "linear", not "default". */
const NULL_MEANS_LINEAR = new Set(['activation', 'recurrent_activation']);
const INITIALIZERS = new Set(['kernel_initializer', 'recurrent_initializer', 'bias_initializer']);
const REGULARIZERS = new Set(['kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer']);
/** Keys accepted and ignored (always null/false in supported files). */
const IGNORED = new Set(['activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'seed', 'time_major', 'zero_output_for_mask']);

function rnnArgs(className: string, config: Record<string, unknown>, resolve?: RegularizerResolver): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (IGNORED.has(k)) {
      if (v !== null && v !== undefined && v !== false && k !== 'seed') throw new Error(`${className}.fromConfig: '${k}' is not supported (got ${JSON.stringify(v)})`);
      continue;
    }
    if (v === null && !NULL_MEANS_LINEAR.has(k)) continue;
    if (k === 'dtype' && typeof v === 'object') {
      // Keras 3 writes a DTypePolicy object: {class_name: 'DTypePolicy', config: {name: 'float32'}}.
      args.dtype = (v as KerasObject).config?.name;
      continue;
    }
    if (INITIALIZERS.has(k)) {
      const e = v as KerasObject;
      args[camel(k)] = { className: e.class_name, config: e.config };
    } else if (REGULARIZERS.has(k)) {
      if (!resolve) throw new Error(`${className}.fromConfig: '${k}' is set but no regularizer resolver was given`);
      args[camel(k)] = resolve(v as KerasObject);
    } else args[camel(k)] = v;
  }
  return args;
}

/**
 * Builds a SimpleRNN, LSTM, GRU or Bidirectional layer from its class name
 * and model.json config.
 * @example recurrentFromConfig('LSTM', { units: 8, return_sequences: true, recurrent_activation: 'hard_sigmoid' })
 */
export function recurrentFromConfig(className: string, config: Record<string, unknown>, resolveRegularizer?: RegularizerResolver): RNN | Bidirectional {
  switch (className) {
    case 'SimpleRNN':
      return new SimpleRNN(rnnArgs(className, config, resolveRegularizer) as never);
    case 'LSTM':
      return new LSTM(rnnArgs(className, config, resolveRegularizer) as never);
    case 'GRU': {
      // Files without reset_after predate Keras 3's default: they are Keras 2 / tfjs GRUs.
      const a = rnnArgs(className, config, resolveRegularizer);
      if (!('resetAfter' in a)) a.resetAfter = false;
      return new GRU(a as never);
    }
    case 'Bidirectional': {
      const inner = config.layer as KerasObject;
      const layer = recurrentFromConfig(inner.class_name, inner.config, resolveRegularizer);
      if (layer instanceof Bidirectional) throw new Error('Bidirectional.fromConfig: cannot wrap a Bidirectional layer');
      const { name, trainable, batch_input_shape: batchInputShape, merge_mode: mergeMode } = config as { name?: string; trainable?: boolean; batch_input_shape?: (number | null)[]; merge_mode?: MergeMode };
      return new Bidirectional({ layer, mergeMode: mergeMode === undefined ? 'concat' : mergeMode, name, trainable, batchInputShape: batchInputShape ?? undefined });
    }
    default:
      throw new Error(`recurrentFromConfig: unknown class '${className}'; known: ${RECURRENT_CLASS_NAMES.join(', ')}`);
  }
}

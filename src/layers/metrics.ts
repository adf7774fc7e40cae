/**
 * Metrics, per sample ([batch]); `fit`/`evaluate` average them over samples.
 * 'accuracy' is resolved as Keras/tfjs do: binary when the output's last dim
 * is 1 or the loss is binaryCrossentropy, sparse categorical with
 * sparseCategoricalCrossentropy, categorical otherwise.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { meanAbsoluteError, meanSquaredError } from './losses.js';
import { meanAbsolutePercentageError, meanSquaredLogarithmicError } from './losses_extra.js';
import { auc, precision, r2Score, recall } from './metrics_extra.js';

export { auc, precision, r2Score, recall, meanAbsolutePercentageError, meanSquaredLogarithmicError };
/** Alias of meanAbsolutePercentageError. */
export const mape = meanAbsolutePercentageError;
/** Alias of meanSquaredLogarithmicError. */
export const msle = meanSquaredLogarithmicError;

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** mean(yTrue == (yPred > 0.5), −1) */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.mean(ops.cast(ops.equal(yTrue, ops.cast(ops.greater(yPred, 0.5), 'float32')), 'float32'), -1);
}

/** argMax(yTrue) == argMax(yPred) */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.cast(ops.equal(ops.argMax(yTrue, -1), ops.argMax(yPred, -1)), 'float32');
}

/** yTrue (class ids) == argMax(yPred) */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const ids = ops.reshape(ops.cast(yTrue, 'int32'), yPred.shape.slice(0, -1));
  return ops.cast(ops.equal(ids, ops.argMax(yPred, -1)), 'float32');
}

/** The metric function for `name` given the model's loss name and output shape. */
export function getMetric(name: string | MetricFn, lossName: string, outputShape: readonly (number | null)[]): MetricFn {
  if (typeof name === 'function') return name;
  const n = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (n === 'accuracy' || n === 'acc') {
    if (outputShape[outputShape.length - 1] === 1 || lossName === 'binaryCrossentropy') return binaryAccuracy;
    if (lossName === 'sparseCategoricalCrossentropy') return sparseCategoricalAccuracy;
    return categoricalAccuracy;
  }
  const table: Record<string, MetricFn> = {
    mse: meanSquaredError, meanSquaredError, mae: meanAbsoluteError, meanAbsoluteError,
    binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy,
    mape: meanAbsolutePercentageError, meanAbsolutePercentageError, msle: meanSquaredLogarithmicError, meanSquaredLogarithmicError,
    precision: (a, b) => precision(a, b), recall: (a, b) => recall(a, b), auc: (a, b) => auc(a, b), r2Score, r2: r2Score,
  };
  const f = table[n];
  if (!f) throw new Error(`unknown metric '${name}'; known: accuracy, ${Object.keys(table).join(', ')}`);
  return f;
}

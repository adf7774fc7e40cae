/**
 * Losses with TensorFlow.js/Keras semantics. Each maps (yTrue, yPred) of
 * shape [batch, ...] to per-sample losses [batch] (mean over the last axis,
 * or summed over classes for crossentropies); `fit` averages over the batch.
 * Probabilities are clipped to [ε, 1 − ε] with ε = 1e-7, as Keras and tfjs.
 * With `fromLogits`, crossentropies run through logSoftmax / a stable
 * sigmoid crossentropy instead, without clipping.
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { huber, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError } from './losses_extra.js';

export { huber, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError };
/** Alias of meanAbsolutePercentageError. */
export const mape = meanAbsolutePercentageError;
/** Alias of meanSquaredLogarithmicError. */
export const msle = meanSquaredLogarithmicError;

export const EPSILON = 1e-7;

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export type LossName =
  | 'meanSquaredError' | 'mse' | 'meanAbsoluteError' | 'mae' | 'binaryCrossentropy'
  | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy'
  | 'huber' | 'meanAbsolutePercentageError' | 'mape' | 'meanSquaredLogarithmicError' | 'msle' | 'logCosh';

function checkShapes(name: string, yTrue: Tensor, yPred: Tensor, sparse = false): void {
  const ok = sparse
    ? yTrue.size === yPred.size / yPred.shape[yPred.rank - 1]
    : yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i]);
  if (!ok) throw new Error(`${name}: yTrue of shape [${yTrue.shape}] does not match yPred of shape [${yPred.shape}]${sparse ? ' (sparse labels: one id per sample)' : ''}`);
}

/** mean((yTrue − yPred)², −1) */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkShapes('meanSquaredError', yTrue, yPred);
  return ops.mean(ops.squaredDifference(yTrue, yPred), -1);
}

/** mean(|yTrue − yPred|, −1) */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkShapes('meanAbsoluteError', yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(yTrue, yPred)), -1);
}

/** max(x, 0) − x·z + log(1 + e^−|x|): sigmoid crossentropy from logits x, stable for all x. */
function sigmoidCrossEntropyWithLogits(z: Tensor, x: Tensor): Tensor {
  return ops.add(ops.sub(ops.relu(x), ops.mul(x, z)), ops.log1p(ops.exp(ops.neg(ops.abs(x)))));
}

/**
 * mean(−z·log p − (1 − z)·log(1 − p), −1). As tfjs: p clipped, turned into
 * logits log(p/(1 − p)) and run through the stable sigmoid crossentropy.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkShapes('binaryCrossentropy', yTrue, yPred);
  let logits = yPred;
  if (!fromLogits) {
    const p = ops.clipByValue(yPred, EPSILON, 1 - EPSILON);
    logits = ops.log(ops.div(p, ops.sub(1, p)));
  }
  return ops.mean(sigmoidCrossEntropyWithLogits(yTrue, logits), -1);
}

/** −Σ yTrue·log p over the last axis; p = yPred normalised to sum 1, then clipped (tfjs/Keras). */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkShapes('categoricalCrossentropy', yTrue, yPred);
  if (fromLogits) return ops.neg(ops.sum(ops.mul(yTrue, ops.logSoftmax(yPred, -1)), -1));
  const p = ops.clipByValue(ops.div(yPred, ops.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return ops.neg(ops.sum(ops.mul(yTrue, ops.log(p)), -1));
}

/** categoricalCrossentropy with integer class ids ([batch] or [batch, 1]) as yTrue. */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  checkShapes('sparseCategoricalCrossentropy', yTrue, yPred, true);
  const depth = yPred.shape[yPred.rank - 1];
  const ids = ops.reshape(yTrue.dtype === 'int32' ? yTrue : ops.cast(ops.floor(yTrue), 'int32'), yPred.shape.slice(0, -1));
  const oh = ops.cast(ops.oneHot(ids, depth), 'float32');
  return categoricalCrossentropy(oh, yPred, fromLogits);
}

const table: Record<string, LossFn> = {
  meanSquaredError, mse: meanSquaredError, meanAbsoluteError, mae: meanAbsoluteError,
  binaryCrossentropy: (a, b) => binaryCrossentropy(a, b),
  categoricalCrossentropy: (a, b) => categoricalCrossentropy(a, b),
  sparseCategoricalCrossentropy: (a, b) => sparseCategoricalCrossentropy(a, b),
  huber: (a, b) => huber(a, b), meanAbsolutePercentageError, meanSquaredLogarithmicError, logCosh,
};

/** Canonical camelCase name of a loss ('mse' → 'meanSquaredError', 'mean_squared_error' too). */
export function lossName(name: string): string {
  const c = name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const alias: Record<string, string> = {
    mse: 'meanSquaredError', mae: 'meanAbsoluteError',
    mape: 'meanAbsolutePercentageError', msle: 'meanSquaredLogarithmicError', logcosh: 'logCosh', huberLoss: 'huber',
  };
  const n = alias[c] ?? c;
  if (!(n in table)) throw new Error(`unknown loss '${name}'; known: ${Object.keys(table).join(', ')}`);
  return n;
}

/** A loss function from a name or a function (also `{ name, fromLogits }`, e.g. `{ name: 'categoricalCrossentropy', fromLogits: true }`). */
export function getLoss(spec: string | LossFn | { name: string; fromLogits?: boolean }): { fn: LossFn; name: string } {
  if (typeof spec === 'function') return { fn: spec, name: spec.name || 'custom' };
  if (typeof spec === 'string') {
    const n = lossName(spec);
    return { fn: table[n], name: n };
  }
  const n = lossName(spec.name);
  const fl = spec.fromLogits ?? false;
  const f: Record<string, LossFn> = {
    binaryCrossentropy: (a, b) => binaryCrossentropy(a, b, fl),
    categoricalCrossentropy: (a, b) => categoricalCrossentropy(a, b, fl),
    sparseCategoricalCrossentropy: (a, b) => sparseCategoricalCrossentropy(a, b, fl),
  };
  return { fn: f[n] ?? table[n], name: n };
}

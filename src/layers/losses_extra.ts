/**
 * More Keras losses, per sample ([batch], mean over the last axis) like the
 * others: huber, meanAbsolutePercentageError (mape),
 * meanSquaredLogarithmicError (msle) and logCosh, with the formulas of
 * Keras and tfjs-layers (ε = 1e-7 clipping where they clip).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { ENGINE } from '../tensor/index.js';

const EPS = 1e-7;

function same(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`${name}: yTrue of shape [${yTrue.shape}] does not match yPred of shape [${yPred.shape}]`);
  }
}

/**
 * Huber loss (Keras `huber`, default δ = 1): with e = yPred − yTrue,
 * mean(|e| ≤ δ ? ½e² : δ·|e| − ½δ², −1).
 */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  same('huber', yTrue, yPred);
  if (!(delta > 0)) throw new Error(`huber: delta must be > 0, got ${delta}`);
  return ENGINE.scopedOp(() => {
    const e = ops.sub(yPred, yTrue);
    const a = ops.abs(e);
    // ½·min(|e|, δ)² + δ·(|e| − min(|e|, δ)) is the same piecewise function with a smooth gradient path.
    const q = ops.minimum(a, delta);
    return ops.mean(ops.add(ops.mul(ops.square(q), 0.5), ops.mul(ops.sub(a, q), delta)), -1);
  });
}

/** 100·mean(|yTrue − yPred| / max(|yTrue|, ε), −1) */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  same('meanAbsolutePercentageError', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const denom = ops.clipByValue(ops.abs(yTrue), EPS, Number.MAX_VALUE);
    return ops.mul(ops.mean(ops.abs(ops.div(ops.sub(yTrue, yPred), denom)), -1), 100);
  });
}

/** mean((log(1 + max(yPred, ε)) − log(1 + max(yTrue, ε)))², −1) */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  same('meanSquaredLogarithmicError', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const lp = ops.log1p(ops.clipByValue(yPred, EPS, Number.MAX_VALUE));
    const lt = ops.log1p(ops.clipByValue(yTrue, EPS, Number.MAX_VALUE));
    return ops.mean(ops.squaredDifference(lp, lt), -1);
  });
}

/** mean(log cosh(yPred − yTrue), −1), computed as x + softplus(−2x) − log 2 (stable for large |x|). */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  same('logCosh', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const x = ops.sub(yPred, yTrue);
    return ops.mean(ops.sub(ops.add(x, ops.softplus(ops.mul(x, -2))), Math.LN2), -1);
  });
}

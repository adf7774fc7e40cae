/**
 * More Keras metrics: mape and msle (per sample, like the losses), and the
 * batch-level precision, recall, auc and r2Score. The batch-level ones return
 * one scalar for the whole batch; `fit`/`evaluate` then average batch values
 * weighted by batch size, as tfjs does with its precision/recall/r2Score
 * (Keras keeps running counts instead, so with several batches per epoch the
 * numbers differ; `evaluate` with a batchSize of at least the sample count
 * gives Keras's value).
 */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import { ENGINE } from '../tensor/index.js';

function same(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.size !== yPred.size) throw new Error(`${name}: yTrue of shape [${yTrue.shape}] does not match yPred of shape [${yPred.shape}]`);
}

/** Counts of (yTrue = 1, yPred > t), (yTrue = 0, yPred > t) and the positives, as float32 scalars. */
function counts(yTrue: Tensor, yPred: Tensor, threshold: number): { tp: Tensor; fp: Tensor; pos: Tensor } {
  const t = ops.cast(ops.greater(ops.reshape(yTrue, [-1]), 0.5), 'float32');
  const p = ops.cast(ops.greater(ops.reshape(yPred, [-1]), threshold), 'float32');
  return { tp: ops.sum(ops.mul(t, p)), fp: ops.sum(ops.mul(ops.sub(1, t), p)), pos: ops.sum(t) };
}

/** num/den, or 0 where den is 0 (as Keras's divide_no_nan). */
const safeDiv = (num: Tensor, den: Tensor): Tensor => ops.where(ops.greater(den, 0), ops.div(num, ops.maximum(den, 1e-30)), ops.zerosLike(num));

/**
 * Precision of the batch, TP/(TP + FP), with predictions thresholded at
 * `threshold` (Keras's default 0.5) and labels at 0.5; 0 when nothing is
 * predicted positive. tfjs's `metrics.precision` takes already-rounded
 * predictions; on those the two agree.
 */
export function precision(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  same('precision', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const { tp, fp } = counts(yTrue, yPred, threshold);
    return safeDiv(tp, ops.add(tp, fp));
  });
}

/** Recall of the batch, TP/(TP + FN) (predictions > `threshold`, default 0.5); 0 when there are no positives. */
export function recall(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  same('recall', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const { tp, pos } = counts(yTrue, yPred, threshold);
    return safeDiv(tp, pos);
  });
}

/**
 * ROC AUC of the batch as Keras's `AUC()` computes it: `numThresholds` (200)
 * thresholds {−ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε}, TPR and FPR of
 * `yPred > threshold` at each, and the trapezoid rule over the curve.
 */
export function auc(yTrue: Tensor, yPred: Tensor, numThresholds = 200): Tensor {
  same('auc', yTrue, yPred);
  if (!Number.isInteger(numThresholds) || numThresholds < 2) throw new Error(`auc: numThresholds must be an integer >= 2, got ${numThresholds}`);
  return ENGINE.scopedOp(() => {
    const eps = 1e-7;
    const th: number[] = [-eps];
    for (let i = 1; i < numThresholds - 1; i++) th.push(i / (numThresholds - 1));
    th.push(1 + eps);
    const n = yPred.size;
    const t = ops.cast(ops.greater(ops.reshape(yTrue, [1, n]), 0.5), 'float32'); // [1, N]
    const above = ops.cast(ops.greater(ops.reshape(yPred, [1, n]), ops.tensor(th, [th.length, 1])), 'float32'); // [T, N]
    const tp = ops.sum(ops.mul(above, t), 1); // [T]
    const fp = ops.sum(ops.mul(above, ops.sub(1, t)), 1);
    const pos = ops.sum(t);
    const neg = ops.sub(n, pos);
    const tpr = safeDiv(tp, ops.broadcastTo(pos, [th.length]));
    const fpr = safeDiv(fp, ops.broadcastTo(neg, [th.length]));
    const k = th.length - 1;
    // Σ (fpr[i] − fpr[i+1])·(tpr[i] + tpr[i+1])/2; thresholds increase, so the rates decrease.
    const dx = ops.sub(ops.slice(fpr, [0], [k]), ops.slice(fpr, [1], [k]));
    const h = ops.mul(ops.add(ops.slice(tpr, [0], [k]), ops.slice(tpr, [1], [k])), 0.5);
    return ops.sum(ops.mul(dx, h));
  });
}

/**
 * R² of the batch, 1 − Σ(y − ŷ)²/Σ(y − ȳ)², computed per output column and
 * averaged over columns (Keras's `R2Score()` with uniform averaging); for
 * one output column it is tfjs's `metrics.r2Score`.
 */
export function r2Score(yTrue: Tensor, yPred: Tensor): Tensor {
  same('r2Score', yTrue, yPred);
  return ENGINE.scopedOp(() => {
    const cols = yTrue.rank > 1 ? yTrue.shape[yTrue.rank - 1] : 1;
    const y = ops.reshape(yTrue, [-1, cols]);
    const p = ops.reshape(yPred, [-1, cols]);
    const ssRes = ops.sum(ops.squaredDifference(y, p), 0);
    const ssTot = ops.sum(ops.squaredDifference(y, ops.mean(y, 0, true)), 0);
    return ops.mean(ops.sub(1, ops.div(ssRes, ssTot)));
  });
}

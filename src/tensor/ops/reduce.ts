/** Reductions (sum, mean, max, min, prod, any, all, argMax, argMin, logSumExp) and softmax. */
import type { OpName } from '../../kernels/op_names.js';
import type { Tensor } from '../tensor.js';
import type { Rank, TensorLike } from './util.js';
import { ENGINE, assertDType, checkBool, fmtShape, normAxes, normAxis, toTensor } from './util.js';

function keep(t: Tensor, shape: readonly number[], axes: readonly number[], keepDims: boolean): Tensor {
  if (!keepDims) return t;
  return ENGINE.dispatch('reshape', [t], { shape: shape.map((d, i) => (axes.includes(i) ? 1 : d)) });
}

function reduce(op: Extract<OpName, 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all'>, x: TensorLike, axis: Rank | undefined | null, keepDims: boolean): Tensor {
  return ENGINE.scopedOp(op, () => {
    checkBool(op, 'keepDims', keepDims);
    let t = toTensor(x, 'x', op, op === 'any' || op === 'all' ? 'bool' : undefined);
    // As in TensorFlow.js: sum/prod of bool count in int32; max/min of bool stay bool.
    const boolOut = t.dtype === 'bool' && (op === 'max' || op === 'min');
    if (op === 'any' || op === 'all') assertDType(t, 'x', op, ['bool']);
    else if (t.dtype === 'bool') t = ENGINE.dispatch('cast', [t], { dtype: 'int32' });
    const axes = normAxes(axis, t.rank, op);
    let r = axes.length === 0 ? ENGINE.dispatch('reshape', [t], { shape: t.shape }) : ENGINE.dispatch(op, [t], { axes });
    if (boolOut) r = ENGINE.dispatch('cast', [r], { dtype: 'bool' });
    return keep(r, t.shape, axes, keepDims);
  });
}

/**
 * Sum over `axis` (all axes by default).
 * @example sg.sum(sg.tensor([[1, 2], [3, 4]]), 1) // [3, 7]
 */
export const sum = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('sum', x, axis, keepDims);
/** Product over `axis`. */ export const prod = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('prod', x, axis, keepDims);
/** Maximum over `axis` (NaN propagates). */ export const max = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('max', x, axis, keepDims);
/** Minimum over `axis` (NaN propagates). */ export const min = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('min', x, axis, keepDims);
/** Logical OR over `axis` (bool). */ export const any = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('any', x, axis, keepDims);
/** Logical AND over `axis` (bool). */ export const all = (x: TensorLike, axis?: Rank | null, keepDims = false): Tensor => reduce('all', x, axis, keepDims);

/**
 * Mean over `axis`; int32 and bool input give a float32 mean.
 * @example sg.mean(sg.tensor([1, 2, 3, 4])) // 2.5
 */
export function mean(x: TensorLike, axis?: Rank | null, keepDims = false): Tensor {
  return ENGINE.scopedOp('mean', () => {
    checkBool('mean', 'keepDims', keepDims);
    let t = toTensor(x, 'x', 'mean');
    assertDType(t, 'x', 'mean', ['float32', 'int32', 'bool']);
    if (t.dtype !== 'float32') t = ENGINE.dispatch('cast', [t], { dtype: 'float32' });
    const axes = normAxes(axis, t.rank, 'mean');
    let n = 1;
    for (const a of axes) n *= t.shape[a];
    const s = reduce('sum', t, axes, keepDims);
    return ENGINE.dispatch('mul', [s, ENGINE.makeTensor(new (ENGINE.backend.float64 ? Float64Array : Float32Array)([1 / n]), [], 'float32')], {});
  });
}

function arg(op: 'argMax' | 'argMin', x: TensorLike, axis: number): Tensor {
  return ENGINE.scopedOp(op, () => {
    const t = toTensor(x, 'x', op);
    assertDType(t, 'x', op, ['float32', 'int32']);
    if (t.rank === 0) throw new Error(`${op}: input must have rank >= 1, got a scalar`);
    return ENGINE.dispatch(op, [t], { axis: normAxis(axis, t.rank, op) });
  });
}

/** Index of the largest value along `axis` (first one on ties), int32. */
export const argMax = (x: TensorLike, axis = 0): Tensor => arg('argMax', x, axis);
/** Index of the smallest value along `axis` (first one on ties), int32. */
export const argMin = (x: TensorLike, axis = 0): Tensor => arg('argMin', x, axis);

function softmaxLike(op: 'softmax' | 'logSoftmax', x: TensorLike, dim: number): Tensor {
  return ENGINE.scopedOp(op, () => {
    const t = toTensor(x, 'x', op);
    assertDType(t, 'x', op, ['float32']);
    if (t.rank === 0) throw new Error(`${op}: input must have rank >= 1, got a scalar`);
    const d = normAxis(dim, t.rank, op);
    if (d !== t.rank - 1) throw new Error(`${op}: only the last dim is supported (dim ${dim} of ${fmtShape(t.shape)}); transpose first`);
    return ENGINE.dispatch(op, [t], {});
  });
}

/**
 * exp(x) / Σ exp(x) along the last dim, computed stably.
 * @example sg.softmax(sg.tensor([0, 0])) // [0.5, 0.5]
 */
export const softmax = (logits: TensorLike, dim = -1): Tensor => softmaxLike('softmax', logits, dim);
/** log(softmax(x)) along the last dim, computed stably. */
export const logSoftmax = (logits: TensorLike, dim = -1): Tensor => softmaxLike('logSoftmax', logits, dim);

/** log Σ exp(x) over `axis`, shifted by the max for stability. */
export function logSumExp(x: TensorLike, axis?: Rank | null, keepDims = false): Tensor {
  return ENGINE.scopedOp('logSumExp', () => {
    checkBool('logSumExp', 'keepDims', keepDims);
    const t = toTensor(x, 'x', 'logSumExp');
    assertDType(t, 'x', 'logSumExp', ['float32']);
    const axes = normAxes(axis, t.rank, 'logSumExp');
    // m + log Σ exp(x − m); the gradient through m cancels exactly.
    const m = reduce('max', t, axes, true);
    const s = ENGINE.dispatch('log', [reduce('sum', ENGINE.dispatch('exp', [ENGINE.dispatch('sub', [t, m], {})], {}), axes, true)], {});
    const r = ENGINE.dispatch('add', [s, m], {});
    return keepDims ? r : ENGINE.dispatch('reshape', [r], { shape: t.shape.filter((_, i) => !axes.includes(i)) });
  });
}

/**
 * Elementwise ops: one function per row of the kernel table, plus cast,
 * where and clone. Binary ops broadcast (NumPy rules) and promote dtypes as
 * TensorFlow.js does (bool < int32 < float32; plain numbers are float32).
 */
import type { BinaryOp, UnaryOp } from '../../kernels/elementwise/table.js';
import { binaryOps, unaryOps } from '../../kernels/elementwise/table.js';
import { broadcastShapes } from '../../kernels/elementwise/spec.js';
import type { DType } from '../../kernels/types.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertDType, checkDType, checkNumber, toTensor } from './util.js';

const ORDER: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** Casts x to dtype (a new tensor even when it already has it). */
export function cast(x: TensorLike, dtype: DType): Tensor {
  return ENGINE.scopedOp('cast', () => {
    checkDType('cast', 'dtype', dtype);
    const t = toTensor(x, 'x', 'cast');
    return ENGINE.dispatch('cast', [t], { dtype });
  });
}

/** A copy of x that shares its data (cheap). */
export function clone(x: TensorLike): Tensor {
  return ENGINE.scopedOp('clone', () => {
    const t = toTensor(x, 'x', 'clone');
    return ENGINE.dispatch('reshape', [t], { shape: t.shape });
  });
}

function checkUnary(op: UnaryOp, t: Tensor): void {
  const cls = unaryOps[op].dtypes;
  if (cls === 'float') assertDType(t, 'x', op, ['float32']);
  else if (cls === 'numeric') assertDType(t, 'x', op, ['float32', 'int32']);
  else assertDType(t, 'x', op, ['bool']);
}

function unary(op: UnaryOp, x: TensorLike, alpha?: number, beta?: number): Tensor {
  return ENGINE.scopedOp(op, () => {
    if (alpha !== undefined) checkNumber(op, op === 'clipByValue' ? 'min' : 'alpha', alpha);
    if (beta !== undefined) checkNumber(op, op === 'clipByValue' ? 'max' : 'beta', beta);
    const t = toTensor(x, 'x', op, unaryOps[op].dtypes === 'bool' ? 'bool' : undefined);
    checkUnary(op, t);
    return ENGINE.dispatch(op, [t], alpha === undefined ? {} : { alpha, beta });
  });
}

/** Converts both operands, checks broadcasting, and casts them to their common dtype. */
function prepBinary(op: string, a: TensorLike, b: TensorLike, allowed: readonly DType[]): [Tensor, Tensor] {
  const ta = toTensor(a, 'a', op);
  const tb = toTensor(b, 'b', op);
  broadcastShapes(op, ta.shape, tb.shape);
  const dt = ORDER[ta.dtype] >= ORDER[tb.dtype] ? ta.dtype : tb.dtype;
  if (!allowed.includes(dt)) throw new Error(`${op}: arguments must be ${allowed.join(' or ')}, got ${ta.dtype} and ${tb.dtype}`);
  return [ta.dtype === dt ? ta : ENGINE.dispatch('cast', [ta], { dtype: dt }), tb.dtype === dt ? tb : ENGINE.dispatch('cast', [tb], { dtype: dt })];
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  return ENGINE.scopedOp(op, () => {
    const kind = binaryOps[op].kind;
    const allowed: DType[] = kind === 'logical' ? ['bool'] : kind === 'compare' ? ['float32', 'int32', 'bool'] : kind === 'float' ? ['float32'] : ['float32', 'int32'];
    const [ta, tb] = prepBinary(op, a, b, kind === 'logical' ? ['bool'] : ['float32', 'int32', 'bool']);
    if (!allowed.includes(ta.dtype)) {
      if (kind === 'arith' && ta.dtype === 'bool') {
        return ENGINE.dispatch(op, [ENGINE.dispatch('cast', [ta], { dtype: 'int32' }), ENGINE.dispatch('cast', [tb], { dtype: 'int32' })], {});
      }
      throw new Error(`${op}: arguments must be ${allowed.join(' or ')}, got ${ta.dtype}`);
    }
    return ENGINE.dispatch(op, [ta, tb], {});
  });
}

// Unary ops. Float-only ones reject int32 rather than casting silently.
/** -x */ export const neg = (x: TensorLike): Tensor => unary('neg', x);
/** |x| */ export const abs = (x: TensorLike): Tensor => unary('abs', x);
/** x² */ export const square = (x: TensorLike): Tensor => unary('square', x);
/** sign(x) ∈ {-1, 0, 1} */ export const sign = (x: TensorLike): Tensor => unary('sign', x);
/** max(x, 0) */ export const relu = (x: TensorLike): Tensor => unary('relu', x);
/** min(max(x, 0), 6) */ export const relu6 = (x: TensorLike): Tensor => unary('relu6', x);
/** eˣ */ export const exp = (x: TensorLike): Tensor => unary('exp', x);
/** eˣ − 1 */ export const expm1 = (x: TensorLike): Tensor => unary('expm1', x);
/** ln x */ export const log = (x: TensorLike): Tensor => unary('log', x);
/** ln(1 + x) */ export const log1p = (x: TensorLike): Tensor => unary('log1p', x);
/** √x */ export const sqrt = (x: TensorLike): Tensor => unary('sqrt', x);
/** 1/√x */ export const rsqrt = (x: TensorLike): Tensor => unary('rsqrt', x);
/** 1/x */ export const reciprocal = (x: TensorLike): Tensor => unary('reciprocal', x);
/** sin x */ export const sin = (x: TensorLike): Tensor => unary('sin', x);
/** cos x */ export const cos = (x: TensorLike): Tensor => unary('cos', x);
/** ⌊x⌋ */ export const floor = (x: TensorLike): Tensor => unary('floor', x);
/** ⌈x⌉ */ export const ceil = (x: TensorLike): Tensor => unary('ceil', x);
/** Round half to even. */ export const round = (x: TensorLike): Tensor => unary('round', x);
/** 1 / (1 + e⁻ˣ) */ export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', x);
/** tanh x */ export const tanh = (x: TensorLike): Tensor => unary('tanh', x);
/** ln(1 + eˣ) */ export const softplus = (x: TensorLike): Tensor => unary('softplus', x);
/** x for x > 0, alpha (eˣ − 1) otherwise (Keras alpha 1). */ export const elu = (x: TensorLike, alpha = 1): Tensor => unary('elu', x, alpha, 0);
/** Scaled ELU with the self-normalising constants. */ export const selu = (x: TensorLike): Tensor => unary('selu', x);
/** x for x ≥ 0, alpha·x otherwise (TensorFlow.js default alpha 0.2). */ export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => unary('leakyRelu', x, alpha, 0);
/** 1 for x > 0, alpha otherwise. */ export const step = (x: TensorLike, alpha = 0): Tensor => unary('step', x, alpha, 0);
/** Logical not of a bool tensor. */ export const logicalNot = (x: TensorLike): Tensor => unary('logicalNot', x);

/**
 * Clamps x to [min, max].
 * @example sg.clipByValue(sg.tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 */
export function clipByValue(x: TensorLike, min: number, max: number): Tensor {
  return ENGINE.scopedOp('clipByValue', () => {
    checkNumber('clipByValue', 'min', min);
    checkNumber('clipByValue', 'max', max);
    if (!(min <= max)) throw new Error(`clipByValue: min ${min} must be <= max ${max}`);
    const t = toTensor(x, 'x', 'clipByValue');
    // int32 input: bounds beyond the int32 range (±Infinity) clip at its ends on every backend. The top
    // end is 2³¹ − 128, the largest float32 below 2³¹, because WebGPU takes the bounds as float32.
    const lim = (v: number): number => (t.dtype === 'int32' ? Math.min(2147483520, Math.max(-2147483648, v)) : v);
    return unary('clipByValue', t, lim(min), lim(max));
  });
}

// Binary ops.
/** a + b, broadcast. @example sg.add(sg.tensor([1, 2]), 1) // [2, 3] */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** a − b, broadcast. */ export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** a · b, broadcast. */ export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** ⌊a / b⌋, broadcast. */ export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => binary('floorDiv', a, b);
/** aᵇ, broadcast (float32). */ export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** max(a, b), NaN-propagating. */ export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** min(a, b), NaN-propagating. */ export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
/** (a − b)². */ export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => binary('squaredDifference', a, b);
/** a == b → bool. */ export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);
/** a != b → bool. */ export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary('notEqual', a, b);
/** a > b → bool. */ export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
/** a >= b → bool. */ export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary('greaterEqual', a, b);
/** a < b → bool. */ export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
/** a <= b → bool. */ export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary('lessEqual', a, b);
/** a AND b (bool). */ export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('logicalAnd', a, b);
/** a OR b (bool). */ export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('logicalOr', a, b);

/** a / b, broadcast. Two int32 tensors divide with floor, as in TensorFlow.js. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return ENGINE.scopedOp('div', () => {
    const ta = toTensor(a, 'a', 'div');
    const tb = toTensor(b, 'b', 'div');
    if (ta.dtype === 'int32' && tb.dtype === 'int32') return binary('floorDiv', ta, tb);
    return binary('div', ta, tb);
  });
}

/**
 * Picks from a where condition is true, else from b; all three broadcast.
 * @example sg.where(sg.tensor([true, false]), sg.tensor([1, 2]), sg.tensor([3, 4])) // [1, 4]
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return ENGINE.scopedOp('where', () => {
    const c = toTensor(condition, 'condition', 'where', 'bool');
    assertDType(c, 'condition', 'where', ['bool']);
    const a0 = toTensor(a, 'a', 'where');
    const b0 = toTensor(b, 'b', 'where');
    broadcastShapes('where', c.shape, a0.shape, b0.shape);
    const [ta, tb] = prepBinary('where', a0, b0, ['float32', 'int32', 'bool']);
    return ENGINE.dispatch('where', [c, ta, tb], {});
  });
}

/** Argument handling shared by the op functions: conversion, dtype and axis checks. */
import type { DType, TypedArray } from '../../kernels/types.js';
import { fmtShape, sizeOf } from '../../kernels/types.js';
import { ENGINE, isTensor } from '../engine.js';
import type { Tensor } from '../tensor.js';

/** Nested arrays of numbers or booleans. */
export type NestedValues = number | boolean | readonly NestedValues[];
/** What ops accept where a tensor is expected: a tensor, a number, nested arrays or a typed array. */
export type TensorLike = Tensor | NestedValues | TypedArray;
/** An axis or a list of axes; negative values count from the end. */
export type Rank = number | readonly number[];

/** The shape of nested arrays; throws on ragged input. */
export function inferShape(v: NestedValues, op: string): number[] {
  const shape: number[] = [];
  let cur: NestedValues = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = (cur as readonly NestedValues[])[0];
  }
  const check = (x: NestedValues, d: number): void => {
    if (d === shape.length) {
      if (Array.isArray(x)) throw new Error(`${op}: ragged nested array: expected a number at depth ${d} (shape ${fmtShape(shape)} from the first elements)`);
      if (typeof x !== 'number' && typeof x !== 'boolean') throw new Error(`${op}: values must be numbers or booleans, got ${describe(x)}${shape.length ? ` at depth ${d}` : ''}`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) {
      throw new Error(
        `${op}: ragged nested array: expected length ${shape[d]} at depth ${d}, got ${Array.isArray(x) ? x.length : 'a number'} (shape ${fmtShape(shape)} from the first elements)`,
      );
    }
    for (const e of x as readonly NestedValues[]) check(e, d + 1);
  };
  check(v, 0);
  return shape;
}

/** The dtype values imply: int32/bool for Int32Array/Uint8Array or boolean leaves, else float32. */
export function inferDType(v: NestedValues | TypedArray): DType {
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Uint8Array) return 'bool';
  let leaf: unknown = v;
  while (Array.isArray(leaf) && leaf.length) leaf = leaf[0];
  return typeof leaf === 'boolean' ? 'bool' : 'float32';
}

/** A number stored as bool: TensorFlow.js's rule, Math.round(v) !== 0 (so 0.4 is false, NaN true). */
function toBool(v: number): number {
  return Math.round(v) !== 0 ? 1 : 0;
}

/** Flattens nested values into a typed array of `dtype` in the current backend's precision. */
export function toTypedArray(v: NestedValues | TypedArray, dtype: DType, size: number, op: string): TypedArray {
  const out = dtype === 'int32' ? new Int32Array(size) : dtype === 'bool' ? new Uint8Array(size) : ENGINE.backend.float64 ? new Float64Array(size) : new Float32Array(size);
  if (ArrayBuffer.isView(v)) {
    if ((v as TypedArray).length !== size) throw new Error(`${op}: ${(v as TypedArray).length} values do not fill a shape of ${size} elements`);
    if (dtype === 'bool') for (let j = 0; j < size; j++) out[j] = toBool((v as TypedArray)[j]);
    else out.set(v as TypedArray);
    return out;
  }
  let i = 0;
  const walk = (x: NestedValues): void => {
    if (Array.isArray(x)) for (const e of x as readonly NestedValues[]) walk(e);
    else {
      if (i >= size) throw new Error(`${op}: more values than a shape of ${size} elements holds`);
      out[i++] = typeof x === 'boolean' ? (x ? 1 : 0) : dtype === 'bool' ? toBool(x as number) : (x as number);
    }
  };
  walk(v as NestedValues);
  if (i !== size) throw new Error(`${op}: ${i} values do not fill a shape of ${size} elements`);
  return out;
}

/**
 * A tensor from `x`: a live Tensor is returned as is (after checking it was
 * not disposed); numbers and arrays become new tensors (float32 unless
 * `dtype` says otherwise, as in TensorFlow.js).
 */
export function toTensor(x: TensorLike, name: string, op: string, dtype?: DType): Tensor {
  if (isTensor(x)) {
    if (x.isDisposed) throw new Error(`${op}: argument '${name}' (shape ${fmtShape(x.shape)}) has been disposed`);
    return x;
  }
  if (x === null || x === undefined) throw new Error(`${op}: argument '${name}' is ${x}; expected a tensor`);
  const isTyped = ArrayBuffer.isView(x);
  if (!isTyped && typeof x !== 'number' && typeof x !== 'boolean' && !Array.isArray(x)) {
    throw new Error(`${op}: argument '${name}' must be a tensor, a number, a boolean or nested arrays of them, got ${describe(x)}`);
  }
  if (isTyped && !(x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array || x instanceof Uint8Array)) {
    throw new Error(`${op}: argument '${name}' must be a Float32Array, Int32Array or Uint8Array, got ${describe(x)}`);
  }
  const shape = isTyped ? [(x as TypedArray).length] : inferShape(x as NestedValues, op);
  const dt: DType = dtype ?? inferDType(x as NestedValues | TypedArray);
  checkSize(op, `argument '${name}'`, shape);
  return ENGINE.makeTensor(toTypedArray(x as NestedValues, dt, sizeOf(shape), op), shape, dt);
}

/** Throws unless `t` is float32. */
export function assertFloat(t: Tensor, name: string, op: string): void {
  if (t.dtype !== 'float32') throw new Error(`${op}: argument '${name}' must be float32, got ${t.dtype}`);
}

/** Throws unless `t` has one of `dtypes`. */
export function assertDType(t: Tensor, name: string, op: string, dtypes: readonly DType[]): void {
  if (!dtypes.includes(t.dtype)) throw new Error(`${op}: argument '${name}' must be ${dtypes.join(' or ')}, got ${t.dtype}`);
}

/** Normalises an axis (negative counts from the end), throwing when out of range. */
export function normAxis(axis: number, rank: number, op: string, field = 'axis'): number {
  if (typeof axis !== 'number') throw new Error(`${op}: ${field} must be an integer, got ${describe(axis)}`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`${op}: ${field} ${axis} is out of range for rank ${rank}${rank === 0 ? ' (a scalar has no axes)' : ` (integers ${-rank} to ${rank - 1})`}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalised, sorted, de-duplicated axes; `undefined` means all axes. */
export function normAxes(axis: Rank | undefined | null, rank: number, op: string): number[] {
  if (axis === undefined || axis === null) return [...Array(rank).keys()];
  if (typeof axis !== 'number' && !Array.isArray(axis)) throw new Error(`${op}: axis must be an integer or a list of integers, got ${describe(axis)}`);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normAxis(a, rank, op)))];
  return out.sort((a, b) => a - b);
}

/** Equal shapes? */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks a shape is a list of non-negative integers with at most MAX_SIZE elements. */
export function assertShape(shape: readonly number[], op: string, field = 'shape'): void {
  checkShape(op, field, shape);
}

/**
 * Largest element count any op makes: 2²⁸ (1 GiB of float32, more than one
 * WebGPU binding holds on most devices), so a typo such as `oneHot(i, 1e9)`
 * or `[1e9, 1e9]` fails at once instead of allocating and filling gigabytes.
 */
export const MAX_SIZE = 2 ** 28;

/** Largest rank a tensor may have (the WebGPU kernels take shapes as 8-wide params). */
export const MAX_RANK = 8;

/** A short description of any argument for error messages (never throws, never huge). */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (isTensor(v)) return `a tensor (${v.dtype} ${fmtShape(v.shape)})`;
  if (typeof v === 'string') return `'${v.length > 20 ? `${v.slice(0, 20)}…` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (Array.isArray(v)) {
    const parts = v.slice(0, 8).map((e) => (typeof e === 'number' || typeof e === 'boolean' ? String(e) : Array.isArray(e) ? (e.length <= 4 && e.every((x) => typeof x === 'number') ? `[${e.join(',')}]` : '[…]') : describe(e)));
    return `[${parts.join(',')}${v.length > 8 ? ',…' : ''}]`;
  }
  return `an object (${(v as object).constructor?.name ?? 'Object'})`;
}

/** Throws unless `shape` has rank <= MAX_RANK and at most MAX_SIZE elements (`what` names it in the message). */
export function checkSize(op: string, what: string, shape: readonly number[]): void {
  const n = shape.reduce((p, d) => p * d, 1);
  if (shape.length > MAX_RANK) throw new Error(`${op}: ${what} has rank ${shape.length}; at most ${MAX_RANK} is supported`);
  if (n > MAX_SIZE) throw new Error(`${op}: ${what} of shape ${fmtShape(shape)} would have ${n} elements, over the limit of ${MAX_SIZE} (2^28)`);
}

/** Checks `v` is a shape: an array of non-negative integers, rank <= MAX_RANK, size <= MAX_SIZE. */
export function checkShape(op: string, field: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: ${field} must be non-negative integers, got ${describe(v)}`);
  }
  checkSize(op, field, v as number[]);
  return [...(v as number[])];
}

/** Checks `v` is a dtype name. */
export function checkDType(op: string, field: string, v: unknown): DType {
  if (v !== 'float32' && v !== 'int32' && v !== 'bool') throw new Error(`${op}: unknown ${field} ${describe(v)}; use 'float32', 'int32' or 'bool'`);
  return v;
}

/** Checks `v` is a number (NaN and ±Infinity allowed unless `finite`). */
export function checkNumber(op: string, field: string, v: unknown, finite = false): number {
  if (typeof v !== 'number' || (finite && !Number.isFinite(v))) throw new Error(`${op}: ${field} must be a ${finite ? 'finite ' : ''}number, got ${describe(v)}`);
  return v;
}

/** Checks `v` is an integer >= `min`. */
export function checkInt(op: string, field: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${op}: ${field} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${describe(v)}`);
  }
  return v;
}

/** Checks `v` is a list of integers (each >= `min`). */
export function checkIntList(op: string, field: string, v: unknown, min = -Infinity): number[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < min)) {
    throw new Error(`${op}: ${field} must be an array of integers${min > -Infinity ? ` >= ${min}` : ''}, got ${describe(v)}`);
  }
  return [...(v as number[])];
}

/** Checks `v` is a boolean. */
export function checkBool(op: string, field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`${op}: ${field} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Checks `v` is one of `choices`. */
export function checkOneOf<T extends string>(op: string, field: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) throw new Error(`${op}: ${field} must be ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(v)}`);
  return v as T;
}

/** `v` as stored in a tensor of `dtype`: bool by TensorFlow.js's rule (round, then != 0), int32 truncated, float32 as is. */
export function castScalar(v: number, dtype: DType): number {
  if (dtype === 'bool') return toBool(v);
  if (dtype === 'int32') return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
  return v;
}

export { ENGINE, fmtShape };

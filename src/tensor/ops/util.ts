/** Argument handling shared by the op functions: conversion, dtype and axis checks. */
import type { DType, TypedArray } from '../../kernels/types.js';
import { fmtShape, sizeOf } from '../../kernels/types.js';
import { ENGINE } from '../engine.js';
import { Tensor } from '../tensor.js';

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
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${op}: argument '${name}' (shape ${fmtShape(x.shape)}) has been disposed`);
    return x;
  }
  if (x === null || x === undefined) throw new Error(`${op}: argument '${name}' is ${x}; expected a tensor`);
  const isTyped = ArrayBuffer.isView(x);
  const shape = isTyped ? [(x as TypedArray).length] : inferShape(x as NestedValues, op);
  const dt: DType = dtype ?? inferDType(x as NestedValues | TypedArray);
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
export function normAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalised, sorted, de-duplicated axes; `undefined` means all axes. */
export function normAxes(axis: Rank | undefined | null, rank: number, op: string): number[] {
  if (axis === undefined || axis === null) return [...Array(rank).keys()];
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normAxis(a, rank, op)))];
  return out.sort((a, b) => a - b);
}

/** Equal shapes? */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks a shape is a list of non-negative integers. */
export function assertShape(shape: readonly number[], op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: shape must be non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

export { ENGINE, fmtShape };

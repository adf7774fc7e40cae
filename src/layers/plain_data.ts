/**
 * Plain data where a tensor is expected: `fit`, `predict`, `evaluate` and
 * `call` take tensors, nested arrays of numbers, typed arrays, a list of
 * those (one per model input/output) or a dict keyed by input/output name, as
 * Keras takes NumPy arrays and dicts. Converted tensors are collected in an
 * `owned` list that the caller disposes.
 */
import type { Tensor, TypedArray } from '../tensor/index.js';
import * as ops from '../tensor/index.js';
import type { Shape } from './layer.js';

/** A tensor, a (nested) array of numbers, or a typed array. */
export type DataLike = Tensor | TypedArray | number[] | number[][] | number[][][] | number[][][][] | readonly unknown[];

/** Model inputs/targets: one value, a list (one per input/output), or a dict keyed by input/output name. */
export type ModelData = DataLike | DataLike[] | Record<string, DataLike>;

const isTensor = (v: unknown): v is Tensor => v instanceof ops.Tensor;
const isTyped = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && !(v instanceof DataView);
const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isTensor(v) && !isTyped(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v.length > 20 ? `${v.slice(0, 20)}…` : v}'`;
  if (typeof v === 'object') return `an object of type ${(v as object).constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
}

/** Nested numbers (typed-array rows become arrays); throws at the first non-number leaf. */
function checkNumeric(v: unknown, where: string, path: string): unknown {
  if (isTyped(v)) return Array.from(v as ArrayLike<number>);
  if (Array.isArray(v)) return v.map((e, i) => checkNumeric(e, where, `${path}[${i}]`));
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error(`${where}: ${path} is ${describe(v)}; expected numbers (a tensor, a nested array of numbers or a typed array)`);
}

/**
 * One value as a tensor: a live tensor as is, else a new float32 (int32 for an
 * Int32Array) tensor pushed to `owned`. A flat typed array is shaped
 * [n, ...inner] when `inner` (the per-sample shape) is fully known.
 */
export function toDataTensor(v: unknown, where: string, what: string, owned: Tensor[], inner?: Shape): Tensor {
  if (isTensor(v)) {
    if (v.isDisposed) throw new Error(`${where}: ${what} (shape [${v.shape}]) has been disposed`);
    return v;
  }
  let t: Tensor;
  if (isTyped(v)) {
    const dims = inner && inner.length > 0 && inner.every((d) => d !== null) ? (inner as number[]) : null;
    const per = dims ? dims.reduce((a, b) => a * b, 1) : 1;
    if (v.length % per !== 0) throw new Error(`${where}: ${what} has ${v.length} values, not a multiple of one sample's ${per} (shape ${JSON.stringify(inner)})`);
    t = ops.tensor(v, dims ? [v.length / per, ...dims] : [v.length]);
  } else if (Array.isArray(v)) {
    t = ops.tensor(checkNumeric(v, where, what) as number[]);
  } else {
    throw new Error(`${where}: ${what} is ${describe(v)}; expected a tensor, a nested array of numbers or a typed array`);
  }
  owned.push(t);
  return t;
}

/**
 * Inputs or targets as a list in `names` order: a dict keyed by name, a list
 * (an array of tensors, or any array of arrays when there are several names),
 * or one value for a single input/output.
 */
export function toDataList(v: unknown, names: readonly string[], where: string, what: string, owned: Tensor[], inner: readonly (Shape | undefined)[] = []): Tensor[] {
  if (v === null || v === undefined) throw new Error(`${where}: ${what} is ${describe(v)}; expected a tensor, a nested array of numbers or a typed array${names.length > 1 ? ` (or a list/dict of ${names.length}: ${names.join(', ')})` : ''}`);
  if (isDict(v)) {
    if (names.length === 0) throw new Error(`${where}: ${what} is a dict, but the model is not built yet; give a tensor or an array`);
    for (const k of Object.keys(v)) if (!names.includes(k)) throw new Error(`${where}: ${what} has key '${k}', which is not a model ${what.startsWith('y') ? 'output' : 'input'} name; names: ${names.join(', ')}`);
    return names.map((n, i) => {
      if (!(n in v)) throw new Error(`${where}: ${what} has no value for '${n}'; names: ${names.join(', ')}`);
      return toDataTensor(v[n], where, `${what}['${n}']`, owned, inner[i]);
    });
  }
  if (Array.isArray(v)) {
    // With several inputs/outputs a top-level array is the list of them (as Keras);
    // with one, it is that one's data unless it holds tensors.
    const listOfValues = v.length > 0 && (v.every(isTensor) || (names.length > 1 && v.every((e) => isTyped(e) || Array.isArray(e) || isTensor(e))));
    if (listOfValues) return v.map((e, i) => toDataTensor(e, where, `${what}[${i}]`, owned, inner[i]));
  }
  return [toDataTensor(v, where, what, owned, inner[0])];
}

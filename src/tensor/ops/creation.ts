/** Tensor creation: from values, constants, and seedable random tensors. */
import type { DType } from '../../kernels/types.js';
import { sizeOf } from '../../kernels/types.js';
import { rngFor } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { NestedValues, TensorLike } from './util.js';
import { ENGINE, castScalar, checkDType, checkNumber, checkShape, checkSize, describe, fmtShape, inferDType, inferShape, toTensor, toTypedArray } from './util.js';
import type { TypedArray } from '../../kernels/types.js';

/**
 * A tensor from nested arrays or a flat typed array.
 * @example sg.tensor([[1, 2], [3, 4]]) // shape [2, 2], float32
 * @example sg.tensor([1, 2, 3, 4], [2, 2], 'int32')
 */
export function tensor(values: NestedValues | TypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  return make('tensor', values, shape, dtype);
}

function make(op: string, values: NestedValues | TypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  if (dtype !== undefined) checkDType(op, 'dtype', dtype);
  if (!ArrayBuffer.isView(values)) checkNumericLeaves(op, values, 'values');
  if (values === null || values === undefined || (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values) && !ArrayBuffer.isView(values))) {
    throw new Error(`${op}: values must be a number, a boolean, nested arrays of them or a typed array, got ${describe(values)}`);
  }
  if (ArrayBuffer.isView(values) && !(values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array || values instanceof Uint8Array)) {
    throw new Error(`${op}: values must be a Float32Array, Int32Array or Uint8Array, got ${describe(values)}`);
  }
  const dt: DType = dtype ?? inferDType(values);
  const inferred = ArrayBuffer.isView(values) ? [(values as TypedArray).length] : inferShape(values as NestedValues, op);
  let s = inferred;
  if (shape !== undefined && shape !== null) {
    s = checkShape(op, 'shape', shape);
    if (sizeOf(shape) !== sizeOf(inferred)) {
      throw new Error(`${op}: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${sizeOf(inferred)} (values of shape ${fmtShape(inferred)})`);
    }
  }
  checkSize(op, 'values', s);
  return ENGINE.makeTensor(toTypedArray(values, dt, sizeOf(s), op), s, dt);
}

/** Throws at the first leaf of `v` that is not a number or boolean (a string would silently become NaN), naming its path. */
function checkNumericLeaves(op: string, v: unknown, path: string): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkNumericLeaves(op, v[i], `${path}[${i}]`);
    return;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return;
  const what = typeof v === 'string' ? `the string '${v}'` : v === null ? 'null' : v === undefined ? 'undefined' : ArrayBuffer.isView(v) ? 'a typed array nested in an array' : typeof v;
  throw new Error(`${op}: ${path} is ${what}; expected numbers or booleans (a nested array of them, or a typed array)`);
}

/** A rank-0 tensor. @example sg.scalar(3) // shape [], float32 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`scalar: value must be a number or a boolean, got ${describe(value)}`);
  return make('scalar', value, [], dtype);
}

function filled(op: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  const s = checkShape(op, 'shape', shape);
  checkDType(op, 'dtype', dtype);
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : checkNumber(op, 'value', value);
  const C = dtype === 'int32' ? Int32Array : dtype === 'bool' ? Uint8Array : ENGINE.backend.float64 ? Float64Array : Float32Array;
  const out = new C(sizeOf(s));
  const x = castScalar(v, dtype);
  if (x !== 0) out.fill(x);
  return ENGINE.makeTensor(out, s, dtype);
}

/** A tensor of `shape` filled with `value` (stored as `dtype`: bool is round(value) != 0, int32 truncates). @example sg.fill([2], 7) // [7, 7] */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return filled('fill', shape, value, dtype);
}

/** Zeros of `shape`. @example sg.zeros([2, 3]) */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/** Ones of `shape`. @example sg.ones([2, 3], 'int32') */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/** Zeros with x's shape and dtype. @example sg.zerosLike(x) */
export function zerosLike(x: TensorLike): Tensor {
  return ENGINE.scopedOp('zerosLike', () => {
    const t = toTensor(x, 'x', 'zerosLike');
    return filled('zerosLike', t.shape, 0, t.dtype);
  });
}

/** Ones with x's shape and dtype. @example sg.onesLike(x) */
export function onesLike(x: TensorLike): Tensor {
  return ENGINE.scopedOp('onesLike', () => {
    const t = toTensor(x, 'x', 'onesLike');
    return filled('onesLike', t.shape, 1, t.dtype);
  });
}

/**
 * Evenly spaced values in [start, stop) with `step`. As in TensorFlow.js, the
 * default step 1 counts down when stop < start (range(5, 1) is [5, 4, 3, 2]).
 * @example sg.range(0, 6, 2) // [0, 2, 4]
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  checkNumber('range', 'start', start, true);
  checkNumber('range', 'stop', stop, true);
  checkNumber('range', 'step', step, true);
  checkDType('range', 'dtype', dtype);
  if (dtype === 'bool') throw new Error('range: dtype bool is not supported');
  if (step === 0) throw new Error('range: step must not be 0');
  if (stop < start && step === 1) step = -1;
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize('range', 'output', [n]);
  const out = dtype === 'int32' ? new Int32Array(n) : ENGINE.backend.float64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return ENGINE.makeTensor(out, [n], dtype);
}

function randomTensor(op: string, shape: readonly number[], dtype: DType, seed: number | undefined, params: Record<string, number>, gen: (r: ReturnType<typeof rngFor>) => number): Tensor {
  const s = checkShape(op, 'shape', shape);
  checkDType(op, 'dtype', dtype);
  if (dtype === 'bool') throw new Error(`${op}: dtype bool is not supported`);
  for (const [k, v] of Object.entries(params)) checkNumber(op, k, v, true);
  if (seed !== undefined) checkNumber(op, 'seed', seed, true);
  const r = rngFor(seed);
  const n = sizeOf(s);
  const v = dtype === 'int32' ? new Int32Array(n) : ENGINE.backend.float64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = gen(r);
  return ENGINE.makeTensor(v, s, dtype);
}

/** Normal samples with `mean` and `stdDev`; the same `seed` gives the same values. @example sg.randomNormal([2, 2], 0, 1, 'float32', 42) */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return randomTensor('randomNormal', shape, dtype, seed, { mean, stdDev }, (r) => mean + stdDev * r.normal());
}

/** Normal samples redrawn until within two standard deviations of the mean (TensorFlow's truncatedNormal). @example sg.truncatedNormal([3], 0, 0.05) */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return randomTensor('truncatedNormal', shape, dtype, seed, { mean, stdDev }, (r) => {
    let z = r.normal();
    while (Math.abs(z) > 2) z = r.normal();
    return mean + stdDev * z;
  });
}

/** Uniform samples in [minval, maxval); the same `seed` gives the same values. @example sg.randomUniform([2], -1, 1) */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  checkNumber('randomUniform', 'minval', minval, true);
  checkNumber('randomUniform', 'maxval', maxval, true);
  if (!(maxval > minval)) throw new Error(`randomUniform: maxval ${maxval} must be greater than minval ${minval}`);
  return randomTensor('randomUniform', shape, dtype, seed, { minval, maxval }, (r) => (dtype === 'int32' ? Math.floor(minval + (maxval - minval) * r.next()) : minval + (maxval - minval) * r.next()));
}

/** Tensor creation: from values, constants, and seedable random tensors. */
import type { DType } from '../../kernels/types.js';
import { sizeOf } from '../../kernels/types.js';
import { rngFor } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { NestedValues } from './util.js';
import { ENGINE, assertShape, fmtShape, inferDType, inferShape, toTypedArray } from './util.js';
import type { TypedArray } from '../../kernels/types.js';

/**
 * A tensor from nested arrays or a flat typed array.
 * @example sg.tensor([[1, 2], [3, 4]]) // shape [2, 2], float32
 * @example sg.tensor([1, 2, 3, 4], [2, 2], 'int32')
 */
export function tensor(values: NestedValues | TypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  if (!ArrayBuffer.isView(values)) checkNumericLeaves(values, 'values');
  const dt: DType = dtype ?? inferDType(values);
  if (dt !== 'float32' && dt !== 'int32' && dt !== 'bool') throw new Error(`tensor: unknown dtype '${String(dt)}'; use 'float32', 'int32' or 'bool'`);
  const inferred = ArrayBuffer.isView(values) ? [(values as TypedArray).length] : inferShape(values as NestedValues, 'tensor');
  let s = inferred;
  if (shape) {
    assertShape(shape, 'tensor');
    if (sizeOf(shape) !== sizeOf(inferred)) {
      throw new Error(`tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${sizeOf(inferred)} (values of shape ${fmtShape(inferred)})`);
    }
    s = [...shape];
  }
  return ENGINE.makeTensor(toTypedArray(values, dt, sizeOf(s), 'tensor'), s, dt);
}

/** Throws at the first leaf of `v` that is not a number or boolean (a string would silently become NaN). */
function checkNumericLeaves(v: unknown, path: string): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkNumericLeaves(v[i], `${path}[${i}]`);
    return;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return;
  const what = typeof v === 'string' ? `the string '${v}'` : v === null ? 'null' : ArrayBuffer.isView(v) ? 'a typed array nested in an array' : typeof v;
  throw new Error(`tensor: ${path} is ${what}; expected numbers or booleans (a nested array of them, or a typed array)`);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor of `shape` filled with `value`. */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  assertShape(shape, 'fill');
  const v = toTypedArray([], dtype, 0, 'fill');
  const C = v.constructor as new (n: number) => TypedArray;
  const out = new C(sizeOf(shape));
  out.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return ENGINE.makeTensor(out, shape, dtype);
}

function assertAlive(x: Tensor, op: string): void {
  if (x.isDisposed) throw new Error(`${op}: argument 'x' (shape ${fmtShape(x.shape)}) has been disposed`);
}

/** Zeros of `shape`. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** Ones of `shape`. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros with x's shape and dtype. */
export function zerosLike(x: Tensor): Tensor {
  assertAlive(x, 'zerosLike');
  return fill(x.shape, 0, x.dtype);
}

/** Ones with x's shape and dtype. */
export function onesLike(x: Tensor): Tensor {
  assertAlive(x, 'onesLike');
  return fill(x.shape, 1, x.dtype);
}

/**
 * Evenly spaced values in [start, stop) with `step`. As in TensorFlow.js, the
 * default step 1 counts down when stop < start (range(5, 1) is [5, 4, 3, 2]).
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (step === 0) throw new Error('range: step must not be 0');
  if (stop < start && step === 1) step = -1;
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const v = toTypedArray([], dtype, 0, 'range');
  const C = v.constructor as new (n: number) => TypedArray;
  const out = new C(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return ENGINE.makeTensor(out, [n], dtype);
}

function randomTensor(op: string, shape: readonly number[], dtype: DType, gen: () => number): Tensor {
  assertShape(shape, op);
  if (dtype === 'bool') throw new Error(`${op}: dtype bool is not supported`);
  const n = sizeOf(shape);
  const out = toTypedArray([], dtype, 0, op);
  const C = out.constructor as new (n: number) => TypedArray;
  const v = new C(n);
  for (let i = 0; i < n; i++) v[i] = gen();
  return ENGINE.makeTensor(v, shape, dtype);
}

/** Normal samples with `mean` and `stdDev`; the same `seed` gives the same values. */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const r = rngFor(seed);
  return randomTensor('randomNormal', shape, dtype, () => mean + stdDev * r.normal());
}

/** Normal samples redrawn until within two standard deviations of the mean (TensorFlow's truncatedNormal). */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const r = rngFor(seed);
  return randomTensor('truncatedNormal', shape, dtype, () => {
    let z = r.normal();
    while (Math.abs(z) > 2) z = r.normal();
    return mean + stdDev * z;
  });
}

/** Uniform samples in [minval, maxval); the same `seed` gives the same values. */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  if (!(maxval > minval)) throw new Error(`randomUniform: maxval ${maxval} must be greater than minval ${minval}`);
  const r = rngFor(seed);
  return randomTensor('randomUniform', shape, dtype, () => (dtype === 'int32' ? Math.floor(minval + (maxval - minval) * r.next()) : minval + (maxval - minval) * r.next()));
}

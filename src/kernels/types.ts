/**
 * Types shared by every backend. The kernel layer knows nothing of `Tensor`:
 * it sees shapes, dtypes and opaque data handles only.
 */

/** Element types. `bool` is stored as one byte per element on the CPU. */
export type DType = 'float32' | 'int32' | 'bool';

/** Storage of a float tensor: float32 normally, float64 in the test-only `cpu64` backend. */
export type FloatArray = Float32Array | Float64Array;
/** Any storage array a backend hands out. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Opaque handle to backend-owned memory. Identity is what matters. */
export type DataId = object;

/** What a backend knows of a tensor: its data handle, shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Memory figures a backend reports. */
export interface BackendMemory {
  /** Live data buffers (shared by views such as reshape). */
  numBuffers: number;
  /** Bytes held by live data buffers. */
  numBytes: number;
  /** Bytes kept in a reuse pool (GPU backends). */
  pooledBytes?: number;
  /** Buffers kept in the reuse pool (GPU backends). */
  numPooledBuffers?: number;
  /** Data buffers created over the backend's life (GPU backends; flat when the pool reuses). */
  numBuffersCreated?: number;
}

/** Number of elements in a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Formats a shape as `[3,4]` for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Bytes per element of a dtype as stored by the CPU backend in float32 mode. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** A record with one entry per key, built by `f`. */
export function mapRecord<K extends string, V>(keys: readonly K[], f: (k: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, f(k)])) as Record<K, V>;
}

/**
 * The contract every backend fulfils: allocate/write, read, run a kernel,
 * dispose. Data handles are reference counted so that views (reshape) share
 * memory; a handle is freed when its count reaches zero.
 */
import type { OpAttrMap, OpName } from './op_names.js';
import type { BackendMemory, DataId, DType, TensorInfo, TypedArray } from './types.js';

export interface Backend {
  /** `'cpu'`, `'webgpu'`, or a test backend's name. */
  readonly name: string;
  /** True when float tensors are stored in float64 (the test-only `cpu64`). */
  readonly float64: boolean;
  /** True once the device behind the backend is gone (a lost GPU): its data cannot be read and the engine starts a new instance on the next `setBackend`. */
  readonly lost?: boolean;
  /** Stores `values` (taken over, not copied) and returns a handle with one reference. */
  write(values: TypedArray, dtype: DType): DataId;
  /** Copies the data out. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Copies the data out synchronously; backends that cannot throw a clear error. */
  readSync(dataId: DataId): TypedArray;
  /** Adds a reference to a handle (a view now shares it). */
  incRef(dataId: DataId): void;
  /** Drops a reference; the memory is released (or pooled) at zero. */
  release(dataId: DataId): void;
  /** Runs `op` and returns the handle of its output, of the given shape and dtype. */
  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outShape: readonly number[], outDtype: DType): DataId;
  /** Whether this backend has its own kernel for `op`. */
  hasKernel(op: OpName): boolean;
  memory(): BackendMemory;
  /** Frees everything this backend holds. */
  dispose(): void;
}

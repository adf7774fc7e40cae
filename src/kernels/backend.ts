/**
 * The contract every backend fulfils: allocate/write, read, run a kernel,
 * dispose. Data handles are reference counted so that views (reshape) share
 * memory; a handle is freed when its count reaches zero.
 *
 * Outputs: `run` takes the shape and dtype of every output (from the op's
 * spec, `outputInfos` in spec.ts) and always returns one new handle per
 * output, in order. Most ops have one output (an array of one); the ops in
 * `multiOutputNames` (lstmCell's c and h, its backward, gruCell's backward,
 * adamUpdate's w', m', v') have several, and their kernels write each to
 * its own buffer in the same pass or dispatch, so nothing is packed into one
 * buffer and sliced apart. A backend's own kernel type follows the same
 * split (`KernelOutputs` in op_names.ts): a single-output kernel gets one
 * output, a multi-output kernel an array, so single-output kernels did not
 * change.
 */
import type { OpAttrMap, OpName } from './op_names.js';
import type { OutputInfo } from './spec.js';
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
  /** Runs `op` and returns one new handle per output (each with one reference), of the given shapes and dtypes, in order. */
  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outputs: readonly OutputInfo[]): DataId[];
  /** Whether this backend has its own kernel for `op`. */
  hasKernel(op: OpName): boolean;
  /** Memory this backend holds now. */
  memory(): BackendMemory;
  /** Frees everything this backend holds. */
  dispose(): void;
}

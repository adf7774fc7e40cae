/**
 * `Tensor`: an immutable n-dimensional array held by a backend, and
 * `Variable`, a tensor whose value can be reassigned (model weights).
 * Methods are thin wrappers over the op functions in `./ops`.
 *
 * How this avoids an import cycle (issue #11): the methods call the ops, the ops
 * make tensors through the engine, and the engine constructs `Tensor`s. Only the
 * first edge is a run-time import: this module imports `./ops` statically, and
 * registers the class with the engine when it loads (`registerTensorClass`;
 * package.json's `sideEffects` names this file, so bundlers of the sources keep it);
 * engine.ts and the ops import `Tensor` as a type only, construct it through
 * `ENGINE.makeTensor*` and test for it with `isTensor` (an `instanceof` against
 * the registered class, so Variables and the one-class-per-module-instance rule
 * stay as they were). Alternatives weighed:
 * - Methods looked up in an op table that `./ops` fills when it loads: the
 *   ops could then import this module, but a bundle (or a script importing only
 *   `tensor.ts`) without the filling module yields Tensors whose methods throw.
 *   Here the methods are static references, so a Tensor always has every method:
 *   whatever holds a Tensor has loaded this module, and with it the ops.
 * - Construction moved into one module: whichever module constructs Tensors
 *   needs the class, which needs its methods' ops, which make Tensors; a
 *   registered class or table is needed either way, so this one keeps the
 *   registration beside the class.
 * - Methods installed on `Tensor.prototype` by `./ops`: STYLE.md §7 forbids it.
 * The one cost: a script that imports an op module of src directly and never
 * loads this one cannot make tensors (the engine says so, naming the op). The
 * published bundles and src/index.ts always load it; in a consumer's bundle the
 * registration is a kept call, so the ops the methods use always come along.
 */
import type { Backend } from '../kernels/backend.js';
import type { DataId, DType, TypedArray } from '../kernels/types.js';
import { fmtShape, sizeOf } from '../kernels/types.js';
import type { Engine } from './engine.js';
import { registerTensorClass } from './engine.js';
import * as ops from './ops/index.js';
import type { Rank, TensorLike } from './ops/index.js';

/** Nested arrays of numbers, as `array()` returns them. */
export type NestedArray = number | NestedArray[];

export class Tensor {
  /** Unique id, for debugging and for the gradient tape. */
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Kept tensors survive the end of a `tidy`. */
  kept = false;
  /** @internal */
  dataId: DataId;
  /** @internal */
  backend: Backend;
  private disposed = false;
  /** @internal */
  readonly engine: Engine;

  /** @internal Use `sg.tensor()` and the ops to make tensors. */
  constructor(engine: Engine, id: number, dataId: DataId, shape: readonly number[], dtype: DType, backend: Backend) {
    this.engine = engine;
    this.id = id;
    this.dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.backend = backend;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Points this tensor at data on another backend. */
  moveData(dataId: DataId, backend: Backend): void {
    this.backend.release(this.dataId);
    this.dataId = dataId;
    this.backend = backend;
  }

  /** @internal Throws when disposed, naming `op`. */
  assertAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: tensor of shape ${fmtShape(this.shape)} has been disposed`);
  }

  /** The values, copied out: Float32Array for float32, Int32Array for int32, Uint8Array for bool. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    return this.backend.read(this.dataId);
  }

  /** The values, synchronously; only backends that hold data on the CPU can do this. */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    return this.backend.readSync(this.dataId);
  }

  /** The values as nested arrays matching the shape. */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape);
  }

  /** Nested arrays, synchronously (CPU only). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape);
  }

  /** Frees the data. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engine.disposeTensor(this);
  }

  toString(): string {
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
  }

  // Chainable methods: thin wrappers over the op functions.
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  square(): Tensor { return ops.square(this); }
  abs(): Tensor { return ops.abs(this); }
  relu(): Tensor { return ops.relu(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }
  matMul(b: Tensor, transposeA = false, transposeB = false): Tensor { return ops.matMul(this, b, transposeA, transposeB); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(): Tensor { return ops.reshape(this, [this.size]); }
  expandDims(axis = 0): Tensor { return ops.expandDims(this, axis); }
  squeeze(axis?: readonly number[]): Tensor { return ops.squeeze(this, axis); }
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor { return ops.slice(this, begin, size); }
  sum(axis?: Rank, keepDims = false): Tensor { return ops.sum(this, axis, keepDims); }
  mean(axis?: Rank, keepDims = false): Tensor { return ops.mean(this, axis, keepDims); }
  max(axis?: Rank, keepDims = false): Tensor { return ops.max(this, axis, keepDims); }
  min(axis?: Rank, keepDims = false): Tensor { return ops.min(this, axis, keepDims); }
  argMax(axis = 0): Tensor { return ops.argMax(this, axis); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
  clone(): Tensor { return ops.clone(this); }
  clipByValue(min: number, max: number): Tensor { return ops.clipByValue(this, min, max); }
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  less(b: TensorLike): Tensor { return ops.less(this, b); }
}

registerTensorClass(Tensor);

/**
 * A tensor whose value can be replaced with `assign`. Variables are never
 * disposed by `tidy`; optimizers update them.
 */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  /** @internal Use `sg.variable()`. */
  constructor(initial: Tensor, trainable: boolean, name: string) {
    initial.backend.incRef(initial.dataId);
    super(initial.engine, initial.engine.newId(), initial.dataId, initial.shape, initial.dtype, initial.backend);
    this.trainable = trainable;
    this.name = name;
    this.kept = true;
    initial.engine.noteNew(this, 'variable');
  }

  /** Replaces the value with `value` (same shape and dtype); `value` stays the caller's. */
  assign(value: Tensor): void {
    this.assertAlive('assign');
    value.assertAlive('assign');
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(`assign: variable '${this.name}' is ${this.dtype} ${fmtShape(this.shape)}, value is ${value.dtype} ${fmtShape(value.shape)}`);
    }
    value.backend.incRef(value.dataId);
    this.backend.release(this.dataId);
    this.dataId = value.dataId;
    this.backend = value.backend;
  }
}

/** Nested arrays from flat values. */
function toNested(v: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return v[0];
  const rec = (off: number, d: number): NestedArray[] => {
    const n = shape[d];
    const step = sizeOf(shape.slice(d + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) out.push(d === shape.length - 1 ? v[off + i] : rec(off + i * step, d + 1));
    return out;
  };
  return rec(0, 0);
}

/**
 * The CPU backend: typed arrays in a reference-counted table. In float64 mode
 * (the test-only `cpu64` backend) float tensors are stored as Float64Array and
 * every kernel runs in double precision, which makes finite-difference
 * gradient checks meaningful.
 */
import type { Backend } from '../backend.js';
import type { OpAttrMap, OpName } from '../op_names.js';
import { isMultiOutput } from '../op_names.js';
import type { OutputInfo } from '../spec.js';
import type { BackendMemory, DataId, DType, TensorInfo, TypedArray } from '../types.js';
import { sizeOf } from '../types.js';
import type { CpuContext, CpuTensor } from './cpu_tensor.js';
import { cpuKernels } from './kernels.js';

interface Entry {
  values: TypedArray;
  refs: number;
}

export class CpuBackend implements Backend {
  readonly name: string;
  readonly float64: boolean;
  private readonly table = new Map<DataId, Entry>();
  private readonly ctx: CpuContext;

  constructor(options: { float64?: boolean; name?: string } = {}) {
    this.float64 = options.float64 ?? false;
    this.name = options.name ?? (this.float64 ? 'cpu64' : 'cpu');
    const F = this.float64 ? Float64Array : Float32Array;
    this.ctx = { floats: (n) => new F(n) };
  }

  /** A zeroed array for `size` elements of `dtype` in this backend's precision. */
  allocValues(dtype: DType, size: number): TypedArray {
    if (dtype === 'int32') return new Int32Array(size);
    if (dtype === 'bool') return new Uint8Array(size);
    return this.float64 ? new Float64Array(size) : new Float32Array(size);
  }

  write(values: TypedArray, _dtype: DType): DataId {
    const id = {};
    this.table.set(id, { values, refs: 1 });
    return id;
  }

  private entry(dataId: DataId): Entry {
    const e = this.table.get(dataId);
    if (!e) throw new Error(`${this.name} backend: tensor data was already disposed`);
    return e;
  }

  /** The stored values themselves (no copy): for kernels and the engine. */
  values(dataId: DataId): TypedArray {
    return this.entry(dataId).values;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    return this.entry(dataId).values.slice();
  }

  incRef(dataId: DataId): void {
    this.entry(dataId).refs++;
  }

  release(dataId: DataId): void {
    const e = this.table.get(dataId);
    if (!e) return;
    if (--e.refs <= 0) this.table.delete(dataId);
  }

  hasKernel(op: OpName): boolean {
    return op in cpuKernels;
  }

  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outputs: readonly OutputInfo[]): DataId[] {
    const ins: CpuTensor[] = inputs.map((t) => ({ values: this.values(t.dataId), shape: t.shape, dtype: t.dtype }));
    const outs: CpuTensor[] = outputs.map((o) => ({ values: this.allocValues(o.dtype, sizeOf(o.shape)), shape: o.shape, dtype: o.dtype }));
    (cpuKernels[op] as (i: readonly CpuTensor[], o: CpuTensor | readonly CpuTensor[], a: OpAttrMap[K], c: CpuContext) => void)(ins, isMultiOutput(op) ? outs : outs[0], attrs, this.ctx);
    return outs.map((o) => this.write(o.values, o.dtype));
  }

  memory(): BackendMemory {
    let numBytes = 0;
    for (const e of this.table.values()) numBytes += e.values.byteLength;
    return { numBuffers: this.table.size, numBytes };
  }

  dispose(): void {
    this.table.clear();
  }
}

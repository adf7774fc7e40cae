/**
 * How tensor data is laid out in GPU buffers, and size-bucketed pools of GPU
 * buffers: storage buffers for tensor data, staging buffers for reads, and
 * uniform buffers for launch params.
 *
 * Hazard rule: a buffer released while commands that use it are still being
 * recorded goes to `deferred` and only joins the pool after the next submit,
 * so `queue.writeBuffer` (which runs before the pending encoder) never
 * overwrites data those commands still read. Uniform buffers in use likewise
 * wait in `uniformsInFlight` until the submit.
 */
import type { DType, TypedArray } from '../types.js';
import { fmtShape } from '../types.js';

/** Bytes used on the GPU per element of a dtype (bool is one u32/i32). */
export function gpuBytesPer(_dtype: DType): number {
  return 4;
}

/** Tensor values as the GPU holds them: float32, int32, or bool as one i32 (0 or 1) each. */
export function encodeData(values: TypedArray, dtype: DType): ArrayBufferView {
  if (dtype === 'bool') return Int32Array.from(values as Uint8Array, (v) => (v ? 1 : 0));
  if (dtype === 'int32') return values instanceof Int32Array ? values : Int32Array.from(values);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** The `n` values of `dtype` in bytes read back from the GPU (the inverse of `encodeData`). */
export function decodeData(raw: ArrayBuffer, dtype: DType, n: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(raw, 0, n);
  if (dtype === 'int32') return new Int32Array(raw, 0, n);
  return Uint8Array.from(new Int32Array(raw, 0, n), (v) => (v ? 1 : 0));
}

/** The device limits that bound buffer sizes. */
export interface BufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

function push(pool: Map<number, GPUBuffer[]>, buf: GPUBuffer): void {
  const l = pool.get(buf.size);
  if (l) l.push(buf);
  else pool.set(buf.size, [buf]);
}

/** Pools of storage, staging and uniform buffers of one device, reused by size. */
export class BufferPool {
  private readonly pool = new Map<number, GPUBuffer[]>();
  private readonly stagingPool = new Map<number, GPUBuffer[]>();
  private readonly uniformPool = new Map<number, GPUBuffer[]>();
  private deferred: GPUBuffer[] = [];
  private uniformsInFlight: GPUBuffer[] = [];
  /** GPU buffers created for tensor data over the pool's life. */
  numBuffersCreated = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly limits: BufferLimits,
  ) {}

  /** The size of the pooled buffer that holds `bytes` (a power of two where the limits allow). */
  bucket(bytes: number): number {
    const b = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    return b <= this.limits.maxStorageBufferBindingSize && b <= this.limits.maxBufferSize ? b : Math.ceil(bytes / 16) * 16;
  }

  /** Throws if `bytes` of `what` (of `shape`) cannot be bound as one storage buffer. */
  checkSize(bytes: number, shape: readonly number[], what: string): void {
    const lim = Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
    if (bytes > lim) {
      const which = lim === this.limits.maxStorageBufferBindingSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
      throw new Error(`webgpu: ${what} of shape ${fmtShape(shape)} needs ${bytes} bytes, over the device's ${which} (${lim} bytes)`);
    }
  }

  /** A storage buffer of at least `bytes` (pooled or new; contents undefined). */
  acquire(bytes: number): GPUBuffer {
    const size = this.bucket(bytes);
    const list = this.pool.get(size);
    if (list && list.length) return list.pop()!;
    this.numBuffersCreated++;
    return this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  }

  /** Returns a storage buffer: to the pool now, or after the next submit if commands are `pending`. */
  release(buf: GPUBuffer, pending: boolean): void {
    if (pending) this.deferred.push(buf);
    else push(this.pool, buf);
  }

  /** A mappable staging buffer of `size` bytes for reads. */
  acquireStaging(size: number): GPUBuffer {
    return this.stagingPool.get(size)?.pop() ?? this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** Returns an unmapped staging buffer. */
  releaseStaging(buf: GPUBuffer): void {
    push(this.stagingPool, buf);
  }

  /** A uniform buffer holding `data`; it returns to the pool after the next submit. */
  uniform(data: ArrayBuffer): GPUBuffer {
    const list = this.uniformPool.get(data.byteLength);
    const buf = list?.pop() ?? this.device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buf, 0, data);
    this.uniformsInFlight.push(buf);
    return buf;
  }

  /** Called after a submit: deferred storage and in-flight uniform buffers rejoin their pools. */
  submitted(): void {
    for (const b of this.deferred) push(this.pool, b);
    this.deferred = [];
    for (const b of this.uniformsInFlight) push(this.uniformPool, b);
    this.uniformsInFlight = [];
  }

  /** Bytes and count of pooled (and deferred) storage buffers, and buffers created. */
  memory(): { pooledBytes: number; numPooledBuffers: number; numBuffersCreated: number } {
    let pooledBytes = 0;
    let numPooled = 0;
    for (const l of this.pool.values()) for (const b of l) (pooledBytes += b.size), numPooled++;
    for (const b of this.deferred) (pooledBytes += b.size), numPooled++;
    return { pooledBytes, numPooledBuffers: numPooled, numBuffersCreated: this.numBuffersCreated };
  }

  /** Destroys every pooled buffer. */
  dispose(): void {
    for (const l of [...this.pool.values(), ...this.stagingPool.values(), ...this.uniformPool.values()]) for (const b of l) b.destroy();
    this.pool.clear();
  }
}

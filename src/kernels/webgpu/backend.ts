/**
 * The WebGPU backend: reference-counted tensor handles over the runtime parts:
 * device setup (device.ts), device loss and GPU errors (errors.ts), the buffer
 * pool (buffer_pool.ts), layouts, pipelines and uniforms (pipelines.ts), and
 * command batching (dispatch.ts: one encoder; submitted on read, after
 * `maxPending` dispatches, or on `flush()`).
 */
import type { Backend } from '../backend.js';
import type { OpAttrMap, OpName } from '../op_names.js';
import { isMultiOutput } from '../op_names.js';
import type { OutputInfo } from '../spec.js';
import type { BackendMemory, DataId, DType, TensorInfo, TypedArray } from '../types.js';
import { sizeOf } from '../types.js';
import { BufferPool, decodeData, encodeData, gpuBytesPer } from './buffer_pool.js';
import type { WebGpuOptions } from './device.js';
import { limitsOf, requestDevice } from './device.js';
import { CommandBatcher, splitWorkgroups } from './dispatch.js';
import { DeviceErrors } from './errors.js';
import type { GpuKernel, GpuMultiKernel } from './kernel.js';
import { gpuKernels } from './kernels.js';
import type { Launch, ShaderDef } from './program.js';
import { IndexChecks } from '../movement/index_checks.js';
import type { ShaderInfo } from './pipelines.js';
import { packParams, PipelineCache } from './pipelines.js';

export { getGpu } from './device.js';
export type { WebGpuOptions } from './device.js';

interface GpuData {
  buffer: GPUBuffer;
  /** Bytes of tensor data (may be less than the buffer's size). */
  bytes: number;
  dtype: DType;
  refs: number;
}

/** The WebGPU backend: tensors live in GPU buffers and ops run as WGSL compute shaders. */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly float64 = false;
  readonly device: GPUDevice;
  readonly adapterInfo: Record<string, unknown>;
  readonly isSoftware: boolean;
  readonly limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxComputeWorkgroupsPerDimension: number };
  private readonly maxPending: number;
  private readonly table = new Map<DataId, GpuData>();
  private readonly errors: DeviceErrors;
  private readonly buffers: BufferPool;
  private readonly pipelines: PipelineCache;
  private readonly batch: CommandBatcher;
  private currentOp = '';
  /** Out-of-range index checks of gather and scatterAdd; reads throw what they find. */
  private readonly indexChecks = new IndexChecks(this);
  /** See `WebGpuOptions.debug`. */
  debug: boolean;

  constructor(device: GPUDevice, adapterInfo: Record<string, unknown> = {}, opts: WebGpuOptions = {}) {
    this.device = device;
    this.adapterInfo = adapterInfo;
    this.isSoftware = Boolean(adapterInfo.isFallbackAdapter) || adapterInfo.architecture === 'swiftshader';
    this.maxPending = opts.maxPending ?? 64;
    this.debug = opts.debug ?? false;
    this.limits = {
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    };
    this.errors = new DeviceErrors(device);
    this.buffers = new BufferPool(device, this.limits);
    this.pipelines = new PipelineCache(device, this.errors);
    this.batch = new CommandBatcher(device, this.errors, this.buffers);
  }

  /** GPU buffers created for tensor data over the backend's life. */
  get numBuffersCreated(): number {
    return this.buffers.numBuffersCreated;
  }

  /** Command buffers submitted. */
  get numSubmits(): number {
    return this.batch.numSubmits;
  }

  info(): Record<string, unknown> {
    return { name: this.name, float64: false, ...this.adapterInfo, software: this.isSoftware, limits: limitsOf(this.device.limits), features: [...this.device.features] };
  }

  /** True once the device is lost (destroyed, driver reset, …): every buffer is gone. */
  get lost(): boolean {
    return this.errors.lostMessage !== null;
  }

  // ---- buffers ----

  /** Allocates a new handle for `shape`/`dtype` (contents undefined). */
  alloc(shape: readonly number[], dtype: DType): DataId {
    this.errors.check();
    const bytes = sizeOf(shape) * gpuBytesPer(dtype);
    this.buffers.checkSize(bytes, shape, `${this.currentOp || 'tensor'} output`);
    const id = {};
    this.table.set(id, { buffer: this.buffers.acquire(bytes), bytes, dtype, refs: 1 });
    return id;
  }

  /** The GPU buffer behind a handle. */
  buffer(dataId: DataId): GPUBuffer {
    return this.entry(dataId).buffer;
  }

  private entry(dataId: DataId): GpuData {
    const e = this.table.get(dataId);
    if (!e) throw new Error('webgpu backend: tensor data was already disposed');
    return e;
  }

  write(values: TypedArray, dtype: DType): DataId {
    this.errors.check();
    const data = encodeData(values, dtype);
    const bytes = values.length * 4;
    this.buffers.checkSize(bytes, [values.length], 'tensor upload');
    const buffer = this.buffers.acquire(bytes);
    if (bytes > 0) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, bytes);
    const id = {};
    this.table.set(id, { buffer, bytes, dtype, refs: 1 });
    return id;
  }

  incRef(dataId: DataId): void {
    this.entry(dataId).refs++;
  }

  release(dataId: DataId): void {
    const e = this.table.get(dataId);
    if (!e) return;
    if (--e.refs > 0) return;
    this.table.delete(dataId);
    if (this.errors.disposed) return;
    this.buffers.release(e.buffer, this.batch.pending > 0);
  }

  // ---- execution ----

  /** A shader's layout (from the build-time reflection table) with its GPU bind group layout, built on first use. */
  shaderInfo(def: ShaderDef): ShaderInfo {
    return this.pipelines.shaderInfo(def);
  }

  /** Compiles a shader now and rejects with its errors (tests, warm-up). */
  compile(def: ShaderDef, overrides?: Readonly<Record<string, number>>): Promise<void> {
    return this.pipelines.compile(def, overrides);
  }

  /** Records one dispatch; returns the handles of its outputs (new ones with one reference). */
  launch(l: Launch): DataId[] {
    this.errors.check();
    const def = l.shader;
    const info = this.shaderInfo(def);
    if (l.inputs.length !== info.numInputs || l.outputs.length !== info.numOutputs) {
      throw new Error(
        `webgpu: launch of shader '${def.name}' binds ${l.inputs.length} inputs and ${l.outputs.length} outputs, ` +
          `but the shader declares ${info.numInputs} read-only and ${info.numOutputs} read_write storage buffers`,
      );
    }
    const outIds: DataId[] = [];
    const outBufs: GPUBuffer[] = [];
    for (const o of l.outputs) {
      if ('raw' in o) {
        outBufs.push(o.raw);
        continue;
      }
      const id = 'info' in o ? o.info.dataId : this.alloc(o.shape, o.dtype);
      outIds.push(id);
      outBufs.push(this.buffer(id));
    }
    const bufs = [...l.inputs.map((t) => this.buffer(t.dataId)), ...outBufs];
    const uniform = packParams(def, info, l.params);
    const ubuf = uniform ? this.buffers.uniform(uniform) : null;
    const pipeline = this.pipelines.pipeline(def, info, l.overrides);
    if (this.debug) {
      this.flush();
      this.batch.pushScopes();
    }
    const [x, y, z] = splitWorkgroups(def.name, l.workgroups as readonly number[], this.limits.maxComputeWorkgroupsPerDimension);
    let bi = 0;
    const entries: GPUBindGroupEntry[] = info.bindings.map((b) =>
      b.kind === 'uniform' ? { binding: b.binding, resource: { buffer: ubuf! } } : { binding: b.binding, resource: { buffer: bufs[bi++] } },
    );
    const bindGroup = this.device.createBindGroup({ label: def.name, layout: info.layout, entries });
    const pass = this.batch.encoder().beginComputePass({ label: def.name });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.batch.pending++;
    if (this.debug) {
      // Encoding errors surface at finish/submit: submit this dispatch alone, inside its scopes.
      this.flush();
      this.batch.popScopes(`${this.currentOp || 'launch'} (shader '${def.name}', ${l.inputs.map((t) => `[${t.shape.join(',')}]`).join(' ')})`);
    } else if (this.batch.pending >= this.maxPending) this.flush();
    return outIds;
  }

  /**
   * Records a check that every value of `indices` lies in [0, dim). A bad one
   * makes the next `read` throw `message(value, position)` (the first bad
   * position of the earliest failing check).
   */
  checkIndices(indices: TensorInfo, dim: number, message: (value: number, position: number) => string): void {
    this.indexChecks.add(indices, dim, message);
  }

  /** Records a buffer copy after the pending dispatches and submits everything. */
  copyAndSubmit(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    this.batch.encoder().copyBufferToBuffer(src, 0, dst, 0, bytes);
    this.batch.pending++;
    this.flush();
  }

  /** Submits recorded work. */
  flush(): void {
    this.batch.flush();
  }

  async read(dataId: DataId): Promise<TypedArray> {
    this.errors.check();
    const e = this.entry(dataId);
    const n = e.bytes / 4;
    const size = Math.max(16, this.buffers.bucket(e.bytes));
    const staging = this.buffers.acquireStaging(size);
    const encoder = this.batch.encoder();
    if (e.bytes > 0) encoder.copyBufferToBuffer(e.buffer, 0, staging, 0, e.bytes);
    this.batch.pending++;
    this.indexChecks.readBack();
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, size);
    } catch (err) {
      // A destroyed device rejects the map before `device.lost` settles: give it a moment, so the error says why.
      if (this.errors.lostMessage === null) await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, 100))]);
      this.errors.check();
      throw new Error(`webgpu: reading a tensor failed: ${(err as Error).message}`);
    }
    const raw = staging.getMappedRange(0, Math.ceil(Math.max(e.bytes, 4) / 4) * 4).slice(0);
    staging.unmap();
    this.buffers.releaseStaging(staging);
    if (this.batch.scopes.size) await Promise.all([...this.batch.scopes]);
    await this.indexChecks.settled();
    this.errors.check();
    const indexError = this.indexChecks.takeError();
    if (indexError) throw indexError;
    return decodeData(raw, e.dtype, n);
  }

  readSync(_dataId: DataId): TypedArray {
    throw new Error('webgpu: dataSync()/arraySync() cannot read GPU memory synchronously; use await t.data()');
  }

  hasKernel(op: OpName): boolean {
    return op in gpuKernels;
  }

  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outputs: readonly OutputInfo[]): DataId[] {
    this.errors.check();
    const k = gpuKernels[op];
    if (!k) throw new Error(`webgpu: no kernel for '${op}' yet`);
    this.currentOp = op;
    try {
      if (isMultiOutput(op)) return (k as GpuMultiKernel<K>)(this, inputs, attrs, outputs);
      return [(k as GpuKernel<K>)(this, inputs, attrs, outputs[0].shape, outputs[0].dtype)];
    } finally {
      this.currentOp = '';
    }
  }

  memory(): BackendMemory {
    let numBytes = 0;
    for (const e of this.table.values()) numBytes += e.bytes;
    return { numBuffers: this.table.size, numBytes, ...this.buffers.memory() };
  }

  dispose(): void {
    this.flush();
    this.errors.disposed = true;
    for (const e of this.table.values()) e.buffer.destroy();
    this.buffers.dispose();
    this.indexChecks.dispose();
    this.table.clear();
  }
}

/** Creates a WebGPU backend (browser: navigator.gpu; Node: the optional `webgpu` package). */
export async function createWebGpuBackend(opts: WebGpuOptions = {}): Promise<WebGpuBackend> {
  if (opts.device) return new WebGpuBackend(opts.device, {}, opts);
  const { device, adapterInfo } = await requestDevice(opts);
  return new WebGpuBackend(device, adapterInfo, opts);
}

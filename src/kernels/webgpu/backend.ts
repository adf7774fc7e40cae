/**
 * The WebGPU backend runtime: device setup, a size-bucketed buffer pool with
 * reference-counted handles, reflected bind group layouts, a pipeline cache,
 * uniform packing from reflected offsets, and command batching (one encoder;
 * submitted on read, after `maxPending` dispatches, or on `flush()`).
 *
 * Hazard rule: a buffer released while commands that use it are still being
 * recorded goes to `deferred` and only joins the pool after the next submit,
 * so `queue.writeBuffer` (which runs before the pending encoder) never
 * overwrites data those commands still read.
 */
import type { Backend } from '../backend.js';
import type { OpAttrMap, OpName } from '../op_names.js';
import type { BackendMemory, DataId, DType, TensorInfo, TypedArray } from '../types.js';
import { fmtShape, sizeOf } from '../types.js';
import type { GpuKernel } from './kernel.js';
import { gpuKernels } from './kernels.js';
import type { Launch, ShaderDef } from './program.js';
import { IndexChecks } from './index_checks.js';
import type { ShaderLayout } from './layout.js';
import { shaderLayout } from './layout.js';


interface GpuData {
  buffer: GPUBuffer;
  /** Bytes of tensor data (may be less than the buffer's size). */
  bytes: number;
  dtype: DType;
  refs: number;
}

interface ShaderInfo extends ShaderLayout {
  layout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
  module?: GPUShaderModule;
}

export interface WebGpuOptions {
  device?: GPUDevice;
  /** Accept a software adapter (SwiftShader, fallback). Default true. */
  allowSoftware?: boolean;
  /** Request the adapter's own limits (default) or WebGPU's defaults. */
  requiredLimits?: 'adapter' | 'default';
  /** Dispatches recorded before an automatic submit (default 64). */
  maxPending?: number;
  /**
   * Debug mode: every dispatch runs under validation and out-of-memory error
   * scopes and is submitted on its own, so a GPU error names the op and shader
   * that caused it (slow; for finding bugs). Toggle later with `backend.debug`.
   */
  debug?: boolean;
}

const LIMIT_NAMES = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;


/** Bytes used on the GPU per element of a dtype (bool is one u32/i32). */
function gpuBytesPer(_dtype: DType): number {
  return 4;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly float64 = false;
  readonly device: GPUDevice;
  readonly adapterInfo: Record<string, unknown>;
  readonly isSoftware: boolean;
  readonly limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxComputeWorkgroupsPerDimension: number };
  private readonly maxPending: number;
  private readonly table = new Map<DataId, GpuData>();
  private readonly pool = new Map<number, GPUBuffer[]>();
  private readonly stagingPool = new Map<number, GPUBuffer[]>();
  private readonly uniformPool = new Map<number, GPUBuffer[]>();
  private deferred: GPUBuffer[] = [];
  private uniformsInFlight: GPUBuffer[] = [];
  private readonly shaders = new Map<string, ShaderInfo>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pending = 0;
  private lostMessage: string | null = null;
  private asyncError: Error | null = null;
  private currentOp = '';
  private disposed = false;
  /** Out-of-range index checks of gather and scatterAdd; reads throw what they find. */
  private readonly indexChecks = new IndexChecks(this);
  /** Error scopes of debug-mode dispatches not yet resolved (reads wait for them). */
  private readonly scopes = new Set<Promise<void>>();
  /** See `WebGpuOptions.debug`. */
  debug: boolean;
  /** GPU buffers created for tensor data over the backend's life. */
  numBuffersCreated = 0;
  /** Command buffers submitted. */
  numSubmits = 0;

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
    void device.lost.then((info) => {
      if (!this.disposed) this.lostMessage = `${info.reason ?? 'unknown'}: ${info.message}`;
    });
    // Errors outside any scope (found at submit, outside debug mode) become the error the next
    // op or read throws, instead of a console warning and a silently wrong result.
    device.addEventListener?.('uncapturederror', (ev) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      if (!this.asyncError) this.asyncError = new Error(`webgpu: GPU error (${err.constructor?.name ?? 'GPUError'}): ${err.message}`);
    });
  }

  info(): Record<string, unknown> {
    const limits: Record<string, number> = {};
    for (const k of LIMIT_NAMES) limits[k] = (this.device.limits as unknown as Record<string, number>)[k];
    return { name: this.name, float64: false, ...this.adapterInfo, software: this.isSoftware, limits, features: [...this.device.features] };
  }

  /** True once the device is lost (destroyed, driver reset, …): every buffer is gone. */
  get lost(): boolean {
    return this.lostMessage !== null;
  }

  private alive(): void {
    if (this.lostMessage !== null) {
      const e = new Error(`webgpu: the GPU device was lost (${this.lostMessage}); its tensors are gone. sg.setBackend('webgpu') starts a new device (or use 'cpu')`);
      e.name = 'GPUDeviceLostError';
      throw e;
    }
    if (this.disposed) throw new Error('webgpu: backend was disposed');
    if (this.asyncError) {
      const e = this.asyncError;
      this.asyncError = null;
      throw e;
    }
  }

  // ---- buffers ----

  private bucket(bytes: number): number {
    const b = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    return b <= this.limits.maxStorageBufferBindingSize && b <= this.limits.maxBufferSize ? b : Math.ceil(bytes / 16) * 16;
  }

  private checkSize(bytes: number, shape: readonly number[], what: string): void {
    const lim = Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
    if (bytes > lim) {
      const which = lim === this.limits.maxStorageBufferBindingSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
      throw new Error(`webgpu: ${what} of shape ${fmtShape(shape)} needs ${bytes} bytes, over the device's ${which} (${lim} bytes)`);
    }
  }

  private acquire(bytes: number): GPUBuffer {
    const size = this.bucket(bytes);
    const list = this.pool.get(size);
    if (list && list.length) return list.pop()!;
    this.numBuffersCreated++;
    return this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  }

  private toPool(buf: GPUBuffer): void {
    const l = this.pool.get(buf.size);
    if (l) l.push(buf);
    else this.pool.set(buf.size, [buf]);
  }

  /** Allocates a new handle for `shape`/`dtype` (contents undefined). */
  alloc(shape: readonly number[], dtype: DType): DataId {
    this.alive();
    const bytes = sizeOf(shape) * gpuBytesPer(dtype);
    this.checkSize(bytes, shape, `${this.currentOp || 'tensor'} output`);
    const id = {};
    this.table.set(id, { buffer: this.acquire(bytes), bytes, dtype, refs: 1 });
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
    this.alive();
    let data: ArrayBufferView;
    if (dtype === 'bool') data = Int32Array.from(values as Uint8Array, (v) => (v ? 1 : 0));
    else if (dtype === 'int32') data = values instanceof Int32Array ? values : Int32Array.from(values);
    else data = values instanceof Float32Array ? values : Float32Array.from(values);
    const bytes = values.length * 4;
    this.checkSize(bytes, [values.length], 'tensor upload');
    const buffer = this.acquire(bytes);
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
    if (this.disposed) return;
    if (this.pending > 0) this.deferred.push(e.buffer);
    else this.toPool(e.buffer);
  }

  // ---- execution ----

  /** A shader's layout (from the build-time reflection table) with its GPU bind group layout, built on first use. */
  shaderInfo(def: ShaderDef): ShaderInfo {
    let s = this.shaders.get(def.name);
    if (s) return s;
    const r = shaderLayout(def);
    const layout = this.device.createBindGroupLayout({
      label: def.name,
      entries: r.bindings.map((b) => ({ binding: b.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: b.kind } })),
    });
    s = { ...r, layout, pipelineLayout: this.device.createPipelineLayout({ label: def.name, bindGroupLayouts: [layout] }) };
    this.shaders.set(def.name, s);
    return s;
  }

  private pipeline(def: ShaderDef, info: ShaderInfo, overrides?: Readonly<Record<string, number>>): GPUComputePipeline {
    const key = overrides ? `${def.name}|${JSON.stringify(Object.entries(overrides).sort())}` : def.name;
    let p = this.pipelines.get(key);
    if (p) return p;
    this.device.pushErrorScope('validation');
    if (!info.module) info.module = this.device.createShaderModule({ label: def.name, code: def.source });
    p = this.device.createComputePipeline({
      label: key,
      layout: info.pipelineLayout,
      compute: { module: info.module, entryPoint: def.entryPoint ?? 'main', constants: overrides as Record<string, number> | undefined },
    });
    void this.device.popErrorScope().then((err) => {
      if (err && !this.asyncError) this.asyncError = new Error(`webgpu: shader '${def.name}' failed to compile: ${err.message}`);
    });
    this.pipelines.set(key, p);
    return p;
  }

  /** Compiles a shader now and rejects with its errors (tests, warm-up). */
  async compile(def: ShaderDef, overrides?: Readonly<Record<string, number>>): Promise<void> {
    const info = this.shaderInfo(def);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: def.name, code: def.source });
    const ci = await module.getCompilationInfo();
    const msgs = ci.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    this.device.createComputePipeline({ layout: info.pipelineLayout, compute: { module, entryPoint: def.entryPoint ?? 'main', constants: overrides as Record<string, number> | undefined } });
    const err = await this.device.popErrorScope();
    if (msgs.length || err) throw new Error(`webgpu: shader '${def.name}' failed to compile: ${msgs.join('; ')} ${err?.message ?? ''}`);
  }

  private packParams(def: ShaderDef, info: ShaderInfo, params: Readonly<Record<string, number | readonly number[]>> = {}): GPUBuffer | null {
    const u = info.uniform;
    if (!u) {
      if (Object.keys(params).length) throw new Error(`webgpu: shader '${def.name}' has no params uniform but the launch passed ${Object.keys(params).join(', ')}`);
      return null;
    }
    const ab = new ArrayBuffer(u.size);
    const dv = new DataView(ab);
    for (const k of Object.keys(params)) {
      if (!u.members.has(k)) throw new Error(`webgpu: shader '${def.name}' has no params.${k}`);
    }
    for (const [name, slots] of u.members) {
      const v = params[name];
      if (v === undefined) throw new Error(`webgpu: launch of '${def.name}' is missing params.${name}`);
      const vals = typeof v === 'number' ? [v] : v;
      if (vals.length > slots.length) throw new Error(`webgpu: params.${name} of '${def.name}' takes at most ${slots.length} values, got ${vals.length}`);
      for (let i = 0; i < slots.length; i++) {
        const x = vals[i] ?? 0;
        const s = slots[i];
        if (s.type === 'f32') dv.setFloat32(s.offset, x, true);
        else if (s.type === 'i32') dv.setInt32(s.offset, x, true);
        else dv.setUint32(s.offset, x >>> 0, true);
      }
    }
    const list = this.uniformPool.get(u.size);
    const buf = list?.pop() ?? this.device.createBuffer({ size: u.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buf, 0, ab);
    this.uniformsInFlight.push(buf);
    return buf;
  }

  /** Records one dispatch; returns the handles of its outputs (new ones with one reference). */
  launch(l: Launch): DataId[] {
    this.alive();
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
    const ubuf = this.packParams(def, info, l.params);
    const pipeline = this.pipeline(def, info, l.overrides);
    if (this.debug) {
      this.flush();
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
    }
    let [x, y = 1, z = 1] = l.workgroups;
    const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxDim) {
      if (y !== 1) throw new Error(`webgpu: shader '${def.name}' dispatch (${x}, ${y}, ${z}) is over maxComputeWorkgroupsPerDimension (${maxDim})`);
      y = Math.ceil(x / maxDim);
      x = Math.ceil(x / y);
    }
    if (y > maxDim || z > maxDim) throw new Error(`webgpu: shader '${def.name}' dispatch (${x}, ${y}, ${z}) is over maxComputeWorkgroupsPerDimension (${maxDim})`);
    let bi = 0;
    const entries: GPUBindGroupEntry[] = info.bindings.map((b) =>
      b.kind === 'uniform' ? { binding: b.binding, resource: { buffer: ubuf! } } : { binding: b.binding, resource: { buffer: bufs[bi++] } },
    );
    const bindGroup = this.device.createBindGroup({ label: def.name, layout: info.layout, entries });
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    const pass = this.encoder.beginComputePass({ label: def.name });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.pending++;
    if (this.debug) {
      // Encoding errors surface at finish/submit: submit this dispatch alone, inside its scopes.
      this.flush();
      const what = `${this.currentOp || 'launch'} (shader '${def.name}', ${l.inputs.map((t) => `[${t.shape.join(',')}]`).join(' ')})`;
      for (const kind of ['validation', 'out-of-memory']) {
        const p: Promise<void> = this.device.popErrorScope().then(
          (err) => {
            this.scopes.delete(p);
            if (err && !this.asyncError) this.asyncError = new Error(`webgpu: ${what} failed (${kind} error): ${err.message}`);
          },
          // Rejected only when the device is gone; alive() reports that.
          () => void this.scopes.delete(p),
        );
        this.scopes.add(p);
      }
    } else if (this.pending >= this.maxPending) this.flush();
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
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
    this.pending++;
    this.flush();
  }

  /** Submits recorded work. */
  flush(): void {
    if (!this.encoder) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.numSubmits++;
    this.encoder = null;
    this.pending = 0;
    for (const b of this.deferred) this.toPool(b);
    this.deferred = [];
    for (const b of this.uniformsInFlight) {
      const l = this.uniformPool.get(b.size);
      if (l) l.push(b);
      else this.uniformPool.set(b.size, [b]);
    }
    this.uniformsInFlight = [];
  }

  async read(dataId: DataId): Promise<TypedArray> {
    this.alive();
    const e = this.entry(dataId);
    const n = e.bytes / 4;
    const size = Math.max(16, this.bucket(e.bytes));
    const staging = this.stagingPool.get(size)?.pop() ?? this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (e.bytes > 0) this.encoder.copyBufferToBuffer(e.buffer, 0, staging, 0, e.bytes);
    this.pending++;
    this.indexChecks.readBack();
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, size);
    } catch (err) {
      // A destroyed device rejects the map before `device.lost` settles: give it a moment, so the error says why.
      if (this.lostMessage === null) await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, 100))]);
      this.alive();
      throw new Error(`webgpu: reading a tensor failed: ${(err as Error).message}`);
    }
    const raw = staging.getMappedRange(0, Math.ceil(Math.max(e.bytes, 4) / 4) * 4).slice(0);
    staging.unmap();
    const l = this.stagingPool.get(size);
    if (l) l.push(staging);
    else this.stagingPool.set(size, [staging]);
    if (this.scopes.size) await Promise.all([...this.scopes]);
    await this.indexChecks.settled();
    this.alive();
    const indexError = this.indexChecks.takeError();
    if (indexError) throw indexError;
    if (e.dtype === 'float32') return new Float32Array(raw, 0, n);
    if (e.dtype === 'int32') return new Int32Array(raw, 0, n);
    return Uint8Array.from(new Int32Array(raw, 0, n), (v) => (v ? 1 : 0));
  }

  readSync(_dataId: DataId): TypedArray {
    throw new Error('webgpu: dataSync()/arraySync() cannot read GPU memory synchronously; use await t.data()');
  }

  hasKernel(op: OpName): boolean {
    return op in gpuKernels;
  }

  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outShape: readonly number[], outDtype: DType): DataId {
    this.alive();
    const k = gpuKernels[op] as GpuKernel<K> | undefined;
    if (!k) throw new Error(`webgpu: no kernel for '${op}' yet`);
    this.currentOp = op;
    try {
      return k(this, inputs, attrs, outShape, outDtype);
    } finally {
      this.currentOp = '';
    }
  }

  memory(): BackendMemory {
    let numBytes = 0;
    for (const e of this.table.values()) numBytes += e.bytes;
    let pooledBytes = 0;
    let numPooled = 0;
    for (const l of this.pool.values()) for (const b of l) (pooledBytes += b.size), numPooled++;
    for (const b of this.deferred) (pooledBytes += b.size), numPooled++;
    return { numBuffers: this.table.size, numBytes, pooledBytes, numPooledBuffers: numPooled, numBuffersCreated: this.numBuffersCreated };
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
    for (const e of this.table.values()) e.buffer.destroy();
    for (const l of [...this.pool.values(), ...this.stagingPool.values(), ...this.uniformPool.values()]) for (const b of l) b.destroy();
    this.indexChecks.dispose();
    this.table.clear();
    this.pool.clear();
  }
}

let nodeGpu: GPU | null = null;

/** navigator.gpu in browsers; in Node one cached instance from the optional `webgpu` package. */
export async function getGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (nav) return nav;
  if (nodeGpu) return nodeGpu;
  let mod: { create: (o: string[]) => GPU; globals: object };
  try {
    const name = 'webgpu';
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new Error(`webgpu: no navigator.gpu and the optional 'webgpu' package could not be loaded (${(e as Error).message})`);
  }
  Object.assign(globalThis, mod.globals);
  nodeGpu = mod.create([]);
  return nodeGpu;
}

/** Creates a WebGPU backend (browser: navigator.gpu; Node: the optional `webgpu` package). */
export async function createWebGpuBackend(opts: WebGpuOptions = {}): Promise<WebGpuBackend> {
  if (opts.device) return new WebGpuBackend(opts.device, {}, opts);
  const gpu = await getGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('webgpu: no GPU adapter available');
  const ai = adapter.info ?? ({} as GPUAdapterInfo);
  const isFallback = Boolean((adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (ai as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const adapterInfo: Record<string, unknown> = {
    vendor: ai.vendor,
    architecture: ai.architecture,
    device: ai.device,
    description: ai.description,
    isFallbackAdapter: isFallback,
  };
  const software = isFallback || ai.architecture === 'swiftshader';
  if (software && opts.allowSoftware === false) throw new Error(`webgpu: only a software adapter is available (${ai.vendor} ${ai.architecture})`);
  const requiredLimits: Record<string, number> = {};
  if ((opts.requiredLimits ?? 'adapter') === 'adapter') {
    for (const k of LIMIT_NAMES) requiredLimits[k] = (adapter.limits as unknown as Record<string, number>)[k];
  }
  // Timestamp queries, where offered, let sg.debug time single kernels on the GPU itself.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  return new WebGpuBackend(device, adapterInfo, opts);
}

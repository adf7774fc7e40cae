/**
 * The wasm backend: every tensor lives in one growable WebAssembly.Memory
 * (`WasmHeap`), kernels are SIMD modules emitted at start-up by
 * `emitter.ts` (one per family, `<family>/wasm.ts`, compiled asynchronously once), and ops
 * without a wasm kernel run the JavaScript CPU kernel on typed-array views
 * of the same memory: no copy in either direction.
 */
import type { Backend } from '../backend.js';
import type { CpuContext, CpuTensor } from '../cpu/cpu_tensor.js';
import { cpuKernels } from '../cpu/kernels.js';
import type { OpAttrMap, OpName } from '../op_names.js';
import { isMultiOutput } from '../op_names.js';
import type { OutputInfo } from '../spec.js';
import type { BackendMemory, DataId, DType, TensorInfo, TypedArray } from '../types.js';
import { bytesPerElement, sizeOf } from '../types.js';
import { simdSupported, wasmModule } from './emitter.js';
import { JS_FALLBACK } from './fallbacks.js';
import type { WasmCall, WasmContext, WasmFn, WasmRunRecord, WasmTensor } from './kernel.js';
import { wasmKernels, wasmModules } from './kernels.js';
import { MAX_PAGES, WasmHeap } from './memory.js';
import { ThreadPool, hardwareThreads, threadsUnavailable } from './threads.js';

interface Entry {
  ptr: number;
  size: number;
  dtype: DType;
  refs: number;
}

const jsCtx: CpuContext = { floats: (n) => new Float32Array(n) };

/** Options of the wasm backend. */
export interface WasmOptions {
  /** Initial heap size in 64 KiB pages (default 256 = 16 MiB). */
  initialPages?: number;
  /**
   * Threads for large matMul/conv products, the calling one included
   * (default: the logical cores, at most 8). 1, or an engine without shared
   * memory (a browser page that is not cross-origin isolated), runs on one.
   */
  threads?: number;
}

/** The most threads the backend starts. */
const MAX_THREADS = 8;

/** The wasm backend: tensors in one WebAssembly heap, SIMD kernels, JS kernels on views for the rest. */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly float64 = false;
  readonly heap: WasmHeap;
  private readonly table = new Map<DataId, Entry>();
  private readonly fns: Map<string, WasmFn>;
  private scratchBlocks: number[] = [];
  private readonly ctx: WasmContext;
  private pool: ThreadPool | null = null;
  private poolCtl = 0;
  private poolStart: Promise<void> = Promise.resolve();
  /** Why the backend runs on one thread, when it does for lack of shared memory or workers. */
  private readonly noThreads: string | null;
  private threadFailure: string | null = null;
  /**
   * Receives, after each `run`, what it ran (wasm functions, GEMM threads,
   * or the JavaScript kernel and why); null (the default) records nothing.
   * `sg.debug.traceStep` sets it for the duration of a step.
   */
  recorder: ((r: WasmRunRecord) => void) | null = null;
  /** The record of the `run` in progress while a recorder is set. */
  private current: WasmRunRecord | null = null;

  /** Use `createWasmBackend()`, which compiles the modules first. */
  constructor(heap: WasmHeap, fns: Map<string, WasmFn>, private readonly gemmModule: WebAssembly.Module) {
    this.heap = heap;
    this.fns = fns;
    this.noThreads = heap.shared ? null : (threadsUnavailable() ?? 'the heap was made without shared memory');
    const backend = this;
    this.ctx = {
      heap,
      fn: (name) => {
        const f = this.fns.get(name);
        if (!f) throw new Error(`wasm backend: no function '${name}'`);
        if (this.current) this.called(name, 1);
        return f;
      },
      scratch: (bytes) => {
        const p = heap.alloc(bytes);
        this.scratchBlocks.push(p);
        return p;
      },
      view: (t) => this.viewOf(t.ptr, t.size, t.dtype),
      get threads() {
        return backend.pool ? backend.pool.size : 1;
      },
      parallelGemm: (args) => {
        if (this.current) this.called('gemm', args.length);
        this.pool!.run(this.fns.get('gemm')!, args);
      },
    };
  }

  /** Notes in the current record that wasm function `name` ran on `threads` threads. */
  private called(name: string, threads: number): void {
    const calls: WasmCall[] = this.current!.calls;
    const c = calls.find((x) => x.wasmFunction === name);
    if (c) c.threads = Math.max(c.threads, threads);
    else calls.push({ wasmFunction: name, threads });
  }

  /** A description for `sg.backendInfo()`: SIMD, threads in use, and why one thread when shared memory is missing. */
  info(): Record<string, unknown> {
    return {
      name: this.name,
      float64: false,
      simd: true,
      threads: this.threads,
      sharedMemory: this.heap.shared,
      ...(this.noThreads || this.threadFailure ? { singleThreadReason: this.noThreads ?? this.threadFailure } : {}),
      heapBytes: this.heap.memory.buffer.byteLength,
    };
  }

  /** Threads large products use now (1 until the workers have started). */
  get threads(): number {
    return this.pool ? this.pool.size : 1;
  }

  /**
   * Uses `n` threads (the calling one included) for large products from now
   * on; resolves when the workers are running, with the number in use
   * (1 where memory cannot be shared).
   */
  setThreads(n: number): Promise<number> {
    if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: n must be a positive integer, got ${n}`);
    this.poolStart = this.poolStart.then(async () => {
      const want = Math.min(n, MAX_THREADS);
      if (this.noThreads || (this.pool?.size ?? 1) === want) return;
      this.stopPool();
      if (want === 1) return;
      const ctl = this.heap.alloc(64 + 64 * (want - 1));
      this.heap.i32().fill(0, ctl >> 2, (ctl >> 2) + 16 + 16 * (want - 1));
      try {
        this.pool = await ThreadPool.start(this.heap.memory, this.gemmModule, ctl, want - 1);
        this.poolCtl = ctl;
        this.threadFailure = null;
      } catch (e) {
        this.heap.release(ctl);
        this.threadFailure = `workers failed to start: ${(e as Error).message}`;
        throw e;
      }
    });
    return this.poolStart.then(() => this.threads);
  }

  private stopPool(): void {
    if (!this.pool) return;
    this.pool.stop();
    this.pool = null;
    this.heap.release(this.poolCtl);
  }

  private viewOf(ptr: number, size: number, dtype: DType): TypedArray {
    const buf = this.heap.memory.buffer;
    if (dtype === 'bool') return new Uint8Array(buf, ptr, size);
    if (dtype === 'int32') return new Int32Array(buf, ptr, size);
    return new Float32Array(buf, ptr, size);
  }

  private entry(dataId: DataId): Entry {
    const e = this.table.get(dataId);
    if (!e) throw new Error('wasm backend: tensor data was already disposed');
    return e;
  }

  write(values: TypedArray, dtype: DType): DataId {
    const ptr = this.heap.alloc(values.length * bytesPerElement(dtype));
    const v = this.viewOf(ptr, values.length, dtype);
    v.set(values);
    const id = {};
    this.table.set(id, { ptr, size: values.length, dtype, refs: 1 });
    return id;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    const e = this.entry(dataId);
    return this.viewOf(e.ptr, e.size, e.dtype).slice();
  }

  incRef(dataId: DataId): void {
    this.entry(dataId).refs++;
  }

  release(dataId: DataId): void {
    const e = this.table.get(dataId);
    if (!e) return;
    if (--e.refs <= 0) {
      this.table.delete(dataId);
      this.heap.release(e.ptr);
    }
  }

  hasKernel(op: OpName): boolean {
    return op in cpuKernels;
  }

  run<K extends OpName>(op: K, inputs: readonly TensorInfo[], attrs: OpAttrMap[K], outputs: readonly OutputInfo[]): DataId[] {
    const outs: WasmTensor[] = [];
    const ins: WasmTensor[] = inputs.map((t) => {
      const e = this.entry(t.dataId);
      return { ptr: e.ptr, size: e.size, shape: t.shape, dtype: t.dtype };
    });
    try {
      for (const o of outputs) {
        const size = sizeOf(o.shape);
        outs.push({ ptr: this.heap.alloc(size * bytesPerElement(o.dtype)), size, shape: o.shape, dtype: o.dtype });
      }
      const out = isMultiOutput(op) ? outs : outs[0];
      const k = (wasmKernels as Partial<Record<OpName, (i: readonly WasmTensor[], o: WasmTensor | readonly WasmTensor[], a: OpAttrMap[K], c: WasmContext) => boolean>>)[op];
      if (this.recorder) this.current = { op, calls: [], js: null };
      if (!k || !k(ins, out, attrs, this.ctx)) {
        if (this.current) {
          const listed = (JS_FALLBACK as Partial<Record<OpName, string>>)[op];
          this.current.js = listed !== undefined ? { reason: listed, listed: true } : { reason: k ? 'the wasm kernel hands this case to the JavaScript kernel' : 'no wasm kernel for this op', listed: false };
        }
        this.runJs(op, ins, out, attrs);
      }
      if (this.current) this.recorder?.(this.current);
    } catch (e) {
      for (const o of outs) this.heap.release(o.ptr);
      throw e;
    } finally {
      this.current = null;
      for (const p of this.scratchBlocks) this.heap.release(p);
      this.scratchBlocks = [];
    }
    return outs.map((o) => {
      const id = {};
      this.table.set(id, { ptr: o.ptr, size: o.size, dtype: o.dtype, refs: 1 });
      return id;
    });
  }

  /** The JavaScript CPU kernel on views of wasm memory (outputs zeroed first, as CPU kernels expect). */
  private runJs<K extends OpName>(op: K, ins: readonly WasmTensor[], out: WasmTensor | readonly WasmTensor[], attrs: OpAttrMap[K]): void {
    const cpuIns: CpuTensor[] = ins.map((t) => ({ values: this.viewOf(t.ptr, t.size, t.dtype), shape: t.shape, dtype: t.dtype }));
    const cpuOut = (o: WasmTensor): CpuTensor => {
      const values = this.viewOf(o.ptr, o.size, o.dtype);
      values.fill(0);
      return { values, shape: o.shape, dtype: o.dtype };
    };
    const outs = Array.isArray(out) ? out.map(cpuOut) : cpuOut(out as WasmTensor);
    (cpuKernels[op] as (i: readonly CpuTensor[], o: CpuTensor | readonly CpuTensor[], a: OpAttrMap[K], c: CpuContext) => void)(cpuIns, outs, attrs, jsCtx);
  }

  memory(): BackendMemory {
    let numBytes = 0;
    for (const e of this.table.values()) numBytes += e.size * bytesPerElement(e.dtype);
    return { numBuffers: this.table.size, numBytes, pooledBytes: this.heap.pooledBytes() };
  }

  dispose(): void {
    this.stopPool();
    for (const e of this.table.values()) this.heap.release(e.ptr);
    this.table.clear();
  }
}

/** The emitted module of each kernel family, as bytes (for inspection and tests). */
export function wasmModuleBytes(shared = false): Record<string, Uint8Array<ArrayBuffer>> {
  return Object.fromEntries(Object.entries(wasmModules()).map(([k, fns]) => [k, wasmModule(fns, { shared, maxPages: MAX_PAGES })]));
}

/**
 * Creates the wasm backend: checks SIMD support with `WebAssembly.validate`,
 * then compiles every kernel module (asynchronously, as browsers require
 * for modules over 4 KiB on the main thread) against one heap, shared when
 * threads are possible. Worker threads start in the background (products
 * run on one thread until they are ready), so the first op is not delayed.
 */
export async function createWasmBackend(options: WasmOptions = {}): Promise<WasmBackend> {
  if (!simdSupported()) throw new Error('wasm backend: this engine has no WebAssembly SIMD (f32x4); use the cpu backend');
  const threads = options.threads ?? Math.min(MAX_THREADS, await hardwareThreads());
  const heap = new WasmHeap({ initialPages: options.initialPages, shared: threadsUnavailable() === null });
  const fns = new Map<string, WasmFn>();
  const modules = new Map<string, WebAssembly.Module>();
  await Promise.all(
    Object.entries(wasmModuleBytes(heap.shared)).map(async ([family, b]) => {
      const module = await WebAssembly.compile(b);
      modules.set(family, module);
      const instance = await WebAssembly.instantiate(module, { env: { memory: heap.memory } });
      for (const [name, f] of Object.entries(instance.exports)) fns.set(name, f as WasmFn);
    }),
  );
  const backend = new WasmBackend(heap, fns, modules.get('gemm')!);
  if (threads > 1) backend.setThreads(threads).catch(() => {});
  return backend;
}

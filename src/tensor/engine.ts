/**
 * The engine: owns the backends, creates tensors, runs ops through
 * `dispatch`, tracks tensors in `tidy` scopes, and tells one optional
 * `OpRecorder` (autograd's tape) about every op it runs.
 *
 * It imports `Tensor` as a type only: tensor.ts registers the class here when
 * it loads (`registerTensorClass`), so the engine and the ops it serves never
 * import tensor.ts at run time and tensor.ts can import them (see tensor.ts).
 */
import type { Backend } from '../kernels/backend.js';
import { CpuBackend } from '../kernels/cpu/backend.js';
import type { MultiOutputOp, OpAttrMap, OpName, SingleOutputOp } from '../kernels/op_names.js';
import { opInputs } from '../kernels/op_names.js';
import { outputInfos } from '../kernels/spec.js';
import type { DataId, DType, TypedArray } from '../kernels/types.js';
import { fmtShape } from '../kernels/types.js';
import type { Tensor } from './tensor.js';

/** Sees every op the engine runs; autograd's tape is the one implementation. */
export interface OpRecorder {
  /** True while ops should be reported (a gradient tape is open and not paused). */
  readonly active: boolean;
  /** Op `op` ran: `outputs` has one tensor per output (one for most ops). */
  record(op: OpName, inputs: readonly Tensor[], attrs: object, outputs: readonly Tensor[]): void;
  /** True if an open tape references `t` (as an op's input or output): backprop will need it. */
  holds(t: Tensor): boolean;
}

/** Receives each kernel run while profiling. */
export interface KernelProfiler {
  onKernel(op: OpName, backend: string, ms: number): void;
  onMemory(numBytes: number): void;
}

/**
 * Sees every kernel run and every tensor made or freed: `sg.debug`'s CPU-twin
 * check and memory ledger. Costs nothing while none is registered.
 */
export interface EngineObserver {
  /** A kernel ran (`ms`: wall time of the backend's run call; reshape runs none); `outputs` has one tensor per output. */
  onKernel?(op: OpName, inputs: readonly Tensor[], attrs: object, outputs: readonly Tensor[], ms: number): void;
  /** A tensor was made; `op` is the op that made it, or 'tensor' / 'variable'. */
  onTensor?(t: Tensor, op: string): void;
  /** A tensor was disposed. */
  onDispose?(t: Tensor): void;
}

/** How the engine constructs tensors: `Tensor`'s constructor (internal). */
type TensorClass = new (engine: Engine, id: number, dataId: DataId, shape: readonly number[], dtype: DType, backend: Backend) => Tensor;

/** The `Tensor` class of this module instance, once tensor.ts has loaded. */
let tensorClass: TensorClass | null = null;

/**
 * @internal Called once by tensor.ts when it loads: the class `makeTensor*`
 * constructs and `isTensor` checks against. src/index.ts (and so both published
 * bundles) loads tensor.ts before any caller's code runs; a script that imports
 * an op module of src without it gets a named error from `makeTensorFromDataId`.
 */
export function registerTensorClass(c: TensorClass): void {
  tensorClass = c;
}

/** @internal `x instanceof Tensor`, for modules that may not import tensor.ts at run time (false before any Tensor can exist). */
export function isTensor(x: unknown): x is Tensor {
  return tensorClass !== null && x instanceof tensorClass;
}

type BackendFactory = () => Backend | Promise<Backend>;

interface Scope {
  tracked: Tensor[];
}

/** Anything that may hold tensors: a tensor, or arrays/objects of them. */
export type TensorContainer = Tensor | readonly TensorContainer[] | { readonly [k: string]: TensorContainer } | number | string | boolean | null | undefined | void;

export class Engine {
  private readonly factories = new Map<string, { factory: BackendFactory; priority: number }>();
  private readonly instances = new Map<string, Backend>();
  private current: Backend | null = null;
  private readonly scopes: Scope[] = [];
  private recorder: OpRecorder | null = null;
  /** Set while `profile()` runs. */
  profiler: KernelProfiler | null = null;
  /**
   * While backprop applies one op's gradient rule: that forward op and its
   * (first) output's id, so observers (sg.debug.traceStep) can say which forward op
   * each gradient kernel belongs to. Null otherwise.
   */
  gradientOf: { op: OpName; outputId: number } | null = null;
  /** Registered by `sg.debug` (see EngineObserver). */
  readonly observers: EngineObserver[] = [];
  private nextId = 0;
  /** Live tensors (variables included). */
  numTensors = 0;

  constructor() {
    this.registerBackend('cpu', () => new CpuBackend(), 1);
  }

  /** A fresh tensor id. */
  newId(): number {
    return this.nextId++;
  }

  registerBackend(name: string, factory: BackendFactory, priority = 0): void {
    this.factories.set(name, { factory, priority });
  }

  registeredBackends(): string[] {
    return [...this.factories.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
  }

  /** The current backend, starting the CPU one if none was chosen. */
  get backend(): Backend {
    if (!this.current) {
      const cpu = new CpuBackend();
      this.instances.set('cpu', cpu);
      this.current = cpu;
    }
    return this.current;
  }

  /** Switches to backend `name`, starting it on first use; an instance whose device was lost is dropped and a fresh one started. */
  async setBackend(name: string): Promise<void> {
    let b = this.instances.get(name);
    if (b?.lost) {
      this.instances.delete(name);
      if (this.current === b) this.current = null;
      b = undefined;
    }
    if (!b) {
      const f = this.factories.get(name);
      if (!f) throw new Error(`setBackend: unknown backend '${name}'; registered: ${this.registeredBackends().join(', ')}`);
      b = await f.factory();
      this.instances.set(name, b);
    }
    this.current = b;
  }

  /** The backend instance registered under `name`, if it was started. */
  backendInstance(name: string): Backend | undefined {
    return this.instances.get(name);
  }

  setRecorder(r: OpRecorder | null): void {
    this.recorder = r;
  }

  /** True while a gradient tape records ops. */
  get recording(): boolean {
    return this.recorder !== null && this.recorder.active;
  }

  /** Wraps a backend handle in a new tracked Tensor. */
  makeTensorFromDataId(dataId: DataId, shape: readonly number[], dtype: DType, backend: Backend, op = 'tensor'): Tensor {
    if (!tensorClass) throw new Error(`${op}: the Tensor class is not loaded; import shadergrad (or src/tensor/tensor.ts) before running ops`);
    const t = new tensorClass(this, this.nextId++, dataId, shape, dtype, backend);
    this.noteNew(t, op);
    this.track(t);
    return t;
  }

  /** Counts a new tensor and tells the observers which op made it. */
  noteNew(t: Tensor, op: string): void {
    this.numTensors++;
    for (const o of this.observers) o.onTensor?.(t, op);
  }

  /** Uploads values (taken over, not copied) as a new tensor on the current backend. */
  makeTensor(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    const b = this.backend;
    return this.makeTensorFromDataId(b.write(values, dtype), shape, dtype, b);
  }

  private track(t: Tensor): void {
    const s = this.scopes[this.scopes.length - 1];
    if (s) s.tracked.push(t);
  }

  /** Called by Tensor.dispose. */
  disposeTensor(t: Tensor): void {
    t.backend.release(t.dataId);
    this.numTensors--;
    for (const o of this.observers) o.onDispose?.(t);
  }

  /** Hands a variable's tensor bookkeeping over: it is never tracked by tidy. */
  untrack(t: Tensor): void {
    for (const s of this.scopes) {
      const i = s.tracked.indexOf(t);
      if (i >= 0) s.tracked.splice(i, 1);
    }
  }

  /** Makes `t`'s data available on the current backend (moving it from another). */
  private onCurrentBackend(t: Tensor, op: string): Tensor {
    const b = this.backend;
    if (t.backend === b) return t;
    let values: TypedArray;
    try {
      values = t.backend.readSync(t.dataId);
    } catch {
      if (t.backend.lost) throw new Error(`${op}: input (shape ${fmtShape(t.shape)}) was on a '${t.backend.name}' device that was lost: its values are gone; restore them from a backup (sg.callbacks.backupAndRestore) or a saved model`);
      throw new Error(`${op}: input lives on backend '${t.backend.name}' and cannot be moved synchronously to '${b.name}'; read it with await t.data() and make a new tensor`);
    }
    if (t.dtype === 'float32' && b.float64 !== t.backend.float64) values = b.float64 ? Float64Array.from(values) : Float32Array.from(values);
    t.moveData(b.write(values, t.dtype), b);
    return t;
  }

  /** Runs single-output primitive `op` on the current backend and reports it to the recorder. */
  dispatch<K extends SingleOutputOp>(op: K, inputs: readonly Tensor[], attrs: OpAttrMap[K]): Tensor {
    return this.runOp(op, inputs, attrs)[0];
  }

  /** Runs multi-output primitive `op` (one kernel) and returns one tensor per output, in `multiOutputNames` order. */
  dispatchMulti<K extends MultiOutputOp>(op: K, inputs: readonly Tensor[], attrs: OpAttrMap[K]): Tensor[] {
    return this.runOp(op, inputs, attrs);
  }

  private runOp<K extends OpName>(op: K, inputs: readonly Tensor[], attrs: OpAttrMap[K]): Tensor[] {
    const names = opInputs[op];
    inputs.forEach((t, i) => {
      if (t.isDisposed) throw new Error(`${op}: input '${names[Math.min(i, names.length - 1)].replace('*', '')}' (shape ${fmtShape(t.shape)}) has been disposed`);
      this.onCurrentBackend(t, op);
    });
    const infos = outputInfos(op, inputs, attrs);
    const b = this.backend;
    let dataIds: DataId[];
    let ms = 0;
    if (op === 'reshape') {
      b.incRef(inputs[0].dataId);
      dataIds = [inputs[0].dataId];
    } else if (this.profiler || this.observers.length) {
      const t0 = performance.now();
      dataIds = b.run(op, inputs, attrs, infos);
      ms = performance.now() - t0;
      this.profiler?.onKernel(op, b.name, ms);
    } else {
      dataIds = b.run(op, inputs, attrs, infos);
    }
    if (dataIds.length !== infos.length) {
      for (const id of dataIds) b.release(id);
      throw new Error(`${op}: backend '${b.name}' returned ${dataIds.length} outputs, the spec has ${infos.length}`);
    }
    // A plain loop, not map(): sg.debug's ledger reads the caller's frame from the stack.
    const outs: Tensor[] = [];
    for (let i = 0; i < dataIds.length; i++) outs.push(this.makeTensorFromDataId(dataIds[i], infos[i].shape, infos[i].dtype, b, op));
    if (op !== 'reshape') for (const o of this.observers) o.onKernel?.(op, inputs, attrs, outs, ms);
    this.profiler?.onMemory(this.memory().numBytes);
    if (this.recording) this.recorder!.record(op, inputs, attrs, outs);
    return outs;
  }

  startScope(): void {
    this.scopes.push({ tracked: [] });
  }

  /**
   * Ends the innermost scope. Tensors in `keep` move to the parent scope; the
   * rest are disposed, or, when `disposeRest` is false, also moved to the parent.
   * A tensor an open gradient tape references is never disposed here (as in
   * TensorFlow.js, a `tidy` inside a gradient function must not free what
   * backprop needs): it moves to the parent scope, and the gradient function,
   * which opened a scope around the tape, frees it after backprop.
   */
  endScope(keep: TensorContainer, disposeRest = true): void {
    const s = this.scopes.pop();
    if (!s) throw new Error('endScope: no scope is open');
    const kept = new Set<Tensor>();
    collectTensors(keep, kept);
    const parent = this.scopes[this.scopes.length - 1];
    const rec = this.recorder;
    for (const t of s.tracked) {
      if (t.isDisposed) continue;
      if (kept.has(t) || t.kept || !disposeRest || rec?.holds(t)) parent?.tracked.push(t);
      else t.dispose();
    }
  }

  /** Runs fn in a scope; every tensor it made is disposed except what it returns. */
  tidy<T extends TensorContainer>(fn: () => T): T {
    this.startScope();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.endScope(null);
      throw e;
    }
    if (result instanceof Promise) {
      this.endScope(null);
      throw new Error('tidy: the function returned a Promise; tidy only takes synchronous functions');
    }
    this.endScope(result);
    return result;
  }

  /**
   * Runs a public op's body. Intermediates are disposed when it returns, except
   * while a tape records (the backward pass needs them; the tape's owner frees
   * them); on an error everything it made is disposed and the error rethrown.
   */
  scopedOp<T extends TensorContainer>(op: string, fn: () => T): T {
    this.startScope();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.endScope(null);
      throw namedError(op, e);
    }
    this.endScope(result, !this.recording);
    return result;
  }

  memory(): { numTensors: number; numBytes: number; numBuffers: number; pooledBytes: number } {
    let numBytes = 0;
    let numBuffers = 0;
    let pooledBytes = 0;
    for (const b of this.instances.values()) {
      const m = b.memory();
      numBytes += m.numBytes;
      numBuffers += m.numBuffers;
      pooledBytes += m.pooledBytes ?? 0;
    }
    return { numTensors: this.numTensors, numBytes, numBuffers, pooledBytes };
  }
}

/**
 * The error a public op throws: a plain `Error` from an inner op or a backend
 * ('concat: …' inside `stack`, 'webgpu: …') gets the public op's name in
 * front, so every message starts with the name the user called. Other error
 * types (a TypeError is a bug, not bad input) pass through unchanged.
 */
export function namedError(op: string, e: unknown): unknown {
  if (!(e instanceof Error) || e.constructor !== Error || e.message.startsWith(`${op}:`)) return e;
  return new Error(`${op}: ${e.message}`, { cause: e });
}

/** Adds every Tensor found in `c` (deeply) to `out`. */
export function collectTensors(c: unknown, out: Set<Tensor>): void {
  if (isTensor(c)) out.add(c);
  else if (Array.isArray(c)) for (const e of c) collectTensors(e, out);
  else if (c && typeof c === 'object' && !(ArrayBuffer.isView(c))) for (const e of Object.values(c)) collectTensors(e, out);
}

/** The one engine of this module instance. */
export const ENGINE = new Engine();

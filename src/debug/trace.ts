/**
 * `traceStep(fn)`: the kernels one step runs, in order, each with the WGSL
 * shaders it dispatched (name, workgroup counts, override constants) or, on
 * wasm, the emitted wasm functions it called, its time run alone on its
 * backend, and GFLOP/s.
 */
import type { Backend } from '../kernels/backend.js';
import type { OpAttrMap, OpName } from '../kernels/op_names.js';
import type { OutputInfo } from '../kernels/spec.js';
import type { DType, TensorInfo } from '../kernels/types.js';
import type { EngineObserver } from '../tensor/engine.js';
import { ENGINE } from '../tensor/engine.js';
import { flopsOf } from './flops.js';
import { withLaunches, withWasmRecorder } from './intercept.js';
import type { TimingSource } from './timing.js';
import { timeRuns } from './timing.js';

/** One WGSL dispatch. */
export interface TracedLaunch {
  shader: string;
  workgroups: number[];
  overrides: Record<string, number>;
}

/** One emitted wasm function a kernel called on the wasm backend: its name as the emitter defines it, and the most threads it ran on (more than 1: a GEMM split over the thread pool). */
export interface TracedWasmCall {
  wasmFunction: string;
  threads: number;
}

/**
 * What a kernel ran on the wasm backend, as the backend recorded it: the
 * emitted wasm functions its wasm kernel called (in the order it fetched them), and,
 * when the JavaScript CPU kernel ran on views of wasm memory, why: `listed`
 * ops are the backend's JS fallbacks (`reason` from its list), otherwise
 * the wasm kernel handed this case back.
 * @example { calls: [{ wasmFunction: 'gemm', threads: 2 }], js: null } // a matMul split over 2 threads
 * @example { calls: [], js: { reason: 'movement', listed: true } } // slice
 */
export interface TracedWasmRun {
  calls: TracedWasmCall[];
  js: { reason: string; listed: boolean } | null;
}

/** One kernel of a traced step. */
export interface TracedKernel {
  index: number;
  op: OpName;
  /** The label `mark()` set when it ran ('' before the first mark). */
  phase: string;
  backend: string;
  inputShapes: number[][];
  /** Shape and dtype of the (first) output. */
  outputShape: number[];
  dtype: DType;
  /** Every output's shape (several for a multi-output op such as lstmCell or adamUpdate). */
  outputShapes: number[][];
  attrs: object;
  /** Ids of the input tensors and of the outputs (link kernels into a graph: an input id is one of an earlier kernel's outputIds, or a tensor made outside the step). */
  inputIds: number[];
  /** Id of the (first) output. */
  outputId: number;
  /** Ids of every output. */
  outputIds: number[];
  /** Indices of the earlier kernels in this trace whose outputs this one read (through reshape views too). */
  from: number[];
  /**
   * For a kernel run by a gradient rule: the forward op whose gradient it
   * computes, and the index of that op's kernel in this trace (null when the
   * forward op ran before the trace began). Null for forward and update kernels.
   */
  gradientOf: { op: OpName; forward: number | null } | null;
  /** WGSL dispatches (empty on CPU and wasm backends). */
  launches: TracedLaunch[];
  /** On the wasm backend, what the kernel ran (wasm functions and threads, or the JavaScript kernel and why); null on other backends. */
  wasm: TracedWasmRun | null;
  /** Wall time of the backend's run call inside the step (on WebGPU: encoding only). */
  encodeMs: number;
  /** Time per run when rerun alone (`time: true`), else null: GPU timestamps where the device has them. */
  ms: number | null;
  /** How `ms` was taken. */
  timing: TimingSource | null;
  flops: number;
  /** flops / ms, when timed. */
  gflops: number | null;
}

/** What `traceStep` returns. */
export interface StepTrace {
  backend: string;
  kernels: TracedKernel[];
  /**
   * How the kernels' `ms` were taken: each kernel rerun alone with the same
   * inputs, timed by GPU timestamp queries ('gpu-timestamps', WebGPU devices
   * that offer them), by submitting and awaiting ('wall-clock-awaited', other
   * WebGPU devices), or with performance.now() ('cpu'); 'none' without `time`.
   * With timestamps, a kernel shorter than the timer's resolution (SwiftShader:
   * 65.5 µs) reads 0 and falls back to wall-clock: each kernel's `timing` says.
   */
  timing: TimingSource | 'none';
  wallMs: number;
}

interface Held {
  b: Backend;
  inputs: TensorInfo[];
  outputs: OutputInfo[];
}

/**
 * Runs `fn(mark)` and lists the kernels it ran; `mark('backward')` labels
 * the kernels that follow. Each kernel carries its WGSL dispatches on WebGPU
 * (`launches`) and what it ran on wasm (`wasm`: emitted functions and GEMM
 * threads, or the JavaScript kernel and why). With `time: true` each kernel is then rerun
 * `reps` times (default 3) alone on its backend with the same inputs and
 * timed (GPU work submitted and awaited), which gives per-kernel GPU times
 * where the adapter has no timestamp queries.
 * @example const t = await sg.debug.traceStep((mark) => { mark('forward'); return model.predict(x); }, { time: true });
 */
export async function traceStep(fn: (mark: (phase: string) => void) => unknown, opts: { time?: boolean; reps?: number } = {}): Promise<StepTrace> {
  const reps = opts.reps ?? 3;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`traceStep: reps must be an integer >= 1, got ${reps}`);
  const b0 = ENGINE.backend;
  let phase = '';
  let pending: TracedLaunch[] = [];
  // The wasm backend reports each run before the engine tells observers of the kernel.
  let pendingWasm: TracedWasmRun | null = null;
  const kernels: TracedKernel[] = [];
  const held: Held[] = [];
  // Which kernel wrote each data buffer (a reshape view shares its source's buffer, so links pass through views).
  const producer = new Map<object, number>();
  const observer: EngineObserver = {
    onKernel(op, inputs, attrs, outputs, ms) {
      const ins = inputs.map((t) => ({ dataId: t.dataId, shape: [...t.shape], dtype: t.dtype }));
      if (opts.time) for (const t of inputs) t.backend.incRef(t.dataId);
      const output = outputs[0];
      held.push({ b: output.backend, inputs: ins, outputs: outputs.map((o) => ({ shape: [...o.shape], dtype: o.dtype })) });
      const inputShapes = ins.map((t) => t.shape);
      const from = [...new Set(inputs.map((t) => producer.get(t.dataId)).filter((i): i is number => i !== undefined))];
      for (const o of outputs) producer.set(o.dataId, kernels.length);
      const cause = ENGINE.gradientOf;
      const fwd = cause ? kernels.findIndex((k) => k.outputId === cause.outputId) : -1;
      kernels.push({
        gradientOf: cause ? { op: cause.op, forward: fwd >= 0 ? fwd : null } : null,
        inputIds: inputs.map((t) => t.id), outputId: output.id, outputIds: outputs.map((o) => o.id), from,
        index: kernels.length, op, phase, backend: output.backend.name, inputShapes, outputShape: [...output.shape], dtype: output.dtype,
        outputShapes: outputs.map((o) => [...o.shape]),
        attrs: structuredClone(attrs), launches: pending, wasm: pendingWasm, encodeMs: ms, ms: null, timing: null, flops: outputs.reduce((f, o) => f + flopsOf(op, inputShapes, o.shape, attrs), 0), gflops: null,
      });
      pending = [];
      pendingWasm = null;
    },
  };
  const t0 = performance.now();
  ENGINE.observers.push(observer);
  try {
    try {
      await withLaunches(
      b0,
      (l) => {
        pending.push({ shader: l.shader.name, workgroups: [l.workgroups[0], l.workgroups[1] ?? 1, l.workgroups[2] ?? 1], overrides: { ...l.overrides } });
        return l;
      },
      () => withWasmRecorder(b0, (r) => {
        pendingWasm = { calls: r.calls, js: r.js };
      }, () => fn((p) => {
        phase = p;
      })),
      );
    } finally {
      ENGINE.observers.splice(ENGINE.observers.indexOf(observer), 1);
    }
    const wallMs = performance.now() - t0;
    if (opts.time) {
      for (let i = 0; i < kernels.length; i++) {
        const k = kernels[i];
        const h = held[i];
        const r = await timeRuns(h.b, () => h.b.run(k.op, h.inputs, k.attrs as OpAttrMap[OpName], h.outputs), reps);
        k.ms = r.ms;
        k.timing = r.timing;
        k.gflops = k.ms > 0 ? k.flops / (k.ms * 1e6) : null;
      }
    }
    const used = kernels.map((k) => k.timing);
    const timing: StepTrace['timing'] = !opts.time ? 'none' : used.includes('gpu-timestamps') ? 'gpu-timestamps' : (used[0] ?? (b0.name === 'webgpu' ? 'wall-clock-awaited' : 'cpu'));
    return { backend: b0.name, kernels, timing, wallMs };
  } finally {
    if (opts.time) for (const h of held) for (const t of h.inputs) h.b.release(t.dataId);
  }
}

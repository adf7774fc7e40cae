/**
 * The CPU-twin check: every kernel a function runs is run again on the CPU
 * backend with the same input values, and the outputs are compared.
 */
import type { Backend } from '../kernels/backend.js';
import { CpuBackend } from '../kernels/cpu/backend.js';
import type { OpAttrMap, OpName } from '../kernels/op_names.js';
import type { OutputInfo } from '../kernels/spec.js';
import type { DType, TensorInfo, TypedArray } from '../kernels/types.js';
import type { EngineObserver } from '../tensor/engine.js';
import { ENGINE } from '../tensor/engine.js';
import type { Comparison, TwinTolerance } from './compare.js';
import { DEFAULT_TWIN_TOL, compareEach } from './compare.js';

/** One kernel run and how it compared with its twin. */
export interface KernelCheck extends Comparison {
  /** Position in the order the kernels ran. */
  index: number;
  op: OpName;
  /** The backend that ran it. */
  backend: string;
  inputShapes: number[][];
  /** Shape and dtype of the (first) output. */
  outputShape: number[];
  dtype: DType;
  /** Every output's shape (several for a multi-output op such as lstmCell); all are compared. */
  outputShapes: number[][];
}

/** What `checkKernels` returns. */
export interface CheckReport {
  /** The backend the checked kernels ran on. */
  backend: string;
  /** The twin: 'cpu' (float32) for GPU kernels; 'cpu64' (float64) when the kernels themselves ran on the CPU. */
  twin: 'cpu' | 'cpu64';
  tolerance: TwinTolerance;
  kernels: KernelCheck[];
  /** The kernels outside the tolerance. */
  flagged: KernelCheck[];
  ok: boolean;
}

/** Options of `checkKernels`. */
export interface CheckOptions {
  /** Overrides of the default tolerance (rtol 1e-3, atol 1e-4; see `TwinTolerance`). */
  tol?: Partial<TwinTolerance>;
  /** Check only these ops. */
  ops?: readonly OpName[];
}

interface Captured {
  op: OpName;
  backend: Backend;
  inputs: TensorInfo[];
  attrs: object;
  outputs: TensorInfo[];
}

/** Runs op on `twin` with the given input values and returns the values of each of its outputs. */
export function runOnTwin(twin: CpuBackend, op: OpName, inputs: readonly { values: TypedArray; shape: readonly number[]; dtype: DType }[], attrs: object, outputs: readonly OutputInfo[]): TypedArray[] {
  const ids = inputs.map((t) => twin.write(t.dtype === 'float32' ? (twin.float64 ? Float64Array.from(t.values) : Float32Array.from(t.values)) : t.values.slice(), t.dtype));
  try {
    const infos = inputs.map((t, i) => ({ dataId: ids[i], shape: t.shape, dtype: t.dtype }));
    const outs = twin.run(op, infos, attrs as OpAttrMap[OpName], outputs);
    const v = outs.map((o) => twin.readSync(o));
    for (const o of outs) twin.release(o);
    return v;
  } finally {
    for (const id of ids) twin.release(id);
  }
}

/**
 * Runs `fn` (sync or async), then reruns every kernel it ran on the CPU
 * backend with the same inputs and reports, per kernel, the max absolute
 * error and max ULP distance, flagging those over the tolerance. GPU kernels
 * are checked against the float32 CPU kernels; when fn ran on the CPU, the
 * twin is the float64 CPU backend. Inputs and outputs are held until the
 * check is done, so fn should be one step, not a whole training run.
 * @example const r = await sg.debug.checkKernels(() => model.predict(x)); console.table(r.kernels);
 */
export async function checkKernels(fn: () => unknown, opts: CheckOptions = {}): Promise<CheckReport> {
  const tol: TwinTolerance = { ...DEFAULT_TWIN_TOL, ...opts.tol };
  if (!(tol.rtol >= 0) || !(tol.atol >= 0)) throw new Error(`checkKernels: tol.rtol and tol.atol must be >= 0, got ${JSON.stringify(opts.tol)}`);
  const only = opts.ops ? new Set(opts.ops) : null;
  const captured: Captured[] = [];
  const hold = (b: Backend, t: TensorInfo): TensorInfo => {
    b.incRef(t.dataId);
    return { dataId: t.dataId, shape: [...t.shape], dtype: t.dtype };
  };
  const observer: EngineObserver = {
    onKernel(op, inputs, attrs, outputs) {
      if (only && !only.has(op)) return;
      const b = outputs[0].backend;
      captured.push({ op, backend: b, inputs: inputs.map((t) => hold(t.backend, t)), attrs: structuredClone(attrs), outputs: outputs.map((o) => hold(b, o)) });
    },
  };
  const backend = ENGINE.backend.name;
  ENGINE.observers.push(observer);
  try {
    try {
      await fn();
    } finally {
      ENGINE.observers.splice(ENGINE.observers.indexOf(observer), 1);
    }
    const onCpu = captured.length > 0 && captured.every((c) => c.backend instanceof CpuBackend) || (captured.length === 0 && ENGINE.backend instanceof CpuBackend);
    const twin = new CpuBackend({ float64: onCpu });
    const kernels: KernelCheck[] = [];
    for (let i = 0; i < captured.length; i++) {
      const c = captured[i];
      const values = await Promise.all(c.inputs.map((t) => c.backend.read(t.dataId)));
      const actual = await Promise.all(c.outputs.map((o) => c.backend.read(o.dataId)));
      const expected = runOnTwin(twin, c.op, c.inputs.map((t, j) => ({ values: values[j], shape: t.shape, dtype: t.dtype })), c.attrs, c.outputs);
      const cmp = compareEach(actual, expected, c.outputs.map((o) => o.dtype !== 'float32'), tol);
      const out = c.outputs[0];
      kernels.push({ index: i, op: c.op, backend: c.backend.name, inputShapes: c.inputs.map((t) => [...t.shape]), outputShape: [...out.shape], dtype: out.dtype, outputShapes: c.outputs.map((o) => [...o.shape]), ...cmp });
    }
    const flagged = kernels.filter((k) => !k.ok);
    return { backend, twin: onCpu ? 'cpu64' : 'cpu', tolerance: tol, kernels, flagged, ok: flagged.length === 0 };
  } finally {
    for (const c of captured) {
      for (const t of c.inputs) c.backend.release(t.dataId);
      for (const o of c.outputs) c.backend.release(o.dataId);
    }
  }
}

/**
 * The CPU-twin check: every kernel a function runs is run again on the CPU
 * backend with the same input values, and the outputs are compared.
 */
import type { Backend } from '../kernels/backend.js';
import { CpuBackend } from '../kernels/cpu/backend.js';
import type { OpAttrMap, OpName } from '../kernels/op_names.js';
import type { DType, TensorInfo, TypedArray } from '../kernels/types.js';
import type { EngineObserver } from '../tensor/engine.js';
import { ENGINE } from '../tensor/engine.js';
import type { Comparison, TwinTolerance } from './compare.js';
import { DEFAULT_TWIN_TOL, compareOutputs } from './compare.js';

/** One kernel run and how it compared with its twin. */
export interface KernelCheck extends Comparison {
  /** Position in the order the kernels ran. */
  index: number;
  op: OpName;
  /** The backend that ran it. */
  backend: string;
  inputShapes: number[][];
  outputShape: number[];
  dtype: DType;
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
  output: TensorInfo;
}

/** Runs op on `twin` with the given input values and returns its output values. */
export function runOnTwin(twin: CpuBackend, op: OpName, inputs: readonly { values: TypedArray; shape: readonly number[]; dtype: DType }[], attrs: object, outShape: readonly number[], outDtype: DType): TypedArray {
  const ids = inputs.map((t) => twin.write(t.dtype === 'float32' ? (twin.float64 ? Float64Array.from(t.values) : Float32Array.from(t.values)) : t.values.slice(), t.dtype));
  try {
    const infos = inputs.map((t, i) => ({ dataId: ids[i], shape: t.shape, dtype: t.dtype }));
    const out = twin.run(op, infos, attrs as OpAttrMap[OpName], outShape, outDtype);
    const v = twin.readSync(out);
    twin.release(out);
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
    onKernel(op, inputs, attrs, output) {
      if (only && !only.has(op)) return;
      const b = output.backend;
      captured.push({ op, backend: b, inputs: inputs.map((t) => hold(t.backend, t)), attrs: structuredClone(attrs), output: hold(b, output) });
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
      const actual = await c.backend.read(c.output.dataId);
      const expected = runOnTwin(twin, c.op, c.inputs.map((t, j) => ({ values: values[j], shape: t.shape, dtype: t.dtype })), c.attrs, c.output.shape, c.output.dtype);
      const cmp = compareOutputs(actual, expected, c.output.dtype !== 'float32', tol);
      kernels.push({ index: i, op: c.op, backend: c.backend.name, inputShapes: c.inputs.map((t) => [...t.shape]), outputShape: [...c.output.shape], dtype: c.output.dtype, ...cmp });
    }
    const flagged = kernels.filter((k) => !k.ok);
    return { backend, twin: onCpu ? 'cpu64' : 'cpu', tolerance: tol, kernels, flagged, ok: flagged.length === 0 };
  } finally {
    for (const c of captured) {
      for (const t of c.inputs) c.backend.release(t.dataId);
      c.backend.release(c.output.dataId);
    }
  }
}

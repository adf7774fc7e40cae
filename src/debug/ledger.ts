/**
 * The memory ledger: every live tensor with its shape, bytes, backend, the op
 * that made it and (when asked for) a short stack; and a leak check that names
 * the tensors a function left behind.
 */
import type { EngineObserver } from '../tensor/engine.js';
import { ENGINE } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/tensor.js';

/** One live tensor in the ledger. */
export interface LedgerEntry {
  /** The tensor's id (creation order). */
  id: number;
  shape: number[];
  dtype: string;
  /** Bytes of its data (a view such as a reshape shares its source's bytes: `sharesData` is then true). */
  bytes: number;
  backend: string;
  /** The op that made it: an op name, 'tensor' (uploaded values) or 'variable'. */
  op: string;
  /** The variable's name, for variables. */
  variable?: string;
  /** True when an older live tensor holds the same data (a view), so `bytes` is not counted twice. */
  sharesData: boolean;
  /** Up to `stackDepth` frames of the code that made it, outside shadergrad, when stacks are on. */
  stack?: string[];
}

/** What `ledger()` returns. */
export interface Ledger {
  /** Tensors made since the ledger was enabled and still alive, oldest first. */
  tensors: LedgerEntry[];
  numTensors: number;
  /** Bytes of the listed tensors, each data buffer once. */
  numBytes: number;
  /** Live tensors made before the ledger was enabled (counted by the engine, not listed). */
  untracked: number;
}

interface Info {
  op: string;
  stack?: string[];
}

let live: Map<Tensor, Info> | null = null;
let stacks = 0;

const bytesPer = (dtype: string, backend: string): number => (dtype === 'bool' && backend.startsWith('cpu') ? 1 : 4);

/** The engine's own frames between an op and the ledger: never informative. */
const ENGINE_FRAMES = /\b(shortStack|onTensor|noteNew|makeTensorFromDataId|makeTensor|scopedOp|dispatch|dispatchMulti|runOp)\b/;

/**
 * Up to `depth` stack frames of the code that made a tensor: frames outside
 * shadergrad's own modules when the paths tell (source checkouts, the npm
 * bundle), else (one app bundle) every frame but the engine's own.
 */
function shortStack(depth: number): string[] {
  // The engine's frames come first (up to nine: ledger, engine, op body): look past them.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, 20 + depth);
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = stack.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('at ') && !ENGINE_FRAMES.test(l));
  const own = /[/\\](src[/\\](tensor|kernels|autograd|layers|debug)[/\\]|shadergrad[^/\\]*\.js)/;
  const outside = lines.filter((l) => !own.test(l));
  return (outside.length ? outside : lines).slice(0, depth);
}

const observer: EngineObserver = {
  onTensor(t, op) {
    live?.set(t, stacks > 0 ? { op, stack: shortStack(stacks) } : { op });
  },
  onDispose(t) {
    live?.delete(t);
  },
};

/**
 * Starts the ledger: from now on every tensor made is listed by `ledger()`
 * until it is disposed. `stackDepth` > 0 also records that many stack frames
 * of the caller for each tensor (slower; for finding leaks). Calling it again
 * changes the depth and keeps the entries.
 * @example sg.debug.enableLedger({ stackDepth: 3 });
 */
export function enableLedger(opts: { stackDepth?: number } = {}): void {
  const d = opts.stackDepth ?? 0;
  if (!(Number.isInteger(d) && d >= 0)) throw new Error(`enableLedger: stackDepth must be an integer >= 0, got ${d}`);
  stacks = d;
  if (live) return;
  live = new Map();
  ENGINE.observers.push(observer);
}

/** Stops the ledger and forgets its entries. */
export function disableLedger(): void {
  if (!live) return;
  live = null;
  stacks = 0;
  ENGINE.observers.splice(ENGINE.observers.indexOf(observer), 1);
}

/** True while the ledger records. */
export function ledgerEnabled(): boolean {
  return live !== null;
}

function entries(filter?: (t: Tensor) => boolean): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  const seen = new Set<object>();
  for (const [t, info] of live ?? []) {
    if (t.isDisposed || (filter && !filter(t))) continue;
    const shares = seen.has(t.dataId);
    seen.add(t.dataId);
    const e: LedgerEntry = { id: t.id, shape: [...t.shape], dtype: t.dtype, bytes: t.size * bytesPer(t.dtype, t.backend.name), backend: t.backend.name, op: info.op, sharesData: shares };
    if (t instanceof Variable) e.variable = t.name;
    if (info.stack) e.stack = info.stack;
    out.push(e);
  }
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Every live tensor made since `enableLedger()` (which it calls if needed,
 * so tensors made before the first call are only counted, in `untracked`).
 * @example sg.debug.ledger().tensors.filter((e) => e.op === 'matMul')
 */
export function ledger(): Ledger {
  enableLedger({ stackDepth: stacks });
  const tensors = entries();
  const numBytes = tensors.reduce((s, e) => s + (e.sharesData ? 0 : e.bytes), 0);
  return { tensors, numTensors: tensors.length, numBytes, untracked: ENGINE.numTensors - tensors.length };
}

/** What `leakCheck` returns. */
export interface LeakReport {
  /** Tensors fn made that are still alive and that it did not return. */
  leaked: LedgerEntry[];
  /** Leaked tensors grouped by the op that made them, most first: `[{ op, count, bytes }]`. */
  byOp: { op: string; count: number; bytes: number }[];
  ok: boolean;
}

/**
 * Runs `fn` (sync or async) with the ledger on (stacks of `stackDepth`
 * frames, default 4) and names every tensor it made that is still alive
 * afterwards, except those in what it returned (and variables, when
 * `allowVariables` is true).
 * @example const r = await sg.debug.leakCheck(() => model.predict(x).dispose()); r.leaked // []
 */
export async function leakCheck(fn: () => unknown, opts: { stackDepth?: number; allowVariables?: boolean } = {}): Promise<LeakReport> {
  const was = live !== null;
  const oldDepth = stacks;
  enableLedger({ stackDepth: opts.stackDepth ?? 4 });
  const before = new Set(live!.keys());
  let leaked: LedgerEntry[];
  try {
    const result = await fn();
    const returned = new Set<Tensor>();
    collect(result, returned);
    leaked = entries((t) => !before.has(t) && !returned.has(t) && !(opts.allowVariables && t instanceof Variable));
  } finally {
    if (was) stacks = oldDepth;
    else disableLedger();
  }
  const groups = new Map<string, { op: string; count: number; bytes: number }>();
  for (const e of leaked) {
    const g = groups.get(e.op) ?? { op: e.op, count: 0, bytes: 0 };
    g.count++;
    g.bytes += e.sharesData ? 0 : e.bytes;
    groups.set(e.op, g);
  }
  return { leaked, byOp: [...groups.values()].sort((a, b) => b.count - a.count), ok: leaked.length === 0 };
}

function collect(c: unknown, out: Set<Tensor>): void {
  if (c && typeof c === 'object' && 'dataId' in c && 'shape' in c && 'isDisposed' in c) out.add(c as Tensor);
  else if (Array.isArray(c)) for (const e of c) collect(e, out);
  else if (c && typeof c === 'object' && !ArrayBuffer.isView(c)) for (const e of Object.values(c)) collect(e, out);
}

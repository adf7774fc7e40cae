/** Moving tabular data between host arrays and tensors, with the checks every data helper shares. */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';

/** Rows of numbers (n × features, rows may be typed arrays), or a 1-D series (an array or a typed array). */
export type Table = readonly (readonly number[] | Float32Array | Float64Array | Int32Array)[] | readonly number[] | Float32Array | Float64Array | Int32Array;

const isRow = (r: unknown): r is ArrayLike<number> => Array.isArray(r) || (ArrayBuffer.isView(r) && !(r instanceof DataView));

/** A 2-D host table: values row-major, with its shape. */
export interface HostTable {
  values: Float64Array;
  rows: number;
  cols: number;
  /** True when the input was 1-D (a single feature). */
  vector: boolean;
}

/** Reads a 1-D or 2-D table from arrays or a tensor whose backend can read synchronously. */
export function toHost(x: Table | Tensor, what: string): HostTable {
  if (x instanceof ops.Tensor) {
    if (x.rank !== 1 && x.rank !== 2) throw new Error(`${what}: expected a 1-D or 2-D tensor, got shape [${x.shape}]`);
    let v: ArrayLike<number>;
    try {
      v = x.dataSync();
    } catch {
      throw new Error(`${what}: this tensor lives on the '${x.backend.name}' backend, which cannot be read synchronously; pass the values as arrays, or use the async form (e.g. await scaler.fitAsync(x))`);
    }
    return checkFinite({ values: Float64Array.from(v), rows: x.shape[0], cols: x.rank === 2 ? x.shape[1] : 1, vector: x.rank === 1 }, what);
  }
  if (!isRow(x)) throw new Error(`${what}: expected arrays of numbers, a typed array or a tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.length === 0) throw new Error(`${what}: the table is empty`);
  if (!isRow((x as readonly unknown[])[0])) {
    if (Array.isArray(x)) x.forEach((e, i) => notNumber(e, what, i, 0));
    const v = Float64Array.from(x as ArrayLike<number>);
    return checkFinite({ values: v, rows: v.length, cols: 1, vector: true }, what);
  }
  const rows = x as unknown as readonly ArrayLike<number>[];
  const cols = rows[0].length;
  const v = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (!isRow(r) || r.length !== cols) throw new Error(`${what}: ragged rows: row ${i} has ${isRow(r) ? r.length : 'no'} values, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) v[i * cols + j] = notNumber(r[j], what, i, j);
  });
  return checkFinite({ values: v, rows: rows.length, cols, vector: false }, what);
}

/** The value if it is a number, else an error naming its row and column. */
function notNumber(v: unknown, what: string, row: number, col: number): number {
  if (typeof v !== 'number') throw new Error(`${what}: row ${row}, column ${col} is ${typeof v === 'string' ? `the string '${v}'` : String(v)}; expected numbers`);
  return v;
}

/**
 * Throws on an option key not in `allowed`, naming it and the camelCase
 * spelling of a snake_case key (data sits below layers, so this is a small
 * twin of layers' checkConfig).
 */
export function checkOptions(where: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) throw new Error(`${where}: expected an options object, got ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (allowed.includes(k)) continue;
    const camel = k.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
    throw new Error(`${where}: unknown option '${k}'${allowed.includes(camel) ? ` (did you mean '${camel}'?)` : ''}; known options: ${allowed.join(', ')}`);
  }
}

/** Throws naming the first non-finite value's row and column. */
export function checkFinite(t: HostTable, what: string): HostTable {
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${what}: ${Number.isNaN(v) ? 'NaN' : String(v)} at row ${Math.floor(i / t.cols)}, column ${i % t.cols}`);
    }
  }
  return t;
}

/** Host table back to the caller's form: a tensor if they gave one, else arrays. */
export function fromHost(t: HostTable, asTensor: boolean): Tensor | number[][] | number[] {
  if (asTensor) return ops.tensor(Float32Array.from(t.values), t.vector ? [t.rows] : [t.rows, t.cols]);
  if (t.vector) return Array.from(t.values);
  const out: number[][] = [];
  for (let i = 0; i < t.rows; i++) out.push(Array.from(t.values.subarray(i * t.cols, (i + 1) * t.cols)));
  return out;
}

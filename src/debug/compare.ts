/**
 * How a kernel's result is compared with its CPU twin: max absolute error,
 * max distance in float32 units in the last place (ULP), and a pass/fail
 * against a documented tolerance.
 */
import type { TypedArray } from '../kernels/types.js';

/**
 * Tolerance of the CPU-twin check. An element passes when
 * |x − ref| ≤ atol·scale + rtol·|ref|, where scale = max(1, max|ref|) over the
 * whole output (so sums of many terms that cancel to ~0 are judged against
 * the size of the terms, not against 0). NaN must meet NaN and ±Inf the same
 * infinity; int32 and bool outputs must match exactly.
 */
export interface TwinTolerance {
  rtol: number;
  atol: number;
}

/** The default tolerance: rtol 1e-3, atol 1e-4 (float32 kernels with different summation orders). */
export const DEFAULT_TWIN_TOL: Readonly<TwinTolerance> = /* @__PURE__ */ Object.freeze({ rtol: 1e-3, atol: 1e-4 });

/** Result of comparing one output with its twin. */
export interface Comparison {
  /** Largest |x − ref| over finite pairs. */
  maxAbsError: number;
  /**
   * Largest float32 ULP distance over finite pairs whose reference is not
   * tiny (|ref| > atol·scale): near zero, a rounding error of 1e-9 is millions
   * of ULPs and says nothing, so those elements are judged by absolute error
   * only. Integer outputs: the largest difference.
   */
  maxUlp: number;
  /** Elements outside the tolerance (non-finite mismatches included). */
  numBad: number;
  /** Index of the worst element (−1 when the arrays are empty). */
  worstIndex: number;
  ok: boolean;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Orders float32 bit patterns so that adjacent floats differ by 1 (−0 and +0 both map to 0). */
function ordered(x: number): number {
  f32[0] = x;
  const b = i32[0];
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/**
 * Distance between two numbers in float32 ULPs (both are rounded to float32 first).
 * @example ulpDistance(1, 1 + 2 ** -23) // 1
 */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}

/** Compares `actual` with the twin's `expected` (same length) under `tol`; integer outputs must be equal. */
export function compareOutputs(actual: ArrayLike<number> | TypedArray, expected: ArrayLike<number> | TypedArray, exact: boolean, tol: TwinTolerance = DEFAULT_TWIN_TOL): Comparison {
  if (actual.length !== expected.length) throw new Error(`compareOutputs: lengths differ: ${actual.length} vs ${expected.length}`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(expected[i]);
    if (Number.isFinite(e) && e > scale) scale = e;
  }
  let maxAbsError = 0;
  let maxUlp = 0;
  let numBad = 0;
  let worstIndex = expected.length ? 0 : -1;
  let worst = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let bad: boolean;
    let err: number;
    if (!Number.isFinite(a) || !Number.isFinite(e)) {
      bad = !(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)));
      err = bad ? Infinity : 0;
    } else {
      err = Math.abs(a - e);
      bad = exact ? a !== e : err > tol.atol * scale + tol.rtol * Math.abs(e);
      if (err > maxAbsError) maxAbsError = err;
      const u = exact ? err : Math.abs(e) > tol.atol * scale ? ulpDistance(a, e) : 0;
      if (u > maxUlp) maxUlp = u;
    }
    if (bad) numBad++;
    if (err > worst) (worst = err), (worstIndex = i);
  }
  return { maxAbsError, maxUlp, numBad, worstIndex, ok: numBad === 0 };
}

/**
 * Compares each output of a kernel with its twin's (a multi-output op has
 * several; each is scaled on its own) and merges the results: the largest
 * errors, the bad elements summed, and `worstIndex` counted over the outputs
 * laid end to end.
 */
export function compareEach(actual: readonly TypedArray[], expected: readonly TypedArray[], exact: readonly boolean[], tol: TwinTolerance = DEFAULT_TWIN_TOL): Comparison {
  if (actual.length !== expected.length) throw new Error(`compareEach: ${actual.length} outputs vs ${expected.length}`);
  const merged: Comparison = { maxAbsError: 0, maxUlp: 0, numBad: 0, worstIndex: -1, ok: true };
  let offset = 0;
  let worstBad = false;
  for (let k = 0; k < actual.length; k++) {
    const c = compareOutputs(actual[k], expected[k], exact[k], tol);
    // The worst element: a bad one before any good one, then the largest error.
    const better = c.worstIndex >= 0 && (merged.worstIndex < 0 || (!worstBad && c.numBad > 0) || (worstBad === c.numBad > 0 && c.maxAbsError > merged.maxAbsError));
    if (better) {
      merged.worstIndex = offset + c.worstIndex;
      worstBad = c.numBad > 0;
    }
    merged.maxAbsError = Math.max(merged.maxAbsError, c.maxAbsError);
    merged.maxUlp = Math.max(merged.maxUlp, c.maxUlp);
    merged.numBad += c.numBad;
    merged.ok &&= c.ok;
    offset += expected[k].length;
  }
  return merged;
}

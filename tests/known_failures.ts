/**
 * Known failures per backend, element by element, each with its reason.
 * `checkOp` (and the browser page suite) leave out of the forward comparison
 * only the listed output elements of the listed (backend, op, case); every
 * other element of that case is still compared. A listed element that matches
 * the reference after all fails the test as stale, so the list cannot hide a
 * fix or outlive it. Only platform limits belong here; a wrong kernel gets
 * fixed, not listed.
 */
import type { Tol } from './helpers/compare.js';
import { mismatches } from './helpers/compare.js';

export interface KnownFailure {
  backend: string;
  /** The checkOp title. */
  op: string;
  /** The case label (the browser page suite's cases use '*'). */
  test: string;
  /** Flat indices of the output elements known to differ. */
  elements: readonly number[];
  reason: string;
}

/*
 * Platform limits no test case feeds, so not listed: WGSL lets GPUs flush
 * subnormal float32 values to zero in arithmetic (SwiftShader does), so
 * 1e-40 * 1e10 is 0 and 1e-40 / 1e-40 NaN on WebGPU, as in most GPU frameworks.
 * (Comparisons, max/min, sign, floor/ceil/step, log, sqrt, rsqrt, reciprocal
 * and pow read the bits and do handle subnormals.) Sums and products of
 * mixed huge and tiny values also round differently from the CPU's because
 * GPU reductions associate in a tree.
 *
 * The list is empty: the special values WebGPU got wrong (log(0) = -88.03,
 * exp(NaN) = +Inf, max over a NaN row, pow, step, tanh, softmax of non-finite
 * rows, sin/cos of ±1e30…) were kernel bugs, fixed in the shaders.
 */
export const knownFailures: readonly KnownFailure[] = [];

/**
 * Ops whose WebGPU kernels are not written yet, per backend, with the reason.
 * A comparison that throws `webgpu: no kernel for '<op>' yet` for one of these
 * is skipped; once the kernel exists the comparison runs and must pass.
 * Empty: matMul, conv2d(+backprops) and max/avgPool(+grads) landed in
 * src/kernels/{matmul,conv}/webgpu.ts and pass the page suite.
 */
export const pendingKernels: Readonly<Record<string, Record<string, string>>> = {
  webgpu: {},
};

/** The reason an error from `backend` is an expected missing kernel, or null. */
export function pendingKernel(backend: string, error: unknown): string | null {
  const m = /no kernel for '(\w+)' yet/.exec(String((error as Error)?.message ?? error));
  return m ? (pendingKernels[backend]?.[m[1]] ?? null) : null;
}

/** The known-failing output elements of `op`/`test` on `backend` in `list`: flat index → reason. */
export function knownElements(backend: string, op: string, test: string, list: readonly KnownFailure[] = knownFailures): Map<number, string> {
  const out = new Map<number, string>();
  for (const f of list) {
    if (f.backend === backend && f.op === op && f.test === test) for (const e of f.elements) out.set(e, f.reason);
  }
  return out;
}

/**
 * Compares `actual` with `expected` except at the known-failing elements of
 * `op`/`test` on `backend`. Returns a description of the problems (mismatches
 * elsewhere, listed elements out of range or matching after all), or null.
 */
export function mismatchesExceptKnown(
  backend: string,
  op: string,
  test: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tol,
  list: readonly KnownFailure[] = knownFailures,
): string | null {
  const known = knownElements(backend, op, test, list);
  if (known.size === 0) return mismatches(actual, expected, tol);
  if (actual.length !== expected.length) return `length ${actual.length} != expected ${expected.length}`;
  const problems: string[] = [];
  // The known elements take the expected value, so indices in the message stay the output's.
  const rest = mismatches(Array.from(actual, (v, i) => (known.has(i) ? Number(expected[i]) : v)), expected, tol);
  if (rest) problems.push(`${rest} (besides ${known.size} known-failing element(s))`);
  for (const i of known.keys()) {
    if (i >= expected.length) problems.push(`known failure lists element ${i}, but the output has ${expected.length}`);
    else if (mismatches([actual[i]], [expected[i]], tol) === null) {
      problems.push(`element ${i} is listed in tests/known_failures.ts but matches (got ${actual[i]}, expected ${expected[i]}): remove the stale entry`);
    }
  }
  return problems.length ? problems.join('; ') : null;
}

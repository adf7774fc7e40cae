/**
 * Strict comparison of numeric arrays: NaN must match NaN and ±Inf must match
 * the same infinity exactly (unlike TensorFlow.js's own test helper, which
 * treats any two non-finite values as equal); finite values must satisfy
 * |a − e| <= atol + rtol·|e|.
 */
export interface Tol {
  rtol: number;
  atol: number;
}

/** Float32 forward results vs a float32 reference (see README's tolerance table). */
export const FORWARD_TOL: Tol = { rtol: 1e-4, atol: 1e-5 };
/** Float32 gradients vs TensorFlow.js's float32 gradients. */
export const GRAD_TOL: Tol = { rtol: 1e-3, atol: 1e-4 };

/**
 * Backend-specific bounds, by backend and checkOp title, each with its reason.
 * None at present: webgpu's sin/cos, once held to WGSL's 2^-11 (SwiftShader's
 * builtins are ~2e-4 off), now reduce their argument and use their own
 * polynomials, good to ~1.5e-7.
 */
const BACKEND_TOL: Record<string, Record<string, Tol>> = {};

/** The tolerance for `op` on `backend`: the backend's documented bound when looser, else `tol`. */
export function backendTol(backend: string, op: string, tol: Tol): Tol {
  const t = BACKEND_TOL[backend]?.[op];
  return t ? { rtol: Math.max(t.rtol, tol.rtol), atol: Math.max(t.atol, tol.atol) } : tol;
}

/** Returns a description of the mismatches, or null when the arrays agree. */
export function mismatches(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, max = 5): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != expected ${expected.length}`;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(a)) ok = Number.isNaN(e) && Number.isNaN(a);
    else if (!Number.isFinite(e) || !Number.isFinite(a)) ok = a === e;
    else ok = Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) {
      count++;
      if (bad.length < max) bad.push(`[${i}] got ${a}, expected ${e}`);
    }
  }
  return count ? `${count}/${expected.length} elements differ (rtol ${tol.rtol}, atol ${tol.atol}): ${bad.join('; ')}` : null;
}

/** Throws with a readable message when the arrays disagree. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, what: string): void {
  const m = mismatches(actual, expected, tol);
  if (m) throw new Error(`${what}: ${m}`);
}

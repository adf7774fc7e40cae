/**
 * `checkOp`: the one helper op tests use. For each case it registers a test that
 *  1. runs the op on every backend under test and compares the result (shape,
 *     dtype, values with NaN/±Inf exact) with TensorFlow.js computed on the
 *     same float32 inputs, every element except those listed for that
 *     backend in tests/known_failures.ts (which must still differ);
 *  2. for differentiable ops, compares the gradient of Σ(op(x)·w) (w a random
 *     cotangent) with tf.grads of the same function;
 *  3. checks that gradient against fourth-order central finite differences
 *     computed on the float64 CPU backend, to 1e-6 relative (see `fdCheck`);
 *  4. checks that no tensor leaked in any of the above.
 */
import { describe, expect, test } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import * as sg from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { onBackend, forwardBackends, registerTestBackends } from './backends.js';
import type { Tol } from './compare.js';
import { FORWARD_TOL, GRAD_TOL, backendTol, expectClose } from './compare.js';
import { mismatchesExceptKnown, pendingKernel } from '../known_failures.js';
import type { Tf } from './tf.js';
import { getTf } from './tf.js';
import type { InputSpec } from './gen.js';
import { genValues, seedOf } from './gen.js';

export type { Gen, InputSpec } from './gen.js';
export { genValues, seedOf } from './gen.js';

export interface OpCase {
  label?: string;
  inputs: readonly InputSpec[];
  /**
   * Inputs whose gradient is also checked against finite differences (default:
   * every differentiated input). Leave one out only where the op is undefined
   * on one side of the inputs (pow's exponent at a negative base: (−2)^(3±h) is
   * NaN); its gradient is still compared with tf.grads.
   */
  fdInputs?: readonly number[];
}

export interface OpCheck {
  /** Test title. */
  op: string;
  sg: (...xs: Tensor[]) => Tensor;
  tf: (tf: Tf, ...xs: tfTypes.Tensor[]) => tfTypes.Tensor;
  cases: readonly OpCase[];
  tol?: Tol;
  gradTol?: Tol;
  /** Check gradients (default true when some input is differentiable). */
  grad?: boolean;
  /** Check finite differences on at most this many elements per input (default 200). */
  fdElements?: number;
}

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Asserts the number of live tensors is back to `before`. */
export function expectNoLeak(before: number, what: string): void {
  const now = sg.memory().numTensors;
  if (now !== before) throw new Error(`${what}: ${now - before} tensor(s) leaked (${before} before, ${now} after)`);
}

function mkSg(specs: readonly InputSpec[], vals: number[][]): Tensor[] {
  return specs.map((s, i) => sg.tensor(vals[i], s.shape, s.dtype ?? 'float32'));
}

function mkTf(tf: Tf, specs: readonly InputSpec[], vals: number[][]): tfTypes.Tensor[] {
  return specs.map((s, i) => tf.tensor(s.dtype === 'bool' ? vals[i].map((v) => v !== 0) : vals[i], [...s.shape], s.dtype ?? 'float32'));
}

/** Runs `fn` on backend `b` in a tidy; true when it fails only for a kernel listed in `pendingKernels`. */
async function missingKernel(b: string, fn: () => unknown): Promise<boolean> {
  if (b === 'cpu') return false;
  return onBackend(b, () => {
    try {
      sg.tidy(() => {
        fn();
      });
      return false;
    } catch (e) {
      return pendingKernel(b, e) !== null;
    }
  });
}

/**
 * Finite-difference check, in float64. Each picked element x gets the
 * fourth-order central difference
 *   L'(x) ≈ (−L(x+2h) + 8L(x+h) − 8L(x−h) + L(x−2h)) / 12h,   h ≈ FD_STEP·min(1, max(|x|, 1e-2)) (see fdStep).
 * Truncation error h⁴·L⁽⁵⁾/30: below 1e-12 of the derivative for the ops
 * tested (h <= 1e-3·|x|, as log, 1/x, x^-½ curve on the scale of |x|). Rounding error: the float64 loss Σ yᵢ·wᵢ is off by about
 * ε·Σ|yᵢ·wᵢ| (`scale`), which the quotient divides by h. So the analytic
 * gradient must match within FD_RTOL relative plus FD_NOISE·ε·scale/h (plus
 * FD_ATOL). Measured over tests/ops (40,000 elements): relative error median
 * 2e-10; the largest error is 0.08 of its bound; the bound is 1.1e-6
 * relative at the median, under 2.5e-6 for 90% of elements and above 5e-4
 * for 1% (gradients tiny against the loss, as exp(-80) beside exp(85)), so a
 * 0.05% error in a derivative fails. PyTorch's gradcheck allows 1e-3. The stencil's reach
 * (±2h) stays far inside the distance to kinks that the op tests' input
 * generators keep (relu, abs, max ties, floor).
 */
const FD_STEP = 1e-5;
const FD_RTOL = 1e-6;
const FD_ATOL = 1e-9;
const FD_NOISE = 8;

/**
 * The step at x: FD_STEP·min(1, max(|x|, 1e-2)), at most 1e-3·|x| (the stencil
 * stays on x's side of 0, where log, 1/x… live), rounded down to a power of 2
 * so that x ± h and x ± 2h are exact in float64 (at x = 4.6e5 an inexact step
 * of 1e-5 is off by 6e-6 of itself). NaN/±Inf x: x ± h is x, the difference 0
 * (the gradient there is a convention, compared with tf.grads).
 */
function fdStep(x: number): number {
  if (!Number.isFinite(x)) return FD_STEP;
  let h = FD_STEP * Math.min(1, Math.max(Math.abs(x), 1e-2));
  if (x !== 0) h = Math.min(h, 1e-3 * Math.abs(x));
  return 2 ** Math.floor(Math.log2(h));
}

/** Compares `analytic[j]` with the finite difference for each picked element j of input i; a description of the mismatches, or null. */
function fdCheck(vals: number[][], i: number, picks: number[], analytic: number[], scale: number, lossAt: (vs: number[][]) => number): string | null {
  const bad: string[] = [];
  let count = 0;
  for (const j of picks) {
    const x = vals[i][j];
    const h = fdStep(x);
    const at = (d: number): number => {
      const vs = vals.map((v) => [...v]);
      vs[i][j] = x + d;
      return lossAt(vs);
    };
    const num = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    const ana = analytic[j];
    const tol = FD_ATOL + FD_RTOL * Math.abs(num) + (FD_NOISE * Number.EPSILON * scale) / h;
    const ok = Number.isFinite(num) && Number.isFinite(ana) ? Math.abs(ana - num) <= tol : ana === num || (Number.isNaN(ana) && Number.isNaN(num));
    if (!ok) {
      count++;
      if (bad.length < 5) bad.push(`[${j}] x=${x}: analytic ${ana}, numeric ${num} (tol ${tol.toExponential(2)})`);
    }
  }
  return count ? `${count}/${picks.length} elements differ (rtol ${FD_RTOL}, step ~${FD_STEP}·min(1, max(|x|, 1e-2))): ${bad.join('; ')}` : null;
}

/** Registers the forward/gradient/finite-difference tests of one op. */
export function checkOp(check: OpCheck): void {
  registerTestBackends();
  describe(check.op, () => {
    check.cases.forEach((c, ci) => {
      const label = c.label ?? c.inputs.map((s) => `[${s.shape.join(',')}]`).join(' ');
      test(label, async () => {
        const tf = await getTf();
        const rng = new sg.Rng(seedOf(`${check.op}/${ci}`));
        const vals = c.inputs.map((s) => genValues(s, rng));
        const diffIdx = c.inputs.map((s, i) => ((s.diff ?? (s.dtype ?? 'float32') === 'float32') ? i : -1)).filter((i) => i >= 0);

        // 1. Forward vs TensorFlow.js.
        const tIn = mkTf(tf, c.inputs, vals);
        const tOut = check.tf(tf, ...tIn);
        const expected = Array.from(await tOut.data()) as number[];
        const expShape = [...tOut.shape];
        const expDtype = tOut.dtype;
        const backends: string[] = [];
        for (const b of forwardBackends()) {
          if (await missingKernel(b, () => check.sg(...mkSg(c.inputs, vals)))) continue;
          backends.push(b);
        }
        for (const b of backends) {
          await onBackend(b, async () => {
            const before = sg.memory().numTensors;
            const xs = mkSg(c.inputs, vals);
            const y = check.sg(...xs);
            expect([...y.shape], `${check.op} on ${b}: shape`).toEqual(expShape);
            expect(y.dtype, `${check.op} on ${b}: dtype`).toBe(expDtype);
            const bad = mismatchesExceptKnown(b, check.op, label, await values(y), expected, backendTol(b, check.op, check.tol ?? FORWARD_TOL));
            if (bad) throw new Error(`${check.op} on ${b}: forward: ${bad}`);
            sg.dispose([y, ...xs]);
            expectNoLeak(before, `${check.op} on ${b}: forward`);
          });
        }
        if (check.grad === false || diffIdx.length === 0) {
          tf.dispose([tIn, tOut]);
          return;
        }

        // 2. Gradients of Σ(op(x)·w) vs tf.grads.
        const w = genValues({ shape: expShape }, rng);
        const tW = tf.tensor(w, expShape);
        const tGrads = tf.grads((...d: tfTypes.Tensor[]) => {
          const all = tIn.map((t, i) => (diffIdx.includes(i) ? d[diffIdx.indexOf(i)] : t));
          return tf.sum(tf.mul(check.tf(tf, ...all), tW));
        })(diffIdx.map((i) => tIn[i]));
        const expGrads = await Promise.all(tGrads.map(async (g) => Array.from(await g.data()) as number[]));
        tf.dispose([tIn, tOut, tW, tGrads]);

        const lossOf = (xs: Tensor[], wt: Tensor) => (...d: Tensor[]) => {
          const all = xs.map((t, i) => (diffIdx.includes(i) ? d[diffIdx.indexOf(i)] : t));
          return sg.sum(sg.mul(check.sg(...all), wt));
        };
        for (const b of backends) {
          if (await missingKernel(b, () => {
            const xs = mkSg(c.inputs, vals);
            sg.grads(lossOf(xs, sg.tensor(w, expShape)))(diffIdx.map((i) => xs[i]));
          })) continue;
          await onBackend(b, async () => {
            const before = sg.memory().numTensors;
            const xs = mkSg(c.inputs, vals);
            const wt = sg.tensor(w, expShape);
            const gs = sg.grads(lossOf(xs, wt))(diffIdx.map((i) => xs[i]));
            for (let k = 0; k < gs.length; k++) {
              expectClose(await values(gs[k]), expGrads[k], backendTol(b, check.op, check.gradTol ?? GRAD_TOL), `${check.op} on ${b}: gradient of input ${diffIdx[k]} vs tf.grads`);
            }
            sg.dispose([gs, xs, wt]);
            expectNoLeak(before, `${check.op} on ${b}: gradient`);
          });
        }

        // 3. Finite differences in float64 (see fdCheck).
        await onBackend('cpu64', async () => {
          const before = sg.memory().numTensors;
          const xs = mkSg(c.inputs, vals);
          const wt = sg.tensor(w, expShape);
          const analytic = sg.grads(lossOf(xs, wt))(diffIdx.map((i) => xs[i]));
          const evalAt = (vs: number[][], f: (y: Tensor) => Tensor): number => {
            const l = sg.tidy(() => f(sg.mul(check.sg(...mkSg(c.inputs, vs)), wt)));
            const v = l.dataSync()[0];
            l.dispose();
            return v;
          };
          const lossAt = (vs: number[][]): number => evalAt(vs, (t) => sg.sum(t));
          // Σ|yᵢ·wᵢ|: the scale of the loss's float64 rounding error.
          const scale = evalAt(vals, (t) => sg.sum(sg.abs(t)));
          for (let k = 0; k < diffIdx.length; k++) {
            const i = diffIdx[k];
            if (c.fdInputs && !c.fdInputs.includes(i)) continue;
            const a = Array.from(analytic[k].dataSync());
            const n = vals[i].length;
            const limit = check.fdElements ?? 200;
            const picks = n <= limit ? [...Array(n).keys()] : Array.from({ length: limit }, () => rng.int(n));
            const bad = fdCheck(vals, i, picks, a, scale, lossAt);
            if (bad) throw new Error(`${check.op}: float64 gradient of input ${i} vs finite differences: ${bad}`);
          }
          sg.dispose([analytic, xs, wt]);
          expectNoLeak(before, `${check.op}: finite differences`);
        });
      });
    });
  });
}

/**
 * exp, sigmoid and tanh on f32x4, for kernels that need them (WebAssembly
 * has no vector transcendental functions). Each emitter reads a v128 local
 * and leaves the result on the stack, using scratch locals it declares.
 *
 * exp: Cephes expf. n = round(x·log2 e), r = x − n·ln 2 (ln 2 in two parts
 * for exactness), e^r by a degree-6 polynomial on |r| ≤ ln2/2 (about 1 ulp),
 * then scaled by 2^n as two factors 2^⌊n/2⌋·2^(n−⌊n/2⌋), so that results
 * near overflow and in the subnormal range come out right. x is clamped to
 * [−104, 88.73] first: beyond, the result is 0 or +Inf as it should be; NaN
 * passes through the clamp (f32x4.min/max propagate NaN) and the polynomial.
 */
import type { Code } from './emitter.js';
import { V128 } from './emitter.js';

const splat = (c: Code, v: number): Code => c.f32_const(v).f32x4_splat();

/** e^x of local `x`. */
export function emitExp(c: Code, x: number): void {
  const t = c.local(V128), n = c.local(V128), r = c.local(V128), p = c.local(V128), ni = c.local(V128), h = c.local(V128);
  // t = clamp(x, −104, 88.73)
  c.local_get(x);
  splat(c, -104).f32x4_max();
  splat(c, 88.73).f32x4_min().local_set(t);
  // n = nearest(t·log2 e); r = t − n·C1 − n·C2
  c.local_get(t);
  splat(c, Math.LOG2E).f32x4_mul().f32x4_nearest().local_set(n);
  c.local_get(t).local_get(n);
  splat(c, 0.693359375).f32x4_mul().f32x4_sub();
  c.local_get(n);
  splat(c, -2.12194440e-4).f32x4_mul().f32x4_sub().local_set(r);
  // p = 1 + r + r²·(((((c5 r + c4) r + c3) r + c2) r + c1) r + c0)
  splat(c, 1.9875691500e-4).local_get(r).f32x4_mul();
  for (const k of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1]) {
    splat(c, k).f32x4_add().local_get(r).f32x4_mul();
  }
  splat(c, 5.0000001201e-1).f32x4_add().local_get(r).f32x4_mul().local_get(r).f32x4_mul();
  c.local_get(r).f32x4_add();
  splat(c, 1).f32x4_add().local_set(p);
  // 2^h and 2^(n−h) as floats: ((k + 127) << 23) reinterpreted.
  c.local_get(n).i32x4_trunc_sat_f32x4_s().local_tee(ni);
  c.i32_const(1).i32x4_shr_s().local_set(h);
  c.local_get(p);
  c.local_get(h).i32_const(127).i32x4_splat().i32x4_add().i32_const(23).i32x4_shl().f32x4_mul();
  c.local_get(ni).local_get(h).i32x4_sub().i32_const(127).i32x4_splat().i32x4_add().i32_const(23).i32x4_shl().f32x4_mul();
}

/** 1 / (1 + e^−x) of local `x` (NaN stays NaN; ±Inf give 1 and 0). */
export function emitSigmoid(c: Code, x: number): void {
  const m = c.local(V128);
  c.local_get(x).f32x4_neg().local_set(m);
  splat(c, 1);
  splat(c, 1);
  emitExp(c, m);
  c.f32x4_add().f32x4_div();
}

/**
 * tanh of local `x`: sign(x)·(1 − e^−2|x|)/(1 + e^−2|x|), and for |x| < 0.125
 * the series x − x³/3 + 2x⁵/15 − 17x⁷/315 (the quotient loses digits there).
 * −0 stays −0; NaN stays NaN; ±Inf give ±1.
 */
export function emitTanh(c: Code, x: number): void {
  const a = c.local(V128), e = c.local(V128), big = c.local(V128), x2 = c.local(V128);
  c.local_get(x).f32x4_abs().local_tee(a);
  splat(c, -2).f32x4_mul().local_set(e);
  emitExp(c, e);
  c.local_set(e);
  // big = (1 − e)/(1 + e), on |x|
  splat(c, 1).local_get(e).f32x4_sub();
  splat(c, 1).local_get(e).f32x4_add().f32x4_div().local_set(big);
  // small = a + a³·(−1/3 + a²·(2/15 + a²·(−17/315))), on a = |x|
  c.local_get(a).local_get(a).f32x4_mul().local_set(x2);
  splat(c, -17 / 315).local_get(x2).f32x4_mul();
  splat(c, 2 / 15).f32x4_add().local_get(x2).f32x4_mul();
  splat(c, -1 / 3).f32x4_add().local_get(x2).f32x4_mul().local_get(a).f32x4_mul();
  c.local_get(a).f32x4_add();
  c.local_get(big);
  // |x| < 0.125 ? small : big (NaN compares false: big, which is NaN); then x's sign bit.
  c.local_get(a);
  splat(c, 0.125).f32x4_lt().v128_bitselect();
  c.local_get(x);
  splat(c, -0).v128_and().v128_or();
}

/**
 * wasm elementwise kernels (float32, f32x4): unary rows that need no
 * transcendental function, binary arithmetic with fast paths for equal
 * shapes, a scalar operand and a repeated row (bias add), and Dense's
 * bias + activation epilogue. Everything else (int32, bool, exp/log/tanh
 * rows, general broadcasts) runs the JavaScript kernel on views of the same
 * memory.
 *
 * Loops run over whole vectors: every heap block keeps 16 bytes past its
 * data (memory.ts), so the last vector's extra lanes read and write the
 * block's own slack (never another tensor). Row loops go in increasing
 * order, so a row's spill into the next row is overwritten by that row
 * (outputs are never inputs, except in bias_act, which has a scalar tail).
 *
 * NaN rules: `f32x4.min/max` propagate NaN like `maximum`/`minimum` do;
 * `pmin/pmax` do not and are not used. relu, step, clip and leakyRelu are
 * written with compare masks so that NaN passes through, as in the table.
 */
import type { BinaryOp, UnaryOp } from './table.js';
import { Code, F32, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import type { WasmKernel, WasmTensor } from '../wasm/kernel.js';
import { emitExp, emitSigmoid, emitTanh } from '../wasm/simd_math.js';

/** Unary rows with a SIMD body: x (a v128 local) → the result on the stack; alpha/beta are splat locals. */
const UNARY: Partial<Record<UnaryOp, (c: Code, x: number, alpha: number, beta: number) => void>> = {
  neg: (c, x) => c.local_get(x).f32x4_neg(),
  abs: (c, x) => c.local_get(x).f32x4_abs(),
  square: (c, x) => c.local_get(x).local_get(x).f32x4_mul(),
  sqrt: (c, x) => c.local_get(x).f32x4_sqrt(),
  floor: (c, x) => c.local_get(x).f32x4_floor(),
  ceil: (c, x) => c.local_get(x).f32x4_ceil(),
  // f32x4.nearest rounds half to even, as TensorFlow's round does.
  round: (c, x) => c.local_get(x).f32x4_nearest(),
  // relu = x & ~(x < 0): NaN compares false and passes through.
  relu: (c, x) => c.local_get(x).local_get(x).f32_const(0).f32x4_splat().f32x4_lt().v128_andnot(),
  relu6: (c, x) => {
    c.f32_const(6).f32x4_splat().local_get(x).local_get(x).f32_const(6).f32x4_splat().f32x4_gt().v128_bitselect();
    c.local_get(x).f32_const(0).f32x4_splat().f32x4_lt().v128_andnot();
  },
  leakyRelu: (c, x, alpha) => c.local_get(alpha).local_get(x).f32x4_mul().local_get(x).local_get(x).f32_const(0).f32x4_splat().f32x4_lt().v128_bitselect(),
  // step: NaN stays NaN; x > 0 → 1; else alpha.
  step: (c, x, alpha) => {
    c.local_get(x);
    c.f32_const(1).f32x4_splat().local_get(alpha).local_get(x).f32_const(0).f32x4_splat().f32x4_gt().v128_bitselect();
    c.local_get(x).local_get(x).f32x4_ne().v128_bitselect();
  },
  exp: (c, x) => emitExp(c, x),
  sigmoid: (c, x) => emitSigmoid(c, x),
  tanh: (c, x) => emitTanh(c, x),
  clipByValue: (c, x, alpha, beta) => {
    c.local_get(alpha);
    c.local_get(beta).local_get(x).local_get(x).local_get(beta).f32x4_gt().v128_bitselect();
    c.local_get(x).local_get(alpha).f32x4_lt().v128_bitselect();
  },
};

/** Binary rows with a SIMD body: (a, b) v128 locals → the result on the stack. */
const BINARY: Partial<Record<BinaryOp, (c: Code, a: number, b: number) => void>> = {
  add: (c, a, b) => c.local_get(a).local_get(b).f32x4_add(),
  sub: (c, a, b) => c.local_get(a).local_get(b).f32x4_sub(),
  mul: (c, a, b) => c.local_get(a).local_get(b).f32x4_mul(),
  div: (c, a, b) => c.local_get(a).local_get(b).f32x4_div(),
  maximum: (c, a, b) => c.local_get(a).local_get(b).f32x4_max(),
  minimum: (c, a, b) => c.local_get(a).local_get(b).f32x4_min(),
  squaredDifference: (c, a, b) => {
    c.local_get(a).local_get(b).f32x4_sub().local_get(a).local_get(b).f32x4_sub().f32x4_mul();
  },
};

/** unary_<op>(x, out, n, alpha, beta): out[i] = op(x[i]) over ceil(n/4) vectors. */
function unaryFn(body: (c: Code, x: number, alpha: number, beta: number) => void): Code {
  const c = new Code([I32, I32, I32, F32, F32]);
  const [xp, op, n, al, be] = [0, 1, 2, 3, 4];
  const i = c.local(I32), x = c.local(V128), alpha = c.local(V128), beta = c.local(V128);
  c.local_get(al).f32x4_splat().local_set(alpha);
  c.local_get(be).f32x4_splat().local_set(beta);
  c.for_(i, () => c.i32_const(0), () => c.local_get(n).i32_const(2).i32_shl(), 16, () => {
    c.local_get(xp).local_get(i).i32_add().v128_load().local_set(x);
    c.local_get(op).local_get(i).i32_add();
    body(c, x, alpha, beta);
    c.v128_store();
  });
  return c;
}

/**
 * binary_<op>(a, as, b, bs, out, rows, m, mode): for each row r < rows,
 * out[r·m + j] = op(A, B) for j < m, where A = a[r·as + j] and B = b[r·bs + j]
 * (as, bs in elements; 0 repeats a row). mode 1: b is a scalar; mode 2: a is.
 */
function binaryFn(body: (c: Code, a: number, b: number) => void): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [ap, as, bp, bs, op, rows, m, mode] = [0, 1, 2, 3, 4, 5, 6, 7];
  const r = c.local(I32), j = c.local(I32), a = c.local(V128), b = c.local(V128), ar = c.local(I32), br = c.local(I32), or = c.local(I32);
  c.local_get(mode).i32_const(1).i32_eq().if_().local_get(bp).v128_load32_splat().local_set(b).end();
  c.local_get(mode).i32_const(2).i32_eq().if_().local_get(ap).v128_load32_splat().local_set(a).end();
  c.for_(r, () => c.i32_const(0), () => c.local_get(rows), 1, () => {
    c.local_get(ap).local_get(r).local_get(as).i32_mul().i32_const(2).i32_shl().i32_add().local_set(ar);
    c.local_get(bp).local_get(r).local_get(bs).i32_mul().i32_const(2).i32_shl().i32_add().local_set(br);
    c.local_get(op).local_get(r).local_get(m).i32_mul().i32_const(2).i32_shl().i32_add().local_set(or);
    c.for_(j, () => c.i32_const(0), () => c.local_get(m).i32_const(2).i32_shl(), 16, () => {
      c.local_get(mode).i32_const(2).i32_ne().if_().local_get(ar).local_get(j).i32_add().v128_load().local_set(a).end();
      c.local_get(mode).i32_const(1).i32_ne().if_().local_get(br).local_get(j).i32_add().v128_load().local_set(b).end();
      c.local_get(or).local_get(j).i32_add();
      body(c, a, b);
      c.v128_store();
    });
  });
  return c;
}

/**
 * bias_act(c, bias, M, N, act): c[i, j] = act(c[i, j] + bias[j]) for act
 * 0 (linear) or 1 (relu); other activations are applied afterwards in JS.
 */
function biasActFn(): Code {
  const c = new Code([I32, I32, I32, I32, I32]);
  const [cp, bp, M, N, act] = [0, 1, 2, 3, 4];
  const r = c.local(I32), j = c.local(I32), row = c.local(I32), v = c.local(V128), s = c.local(F32), n4 = c.local(I32);
  // In place, so no vector may spill into the next row: whole vectors, then a scalar tail.
  c.local_get(N).i32_const(-4).i32_and().i32_const(2).i32_shl().local_set(n4);
  c.for_(r, () => c.i32_const(0), () => c.local_get(M), 1, () => {
    c.local_get(cp).local_get(r).local_get(N).i32_mul().i32_const(2).i32_shl().i32_add().local_set(row);
    c.for_(j, () => c.i32_const(0), () => c.local_get(n4), 16, () => {
      c.local_get(row).local_get(j).i32_add().v128_load().local_get(bp).local_get(j).i32_add().v128_load().f32x4_add().local_set(v);
      c.local_get(act).if_();
      c.local_get(v).local_get(v).f32_const(0).f32x4_splat().f32x4_lt().v128_andnot().local_set(v);
      c.end();
      c.local_get(row).local_get(j).i32_add().local_get(v).v128_store();
    });
    c.for_(j, () => c.local_get(n4), () => c.local_get(N).i32_const(2).i32_shl(), 4, () => {
      c.local_get(row).local_get(j).i32_add().f32_load().local_get(bp).local_get(j).i32_add().f32_load().f32_add().local_set(s);
      // relu: s < 0 ? 0 : s (NaN stays).
      c.local_get(act).if_();
      c.f32_const(0).local_get(s).local_get(s).f32_const(0).f32_lt().select().local_set(s);
      c.end();
      c.local_get(row).local_get(j).i32_add().local_get(s).f32_store();
    });
  });
  return c;
}

/** The elementwise module's functions. */
export function elementwiseFunctions(): WasmFunction[] {
  return [
    ...Object.entries(UNARY).map(([op, body]) => ({ name: `unary_${op}`, code: unaryFn(body!) })),
    ...Object.entries(BINARY).map(([op, body]) => ({ name: `binary_${op}`, code: binaryFn(body!) })),
    { name: 'bias_act', code: biasActFn() },
  ];
}

/** True when the op has a SIMD body (float32 inputs run in wasm). */
export function hasWasmElementwise(op: string): boolean {
  return op in UNARY || op in BINARY;
}

/** Kernel of a unary row with a SIMD body. */
export function unaryWasm<K extends UnaryOp>(op: K): WasmKernel<K> {
  return ([x], out, attrs, ctx) => {
    if (x.dtype !== 'float32') return false;
    const a = attrs as { alpha?: number; beta?: number };
    ctx.fn(`unary_${op}`)(x.ptr, out.ptr, out.size, a.alpha ?? 0, a.beta ?? 0);
    return true;
  };
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Length of `s`'s trailing run when `s` (leading 1s dropped) equals the last dims of `out`, else -1. */
function suffixLength(s: readonly number[], out: readonly number[]): number {
  let i = 0;
  while (i < s.length && s[i] === 1) i++;
  const t = s.slice(i);
  if (!t.every((d, k) => d === out[out.length - t.length + k])) return -1;
  return t.reduce((p, d) => p * d, 1);
}

/** Kernel of a binary row with a SIMD body: equal shapes, scalar, or row-repeat broadcasts (else JS). */
export function binaryWasm<K extends BinaryOp>(op: K): WasmKernel<K> {
  return ([a, b]: readonly WasmTensor[], out, _attrs, ctx) => {
    if (a.dtype !== 'float32') return false;
    const f = ctx.fn(`binary_${op}`);
    const n = out.size;
    if (same(a.shape, b.shape)) f(a.ptr, 0, b.ptr, 0, out.ptr, 1, n, 0);
    else if (b.size === 1) f(a.ptr, 0, b.ptr, 0, out.ptr, 1, n, 1);
    else if (a.size === 1) f(a.ptr, 0, b.ptr, 0, out.ptr, 1, n, 2);
    else if (a.size === n && suffixLength(b.shape, out.shape) > 0) {
      const m = b.size;
      f(a.ptr, m, b.ptr, 0, out.ptr, n / m, m, 0);
    } else if (b.size === n && suffixLength(a.shape, out.shape) > 0) {
      const m = a.size;
      f(a.ptr, 0, b.ptr, m, out.ptr, n / m, m, 0);
    } else return false;
    return true;
  };
}

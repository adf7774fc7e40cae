/**
 * wasm reductions (float32 sum/prod/max/min) without a transpose: when the
 * reduced axes are adjacent, x is viewed as [outer, run, inner] and
 *   out[o, i] = ⊕_r x[o, r, i].
 * inner = 1 (trailing axes, e.g. a row sum) reduces contiguous runs with
 * four-lane accumulators and a scalar tail; inner > 1 (leading axes, e.g.
 * the bias gradient Σ over the batch of [B, C]) adds whole rows as vectors.
 * max/min use the NaN-propagating f32x4.max/min (never pmax/pmin), as the
 * CPU kernel propagates NaN. Other axis patterns and dtypes run the
 * JavaScript kernel on views.
 */
import type { OpName } from '../op_names.js';
import { Code, F32, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import type { WasmKernel } from '../wasm/kernel.js';

type Reducer = Extract<OpName, 'sum' | 'prod' | 'max' | 'min'>;

interface Rule {
  init: number;
  vec: (c: Code) => Code;
  scalar: (c: Code) => Code;
}

const RULES: Record<Reducer, Rule> = {
  sum: { init: 0, vec: (c) => c.f32x4_add(), scalar: (c) => c.f32_add() },
  prod: { init: 1, vec: (c) => c.f32x4_mul(), scalar: (c) => c.f32_mul() },
  max: { init: -Infinity, vec: (c) => c.f32x4_max(), scalar: (c) => c.f32_max() },
  min: { init: Infinity, vec: (c) => c.f32x4_min(), scalar: (c) => c.f32_min() },
};

/** reduce_<op>(x, out, outer, run, inner). */
function reduceFn(rule: Rule): Code {
  const c = new Code([I32, I32, I32, I32, I32]);
  const [xp, op, outer, run, inner] = [0, 1, 2, 3, 4];
  const o = c.local(I32), r = c.local(I32), i = c.local(I32), src = c.local(I32), acc = c.local(V128), s = c.local(F32), row = c.local(I32);
  c.local_get(inner).i32_const(1).i32_eq().if_();
  // Contiguous runs: out[o] = ⊕ x[o·run .. o·run + run).
  c.for_(o, () => c.i32_const(0), () => c.local_get(outer), 1, () => {
    c.local_get(xp).local_get(o).local_get(run).i32_mul().i32_const(2).i32_shl().i32_add().local_set(src);
    c.f32_const(rule.init).f32x4_splat().local_set(acc);
    // Vectors while four lanes remain.
    c.for_(r, () => c.i32_const(3), () => c.local_get(run), 4, () => {
      rule.vec(c.local_get(acc).local_get(src).v128_load()).local_set(acc);
      c.local_get(src).i32_const(16).i32_add().local_set(src);
    });
    // Combine lanes, then the scalar tail.
    c.local_get(acc).f32x4_extract_lane(0).local_set(s);
    for (let l = 1; l < 4; l++) rule.scalar(c.local_get(s).local_get(acc).f32x4_extract_lane(l)).local_set(s);
    c.for_(r, () => c.local_get(run).i32_const(-4).i32_and(), () => c.local_get(run), 1, () => {
      rule.scalar(c.local_get(s).local_get(src).f32_load()).local_set(s);
      c.local_get(src).i32_const(4).i32_add().local_set(src);
    });
    c.local_get(op).local_get(o).i32_const(2).i32_shl().i32_add().local_get(s).f32_store();
  });
  c.else_();
  // Strided: out[o, i..i+3] = ⊕_r x[o, r, i..i+3], rows walked in order.
  c.for_(o, () => c.i32_const(0), () => c.local_get(outer), 1, () => {
    c.local_get(xp).local_get(o).local_get(run).i32_mul().local_get(inner).i32_mul().i32_const(2).i32_shl().i32_add().local_set(row);
    c.for_(i, () => c.i32_const(0), () => c.local_get(inner).i32_const(2).i32_shl(), 16, () => {
      c.f32_const(rule.init).f32x4_splat().local_set(acc);
      c.local_get(row).local_get(i).i32_add().local_set(src);
      c.for_(r, () => c.i32_const(0), () => c.local_get(run), 1, () => {
        rule.vec(c.local_get(acc).local_get(src).v128_load()).local_set(acc);
        c.local_get(src).local_get(inner).i32_const(2).i32_shl().i32_add().local_set(src);
      });
      c.local_get(op).local_get(o).local_get(inner).i32_mul().i32_const(2).i32_shl().i32_add().local_get(i).i32_add().local_get(acc).v128_store();
    });
  });
  c.end();
  return c;
}

/** The reduction module's functions. */
export function reduceFunctions(): WasmFunction[] {
  return (Object.keys(RULES) as Reducer[]).map((op) => ({ name: `reduce_${op}`, code: reduceFn(RULES[op]) }));
}

/** Kernel of a float32 reduction over adjacent axes (else the JS kernel). */
export function reduceWasm<K extends Reducer>(op: K): WasmKernel<K> {
  return ([x], out, { axes }, ctx) => {
    if (x.dtype !== 'float32') return false;
    const sorted = [...axes].sort((p, q) => p - q);
    if (sorted.some((a, k) => k > 0 && a !== sorted[k - 1] + 1)) return false;
    const shape = x.shape;
    let outer = 1;
    let run = 1;
    let inner = 1;
    shape.forEach((d, k) => {
      if (sorted.length && k < sorted[0]) outer *= d;
      else if (sorted.includes(k)) run *= d;
      else if (sorted.length) inner *= d;
      else outer *= d;
    });
    if (out.size === 0) return true;
    ctx.fn(`reduce_${op}`)(x.ptr, out.ptr, outer, run, inner);
    return true;
  };
}

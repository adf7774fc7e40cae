/**
 * The Adam step in wasm (f32x4): the three outputs w', m', v' are written
 * four elements at a time; the last n mod 4 elements are done in JavaScript
 * on views with the same formula.
 */
import { Code, F32, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import type { WasmMultiKernel } from '../wasm/kernel.js';
import { adamCorrections } from './spec.js';

// m' = β1·m + (1−β1)·g; v' = β2·v + (1−β2)·g²; w' = w − lr·(m'/c1)/(√(v'/c2) + ε)
/** adam(w, g, m, v, wOut, mOut, vOut, n4, b1, b2, eps, c1, c2, nlr) over the first n4 elements (a multiple of 4). */
function adamFn(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32]);
  const [wp, gp, mp, vp, wo, mo, vo, n4, b1s, b2s, epss, c1s, c2s, nlrs] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const i = c.local(I32), g = c.local(V128), m2 = c.local(V128), v2 = c.local(V128);
  const [b1, b2, eps, c1, c2, nlr, one] = Array.from({ length: 7 }, () => c.local(V128));
  for (const [s, v] of [[b1s, b1], [b2s, b2], [epss, eps], [c1s, c1], [c2s, c2], [nlrs, nlr]] as const) c.local_get(s).f32x4_splat().local_set(v);
  c.f32_const(1).f32x4_splat().local_set(one);
  c.for_(i, () => c.i32_const(0), () => c.local_get(n4).i32_const(2).i32_shl(), 16, () => {
    c.local_get(gp).local_get(i).i32_add().v128_load().local_set(g);
    // m2 = b1·m + (1 − b1)·g
    c.local_get(b1).local_get(mp).local_get(i).i32_add().v128_load().f32x4_mul();
    c.local_get(one).local_get(b1).f32x4_sub().local_get(g).f32x4_mul().f32x4_add().local_set(m2);
    // v2 = b2·v + (1 − b2)·g·g
    c.local_get(b2).local_get(vp).local_get(i).i32_add().v128_load().f32x4_mul();
    c.local_get(one).local_get(b2).f32x4_sub().local_get(g).f32x4_mul().local_get(g).f32x4_mul().f32x4_add().local_set(v2);
    c.local_get(wo).local_get(i).i32_add();
    // w' = w + (m2/c1 / (sqrt(v2/c2) + eps))·nlr
    c.local_get(wp).local_get(i).i32_add().v128_load();
    c.local_get(m2).local_get(c1).f32x4_div();
    c.local_get(v2).local_get(c2).f32x4_div().f32x4_sqrt().local_get(eps).f32x4_add().f32x4_div();
    c.local_get(nlr).f32x4_mul().f32x4_add().v128_store();
    c.local_get(mo).local_get(i).i32_add().local_get(m2).v128_store();
    c.local_get(vo).local_get(i).i32_add().local_get(v2).v128_store();
  });
  return c;
}

/** The optimizer module's functions. */
export function optimizerFunctions(): WasmFunction[] {
  return [{ name: 'adam', code: adamFn() }];
}

/** adamUpdate: w', m', v' (three outputs) in f32x4, the n mod 4 tail in JS. */
export const adamUpdateWasm: WasmMultiKernel<'adamUpdate'> = ([w, g, m, v], [wOut, mOut, vOut], attrs, ctx) => {
  const [c1, c2] = adamCorrections(attrs);
  const { beta1: b1, beta2: b2, epsilon: eps } = attrs;
  const nlr = -attrs.learningRate;
  const n = w.size;
  const n4 = n & ~3;
  ctx.fn('adam')(w.ptr, g.ptr, m.ptr, v.ptr, wOut.ptr, mOut.ptr, vOut.ptr, n4, b1, b2, eps, c1, c2, nlr);
  const f = ctx.heap.f32();
  const [W, G, Mv, V, WO, MO, VO] = [w.ptr, g.ptr, m.ptr, v.ptr, wOut.ptr, mOut.ptr, vOut.ptr].map((p) => p / 4);
  for (let k = n4; k < n; k++) {
    const gk = f[G + k];
    const m2 = b1 * f[Mv + k] + (1 - b1) * gk;
    const v2 = b2 * f[V + k] + (1 - b2) * gk * gk;
    f[WO + k] = f[W + k] + (m2 / c1 / (Math.sqrt(v2 / c2) + eps)) * nlr;
    f[MO + k] = m2;
    f[VO + k] = v2;
  }
  return true;
};

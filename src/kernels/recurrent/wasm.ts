/**
 * wasm LSTM/GRU cell kernels (f32x4).
 *
 * lstmCell with Keras's default activations (tanh, recurrent sigmoid): one
 * pass per row writes c and h, each to its own output; rows run in order,
 * so a vector spilling past U into the next row lands where that row's
 * stores overwrite it (and the last row's spill lands in the heap's 16-byte
 * slack). Other activation pairs run the JS kernels (listed in
 * wasm/kernels.ts); the cell gradients need U a multiple of 4, since their
 * dz/dxz/dhz rows hold several gates side by side.
 */
import { Code, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import type { WasmKernel, WasmMultiKernel } from '../wasm/kernel.js';
import { emitSigmoid, emitTanh } from '../wasm/simd_math.js';

// i, f, o = σ(z_i, z_f, z_o); g = tanh(z_c); c = f·cPrev + i·g; h = o·tanh(c)
/** lstm_cell(z, cPrev, cOut, hOut, rows, U): z [rows, 4U], cPrev [rows, U] → c [rows, U], h [rows, U]. */
function lstmCellFn(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32]);
  const [zp, cp, cop, hop, rows, U] = [0, 1, 2, 3, 4, 5];
  const b = c.local(I32), j = c.local(I32), zb = c.local(I32), cb = c.local(I32), rb = c.local(I32), ub = c.local(I32);
  const v = c.local(V128), ig = c.local(V128), fg = c.local(V128), gg = c.local(V128), cc = c.local(V128);
  c.local_get(U).i32_const(2).i32_shl().local_set(ub); // U in bytes
  const gate = (k: number, into: number, act: (c: Code, x: number) => void): void => {
    c.local_get(zb).local_get(ub).i32_const(k).i32_mul().i32_add().local_get(j).i32_add().v128_load().local_set(v);
    act(c, v);
    c.local_set(into);
  };
  c.for_(b, () => c.i32_const(0), () => c.local_get(rows), 1, () => {
    c.local_get(zp).local_get(b).local_get(ub).i32_mul().i32_const(2).i32_shl().i32_add().local_set(zb);
    c.local_get(b).local_get(ub).i32_mul().local_set(rb);
    c.local_get(cp).local_get(rb).i32_add().local_set(cb);
    c.for_(j, () => c.i32_const(0), () => c.local_get(ub), 16, () => {
      gate(0, ig, emitSigmoid);
      gate(1, fg, emitSigmoid);
      gate(2, gg, emitTanh);
      // c = f·cPrev + i·g
      c.local_get(fg).local_get(cb).local_get(j).i32_add().v128_load().f32x4_mul();
      c.local_get(ig).local_get(gg).f32x4_mul().f32x4_add().local_set(cc);
      c.local_get(cop).local_get(rb).i32_add().local_get(j).i32_add().local_get(cc).v128_store();
      // h = o·tanh(c)
      gate(3, fg, emitSigmoid);
      c.local_get(hop).local_get(rb).i32_add().local_get(j).i32_add();
      c.local_get(fg);
      emitTanh(c, cc);
      c.f32x4_mul().v128_store();
    });
  });
  return c;
}

// dc = dc_out + dh·o·(1 − tanh²c); dz_i = dc·g·i(1 − i); dz_f = dc·cPrev·f(1 − f);
// dz_c = dc·i·(1 − g²); dz_o = dh·tanh(c)·o(1 − o); dcPrev = dc·f
/**
 * lstm_cell_grad(z, cPrev, dc, dh, dz, dcPrev, rows, U) for U a multiple of 4
 * (so no vector crosses from one gate of a dz row into the next):
 * dc, dh [rows, U] → dz [rows, 4U] = [dz_i | dz_f | dz_c | dz_o], dcPrev [rows, U].
 */
function lstmCellGradFn(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [zp, cp, dcp, dhp, dzp, dcpo, rows, U] = [0, 1, 2, 3, 4, 5, 6, 7];
  const b = c.local(I32), j = c.local(I32), zb = c.local(I32), cb = c.local(I32), rb = c.local(I32), ob = c.local(I32), ub = c.local(I32);
  const v = c.local(V128), ig = c.local(V128), fg = c.local(V128), gg = c.local(V128), og = c.local(V128), cprev = c.local(V128);
  const cc = c.local(V128), tc = c.local(V128), dh = c.local(V128), dc = c.local(V128), one = c.local(V128);
  c.local_get(U).i32_const(2).i32_shl().local_set(ub);
  c.f32_const(1).f32x4_splat().local_set(one);
  const at = (base: number, k: number): void => {
    // base + k·U bytes + j
    c.local_get(base).local_get(ub).i32_const(k).i32_mul().i32_add().local_get(j).i32_add();
  };
  const gate = (k: number, into: number, act: (c: Code, x: number) => void): void => {
    at(zb, k);
    c.v128_load().local_set(v);
    act(c, v);
    c.local_set(into);
  };
  /** y·(1 − y) of local y, on the stack. */
  const dsig = (y: number): void => {
    c.local_get(y).local_get(one).local_get(y).f32x4_sub().f32x4_mul();
  };
  c.for_(b, () => c.i32_const(0), () => c.local_get(rows), 1, () => {
    c.local_get(zp).local_get(b).local_get(ub).i32_mul().i32_const(2).i32_shl().i32_add().local_set(zb);
    c.local_get(b).local_get(ub).i32_mul().local_set(rb);
    c.local_get(cp).local_get(rb).i32_add().local_set(cb);
    c.local_get(dzp).local_get(rb).i32_const(2).i32_shl().i32_add().local_set(ob);
    c.for_(j, () => c.i32_const(0), () => c.local_get(ub), 16, () => {
      gate(0, ig, emitSigmoid);
      gate(1, fg, emitSigmoid);
      gate(2, gg, emitTanh);
      gate(3, og, emitSigmoid);
      at(cb, 0);
      c.v128_load().local_set(cprev);
      // c = f·cPrev + i·g; tc = tanh(c)
      c.local_get(fg).local_get(cprev).f32x4_mul().local_get(ig).local_get(gg).f32x4_mul().f32x4_add().local_set(cc);
      emitTanh(c, cc);
      c.local_set(tc);
      c.local_get(dhp).local_get(rb).i32_add().local_get(j).i32_add().v128_load().local_set(dh);
      // dc = dc_out + dh·o·(1 − tc²)
      c.local_get(dcp).local_get(rb).i32_add().local_get(j).i32_add().v128_load().local_get(dh).local_get(og).f32x4_mul().local_get(one).local_get(tc).local_get(tc).f32x4_mul().f32x4_sub().f32x4_mul().f32x4_add().local_set(dc);
      at(ob, 0);
      c.local_get(dc).local_get(gg).f32x4_mul();
      dsig(ig);
      c.f32x4_mul().v128_store();
      at(ob, 1);
      c.local_get(dc).local_get(cprev).f32x4_mul();
      dsig(fg);
      c.f32x4_mul().v128_store();
      at(ob, 2);
      c.local_get(dc).local_get(ig).f32x4_mul().local_get(one).local_get(gg).local_get(gg).f32x4_mul().f32x4_sub().f32x4_mul().v128_store();
      at(ob, 3);
      c.local_get(dh).local_get(tc).f32x4_mul();
      dsig(og);
      c.f32x4_mul().v128_store();
      c.local_get(dcpo).local_get(rb).i32_add().local_get(j).i32_add();
      c.local_get(dc).local_get(fg).f32x4_mul().v128_store();
    });
  });
  return c;
}

// z = σ(xz_z + hz_z); r = σ(xz_r + hz_r); ĥ = tanh(xz_h + r·hz_h); h = z·hPrev + (1 − z)·ĥ
// Backward: dz = dh·(hPrev − ĥ)·z(1 − z); dâ = dh·(1 − z)·(1 − ĥ²); dr = dâ·hz_h·r(1 − r);
// dxz = [dz, dr, dâ]; dhz = [dz, dr, dâ·r]; dhPrev = dh·z
/**
 * gru_cell(xz, hz, hPrev, dy, out, dhzOut, dhPrevOut, rows, U, grad): grad 0
 * gives h [rows, U] in `out` (rows in order, so a vector's spill is rewritten
 * by the next row); grad 1, for U a multiple of 4, gives dxz [rows, 3U] in
 * `out`, dhz [rows, 3U] and dhPrev [rows, U] from dy [rows, U].
 */
function gruCellFn(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [xp, hp, pp, dp, op, hzo, hpo, rows, U, grad] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const b = c.local(I32), j = c.local(I32), gb = c.local(I32), pb = c.local(I32), ub = c.local(I32);
  const v = c.local(V128), zg = c.local(V128), r = c.local(V128), mh = c.local(V128), hh = c.local(V128), one = c.local(V128);
  const dh = c.local(V128), daz = c.local(V128), dah = c.local(V128), dar = c.local(V128);
  c.local_get(U).i32_const(2).i32_shl().local_set(ub);
  c.f32_const(1).f32x4_splat().local_set(one);
  const at = (base: number, off: number, k: number): void => {
    c.local_get(base).local_get(off).i32_add().local_get(ub).i32_const(k).i32_mul().i32_add().local_get(j).i32_add();
  };
  const dsig = (y: number): void => {
    c.local_get(y).local_get(one).local_get(y).f32x4_sub().f32x4_mul();
  };
  c.for_(b, () => c.i32_const(0), () => c.local_get(rows), 1, () => {
    c.local_get(b).local_get(ub).i32_mul().i32_const(3).i32_mul().local_set(gb);
    c.local_get(b).local_get(ub).i32_mul().local_set(pb);
    c.for_(j, () => c.i32_const(0), () => c.local_get(ub), 16, () => {
      // zg = σ(xz_z + hz_z), r = σ(xz_r + hz_r)
      at(xp, gb, 0);
      c.v128_load();
      at(hp, gb, 0);
      c.v128_load().f32x4_add().local_set(v);
      emitSigmoid(c, v);
      c.local_set(zg);
      at(xp, gb, 1);
      c.v128_load();
      at(hp, gb, 1);
      c.v128_load().f32x4_add().local_set(v);
      emitSigmoid(c, v);
      c.local_set(r);
      // ĥ = tanh(xz_h + r·hz_h)
      at(hp, gb, 2);
      c.v128_load().local_set(mh);
      at(xp, gb, 2);
      c.v128_load().local_get(r).local_get(mh).f32x4_mul().f32x4_add().local_set(v);
      emitTanh(c, v);
      c.local_set(hh);
      c.local_get(grad).i32_eqz().if_();
      // h = z·hPrev + (1 − z)·ĥ
      at(op, pb, 0);
      c.local_get(zg);
      at(pp, pb, 0);
      c.v128_load().f32x4_mul();
      c.local_get(one).local_get(zg).f32x4_sub().local_get(hh).f32x4_mul().f32x4_add().v128_store();
      c.else_();
      at(dp, pb, 0);
      c.v128_load().local_set(dh);
      at(pp, pb, 0);
      c.v128_load().local_get(hh).f32x4_sub().local_get(dh).f32x4_mul();
      dsig(zg);
      c.f32x4_mul().local_set(daz);
      c.local_get(dh).local_get(one).local_get(zg).f32x4_sub().f32x4_mul();
      c.local_get(one).local_get(hh).local_get(hh).f32x4_mul().f32x4_sub().f32x4_mul().local_set(dah);
      c.local_get(dah).local_get(mh).f32x4_mul();
      dsig(r);
      c.f32x4_mul().local_set(dar);
      const store = (base: number, off: number, k: number, value: () => void): void => {
        at(base, off, k);
        value();
        c.v128_store();
      };
      store(op, gb, 0, () => c.local_get(daz));
      store(op, gb, 1, () => c.local_get(dar));
      store(op, gb, 2, () => c.local_get(dah));
      store(hzo, gb, 0, () => c.local_get(daz));
      store(hzo, gb, 1, () => c.local_get(dar));
      store(hzo, gb, 2, () => c.local_get(dah).local_get(r).f32x4_mul());
      store(hpo, pb, 0, () => c.local_get(dh).local_get(zg).f32x4_mul());
      c.end();
    });
  });
  return c;
}

/** The recurrent module's functions. */
export function recurrentFunctions(): WasmFunction[] {
  return [
    { name: 'lstm_cell', code: lstmCellFn() },
    { name: 'lstm_cell_grad', code: lstmCellGradFn() },
    { name: 'gru_cell', code: gruCellFn() },
  ];
}

const gruDims = (xz: { shape: readonly number[]; size: number }): [number, number] => {
  const last = xz.shape[xz.shape.length - 1];
  return [last === 0 ? 0 : xz.size / last, last / 3];
};

/** gruCell with the default activations (tanh, sigmoid) in wasm; other pairs run the JS kernel. */
export const gruCellWasm: WasmKernel<'gruCell'> = ([xz, hz, hPrev], out, attrs, ctx) => {
  if (attrs.activation !== 'tanh' || attrs.recurrentActivation !== 'sigmoid') return false;
  const [rows, U] = gruDims(xz);
  if (rows > 0 && U > 0) ctx.fn('gru_cell')(xz.ptr, hz.ptr, hPrev.ptr, 0, out.ptr, 0, 0, rows, U, 0);
  return true;
};

/** gruCellGrad with the default activations and U a multiple of 4 in wasm; else the JS kernel. */
export const gruCellGradWasm: WasmMultiKernel<'gruCellGrad'> = ([xz, hz, hPrev, dy], [dxz, dhz, dhPrev], attrs, ctx) => {
  const [rows, U] = gruDims(xz);
  if (attrs.activation !== 'tanh' || attrs.recurrentActivation !== 'sigmoid' || U % 4 !== 0) return false;
  if (rows > 0 && U > 0) ctx.fn('gru_cell')(xz.ptr, hz.ptr, hPrev.ptr, dy.ptr, dxz.ptr, dhz.ptr, dhPrev.ptr, rows, U, 1);
  return true;
};

/** lstmCellGrad with the default activations and U a multiple of 4 in wasm; else the JS kernel. */
export const lstmCellGradWasm: WasmMultiKernel<'lstmCellGrad'> = ([z, cPrev, dc, dh], [dz, dcPrev], attrs, ctx) => {
  const last = z.shape[z.shape.length - 1];
  const U = last / 4;
  if (attrs.activation !== 'tanh' || attrs.recurrentActivation !== 'sigmoid' || U % 4 !== 0) return false;
  const rows = last === 0 ? 0 : z.size / last;
  if (rows > 0 && U > 0) ctx.fn('lstm_cell_grad')(z.ptr, cPrev.ptr, dc.ptr, dh.ptr, dz.ptr, dcPrev.ptr, rows, U);
  return true;
};

/** lstmCell with the default activations (tanh, sigmoid) in wasm; other pairs run the JS kernel. */
export const lstmCellWasm: WasmMultiKernel<'lstmCell'> = ([z, cPrev], [c, h], attrs, ctx) => {
  if (attrs.activation !== 'tanh' || attrs.recurrentActivation !== 'sigmoid') return false;
  const last = z.shape[z.shape.length - 1];
  const U = last / 4;
  const rows = last === 0 ? 0 : z.size / last;
  if (rows > 0 && U > 0) ctx.fn('lstm_cell')(z.ptr, cPrev.ptr, c.ptr, h.ptr, rows, U);
  return true;
};

/**
 * wasm max pooling and its gradient (NHWC), four channels per f32x4 lane
 * group, each tap's bounds checked once for all groups. Padded taps are
 * skipped, as on the CPU. maxPool keeps NaN through the NaN-propagating
 * f32x4.max (never pmax). maxPoolGrad finds each window's first maximum per
 * channel with a strict `>` mask (the CPU rule: a later equal value, or a
 * NaN, never replaces it), keeping the winners' byte offsets as i32x4, then
 * adds dy there channel by channel (dx is accumulated in place). avgPool and its
 * gradient run the JavaScript kernels (listed in wasm/kernels.ts).
 */
import { poolInfo } from '../conv/spec.js';
import type { WindowInfo } from '../conv/spec.js';
import { Code, I32, V128 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import type { WasmKernel } from '../wasm/kernel.js';

/** Geometry parameters every pool function takes after its pointers, in this order. */
const GEOM = ['batch', 'inH', 'inW', 'C', 'outH', 'outW', 'fh', 'fw', 'sh', 'sw', 'padTop', 'padLeft'] as const;
type Geom = Record<(typeof GEOM)[number], number>;

function geomArgs(w: WindowInfo): number[] {
  const g: Geom = { batch: w.batch, inH: w.inH, inW: w.inW, C: w.inC, outH: w.outH, outW: w.outW, fh: w.fh, fw: w.fw, sh: w.sh, sw: w.sw, padTop: w.padTop, padLeft: w.padLeft };
  return GEOM.map((k) => g[k]);
}

/**
 * max_pool(x, out, ...geometry): per output pixel, out's row starts at −Inf
 * and each in-bounds tap is max-ed into it, all channel groups of a tap at
 * once (one bounds check per tap, not per group). A row's spill past C
 * lands in the next pixel's row, which is reset after.
 */
function maxPoolFn(): Code {
  const c = new Code([I32, I32, ...GEOM.map((): typeof I32 => I32)]);
  const [xp, op] = [0, 1];
  const g = Object.fromEntries(GEOM.map((k, i) => [k, 2 + i])) as Geom;
  const n = c.local(I32), oh = c.local(I32), ow = c.local(I32), ky = c.local(I32), kx = c.local(I32), ih = c.local(I32), iw = c.local(I32);
  const cb = c.local(I32), row = c.local(I32), src = c.local(I32), bytes = c.local(I32);
  c.local_get(g.C).i32_const(2).i32_shl().local_set(bytes);
  c.local_get(op).local_set(row);
  c.for_(n, () => c.i32_const(0), () => c.local_get(g.batch), 1, () => {
    c.for_(oh, () => c.i32_const(0), () => c.local_get(g.outH), 1, () => {
      c.for_(ow, () => c.i32_const(0), () => c.local_get(g.outW), 1, () => {
        c.for_(cb, () => c.i32_const(0), () => c.local_get(bytes), 16, () => {
          c.local_get(row).local_get(cb).i32_add().f32_const(-Infinity).f32x4_splat().v128_store();
        });
        c.for_(ky, () => c.i32_const(0), () => c.local_get(g.fh), 1, () => {
          c.local_get(oh).local_get(g.sh).i32_mul().local_get(g.padTop).i32_sub().local_get(ky).i32_add().local_tee(ih);
          c.i32_const(0).i32_ge_s().local_get(ih).local_get(g.inH).i32_lt_s().i32_and().if_();
          c.for_(kx, () => c.i32_const(0), () => c.local_get(g.fw), 1, () => {
            c.local_get(ow).local_get(g.sw).i32_mul().local_get(g.padLeft).i32_sub().local_get(kx).i32_add().local_tee(iw);
            c.i32_const(0).i32_ge_s().local_get(iw).local_get(g.inW).i32_lt_s().i32_and().if_();
            // src = x + ((n·inH + ih)·inW + iw)·C·4
            c.local_get(n).local_get(g.inH).i32_mul().local_get(ih).i32_add().local_get(g.inW).i32_mul().local_get(iw).i32_add();
            c.local_get(bytes).i32_mul().local_get(xp).i32_add().local_set(src);
            c.for_(cb, () => c.i32_const(0), () => c.local_get(bytes), 16, () => {
              c.local_get(row).local_get(cb).i32_add();
              c.local_get(row).local_get(cb).i32_add().v128_load();
              c.local_get(src).local_get(cb).i32_add().v128_load();
              c.f32x4_max().v128_store();
            });
            c.end();
          });
          c.end();
        });
        c.local_get(row).local_get(bytes).i32_add().local_set(row);
      });
    });
  });
  return c;
}

/**
 * max_pool_grad(dy, x, dx, tmp, ...geometry): dx (zeroed) += dy at each
 * window's first maximum. Per output pixel, taps are walked once with all
 * channel groups inside; the running maxima and the winners' byte offsets
 * (within x) live in `tmp` (two rows of C floats/ints, plus vector slack).
 */
function maxPoolGradFn(): Code {
  const c = new Code([I32, I32, I32, I32, ...GEOM.map((): typeof I32 => I32)]);
  const [dyp, xp, dxp, tmp] = [0, 1, 2, 3];
  const g = Object.fromEntries(GEOM.map((k, i) => [k, 4 + i])) as Geom;
  const n = c.local(I32), oh = c.local(I32), ow = c.local(I32), ky = c.local(I32), kx = c.local(I32), ih = c.local(I32), iw = c.local(I32);
  const cb = c.local(I32), tap = c.local(I32), first = c.local(I32), bytes = c.local(I32), bestRow = c.local(I32), whereRow = c.local(I32);
  const e = c.local(V128), best = c.local(V128), mask = c.local(V128), off = c.local(V128), d = c.local(I32), dyRow = c.local(I32);
  c.local_get(g.C).i32_const(2).i32_shl().local_set(bytes);
  c.local_get(tmp).local_set(bestRow);
  c.local_get(tmp).local_get(bytes).i32_add().i32_const(16).i32_add().local_set(whereRow);
  c.local_get(dyp).local_set(dyRow);
  c.for_(n, () => c.i32_const(0), () => c.local_get(g.batch), 1, () => {
    c.for_(oh, () => c.i32_const(0), () => c.local_get(g.outH), 1, () => {
      c.for_(ow, () => c.i32_const(0), () => c.local_get(g.outW), 1, () => {
        c.i32_const(1).local_set(first);
        c.for_(ky, () => c.i32_const(0), () => c.local_get(g.fh), 1, () => {
          c.local_get(oh).local_get(g.sh).i32_mul().local_get(g.padTop).i32_sub().local_get(ky).i32_add().local_tee(ih);
          c.i32_const(0).i32_ge_s().local_get(ih).local_get(g.inH).i32_lt_s().i32_and().if_();
          c.for_(kx, () => c.i32_const(0), () => c.local_get(g.fw), 1, () => {
            c.local_get(ow).local_get(g.sw).i32_mul().local_get(g.padLeft).i32_sub().local_get(kx).i32_add().local_tee(iw);
            c.i32_const(0).i32_ge_s().local_get(iw).local_get(g.inW).i32_lt_s().i32_and().if_();
            // tap = ((n·inH + ih)·inW + iw)·C·4, the pixel's byte offset in x
            c.local_get(n).local_get(g.inH).i32_mul().local_get(ih).i32_add().local_get(g.inW).i32_mul().local_get(iw).i32_add();
            c.local_get(bytes).i32_mul().local_set(tap);
            c.for_(cb, () => c.i32_const(0), () => c.local_get(bytes), 16, () => {
              c.local_get(xp).local_get(tap).i32_add().local_get(cb).i32_add().v128_load().local_set(e);
              // off = tap + cb + [0, 4, 8, 12]
              c.local_get(tap).local_get(cb).i32_add().i32x4_splat().v128_const_i32x4([0, 4, 8, 12]).i32x4_add().local_set(off);
              c.local_get(first).if_();
              c.local_get(bestRow).local_get(cb).i32_add().local_get(e).v128_store();
              c.local_get(whereRow).local_get(cb).i32_add().local_get(off).v128_store();
              c.else_();
              // A strictly greater value wins (a later tie or a NaN never does).
              c.local_get(bestRow).local_get(cb).i32_add().v128_load().local_set(best);
              c.local_get(e).local_get(best).f32x4_gt().local_set(mask);
              c.local_get(bestRow).local_get(cb).i32_add().local_get(e).local_get(best).local_get(mask).v128_bitselect().v128_store();
              c.local_get(whereRow).local_get(cb).i32_add();
              c.local_get(off).local_get(whereRow).local_get(cb).i32_add().v128_load().local_get(mask).v128_bitselect();
              c.v128_store();
              c.end();
            });
            c.i32_const(0).local_set(first);
            c.end();
          });
          c.end();
        });
        // Scatter: dx[where[k]] += dy[pixel, k] for each real channel k (dx is added to in place).
        c.local_get(first).i32_eqz().if_();
        c.for_(cb, () => c.i32_const(0), () => c.local_get(bytes), 4, () => {
          c.local_get(dxp).local_get(whereRow).local_get(cb).i32_add().i32_load().i32_add().local_set(d);
          c.local_get(d).local_get(d).f32_load().local_get(dyRow).local_get(cb).i32_add().f32_load().f32_add().f32_store();
        });
        c.end();
        c.local_get(dyRow).local_get(bytes).i32_add().local_set(dyRow);
      });
    });
  });
  return c;
}

/** The pooling module's functions. */
export function poolFunctions(): WasmFunction[] {
  return [
    { name: 'max_pool', code: maxPoolFn() },
    { name: 'max_pool_grad', code: maxPoolGradFn() },
  ];
}

/** maxPool: f32x4 max over each window's in-bounds taps. */
export const maxPoolWasm: WasmKernel<'maxPool'> = ([x], out, a, ctx) => {
  const w = poolInfo('maxPool', x.shape, a.filterSize, a.strides, a.pad);
  ctx.fn('max_pool')(x.ptr, out.ptr, ...geomArgs(w));
  return true;
};

/** maxPoolGrad: dx (zeroed) += dy at each window's first maximum. */
export const maxPoolGradWasm: WasmKernel<'maxPoolGrad'> = ([dy, x], out, a, ctx) => {
  const w = poolInfo('maxPoolGrad', x.shape, a.filterSize, a.strides, a.pad);
  const tmp = ctx.scratch(2 * (4 * w.inC + 16));
  ctx.heap.f32().fill(0, out.ptr / 4, out.ptr / 4 + out.size);
  ctx.fn('max_pool_grad')(dy.ptr, x.ptr, out.ptr, tmp, ...geomArgs(w));
  return true;
};

/**
 * wasm conv2d (NHWC) and its two gradients as GEMMs over packed patches in
 * wasm memory: the patches of a chunk of images form one
 * [chunk·outH·outW, fh·fw·Cin] matrix `cols` (im2col), the filter is
 * [fh·fw·Cin, Cout], and
 *   y = cols · W,   dcols = dy · Wᵀ (then col2im),   dW = Σ colsᵀ · dy,
 * each one SIMD GEMM per chunk, the chunk sized so `cols` stays near 8 MiB
 * (whole batches for the small MNIST-sized layers). A 1×1, stride-1,
 * unpadded conv is one GEMM on x itself. fusedConv2d is the forward with
 * fusedMatMul's epilogue (`biasActWasm`) run on each chunk's rows.
 */
import { convInfo } from './spec.js';
import type { WindowInfo } from './spec.js';
import { Code, I32 } from '../wasm/emitter.js';
import type { WasmFunction } from '../wasm/emitter.js';
import { cellActivationCodes } from '../recurrent/spec.js';
import type { ConvAttrs } from '../op_names.js';
import type { WasmContext, WasmKernel, WasmTensor } from '../wasm/kernel.js';
import { biasActWasm, gemmRunner } from '../matmul/wasm.js';

const CHUNK_BYTES = 8 << 20;

/** Geometry arguments of im2col/col2im after (src, dst, n0, count), in this order. */
const GEOM = ['inH', 'inW', 'C', 'outH', 'outW', 'fh', 'fw', 'sh', 'sw', 'dh', 'dw', 'padTop', 'padLeft'] as const;

function geomArgs(w: WindowInfo): number[] {
  const g: Record<(typeof GEOM)[number], number> = { inH: w.inH, inW: w.inW, C: w.inC, outH: w.outH, outW: w.outW, fh: w.fh, fw: w.fw, sh: w.sh, sw: w.sw, dh: w.dh, dw: w.dw, padTop: w.padTop, padLeft: w.padLeft };
  return GEOM.map((k) => g[k]);
}

/**
 * Emits the walk over patch rows (n, oh, ow) and taps (ky, kx) of images
 * n0..n0+count: for each tap, `seg(img, inside)` gets the tap's pixel byte
 * offset within the image tensor in `img` and 1/0 in `inside`; `col` holds
 * the byte offset of the tap's C floats in the patch matrix and advances by
 * 4C per tap.
 */
function walk(c: Code, col: number, seg: (pix: number, inside: number) => void): void {
  const [, , n0, count] = [0, 1, 2, 3];
  const g = Object.fromEntries(GEOM.map((k, i) => [k, 4 + i])) as Record<(typeof GEOM)[number], number>;
  const n = c.local(I32), oh = c.local(I32), ow = c.local(I32), ky = c.local(I32), kx = c.local(I32), ih = c.local(I32), iw = c.local(I32);
  const pix = c.local(I32), inside = c.local(I32);
  c.i32_const(0).local_set(col);
  c.for_(n, () => c.local_get(n0), () => c.local_get(n0).local_get(count).i32_add(), 1, () => {
    c.for_(oh, () => c.i32_const(0), () => c.local_get(g.outH), 1, () => {
      c.for_(ow, () => c.i32_const(0), () => c.local_get(g.outW), 1, () => {
        c.for_(ky, () => c.i32_const(0), () => c.local_get(g.fh), 1, () => {
          c.for_(kx, () => c.i32_const(0), () => c.local_get(g.fw), 1, () => {
            // ih = oh·sh − padTop + ky·dh, iw = ow·sw − padLeft + kx·dw
            c.local_get(oh).local_get(g.sh).i32_mul().local_get(g.padTop).i32_sub().local_get(ky).local_get(g.dh).i32_mul().i32_add().local_set(ih);
            c.local_get(ow).local_get(g.sw).i32_mul().local_get(g.padLeft).i32_sub().local_get(kx).local_get(g.dw).i32_mul().i32_add().local_set(iw);
            c.local_get(ih).i32_const(0).i32_ge_s().local_get(ih).local_get(g.inH).i32_lt_s().i32_and();
            c.local_get(iw).i32_const(0).i32_ge_s().i32_and().local_get(iw).local_get(g.inW).i32_lt_s().i32_and().local_set(inside);
            // pix = ((n·inH + ih)·inW + iw)·C·4
            c.local_get(n).local_get(g.inH).i32_mul().local_get(ih).i32_add().local_get(g.inW).i32_mul().local_get(iw).i32_add();
            c.local_get(g.C).i32_mul().i32_const(2).i32_shl().local_set(pix);
            seg(pix, inside);
            c.local_get(col).local_get(g.C).i32_const(2).i32_shl().i32_add().local_set(col);
          });
        });
      });
    });
  });
}

/**
 * im2col(x, cols, n0, count, ...geometry): row (n, oh, ow) of cols, column
 * (ky·fw + kx)·C + c, holds x[n, oh·sh − padTop + ky·dh, ow·sw − padLeft + kx·dw, c],
 * or 0 in the padding. Whole vectors when C is a multiple of 4, else floats.
 */
function im2colFn(): Code {
  const c = new Code([I32, I32, I32, I32, ...GEOM.map((): typeof I32 => I32)]);
  const [xp, cp] = [0, 1];
  const C = 4 + GEOM.indexOf('C');
  const col = c.local(I32), k = c.local(I32), vec = c.local(I32), bytes = c.local(I32);
  c.local_get(C).i32_const(3).i32_and().i32_eqz().local_set(vec);
  c.local_get(C).i32_const(2).i32_shl().local_set(bytes);
  // Taps in the padding are zero; nothing is loaded for them.
  const copy = (step: number, load: () => void, zero: () => void, store: () => void, pix: number, inside: number): void => {
    c.local_get(inside).if_();
    c.for_(k, () => c.i32_const(0), () => c.local_get(bytes), step, () => {
      c.local_get(cp).local_get(col).i32_add().local_get(k).i32_add();
      c.local_get(xp).local_get(pix).i32_add().local_get(k).i32_add();
      load();
      store();
    });
    c.else_();
    c.for_(k, () => c.i32_const(0), () => c.local_get(bytes), step, () => {
      c.local_get(cp).local_get(col).i32_add().local_get(k).i32_add();
      zero();
      store();
    });
    c.end();
  };
  walk(c, col, (pix, inside) => {
    c.local_get(vec).if_();
    copy(16, () => c.v128_load(), () => c.f32_const(0).f32x4_splat(), () => c.v128_store(), pix, inside);
    c.else_();
    copy(4, () => c.f32_load(), () => c.f32_const(0), () => c.f32_store(), pix, inside);
    c.end();
  });
  return c;
}

/** col2im(dcols, dx, n0, count, ...geometry): adds each in-image tap's C floats of dcols into dx. */
function col2imFn(): Code {
  const c = new Code([I32, I32, I32, I32, ...GEOM.map((): typeof I32 => I32)]);
  const [dp, xp] = [0, 1];
  const C = 4 + GEOM.indexOf('C');
  const col = c.local(I32), k = c.local(I32), vec = c.local(I32), bytes = c.local(I32), dst = c.local(I32);
  c.local_get(C).i32_const(3).i32_and().i32_eqz().local_set(vec);
  c.local_get(C).i32_const(2).i32_shl().local_set(bytes);
  walk(c, col, (pix, inside) => {
    c.local_get(inside).if_();
    c.local_get(xp).local_get(pix).i32_add().local_set(dst);
    c.local_get(vec).if_();
    c.for_(k, () => c.i32_const(0), () => c.local_get(bytes), 16, () => {
      c.local_get(dst).local_get(k).i32_add();
      c.local_get(dst).local_get(k).i32_add().v128_load();
      c.local_get(dp).local_get(col).i32_add().local_get(k).i32_add().v128_load();
      c.f32x4_add().v128_store();
    });
    c.else_();
    c.for_(k, () => c.i32_const(0), () => c.local_get(bytes), 4, () => {
      c.local_get(dst).local_get(k).i32_add();
      c.local_get(dst).local_get(k).i32_add().f32_load();
      c.local_get(dp).local_get(col).i32_add().local_get(k).i32_add().f32_load();
      c.f32_add().f32_store();
    });
    c.end();
    c.end();
  });
  return c;
}

/** The conv module's functions. */
export function convFunctions(): WasmFunction[] {
  return [
    { name: 'im2col', code: im2colFn() },
    { name: 'col2im', code: col2imFn() },
  ];
}

function isPointwise(w: WindowInfo): boolean {
  return w.fh === 1 && w.fw === 1 && w.sh === 1 && w.sw === 1 && w.padTop === 0 && w.padLeft === 0 && w.outH === w.inH && w.outW === w.inW;
}

/** Images per chunk so that a chunk's patch matrix stays near CHUNK_BYTES. */
function chunkOf(w: WindowInfo, K: number): number {
  return Math.max(1, Math.min(w.batch, Math.floor(CHUNK_BYTES / (w.outH * w.outW * K * 4))));
}

/** Scratch for `chunk` images' patches. */
function colsScratch(ctx: WasmContext, w: WindowInfo, K: number, chunk: number): number {
  return ctx.scratch(chunk * w.outH * w.outW * K * 4);
}

/**
 * y[N·outH·outW, Cout] = patches · W, one GEMM per chunk of images (one GEMM
 * on x for 1×1); `epilogue(ptr, rows)`, when given, runs on each chunk's
 * output rows right after its GEMM.
 */
function conv2dForward(op: string, [x, filter]: readonly WasmTensor[], out: WasmTensor, a: ConvAttrs, ctx: WasmContext, epilogue?: (ptr: number, rows: number) => void): true {
  const w = convInfo(op, x.shape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const W = { ptr: filter.ptr, rs: w.outC, cs: 1 };
  if (isPointwise(w)) {
    gemmRunner(ctx, w.outC)(w.batch * M, w.outC, K, { ptr: x.ptr, rs: K, cs: 1 }, W, out.ptr, w.outC, false);
    epilogue?.(out.ptr, w.batch * M);
    return true;
  }
  const chunk = chunkOf(w, K);
  const cols = colsScratch(ctx, w, K, chunk);
  const run = gemmRunner(ctx, w.outC);
  for (let n0 = 0; n0 < w.batch; n0 += chunk) {
    const count = Math.min(chunk, w.batch - n0);
    const yPtr = out.ptr + n0 * M * w.outC * 4;
    ctx.fn('im2col')(x.ptr, cols, n0, count, ...geomArgs(w));
    run(count * M, w.outC, K, { ptr: cols, rs: K, cs: 1 }, W, yPtr, w.outC, false);
    epilogue?.(yPtr, count * M);
  }
  return true;
}

/** conv2d: patches · W per chunk of images. */
export const conv2dWasm: WasmKernel<'conv2d'> = (ins, out, a, ctx) => conv2dForward('conv2d', ins, out, a, ctx);

/** fusedConv2d: conv2d with act(y + bias) applied to each chunk's rows after its GEMM (`biasActWasm`). */
export const fusedConv2dWasm: WasmKernel<'fusedConv2d'> = (ins, out, a, ctx) => {
  const N = out.shape[3];
  const code = cellActivationCodes[a.activation];
  return conv2dForward('fusedConv2d', ins, out, a, ctx, (ptr, rows) => biasActWasm(ctx, ptr, ins[2].ptr, rows, N, code));
};

/** conv2dBackpropInput: dpatches = dy · Wᵀ per chunk, added back into dx by col2im. */
export const conv2dBackpropInputWasm: WasmKernel<'conv2dBackpropInput'> = ([dy, filter], out, a, ctx) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  // Wᵀ(co, k) = W[k, co].
  const Wt = { ptr: filter.ptr, rs: 1, cs: w.outC };
  if (isPointwise(w)) {
    gemmRunner(ctx, K)(w.batch * M, K, w.outC, { ptr: dy.ptr, rs: w.outC, cs: 1 }, Wt, out.ptr, K, false);
    return true;
  }
  const chunk = chunkOf(w, K);
  const dcols = colsScratch(ctx, w, K, chunk);
  const run = gemmRunner(ctx, K);
  ctx.heap.f32().fill(0, out.ptr / 4, out.ptr / 4 + out.size);
  for (let n0 = 0; n0 < w.batch; n0 += chunk) {
    const count = Math.min(chunk, w.batch - n0);
    run(count * M, K, w.outC, { ptr: dy.ptr + n0 * M * w.outC * 4, rs: w.outC, cs: 1 }, Wt, dcols, K, false);
    ctx.fn('col2im')(dcols, out.ptr, n0, count, ...geomArgs(w));
  }
  return true;
};

/** conv2dBackpropFilter: dW = Σ over chunks of patchesᵀ · dy (the GEMM accumulates). */
export const conv2dBackpropFilterWasm: WasmKernel<'conv2dBackpropFilter'> = ([x, dy], out, a, ctx) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  if (isPointwise(w)) {
    gemmRunner(ctx, w.outC)(K, w.outC, w.batch * M, { ptr: x.ptr, rs: 1, cs: K }, { ptr: dy.ptr, rs: w.outC, cs: 1 }, out.ptr, w.outC, false);
    return true;
  }
  const chunk = chunkOf(w, K);
  const cols = colsScratch(ctx, w, K, chunk);
  const run = gemmRunner(ctx, w.outC);
  for (let n0 = 0; n0 < w.batch; n0 += chunk) {
    const count = Math.min(chunk, w.batch - n0);
    ctx.fn('im2col')(x.ptr, cols, n0, count, ...geomArgs(w));
    // dW[K, Cout] (+)= colsᵀ · dy_chunk, colsᵀ(k, m) = cols[m, k].
    run(K, w.outC, count * M, { ptr: cols, rs: 1, cs: K }, { ptr: dy.ptr + n0 * M * w.outC * 4, rs: w.outC, cs: 1 }, out.ptr, w.outC, n0 > 0);
  }
  return true;
};

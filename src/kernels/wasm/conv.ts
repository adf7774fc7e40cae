/**
 * wasm conv2d (NHWC) and its two gradients as GEMMs over packed patches in
 * wasm memory: the patches of a chunk of images form one
 * [chunk·outH·outW, fh·fw·Cin] matrix `cols` (im2col), the filter is
 * [fh·fw·Cin, Cout], and
 *   y = cols · W,   dcols = dy · Wᵀ (then col2im),   dW = Σ colsᵀ · dy,
 * each one SIMD GEMM per chunk, the chunk sized so `cols` stays near 8 MiB
 * (whole batches for the small MNIST-sized layers). A 1×1, stride-1,
 * unpadded conv is one GEMM on x itself.
 */
import { convInfo } from '../conv/spec.js';
import type { WindowInfo } from '../conv/spec.js';
import type { WasmContext, WasmKernel } from './kernel.js';
import { gemmRunner } from './matmul.js';

const CHUNK_BYTES = 8 << 20;

/**
 * Fills cols [count·outH·outW, K] from images n0..n0+count of x (both are
 * float offsets into `f`): column (ky·fw + kx)·Cin + c of row (n, oh, ow)
 * holds x[n, oh·sh − padTop + ky·dh, ow·sw − padLeft + kx·dw, c], or 0 in the padding.
 */
function im2col(w: WindowInfo, f: Float32Array, x: number, n0: number, count: number, cols: number): void {
  const C = w.inC;
  let dst = cols;
  for (let n = n0; n < n0 + count; n++) {
    const img = x + n * w.inH * w.inW * C;
    for (let oh = 0; oh < w.outH; oh++) {
      const ih0 = oh * w.sh - w.padTop;
      for (let ow = 0; ow < w.outW; ow++) {
        const iw0 = ow * w.sw - w.padLeft;
        for (let ky = 0; ky < w.fh; ky++) {
          const ih = ih0 + ky * w.dh;
          const rowOk = ih >= 0 && ih < w.inH;
          for (let kx = 0; kx < w.fw; kx++) {
            const iw = iw0 + kx * w.dw;
            if (rowOk && iw >= 0 && iw < w.inW) {
              const src = img + (ih * w.inW + iw) * C;
              if (C === 1) f[dst] = f[src];
              else f.copyWithin(dst, src, src + C);
            } else {
              f.fill(0, dst, dst + C);
            }
            dst += C;
          }
        }
      }
    }
  }
}

/** Adds dcols [count·outH·outW, K] back into images n0.. of dx (col2im); float offsets into `f`. */
function col2imAdd(w: WindowInfo, f: Float32Array, dcols: number, dx: number, n0: number, count: number): void {
  const C = w.inC;
  let src = dcols;
  for (let n = n0; n < n0 + count; n++) {
    const img = dx + n * w.inH * w.inW * C;
    for (let oh = 0; oh < w.outH; oh++) {
      const ih0 = oh * w.sh - w.padTop;
      for (let ow = 0; ow < w.outW; ow++) {
        const iw0 = ow * w.sw - w.padLeft;
        for (let ky = 0; ky < w.fh; ky++) {
          const ih = ih0 + ky * w.dh;
          const rowOk = ih >= 0 && ih < w.inH;
          for (let kx = 0; kx < w.fw; kx++) {
            const iw = iw0 + kx * w.dw;
            if (rowOk && iw >= 0 && iw < w.inW) {
              const dst = img + (ih * w.inW + iw) * C;
              for (let c = 0; c < C; c++) f[dst + c] += f[src + c];
            }
            src += C;
          }
        }
      }
    }
  }
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

export const conv2dWasm: WasmKernel<'conv2d'> = ([x, filter], out, a, ctx) => {
  const w = convInfo('conv2d', x.shape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const W = { ptr: filter.ptr, rs: w.outC, cs: 1 };
  if (isPointwise(w)) {
    gemmRunner(ctx, w.outC)(w.batch * M, w.outC, K, { ptr: x.ptr, rs: K, cs: 1 }, W, out.ptr, w.outC, false);
    return true;
  }
  const chunk = chunkOf(w, K);
  const cols = colsScratch(ctx, w, K, chunk);
  const run = gemmRunner(ctx, w.outC);
  for (let n0 = 0; n0 < w.batch; n0 += chunk) {
    const count = Math.min(chunk, w.batch - n0);
    im2col(w, ctx.heap.f32(), x.ptr / 4, n0, count, cols / 4);
    run(count * M, w.outC, K, { ptr: cols, rs: K, cs: 1 }, W, out.ptr + n0 * M * w.outC * 4, w.outC, false);
  }
  return true;
};

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
    col2imAdd(w, ctx.heap.f32(), dcols / 4, out.ptr / 4, n0, count);
  }
  return true;
};

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
    im2col(w, ctx.heap.f32(), x.ptr / 4, n0, count, cols / 4);
    // dW[K, Cout] (+)= colsᵀ · dy_chunk, colsᵀ(k, m) = cols[m, k].
    run(K, w.outC, count * M, { ptr: cols, rs: 1, cs: K }, { ptr: dy.ptr + n0 * M * w.outC * 4, rs: w.outC, cs: 1 }, out.ptr, w.outC, n0 > 0);
  }
  return true;
};

/**
 * CPU conv2d (NHWC) and its two gradients through im2col and the matMul
 * routines: for each image, the patches form a [outH*outW, fh*fw*Cin] matrix
 * `cols`, and the filter is a [fh*fw*Cin, Cout] matrix, so
 *   y = cols · W,   dcols = dy · Wᵀ (then scattered back: col2im),   dW = Σₙ colsᵀ · dy.
 */
import { convInfo } from '../conv/spec.js';
import type { WindowInfo } from '../conv/spec.js';
import type { FloatArray, TypedArray } from '../types.js';
import type { CpuKernel } from './cpu_tensor.js';
import { gemmBCols, gemmBRows } from './matmul.js';

/**
 * Calls `visit(row, col, src)` for every in-bounds tap: `row` is the output
 * pixel (oh*outW+ow), `col` the first column of the tap's channel run in the
 * patch matrix, `src` the offset of x[n, ih, iw, 0] within the image.
 */
function forEachTap(w: WindowInfo, visit: (row: number, col: number, src: number) => void): void {
  for (let oh = 0; oh < w.outH; oh++) {
    for (let ow = 0; ow < w.outW; ow++) {
      const row = oh * w.outW + ow;
      for (let ky = 0; ky < w.fh; ky++) {
        const ih = oh * w.sh - w.padTop + ky * w.dh;
        if (ih < 0 || ih >= w.inH) continue;
        for (let kx = 0; kx < w.fw; kx++) {
          const iw = ow * w.sw - w.padLeft + kx * w.dw;
          if (iw < 0 || iw >= w.inW) continue;
          visit(row, (ky * w.fw + kx) * w.inC, (ih * w.inW + iw) * w.inC);
        }
      }
    }
  }
}

/** Fills `cols` [outH*outW, fh*fw*Cin] with image n's patches (padding stays 0). */
function im2col(w: WindowInfo, x: TypedArray, n: number, cols: FloatArray): void {
  const K = w.fh * w.fw * w.inC;
  const img = n * w.inH * w.inW * w.inC;
  const C = w.inC;
  cols.fill(0);
  forEachTap(w, (row, col, src) => {
    const dst = row * K + col;
    for (let c = 0; c < C; c++) cols[dst + c] = x[img + src + c];
  });
}

export const conv2dKernel: CpuKernel<'conv2d'> = ([x, filter], out, a, ctx) => {
  const w = convInfo('conv2d', x.shape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const cols = ctx.floats(M * K);
  const y = out.values as FloatArray;
  for (let n = 0; n < w.batch; n++) {
    im2col(w, x.values, n, cols);
    gemmBRows(M, w.outC, K, cols, 0, K, 1, filter.values, 0, y, n * M * w.outC);
  }
};

export const conv2dBackpropInputKernel: CpuKernel<'conv2dBackpropInput'> = ([dy, filter], out, a, ctx) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const dcols = ctx.floats(M * K);
  const dx = out.values;
  const C = w.inC;
  for (let n = 0; n < w.batch; n++) {
    // dcols[M, K] = dy_n[M, Cout] · Wᵀ, W stored [K, Cout] = "B transposed".
    gemmBCols(M, K, w.outC, dy.values, n * M * w.outC, w.outC, 1, filter.values, 0, dcols, 0);
    const img = n * w.inH * w.inW * C;
    forEachTap(w, (row, col, src) => {
      const s = row * K + col;
      for (let c = 0; c < C; c++) dx[img + src + c] += dcols[s + c];
    });
  }
};

export const conv2dBackpropFilterKernel: CpuKernel<'conv2dBackpropFilter'> = ([x, dy], out, a, ctx) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const cols = ctx.floats(M * K);
  const dW = out.values as FloatArray;
  for (let n = 0; n < w.batch; n++) {
    im2col(w, x.values, n, cols);
    // dW[K, Cout] += colsᵀ · dy_n: A(i, k) = cols[k*K + i].
    gemmBRows(K, w.outC, M, cols, 0, 1, K, dy.values, n * M * w.outC, dW, 0);
  }
};

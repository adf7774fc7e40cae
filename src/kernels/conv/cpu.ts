/**
 * CPU conv2d (NHWC) and its two gradients through im2col and the matMul
 * routines: for each image, the patches form a [outH*outW, fh*fw*Cin] matrix
 * `cols`, and the filter is a [fh*fw*Cin, Cout] matrix, so
 *   y = cols · W,   dcols = dy · Wᵀ (then scattered back: col2im),   dW = Σₙ colsᵀ · dy.
 * fusedConv2d is the forward with act(y + bias) applied to each image's
 * rows right after its product (`biasActInPlace`, fusedMatMul's epilogue).
 */
import { convInfo } from './spec.js';
import type { WindowInfo } from './spec.js';
import type { FloatArray, TypedArray } from '../types.js';
import { cellActivationCodes } from '../recurrent/spec.js';
import type { ConvAttrs } from '../op_names.js';
import type { CpuContext, CpuKernel, CpuTensor } from '../cpu/cpu_tensor.js';
import type { MatView } from '../matmul/cpu.js';
import { biasActInPlace, gemm } from '../matmul/cpu.js';

/**
 * Fills `cols` [outH*outW, fh*fw*Cin] with image n's patches: row oh*outW+ow,
 * column (ky*fw+kx)*Cin+c holds x[n, oh*sh-padTop+ky*dh, ow*sw-padLeft+kx*dw, c],
 * or 0 where that tap falls in the padding. Every entry is written, so
 * `cols` need not be cleared between images.
 */
function im2col(w: WindowInfo, x: TypedArray, n: number, cols: FloatArray): void {
  const C = w.inC;
  const img = n * w.inH * w.inW * C;
  let dst = 0;
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
            for (let c = 0; c < C; c++) cols[dst + c] = x[src + c];
          } else {
            for (let c = 0; c < C; c++) cols[dst + c] = 0;
          }
          dst += C;
        }
      }
    }
  }
}

/** Adds the patch gradients `dcols` [outH*outW, fh*fw*Cin] back into image n of `dx` (col2im). */
function col2imAdd(w: WindowInfo, dcols: FloatArray, dx: TypedArray, n: number): void {
  const C = w.inC;
  const img = n * w.inH * w.inW * C;
  let src = 0;
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
            for (let c = 0; c < C; c++) dx[dst + c] += dcols[src + c];
          }
          src += C;
        }
      }
    }
  }
}

/** True when the patch matrix of an image is the image itself ([H*W, Cin]): 1×1 filter, stride 1, no padding. */
function isPointwise(w: WindowInfo): boolean {
  return w.fh === 1 && w.fw === 1 && w.sh === 1 && w.sw === 1 && w.padTop === 0 && w.padLeft === 0 && w.outH === w.inH && w.outW === w.inW;
}

/**
 * y[N·outH·outW, Cout] = patches · W per image; `epilogue(off, rows)`, when
 * given, runs on each image's rows right after its GEMM, while they are in cache.
 */
function conv2dForward(op: string, [x, filter]: readonly CpuTensor[], out: CpuTensor, a: ConvAttrs, ctx: CpuContext, epilogue?: (off: number, rows: number) => void): void {
  const w = convInfo(op, x.shape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const y = out.values as FloatArray;
  const W: MatView = { data: filter.values, off: 0, rs: w.outC, cs: 1 };
  if (isPointwise(w)) {
    // y[N·H·W, Cout] = x[N·H·W, Cin] · W: one product for the whole batch.
    gemm(w.batch * M, w.outC, K, { data: x.values, off: 0, rs: K, cs: 1 }, W, y, 0, false);
    epilogue?.(0, w.batch * M);
    return;
  }
  const cols = ctx.floats(M * K);
  const colsView: MatView = { data: cols, off: 0, rs: K, cs: 1 };
  for (let n = 0; n < w.batch; n++) {
    im2col(w, x.values, n, cols);
    gemm(M, w.outC, K, colsView, W, y, n * M * w.outC, false);
    epilogue?.(n * M * w.outC, M);
  }
}

export const conv2dKernel: CpuKernel<'conv2d'> = (ins, out, a, ctx) => conv2dForward('conv2d', ins, out, a, ctx);

/** fusedConv2d: conv2d with act(y + bias) applied to each image's output rows after its GEMM (no extra buffer). */
export const fusedConv2dKernel: CpuKernel<'fusedConv2d'> = (ins, out, a, ctx) => {
  const y = out.values as FloatArray;
  const bias = ins[2].values;
  const N = out.shape[3];
  const code = cellActivationCodes[a.activation];
  conv2dForward('fusedConv2d', ins, out, a, ctx, (off, rows) => biasActInPlace(y, off, rows, N, bias, code));
};

export const conv2dBackpropInputKernel: CpuKernel<'conv2dBackpropInput'> = ([dy, filter], out, a, ctx) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, filter.shape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const dx = out.values as FloatArray;
  // Wᵀ(co, k) = W[k, co]: W stored [K, Cout] read with swapped strides.
  const Wt: MatView = { data: filter.values, off: 0, rs: 1, cs: w.outC };
  if (isPointwise(w)) {
    gemm(w.batch * M, K, w.outC, { data: dy.values, off: 0, rs: w.outC, cs: 1 }, Wt, dx, 0, false);
    return;
  }
  const dcols = ctx.floats(M * K);
  const dyView: MatView = { data: dy.values, off: 0, rs: w.outC, cs: 1 };
  for (let n = 0; n < w.batch; n++) {
    // dcols[M, K] = dy_n[M, Cout] · Wᵀ
    dyView.off = n * M * w.outC;
    gemm(M, K, w.outC, dyView, Wt, dcols, 0, false);
    col2imAdd(w, dcols, dx, n);
  }
};

export const conv2dBackpropFilterKernel: CpuKernel<'conv2dBackpropFilter'> = ([x, dy], out, a, ctx) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  const M = w.outH * w.outW;
  const K = w.fh * w.fw * w.inC;
  const dW = out.values as FloatArray;
  if (isPointwise(w)) {
    // dW[Cin, Cout] = xᵀ · dy over all N·H·W pixels at once.
    const xt: MatView = { data: x.values, off: 0, rs: 1, cs: K };
    gemm(K, w.outC, w.batch * M, xt, { data: dy.values, off: 0, rs: w.outC, cs: 1 }, dW, 0, false);
    return;
  }
  const cols = ctx.floats(M * K);
  // colsᵀ(k, m) = cols[m, k]
  const colsT: MatView = { data: cols, off: 0, rs: 1, cs: K };
  const dyView: MatView = { data: dy.values, off: 0, rs: w.outC, cs: 1 };
  for (let n = 0; n < w.batch; n++) {
    im2col(w, x.values, n, cols);
    // dW[K, Cout] += colsᵀ · dy_n
    dyView.off = n * M * w.outC;
    gemm(K, w.outC, M, colsT, dyView, dW, 0, n > 0);
  }
};

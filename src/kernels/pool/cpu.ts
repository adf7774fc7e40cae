/**
 * CPU max/avg pooling (NHWC) and their gradients. Windows skip padded taps:
 * max ignores them, avg divides by the number of in-bounds taps (TensorFlow's
 * rule). maxPoolGrad recomputes each window's first maximum from x.
 */
import { poolInfo } from '../conv/spec.js';
import type { WindowInfo } from '../conv/spec.js';
import type { CpuKernel } from '../cpu/cpu_tensor.js';

/** Calls `visit(outPixel, inPixel)` for every in-bounds tap of image n; pixels are offsets / C. */
function forEachPoolTap(w: WindowInfo, n: number, visit: (o: number, i: number, first: boolean) => void): void {
  for (let oh = 0; oh < w.outH; oh++) {
    for (let ow = 0; ow < w.outW; ow++) {
      const o = (n * w.outH + oh) * w.outW + ow;
      let first = true;
      // Only the taps inside the input: [ky0, ky1) × [kx0, kx1).
      const y0 = oh * w.sh - w.padTop;
      const x0 = ow * w.sw - w.padLeft;
      const ky1 = Math.min(w.fh, w.inH - y0);
      const kx1 = Math.min(w.fw, w.inW - x0);
      for (let ky = Math.max(0, -y0); ky < ky1; ky++) {
        const ih = y0 + ky;
        for (let kx = Math.max(0, -x0); kx < kx1; kx++) {
          const iw = x0 + kx;
          visit(o, (n * w.inH + ih) * w.inW + iw, first);
          first = false;
        }
      }
    }
  }
}

export const maxPoolKernel: CpuKernel<'maxPool'> = ([x], out, a) => {
  const w = poolInfo('maxPool', x.shape, a.filterSize, a.strides, a.pad);
  const C = w.inC;
  const xv = x.values;
  const ov = out.values;
  ov.fill(-Infinity);
  for (let n = 0; n < w.batch; n++) {
    forEachPoolTap(w, n, (o, i) => {
      for (let c = 0; c < C; c++) {
        const e = xv[i * C + c];
        if (e > ov[o * C + c] || e !== e) ov[o * C + c] = e;
      }
    });
  }
};

export const avgPoolKernel: CpuKernel<'avgPool'> = ([x], out, a) => {
  const w = poolInfo('avgPool', x.shape, a.filterSize, a.strides, a.pad);
  const C = w.inC;
  const xv = x.values;
  const ov = out.values;
  const count = new Int32Array(ov.length / C);
  for (let n = 0; n < w.batch; n++) {
    forEachPoolTap(w, n, (o, i) => {
      count[o]++;
      for (let c = 0; c < C; c++) ov[o * C + c] += xv[i * C + c];
    });
  }
  for (let o = 0; o < count.length; o++) for (let c = 0; c < C; c++) ov[o * C + c] /= count[o];
};

export const maxPoolGradKernel: CpuKernel<'maxPoolGrad'> = ([dy, x], out, a) => {
  const w = poolInfo('maxPoolGrad', x.shape, a.filterSize, a.strides, a.pad);
  const C = w.inC;
  const xv = x.values;
  const dv = dy.values;
  const dx = out.values;
  const best = new Float64Array(C);
  const where = new Int32Array(C);
  let cur = -1;
  const flush = (): void => {
    if (cur >= 0) for (let c = 0; c < C; c++) dx[where[c] * C + c] += dv[cur * C + c];
  };
  for (let n = 0; n < w.batch; n++) {
    forEachPoolTap(w, n, (o, i, first) => {
      if (first) {
        flush();
        cur = o;
        for (let c = 0; c < C; c++) {
          best[c] = xv[i * C + c];
          where[c] = i;
        }
        return;
      }
      for (let c = 0; c < C; c++) {
        const e = xv[i * C + c];
        if (e > best[c]) {
          best[c] = e;
          where[c] = i;
        }
      }
    });
  }
  flush();
};

export const avgPoolGradKernel: CpuKernel<'avgPoolGrad'> = ([dy], out, a) => {
  const w = poolInfo('avgPoolGrad', a.xShape, a.filterSize, a.strides, a.pad);
  const C = w.inC;
  const dv = dy.values;
  const dx = out.values;
  const count = new Int32Array(dv.length / C);
  for (let n = 0; n < w.batch; n++) forEachPoolTap(w, n, (o) => count[o]++);
  for (let n = 0; n < w.batch; n++) {
    forEachPoolTap(w, n, (o, i) => {
      for (let c = 0; c < C; c++) dx[i * C + c] += dv[o * C + c] / count[o];
    });
  }
};

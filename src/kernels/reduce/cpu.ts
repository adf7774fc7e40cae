/**
 * CPU reductions. The reduced axes are brought to the end (a transpose only
 * when they are not already trailing), then each output element reduces one
 * contiguous run in a float64 accumulator.
 */
import type { OpName } from '../op_names.js';
import type { TypedArray } from '../types.js';
import { sizeOf } from '../types.js';
import type { CpuContext, CpuKernel, CpuTensor } from '../cpu/cpu_tensor.js';
import { transposeValues } from '../movement/cpu.js';

/** x's values with `axes` moved to the end (no copy when they already are), and the run length. */
function trailing(x: CpuTensor, axes: readonly number[], ctx: CpuContext): { v: TypedArray; run: number } {
  const rank = x.shape.length;
  const sorted = [...axes].sort((a, b) => a - b);
  const run = sizeOf(sorted.map((a) => x.shape[a]));
  const isTrailing = sorted.every((a, i) => a === rank - sorted.length + i);
  if (isTrailing) return { v: x.values, run };
  const kept = [...Array(rank).keys()].filter((d) => !sorted.includes(d));
  const perm = [...kept, ...sorted];
  const v = x.dtype === 'float32' ? ctx.floats(x.values.length) : x.dtype === 'int32' ? new Int32Array(x.values.length) : new Uint8Array(x.values.length);
  transposeValues(x.values, x.shape, perm, v);
  return { v, run };
}

type Reducer = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';

function reduceKernel(op: Reducer): CpuKernel<Reducer> {
  return ([x], out, { axes }, ctx) => {
    const { v, run } = trailing(x, axes, ctx);
    const ov = out.values;
    for (let o = 0; o < ov.length; o++) {
      const off = o * run;
      let acc: number;
      switch (op) {
        case 'sum': {
          acc = 0;
          for (let j = 0; j < run; j++) acc += v[off + j];
          break;
        }
        case 'prod': {
          acc = 1;
          for (let j = 0; j < run; j++) acc *= v[off + j];
          break;
        }
        case 'max': {
          acc = -Infinity;
          for (let j = 0; j < run; j++) {
            const e = v[off + j];
            if (e > acc || e !== e) acc = e;
            if (acc !== acc) break;
          }
          break;
        }
        case 'min': {
          acc = Infinity;
          for (let j = 0; j < run; j++) {
            const e = v[off + j];
            if (e < acc || e !== e) acc = e;
            if (acc !== acc) break;
          }
          break;
        }
        case 'any': {
          acc = 0;
          for (let j = 0; j < run && !acc; j++) if (v[off + j]) acc = 1;
          break;
        }
        case 'all': {
          acc = 1;
          for (let j = 0; j < run && acc; j++) if (!v[off + j]) acc = 0;
          break;
        }
      }
      ov[o] = acc;
    }
  };
}

export const sumKernel = /* @__PURE__ */ reduceKernel('sum') as CpuKernel<'sum'>;
export const prodKernel = /* @__PURE__ */ reduceKernel('prod') as CpuKernel<'prod'>;
export const maxKernel = /* @__PURE__ */ reduceKernel('max') as CpuKernel<'max'>;
export const minKernel = /* @__PURE__ */ reduceKernel('min') as CpuKernel<'min'>;
export const anyKernel = /* @__PURE__ */ reduceKernel('any') as CpuKernel<'any'>;
export const allKernel = /* @__PURE__ */ reduceKernel('all') as CpuKernel<'all'>;

/** argMax/argMin over one axis; the first extreme wins ties, as in TensorFlow.js. */
function argKernel(op: 'argMax' | 'argMin'): CpuKernel<'argMax' | 'argMin'> {
  const isMax = op === 'argMax';
  return ([x], out, { axis }) => {
    const dim = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const outer = sizeOf(x.shape.slice(0, axis));
    const xv = x.values;
    const ov = out.values;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * dim * inner + i;
        let best = xv[base];
        let bi = 0;
        for (let j = 1; j < dim; j++) {
          const e = xv[base + j * inner];
          if (isMax ? e > best : e < best) {
            best = e;
            bi = j;
          }
        }
        ov[o * inner + i] = bi;
      }
    }
  };
}

export const argMaxKernel = /* @__PURE__ */ argKernel('argMax') as CpuKernel<'argMax'>;
export const argMinKernel = /* @__PURE__ */ argKernel('argMin') as CpuKernel<'argMin'>;

/** softmax / logSoftmax over the last axis, shifted by the row max for stability. */
function softmaxKernel(op: Extract<OpName, 'softmax' | 'logSoftmax'>): CpuKernel<'softmax' | 'logSoftmax'> {
  const log = op === 'logSoftmax';
  return ([x], out) => {
    const n = x.shape.length ? x.shape[x.shape.length - 1] : 1;
    const xv = x.values;
    const ov = out.values;
    for (let off = 0; off < ov.length; off += n) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) if (xv[off + j] > m) m = xv[off + j];
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(xv[off + j] - m);
      if (log) {
        const ls = Math.log(s);
        for (let j = 0; j < n; j++) ov[off + j] = xv[off + j] - m - ls;
      } else {
        for (let j = 0; j < n; j++) ov[off + j] = Math.exp(xv[off + j] - m) / s;
      }
    }
  };
}

export const softmaxCpu = /* @__PURE__ */ softmaxKernel('softmax') as CpuKernel<'softmax'>;
export const logSoftmaxCpu = /* @__PURE__ */ softmaxKernel('logSoftmax') as CpuKernel<'logSoftmax'>;

/**
 * Generic CPU elementwise kernels: one loop for every unary row, one for every
 * binary row (with fast paths for equal shapes and scalar operands), and
 * `where`/`cast`.
 */
import { broadcastStrides } from './spec.js';
import type { BinaryOp, UnaryOp } from './table.js';
import { binaryOps, unaryOps } from './table.js';
import { sizeOf } from '../types.js';
import type { CpuKernel, CpuTensor } from '../cpu/cpu_tensor.js';

/** Kernel for a unary table row. */
export function unaryKernel<K extends UnaryOp>(op: K): CpuKernel<K> {
  const f = unaryOps[op].cpu as (x: number, alpha: number, beta: number) => number;
  return ([x], out, attrs) => {
    const xv = x.values;
    const ov = out.values;
    const alpha = attrs.alpha ?? 0;
    const beta = attrs.beta ?? 0;
    for (let i = 0; i < ov.length; i++) ov[i] = f(xv[i], alpha, beta);
  };
}

/**
 * Calls `visit(outIndex, aIndex, bIndex)` for every output element of a
 * broadcast between `shapes`, walking the output in row-major order.
 */
export function forEachBroadcast(outShape: readonly number[], shapes: readonly (readonly number[])[], visit: (o: number, idx: Int32Array) => void): void {
  const rank = outShape.length;
  const n = sizeOf(outShape);
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  const idx = new Int32Array(shapes.length);
  const coord = new Int32Array(rank);
  for (let o = 0; o < n; o++) {
    visit(o, idx);
    // Odometer increment of the output coordinate; input offsets follow.
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      for (let k = 0; k < idx.length; k++) idx[k] += strides[k][d];
      if (coord[d] < outShape[d]) break;
      for (let k = 0; k < idx.length; k++) idx[k] -= strides[k][d] * coord[d];
      coord[d] = 0;
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when `s`, leading 1s dropped, equals the trailing dims of `out`. */
function isSuffix(s: readonly number[], out: readonly number[]): boolean {
  let i = 0;
  while (i < s.length && s[i] === 1) i++;
  const t = s.slice(i);
  return t.every((d, j) => d === out[out.length - t.length + j]);
}

/** Kernel for a binary table row, with NumPy broadcasting. */
export function binaryKernel<K extends BinaryOp>(op: K): CpuKernel<K> {
  const f = binaryOps[op].cpu as (a: number, b: number) => number;
  const intDiv = op === 'floorDiv';
  return ([a, b], out) => {
    const av = a.values;
    const bv = b.values;
    const ov = out.values;
    const n = ov.length;
    if (intDiv && out.dtype === 'int32') {
      forEachBroadcast(out.shape, [a.shape, b.shape], (o, idx) => {
        const d = bv[idx[1]];
        ov[o] = d === 0 ? 0 : Math.floor(av[idx[0]] / d);
      });
    } else if (sameShape(a.shape, b.shape)) {
      for (let i = 0; i < n; i++) ov[i] = f(av[i], bv[i]);
    } else if (bv.length === 1) {
      const s = bv[0];
      for (let i = 0; i < n; i++) ov[i] = f(av[i], s);
    } else if (av.length === 1) {
      const s = av[0];
      for (let i = 0; i < n; i++) ov[i] = f(s, bv[i]);
    } else if (sameShape(a.shape, out.shape) && isSuffix(b.shape, out.shape)) {
      // e.g. bias add [N, C] + [C]: b repeats every m elements.
      const m = bv.length;
      for (let i = 0; i < n; i++) ov[i] = f(av[i], bv[i % m]);
    } else if (sameShape(b.shape, out.shape) && isSuffix(a.shape, out.shape)) {
      const m = av.length;
      for (let i = 0; i < n; i++) ov[i] = f(av[i % m], bv[i]);
    } else {
      forEachBroadcast(out.shape, [a.shape, b.shape], (o, idx) => {
        ov[o] = f(av[idx[0]], bv[idx[1]]);
      });
    }
  };
}

/** where(condition, a, b): a where condition is true, else b; all three broadcast. */
export const whereKernel: CpuKernel<'where'> = ([c, a, b], out) => {
  const cv = c.values;
  const av = a.values;
  const bv = b.values;
  const ov = out.values;
  forEachBroadcast(out.shape, [c.shape, a.shape, b.shape], (o, idx) => {
    ov[o] = cv[idx[0]] ? av[idx[1]] : bv[idx[2]];
  });
};

/** cast: float → int truncates toward zero (as TensorFlow does); anything → bool is `!= 0`. */
export const castKernel: CpuKernel<'cast'> = ([x]: readonly CpuTensor[], out, attrs) => {
  const xv = x.values;
  const ov = out.values;
  if (attrs.dtype === 'bool') for (let i = 0; i < ov.length; i++) ov[i] = xv[i] !== 0 ? 1 : 0;
  else if (attrs.dtype === 'int32') for (let i = 0; i < ov.length; i++) ov[i] = Math.trunc(xv[i]);
  else ov.set(xv);
};

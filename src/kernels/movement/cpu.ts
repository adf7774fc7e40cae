/** CPU movement kernels: transpose, copy, concat, slice, pad, tile, gather, scatterAdd, oneHot. */
import { sizeOf, stridesOf } from '../types.js';
import type { TypedArray } from '../types.js';
import type { CpuKernel } from '../cpu/cpu_tensor.js';

/** Writes x (of `shape`) permuted by `perm` into `out`. */
export function transposeValues(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  if (rank === 2 && perm[0] === 1) {
    const [r, c] = shape;
    // Blocked so both the reads and the writes stay in cache.
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const i1 = Math.min(r, i0 + B);
        const j1 = Math.min(c, j0 + B);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = x[i * c + j];
      }
    }
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const st = perm.map((p) => inStrides[p]);
  const n = out.length;
  const coord = new Int32Array(rank);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = x[src];
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      src += st[d];
      if (coord[d] < outShape[d]) break;
      src -= st[d] * coord[d];
      coord[d] = 0;
    }
  }
}

export const transposeKernel: CpuKernel<'transpose'> = ([x], out, { perm }) => transposeValues(x.values, x.shape, perm, out.values);

/** reshape never needs a kernel on this backend (views share data); this copy serves callers that want one. */
export const copyKernel: CpuKernel<'reshape'> = ([x], out) => out.values.set(x.values);

export const concatKernel: CpuKernel<'concat'> = (xs, out, { axis }) => {
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const rowOut = out.shape[axis] * inner;
  let off = 0;
  for (const x of xs) {
    const row = x.shape[axis] * inner;
    const xv = x.values;
    for (let o = 0; o < outer; o++) out.values.set(xv.subarray(o * row, (o + 1) * row), o * rowOut + off);
    off += row;
  }
};

/**
 * Visits every row (last-dim run) of a box `size` starting at `begin` inside
 * an array of `shape`: `visit(srcOffset, dstOffset)` where dst walks the box.
 */
function forEachBoxRow(shape: readonly number[], begin: readonly number[], size: readonly number[], visit: (src: number, dst: number, len: number) => void): void {
  const rank = shape.length;
  if (rank === 0) {
    visit(0, 0, 1);
    return;
  }
  const st = stridesOf(shape);
  const len = size[rank - 1];
  const rows = sizeOf(size.slice(0, -1));
  const coord = new Int32Array(rank - 1);
  for (let r = 0; r < rows; r++) {
    let src = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) src += (begin[d] + coord[d]) * st[d];
    visit(src, r * len, len);
    for (let d = rank - 2; d >= 0; d--) {
      if (++coord[d] < size[d]) break;
      coord[d] = 0;
    }
  }
}

export const sliceKernel: CpuKernel<'slice'> = ([x], out, { begin, size }) => {
  const xv = x.values;
  const ov = out.values;
  if (sizeOf(size) === 0) return;
  forEachBoxRow(x.shape, begin, size, (src, dst, len) => ov.set(xv.subarray(src, src + len), dst));
};

export const padKernel: CpuKernel<'pad'> = ([x], out, { paddings, constantValue }) => {
  const ov = out.values;
  if (constantValue !== 0) ov.fill(constantValue);
  if (x.values.length === 0) return;
  const xv = x.values;
  forEachBoxRow(out.shape, paddings.map((p) => p[0]), x.shape, (dst, src, len) => ov.set(xv.subarray(src, src + len), dst));
};

export const tileKernel: CpuKernel<'tile'> = ([x], out) => {
  const rank = x.shape.length;
  const xs = stridesOf(x.shape);
  const ov = out.values;
  const xv = x.values;
  const coord = new Int32Array(rank);
  for (let o = 0; o < ov.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += (coord[d] % x.shape[d]) * xs[d];
    ov[o] = xv[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < out.shape[d]) break;
      coord[d] = 0;
    }
  }
};

/** gather(x, indices, axis): x viewed as [outer, dim, inner], out [outer, nIdx, inner]. */
export const gatherKernel: CpuKernel<'gather'> = ([x, indices], out, { axis }) => {
  const dim = x.shape[axis];
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const idx = indices.values;
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= dim) {
      throw new Error(`gather: index ${idx[i]} at position ${i} is out of range [0, ${dim}) for axis ${axis} of [${x.shape.join(',')}]`);
    }
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < idx.length; i++) {
      const src = (o * dim + idx[i]) * inner;
      ov.set(xv.subarray(src, src + inner), (o * idx.length + i) * inner);
    }
  }
};

/** scatterAdd(dy, indices, axis, dim): out[outer, indices[i], inner] += dy[outer, i, inner]. */
export const scatterAddKernel: CpuKernel<'scatterAdd'> = ([dy, indices], out, { axis, dim }) => {
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const idx = indices.values;
  const dv = dy.values;
  const ov = out.values;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= dim) throw new Error(`scatterAdd: index ${idx[i]} at position ${i} is out of range [0, ${dim})`);
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < idx.length; i++) {
      const dst = (o * dim + idx[i]) * inner;
      const src = (o * idx.length + i) * inner;
      for (let j = 0; j < inner; j++) ov[dst + j] += dv[src + j];
    }
  }
};

/** oneHot: indices outside [0, depth) give a row of offValue, as in TensorFlow. */
export const oneHotKernel: CpuKernel<'oneHot'> = ([indices], out, { depth, onValue, offValue }) => {
  const ov = out.values;
  if (offValue !== 0) ov.fill(offValue);
  const iv = indices.values;
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i];
    if (k >= 0 && k < depth) ov[i * depth + k] = onValue;
  }
};

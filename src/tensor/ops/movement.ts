/** Shape and movement ops: reshape, transpose, concat/stack/split, slice, pad, tile, gather, oneHot. */
import { broadcastShapes } from '../../kernels/elementwise/spec.js';
import { sizeOf } from '../../kernels/types.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertDType, castScalar, checkInt, checkIntList, checkNumber, checkShape, checkSize, describe, fmtShape, normAxis, shapesEqual, toTensor } from './util.js';

/**
 * The same values in a new shape (no copy). One dim may be -1 and is inferred.
 * @example sg.reshape(sg.tensor([1, 2, 3, 4]), [2, -1]) // shape [2, 2]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  return ENGINE.scopedOp('reshape', () => {
    const t = toTensor(x, 'x', 'reshape');
    const s = checkIntList('reshape', 'shape', shape, -1);
    const free = s.filter((d) => d === -1).length;
    if (free > 1) throw new Error(`reshape: invalid shape ${fmtShape(shape)}: at most one dim may be -1`);
    if (free === 1) {
      const known = sizeOf(s.filter((d) => d !== -1));
      if (known === 0 || t.size % known !== 0) throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)}`);
      s[s.indexOf(-1)] = t.size / known;
    }
    if (sizeOf(s) !== t.size) {
      throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)} (${sizeOf(s)} elements)`);
    }
    checkSize('reshape', 'shape', s);
    return ENGINE.dispatch('reshape', [t], { shape: s });
  });
}

/**
 * Permutes the dims (default: reversed).
 * @example sg.transpose(sg.ones([2, 3])).shape // [3, 2]
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return ENGINE.scopedOp('transpose', () => {
    const t = toTensor(x, 'x', 'transpose');
    const p = perm !== undefined && perm !== null ? checkIntList('transpose', 'perm', perm).map((a) => normAxis(a, t.rank, 'transpose')) : [...Array(t.rank).keys()].reverse();
    if (p.length !== t.rank || new Set(p).size !== p.length) {
      throw new Error(`transpose: perm ${describe(perm)} is not a permutation of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    }
    if (p.every((a, i) => a === i)) return ENGINE.dispatch('reshape', [t], { shape: t.shape });
    return ENGINE.dispatch('transpose', [t], { perm: p });
  });
}

/** Inserts a dim of size 1 at `axis`. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  return ENGINE.scopedOp('expandDims', () => {
    const t = toTensor(x, 'x', 'expandDims');
    const a = normAxis(axis, t.rank + 1, 'expandDims');
    const s = [...t.shape];
    s.splice(a, 0, 1);
    checkSize('expandDims', 'output', s);
    return ENGINE.dispatch('reshape', [t], { shape: s });
  });
}

/** Removes dims of size 1 (all, or those in `axis`). */
export function squeeze(x: TensorLike, axis?: readonly number[]): Tensor {
  return ENGINE.scopedOp('squeeze', () => {
    const t = toTensor(x, 'x', 'squeeze');
    const list = typeof axis === 'number' ? [axis] : axis;
    const axes = list !== undefined && list !== null ? checkIntList('squeeze', 'axis', list).map((a) => normAxis(a, t.rank, 'squeeze')) : null;
    if (axes) for (const a of axes) if (t.shape[a] !== 1) throw new Error(`squeeze: dim ${a} of ${fmtShape(t.shape)} is not 1`);
    const s = t.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
    return ENGINE.dispatch('reshape', [t], { shape: s });
  });
}

/**
 * Joins tensors along an existing axis.
 * @example sg.concat([sg.ones([2, 1]), sg.zeros([2, 2])], 1).shape // [2, 3]
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  return ENGINE.scopedOp('concat', () => {
    if (!Array.isArray(xs) || xs.length === 0) throw new Error(`concat: expected a non-empty list of tensors, got ${describe(xs)}`);
    const ts = xs.map((x, i) => toTensor(x, `xs[${i}]`, 'concat'));
    const r = ts[0].rank;
    if (r === 0) throw new Error('concat: cannot concatenate scalars; use stack');
    const a = normAxis(axis, r, 'concat');
    for (const t of ts) {
      if (t.rank !== r || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
        throw new Error(`concat: shapes ${ts.map((u) => fmtShape(u.shape)).join(', ')} differ outside axis ${a}`);
      }
      if (t.dtype !== ts[0].dtype) throw new Error(`concat: dtypes differ: ${ts.map((u) => u.dtype).join(', ')}`);
    }
    if (ts.length === 1) return ENGINE.dispatch('reshape', [ts[0]], { shape: ts[0].shape });
    const out = [...ts[0].shape];
    out[a] = ts.reduce((p, t) => p + t.shape[a], 0);
    checkSize('concat', 'output', out);
    return ENGINE.dispatch('concat', ts, { axis: a });
  });
}

/** Joins same-shaped tensors along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  return ENGINE.scopedOp('stack', () => {
    if (!Array.isArray(xs) || xs.length === 0) throw new Error(`stack: expected a non-empty list of tensors, got ${describe(xs)}`);
    const ts = xs.map((x, i) => toTensor(x, `xs[${i}]`, 'stack'));
    for (const t of ts) {
      if (!shapesEqual(t.shape, ts[0].shape)) throw new Error(`stack: shapes differ: ${ts.map((u) => fmtShape(u.shape)).join(', ')}`);
      if (t.dtype !== ts[0].dtype) throw new Error(`stack: dtypes differ: ${ts.map((u) => u.dtype).join(', ')}`);
    }
    const a = normAxis(axis, ts[0].rank + 1, 'stack');
    const s = [...ts[0].shape];
    s.splice(a, 0, 1);
    checkSize('stack', 'output', [...s.slice(0, a), ts.length, ...s.slice(a + 1)]);
    const parts = ts.map((t) => ENGINE.dispatch('reshape', [t], { shape: s }));
    if (parts.length === 1) return parts[0];
    return ENGINE.dispatch('concat', parts, { axis: a });
  });
}

/**
 * A box of x: `begin` per dim (a number means the first dim), `size` per dim
 * with -1 meaning "to the end".
 * @example sg.slice(sg.tensor([1, 2, 3, 4]), 1, 2) // [2, 3]
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  return ENGINE.scopedOp('slice', () => {
    const t = toTensor(x, 'x', 'slice');
    const b = typeof begin === 'number' ? [begin, ...new Array<number>(Math.max(0, t.rank - 1)).fill(0)] : checkIntList('slice', 'begin', begin);
    while (b.length < t.rank) b.push(0);
    let s: number[];
    if (size === undefined || size === null) s = t.shape.map((d, i) => d - b[i]);
    else {
      s = typeof size === 'number' ? [size, ...new Array<number>(Math.max(0, t.rank - 1)).fill(-1)] : checkIntList('slice', 'size', size);
      while (s.length < t.rank) s.push(-1);
      s = s.map((d, i) => (d === -1 ? t.shape[i] - b[i] : d));
    }
    if (b.length !== t.rank || s.length !== t.rank) throw new Error(`slice: begin/size have ${b.length}/${s.length} entries for rank ${t.rank} (shape ${fmtShape(t.shape)})`);
    for (let i = 0; i < t.rank; i++) {
      if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > t.shape[i]) {
        throw new Error(`slice: begin ${fmtShape(b)} size ${fmtShape(s)} is out of bounds for ${fmtShape(t.shape)}`);
      }
    }
    if (shapesEqual(s, t.shape)) return ENGINE.dispatch('reshape', [t], { shape: t.shape });
    return ENGINE.dispatch('slice', [t], { begin: b, size: s });
  });
}

/** Most tensors `split` may return when the dim is smaller (a guard against `split(x, 1e9)` on an empty dim). */
const MAX_PARTS = 65536;

/** Splits x along `axis` into `n` equal parts or parts of the given sizes. @example sg.split(sg.ones([4, 2]), 2) // two [2, 2] tensors */
export function split(x: TensorLike, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  return ENGINE.scopedOp('split', () => splitImpl('split', toTensor(x, 'x', 'split'), numOrSizes, axis));
}

function splitImpl(op: string, t: Tensor, numOrSizes: number | readonly number[], axis: number): Tensor[] {
  if (t.rank === 0) throw new Error(`${op}: input must have rank >= 1, got a scalar`);
  const a = normAxis(axis, t.rank, op);
  const dim = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes < 1 || dim % numOrSizes !== 0) throw new Error(`${op}: dim ${dim} of ${fmtShape(t.shape)} does not split into ${describe(numOrSizes)} equal parts`);
    if (numOrSizes > Math.max(dim, MAX_PARTS)) throw new Error(`${op}: ${numOrSizes} parts of dim ${dim} of ${fmtShape(t.shape)} is over the limit of ${MAX_PARTS} outputs`);
    sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
  } else {
    sizes = checkIntList(op, 'sizes', numOrSizes, -1);
    if (sizes.length === 0 || sizes.length > Math.max(dim, MAX_PARTS)) throw new Error(`${op}: sizes must list between 1 and ${Math.max(dim, MAX_PARTS)} parts, got ${sizes.length}`);
    const free = sizes.filter((n) => n === -1).length;
    // One size may be -1 (the rest of the dim), as in tfjs.
    if (free === 1) sizes[sizes.indexOf(-1)] = dim - sizes.reduce((p, c) => (c === -1 ? p : p + c), 0);
    if (free > 1 || sizes.some((n) => n < 0) || sizes.reduce((p, c) => p + c, 0) !== dim) {
      throw new Error(`${op}: sizes ${describe(numOrSizes)} do not add up to dim ${dim} of ${fmtShape(t.shape)}`);
    }
  }
  const out: Tensor[] = [];
  let off = 0;
  for (const n of sizes) {
    const b = new Array<number>(t.rank).fill(0);
    b[a] = off;
    const s = [...t.shape];
    s[a] = n;
    out.push(shapesEqual(s, t.shape) ? ENGINE.dispatch('reshape', [t], { shape: s }) : ENGINE.dispatch('slice', [t], { begin: b, size: s }));
    off += n;
  }
  return out;
}

/** Splits x along `axis` into tensors of one rank less. @example sg.unstack(sg.ones([3, 2])) // three [2] tensors */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  return ENGINE.scopedOp('unstack', () => {
    const t = toTensor(x, 'x', 'unstack');
    if (t.rank === 0) throw new Error('unstack: input must have rank >= 1, got a scalar');
    const a = normAxis(axis, t.rank, 'unstack');
    const s = t.shape.filter((_, i) => i !== a);
    return splitImpl('unstack', t, Math.max(t.shape[a], 1), a).slice(0, t.shape[a]).map((p) => ENGINE.dispatch('reshape', [p], { shape: s }));
  });
}

/** Pads each dim with [before, after] elements of `constantValue` (stored as x's dtype). @example sg.pad(sg.ones([2]), [[1, 1]]) // [0, 1, 1, 0] */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  return ENGINE.scopedOp('pad', () => {
    const t = toTensor(x, 'x', 'pad');
    const ok = Array.isArray(paddings) && paddings.length === t.rank && paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0));
    if (!ok) throw new Error(`pad: paddings ${describe(paddings)} must give [before, after] >= 0 for each of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    const v = typeof constantValue === 'boolean' ? Number(constantValue) : checkNumber('pad', 'constantValue', constantValue);
    const ps = paddings.map((p) => [p[0], p[1]] as const);
    checkSize('pad', 'output', t.shape.map((d, i) => d + ps[i][0] + ps[i][1]));
    return ENGINE.dispatch('pad', [t], { paddings: ps, constantValue: castScalar(v, t.dtype) });
  });
}

/** Repeats x `reps[i]` times along each dim. @example sg.tile(sg.tensor([1, 2]), [2]) // [1, 2, 1, 2] */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  return ENGINE.scopedOp('tile', () => {
    const t = toTensor(x, 'x', 'tile');
    const r = checkIntList('tile', 'reps', reps, 0);
    if (r.length !== t.rank) {
      throw new Error(`tile: reps ${describe(reps)} must give a non-negative integer for each of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    }
    checkSize('tile', 'output', t.shape.map((d, i) => d * r[i]));
    return ENGINE.dispatch('tile', [t], { reps: r });
  });
}

/** x broadcast to `shape` (NumPy rules). @example sg.broadcastTo(sg.tensor([1, 2]), [3, 2]) */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  return ENGINE.scopedOp('broadcastTo', () => {
    const t = toTensor(x, 'x', 'broadcastTo');
    const target = checkShape('broadcastTo', 'shape', shape);
    if (target.length < t.rank) throw new Error(`broadcastTo: ${fmtShape(t.shape)} cannot be broadcast to ${fmtShape(target)} (fewer dims)`);
    const out = broadcastShapes('broadcastTo', t.shape, target);
    if (!shapesEqual(out, target)) throw new Error(`broadcastTo: ${fmtShape(t.shape)} cannot be broadcast to ${fmtShape(target)}`);
    const padded = [...new Array<number>(target.length - t.rank).fill(1), ...t.shape];
    const r = ENGINE.dispatch('reshape', [t], { shape: padded });
    if (shapesEqual(padded, target)) return r;
    return ENGINE.dispatch('tile', [r], { reps: target.map((d, i) => (padded[i] === 1 ? d : 1)) });
  });
}

/**
 * Picks slices of x along `axis` at `indices` (int32). An index outside
 * [0, dim) is an error on every backend (on WebGPU it is found on the GPU and
 * thrown by the next read).
 * @example sg.gather(sg.tensor([10, 20, 30]), [2, 0]) // [30, 10]
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  return ENGINE.scopedOp('gather', () => {
    const t = toTensor(x, 'x', 'gather');
    const idx = toTensor(indices, 'indices', 'gather', 'int32');
    assertDType(idx, 'indices', 'gather', ['int32']);
    if (t.rank === 0) throw new Error('gather: x must have rank >= 1, got a scalar');
    const a = normAxis(axis, t.rank, 'gather');
    checkSize('gather', 'output', [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)]);
    return ENGINE.dispatch('gather', [t, idx], { axis: a });
  });
}

/** @internal Inverse of gather: sums `dy` slices into a zero tensor whose `axis` has length `dim`. */
export function scatterAdd(dy: Tensor, indices: Tensor, axis: number, dim: number): Tensor {
  return ENGINE.scopedOp('scatterAdd', () => {
    const d = toTensor(dy, 'dy', 'scatterAdd');
    const idx = toTensor(indices, 'indices', 'scatterAdd', 'int32');
    assertDType(idx, 'indices', 'scatterAdd', ['int32']);
    assertDType(d, 'dy', 'scatterAdd', ['float32', 'int32']);
    checkInt('scatterAdd', 'dim', dim, 0);
    const a = checkInt('scatterAdd', 'axis', axis, 0);
    if (a + idx.rank > d.rank || !shapesEqual(d.shape.slice(a, a + idx.rank), idx.shape)) {
      throw new Error(`scatterAdd: dy ${fmtShape(d.shape)} must have indices' shape ${fmtShape(idx.shape)} at axis ${a}`);
    }
    checkSize('scatterAdd', 'output', [...d.shape.slice(0, a), dim, ...d.shape.slice(a + idx.rank)]);
    return ENGINE.dispatch('scatterAdd', [d, idx], { axis: a, dim });
  });
}

/**
 * One-hot rows of length `depth` for int32 indices (int32 result). Indices
 * outside [0, depth) give a row of `offValue`, as in TensorFlow.js.
 * @example sg.oneHot(sg.tensor([0, 2], undefined, 'int32'), 3) // [[1,0,0],[0,0,1]]
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  return ENGINE.scopedOp('oneHot', () => {
    const idx = toTensor(indices, 'indices', 'oneHot', 'int32');
    assertDType(idx, 'indices', 'oneHot', ['int32']);
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${describe(depth)} (indices ${fmtShape(idx.shape)})`);
    const on = castScalar(checkNumber('oneHot', 'onValue', onValue), 'int32');
    const off = castScalar(checkNumber('oneHot', 'offValue', offValue), 'int32');
    checkSize('oneHot', 'output', [...idx.shape, depth]);
    return ENGINE.dispatch('oneHot', [idx], { depth, onValue: on, offValue: off });
  });
}

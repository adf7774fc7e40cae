/** Shape and movement ops: reshape, transpose, concat/stack/split, slice, pad, tile, gather, oneHot. */
import { broadcastShapes } from '../../kernels/elementwise/spec.js';
import { sizeOf } from '../../kernels/types.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertDType, assertShape, fmtShape, normAxis, shapesEqual, toTensor } from './util.js';

/**
 * The same values in a new shape (no copy). One dim may be -1 and is inferred.
 * @example sg.reshape(sg.tensor([1, 2, 3, 4]), [2, -1]) // shape [2, 2]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'reshape');
    const s = [...shape];
    const free = s.filter((d) => d === -1).length;
    if (free > 1 || s.some((d) => !Number.isInteger(d) || d < -1)) throw new Error(`reshape: invalid shape ${fmtShape(shape)}`);
    if (free === 1) {
      const known = sizeOf(s.filter((d) => d !== -1));
      if (known === 0 || t.size % known !== 0) throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)}`);
      s[s.indexOf(-1)] = t.size / known;
    }
    if (sizeOf(s) !== t.size) {
      throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)} (${sizeOf(s)} elements)`);
    }
    return ENGINE.dispatch('reshape', [t], { shape: s });
  });
}

/**
 * Permutes the dims (default: reversed).
 * @example sg.transpose(sg.ones([2, 3])).shape // [3, 2]
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'transpose');
    const p = perm ? perm.map((a) => normAxis(a, t.rank, 'transpose')) : [...Array(t.rank).keys()].reverse();
    if (p.length !== t.rank || new Set(p).size !== p.length) {
      throw new Error(`transpose: perm ${JSON.stringify(perm)} is not a permutation of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    }
    if (p.every((a, i) => a === i)) return ENGINE.dispatch('reshape', [t], { shape: t.shape });
    return ENGINE.dispatch('transpose', [t], { perm: p });
  });
}

/** Inserts a dim of size 1 at `axis`. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'expandDims');
    const a = normAxis(axis, t.rank + 1, 'expandDims');
    const s = [...t.shape];
    s.splice(a, 0, 1);
    return ENGINE.dispatch('reshape', [t], { shape: s });
  });
}

/** Removes dims of size 1 (all, or those in `axis`). */
export function squeeze(x: TensorLike, axis?: readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'squeeze');
    const axes = axis ? axis.map((a) => normAxis(a, t.rank, 'squeeze')) : null;
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
  return ENGINE.scopedOp(() => {
    if (!Array.isArray(xs) || xs.length === 0) throw new Error('concat: expected a non-empty list of tensors');
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
    return ENGINE.dispatch('concat', ts, { axis: a });
  });
}

/** Joins same-shaped tensors along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  return ENGINE.scopedOp(() => {
    if (!Array.isArray(xs) || xs.length === 0) throw new Error('stack: expected a non-empty list of tensors');
    const ts = xs.map((x, i) => toTensor(x, `xs[${i}]`, 'stack'));
    for (const t of ts) {
      if (!shapesEqual(t.shape, ts[0].shape)) throw new Error(`stack: shapes differ: ${ts.map((u) => fmtShape(u.shape)).join(', ')}`);
    }
    const a = normAxis(axis, ts[0].rank + 1, 'stack');
    return concat(ts.map((t) => expandDims(t, a)), a);
  });
}

/**
 * A box of x: `begin` per dim (a number means the first dim), `size` per dim
 * with -1 meaning "to the end".
 * @example sg.slice(sg.tensor([1, 2, 3, 4]), 1, 2) // [2, 3]
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'slice');
    const b = typeof begin === 'number' ? [begin, ...new Array<number>(Math.max(0, t.rank - 1)).fill(0)] : [...begin];
    while (b.length < t.rank) b.push(0);
    let s: number[];
    if (size === undefined) s = t.shape.map((d, i) => d - b[i]);
    else {
      s = typeof size === 'number' ? [size, ...new Array<number>(Math.max(0, t.rank - 1)).fill(-1)] : [...size];
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

/** Like ENGINE.scopedOp for ops that return several tensors: on an error nothing they made survives. */
function scopedList(fn: () => Tensor[]): Tensor[] {
  ENGINE.startScope();
  let result: Tensor[];
  try {
    result = fn();
  } catch (e) {
    ENGINE.endScope(null);
    throw e;
  }
  ENGINE.endScope(result, !ENGINE.recording);
  return result;
}

/** Splits x along `axis` into `n` equal parts or parts of the given sizes. */
export function split(x: TensorLike, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  return scopedList(() => splitImpl(x, numOrSizes, axis));
}

function splitImpl(x: TensorLike, numOrSizes: number | readonly number[], axis: number): Tensor[] {
  const t = toTensor(x, 'x', 'split');
  const a = normAxis(axis, t.rank, 'split');
  const dim = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes < 1 || dim % numOrSizes !== 0) throw new Error(`split: dim ${dim} of ${fmtShape(t.shape)} does not split into ${numOrSizes} equal parts`);
    sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
  } else {
    sizes = [...numOrSizes];
    const free = sizes.filter((n) => n === -1).length;
    // One size may be -1 (the rest of the dim), as in tfjs.
    if (free === 1) sizes[sizes.indexOf(-1)] = dim - sizes.reduce((p, c) => (c === -1 ? p : p + c), 0);
    if (free > 1 || sizes.some((n) => !Number.isInteger(n) || n < 0) || sizes.reduce((p, c) => p + c, 0) !== dim) {
      throw new Error(`split: sizes ${fmtShape(numOrSizes)} do not add up to dim ${dim} of ${fmtShape(t.shape)}`);
    }
  }
  const out: Tensor[] = [];
  let off = 0;
  for (const n of sizes) {
    const b = new Array<number>(t.rank).fill(0);
    b[a] = off;
    const s = [...t.shape];
    s[a] = n;
    out.push(slice(t, b, s));
    off += n;
  }
  return out;
}

/** Splits x along `axis` into tensors of one rank less. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  return scopedList(() => {
    const t = toTensor(x, 'x', 'unstack');
    const a = normAxis(axis, t.rank, 'unstack');
    return splitImpl(t, t.shape[a], a).map((p) => squeeze(p, [a]));
  });
}

/** Pads each dim with [before, after] elements of `constantValue`. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'pad');
    if (paddings.length !== t.rank || paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
      throw new Error(`pad: paddings ${JSON.stringify(paddings)} must give [before, after] >= 0 for each of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    }
    return ENGINE.dispatch('pad', [t], { paddings: paddings.map((p) => [p[0], p[1]] as const), constantValue });
  });
}

/** Repeats x `reps[i]` times along each dim. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'tile');
    if (reps.length !== t.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new Error(`tile: reps ${JSON.stringify(reps)} must give a non-negative integer for each of the ${t.rank} dims of ${fmtShape(t.shape)}`);
    }
    return ENGINE.dispatch('tile', [t], { reps });
  });
}

/** x broadcast to `shape` (NumPy rules). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'broadcastTo');
    assertShape(shape, 'broadcastTo');
    const out = broadcastShapes('broadcastTo', t.shape, shape);
    if (!shapesEqual(out, shape)) throw new Error(`broadcastTo: ${fmtShape(t.shape)} cannot be broadcast to ${fmtShape(shape)}`);
    const padded = [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape];
    const r = ENGINE.dispatch('reshape', [t], { shape: padded });
    if (shapesEqual(padded, shape)) return r;
    return ENGINE.dispatch('tile', [r], { reps: shape.map((d, i) => (padded[i] === 1 ? d : 1)) });
  });
}

/**
 * Picks slices of x along `axis` at `indices` (int32).
 * @example sg.gather(sg.tensor([10, 20, 30]), [2, 0]) // [30, 10]
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  return ENGINE.scopedOp(() => {
    const t = toTensor(x, 'x', 'gather');
    const idx = toTensor(indices, 'indices', 'gather', 'int32');
    assertDType(idx, 'indices', 'gather', ['int32']);
    const a = normAxis(axis, t.rank, 'gather');
    return ENGINE.dispatch('gather', [t, idx], { axis: a });
  });
}

/** @internal Inverse of gather: sums `dy` slices into a zero tensor whose `axis` has length `dim`. */
export function scatterAdd(dy: Tensor, indices: Tensor, axis: number, dim: number): Tensor {
  return ENGINE.scopedOp(() => ENGINE.dispatch('scatterAdd', [dy, indices], { axis, dim }));
}

/**
 * One-hot rows of length `depth` for int32 indices (int32 result).
 * @example sg.oneHot(sg.tensor([0, 2], undefined, 'int32'), 3) // [[1,0,0],[0,0,1]]
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  return ENGINE.scopedOp(() => {
    const idx = toTensor(indices, 'indices', 'oneHot', 'int32');
    assertDType(idx, 'indices', 'oneHot', ['int32']);
    if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth} (indices ${fmtShape(idx.shape)})`);
    return ENGINE.dispatch('oneHot', [idx], { depth, onValue, offValue });
  });
}

/**
 * The non-elementwise simple kernels: cast, where, movement (transpose, slice,
 * concat, pad, tile, gather, scatterAdd, oneHot), reductions, arg reductions
 * and softmax. Shapes and strides travel in `params`; rank <= 8.
 */
import type { OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf, stridesOf } from '../types.js';
import { source as argSrc } from './arg_reduce.wgsl.js';
import type { WebGpuBackend } from './backend.js';
import { source as castSrc } from './cast.wgsl.js';
import { source as concatSrc } from './concat.wgsl.js';
import { source as copySrc } from './copy.wgsl.js';
import { broadcastStrides, instantiate } from './elementwise.js';
import { source as gatherSrc } from './gather.wgsl.js';
import { source as indexCheckSrc } from './index_check.wgsl.js';
import type { GpuKernel, GpuKernelOf } from './kernel.js';
import { groups } from './kernel.js';
import { source as oneHotSrc } from './one_hot.wgsl.js';
import type { ShaderDef } from './program.js';
import { source as reduceSrc } from './reduce.wgsl.js';
import { source as scatterSrc } from './scatter_add.wgsl.js';
import { source as softmaxSrc } from './softmax.wgsl.js';
import { source as whereSrc } from './where.wgsl.js';

const typed = (name: string, src: string, t: 'f32' | 'i32'): ShaderDef => ({ name: `${name}_${t}`, source: instantiate(src, 'alias T = f32;', {}, `alias T = ${t};`) });

export const simpleShaders: Record<string, ShaderDef> = {
  cast: { name: 'cast', source: castSrc },
  copy: { name: 'copy', source: copySrc },
  concat: { name: 'concat', source: concatSrc },
  where: { name: 'where', source: whereSrc },
  gather: { name: 'gather', source: gatherSrc },
  index_check: { name: 'index_check', source: indexCheckSrc },
  one_hot: { name: 'one_hot', source: oneHotSrc },
  softmax: { name: 'softmax', source: softmaxSrc },
  scatter_add_f32: typed('scatter_add', scatterSrc, 'f32'),
  scatter_add_i32: typed('scatter_add', scatterSrc, 'i32'),
  reduce_f32: typed('reduce', reduceSrc, 'f32'),
  reduce_i32: typed('reduce', reduceSrc, 'i32'),
  arg_reduce_f32: typed('arg_reduce', argSrc, 'f32'),
  arg_reduce_i32: typed('arg_reduce', argSrc, 'i32'),
};

const tsuf = (d: DType): 'f32' | 'i32' => (d === 'float32' ? 'f32' : 'i32');

/** Raw 32-bit pattern of `v` stored as `dtype`. */
function bits(v: number, dtype: DType): number {
  if (dtype === 'float32') return new Uint32Array(new Float32Array([v]).buffer)[0];
  if (dtype === 'bool') return v ? 1 : 0;
  return (v | 0) >>> 0;
}

function rank8(op: string, shape: readonly number[]): void {
  if (shape.length > 8) throw new Error(`webgpu: ${op} supports rank <= 8, got rank ${shape.length}`);
}

function one(rt: WebGpuBackend, shader: ShaderDef, inputs: TensorInfo[], shape: readonly number[], dtype: DType, params: Record<string, number | readonly number[]>, wgs: number): DataId {
  return rt.launch({ shader, inputs, outputs: [{ shape, dtype }], params, workgroups: [wgs] })[0];
}

/** Strided copy (transpose/slice/pad/tile). */
function copy(rt: WebGpuBackend, x: TensorInfo, outShape: readonly number[], dtype: DType, inShape: readonly number[], inStrides: readonly number[], begin: readonly number[], tile: boolean, padBits = 0): DataId {
  rank8(rt.name, outShape);
  const size = sizeOf(outShape);
  return one(rt, simpleShaders.copy, [x], outShape, dtype, { size, rank: outShape.length, tile: tile ? 1 : 0, pad_bits: padBits, out_shape: outShape, in_shape: inShape, in_strides: inStrides, begin }, groups(size));
}

/** [outer, dim, inner] split of `shape` around `axis`. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

const cast: GpuKernel<'cast'> = (rt, [x], attrs, outShape, outDtype) => {
  const from = x.dtype;
  const to = outDtype;
  let mode = 0;
  if (to === 'bool') mode = from === 'float32' ? 3 : 4;
  else if (to === 'int32' && from === 'float32') mode = 1;
  else if (to === 'float32' && from !== 'float32') mode = 2;
  const size = sizeOf(outShape);
  return one(rt, simpleShaders.cast, [x], outShape, outDtype, { size, mode }, groups(size));
};

const where: GpuKernel<'where'> = (rt, [c, a, b], _attrs, outShape, outDtype) => {
  rank8('where', outShape);
  const size = sizeOf(outShape);
  return one(rt, simpleShaders.where, [c, a, b], outShape, outDtype, {
    size,
    rank: outShape.length,
    out_shape: outShape,
    c_strides: broadcastStrides(c.shape, outShape),
    a_strides: broadcastStrides(a.shape, outShape),
    b_strides: broadcastStrides(b.shape, outShape),
  }, groups(size));
};

const transpose: GpuKernel<'transpose'> = (rt, [x], { perm }, outShape, outDtype) => {
  const st = stridesOf(x.shape);
  return copy(rt, x, outShape, outDtype, perm.map((p) => x.shape[p]), perm.map((p) => st[p]), perm.map(() => 0), false);
};

const slice: GpuKernel<'slice'> = (rt, [x], { begin }, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), begin, false);

const pad: GpuKernel<'pad'> = (rt, [x], { paddings, constantValue }, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), paddings.map((p) => -p[0]), false, bits(constantValue, outDtype));

const tile: GpuKernel<'tile'> = (rt, [x], _attrs, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), x.shape.map(() => 0), true);

const concat: GpuKernel<'concat'> = (rt, xs, { axis }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + outShape.length : axis;
  const outInner = sizeOf(outShape.slice(ax));
  const [out] = rt.launch({ shader: simpleShaders.concat, inputs: [xs[0]], outputs: [{ shape: outShape, dtype: outDtype }], params: { size: sizeOf(xs[0].shape), inner: Math.max(1, sizeOf(xs[0].shape.slice(ax))), out_inner: Math.max(1, outInner), offset: 0 }, workgroups: [groups(sizeOf(xs[0].shape))] });
  const info: TensorInfo = { dataId: out, shape: outShape, dtype: outDtype };
  let offset = sizeOf(xs[0].shape.slice(ax));
  for (let k = 1; k < xs.length; k++) {
    const x = xs[k];
    const inner = sizeOf(x.shape.slice(ax));
    const size = sizeOf(x.shape);
    if (size > 0) rt.launch({ shader: simpleShaders.concat, inputs: [x], outputs: [{ info }], params: { size, inner, out_inner: outInner, offset }, workgroups: [groups(size)] });
    offset += inner;
  }
  return out;
};

const gather: GpuKernel<'gather'> = (rt, [x, indices], { axis }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const [, dim, inner] = split(x.shape, ax);
  const size = sizeOf(outShape);
  // Same message as the CPU kernel; thrown by the next read.
  rt.checkIndices(indices, dim, (v, i) => `gather: index ${v} at position ${i} is out of range [0, ${dim}) for axis ${ax} of [${x.shape.join(',')}]`);
  return one(rt, simpleShaders.gather, [x, indices], outShape, outDtype, { size, dim, n: sizeOf(indices.shape), inner }, groups(size));
};

const scatterAdd: GpuKernel<'scatterAdd'> = (rt, [dy, indices], { axis, dim }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + outShape.length : axis;
  const inner = sizeOf(outShape.slice(ax + 1));
  const size = sizeOf(outShape);
  rt.checkIndices(indices, dim, (v, i) => `scatterAdd: index ${v} at position ${i} is out of range [0, ${dim})`);
  const shader = simpleShaders[`scatter_add_${tsuf(outDtype)}`];
  return one(rt, shader, [dy, indices], outShape, outDtype, { size, dim, n: sizeOf(indices.shape), inner }, groups(size));
};

const oneHot: GpuKernel<'oneHot'> = (rt, [indices], { depth, onValue, offValue }, outShape, outDtype) => {
  const size = sizeOf(outShape);
  return one(rt, simpleShaders.one_hot, [indices], outShape, outDtype, { size, depth: Math.max(1, depth), on_bits: bits(onValue, outDtype), off_bits: bits(offValue, outDtype) }, groups(size));
};

/** Elements per workgroup in the first pass of a long reduction. */
const REDUCE_CHUNK = 4096;

type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';
function reduceKernel<K extends ReduceOp>(code: number): GpuKernel<K> {
  return (rt, [x], attrs, outShape, outDtype) => {
    const { axes } = attrs as { axes: readonly number[] };
    rank8('reduce', x.shape);
    const r = x.shape.length;
    const ax = new Set(axes.map((a) => (a < 0 ? a + r : a)));
    const st = stridesOf(x.shape);
    const kept = [...Array(r).keys()].filter((d) => !ax.has(d));
    const red = [...Array(r).keys()].filter((d) => ax.has(d));
    const size = sizeOf(outShape);
    const shader = simpleShaders[`reduce_${tsuf(x.dtype === 'float32' ? 'float32' : 'int32')}`];
    const redSize = sizeOf(red.map((d) => x.shape[d]));
    if (redSize === 0) {
      // Reducing nothing gives the identity, as on the CPU: 0, 1, -Inf, +Inf, false, true (int32 stores ±Inf as 0).
      const id = [0, 1, -Infinity, Infinity, 0, 1][code];
      const C = outDtype === 'float32' ? Float32Array : outDtype === 'int32' ? Int32Array : Uint8Array;
      return rt.write(new C(size).fill(id), outDtype);
    }
    // Two passes when few outputs reduce many elements each (keeps the GPU busy).
    const chunks = redSize >= 2 * REDUCE_CHUNK && size < 1024 ? Math.min(1024, Math.ceil(redSize / REDUCE_CHUNK)) : 1;
    const chunkLen = Math.ceil(redSize / chunks);
    const p1 = {
      size,
      red_size: redSize,
      kept_rank: kept.length,
      red_rank: red.length,
      op: code,
      chunks,
      chunk_len: Math.max(chunkLen, 1),
      kept_shape: kept.map((d) => x.shape[d]),
      kept_strides: kept.map((d) => st[d]),
      red_shape: red.map((d) => x.shape[d]),
      red_strides: red.map((d) => st[d]),
    };
    if (chunks === 1) return one(rt, shader, [x], outShape, outDtype, p1, size);
    const partial = one(rt, shader, [x], [size, chunks], outDtype, p1, size * chunks);
    const pInfo: TensorInfo = { dataId: partial, shape: [size, chunks], dtype: outDtype };
    try {
      return one(rt, shader, [pInfo], outShape, outDtype, {
        size, red_size: chunks, kept_rank: 1, red_rank: 1, op: code, chunks: 1, chunk_len: chunks,
        kept_shape: [size], kept_strides: [chunks], red_shape: [chunks], red_strides: [1],
      }, size);
    } finally {
      rt.release(partial);
    }
  };
}

function argKernel<K extends 'argMax' | 'argMin'>(mode: number): GpuKernel<K> {
  return (rt, [x], attrs, outShape, outDtype) => {
    const { axis } = attrs as { axis: number };
    const ax = axis < 0 ? axis + x.shape.length : axis;
    const [, n, inner] = split(x.shape, ax);
    const size = sizeOf(outShape);
    return one(rt, simpleShaders[`arg_reduce_${tsuf(x.dtype)}`], [x], outShape, outDtype, { size, n, inner, mode }, groups(size));
  };
}

function softmaxKernel<K extends 'softmax' | 'logSoftmax'>(mode: number): GpuKernel<K> {
  return (rt, [x], _attrs, outShape, outDtype) => {
    const n = x.shape.length ? x.shape[x.shape.length - 1] : 1;
    const rows = n > 0 ? sizeOf(x.shape) / n : 0;
    return one(rt, simpleShaders.softmax, [x], outShape, outDtype, { rows, n, mode }, rows);
  };
}

export const simpleKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  cast,
  where,
  transpose,
  slice,
  pad,
  tile,
  concat,
  gather,
  scatterAdd,
  oneHot,
  sum: reduceKernel(0),
  prod: reduceKernel(1),
  max: reduceKernel(2),
  min: reduceKernel(3),
  any: reduceKernel(4),
  all: reduceKernel(5),
  argMax: argKernel(0),
  argMin: argKernel(1),
  softmax: softmaxKernel(0),
  logSoftmax: softmaxKernel(1),
};

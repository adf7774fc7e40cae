/**
 * Reductions on WebGPU: sum/prod/max/min/any/all (reduce_lanes when the
 * reduced axes are one run of adjacent dims, else the workgroup tree of
 * reduce.wgsl; one pass, or two when few outputs reduce many elements each),
 * argMax/argMin and softmax/logSoftmax (one workgroup per row, or one thread
 * per row for rows of up to 64). Shapes and strides travel in `params`; rank <= 8.
 */
import type { OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf, stridesOf } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';
import { checkRank8, groups, launchOne, splitAxis, wgslScalar } from '../webgpu/kernel.js';
import type { ShaderDef } from '../webgpu/program.js';
import { composeShader } from '../webgpu/program.js';
import { main as argMain } from './arg_reduce.wgsl.js';
import { perElement } from '../webgpu/element.wgsl.js';
import * as lanesParts from './reduce_lanes.wgsl.js';
import { main as reduceMain } from './reduce.wgsl.js';
import { source as softmaxSrc } from './softmax.wgsl.js';

/** reduce_lanes for element type `t`, composed by concatenation: `alias T`, the column aliases (one column per thread, or four in the _vec4 variant), main. */
const lanesShader = (t: 'f32' | 'i32', vec4: boolean): ShaderDef =>
  composeShader(`reduce_lanes_${t}${vec4 ? '_vec4' : ''}`, [`alias T = ${t};`, vec4 ? lanesParts.lanes4 : lanesParts.lanes1, lanesParts.main]);

/** Every reduction shader, by name (tests reflect and compile them all). */
export const reduceShaders: Record<string, ShaderDef> = {
  softmax: { name: 'softmax', source: softmaxSrc },
  reduce_f32: composeShader('reduce_f32', ['alias T = f32;', reduceMain]),
  reduce_i32: composeShader('reduce_i32', ['alias T = i32;', reduceMain]),
  reduce_lanes_f32: lanesShader('f32', false),
  reduce_lanes_i32: lanesShader('i32', false),
  reduce_lanes_f32_vec4: lanesShader('f32', true),
  reduce_lanes_i32_vec4: lanesShader('i32', true),
  arg_reduce_f32: composeShader('arg_reduce_f32', ['alias T = f32;', argMain, perElement]),
  arg_reduce_i32: composeShader('arg_reduce_i32', ['alias T = i32;', argMain, perElement]),
};

/** Elements per workgroup in the first pass of a long reduction. */
const REDUCE_CHUNK = 4096;

/**
 * x viewed as [A, R, B] with the reduced axes as one middle run (size-1 dims
 * ignored), or null when reduced axes are separated by a kept one.
 */
function middleRun(shape: readonly number[], reduced: Set<number>): [number, number, number] | null {
  let [a, r, b] = [1, 1, 1];
  let phase = 0; // 0 before the reduced run, 1 inside it, 2 after it
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (reduced.has(d)) {
      if (phase === 2) return null;
      phase = 1;
      r *= shape[d];
    } else if (phase === 0) a *= shape[d];
    else {
      phase = 2;
      b *= shape[d];
    }
  }
  return [a, r, b];
}

/**
 * x viewed as [A, R, B] reduced over R by reduce_lanes (four columns per
 * thread when B is a multiple of 4): one pass, or, when few threads would each
 * loop over many elements, a pass into [A, chunks, B] partials (a few thousand
 * threads of >= 64 elements) and a second pass over the chunks.
 */
function reduceLanes(rt: WebGpuBackend, x: TensorInfo, [a, r, b]: [number, number, number], code: number, outShape: readonly number[], outDtype: DType): DataId {
  const lanes = b % 4 === 0 ? 4 : 1;
  const shader = reduceShaders[`reduce_lanes_${wgslScalar(x.dtype === 'float32' ? 'float32' : 'int32')}${lanes === 4 ? '_vec4' : ''}`];
  const size = (a * b) / lanes;
  const want = r > 256 ? Math.min(Math.ceil(r / 64), Math.ceil(4096 / size)) : 1;
  const chunkLen = Math.ceil(r / Math.max(1, want));
  const chunks = Math.ceil(r / chunkLen);
  const params = (redSize: number, n: number, len: number) => ({ size, red_size: redSize, inner: b / lanes, chunks: n, chunk_len: len, op: code });
  if (chunks === 1) return launchOne(rt, shader, [x], outShape, outDtype, params(r, 1, r), groups(size));
  const partial = launchOne(rt, shader, [x], [a, chunks, b], outDtype, params(r, chunks, chunkLen), groups(size * chunks));
  try {
    return launchOne(rt, shader, [{ dataId: partial, shape: [a, chunks, b], dtype: outDtype }], outShape, outDtype, params(chunks, 1, chunks), groups(size));
  } finally {
    rt.release(partial);
  }
}

type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';
function reduceKernel<K extends ReduceOp>(code: number): GpuKernel<K> {
  return (rt, [x], attrs, outShape, outDtype) => {
    const { axes } = attrs as { axes: readonly number[] };
    checkRank8('reduce', x.shape);
    const r = x.shape.length;
    const ax = new Set(axes.map((a) => (a < 0 ? a + r : a)));
    const st = stridesOf(x.shape);
    const kept = [...Array(r).keys()].filter((d) => !ax.has(d));
    const red = [...Array(r).keys()].filter((d) => ax.has(d));
    const size = sizeOf(outShape);
    const shader = reduceShaders[`reduce_${wgslScalar(x.dtype === 'float32' ? 'float32' : 'int32')}`];
    const redSize = sizeOf(red.map((d) => x.shape[d]));
    if (redSize === 0) {
      // Reducing nothing gives the identity, as on the CPU: 0, 1, -Inf, +Inf, false, true (int32 stores ±Inf as 0).
      const id = [0, 1, -Infinity, Infinity, 0, 1][code];
      const C = outDtype === 'float32' ? Float32Array : outDtype === 'int32' ? Int32Array : Uint8Array;
      return rt.write(new C(size).fill(id), outDtype);
    }
    // Reduced axes in one run: reduce_lanes, except for long rows on a hardware GPU (its 64-thread tree reads them coalesced).
    const run = middleRun(x.shape, ax);
    if (run && (rt.isSoftware || run[2] > 1 || run[1] <= 256)) return reduceLanes(rt, x, run, code, outShape, outDtype);
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
    if (chunks === 1) return launchOne(rt, shader, [x], outShape, outDtype, p1, size);
    const partial = launchOne(rt, shader, [x], [size, chunks], outDtype, p1, size * chunks);
    const pInfo: TensorInfo = { dataId: partial, shape: [size, chunks], dtype: outDtype };
    try {
      return launchOne(rt, shader, [pInfo], outShape, outDtype, {
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
    const [, n, inner] = splitAxis(x.shape, ax);
    const size = sizeOf(outShape);
    return launchOne(rt, reduceShaders[`arg_reduce_${wgslScalar(x.dtype)}`], [x], outShape, outDtype, { size, n, inner, mode }, groups(size));
  };
}

function softmaxKernel<K extends 'softmax' | 'logSoftmax'>(mode: number): GpuKernel<K> {
  return (rt, [x], _attrs, outShape, outDtype) => {
    const n = x.shape.length ? x.shape[x.shape.length - 1] : 1;
    const rows = n > 0 ? sizeOf(x.shape) / n : 0;
    // Rows of up to 64 elements: one thread per row (a 64-thread workgroup would leave most threads idle and pay its barriers).
    const perThread = n <= 64 ? 1 : 0;
    return launchOne(rt, reduceShaders.softmax, [x], outShape, outDtype, { rows, n, mode, row_per_thread: perThread }, perThread ? groups(rows) : rows);
  };
}

/** The WebGPU reduction kernels. */
export const reduceKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
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

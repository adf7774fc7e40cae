/**
 * Movement kernels on WebGPU: the strided copy (transpose, slice, pad, tile),
 * concat, gather, scatterAdd and oneHot. Shapes and strides travel in
 * `params`; rank <= 8. gather and scatterAdd check their indices on the GPU
 * (`index_checks.ts`).
 */
import type { OpName } from '../op_names.js';
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeOf, stridesOf } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';
import { bitsOf, checkRank8, groups, launchOne, splitAxis, wgslScalar } from '../webgpu/kernel.js';
import type { ShaderDef } from '../webgpu/program.js';
import { composeShader } from '../webgpu/program.js';
import { outCoords, perElement } from '../webgpu/element.wgsl.js';
import { axisParams } from './axis.wgsl.js';
import { main as concatMain } from './concat.wgsl.js';
import { main as copyMain } from './copy.wgsl.js';
import { main as gatherMain } from './gather.wgsl.js';
import { source as indexCheckSrc } from './index_check.wgsl.js';
import { main as oneHotMain } from './one_hot.wgsl.js';
import { main as scatterMain } from './scatter_add.wgsl.js';

/** Every movement shader, by name (tests reflect and compile them all): each file's bindings and `element(i)`, then the shared one-thread-per-element main (and, for the strided copy, the coordinate walk) of `webgpu/element.wgsl.ts`. */
export const movementShaders: Record<string, ShaderDef> = {
  copy: composeShader('copy', [copyMain, outCoords, perElement]),
  concat: composeShader('concat', [concatMain, perElement]),
  gather: composeShader('gather', [axisParams, gatherMain, perElement]),
  index_check: { name: 'index_check', source: indexCheckSrc },
  one_hot: composeShader('one_hot', [oneHotMain, perElement]),
  scatter_add_f32: composeShader('scatter_add_f32', ['alias T = f32;', axisParams, scatterMain, perElement]),
  scatter_add_i32: composeShader('scatter_add_i32', ['alias T = i32;', axisParams, scatterMain, perElement]),
};

/** Strided copy (transpose/slice/pad/tile). */
function copy(rt: WebGpuBackend, x: TensorInfo, outShape: readonly number[], dtype: DType, inShape: readonly number[], inStrides: readonly number[], begin: readonly number[], tile: boolean, padBits = 0): DataId {
  checkRank8(rt.name, outShape);
  const size = sizeOf(outShape);
  return launchOne(rt, movementShaders.copy, [x], outShape, dtype, { size, rank: outShape.length, tile: tile ? 1 : 0, pad_bits: padBits, out_shape: outShape, in_shape: inShape, in_strides: inStrides, begin }, groups(size));
}

const transpose: GpuKernel<'transpose'> = (rt, [x], { perm }, outShape, outDtype) => {
  const st = stridesOf(x.shape);
  return copy(rt, x, outShape, outDtype, perm.map((p) => x.shape[p]), perm.map((p) => st[p]), perm.map(() => 0), false);
};

const slice: GpuKernel<'slice'> = (rt, [x], { begin }, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), begin, false);

const pad: GpuKernel<'pad'> = (rt, [x], { paddings, constantValue }, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), paddings.map((p) => -p[0]), false, bitsOf(constantValue, outDtype));

const tile: GpuKernel<'tile'> = (rt, [x], _attrs, outShape, outDtype) =>
  copy(rt, x, outShape, outDtype, x.shape, stridesOf(x.shape), x.shape.map(() => 0), true);

const concat: GpuKernel<'concat'> = (rt, xs, { axis }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + outShape.length : axis;
  const outInner = sizeOf(outShape.slice(ax));
  const [out] = rt.launch({ shader: movementShaders.concat, inputs: [xs[0]], outputs: [{ shape: outShape, dtype: outDtype }], params: { size: sizeOf(xs[0].shape), inner: Math.max(1, sizeOf(xs[0].shape.slice(ax))), out_inner: Math.max(1, outInner), offset: 0 }, workgroups: [groups(sizeOf(xs[0].shape))] });
  const info: TensorInfo = { dataId: out, shape: outShape, dtype: outDtype };
  let offset = sizeOf(xs[0].shape.slice(ax));
  for (let k = 1; k < xs.length; k++) {
    const x = xs[k];
    const inner = sizeOf(x.shape.slice(ax));
    const size = sizeOf(x.shape);
    if (size > 0) rt.launch({ shader: movementShaders.concat, inputs: [x], outputs: [{ info }], params: { size, inner, out_inner: outInner, offset }, workgroups: [groups(size)] });
    offset += inner;
  }
  return out;
};

const gather: GpuKernel<'gather'> = (rt, [x, indices], { axis }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const [, dim, inner] = splitAxis(x.shape, ax);
  const size = sizeOf(outShape);
  // Same message as the CPU kernel; thrown by the next read.
  rt.checkIndices(indices, dim, (v, i) => `gather: index ${v} at position ${i} is out of range [0, ${dim}) for axis ${ax} of [${x.shape.join(',')}]`);
  return launchOne(rt, movementShaders.gather, [x, indices], outShape, outDtype, { size, dim, n: sizeOf(indices.shape), inner }, groups(size));
};

const scatterAdd: GpuKernel<'scatterAdd'> = (rt, [dy, indices], { axis, dim }, outShape, outDtype) => {
  const ax = axis < 0 ? axis + outShape.length : axis;
  const inner = sizeOf(outShape.slice(ax + 1));
  const size = sizeOf(outShape);
  rt.checkIndices(indices, dim, (v, i) => `scatterAdd: index ${v} at position ${i} is out of range [0, ${dim})`);
  const shader = movementShaders[`scatter_add_${wgslScalar(outDtype)}`];
  return launchOne(rt, shader, [dy, indices], outShape, outDtype, { size, dim, n: sizeOf(indices.shape), inner }, groups(size));
};

const oneHot: GpuKernel<'oneHot'> = (rt, [indices], { depth, onValue, offValue }, outShape, outDtype) => {
  const size = sizeOf(outShape);
  return launchOne(rt, movementShaders.one_hot, [indices], outShape, outDtype, { size, depth: Math.max(1, depth), on_bits: bitsOf(onValue, outDtype), off_bits: bitsOf(offValue, outDtype) }, groups(size));
};

/** The WebGPU movement kernels. */
export const movementKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  transpose,
  slice,
  pad,
  tile,
  concat,
  gather,
  scatterAdd,
  oneHot,
};

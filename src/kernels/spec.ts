/**
 * Output shape and dtype of every primitive op. Both backends and the public
 * ops use these, so shape logic exists in one place. The public ops validate
 * arguments first (with the user-facing op name in messages); specs assume
 * valid input except where they compute something that can still fail.
 */
import { binaryOps, unaryOps } from './elementwise/table.js';
import type { BinaryOp, UnaryOp } from './elementwise/table.js';
import { broadcastShapes } from './elementwise/spec.js';
import { convInfo, poolInfo } from './conv/spec.js';
import { fusedSpecs } from './fused/spec.js';
import type { OpAttrMap, OpName } from './op_names.js';
import type { DType } from './types.js';
import { fmtShape, mapRecord } from './types.js';

/** Input as the spec sees it. */
export interface SpecInput {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Shape and dtype rules of one op. */
export interface OpSpec<K extends OpName> {
  outputShape(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): number[];
  outputDtype(inputs: readonly SpecInput[], attrs: OpAttrMap[K]): DType;
}

const same = { outputShape: (ins: readonly SpecInput[]) => [...ins[0].shape], outputDtype: (ins: readonly SpecInput[]) => ins[0].dtype };

/** Shape after removing `axes`. */
export function reducedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

const reduceSpec = { outputShape: (ins: readonly SpecInput[], a: { axes: readonly number[] }) => reducedShape(ins[0].shape, a.axes), outputDtype: (ins: readonly SpecInput[]) => ins[0].dtype };
const boolReduceSpec = { ...reduceSpec, outputDtype: (): DType => 'bool' };
const argSpec = { outputShape: (ins: readonly SpecInput[], a: { axis: number }) => reducedShape(ins[0].shape, [a.axis]), outputDtype: (): DType => 'int32' };

/** Output shape of a (batched) matMul; batch dims broadcast. */
export function matMulShape(a: readonly number[], b: readonly number[], tA: boolean, tB: boolean): number[] {
  const m = tA ? a[a.length - 1] : a[a.length - 2];
  const ka = tA ? a[a.length - 2] : a[a.length - 1];
  const kb = tB ? b[b.length - 1] : b[b.length - 2];
  const n = tB ? b[b.length - 2] : b[b.length - 1];
  if (ka !== kb) throw new Error(`matMul: inner dimensions differ: ${fmtShape(a)} x ${fmtShape(b)} (transposeA=${tA}, transposeB=${tB})`);
  const batch = broadcastShapes('matMul', a.slice(0, -2), b.slice(0, -2));
  return [...batch, m, n];
}

/** Every op's spec. */
export const specs: { readonly [K in OpName]: OpSpec<K> } = {
  ...mapRecord(Object.keys(unaryOps) as UnaryOp[], () => same),
  ...mapRecord(Object.keys(binaryOps) as BinaryOp[], (k) => ({
    outputShape: (ins: readonly SpecInput[]) => broadcastShapes(k, ins[0].shape, ins[1].shape),
    outputDtype: (ins: readonly SpecInput[]): DType => (binaryOps[k].kind === 'compare' || binaryOps[k].kind === 'logical' ? 'bool' : ins[0].dtype),
  })),
  cast: { outputShape: (ins) => [...ins[0].shape], outputDtype: (_, a) => a.dtype },
  where: { outputShape: (ins) => broadcastShapes('where', ins[0].shape, ins[1].shape, ins[2].shape), outputDtype: (ins) => ins[1].dtype },
  matMul: { outputShape: (ins, a) => matMulShape(ins[0].shape, ins[1].shape, a.transposeA, a.transposeB), outputDtype: (ins) => ins[0].dtype },
  fusedMatMul: { outputShape: (ins, a) => matMulShape(ins[0].shape, ins[1].shape, a.transposeA, a.transposeB), outputDtype: () => 'float32' },
  transpose: { outputShape: (ins, a) => a.perm.map((p) => ins[0].shape[p]), outputDtype: (ins) => ins[0].dtype },
  reshape: { outputShape: (_, a) => [...a.shape], outputDtype: (ins) => ins[0].dtype },
  concat: {
    outputShape: (ins, a) => {
      const s = [...ins[0].shape];
      s[a.axis] = ins.reduce((acc, t) => acc + t.shape[a.axis], 0);
      return s;
    },
    outputDtype: (ins) => ins[0].dtype,
  },
  slice: { outputShape: (_, a) => [...a.size], outputDtype: (ins) => ins[0].dtype },
  pad: { outputShape: (ins, a) => ins[0].shape.map((d, i) => d + a.paddings[i][0] + a.paddings[i][1]), outputDtype: (ins) => ins[0].dtype },
  tile: { outputShape: (ins, a) => ins[0].shape.map((d, i) => d * a.reps[i]), outputDtype: (ins) => ins[0].dtype },
  gather: {
    outputShape: (ins, a) => [...ins[0].shape.slice(0, a.axis), ...ins[1].shape, ...ins[0].shape.slice(a.axis + 1)],
    outputDtype: (ins) => ins[0].dtype,
  },
  scatterAdd: {
    outputShape: (ins, a) => {
      const dy = ins[0].shape;
      const r = ins[1].shape.length;
      return [...dy.slice(0, a.axis), a.dim, ...dy.slice(a.axis + r)];
    },
    outputDtype: (ins) => ins[0].dtype,
  },
  oneHot: { outputShape: (ins, a) => [...ins[0].shape, a.depth], outputDtype: () => 'int32' },
  sum: reduceSpec,
  prod: reduceSpec,
  max: reduceSpec,
  min: reduceSpec,
  any: boolReduceSpec,
  all: boolReduceSpec,
  argMax: argSpec,
  argMin: argSpec,
  softmax: same,
  logSoftmax: same,
  conv2d: {
    outputShape: (ins, a) => {
      const w = convInfo('conv2d', ins[0].shape, ins[1].shape, a.strides, a.dilations, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  fusedConv2d: {
    outputShape: (ins, a) => {
      const w = convInfo('fusedConv2d', ins[0].shape, ins[1].shape, a.strides, a.dilations, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  conv2dBackpropInput: { outputShape: (_, a) => [...a.xShape], outputDtype: () => 'float32' },
  conv2dBackpropFilter: { outputShape: (_, a) => [...a.filterShape], outputDtype: () => 'float32' },
  maxPool: {
    outputShape: (ins, a) => {
      const w = poolInfo('maxPool', ins[0].shape, a.filterSize, a.strides, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  avgPool: {
    outputShape: (ins, a) => {
      const w = poolInfo('avgPool', ins[0].shape, a.filterSize, a.strides, a.pad);
      return [w.batch, w.outH, w.outW, w.outC];
    },
    outputDtype: () => 'float32',
  },
  maxPoolGrad: { outputShape: (ins) => [...ins[1].shape], outputDtype: () => 'float32' },
  avgPoolGrad: { outputShape: (_, a) => [...a.xShape], outputDtype: () => 'float32' },
  ...fusedSpecs,
};

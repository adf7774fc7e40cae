/**
 * Every primitive op, with the names of its inputs and the type of its attrs.
 * The op name is the spec: registries keyed by `OpName` are exhaustive mapped
 * types, so a new name fails to compile until its CPU kernel and gradient rule
 * exist. Composite ops (mean, softmax cross-entropy, conv1d, stack...) are built
 * from these in `src/tensor/ops` and need neither kernel nor gradient rule.
 */
import type { BinaryOp, UnaryOp } from './elementwise/table.js';
import { binaryOps, unaryOps } from './elementwise/table.js';
import type { FusedMatMulAttrs, MatMulActivation } from './matmul/spec.js';
import type { AdamAttrs } from './optimizer/spec.js';
import type { CellAttrs } from './recurrent/spec.js';
import type { DType } from './types.js';
import { mapRecord } from './types.js';

/** Padding of a convolution or pooling window: Keras's names or explicit [top, bottom, left, right]. */
export type PadMode = 'same' | 'valid' | readonly [number, number, number, number];

/** Attributes shared by conv2d and its gradients. */
export interface ConvAttrs {
  strides: readonly [number, number];
  pad: PadMode;
  dilations: readonly [number, number];
}

/** Attributes shared by the pooling ops and their gradients. */
export interface PoolAttrs {
  filterSize: readonly [number, number];
  strides: readonly [number, number];
  pad: PadMode;
}

/** Attributes of unary table ops (`alpha`/`beta` mean what the row says; ignored elsewhere). */
export interface UnaryAttrs {
  alpha?: number;
  beta?: number;
}

type NoAttrs = Record<string, never>;

/** Attribute type of every primitive op. */
export type OpAttrMap = { [K in UnaryOp]: UnaryAttrs } & { [K in BinaryOp]: NoAttrs } & {
  cast: { dtype: DType };
  where: NoAttrs;
  /** Batched when rank > 2; batch dims broadcast. */
  matMul: { transposeA: boolean; transposeB: boolean };
  transpose: { perm: readonly number[] };
  /** Never runs a kernel: the result shares the input's data. */
  reshape: { shape: readonly number[] };
  concat: { axis: number };
  slice: { begin: readonly number[]; size: readonly number[] };
  pad: { paddings: readonly (readonly [number, number])[]; constantValue: number };
  tile: { reps: readonly number[] };
  gather: { axis: number };
  /** Inverse of gather: adds `dy` slices into a zero tensor whose `axis` has length `dim`. */
  scatterAdd: { axis: number; dim: number };
  oneHot: { depth: number; onValue: number; offValue: number };
  sum: { axes: readonly number[] };
  prod: { axes: readonly number[] };
  max: { axes: readonly number[] };
  min: { axes: readonly number[] };
  any: { axes: readonly number[] };
  all: { axes: readonly number[] };
  argMax: { axis: number };
  argMin: { axis: number };
  /** Along the last axis. */
  softmax: NoAttrs;
  /** Along the last axis. */
  logSoftmax: NoAttrs;
  conv2d: ConvAttrs;
  conv2dBackpropInput: ConvAttrs & { xShape: readonly number[] };
  conv2dBackpropFilter: ConvAttrs & { filterShape: readonly number[] };
  maxPool: PoolAttrs;
  avgPool: PoolAttrs;
  maxPoolGrad: PoolAttrs;
  avgPoolGrad: PoolAttrs & { xShape: readonly number[] };
  /** Fused LSTM gates (z [B,4U] in Keras order i,f,c,o; cPrev [B,U]) → two outputs c [B,U], h [B,U]. */
  lstmCell: CellAttrs;
  /** Backward of lstmCell: (z, cPrev, dc [B,U], dh [B,U]) → two outputs dz [B,4U], dcPrev [B,U]. */
  lstmCellGrad: CellAttrs;
  /** Fused GRU gates, resetAfter (xz, hz [B,3U] in Keras order z,r,h; hPrev [B,U]) → h [B,U]. */
  gruCell: CellAttrs;
  /** Backward of gruCell: (xz, hz, hPrev, dh) → three outputs dxz [B,3U], dhz [B,3U], dhPrev [B,U]. */
  gruCellGrad: CellAttrs;
  /** One Adam step (tfjs's rule) → three outputs w', m', v' of w's shape. */
  adamUpdate: AdamAttrs;
  /** Dense's fused epilogue, rank 2: act(op(a)·op(b) + bias), bias [N]. */
  fusedMatMul: FusedMatMulAttrs;
  /** Conv layers' fused epilogue: act(conv2d(x, filter) + bias), bias [Cout]. */
  fusedConv2d: ConvAttrs & { activation: MatMulActivation };
};

/** Name of a primitive op. */
export type OpName = keyof OpAttrMap;

/** Input names of each op, in order (`*` marks a variadic list). */
export const opInputs: { readonly [K in OpName]: readonly string[] } = {
  ...mapRecord(Object.keys(unaryOps) as UnaryOp[], () => ['x']),
  ...mapRecord(Object.keys(binaryOps) as BinaryOp[], () => ['a', 'b']),
  cast: ['x'],
  where: ['condition', 'a', 'b'],
  matMul: ['a', 'b'],
  transpose: ['x'],
  reshape: ['x'],
  concat: ['*xs'],
  slice: ['x'],
  pad: ['x'],
  tile: ['x'],
  gather: ['x', 'indices'],
  scatterAdd: ['dy', 'indices'],
  oneHot: ['indices'],
  sum: ['x'],
  prod: ['x'],
  max: ['x'],
  min: ['x'],
  any: ['x'],
  all: ['x'],
  argMax: ['x'],
  argMin: ['x'],
  softmax: ['x'],
  logSoftmax: ['x'],
  conv2d: ['x', 'filter'],
  conv2dBackpropInput: ['dy', 'filter'],
  conv2dBackpropFilter: ['x', 'dy'],
  maxPool: ['x'],
  avgPool: ['x'],
  maxPoolGrad: ['dy', 'x'],
  avgPoolGrad: ['dy'],
  lstmCell: ['z', 'cPrev'],
  lstmCellGrad: ['z', 'cPrev', 'dc', 'dh'],
  gruCell: ['xz', 'hz', 'hPrev'],
  gruCellGrad: ['xz', 'hz', 'hPrev', 'dy'],
  adamUpdate: ['w', 'g', 'm', 'v'],
  fusedMatMul: ['a', 'b', 'bias'],
  fusedConv2d: ['x', 'filter', 'bias'],
};

/**
 * Output names of the ops with several outputs, in order (the kernels write
 * each to its own buffer; WGSL binds them under these names in snake_case).
 * Every other op has one output, `out`.
 */
export const multiOutputNames = {
  lstmCell: ['c', 'h'],
  lstmCellGrad: ['dz', 'dcPrev'],
  gruCellGrad: ['dxz', 'dhz', 'dhPrev'],
  adamUpdate: ['newW', 'newM', 'newV'],
} as const satisfies { readonly [K in OpName]?: readonly [string, string, ...string[]] };

/** An op with several outputs (see `multiOutputNames`). */
export type MultiOutputOp = keyof typeof multiOutputNames;
/** An op with one output. */
export type SingleOutputOp = Exclude<OpName, MultiOutputOp>;

/** True when `op` has several outputs. */
export function isMultiOutput(op: OpName): op is MultiOutputOp {
  return Object.prototype.hasOwnProperty.call(multiOutputNames, op);
}

/** Output names of `op`, in order: `multiOutputNames[op]`, or `['out']` for a single-output op. */
export function outputNames(op: OpName): readonly string[] {
  return isMultiOutput(op) ? multiOutputNames[op] : ['out'];
}

/** Every primitive op name. */
export const opNames = /* @__PURE__ */ Object.keys(opInputs) as OpName[];

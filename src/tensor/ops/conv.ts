/** Convolution and pooling (NHWC / NWC), and the gradient ops autograd uses. */
import { convInfo, poolInfo } from '../../kernels/conv/spec.js';
import type { MatMulActivation } from '../../kernels/matmul/spec.js';
import { isMatMulActivation } from '../../kernels/matmul/spec.js';
import type { PadMode } from '../../kernels/op_names.js';
import type { Tensor } from '../tensor.js';
import { fill } from './creation.js';
import type { TensorLike } from './util.js';
import { ENGINE, assertDType, checkOneOf, checkSize, describe, fmtShape, toTensor } from './util.js';

type Pair = number | readonly [number, number];

function pair(v: Pair, what: string, op: string): [number, number] {
  const arr = v as readonly number[];
  const ok = typeof v === 'number' || (Array.isArray(arr) && (arr.length === 1 || arr.length === 2));
  const p: [number, number] = typeof v === 'number' ? [v, v] : ok ? [arr[0], arr[arr.length - 1]] : [NaN, NaN];
  if (p.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 1)) throw new Error(`${op}: ${what} must be positive integers (one, or a pair [h, w]), got ${describe(v)}`);
  return p;
}

/** A pad mode: 'same', 'valid' or explicit [top, bottom, left, right]. */
function padMode(v: PadMode, op: string): PadMode {
  if (Array.isArray(v)) {
    if (v.length !== 4 || v.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 0)) throw new Error(`${op}: pad must be 'same', 'valid' or [top, bottom, left, right] of non-negative integers, got ${describe(v)}`);
    return [v[0], v[1], v[2], v[3]];
  }
  return checkOneOf(op, 'pad', v, ['same', 'valid'] as const);
}

/** Adds a batch dim to rank-3 input; returns the tensor and whether it did. */
function batched(t: Tensor, op: string, name = 'x'): [Tensor, boolean] {
  if (t.rank === 3) return [ENGINE.dispatch('reshape', [t], { shape: [1, ...t.shape] }), true];
  if (t.rank !== 4) throw new Error(`${op}: ${name} must be rank 4 [batch, height, width, channels] (or 3), got shape ${fmtShape(t.shape)}`);
  return [t, false];
}

function unbatch(t: Tensor, was: boolean): Tensor {
  return was ? ENGINE.dispatch('reshape', [t], { shape: t.shape.slice(1) }) : t;
}

/**
 * 2-D convolution, NHWC input `[N,H,W,Cin]` and filter `[fh,fw,Cin,Cout]`.
 * @example sg.conv2d(sg.ones([1, 5, 5, 1]), sg.ones([3, 3, 1, 2]), 1, 'valid').shape // [1, 3, 3, 2]
 */
export function conv2d(x: TensorLike, filter: TensorLike, strides: Pair = 1, pad: PadMode = 'valid', dataFormat: 'NHWC' = 'NHWC', dilations: Pair = 1): Tensor {
  return ENGINE.scopedOp('conv2d', () => {
    pad = padMode(pad, 'conv2d');
    if (dataFormat !== 'NHWC') throw new Error(`conv2d: only dataFormat 'NHWC' is supported, got ${describe(dataFormat)}`);
    const [t, was] = batched(toTensor(x, 'x', 'conv2d'), 'conv2d');
    const f = toTensor(filter, 'filter', 'conv2d');
    assertDType(t, 'x', 'conv2d', ['float32']);
    assertDType(f, 'filter', 'conv2d', ['float32']);
    const attrs = { strides: pair(strides, 'strides', 'conv2d'), pad, dilations: pair(dilations, 'dilations', 'conv2d') };
    const w = convInfo('conv2d', t.shape, f.shape, attrs.strides, attrs.dilations, pad);
    checkSize('conv2d', 'output', [w.batch, w.outH, w.outW, w.outC]);
    return unbatch(ENGINE.dispatch('conv2d', [t, f], attrs), was);
  });
}

/**
 * act(conv2d(x, filter) + bias) in one kernel (Conv layers' forward): x NHWC
 * `[N,H,W,Cin]` (or rank 3), filter `[fh,fw,Cin,Cout]`, bias `[Cout]` added to
 * every pixel (omitted: zeros), activation one of linear, relu, sigmoid, tanh.
 * @example sg.fusedConv2d(x, w, b, 'relu', 1, 'same') // x [N, 28, 28, 1], w [3, 3, 1, 8], b [8] → [N, 28, 28, 8]
 */
export function fusedConv2d(x: TensorLike, filter: TensorLike, bias?: TensorLike | null, activation: MatMulActivation = 'linear', strides: Pair = 1, pad: PadMode = 'valid', dilations: Pair = 1): Tensor {
  return ENGINE.scopedOp('fusedConv2d', () => {
    const op = 'fusedConv2d';
    if (!isMatMulActivation(activation)) throw new Error(`${op}: unsupported activation ${describe(activation)}; fusedConv2d takes linear, relu, sigmoid, tanh`);
    pad = padMode(pad, op);
    const [t, was] = batched(toTensor(x, 'x', op), op);
    const f = toTensor(filter, 'filter', op);
    assertDType(t, 'x', op, ['float32']);
    assertDType(f, 'filter', op, ['float32']);
    const attrs = { strides: pair(strides, 'strides', op), pad, dilations: pair(dilations, 'dilations', op), activation };
    const w = convInfo(op, t.shape, f.shape, attrs.strides, attrs.dilations, pad);
    let b: Tensor;
    if (bias === undefined || bias === null) {
      checkSize(op, 'output', [w.batch, w.outH, w.outW, w.outC]);
      b = fill([w.outC], 0);
    } else {
      b = toTensor(bias, 'bias', op);
      assertDType(b, 'bias', op, ['float32']);
      if (b.rank !== 1 || b.shape[0] !== w.outC) throw new Error(`${op}: argument 'bias' must have shape [${w.outC}] (the filter's output channels), got ${fmtShape(b.shape)}`);
      checkSize(op, 'output', [w.batch, w.outH, w.outW, w.outC]);
    }
    return unbatch(ENGINE.dispatch('fusedConv2d', [t, f, b], attrs), was);
  });
}

/**
 * 1-D convolution, NWC input `[N,W,Cin]` and filter `[fw,Cin,Cout]`, run as a
 * conv2d of height 1.
 */
export function conv1d(x: TensorLike, filter: TensorLike, stride = 1, pad: 'same' | 'valid' = 'valid', dataFormat: 'NWC' = 'NWC', dilation = 1): Tensor {
  return ENGINE.scopedOp('conv1d', () => {
    checkOneOf('conv1d', 'pad', pad, ['same', 'valid'] as const);
    if (dataFormat !== 'NWC') throw new Error(`conv1d: only dataFormat 'NWC' is supported, got ${describe(dataFormat)}`);
    let t = toTensor(x, 'x', 'conv1d');
    const f = toTensor(filter, 'filter', 'conv1d');
    const was = t.rank === 2;
    if (was) t = ENGINE.dispatch('reshape', [t], { shape: [1, ...t.shape] });
    if (t.rank !== 3) throw new Error(`conv1d: x must be rank 3 [batch, width, channels] (or 2), got shape ${fmtShape(t.shape)}`);
    if (f.rank !== 3) throw new Error(`conv1d: filter must be rank 3 [width, inChannels, outChannels], got shape ${fmtShape(f.shape)}`);
    if (t.shape[2] !== f.shape[1]) throw new Error(`conv1d: input channels ${t.shape[2]} of x ${fmtShape(t.shape)} differ from filter's ${f.shape[1]} in ${fmtShape(f.shape)}`);
    assertDType(t, 'x', 'conv1d', ['float32']);
    assertDType(f, 'filter', 'conv1d', ['float32']);
    const attrs = { strides: [1, pair(stride, 'stride', 'conv1d')[0]] as const, pad, dilations: [1, pair(dilation, 'dilation', 'conv1d')[0]] as const };
    const x4 = ENGINE.dispatch('reshape', [t], { shape: [t.shape[0], 1, t.shape[1], t.shape[2]] });
    const f4 = ENGINE.dispatch('reshape', [f], { shape: [1, ...f.shape] });
    const w = convInfo('conv1d', x4.shape, f4.shape, attrs.strides, attrs.dilations, pad);
    checkSize('conv1d', 'output', [w.batch, w.outW, w.outC]);
    const y = ENGINE.dispatch('conv2d', [x4, f4], attrs);
    const y3 = ENGINE.dispatch('reshape', [y], { shape: [y.shape[0], y.shape[2], y.shape[3]] });
    return was ? ENGINE.dispatch('reshape', [y3], { shape: y3.shape.slice(1) }) : y3;
  });
}

function pool(op: 'maxPool' | 'avgPool', x: TensorLike, filterSize: Pair, strides: Pair, pad: PadMode): Tensor {
  return ENGINE.scopedOp(op, () => {
    const [t, was] = batched(toTensor(x, 'x', op), op);
    assertDType(t, 'x', op, ['float32']);
    const attrs = { filterSize: pair(filterSize, 'filterSize', op), strides: pair(strides, 'strides', op), pad: padMode(pad, op) };
    poolInfo(op, t.shape, attrs.filterSize, attrs.strides, attrs.pad);
    return unbatch(ENGINE.dispatch(op, [t], attrs), was);
  });
}

/** Max pooling over NHWC windows. @example sg.maxPool(x, 2, 2, 'valid') */
export const maxPool = (x: TensorLike, filterSize: Pair, strides: Pair, pad: PadMode): Tensor => pool('maxPool', x, filterSize, strides, pad);
/** Average pooling over NHWC windows (padded taps are not counted). */
export const avgPool = (x: TensorLike, filterSize: Pair, strides: Pair, pad: PadMode): Tensor => pool('avgPool', x, filterSize, strides, pad);

/** @internal Gradient of conv2d with respect to its input. */
export function conv2dBackpropInput(xShape: readonly number[], dy: Tensor, filter: Tensor, strides: readonly [number, number], pad: PadMode, dilations: readonly [number, number]): Tensor {
  return ENGINE.scopedOp('conv2dBackpropInput', () => ENGINE.dispatch('conv2dBackpropInput', [dy, filter], { xShape, strides, pad, dilations }));
}

/** @internal Gradient of conv2d with respect to its filter. */
export function conv2dBackpropFilter(x: Tensor, dy: Tensor, filterShape: readonly number[], strides: readonly [number, number], pad: PadMode, dilations: readonly [number, number]): Tensor {
  return ENGINE.scopedOp('conv2dBackpropFilter', () => ENGINE.dispatch('conv2dBackpropFilter', [x, dy], { filterShape, strides, pad, dilations }));
}

/** @internal Gradient of maxPool. */
export function maxPoolGrad(dy: Tensor, x: Tensor, filterSize: readonly [number, number], strides: readonly [number, number], pad: PadMode): Tensor {
  return ENGINE.scopedOp('maxPoolGrad', () => ENGINE.dispatch('maxPoolGrad', [dy, x], { filterSize, strides, pad }));
}

/** @internal Gradient of avgPool. */
export function avgPoolGrad(dy: Tensor, xShape: readonly number[], filterSize: readonly [number, number], strides: readonly [number, number], pad: PadMode): Tensor {
  return ENGINE.scopedOp('avgPoolGrad', () => ENGINE.dispatch('avgPoolGrad', [dy], { xShape, filterSize, strides, pad }));
}

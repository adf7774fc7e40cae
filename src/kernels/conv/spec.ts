/**
 * Geometry of 2-D convolution and pooling windows (NHWC), shared by every
 * backend and by the public ops, so shape logic exists in one place.
 */
import type { PadMode } from '../op_names.js';
import type { OpSpec } from '../spec.js';
import { fmtShape } from '../types.js';

/** Everything a conv or pool kernel needs to walk its windows. */
export interface WindowInfo {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  /** Output channels (conv) or input channels (pool). */
  outC: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  padTop: number;
  padLeft: number;
}

/** `pad` for an error message (it may be anything the caller passed). */
function fmtPad(pad: unknown): string {
  if (typeof pad === 'string') return `'${pad}'`;
  if (Array.isArray(pad)) return `[${pad.map((p) => (typeof p === 'number' ? String(p) : typeof p)).join(',')}]`;
  return pad === null || pad === undefined ? String(pad) : typeof pad;
}

/**
 * Most window taps (outputs × window size) one pooling op may visit: a
 * guard against windows so much larger than the input that the kernels would
 * loop for minutes over padding (`maxPool(x, [1e9, 3], 1, 'same')`).
 */
export const MAX_POOL_TAPS = 2 ** 32;

function checkPositive(op: string, what: string, v: readonly number[]): void {
  for (const n of v) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: ${what} must be positive integers, got [${v.join(',')}]`);
  }
}

/**
 * Output size and padding of a window of `fh`×`fw` (after dilation) over
 * `[H, W]`, following TensorFlow: 'same' gives ceil(in / stride) with the
 * extra padding at the bottom/right; 'valid' gives ceil((in - f + 1) / stride).
 */
export function windowInfo(
  op: string,
  xShape: readonly number[],
  fh: number,
  fw: number,
  outC: number,
  strides: readonly [number, number],
  dilations: readonly [number, number],
  pad: PadMode,
): WindowInfo {
  if (xShape.length !== 4) throw new Error(`${op}: input must be rank 4 [batch, height, width, channels], got shape ${fmtShape(xShape)}`);
  checkPositive(op, 'strides', strides);
  checkPositive(op, 'dilations', dilations);
  checkPositive(op, 'filter size', [fh, fw]);
  const [batch, inH, inW, inC] = xShape;
  const [sh, sw] = strides;
  const [dh, dw] = dilations;
  const efh = fh + (fh - 1) * (dh - 1);
  const efw = fw + (fw - 1) * (dw - 1);
  let outH: number, outW: number, padTop: number, padLeft: number;
  if (pad === 'same') {
    outH = Math.ceil(inH / sh);
    outW = Math.ceil(inW / sw);
    padTop = Math.floor(Math.max(0, (outH - 1) * sh + efh - inH) / 2);
    padLeft = Math.floor(Math.max(0, (outW - 1) * sw + efw - inW) / 2);
  } else if (pad === 'valid') {
    outH = Math.ceil((inH - efh + 1) / sh);
    outW = Math.ceil((inW - efw + 1) / sw);
    padTop = 0;
    padLeft = 0;
  } else if (Array.isArray(pad) && pad.length === 4 && pad.every((p) => Number.isInteger(p) && p >= 0)) {
    const [t, b, l, r] = pad;
    outH = Math.floor((inH + t + b - efh) / sh) + 1;
    outW = Math.floor((inW + l + r - efw) / sw) + 1;
    padTop = t;
    padLeft = l;
  } else {
    throw new Error(`${op}: pad must be 'same', 'valid' or [top, bottom, left, right] of non-negative integers, got ${fmtPad(pad)}`);
  }
  if (outH < 1 || outW < 1) {
    throw new Error(
      `${op}: window ${fh}x${fw} (dilation ${dh}x${dw}) does not fit input ${fmtShape(xShape)} with pad ${fmtPad(pad)}`,
    );
  }
  return { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, dh, dw, padTop, padLeft };
}

/** Window geometry of conv2d: x `[N,H,W,Cin]`, filter `[fh,fw,Cin,Cout]`. */
export function convInfo(
  op: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: readonly [number, number],
  dilations: readonly [number, number],
  pad: PadMode,
): WindowInfo {
  if (filterShape.length !== 4) {
    throw new Error(`${op}: filter must be rank 4 [height, width, inChannels, outChannels], got shape ${fmtShape(filterShape)}`);
  }
  if (xShape.length === 4 && xShape[3] !== filterShape[2]) {
    throw new Error(
      `${op}: input channels ${xShape[3]} of x ${fmtShape(xShape)} differ from filter's ${filterShape[2]} in ${fmtShape(filterShape)}`,
    );
  }
  return windowInfo(op, xShape, filterShape[0], filterShape[1], filterShape[3], strides, dilations, pad);
}

/** Window geometry of a pooling op over x `[N,H,W,C]`. */
export function poolInfo(
  op: string,
  xShape: readonly number[],
  filterSize: readonly [number, number],
  strides: readonly [number, number],
  pad: PadMode,
): WindowInfo {
  const w = windowInfo(op, xShape, filterSize[0], filterSize[1], xShape[3], strides, [1, 1], pad);
  // Kernels walk each window once per output pixel even when there are no channels.
  const taps = w.batch * w.outH * w.outW * Math.max(w.outC, 1) * w.fh * w.fw;
  if (taps > MAX_POOL_TAPS) {
    throw new Error(`${op}: window ${w.fh}x${w.fw} over ${w.batch * w.outH * w.outW * Math.max(w.outC, 1)} outputs of input ${fmtShape(xShape)} is ${taps} taps, over the limit of ${MAX_POOL_TAPS}; is the filter size right?`);
  }
  return w;
}

/** Output shape and dtype of conv2d, fusedConv2d and conv2d's two gradients. */
export const convSpecs: { readonly [K in 'conv2d' | 'fusedConv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter']: OpSpec<K> } = {
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
};

/**
 * conv2d (and both gradients) and fusedConv2d on WebGPU: the launch code.
 * Every shader (and the pool shaders, `pool/webgpu.ts`) takes the same window
 * `Params` (`windowParams`), filled from the shared geometry in
 * `conv/spec.ts`, so the GPU and CPU kernels agree on 'same'/'valid'/explicit
 * padding by construction. Workgroups are numbered flat, folded into 2-D by
 * the runtime past 65,535 workgroups.
 *
 * The conv ops are implicit GEMMs whose shaders are composed from the GEMM
 * cores and each op's slots (`conv_shaders.ts`, `matmul/gemm.ts`): tiled
 * (workgroup-memory tiles) for hardware GPUs; on software adapters, where
 * barriers dominate, direct (one k per step, any channel counts) or, when
 * in_c and out_c are both multiples of 4, the aligned variant (vec4 loads).
 * `convConfig.variant` forces tiled or direct/aligned ('auto': direct/aligned
 * on software adapters). fusedConv2d (Conv layers' fused bias + activation)
 * is conv2d with the bias + activation epilogue slot.
 */
import type { ConvVariant } from './conv_shaders.js';
import { convShaders } from './conv_shaders.js';
import type { WindowInfo } from './spec.js';
import { convInfo } from './spec.js';
import type { OpName } from '../op_names.js';
import type { DataId, TensorInfo } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import { cellActivationCodes } from '../recurrent/spec.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';

export { convShaders };

/** The window `Params` every conv and pool shader takes, from the shared geometry, with `size` threads. */
export function windowParams(w: WindowInfo, size: number): Record<string, number> {
  return {
    size,
    batch: w.batch,
    in_h: w.inH,
    in_w: w.inW,
    in_c: w.inC,
    out_h: w.outH,
    out_w: w.outW,
    out_c: w.outC,
    fh: w.fh,
    fw: w.fw,
    sh: w.sh,
    sw: w.sw,
    dh: w.dh,
    dw: w.dw,
    pad_top: w.padTop,
    pad_left: w.padLeft,
  };
}

/** Which conv shaders run: 'auto' picks direct on software adapters, tiled otherwise. */
export const convConfig: { variant: 'auto' | 'tiled' | 'direct' } = { variant: 'auto' };

/** Workgroup shape and K slice of the tiled conv shaders (override constants); threads per workgroup of the direct ones. */
const TILED = { WG_X: 16, WG_Y: 16, TILE_K: 16 };
const DIRECT = { WG: 64 };

type ConvGemm = keyof typeof convShaders;

/**
 * Workgroup shape of the direct/aligned shaders: WG_X column blocks (of 4
 * output channels) × WG_Y row blocks, 64 threads, so that a workgroup spans
 * several rows when N is narrow (as a flat numbering with the column block
 * fastest would).
 */
function directShape(nBlocks: number): { WG_X: number; WG_Y: number } {
  const x = Math.max(1, Math.min(nBlocks, DIRECT.WG));
  return { WG_X: x, WG_Y: Math.max(1, Math.floor(DIRECT.WG / x)) };
}

/**
 * One dispatch of an implicit-GEMM conv shader computing an M×N result,
 * each thread a 4×4 block: tiled,
 * one workgroup per (WG_Y·4)×(WG_X·4) tile; or direct / aligned (in_c and
 * out_c multiples of 4).
 */
function convGemm(rt: WebGpuBackend, kind: ConvGemm, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, M: number, N: number, extra: Record<string, number> = {}): DataId {
  const soft: ConvVariant = w.inC % 4 === 0 && w.outC % 4 === 0 ? 'aligned' : 'direct';
  const variant = convConfig.variant === 'auto' ? (rt.isSoftware ? soft : 'tiled') : convConfig.variant === 'direct' ? soft : 'tiled';
  const overrides = variant === 'tiled' ? TILED : directShape(Math.ceil(N / 4));
  const wgs = Math.ceil(M / (overrides.WG_Y * 4)) * Math.ceil(N / (overrides.WG_X * 4));
  const params = { ...windowParams(w, M), ...extra };
  return rt.launch({ shader: convShaders[kind][variant], inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params, overrides, workgroups: [Math.max(1, wgs)] })[0];
}

const conv2d: GpuKernel<'conv2d'> = (rt, [x, f], a, outShape) => {
  const w = convInfo('conv2d', x.shape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2d', [x, f], outShape, w, w.batch * w.outH * w.outW, w.outC);
};

const fusedConv2d: GpuKernel<'fusedConv2d'> = (rt, [x, f, bias], a, outShape) => {
  const w = convInfo('fusedConv2d', x.shape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'fusedConv2d', [x, f, bias], outShape, w, w.batch * w.outH * w.outW, w.outC, { act: cellActivationCodes[a.activation] });
};

const conv2dBackpropInput: GpuKernel<'conv2dBackpropInput'> = (rt, [dy, f], a, outShape) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2dBackpropInput', [dy, f], outShape, w, w.batch * w.inH * w.inW, w.inC);
};

const conv2dBackpropFilter: GpuKernel<'conv2dBackpropFilter'> = (rt, [x, dy], a, outShape) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2dBackpropFilter', [x, dy], outShape, w, w.fh * w.fw * w.inC, w.outC);
};

/** The WebGPU conv kernels. */
export const convKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  conv2d,
  fusedConv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
};

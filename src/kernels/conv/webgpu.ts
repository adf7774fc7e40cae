/**
 * conv2d (and both gradients) and fusedConv2d on WebGPU. Every shader (and
 * the pool shaders, `pool/webgpu.ts`) takes the same window `Params` (see
 * `conv2d.wgsl.ts`, `windowParams`), filled
 * from the shared geometry in `conv/spec.ts`, so the GPU and CPU kernels agree
 * on 'same'/'valid'/explicit padding by construction. Threads (or, for the
 * tiled conv shaders, workgroups) are numbered flat, folded into 2-D by the
 * runtime past 65,535 workgroups.
 *
 * The three conv ops are implicit GEMMs (each shader's header gives its
 * M/N/K mapping), in two variants as matMul has: tiled (workgroup-memory
 * tiles, 4×4 register blocks; `conv2d*.wgsl.ts`) for hardware GPUs, and
 * direct (4×4 register blocks read straight from global memory;
 * `conv2d*_direct.wgsl.ts`) for software adapters, where barriers dominate.
 * The direct one has a vec4 shader, used when in_c and out_c are both
 * multiples of 4, and a scalar one for other channel counts.
 * `convConfig.variant` forces a variant ('auto': direct on software adapters).
 *
 * fusedConv2d (Conv layers' fused epilogue) runs the three conv2d shaders
 * with a `bias` binding, `params.act` and act(acc + bias[oc]) applied at the
 * store, made here from the conv2d sources by `withConvBiasAct` (marked
 * spots that must each match once, as fusedMatMul's are), with the
 * epilogue function of fusedMatMul (`biasActEpilogue`).
 */
import type { WindowInfo } from './spec.js';
import { convInfo } from './spec.js';
import type { OpName } from '../op_names.js';
import type { DataId, TensorInfo } from '../types.js';
import type { WebGpuBackend } from '../webgpu/backend.js';
import { source as convFilterDirectSrc, vec4Source as convFilterDirectVec4Src } from './conv2d_backprop_filter_direct.wgsl.js';
import { source as convFilterSrc } from './conv2d_backprop_filter.wgsl.js';
import { source as convInputDirectSrc, vec4Source as convInputDirectVec4Src } from './conv2d_backprop_input_direct.wgsl.js';
import { source as convInputSrc } from './conv2d_backprop_input.wgsl.js';
import { source as convDirectSrc, vec4Source as convDirectVec4Src } from './conv2d_direct.wgsl.js';
import { source as convSrc } from './conv2d.wgsl.js';
import { cellActivationCodes } from '../recurrent/spec.js';
import { swapOnce } from '../elementwise/webgpu.js';
import type { GpuKernel, GpuKernelOf } from '../webgpu/kernel.js';
import { groups } from '../webgpu/kernel.js';
import { biasActEpilogue } from '../matmul/webgpu.js';
import type { ShaderDef } from '../webgpu/program.js';

/** Scalar conv2d stores (tiled and direct `store_row`), and the vec4 direct shader's four row stores. */
const STORE = '    if (c0 + j < params.out_c) { out[r * params.out_c + c0 + j] = v[j]; }';
const STORE4 = [0, 1, 2, 3].map((r) => (r === 0 ? '  out[r0 * n4 + c4] = acc0;' : `  if (r0 + ${r}u < m) { out[(r0 + ${r}u) * n4 + c4] = acc${r}; }`)).join('\n');

/**
 * A conv2d source with a `bias` binding after `filt`, `params.act`, and the
 * store replaced by act(acc + bias[oc]) (per vec4 of 4 output channels in the
 * vec4 shader, whose bias binding is then an array of vec4).
 */
function withConvBiasAct(src: string, vec4: boolean): string {
  const V = vec4 ? 'vec4<f32>' : 'f32';
  const swaps: [string, string][] = [
    ['  pad_left: u32,\n}', '  pad_left: u32,\n  act: u32,\n}'],
    [
      `@group(0) @binding(2) var<storage, read_write> out: array<${V}>;\n@group(0) @binding(3) var<uniform> params: Params;`,
      `@group(0) @binding(2) var<storage, read> bias: array<${V}>;\n@group(0) @binding(3) var<storage, read_write> out: array<${V}>;\n@group(0) @binding(4) var<uniform> params: Params;`,
    ],
    vec4
      ? [STORE4, STORE4.replace(/= acc(\d);/g, '= epilogue4(acc$1 + bv);').replace('  out[r0', '  let bv = bias[c4];\n  out[r0')]
      : [STORE, '    if (c0 + j < params.out_c) { out[r * params.out_c + c0 + j] = epilogue(v[j] + bias[c0 + j]); }'],
  ];
  return `${swapOnce(src, 'fusedConv2d', swaps).trimEnd()}\n${biasActEpilogue('f32', vec4)}`;
}

/** Every conv shader, by name (tests reflect and compile them all). */
export const convShaders: Record<string, ShaderDef> = {
  conv2d: { name: 'conv2d', source: convSrc },
  conv2d_backprop_input: { name: 'conv2d_backprop_input', source: convInputSrc },
  conv2d_backprop_filter: { name: 'conv2d_backprop_filter', source: convFilterSrc },
  conv2d_direct: { name: 'conv2d_direct', source: convDirectSrc },
  conv2d_direct_vec4: { name: 'conv2d_direct_vec4', source: convDirectVec4Src },
  fused_conv2d: { name: 'fused_conv2d', source: withConvBiasAct(convSrc, false) },
  fused_conv2d_direct: { name: 'fused_conv2d_direct', source: withConvBiasAct(convDirectSrc, false) },
  fused_conv2d_direct_vec4: { name: 'fused_conv2d_direct_vec4', source: withConvBiasAct(convDirectVec4Src, true) },
  conv2d_backprop_input_direct: { name: 'conv2d_backprop_input_direct', source: convInputDirectSrc },
  conv2d_backprop_input_direct_vec4: { name: 'conv2d_backprop_input_direct_vec4', source: convInputDirectVec4Src },
  conv2d_backprop_filter_direct: { name: 'conv2d_backprop_filter_direct', source: convFilterDirectSrc },
  conv2d_backprop_filter_direct_vec4: { name: 'conv2d_backprop_filter_direct_vec4', source: convFilterDirectVec4Src },
};

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

type ConvGemm = 'conv2d' | 'fused_conv2d' | 'conv2d_backprop_input' | 'conv2d_backprop_filter';

/**
 * One dispatch of an implicit-GEMM conv shader computing an M×N result:
 * tiled, one workgroup per (WG_Y·4)×(WG_X·4) tile; or direct, one thread per
 * 4×4 block, with the vec4 shader when both channel counts are multiples of 4.
 */
function convGemm(rt: WebGpuBackend, kind: ConvGemm, inputs: readonly TensorInfo[], outShape: readonly number[], w: WindowInfo, M: number, N: number, extra: Record<string, number> = {}): DataId {
  const variant = convConfig.variant === 'auto' ? (rt.isSoftware ? 'direct' : 'tiled') : convConfig.variant;
  const params = { ...windowParams(w, M), ...extra };
  if (variant === 'tiled') {
    const wgs = Math.ceil(M / (TILED.WG_Y * 4)) * Math.ceil(N / (TILED.WG_X * 4));
    return rt.launch({ shader: convShaders[kind], inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params, overrides: TILED, workgroups: [Math.max(1, wgs)] })[0];
  }
  const aligned = w.inC % 4 === 0 && w.outC % 4 === 0;
  const shader = convShaders[aligned ? `${kind}_direct_vec4` : `${kind}_direct`];
  const threads = Math.ceil(M / 4) * Math.ceil(N / 4);
  return rt.launch({ shader, inputs, outputs: [{ shape: outShape, dtype: 'float32' }], params, overrides: DIRECT, workgroups: [groups(threads, DIRECT.WG)] })[0];
}

const conv2d: GpuKernel<'conv2d'> = (rt, [x, f], a, outShape) => {
  const w = convInfo('conv2d', x.shape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2d', [x, f], outShape, w, w.batch * w.outH * w.outW, w.outC);
};

const fusedConv2d: GpuKernel<'fusedConv2d'> = (rt, [x, f, bias], a, outShape) => {
  const w = convInfo('fusedConv2d', x.shape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'fused_conv2d', [x, f, bias], outShape, w, w.batch * w.outH * w.outW, w.outC, { act: cellActivationCodes[a.activation] });
};

const conv2dBackpropInput: GpuKernel<'conv2dBackpropInput'> = (rt, [dy, f], a, outShape) => {
  const w = convInfo('conv2dBackpropInput', a.xShape, f.shape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2d_backprop_input', [dy, f], outShape, w, w.batch * w.inH * w.inW, w.inC);
};

const conv2dBackpropFilter: GpuKernel<'conv2dBackpropFilter'> = (rt, [x, dy], a, outShape) => {
  const w = convInfo('conv2dBackpropFilter', x.shape, a.filterShape, a.strides, a.dilations, a.pad);
  return convGemm(rt, 'conv2d_backprop_filter', [x, dy], outShape, w, w.fh * w.fw * w.inC, w.outC);
};

/** The WebGPU conv kernels. */
export const convKernels: Partial<{ [K in OpName]: GpuKernelOf<K> }> = {
  conv2d,
  fusedConv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
};

/**
 * The WebGPU shaders of conv2d, fusedConv2d and conv2d's two gradients, each
 * composed by `composeGemm` (matmul/gemm.ts) from a GEMM core and the op's
 * implicit-GEMM slots (`conv2d*_parts.wgsl.ts`). Per op: 'tiled' (hardware
 * GPUs), 'direct' (software adapters, any channel counts) and 'aligned'
 * (software adapters, in_c and out_c multiples of 4: the vec4 core, or for
 * the filter gradient the direct core reading vec4 columns).
 */
import { composeGemm } from '../matmul/gemm.js';
import type { GemmCore, GemmPart } from '../matmul/gemm.js';
import { activation, biasAct, biasAct4, plain } from '../matmul/gemm_epilogue.wgsl.js';
import type { ShaderDef } from '../webgpu/program.js';
import * as filterParts from './conv2d_backprop_filter_parts.wgsl.js';
import * as inputParts from './conv2d_backprop_input_parts.wgsl.js';
import * as forwardParts from './conv2d_parts.wgsl.js';

/** The window params every conv shader takes (filled from `conv/spec.ts`'s geometry); `size` is M. */
export const WINDOW_PARAMS = ['size', 'batch', 'in_h', 'in_w', 'in_c', 'out_h', 'out_w', 'out_c', 'fh', 'fw', 'sh', 'sw', 'dh', 'dw', 'pad_top', 'pad_left'];

/** A conv op's slots: dims, the scalar and vec4 loaders, and an optional part both loaders of A share. */
interface ConvParts {
  readonly dims: string;
  readonly pixels?: string;
  readonly loadA: string;
  readonly loadA4: string;
  readonly loadB: string;
  readonly loadB4: string;
}

/** Which conv shader runs. */
export type ConvVariant = 'tiled' | 'direct' | 'aligned';

/** The three variants of one conv op, named `name`, `name_direct`, `name_direct_vec4`; `fused` adds `bias` and act(acc + bias[oc]). */
function convVariants(name: string, inputs: [string, string], p: ConvParts, alignedCore: GemmCore, fused = false): Record<ConvVariant, ShaderDef> {
  const one = (suffix: string, core: GemmCore, v4: boolean): ShaderDef => {
    const outV4 = core === 'vec4';
    const shared: GemmPart = p.pixels === undefined ? [] : [p.pixels];
    return composeGemm({
      name: name + suffix,
      core,
      elem: 'f32',
      inputs: [...inputs.map((n) => ({ name: n, vec4: v4 })), ...(fused ? [{ name: 'bias', vec4: outV4 }] : [])],
      params: fused ? [...WINDOW_PARAMS, 'act'] : WINDOW_PARAMS,
      dims: p.dims,
      loadA: [...shared, v4 ? p.loadA4 : p.loadA],
      loadB: v4 ? p.loadB4 : p.loadB,
      epilogue: fused ? [activation, outV4 ? biasAct4 : biasAct] : plain,
    });
  };
  return { tiled: one('', 'tiled', false), direct: one('_direct', 'direct', false), aligned: one('_direct_vec4', alignedCore, true) };
}

/** Every conv GEMM shader, by op and variant. */
export const convShaders = {
  conv2d: convVariants('conv2d', ['x', 'filt'], forwardParts, 'vec4'),
  fusedConv2d: convVariants('fused_conv2d', ['x', 'filt'], forwardParts, 'vec4', true),
  conv2dBackpropInput: convVariants('conv2d_backprop_input', ['dy', 'filt'], inputParts, 'vec4'),
  conv2dBackpropFilter: convVariants('conv2d_backprop_filter', ['x', 'dy'], filterParts, 'direct'),
};

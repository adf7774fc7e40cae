/**
 * matMul's and fusedMatMul's WebGPU shaders, each composed by `composeGemm`
 * (gemm.ts) from a GEMM core (tiled, direct or vec4) and matMul's slots
 * (`mat_mul_parts.wgsl.ts`, `gemm_epilogue.wgsl.ts`); `mat_mul.ts` picks one.
 */
import { composeGemm } from './gemm.js';
import type { GemmCore } from './gemm.js';
import { activation, biasAct, biasAct4, plain } from './gemm_epilogue.wgsl.js';
import { dims, loadA, loadA4, loadB, loadB4 } from './mat_mul_parts.wgsl.js';
import type { ShaderDef } from '../webgpu/program.js';

/** matMul's params: sizes, element offsets, batch strides (0 broadcasts) and row/column strides of A and B. */
const PARAMS = ['m', 'n', 'k', 'batch', 'a_off', 'b_off', 'c_off', 'a_bs', 'b_bs', 'a_rs', 'a_cs', 'b_rs', 'b_cs'];

/** A shader variant of matMul: the GEMM core it runs. */
export type MatMulVariant = GemmCore;

/** One matMul shader: `fused` adds the `bias` binding, `params.act` and act(acc + bias[col]). */
function matMulShader(name: string, core: GemmCore, elem: 'f32' | 'i32', fused: boolean): ShaderDef {
  const v4 = core === 'vec4';
  return composeGemm({
    name,
    core,
    elem,
    inputs: [{ name: 'a', vec4: v4 }, { name: 'b', vec4: v4 }, ...(fused ? [{ name: 'bias', vec4: v4 }] : [])],
    params: fused ? [...PARAMS, 'act'] : PARAMS,
    dims,
    loadA: v4 ? loadA4 : loadA,
    loadB: v4 ? loadB4 : loadB,
    epilogue: fused ? [activation, v4 ? biasAct4 : biasAct] : plain,
  });
}

/** matMul's shaders by variant and element type. */
export const matMulShaders: Record<MatMulVariant, Record<'f32' | 'i32', ShaderDef>> = {
  tiled: { f32: matMulShader('mat_mul_f32', 'tiled', 'f32', false), i32: matMulShader('mat_mul_i32', 'tiled', 'i32', false) },
  direct: { f32: matMulShader('mat_mul_direct_f32', 'direct', 'f32', false), i32: matMulShader('mat_mul_direct_i32', 'direct', 'i32', false) },
  vec4: { f32: matMulShader('mat_mul_vec4_f32', 'vec4', 'f32', false), i32: matMulShader('mat_mul_vec4_i32', 'vec4', 'i32', false) },
};

/** fusedMatMul's shaders (float32) by variant. */
export const fusedMatMulShaders: Record<MatMulVariant, ShaderDef> = {
  tiled: matMulShader('fused_mat_mul', 'tiled', 'f32', true),
  direct: matMulShader('fused_mat_mul_direct', 'direct', 'f32', true),
  vec4: matMulShader('fused_mat_mul_vec4', 'vec4', 'f32', true),
};

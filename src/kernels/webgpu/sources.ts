/**
 * Which WGSL shaders each op runs on WebGPU, for `sg.kernels.source(name)`.
 * Imports shader texts and the kernel table only (not the runtime), so
 * inspection costs nothing until a GPU is used.
 */
import type { BinaryOp, UnaryOp } from '../elementwise/table.js';
import { binaryOps, unaryOps } from '../elementwise/table.js';
import type { OpName } from '../op_names.js';
import { convShaders2d } from '../conv/conv_shaders.js';
import { convPoolShaders } from './conv_pool.js';
import { binaryShader, unaryShader } from './elementwise.js';
import { fusedShaders } from './fused.js';
import { gpuKernels } from './kernels.js';
import { matMulBiasActShaders, matMulShaders } from './mat_mul.js';
import type { ShaderDef } from './program.js';
import { simpleShaders } from './simple.js';

/** The conv shaders in launch-preference order: tiled (hardware), then the software ones. */
const variants = (v: Record<'tiled' | 'direct' | 'aligned', ShaderDef>): ShaderDef[] => [v.tiled, v.aligned, v.direct];

/** The shaders of the ops with hand-written WGSL (a function: an object of property reads at the top level would be kept by bundlers even when unused). */
const byOp = (): Partial<Record<OpName, ShaderDef[]>> => ({
  cast: [simpleShaders.cast],
  where: [simpleShaders.where],
  matMul: [matMulShaders.tiled.f32, matMulShaders.vec4.f32, matMulShaders.direct.f32],
  matMulBiasAct: [matMulBiasActShaders.tiled, matMulBiasActShaders.vec4, matMulBiasActShaders.direct],
  transpose: [simpleShaders.copy],
  slice: [simpleShaders.copy],
  pad: [simpleShaders.copy],
  tile: [simpleShaders.copy],
  concat: [simpleShaders.concat],
  gather: [simpleShaders.gather, simpleShaders.index_check],
  scatterAdd: [simpleShaders.scatter_add_f32, simpleShaders.index_check],
  oneHot: [simpleShaders.one_hot],
  sum: [simpleShaders.reduce_f32],
  prod: [simpleShaders.reduce_f32],
  max: [simpleShaders.reduce_f32],
  min: [simpleShaders.reduce_f32],
  any: [simpleShaders.reduce_i32],
  all: [simpleShaders.reduce_i32],
  argMax: [simpleShaders.arg_reduce_f32],
  argMin: [simpleShaders.arg_reduce_f32],
  softmax: [simpleShaders.softmax],
  logSoftmax: [simpleShaders.softmax],
  conv2d: variants(convShaders2d.conv2d),
  conv2dBiasAct: variants(convShaders2d.conv2dBiasAct),
  conv2dBackpropInput: variants(convShaders2d.conv2dBackpropInput),
  conv2dBackpropFilter: variants(convShaders2d.conv2dBackpropFilter),
  maxPool: [convPoolShaders.max_pool],
  avgPool: [convPoolShaders.avg_pool],
  maxPoolGrad: [convPoolShaders.max_pool_grad],
  avgPoolGrad: [convPoolShaders.avg_pool_grad],
  lstmCell: [fusedShaders.lstm_cell],
  lstmCellGrad: [fusedShaders.lstm_cell_grad],
  gruCell: [fusedShaders.gru_cell],
  gruCellGrad: [fusedShaders.gru_cell_grad],
  adamUpdate: [fusedShaders.adam_update],
});

/** The float32 shaders `op` may run (several where an op has variants: the elementwise ops' scalar and vec4 shaders, matMul's and the conv ops' tiled, direct and vec4 shaders). */
export function shadersOf(op: OpName): ShaderDef[] {
  if (op in unaryOps) {
    const t = unaryOps[op as UnaryOp].dtypes === 'bool' ? 'i32' : 'f32';
    return [unaryShader(op as UnaryOp, t), unaryShader(op as UnaryOp, t, true)];
  }
  if (op in binaryOps) {
    const t = binaryOps[op as BinaryOp].kind === 'logical' ? 'i32' : 'f32';
    return [binaryShader(op as BinaryOp, t), binaryShader(op as BinaryOp, t, true)];
  }
  return byOp()[op] ?? [];
}

/** The kernel table the inspection API reads. */
export const webgpuTable = {
  // reshape is a view on every backend: the engine shares the buffer and runs no kernel.
  has: (op: OpName): boolean => op in gpuKernels || op === 'reshape',
  source: (op: OpName): string | undefined => {
    const s = shadersOf(op);
    return s.length === 0 ? undefined : s.map((d) => `// shader '${d.name}'\n${d.source.trim()}\n`).join('\n');
  },
};

/**
 * Which WGSL shaders each op runs on WebGPU, for `sg.kernels.source(name)`.
 * Imports shader texts and the kernel table only (not the runtime), so
 * inspection costs nothing until a GPU is used.
 */
import type { BinaryOp, UnaryOp } from '../elementwise/table.js';
import { binaryOps, unaryOps } from '../elementwise/table.js';
import type { OpName } from '../op_names.js';
import { convShaders } from '../conv/webgpu.js';
import { binaryShader, castShader, unaryShader, whereShader } from '../elementwise/webgpu.js';
import { optimizerShaders } from '../optimizer/webgpu.js';
import { poolShaders } from '../pool/webgpu.js';
import { recurrentShaders } from '../recurrent/webgpu.js';
import { reduceShaders } from '../reduce/webgpu.js';
import { gpuKernels } from './kernels.js';
import { fusedMatMulShaders, matMulShaders } from '../matmul/webgpu.js';
import type { ShaderDef } from './program.js';
import { movementShaders } from '../movement/webgpu.js';

/** A conv op's shaders in launch-preference order: tiled (hardware), then the software ones. */
const variants = (v: Record<'tiled' | 'direct' | 'aligned', ShaderDef>): ShaderDef[] => [v.tiled, v.aligned, v.direct];

/** The shaders of the ops with hand-written WGSL (a function: an object of property reads at the top level would be kept by bundlers even when unused). */
const byOp = (): Partial<Record<OpName, ShaderDef[]>> => ({
  cast: [castShader],
  where: [whereShader],
  matMul: [matMulShaders.tiled.f32, matMulShaders.vec4.f32, matMulShaders.direct.f32],
  fusedMatMul: [fusedMatMulShaders.tiled, fusedMatMulShaders.vec4, fusedMatMulShaders.direct],
  transpose: [movementShaders.copy],
  slice: [movementShaders.copy],
  pad: [movementShaders.copy],
  tile: [movementShaders.copy],
  concat: [movementShaders.concat],
  gather: [movementShaders.gather, movementShaders.index_check],
  scatterAdd: [movementShaders.scatter_add_f32, movementShaders.index_check],
  oneHot: [movementShaders.one_hot],
  sum: [reduceShaders.reduce_f32, reduceShaders.reduce_lanes_f32, reduceShaders.reduce_lanes_f32_vec4],
  prod: [reduceShaders.reduce_f32, reduceShaders.reduce_lanes_f32, reduceShaders.reduce_lanes_f32_vec4],
  max: [reduceShaders.reduce_f32, reduceShaders.reduce_lanes_f32, reduceShaders.reduce_lanes_f32_vec4],
  min: [reduceShaders.reduce_f32, reduceShaders.reduce_lanes_f32, reduceShaders.reduce_lanes_f32_vec4],
  any: [reduceShaders.reduce_i32, reduceShaders.reduce_lanes_i32, reduceShaders.reduce_lanes_i32_vec4],
  all: [reduceShaders.reduce_i32, reduceShaders.reduce_lanes_i32, reduceShaders.reduce_lanes_i32_vec4],
  argMax: [reduceShaders.arg_reduce_f32],
  argMin: [reduceShaders.arg_reduce_f32],
  softmax: [reduceShaders.softmax],
  logSoftmax: [reduceShaders.softmax],
  conv2d: variants(convShaders.conv2d),
  fusedConv2d: variants(convShaders.fusedConv2d),
  conv2dBackpropInput: variants(convShaders.conv2dBackpropInput),
  conv2dBackpropFilter: variants(convShaders.conv2dBackpropFilter),
  maxPool: [poolShaders.max_pool, poolShaders.max_pool_vec4],
  avgPool: [poolShaders.avg_pool, poolShaders.avg_pool_vec4],
  maxPoolGrad: [poolShaders.max_pool_grad, poolShaders.max_pool_grad_disjoint, poolShaders.max_pool_grad_disjoint_vec4],
  avgPoolGrad: [poolShaders.avg_pool_grad],
  lstmCell: [recurrentShaders.lstm_cell],
  lstmCellGrad: [recurrentShaders.lstm_cell_grad],
  gruCell: [recurrentShaders.gru_cell],
  gruCellGrad: [recurrentShaders.gru_cell_grad],
  adamUpdate: [optimizerShaders.adam_update],
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

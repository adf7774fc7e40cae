/**
 * The CPU kernel registry: exhaustive over `OpName`, so a new op does not
 * compile until it has a CPU kernel.
 */
import type { BinaryOp, UnaryOp } from '../elementwise/table.js';
import { binaryOps, unaryOps } from '../elementwise/table.js';
import type { OpName } from '../op_names.js';
import { mapRecord } from '../types.js';
import type { CpuKernelOf } from './cpu_tensor.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, fusedConv2dKernel, conv2dKernel } from '../conv/cpu.js';
import { binaryKernel, castKernel, unaryKernel, whereKernel } from '../elementwise/cpu.js';
import { adamUpdateKernel } from '../optimizer/cpu.js';
import { gruCellGradKernel, gruCellKernel, lstmCellGradKernel, lstmCellKernel } from '../recurrent/cpu.js';
import { fusedMatMulKernel, matMulKernel } from '../matmul/cpu.js';
import {
  concatKernel, copyKernel, gatherKernel, oneHotKernel, padKernel, scatterAddKernel, sliceKernel, tileKernel, transposeKernel,
} from '../movement/cpu.js';
import { avgPoolGradKernel, avgPoolKernel, maxPoolGradKernel, maxPoolKernel } from '../pool/cpu.js';
import {
  allKernel, anyKernel, argMaxKernel, argMinKernel, logSoftmaxCpu, maxKernel, minKernel, prodKernel, softmaxCpu, sumKernel,
} from '../reduce/cpu.js';

export const cpuKernels: { readonly [K in OpName]: CpuKernelOf<K> } = {
  ...mapRecord(Object.keys(unaryOps) as UnaryOp[], (k) => unaryKernel(k)),
  ...mapRecord(Object.keys(binaryOps) as BinaryOp[], (k) => binaryKernel(k)),
  cast: castKernel,
  where: whereKernel,
  matMul: matMulKernel,
  fusedMatMul: fusedMatMulKernel,
  fusedConv2d: fusedConv2dKernel,
  transpose: transposeKernel,
  reshape: copyKernel,
  concat: concatKernel,
  slice: sliceKernel,
  pad: padKernel,
  tile: tileKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  oneHot: oneHotKernel,
  sum: sumKernel,
  prod: prodKernel,
  max: maxKernel,
  min: minKernel,
  any: anyKernel,
  all: allKernel,
  argMax: argMaxKernel,
  argMin: argMinKernel,
  softmax: softmaxCpu,
  logSoftmax: logSoftmaxCpu,
  conv2d: conv2dKernel,
  conv2dBackpropInput: conv2dBackpropInputKernel,
  conv2dBackpropFilter: conv2dBackpropFilterKernel,
  maxPool: maxPoolKernel,
  avgPool: avgPoolKernel,
  maxPoolGrad: maxPoolGradKernel,
  avgPoolGrad: avgPoolGradKernel,
  lstmCell: lstmCellKernel,
  lstmCellGrad: lstmCellGradKernel,
  gruCell: gruCellKernel,
  gruCellGrad: gruCellGradKernel,
  adamUpdate: adamUpdateKernel,
};

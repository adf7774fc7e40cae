/**
 * The wasm kernel registry, and the explicit list of ops that run the
 * JavaScript CPU kernel on views of wasm memory (no copy). Every op is in
 * exactly one of the two (checked by the type below and by
 * tests/coverage.test.ts). A wasm kernel may still hand a case to the JS
 * kernel (int32/bool data, general broadcasts) by returning false.
 */
import type { BinaryOp, UnaryOp } from '../elementwise/table.js';
import type { OpName } from '../op_names.js';
import type { WasmFunction } from './emitter.js';
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm, conv2dWasm, convFunctions } from './conv.js';
import { binaryWasm, elementwiseFunctions, unaryWasm } from './elementwise.js';
import { adamUpdateWasm, fusedFunctions, gruCellGradWasm, gruCellWasm, lstmCellGradWasm, lstmCellWasm } from './fused.js';
import { gemmFunctions } from './gemm.js';
import type { WasmKernel } from './kernel.js';
import { matMulBiasActWasm, matMulWasm } from './matmul.js';
import { maxPoolGradWasm, maxPoolWasm, poolFunctions } from './pool.js';
import { reduceFunctions, reduceWasm } from './reduce.js';

/** Ops whose wasm backend runs the JavaScript kernel on views of wasm memory, with the reason. */
export const JS_FALLBACK = {
  sign: 'no SIMD sign; rare',
  expm1: 'exp(x) − 1 in f32 loses all digits near 0; needs its own series (Math.expm1 in JS)',
  log: 'no SIMD log yet (simd_math.ts has exp only)',
  log1p: 'no SIMD log yet',
  rsqrt: 'rare outside layer norm; Math.sqrt in float64 keeps it exact',
  reciprocal: 'rare; exact in JS',
  sin: 'no SIMD sin/cos (range reduction); rare in these models',
  cos: 'no SIMD sin/cos (range reduction); rare in these models',
  softplus: 'needs log1p',
  elu: 'needs expm1 (see expm1)',
  selu: 'needs expm1 (see expm1)',
  logicalNot: 'bool data',
  floorDiv: 'int32 semantics (zero divisor gives 0)',
  pow: 'needs log and exp with TensorFlow\'s sign rules',
  equal: 'bool output',
  notEqual: 'bool output',
  greater: 'bool output',
  greaterEqual: 'bool output',
  less: 'bool output',
  lessEqual: 'bool output',
  logicalAnd: 'bool data',
  logicalOr: 'bool data',
  cast: 'a copy with conversion: memory-bound either way',
  where: 'three-way broadcast; memory-bound',
  transpose: 'movement: memory-bound index arithmetic',
  reshape: 'never runs: the engine shares the data (incRef)',
  concat: 'movement',
  slice: 'movement',
  pad: 'movement',
  tile: 'movement',
  gather: 'movement with int32 indices',
  scatterAdd: 'movement with int32 indices',
  oneHot: 'int32 output',
  any: 'bool data',
  all: 'bool data',
  argMax: 'int32 output, first-index tie rule',
  argMin: 'int32 output, first-index tie rule',
  softmax: 'small [B, classes] rows in these models; a row max/sum needs scalar tails',
  logSoftmax: 'needs log',
  avgPool: 'rare in the models here (max pooling is the hot one); JS loop over windows',
  avgPoolGrad: 'rare in the models here; JS loop over windows',
} as const satisfies Partial<Record<OpName, string>>;

type FallbackOp = keyof typeof JS_FALLBACK;

const unary = <K extends UnaryOp>(op: K): WasmKernel<K> => unaryWasm(op);
const binary = <K extends BinaryOp>(op: K): WasmKernel<K> => binaryWasm(op);

/** Every op that is not a listed fallback has a wasm kernel (a new op fails to compile until it is in one of the two). */
export const wasmKernels: { readonly [K in Exclude<OpName, FallbackOp>]: WasmKernel<K> } = {
  neg: unary('neg'),
  abs: unary('abs'),
  square: unary('square'),
  sqrt: unary('sqrt'),
  floor: unary('floor'),
  ceil: unary('ceil'),
  round: unary('round'),
  relu: unary('relu'),
  relu6: unary('relu6'),
  leakyRelu: unary('leakyRelu'),
  step: unary('step'),
  exp: unary('exp'),
  sigmoid: unary('sigmoid'),
  tanh: unary('tanh'),
  clipByValue: unary('clipByValue'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  squaredDifference: binary('squaredDifference'),
  sum: reduceWasm('sum'),
  prod: reduceWasm('prod'),
  max: reduceWasm('max'),
  min: reduceWasm('min'),
  matMul: matMulWasm,
  matMulBiasAct: matMulBiasActWasm,
  conv2d: conv2dWasm,
  conv2dBackpropInput: conv2dBackpropInputWasm,
  conv2dBackpropFilter: conv2dBackpropFilterWasm,
  maxPool: maxPoolWasm,
  maxPoolGrad: maxPoolGradWasm,
  adamUpdate: adamUpdateWasm,
  lstmCell: lstmCellWasm,
  lstmCellGrad: lstmCellGradWasm,
  gruCell: gruCellWasm,
  gruCellGrad: gruCellGradWasm,
};

/** The backend's modules: one per kernel family, compiled once when the backend starts. */
export function wasmModules(): Record<string, WasmFunction[]> {
  return { gemm: gemmFunctions(), elementwise: elementwiseFunctions(), reduce: reduceFunctions(), fused: fusedFunctions(), pool: poolFunctions(), conv: convFunctions() };
}

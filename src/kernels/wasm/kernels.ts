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
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm, fusedConv2dWasm, conv2dWasm, convFunctions } from '../conv/wasm.js';
import { binaryWasm, elementwiseFunctions, unaryWasm } from '../elementwise/wasm.js';
import { adamUpdateWasm, optimizerFunctions } from '../optimizer/wasm.js';
import { gruCellGradWasm, gruCellWasm, lstmCellGradWasm, lstmCellWasm, recurrentFunctions } from '../recurrent/wasm.js';
import { gemmFunctions } from '../matmul/wasm_gemm.js';
import type { WasmKernel, WasmKernelOf } from './kernel.js';
import { JS_FALLBACK } from './fallbacks.js';
import { fusedMatMulWasm, matMulWasm } from '../matmul/wasm.js';
import { maxPoolGradWasm, maxPoolWasm, poolFunctions } from '../pool/wasm.js';
import { reduceFunctions, reduceWasm } from '../reduce/wasm.js';

export { JS_FALLBACK };

type FallbackOp = keyof typeof JS_FALLBACK;

const unary = <K extends UnaryOp>(op: K): WasmKernel<K> => unaryWasm(op);
const binary = <K extends BinaryOp>(op: K): WasmKernel<K> => binaryWasm(op);

/** Every op that is not a listed fallback has a wasm kernel (a new op fails to compile until it is in one of the two). */
export const wasmKernels: { readonly [K in Exclude<OpName, FallbackOp>]: WasmKernelOf<K> } = {
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
  fusedMatMul: fusedMatMulWasm,
  conv2d: conv2dWasm,
  fusedConv2d: fusedConv2dWasm,
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
  return { gemm: gemmFunctions(), elementwise: elementwiseFunctions(), reduce: reduceFunctions(), recurrent: recurrentFunctions(), optimizer: optimizerFunctions(), pool: poolFunctions(), conv: convFunctions() };
}
